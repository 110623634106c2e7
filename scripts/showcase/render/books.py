"""The book collection's pages: the shelf, each book, each chapter, the writers index, the
stories listed on a worker's page, the covers and images, and each book's EPUB."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from showcase.artifact import Artifact, page
from showcase.books import Book, Chapter, Illustration, Library, reading, round_chars
from showcase.epub import build_epub
from showcase.exhibition import Exhibition
from showcase.images import Result
from showcase.markup import prose
from showcase.media import CACHE_DIR
from showcase.model import Worker
from showcase.render.common import (
    Card,
    Inline,
    Link,
    Parts,
    anchor,
    cover_picture,
    draft_banner,
    joined,
    rows,
    sources,
    worker_card,
    worker_link,
)
from showcase.render.html import render
from showcase.render.indexes import Section, index_page
from showcase.render.paths import Urls
from showcase.render.pictures import Box, Pic, lightbox, picture
from showcase.search_words import FREQUENCY

SHELF = "books/index.md"
WRITERS = "books/writers/index.md"
COVER_SIZES = "(max-width: 600px) 60vw, 240px"
FIGURE_SIZES = "(max-width: 800px) 100vw, 720px"
SOURCE = "content/books/{}/{}"  # where a book's images are, for the media index


def book_page(slug: str) -> str:
    return f"books/{slug}/index.md"


def chapter_page(chapter: Chapter) -> str:
    return f"books/{chapter.book}/{chapter.stem}/index.md"


def chapter_drafted(book: Book) -> str:
    """Who keeps a draft chapter off the site: its own front matter, or its book."""
    return "这篇文章" if book.publish else "这篇文章所在的书"


def epub_file(book: Book) -> str:
    return f"books/{book.slug}/{book.slug}.epub"


def render_books(
    root: Path,
    ex: Exhibition,
    library: Library,
    tour: Callable[[Chapter, Markup], Markup] | None = None,
) -> list[Artifact]:
    """Every page and file of the collection; the shelf and writers index always exist.
    `tour` adds the halls' guided tour to a chapter's page (render/halls.py)."""
    wide = ("navigation", "toc")  # reading and looking, not documentation
    out = [page(SHELF, shelf(ex, library), hide=wide), page(WRITERS, writers(library))]
    for book in library.books:
        body = draft_banner(book.publish, "这本书") + render_book(ex, library, book)
        out.append(page(book_page(book.slug), body, book.title, hide=wide))
        for chapter in library.of(book):
            title = f"{chapter.title} · {book.title}"
            body = render_chapter(ex, library, chapter)
            body = tour(chapter, body) if tour else body
            body = draft_banner(library.public(book, chapter), chapter_drafted(book)) + body
            out.append(page(chapter_page(chapter), body, title, hide=wide))
        out += book_files(root, ex, library, book)
    return out


# -- the shelf and the writers index --------------------------------------------------------


def shelf_cards(u: Urls, ex: Exhibition, library: Library) -> list[Card]:
    """A cover card per book: title, subtitle, editors, year and chapter count."""
    cards = []
    for book in library.books:
        line = "，".join(x for x in (byline(book), f"{len(library.of(book))} 篇") if x)
        lines = ((book.subtitle,), (line,)) if book.subtitle else ((line,),)
        cards.append(
            Card(u.page(book_page(book.slug)), cover(u, ex, book), f"《{book.title}》", lines=lines)
        )
    return cards


def shelf(ex: Exhibition, library: Library) -> Markup:
    u = Urls(SHELF)
    count = sum(len(library.of(b)) for b in library.books)
    cards = shelf_cards(u, ex, library)
    intro: Parts = (
        [
            f"共 {len(library.books)} 本书、{count} 篇文章。按作者查看：",
            Link(u.page(WRITERS), "作者索引"),
            "。",
        ]
        if library.books
        else ()
    )
    return index_page("书架", "sc-shelf", intro=intro, cards=cards, empty="暂无图书。")


def writers(library: Library) -> Markup:
    u = Urls(WRITERS)
    people = library.writers()
    count = f"共 {len(people)} 位作者，按姓名拼音排列。" if people else "暂无作者。"
    sections = [
        Section(
            name,
            anchor(name),
            items=[[chapter_link(u, c), f"（《{library.book(c.book).title}》）"] for c in chapters],
        )
        for name, chapters in people
    ]
    intro = [count, "回到", Link(u.page(SHELF), "书架"), "。"]
    return index_page("作者索引", "sc-writers", intro=intro, sections=sections)


# -- a book -----------------------------------------------------------------------------------


def byline(book: Book) -> str:
    people = book.compiler or "、".join(book.editors)
    role = "编" if book.compiler else "主编"
    when = book.year.zh() if book.year else ""
    return "，".join(x for x in (f"{people} {role}" if people else "", when) if x)


@dataclass(frozen=True)
class Entry:
    """One line of a book's table of contents."""

    link: Link
    writers: str
    about: list[Inline]
    reading: str


