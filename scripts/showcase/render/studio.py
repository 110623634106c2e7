"""The page of one studio or service team."""

from __future__ import annotations

from showcase.exhibition import Exhibition
from showcase.markup import prose, text
from showcase.model import Studio
from showcase.render.common import (
    facts,
    figure_amount,
    figure_phrase,
    gallery,
    join,
    place_rows,
    section,
    service_list,
    sources,
    worker_link,
)
from showcase.render.paths import studio_page


def render_studio(ex: Exhibition, studio: Studio) -> str:
    here = studio_page(studio.slug)
    return join(
        f"# {text(studio.name)}",
        badges(studio),
        text(studio.summary or ""),
        people(ex, studio, here),
        section("主要数字", figures(studio)),
        section("命名与表彰", recognitions(studio)),
        section("标准", standards(studio)),
        section("服务的重大工程", "、".join(text(p.name) for p in studio.projects)),
        section("服务记录", service_list(studio.services)),
        section("介绍", prose(studio.description) if studio.description else ""),
        gallery(here, ex, f"studios/{studio.slug}", studio.gallery, studio.name),
        sources(studio.sources),
    )


def badges(studio: Studio) -> str:
    items = [f'<span class="sc-badge">{text(studio.kind)}</span>']
    if studio.level:
        items.append(f'<span class="sc-badge sc-badge-level">{text(studio.level)}</span>')
    return f'<p class="sc-badges">{"".join(items)}</p>'


def people(ex: Exhibition, studio: Studio, here: str) -> str:
    leader = ex.worker(studio.leader)
    members = ex.members_of(studio)
    rows = [
        ("领衔人", worker_link(here, leader) if leader else ""),
        ("成员", "、".join(worker_link(here, m) for m in members)),
        ("依托单位", text(studio.host or "")),
        *place_rows(here, studio.district, studio.industry),
        ("成立", studio.founded.zh() if studio.founded else ""),
    ]
    return facts(rows)


def figures(studio: Studio) -> str:
    if not studio.figures:
        return ""
    tiles = "".join(
        f'<div class="sc-figure"><span class="sc-figure-value">{text(figure_amount(f))}</span>'
        f'<span class="sc-figure-label">{text(f.prefix + f.label)}</span></div>'
        for f in studio.figures
    )
    sentence = "，".join(text(figure_phrase(f)) for f in studio.figures)
    return f'<div class="sc-figures">{tiles}</div>\n\n{sentence}。\n'


def recognitions(studio: Studio) -> str:
    lines = []
    for r in studio.recognitions:
        when = f"{r.date.zh()}，" if r.date else ""
        body = f"{text(r.body)}命名为" if r.body else ""
        lines.append(f"- {when}{body}「{text(r.title)}」")
    return "\n".join(lines) + "\n" if lines else ""


def standards(studio: Studio) -> str:
    lines = [f"- {text(s.role or '')}{text(s.kind or '')}{text(s.title)}" for s in studio.standards]
    return "\n".join(lines) + "\n" if lines else ""
