"""Pieces shared by every page, as plain data for the templates: links, portraits, cards,
fact rows, galleries, sources. Nothing here writes HTML; `layouts/_macros.html` does."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup
from pymdownx.slugs import slugify

from showcase.exhibition import Exhibition, pinyin_of
from showcase.images import Result
from showcase.markup import safe_url
from showcase.model import Figure, Picture, Service, Source, Studio, Worker
from showcase.render.html import render
from showcase.render.paths import Urls, studio_page, worker_page
from showcase.render.pictures import CARD_SIZES, THUMB_SIZES, Box, Pic, lightbox, picture

NUMBER_BEFORE = {"近", "超过"}


def draft_banner(public: bool, what: str) -> Markup:
    """「草稿 · 未公开」 above an unpublished page, its own raw HTML block. Only a drafts
    preview (`showcase serve --drafts`) renders such pages. what: who says publish: false,
    e.g. 「这份劳模档案」 or 「这篇文章所在的书」."""
    if public:
        return Markup("")
    return render("draft_banner.html", what=what) + Markup("\n\n")


AFTER_NUMBER = {"余", "多"}


@dataclass(frozen=True)
class Link:
    """A link a template prints: `url` is generated (relative) or a checked http(s) URL."""

    url: str
    text: str
    external: bool = False


Inline = str | Link  # a run of text, or a link
Parts = Sequence[Inline]


@dataclass(frozen=True)
class Card:
    url: str
    pic: Pic | None
    title: str
    subtitle: str = ""  # pinyin, shown small
    lines: tuple[Parts, ...] = ()
    facets: tuple[tuple[str, str], ...] = ()  # data-* for the gallery filters


def worker_link(u: Urls, worker: Worker) -> Link:
    return Link(u.page(worker_page(worker.slug)), worker.name)


def studio_link(u: Urls, studio: Studio) -> Link:
    return Link(u.page(studio_page(studio.slug)), studio.name)


def external(label: str, url: str | None) -> Inline:
    """A link to an outside page, or the plain label if the URL is not http(s)."""
    target = safe_url(url) if url else None
    return Link(target, label, external=True) if target else label


def joined(items: Iterable[Inline], sep: str = "、") -> list[Inline]:
    out: list[Inline] = []
    for item in items:
        if out:
            out.append(sep)
        out.append(item)
    return out


def portrait(u: Urls, ex: Exhibition, worker: Worker, *, lazy: bool = True, css: str) -> Pic:
    """The card-cropped portrait, or the designed placeholder when there is none to show."""
    folder = f"workers/{worker.slug}"
    if worker.portrait and worker.shows("portrait"):
        result = ex.media.get(f"{folder}/{worker.portrait}", "portrait")
        if result and result.outputs:
            return picture(
                u, folder, result, ("card",), worker.name, sizes=CARD_SIZES, lazy=lazy, css=css
            )
    src = u.file(f"{folder}/placeholder.svg")
    return Pic(src, 300, 400, f"{worker.name}（暂无照片）", css=css, lazy=lazy)


def cover_picture(
    u: Urls,
    folder: str,
    result: Result | None,
    alt: str,
    stand_in: tuple[int, int, str],
    *,
    sizes: str,
    css: str,
    lazy: bool = True,
) -> Pic:
    """A cover (book, hall) through the media pipeline, or the designed stand-in
    `folder/cover.svg` of (width, height, what the alt text calls it)."""
    if result and result.outputs:
        return picture(u, folder, result, ("thumb", "large"), alt, sizes=sizes, lazy=lazy, css=css)
    width, height, called = stand_in
    return Pic(u.file(f"{folder}/cover.svg"), width, height, f"{alt}（{called}）", css, lazy)


def needs_placeholder(worker: Worker) -> bool:
    return not (worker.portrait and worker.shows("portrait"))


def placeholder_svg(worker: Worker) -> bytes:
    """A designed stand-in: the surname on a colour derived from the slug."""
    hue = int(hashlib.sha256(worker.slug.encode()).hexdigest()[:4], 16) % 360
    svg = render("placeholder.svg", hue=hue, name=worker.name, glyph=worker.name[:1])
    return (svg + "\n").encode("utf-8")


def worker_card(
    u: Urls,
    ex: Exhibition,
    worker: Worker,
    facets: tuple[tuple[str, str], ...] = (),
    lines: tuple[Parts, ...] = (),
) -> Card:
    """Portrait, name with pinyin, top honour (else position or summary), then `lines`."""
    top = ex.top_honor(worker)
    line = top.title if top else (worker.position or worker.summary or "")
    return Card(
        url=u.page(worker_page(worker.slug)),
        pic=portrait(u, ex, worker, css="sc-card-photo"),
        title=worker.name,
        subtitle=pinyin_of(worker),
        lines=(((line,),) if line else ()) + lines,
        facets=facets,
    )


def studio_card(u: Urls, ex: Exhibition, studio: Studio, role: str = "") -> Card:
    """Name, kind and level; the leader (or the reader's worker's role in it); summary."""
    leader = ex.worker(studio.leader)
    badge = " · ".join(x for x in (studio.level or "", studio.kind) if x)
    line: Parts = (role,) if role else (("领衔人：", worker_link(u, leader)) if leader else ())
    lines = tuple(x for x in ((badge,), line, (studio.summary,) if studio.summary else ()) if x)
    return Card(u.page(studio_page(studio.slug)), None, studio.name, lines=lines)


def number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def figure_amount(fig: Figure) -> str:
    """300余份, 10项以上, 超过11.8万 — written the way the article writes them."""
    tile = figure_tile(fig)
    return f"{tile.before}{tile.value}{tile.after}"


@dataclass(frozen=True)
class Tile:
    """A headline number: the number large, the words around it small."""

    value: str
    label: str
    before: str = ""  # 近, 超过
    after: str = ""  # 余份, 名左右, 项以上


def figure_tile(fig: Figure) -> Tile:
    before = fig.qualifier if fig.qualifier in NUMBER_BEFORE else ""
    middle = fig.qualifier if fig.qualifier in AFTER_NUMBER else ""
    after = fig.qualifier if fig.qualifier in ("以上", "左右") else ""
    return Tile(number(fig.value), fig.prefix + fig.label, before, f"{middle}{fig.unit}{after}")


def figure_phrase(fig: Figure) -> str:
    """累计获授权专利证书300余份."""
    return f"{fig.prefix}{fig.label}{figure_amount(fig)}"


def rows(items: Iterable[tuple[str, Parts | str | None]]) -> list[tuple[str, Parts]]:
    """Fact rows (label, value) without the empty ones; a plain string is one text run."""
    out: list[tuple[str, Parts]] = []
    for label, value in items:
        if not value:
            continue
        out.append((label, (value,) if isinstance(value, str) else value))
    return out


def gallery(
    u: Urls, ex: Exhibition, folder: str, pictures: tuple[Picture, ...], name: str
) -> list[Box]:
    """Thumbnails that open the large size in a lightbox, with captions."""
    boxes = []
    for pic in pictures:
        result = ex.media.get(f"{folder}/{pic.file}", "picture")
        if not result or not result.outputs:
            continue
        alt = pic.alt or pic.caption or name
        inner = picture(
            u, folder, result, ("thumb", "large"), alt, sizes=THUMB_SIZES, css="sc-gallery-photo"
        )
        boxes.append(lightbox(u, folder, result, inner, pic.caption or "", folder))
    return boxes


def sources(items: tuple[Source, ...]) -> list[Parts]:
    out: list[Parts] = []
    for src in items:
        extra = "，".join(x for x in (src.publisher or "", src.date.zh() if src.date else "") if x)
        out.append([external(src.title, src.url), f"（{extra}）" if extra else ""])
    return out


def service_lines(items: tuple[Service, ...]) -> list[str]:
    lines = []
    for s in items:
        year = f"{s.year.zh()}，" if s.year else ""
        detail = f"：{s.detail}" if s.detail else ""
        lines.append(f"{year}{s.title}{detail}")
    return lines


_SLUGIFY = slugify(case="lower")


def anchor(value: str) -> str:
    """The id of a section heading, as the site's toc would make it (Chinese kept)."""
    return _SLUGIFY(value, "-")


def place_rows(u: Urls, district: str | None, industry: str | None) -> list[tuple[str, Parts]]:
    """地区/行业 rows linking to their section of the districts/industries page."""
    out: list[tuple[str, Parts]] = []
    for label, page, value in (("地区", "districts", district), ("行业", "industries", industry)):
        if value:
            out.append((label, (Link(f"{u.page(f'{page}/index.md')}#{anchor(value)}", value),)))
    return out