def render_book(ex: Exhibition, library: Library, book: Book) -> Markup:
    u = Urls(book_page(book.slug))
    chapters = library.of(book)
    about = {slug for c in chapters for slug in c.info.workers}
    facts = rows(
        [
            ("编撰", book.compiler),
            ("主编", "、".join(book.editors)),
            ("合作", "、".join(book.partners)),
            ("出版", book.publisher),
            ("出版时间", book.year.zh() if book.year else None),
            ("ISBN", book.isbn),
            (
                "收录",
                f"{len(chapters)} 篇文章，写了本站 {len(about)} 位劳模工匠" if chapters else None,
            ),
            ("字数", f"约{round_chars(sum(c.chars for c in chapters))}字" if chapters else None),
        ]
    )
    contents = [
        Entry(
            chapter_link(u, c),
            writer_names(c),
            joined(worker_link(u, w) for w in workers_of(ex, c)),
            reading(c.chars),
        )
        for c in chapters
    ]
    return render(
        "book.html",
        book=book,
        cover=cover(u, ex, book, lazy=False),
        facts=facts,
        epub=u.file(epub_file(book)),
        description=prose(book.description) if book.description else "",
        contents=contents,
        shelf=u.page(SHELF),
        writers=u.page(WRITERS),
        sources=sources(book.sources),
    )


def cover(u: Urls, ex: Exhibition, book: Book, *, lazy: bool = True) -> Pic:
    return cover_picture(
        u,
        f"books/{book.slug}",
        cover_result(ex, book),
        f"《{book.title}》封面",
        (300, 420, "示意封面"),
        sizes=COVER_SIZES,
        css="sc-book-cover",
        lazy=lazy,
    )


def cover_result(ex: Exhibition, book: Book) -> Result | None:
    result = ex.media.get(SOURCE.format(book.slug, book.cover), "picture") if book.cover else None
    return result if result and result.outputs else None


def cover_svg(book: Book) -> bytes:
    """A designed stand-in cover: the title on a colour derived from the slug."""
    hue = int(hashlib.sha256(book.slug.encode()).hexdigest()[:4], 16) % 360
    lines = [book.title[i : i + 8] for i in range(0, min(len(book.title), 48), 8)]
    return (render("cover.svg", hue=hue, title=book.title, lines=lines) + "\n").encode("utf-8")


# -- a chapter --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """An illustration between paragraphs."""

    box: Box
    caption: str


def render_chapter(ex: Exhibition, library: Library, chapter: Chapter) -> Markup:
    u = Urls(chapter_page(chapter))
    book = library.book(chapter.book)
    before, after = library.neighbours(chapter)
    return render(
        "chapter.html",
        chapter=chapter,
        book=Link(u.page(book_page(book.slug)), f"《{book.title}》"),
        number=library.of(book).index(chapter) + 1,
        writers=writer_names(chapter),
        reading=reading(chapter.chars),
        blocks=[body_block(u, ex, chapter, b) for b in chapter.blocks],
        cards=[worker_card(u, ex, w) for w in workers_of(ex, chapter)],
        before=chapter_link(u, before) if before else None,
        after=chapter_link(u, after) if after else None,
    )


