"""The page of one worker."""

from __future__ import annotations

from urllib.parse import quote

from showcase.books import Library
from showcase.exhibition import Exhibition, pinyin_of
from showcase.markup import attr, external_link, prose, text
from showcase.model import Picture, Worker
from showcase.render.books import stories
from showcase.render.common import (
    cards,
    facts,
    gallery,
    join,
    place_rows,
    portrait,
    section,
    service_list,
    sources,
    studio_link,
)
from showcase.render.paths import worker_page
from showcase.render.pictures import THUMB_SIZES, picture
from showcase.search_words import search_terms


def render_worker(ex: Exhibition, worker: Worker, library: Library | None = None) -> str:
    here = worker_page(worker.slug)
    return join(
        f"# {text(worker.name)}",
        f'<p class="sc-pinyin" lang="zh-Latn" data-pagefind-weight="5">{text(pinyin_of(worker))}</p>',
        header(ex, worker, here),
        f'<p class="sc-search-terms" aria-hidden="true" data-pagefind-weight="5">{text(" ".join(search_terms(worker)))}</p>',
        section("荣誉", honors(ex, worker)),
        section("事迹", prose(worker.bio) if worker.bio else ""),
        section("成果", achievements(here, ex, worker)),
        section("创新工作室", studios(ex, worker, here)),
        section("服务", service_list(worker.services)),
        stories(library, worker),
        gallery(here, ex, f"workers/{worker.slug}", worker.gallery, worker.name)
        if worker.shows("gallery")
        else "",
        section("视频", videos(here, ex, worker)) if worker.shows("videos") else "",
        section("标签", "、".join(text(t) for t in worker.tags)),
        sources(worker.sources),
    )


def header(ex: Exhibition, worker: Worker, here: str) -> str:
    photo = portrait(here, ex, worker, lazy=False, css="sc-portrait")
    rows = [
        ("工作单位", text(worker.employer or "")),
        ("职务", text(worker.position or "")),
        *place_rows(here, worker.district, worker.industry),
        ("性别", worker.gender or ""),
    ]
    summary = f"\n{text(worker.summary)}\n" if worker.summary else ""
    return (
        '<div class="sc-profile" markdown>\n\n'
        f"{photo}\n\n"
        f'<div class="sc-facts" markdown>\n\n{facts(rows)}{summary}\n</div>\n\n</div>\n'
    )


def honors(ex: Exhibition, worker: Worker) -> str:
    settings = ex.settings
    out = []
    for level in settings.honor_levels:
        mine = sorted(
            (h for h in worker.honors if settings.honor(h.title).level == level.name),
            key=lambda h: settings.honor_rank(h.title),
        )
        if not mine:
            continue
        lines = []
        for h in mine:
            extra = "，".join(x for x in (h.year.zh() if h.year else "", text(h.body or "")) if x)
            lines.append(f"- {text(h.title)}" + (f"（{extra}）" if extra else ""))
        out.append(f"### {text(level.name)}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(out)


def achievements(here: str, ex: Exhibition, worker: Worker) -> str:
    if not worker.achievements:
        return ""
    rows = ["| 类型 | 名称 | 年份 | 说明 |", "| --- | --- | --- | --- |"]
    for a in worker.achievements:
        year = a.year.zh() if a.year else ""
        rows.append(f"| {text(a.kind)} | {text(a.title)} | {year} | {text(a.detail or '')} |")
    pictures = tuple(Picture(file=a.image, caption=a.title) for a in worker.achievements if a.image)
    shown = gallery(here, ex, f"workers/{worker.slug}", pictures, worker.name)
    return "\n".join(rows) + "\n" + shown.replace("## 相册", "### 成果图片", 1)


def studios(ex: Exhibition, worker: Worker, here: str) -> str:
    lines = []
    for studio in ex.studios_of(worker):
        role = "领衔人" if studio.leader == worker.slug else "成员"
        lines.append(f"- {studio_link(here, studio)}（{role}）")
    return "\n".join(lines) + "\n" if lines else ""


def videos(here: str, ex: Exhibition, worker: Worker) -> str:
    """Local files play in the browser's own <video>; outside videos are poster links
    (no third-party iframe: privacy, and kiosks are offline)."""
    folder = f"workers/{worker.slug}"
    items = []
    for v in worker.videos:
        poster = ex.media.get(f"{folder}/{v.poster}", "picture") if v.poster else None
        large = next((o for o in poster.outputs if o.preset == "large"), None) if poster else None
        caption = text(v.caption or "视频")
        if v.file:
            poster_attr = f' poster="{attr(large.files[1])}"' if large else ""
            items.append(
                f'<figure class="sc-video"><video controls preload="none" src="{attr(quote(v.file))}"'
                f"{poster_attr}></video><figcaption>{caption}</figcaption></figure>"
            )
        elif v.url:
            thumb = (
                picture(
                    here, folder, poster, ("thumb",), v.caption or "视频封面", sizes=THUMB_SIZES
                )
                if poster and poster.outputs
                else ""
            )
            items.append(
                f"-   {thumb}\n\n    {external_link(v.caption or '观看视频', v.url)}（外部网站）\n"
            )
    local = "\n\n".join(i for i in items if i.startswith("<figure"))
    remote = cards(i for i in items if i.startswith("-"))
    return "\n\n".join(x for x in (local, remote) if x)
