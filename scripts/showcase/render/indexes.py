"""Generated index pages: the gallery, honour rolls, places, trades, A–Z, studios, home."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from showcase.exhibition import Exhibition, pinyin_of
from showcase.model import Studio, Worker
from showcase.pinyin import letter
from showcase.render.common import (
    Card,
    Link,
    Parts,
    anchor,
    joined,
    studio_card,
    studio_link,
    worker_card,
    worker_link,
)
from showcase.render.facets import facets_of, filter_form
from showcase.render.html import render
from showcase.render.paths import Urls
from showcase.render.stats import stats_page

UNKNOWN_YEAR = "年份未注明"


@dataclass(frozen=True)
class Section:
    title: str
    id: str
    note: Parts = ()
    cards: list[Card] = field(default_factory=list)
    items: list[Parts] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


def index_page(title: str, css: str, **parts: object) -> Markup:
    context = {"intro": (), "jump": [], "form": "", "cards": [], "sections": [], "empty": ""}
    return render("index.html", title=title, css=css, **(context | parts))


def gallery_page(ex: Exhibition) -> Markup:
    u = Urls("workers/index.md")
    intro = [
        f"共 {len(ex.workers)} 位劳模工匠，按姓名拼音排列。也可",
        Link(u.page("districts/index.md"), "按地区"),
        "、",
        Link(u.page("industries/index.md"), "按行业"),
        "、",
        Link(u.page("honors/index.md"), "按荣誉"),
        "浏览。",
    ]
    cards = [worker_card(u, ex, w, facets_of(ex, w)) for w in ex.workers]
    return index_page("劳模风采", "sc-gallery-page", intro=intro, form=filter_form(ex), cards=cards)


def honors_by_level(ex: Exhibition) -> Markup:
    u = Urls("honors/index.md")
    s = ex.settings
    sections = []
    for level in s.honor_levels:
        children = []
        for title in (h for h in s.honors if h.level == level.name):
            holders = [(w, h) for w in ex.workers for h in w.honors if h.title == title.title]
            if holders:
                items: list[Parts] = [
                    [worker_link(u, w), f"（{h.year.zh()}）" if h.year else ""] for w, h in holders
                ]
                note = (f"共 {len(holders)} 位",)
                children.append(Section(title.title, anchor(title.title), note, items=items))
        if children:
            sections.append(Section(level.name, anchor(level.name), children=children))
    intro = ["按荣誉级别排列；", Link(u.page("honors/by-year.md"), "按年份查看"), "。"]
    return index_page("荣誉榜", "sc-honors", intro=intro, sections=sections)


def honors_by_year(ex: Exhibition) -> Markup:
    u = Urls("honors/by-year.md")
    years: dict[str, list[Parts]] = defaultdict(list)
    for w in ex.workers:
        for h in sorted(w.honors, key=lambda h: ex.settings.honor_rank(h.title)):
            key = f"{h.year.year}年" if h.year else UNKNOWN_YEAR
            years[key].append([worker_link(u, w), f"：{h.title}"])
    order = sorted((y for y in years if y != UNKNOWN_YEAR), reverse=True)
    order += [UNKNOWN_YEAR] if UNKNOWN_YEAR in years else []
    sections = [Section(y, anchor(y), items=years[y]) for y in order]
    intro = ["按获得荣誉的年份排列；", Link(u.page("honors/index.md"), "按级别查看"), "。"]
    jump = [Link(f"#{anchor(y)}", y.removesuffix("年")) for y in order]
    return index_page("荣誉年表", "sc-honors", intro=intro, jump=jump, sections=sections)


def grouped_page(
    ex: Exhibition,
    here: str,
    title: str,
    vocab: tuple[str, ...],
    key: Callable[[Worker | Studio], str | None],
) -> Markup:
    """Workers and studios grouped by a vocabulary field (district, industry)."""
    u = Urls(here)
    sections = []
    for value in (*vocab, None):
        workers = [w for w in ex.workers if key(w) == value]
        studios = [s for s in ex.studios if key(s) == value]
        if not workers and not studios:
            continue
        name = value or "未注明"
        note: list[str | Link] = [f"{len(workers)} 位劳模，{len(studios)} 个工作室与服务队"]
        if studios:
            note += ["。工作室：", *joined(studio_link(u, s) for s in studios)]
        cards = [worker_card(u, ex, w) for w in workers]
        sections.append(Section(name, anchor(name), tuple(note), cards=cards))
    jump = [Link(f"#{s.id}", s.title) for s in sections]
    return index_page(title, "sc-grouped", jump=jump, sections=sections)


def directory_page(ex: Exhibition) -> Markup:
    u = Urls("directory/index.md")
    groups: dict[str, list[Worker]] = defaultdict(list)
    for w in ex.workers:
        groups[letter(pinyin_of(w))].append(w)
    sections = []
    for key, workers in sorted(groups.items()):
        label = key if key != "#" else "其他"
        items: list[Parts] = [[worker_link(u, w), f" {pinyin_of(w)}"] for w in workers]
        sections.append(Section(label, label.lower(), items=items))
    jump = [Link(f"#{s.id}", s.title) for s in sections]
    return index_page("姓名拼音索引", "sc-directory", jump=jump, sections=sections)


def studios_page(ex: Exhibition) -> Markup:
    u = Urls("studios/index.md")
    groups: list[tuple[str, list[Studio]]] = [
        (level.name, [s for s in ex.studios if s.level == level.name])
        for level in ex.settings.studio_levels
    ]
    for kind in ex.settings.studio_kinds:
        groups.append(
            (
                kind if kind != "创新工作室" else "级别未注明的工作室",
                [s for s in ex.studios if not s.level and s.kind == kind],
            )
        )
    sections = [
        Section(
            name,
            anchor(name),
            (f"共 {len(studios)} 个",),
            cards=[studio_card(u, ex, s) for s in studios],
        )
        for name, studios in groups
        if studios
    ]
    return index_page("创新工作室", "sc-studios", sections=sections)


def index_pages(ex: Exhibition) -> dict[str, Markup]:
    s = ex.settings
    return {
        "workers/index.md": gallery_page(ex),
        "honors/index.md": honors_by_level(ex),
        "honors/by-year.md": honors_by_year(ex),
        "districts/index.md": grouped_page(
            ex, "districts/index.md", "按地区浏览", s.districts, lambda e: e.district
        ),
        "industries/index.md": grouped_page(
            ex, "industries/index.md", "按行业浏览", s.industries, lambda e: e.industry
        ),
        "directory/index.md": directory_page(ex),
        "studios/index.md": studios_page(ex),
        "stats/index.md": stats_page(ex),
    }
