"""The statistics page: the exhibition's numbers as charts and tables, computed from data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from showcase.exhibition import Exhibition
from showcase.render.charts import bars, pyramid
from showcase.render.html import render
from showcase.render.opendata import DATA_DIR
from showcase.render.paths import Urls

UNKNOWN = "未注明"


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup
    rows: list[tuple[str, int]]
    head: tuple[str, str]
    note: str = ""


def by_top_level(ex: Exhibition) -> list[tuple[str, int]]:
    """Each worker once, at the level of their highest honour."""
    counts: Counter[str] = Counter()
    for w in ex.workers:
        top = ex.top_honor(w)
        counts[ex.settings.honor_level(top.title).name if top else "暂无荣誉记录"] += 1
    names = [lv.name for lv in ex.settings.honor_levels] + ["暂无荣誉记录"]
    return [(n, counts[n]) for n in names if counts[n]]


def by_field(ex: Exhibition, field: str, vocab: tuple[str, ...]) -> list[tuple[str, int]]:
    counts = Counter(getattr(w, field) or UNKNOWN for w in ex.workers)
    return [(n, counts[n]) for n in (*vocab, UNKNOWN) if counts[n]]


def by_year(ex: Exhibition) -> list[tuple[str, int]]:
    counts = Counter(h.year.year for w in ex.workers for h in w.honors if h.year)
    return [(f"{y}年", counts[y]) for y in sorted(counts)]


def studios_by_level(ex: Exhibition) -> list[tuple[str, int]]:
    counts = Counter(s.level for s in ex.studios if s.level)
    return [(lv.name, counts[lv.name]) for lv in ex.settings.studio_levels]


def stats_page(ex: Exhibition) -> Markup:
    s = ex.settings
    specs = [
        ("劳模工匠：按最高荣誉级别", "c-level", bars, by_top_level(ex), ("级别", "人数")),
        ("劳模工匠：按地区", "c-district", bars, by_field(ex, "district", s.districts), ("地区", "人数")),
        ("劳模工匠：按行业", "c-industry", bars, by_field(ex, "industry", s.industries), ("行业", "人数")),
        ("荣誉：按获得年份", "c-year", bars, by_year(ex), ("年份", "荣誉数")),
        ("展出的工作室：按级别", "c-studios", pyramid, studios_by_level(ex), ("级别", "个数")),
    ]  # fmt: skip
    charts = [
        Chart(title, draw(chart_id, title.replace("：", ""), rows), rows, head)
        for title, chart_id, draw, rows, head in specs
        if rows
    ]
    reported = [(r.level, r.count) for r in s.reported_studios]
    if reported:
        title = f"{s.association}公布的工作室"
        svg = pyramid("c-reported", "协会公布的工作室按级别", reported)
        charts.append(Chart(title, svg, reported, ("级别", "个数"), s.reported_studios_note))
    intro = (
        f"本页数字由展出的 {len(ex.workers)} 位劳模工匠、{len(ex.studios)} 个"
        "工作室与服务队的档案自动计算。"
    )
    return render("stats.html", intro=intro, charts=charts, data=open_data_links())


def open_data_links() -> list[tuple[str, list[tuple[str, str]]]]:
    """「开放数据」: each file of data/ with its twin and its schema, as relative links."""
    u = Urls("stats/index.md")
    return [
        (label, [(kind, u.file(f"{DATA_DIR}/{name}")) for kind, name in files])
        for label, files in (
            ("劳模工匠名录", [("JSON", "workers.json"), ("CSV", "workers.csv"),
                              ("字段说明", "opendata-workers.schema.json")]),
            ("工作室名录", [("JSON", "studios.json"), ("CSV", "studios.csv"),
                            ("字段说明", "opendata-studios.schema.json")]),
        )
    ]  # fmt: skip
