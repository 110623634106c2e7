"""Small pieces shared by every page: links, portraits, lists, figures."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from pymdownx.slugs import slugify

from showcase.exhibition import Exhibition, pinyin_of
from showcase.markup import attr, external_link, text
from showcase.model import Figure, Picture, Service, Source, Studio, Worker
from showcase.render.paths import rel, studio_page, worker_page
from showcase.render.pictures import CARD_SIZES, THUMB_SIZES, lightbox, picture

NUMBER_BEFORE = {"近", "超过"}
AFTER_NUMBER = {"余", "多"}


def worker_link(here: str, worker: Worker) -> str:
    return f"[{text(worker.name)}]({rel(here, worker_page(worker.slug))})"


def studio_link(here: str, studio: Studio) -> str:
    return f"[{text(studio.name)}]({rel(here, studio_page(studio.slug))})"


def portrait(here: str, ex: Exhibition, worker: Worker, *, lazy: bool = True, css: str) -> str:
    """The card-cropped portrait, or the designed placeholder when there is none to show."""
    folder = f"workers/{worker.slug}"
    if worker.portrait and worker.shows("portrait"):
        result = ex.media.get(f"{folder}/{worker.portrait}", "portrait")
        if result and result.outputs:
            return picture(
                here, folder, result, ("card",), worker.name, sizes=CARD_SIZES, lazy=lazy, css=css
            )
    loading = ' loading="lazy"' if lazy else ""
    return (
        f'<img src="{rel(here, f"{folder}/placeholder.svg")}" width="300" height="400"'
        f' alt="{attr(worker.name)}（暂无照片）" class="{css}"{loading}>'
    )


def needs_placeholder(worker: Worker) -> bool:
    return not (worker.portrait and worker.shows("portrait"))


def placeholder_svg(worker: Worker) -> bytes:
    """A designed stand-in: the surname on a colour derived from the slug."""
    hue = int(hashlib.sha256(worker.slug.encode()).hexdigest()[:4], 16) % 360
    glyph = attr(worker.name[:1])
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 400" width="300" height="400" '
        f'role="img" aria-label="{attr(worker.name)}（暂无照片）">'
        f'<rect width="300" height="400" fill="hsl({hue},45%,42%)"/>'
        f'<circle cx="150" cy="170" r="92" fill="hsl({hue},45%,52%)"/>'
        f'<text x="150" y="205" font-size="104" text-anchor="middle" fill="#fff" '
        f'font-family="sans-serif">{glyph}</text></svg>\n'
    )
    return svg.encode("utf-8")


def worker_card(here: str, ex: Exhibition, worker: Worker, extra: str = "") -> str:
    """A card: portrait, name with pinyin, top honour; `extra` is raw HTML (facets)."""
    top = ex.top_honor(worker)
    line = text(top.title) if top else text(worker.position or worker.summary or "")
    return (
        f"-   {portrait(here, ex, worker, css='sc-card-photo')}{extra}\n\n"
        f"    **{worker_link(here, worker)}**"
        f' <span class="sc-pinyin">{text(pinyin_of(worker))}</span>\n\n'
        f"    {line}\n"
    )


def cards(items: Iterable[str]) -> str:
    body = "\n".join(items)
    return f'<div class="grid cards sc-cards" markdown>\n\n{body}\n</div>\n' if body else ""


def number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def figure_amount(fig: Figure) -> str:
    """300余份, 10项以上, 超过11.8万 — written the way the article writes them."""
    before = fig.qualifier if fig.qualifier in NUMBER_BEFORE else ""
    middle = fig.qualifier if fig.qualifier in AFTER_NUMBER else ""
    after = fig.qualifier if fig.qualifier in ("以上", "左右") else ""
    return f"{before}{number(fig.value)}{middle}{fig.unit}{after}"


def figure_phrase(fig: Figure) -> str:
    """累计获授权专利证书300余份."""
    return f"{fig.prefix}{fig.label}{figure_amount(fig)}"


def facts(rows: Iterable[tuple[str, str | None]]) -> str:
    """A definition-like block of label：value lines; values are already Markdown."""
    lines = [f"**{label}**：{value}" for label, value in rows if value]
    return "  \n".join(lines) + "\n" if lines else ""


def gallery(
    here: str, ex: Exhibition, folder: str, pictures: tuple[Picture, ...], name: str
) -> str:
    """Thumbnails that open the large size in a lightbox, with captions."""
    items = []
    for pic in pictures:
        result = ex.media.get(f"{folder}/{pic.file}", "picture")
        if not result or not result.outputs:
            continue
        alt = pic.alt or pic.caption or name
        inner = picture(
            here, folder, result, ("thumb", "large"), alt, sizes=THUMB_SIZES, css="sc-gallery-photo"
        )
        caption = f"\n\n    {text(pic.caption)}" if pic.caption else ""
        items.append(
            f"-   {lightbox(here, folder, result, inner, pic.caption or '', folder)}{caption}\n"
        )
    return "## 相册\n\n" + cards(items) if items else ""


def sources(items: tuple[Source, ...]) -> str:
    if not items:
        return ""
    lines = []
    for src in items:
        title = external_link(src.title, src.url) if src.url else text(src.title)
        extra = "，".join(
            text(x) for x in (src.publisher or "", src.date.zh() if src.date else "") if x
        )
        lines.append(f"- {title}" + (f"（{extra}）" if extra else ""))
    return "## 资料来源\n\n" + "\n".join(lines) + "\n"


def section(title: str, body: str) -> str:
    return f"## {title}\n\n{body.rstrip()}\n" if body.strip() else ""


def join(*parts: str) -> str:
    return "\n".join(p.rstrip() + "\n" for p in parts if p and p.strip())


def service_list(items: tuple[Service, ...]) -> str:
    lines = []
    for s in items:
        year = f"{s.year.zh()}，" if s.year else ""
        detail = f"：{text(s.detail)}" if s.detail else ""
        lines.append(f"- {year}{text(s.title)}{detail}")
    return "\n".join(lines) + "\n" if lines else ""


_SLUGIFY = slugify(case="lower")


def place_rows(here: str, district: str | None, industry: str | None) -> list[tuple[str, str]]:
    """地区/行业 rows linking to their section (anchors made as the site's toc makes them)."""
    rows = []
    for label, page, value in (("地区", "districts", district), ("行业", "industries", industry)):
        target = f"{rel(here, f'{page}/index.md')}#{_SLUGIFY(value, '-')}" if value else ""
        rows.append((label, f"[{text(value)}]({target})" if value else ""))
    return rows
