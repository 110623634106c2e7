"""The statistics page: the exhibition's numbers as charts and tables, computed from data."""

from __future__ import annotations

from collections import Counter

from showcase.exhibition import Exhibition
from showcase.markup import text
from showcase.render.charts import bars, pyramid, table

UNKNOWN = "未注明"


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


def chart_section(
    title: str, chart: str, rows: list[tuple[str, int]], head: tuple[str, str]
) -> str:
    if not rows:
        return ""
    return f"## {title}\n\n{chart}\n\n{table(rows, head)}"


def stats_page(ex: Exhibition) -> str:
    s = ex.settings
    parts = [
        "# 数据统计\n",
        f"本页数字由展出的 {len(ex.workers)} 位劳模工匠、{len(ex.studios)} 个工作室与服务队的档案自动计算。\n",
        chart_section(
            "劳模工匠：按最高荣誉级别",
            bars("c-level", "劳模工匠按最高荣誉级别", by_top_level(ex)),
            by_top_level(ex),
            ("级别", "人数"),
        ),
        chart_section(
            "劳模工匠：按地区",
            bars("c-district", "劳模工匠按地区", by_field(ex, "district", s.districts)),
            by_field(ex, "district", s.districts),
            ("地区", "人数"),
        ),
        chart_section(
            "劳模工匠：按行业",
            bars("c-industry", "劳模工匠按行业", by_field(ex, "industry", s.industries)),
            by_field(ex, "industry", s.industries),
            ("行业", "人数"),
        ),
        chart_section(
            "荣誉：按获得年份",
            bars("c-year", "荣誉按获得年份", by_year(ex)),
            by_year(ex),
            ("年份", "荣誉数"),
        ),
        chart_section(
            "展出的工作室：按级别",
            pyramid("c-studios", "展出的工作室按级别", studios_by_level(ex)),
            studios_by_level(ex),
            ("级别", "个数"),
        ),
    ]
    reported = [(r.level, r.count) for r in s.reported_studios]
    if reported:
        note = f"{text(s.reported_studios_note)}\n\n" if s.reported_studios_note else ""
        parts.append(
            chart_section(
                f"{text(s.association)}公布的工作室",
                pyramid("c-reported", "协会公布的工作室按级别", reported),
                reported,
                ("级别", "个数"),
            )
            + "\n"
            + note
        )
    return "\n".join(p for p in parts if p)
