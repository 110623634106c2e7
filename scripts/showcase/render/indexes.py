"""Generated index pages: the gallery, honour rolls, places, trades, A–Z, studios."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from showcase.exhibition import Exhibition, pinyin_of
from showcase.markup import text
from showcase.model import Studio, Worker
from showcase.pinyin import letter
from showcase.render.common import cards, studio_link, worker_card, worker_link
from showcase.render.facets import facet_span, filter_form
from showcase.render.stats import stats_page

UNKNOWN_YEAR = "年份未注明"


def gallery_page(ex: Exhibition) -> str:
    here = "workers/index.md"
    body = cards(worker_card(here, ex, w, facet_span(ex, w)) for w in ex.workers)
    also = "也可[按地区](../districts/index.md)、[按行业](../industries/index.md)、[按荣誉](../honors/index.md)浏览。"
    intro = f"共 {len(ex.workers)} 位劳模工匠，按姓名拼音排列。{also}"
    return f"# 劳模风采\n\n{intro}\n\n{filter_form(ex)}\n\n{body}"


def honors_by_level(ex: Exhibition) -> str:
    here, out = "honors/index.md", ["# 荣誉榜\n\n按荣誉级别排列；[按年份查看](by-year.md)。\n"]
    s = ex.settings
    for level in s.honor_levels:
        titles = [h for h in s.honors if h.level == level.name]
        blocks = []
        for title in titles:
            holders = [(w, h) for w in ex.workers for h in w.honors if h.title == title.title]
            if holders:
                items = [
                    f"- {worker_link(here, w)}" + (f"（{h.year.zh()}）" if h.year else "")
                    for w, h in holders
                ]
                blocks.append(
                    f"### {text(title.title)}\n\n共 {len(holders)} 位\n\n" + "\n".join(items) + "\n"
                )
        if blocks:
            out.append(f"## {text(level.name)}\n\n" + "\n".join(blocks))
    return "\n".join(out)


def honors_by_year(ex: Exhibition) -> str:
    here = "honors/by-year.md"
    years: dict[str, list[str]] = defaultdict(list)
    for w in ex.workers:
        for h in sorted(w.honors, key=lambda h: ex.settings.honor_rank(h.title)):
            key = f"{h.year.year}年" if h.year else UNKNOWN_YEAR
            years[key].append(f"- {worker_link(here, w)}：{text(h.title)}")
    order = sorted((y for y in years if y != UNKNOWN_YEAR), reverse=True)
    order += [UNKNOWN_YEAR] if UNKNOWN_YEAR in years else []
    body = "\n".join(f"## {y}\n\n" + "\n".join(years[y]) + "\n" for y in order)
    return f"# 荣誉年表\n\n按获得荣誉的年份排列；[按级别查看](index.md)。\n\n{body}"


def grouped_page(
    ex: Exhibition,
    here: str,
    title: str,
    vocab: tuple[str, ...],
    key: Callable[[Worker | Studio], str | None],
) -> str:
    """Workers and studios grouped by a vocabulary field (district, industry)."""
    out = [f"# {title}\n"]
    for value in (*vocab, None):
        workers = [w for w in ex.workers if key(w) == value]
        studios = [s for s in ex.studios if key(s) == value]
        if not workers and not studios:
            continue
        out.append(
            f"## {text(value) if value else '未注明'}\n\n{len(workers)} 位劳模，{len(studios)} 个工作室与服务队\n"
        )
        out.append(cards(worker_card(here, ex, w) for w in workers))
        if studios:
            out.append("工作室：" + "、".join(studio_link(here, s) for s in studios) + "\n")
    return "\n".join(out)


def directory_page(ex: Exhibition) -> str:
    here = "directory/index.md"
    groups: dict[str, list[Worker]] = defaultdict(list)
    for w in ex.workers:
        groups[letter(pinyin_of(w))].append(w)
    label = {k: k if k != "#" else "其他" for k in groups}
    jump = " ".join(f"[{label[k]}](#{label[k].lower()})" for k in sorted(groups))
    sections = [
        f"## {label[k]}\n\n"
        + "\n".join(
            f'- {worker_link(here, w)} <span class="sc-pinyin">{text(pinyin_of(w))}</span>'
            for w in ws
        )
        for k, ws in sorted(groups.items())
    ]
    return "# 姓名拼音索引\n\n" + jump + "\n\n" + "\n\n".join(sections) + "\n"


def studio_card(here: str, ex: Exhibition, studio: Studio) -> str:
    leader = ex.worker(studio.leader)
    line = f"领衔人：{worker_link(here, leader)}" if leader else text(studio.kind)
    summary = f"\n\n    {text(studio.summary)}" if studio.summary else ""
    return f"-   **{studio_link(here, studio)}**\n\n    {line}{summary}\n"


def studios_page(ex: Exhibition) -> str:
    here = "studios/index.md"
    out = ["# 创新工作室\n"]
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
    for name, studios in groups:
        if studios:
            out.append(
                f"## {text(name)}\n\n共 {len(studios)} 个\n\n"
                + cards(studio_card(here, ex, s) for s in studios)
            )
    return "\n".join(out)


def counted(label: str, items: Iterable[tuple[str, int]]) -> str:
    cells = "".join(
        f'<div class="sc-figure"><span class="sc-figure-value">{n}</span><span class="sc-figure-label">{text(name)}</span></div>'
        for name, n in items
    )
    return f'### {label}\n\n<div class="sc-figures">{cells}</div>\n'


def home_page(ex: Exhibition, intro: str) -> str:
    s = ex.settings
    honours = [
        (lv.name, sum(1 for w in ex.workers for h in w.honors if s.honor(h.title).level == lv.name))
        for lv in s.honor_levels
    ]
    levels = [
        (lv.name, sum(1 for st in ex.studios if st.level == lv.name)) for lv in s.studio_levels
    ]
    totals = [("位劳模工匠", len(ex.workers)), ("个工作室与服务队", len(ex.studios))]
    return "\n".join(
        [
            intro.rstrip() + "\n",
            "## 展览概况\n",
            counted("总数", totals),
            counted("荣誉（按级别）", [x for x in honours if x[1]]),
            counted("工作室（按级别）", [x for x in levels if x[1]]),
            "## 参观指南\n",
            "- [劳模风采](workers/index.md)：全部劳模工匠的照片墙",
            "- [荣誉榜](honors/index.md)：按级别和[年份](honors/by-year.md)排列的荣誉",
            "- [创新工作室](studios/index.md)：按级别排列的工作室与服务队",
            "- [地区](districts/index.md)、[行业](industries/index.md)、[拼音索引](directory/index.md)\n",
        ]
    )


def index_pages(ex: Exhibition, intro: str) -> dict[str, str]:
    s = ex.settings
    return {
        "index.md": home_page(ex, intro),
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
