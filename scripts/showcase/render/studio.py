"""The page of one studio or service team: data for `layouts/studio.html`."""

from __future__ import annotations

from markupsafe import Markup

from showcase.exhibition import Exhibition
from showcase.markup import prose
from showcase.model import Studio
from showcase.render.common import (
    figure_phrase,
    figure_tile,
    gallery,
    joined,
    place_rows,
    rows,
    service_lines,
    sources,
    worker_card,
    worker_link,
)
from showcase.render.html import render
from showcase.render.paths import Urls, studio_page
from showcase.render.qr import page_qr


def render_studio(ex: Exhibition, studio: Studio) -> Markup:
    u = Urls(studio_page(studio.slug))
    leader = ex.worker(studio.leader)
    members = ex.members_of(studio)
    people = [worker_card(u, ex, leader, lines=(("领衔人",),))] if leader else []
    people += [worker_card(u, ex, m) for m in members]
    facts = rows(
        [
            ("领衔人", [worker_link(u, leader)] if leader else None),
            ("成员", joined(worker_link(u, m) for m in members)),
            ("依托单位", studio.host),
            *place_rows(u, studio.district, studio.industry),
            ("成立", studio.founded.zh() if studio.founded else None),
        ]
    )
    return render(
        "studio.html",
        s=studio,
        facts=facts,
        people=people,
        tiles=[figure_tile(f) for f in studio.figures],
        sentence="，".join(figure_phrase(f) for f in studio.figures),
        recognitions=[
            (f"{r.date.zh()}，" if r.date else "")
            + (f"{r.body}命名为" if r.body else "")
            + f"「{r.title}」"
            for r in studio.recognitions
        ],
        standards=[f"{s.role or ''}{s.kind or ''}{s.title}" for s in studio.standards],
        services=service_lines(studio.services),
        description=prose(studio.description) if studio.description else "",
        gallery=gallery(u, ex, f"studios/{studio.slug}", studio.gallery, studio.name),
        sources=sources(studio.sources),
        qr=page_qr(ex.settings, studio_page(studio.slug), studio.slug, "A4"),
    )
