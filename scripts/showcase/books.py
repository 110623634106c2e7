"""The book collection: books of writers' stories about the exhibition's workers.

A book is a folder `content/books/<slug>/` with `book.yml` and chapter files `*.md`, each
starting with a front matter between two `---` lines. Both are declared here in the one
model style (`spec()` fields, Chinese help); `Library` is the validated collection with
its relations to the workers, both ways. Loading and checking live in bookload.py.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from functools import cached_property

from showcase.dates import PartialDate
from showcase.fields import BODY, FILE, MARKDOWN, NAME, NUMBER, SLUG, SUMMARY, TITLE, spec
from showcase.markup import prose
from showcase.model import Entity, Source, model
from showcase.pinyin import name_pinyin, sort_key

BOOKS_DIR = "content/books"
READING_SPEED = 400  # Chinese characters a minute: 3,200字 read in about 8 minutes
_COUNTED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|\w+")
_TAG = re.compile(r"<[^>]+>")


@model
class Book(Entity):
    slug: str = spec("网址标识，取自文件夹名", "", max_length=SLUG)
    title: str = spec(
        "书名（不加书名号），如 红心·匠艺的追梦人——作家眼中的劳模工匠", max_length=TITLE
    )
    subtitle: str | None = spec("副标题", None, max_length=TITLE)
    editors: tuple[str, ...] = spec("主编或编者姓名", (), max_length=NAME)
    compiler: str | None = spec("编撰单位，如 嘉兴市劳模协会", None, max_length=BODY)
    partners: tuple[str, ...] = spec("合作单位，如 嘉兴市作家协会", (), max_length=BODY)
    year: PartialDate | None = spec("出版时间，如 2022 或 2022-04", None)
    publisher: str | None = spec("出版社", None, max_length=BODY)
    isbn: str | None = spec(
        "ISBN 书号（请加引号）",
        None,
        quoted=True,
        pattern=r"^(?:97[89])?[-\s]?(?:[0-9][-\s]?){9}[0-9Xx]$",
        pattern_hint='写成 "978-7-000-00000-0"（10 或 13 位）',
        max_length=NUMBER,
    )
    cover: str | None = spec(
        "封面图片文件名（与 book.yml 在同一文件夹）", None, media=True, max_length=FILE
    )
    description: str | None = spec(
        "图书简介（Markdown；不允许 HTML）", None, markdown=True, max_length=MARKDOWN, links=True
    )
    sources: tuple[Source, ...] = spec("公开出处：图书信息来自哪里", ())
    publish: bool = spec("是否公开发布（true/false），默认 true", True)


@model
class ChapterInfo(Entity):
    """The front matter of one chapter file."""

    title: str = spec("文章标题", max_length=TITLE)
    writer: tuple[str, ...] = spec(
        "作者；一位写 writer: 张三，几位写 writer: [张三, 李四]", max_length=NAME
    )
    workers: tuple[str, ...] = spec(
        "文章写的劳模（workers/ 下的文件夹名）", (), slug=True, max_length=SLUG
    )
    order: int | None = spec("在书中的顺序（1、2、3……）；不写则按文件名排序", None, minimum=1)
    summary: str | None = spec("一句话导读", None, max_length=SUMMARY)
    publish: bool = spec("是否公开发布（true/false），默认 true", True)


@dataclass(frozen=True)
class Illustration:
    """An image written on a line of its own in a chapter: `![说明](photo.jpg)`."""

    file: str
    caption: str
    line: int
    col: int  # of the file name, for messages


Block = str | Illustration  # Markdown text, or an image between paragraphs


@dataclass(frozen=True)
class Chapter:
    """One chapter file: its front matter, and its text split around its images."""

    book: str  # the book's slug
    stem: str  # file name without .md: the page URL
    info: ChapterInfo
    blocks: tuple[Block, ...]

    @property
    def path(self) -> str:
        return f"{BOOKS_DIR}/{self.book}/{self.stem}.md"

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def images(self) -> tuple[Illustration, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Illustration))

    @cached_property
    def chars(self) -> int:
        """字数 the way Chinese editors count: every Han character and punctuation mark,
        every run of letters or digits as one word; markup and spaces not counted."""
        text = html.unescape(_TAG.sub(" ", prose("\n\n".join(self.texts()))))
        return len(_COUNTED.findall(text))

    def texts(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    def sort_key(self) -> tuple[float, str]:
        return (self.info.order if self.info.order is not None else math.inf, self.stem)


@dataclass(frozen=True)
class Library:
    """Published books and their published chapters, in reading order (in the drafts
    preview, `publish: false` ones too)."""

    books: tuple[Book, ...] = ()
    chapters: dict[str, tuple[Chapter, ...]] = field(default_factory=dict)  # by book slug
    # "book/stem" of valid chapters not published (theirs or their book's publish: false)
    unpublished: frozenset[str] = frozenset()

    def public(self, book: Book, chapter: Chapter | None = None) -> bool:
        """Whether a book (or one of its chapters) is published: only drafts previews
        show the others."""
        if chapter is None:
            return book.publish
        return f"{chapter.book}/{chapter.stem}" not in self.unpublished

    def of(self, book: Book) -> tuple[Chapter, ...]:
        return self.chapters.get(book.slug, ())

    def book(self, slug: str) -> Book:
        return next(b for b in self.books if b.slug == slug)

    def neighbours(self, chapter: Chapter) -> tuple[Chapter | None, Chapter | None]:
        chapters = self.chapters[chapter.book]
        i = chapters.index(chapter)
        return (chapters[i - 1] if i else None, chapters[i + 1] if i + 1 < len(chapters) else None)

    @cached_property
    def _about(self) -> dict[str, list[Chapter]]:
        about: dict[str, list[Chapter]] = {}
        for book in self.books:
            for chapter in self.of(book):
                for slug in dict.fromkeys(chapter.info.workers):
                    about.setdefault(slug, []).append(chapter)
        return about

    def about(self, worker_slug: str) -> list[Chapter]:
        """Chapters about a worker, book by book in reading order."""
        return self._about.get(worker_slug, [])

    def writers(self) -> list[tuple[str, list[Chapter]]]:
        """Every writer with their chapters, writers in pinyin order."""
        by: dict[str, list[Chapter]] = {}
        for book in self.books:
            for chapter in self.of(book):
                for name in dict.fromkeys(chapter.info.writer):
                    by.setdefault(name, []).append(chapter)
        return sorted(by.items(), key=lambda item: sort_key(name_pinyin(item[0]), item[0]))

    def words(self) -> list[str]:
        """Writers' names, for the search dictionary (titles stay divisible into words)."""
        return sorted(name for name, _ in self.writers())


def round_chars(n: int) -> str:
    """约3,200字: hundreds from a thousand up, tens from a hundred up."""
    step = 100 if n >= 1000 else 10 if n >= 100 else 1
    return f"{max(round(n / step) * step, step if n else 0):,}"


def reading(n: int) -> str:
    """「约3,200字 · 阅读约8分钟」"""
    return f"约{round_chars(n)}字 · 阅读约{max(1, math.ceil(n / READING_SPEED))}分钟"
