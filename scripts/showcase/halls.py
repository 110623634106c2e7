"""Curated halls (展厅): a curator's ordered selection of workers, studios and chapters.

A hall is a folder `content/halls/<slug>/` with `hall.yml` and its cover image. The file is
declared here in the one model style (`spec()` fields, Chinese help); `Halls` is the
validated collection: published halls in `order`, each one's exhibits as one sequence
(items first, then each section's), and for every exhibited page the halls it appears in,
for the guided tour. Loading and checking live in hallload.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from showcase.dates import PartialDate
from showcase.fields import FILE, SLUG, SUMMARY, TITLE, spec
from showcase.model import Entity, model

HALLS_DIR = "content/halls"
NOTE = 300  # the curator's words on one exhibit
INTRO = 5_000  # a hall's or a section's introduction (Markdown)
CHAPTER = 2 * SLUG + 1  # BOOK/CHAPTER-STEM
KINDS = ("worker", "studio", "chapter")
Kind = Literal["worker", "studio", "chapter"]


@model
class HallItem(Entity):
    """One exhibit: exactly one of worker, studio, chapter, and the curator's note."""

    worker: str | None = spec("劳模（workers/ 下的文件夹名）", None, slug=True, max_length=SLUG)
    studio: str | None = spec(
        "工作室或服务队（studios/ 下的文件夹名）", None, slug=True, max_length=SLUG
    )
    chapter: str | None = spec(
        "书中的文章：书的文件夹名/文章文件名（不带 .md），如 hongxin-jiangyi/01-sample",
        None,
        pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
        pattern_hint="写成 书的文件夹名/文章文件名，如 hongxin-jiangyi/01-sample-article-facts",
        max_length=CHAPTER,
    )
    note: str | None = spec("策展人的话：一两句纯文字（不用 Markdown）", None, max_length=NOTE)

    @property
    def kinds(self) -> list[Kind]:
        """The kind keys written (a valid item has exactly one)."""
        return [k for k in KINDS if getattr(self, k)]  # type: ignore[misc]

    @property
    def key(self) -> tuple[Kind, str]:
        """(kind, target): the page this exhibit is, e.g. ("chapter", "book/01-x")."""
        kind = self.kinds[0]
        return kind, getattr(self, kind)


@model
class HallSection(Entity):
    title: str = spec("这一部分的标题，如 创新工作室", max_length=TITLE)
    intro: str | None = spec(
        "这一部分的导语（Markdown；不允许 HTML）", None, markdown=True, max_length=INTRO, links=True
    )
    items: tuple[HallItem, ...] = spec("这一部分的展品，按参观顺序", ())


@model
class Hall(Entity):
    slug: str = spec("网址标识，取自文件夹名", "", max_length=SLUG)
    title: str = spec("展厅名称，如 红船旁的劳模工匠", max_length=TITLE)
    subtitle: str | None = spec("副标题：一句话说明这个展厅", None, max_length=SUMMARY)
    intro: str | None = spec(
        "展厅导语（Markdown，可分段；不允许 HTML）",
        None,
        markdown=True,
        max_length=INTRO,
        links=True,
    )
    cover: str | None = spec(
        "封面图片文件名（与 hall.yml 在同一文件夹）", None, media=True, max_length=FILE
    )
    order: int = spec("展厅的排列顺序（1、2、3……，各展厅不能相同）", minimum=1, maximum=999)
    publish: bool = spec("是否公开发布（true/false），默认 true", True)
    exhibited: PartialDate | None = spec(
        "开展日期，如 2025-05；订阅（feed.xml）按它列出新展厅", None
    )
    items: tuple[HallItem, ...] = spec(
        "展品，按参观顺序；每项写 worker、studio 或 chapter 之一", ()
    )
    sections: tuple[HallSection, ...] = spec("分部分展出（可选）：每部分有标题、导语和展品", ())

    @property
    def exhibits(self) -> tuple[HallItem, ...]:
        """Every exhibit in visiting order: the items, then each section's."""
        return self.items + tuple(i for s in self.sections for i in s.items)


@dataclass(frozen=True)
class Stop:
    """Where a page stands in one hall's tour."""

    hall: Hall
    index: int  # 0-based
    before: HallItem | None
    after: HallItem | None

    @property
    def total(self) -> int:
        return len(self.hall.exhibits)


@dataclass(frozen=True)
class Halls:
    """Published halls in `order`, all of whose exhibits are published pages."""

    halls: tuple[Hall, ...] = ()

    @cached_property
    def _stops(self) -> dict[tuple[str, str], list[Stop]]:
        stops: dict[tuple[str, str], list[Stop]] = {}
        for hall in self.halls:
            exhibits = hall.exhibits
            for i, item in enumerate(exhibits):
                before = exhibits[i - 1] if i else None
                after = exhibits[i + 1] if i + 1 < len(exhibits) else None
                stops.setdefault(item.key, []).append(Stop(hall, i, before, after))
        return stops

    def stops(self, kind: Kind, target: str) -> list[Stop]:
        """The halls a page is exhibited in, in hall order (the first is the default)."""
        return self._stops.get((kind, target), [])