def body_block(
    u: Urls, ex: Exhibition, chapter: Chapter, block: str | Illustration
) -> Markup | Figure | None:
    if isinstance(block, str):
        return prose(block)
    folder = f"books/{chapter.book}"
    result = ex.media.get(SOURCE.format(chapter.book, block.file), "picture")
    if not result or not result.outputs:
        return None
    alt = block.caption or chapter.title
    inner = picture(u, folder, result, ("thumb", "large"), alt, sizes=FIGURE_SIZES)
    return Figure(
        lightbox(u, folder, result, inner, block.caption, chapter_page(chapter)), block.caption
    )


# -- pieces shared by these pages and the worker page ----------------------------------------


def chapter_link(u: Urls, chapter: Chapter) -> Link:
    return Link(u.page(chapter_page(chapter)), chapter.title)


def writer_names(chapter: Chapter) -> str:
    return "、".join(chapter.info.writer)


def workers_of(ex: Exhibition, chapter: Chapter) -> list[Worker]:
    return [w for slug in dict.fromkeys(chapter.info.workers) if (w := ex.worker(slug))]


def story_cards(u: Urls, library: Library | None, worker: Worker) -> list[Card]:
    """「书中的故事」on a worker's page: every chapter about them, with its book."""
    if library is None:
        return []
    return [
        Card(
            u.page(chapter_page(c)),
            None,
            c.title,
            lines=(
                (f"《{library.book(c.book).title}》",),
                (f"文／{writer_names(c)} · {reading(c.chars)}",),
            ),
        )
        for c in library.about(worker.slug)
    ]


# -- files: images, the stand-in cover, the EPUB ---------------------------------------------


def book_files(root: Path, ex: Exhibition, library: Library, book: Book) -> list[Artifact]:
    """Derivatives of the cover and the images the published chapters show, and the EPUB."""
    folder = f"books/{book.slug}"
    chapters = library.of(book)
    used = [book.cover] if book.cover else []
    used += [i.file for c in chapters for i in c.images]
    files: dict[str, Path] = {}
    for name in used:
        result = ex.media.get(SOURCE.format(book.slug, name), "picture")
        for output in result.outputs if result else ():
            for file in output.files:
                files[file] = root / CACHE_DIR / file
    out = [Artifact(f"{folder}/{name}", source=path) for name, path in sorted(files.items())]
    svg = cover_svg(book)
    if cover_result(ex, book) is None:
        out.append(Artifact(f"{folder}/cover.svg", svg))

    def large(source: str) -> tuple[bytes, str] | None:
        result = ex.media.get(source, "picture")
        output = next((o for o in result.outputs if o.preset == "large"), None) if result else None
        if output is None:
            return None
        path = root / CACHE_DIR / output.files[1]
        if ex.media.read_only and not path.is_file():
            return None  # showcase check sized this derivative without writing it
        return path.read_bytes(), output.files[1]

    front = large(SOURCE.format(book.slug, book.cover)) if book.cover else None
    names = {w.slug: w.name for w in ex.workers}
    data = build_epub(
        book, chapters, names, front or (svg, "cover.svg"), lambda s: large(f"content/books/{s}")
    )
    out.append(Artifact(epub_file(book), data))
    return out


def search_words(library: Library) -> bytes:
    """Writers' names for the jieba dictionary (appended to the exhibition's words)."""
    from showcase.search_words import listable  # bounded words only (jieba's memory)

    lines = [f"{word} {FREQUENCY} nr" for word in library.words() if listable(word)]
    return "".join(f"{line}\n" for line in lines).encode("utf-8")
