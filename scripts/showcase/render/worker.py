"""The page of one worker: the model turned into plain data for `layouts/worker.html`."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from showcase.books import Library
from showcase.exhibition import Exhibition, pinyin_of
from showcase.markup import prose
from showcase.model import Picture, Worker
from showcase.render.books import story_cards
from showcase.render.common import (
    Inline,
    external,
    gallery,
    place_rows,
    portrait,
    rows,
    service_lines,
    sources,
    studio_card,
)
from showcase.render.html import render
from showcase.render.paths import Urls, worker_page
from showcase.render.pictures import THUMB_SIZES, Pic, picture
from showcase.render.qr import page_qr
from showcase.search_words import search_terms


@dataclass(frozen=True)
class VideoView:
    caption: str
    src: str = ""  # a local file, played in the page
    poster: str = ""
    link: Inline = ""  # an outside video: a poster card linking out
    thumb: Pic | None = None


@dataclass(frozen=True)
class Step:
    """One year on the honours timeline."""

    year: str
    honors: list[tuple[str, str, str]]  # (title, level key, "level · body")


def render_worker(ex: Exhibition, worker: Worker, library: Library | None = None) -> Markup:
    u = Urls(worker_page(worker.slug))
    folder = f"workers/{worker.slug}"
    facts = rows(
        [
            ("工作单位", worker.employer),
            ("职务", worker.position),
            *place_rows(u, worker.district, worker.industry),
            ("性别", worker.gender),
        ]
    )
    top = ex.top_honor(worker)
    pictures = tuple(Picture(file=a.image, caption=a.title) for a in worker.achievements if a.image)
    return render(
        "worker.html",
        w=worker,
        pinyin=pinyin_of(worker),
        kicker=top.title if top else "",
        photo=portrait(u, ex, worker, lazy=False, css="sc-portrait"),
        facts=facts,
        terms=" ".join(search_terms(worker)),
        timeline=timeline(ex, worker),
        bio=prose(worker.bio) if worker.bio else "",
        achievement_pictures=gallery(u, ex, folder, pictures, worker.name),
        studios=[
            studio_card(u, ex, s, "领衔人" if s.leader == worker.slug else "成员")
            for s in ex.studios_of(worker)
        ],
        services=service_lines(worker.services),
        stories=story_cards(u, library, worker),
        gallery=gallery(u, ex, folder, worker.gallery, worker.name)
        if worker.shows("gallery")
        else [],
        videos=videos(u, ex, worker) if worker.shows("videos") else [],
        sources=sources(worker.sources),
        qr=page_qr(ex.settings, worker_page(worker.slug), worker.slug, "A4"),
    )


def timeline(ex: Exhibition, worker: Worker) -> list[Step]:
    """Honours by year, oldest first (a working life read forward); undated ones last."""
    settings = ex.settings
    years: dict[str, list[tuple[int, str, str, str]]] = {}
    for h in worker.honors:
        level = settings.honor_level(h.title)
        year = str(h.year.year) if h.year else "年份未注明"
        detail = " · ".join(
            x
            for x in (level.name, h.year.zh() if h.year and h.year.month else "", h.body or "")
            if x
        )
        years.setdefault(year, []).append(
            (settings.honor_rank(h.title), h.title, level.key, detail)
        )
    order = sorted((y for y in years if y.isdigit()), key=int) + [
        y for y in years if not y.isdigit()
    ]
    return [Step(y, [(t, k, d) for _, t, k, d in sorted(years[y])]) for y in order]


def videos(u: Urls, ex: Exhibition, worker: Worker) -> list[VideoView]:
    """Local files play in the browser's own <video>; outside videos are poster links
    (no third-party iframe: privacy, and kiosks are offline)."""
    folder = f"workers/{worker.slug}"
    out = []
    for v in worker.videos:
        poster = ex.media.get(f"{folder}/{v.poster}", "picture") if v.poster else None
        large = next((o for o in poster.outputs if o.preset == "large"), None) if poster else None
        remuxed = ex.media.get(f"{folder}/{v.file}", "video") if v.file else None
        if remuxed and remuxed.outputs:
            out.append(
                VideoView(
                    v.caption or "视频",
                    src=u.file(f"{folder}/{remuxed.outputs[0].files[0]}"),
                    poster=u.file(f"{folder}/{large.files[1]}") if large else "",
                )
            )
        elif v.url:
            thumb = (
                picture(u, folder, poster, ("thumb",), v.caption or "视频封面", sizes=THUMB_SIZES)
                if poster and poster.outputs
                else None
            )
            out.append(
                VideoView(v.caption or "视频", link=external("观看视频", v.url), thumb=thumb)
            )
    return out
