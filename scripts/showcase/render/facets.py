"""Gallery filters: facet values on each card and the form that filters them.

Without JavaScript the form stays hidden and the static index pages (districts,
industries, honour rolls) do the same job; with it, filtering is instant and the state
lives in the URL query (showcase.js)."""

from __future__ import annotations

from showcase.exhibition import Exhibition
from showcase.markup import attr
from showcase.model import Worker

FACETS = (("level", "荣誉级别"), ("district", "地区"), ("industry", "行业"), ("year", "荣誉年份"))


def facet_values(ex: Exhibition, worker: Worker) -> dict[str, list[str]]:
    s = ex.settings
    return {
        "level": sorted(
            {s.honor_level(h.title).name for h in worker.honors},
            key=[lv.name for lv in s.honor_levels].index,
        ),
        "district": [worker.district] if worker.district else [],
        "industry": [worker.industry] if worker.industry else [],
        "year": sorted({str(h.year.year) for h in worker.honors if h.year}),
    }


def facet_span(ex: Exhibition, worker: Worker) -> str:
    values = facet_values(ex, worker)
    data = "".join(f' data-{name}="{attr("|".join(values[name]))}"' for name, _ in FACETS)
    return f'<span class="sc-facets"{data} hidden></span>'


def filter_form(ex: Exhibition) -> str:
    """One select per facet, listing only values some worker has."""
    present: dict[str, set[str]] = {name: set() for name, _ in FACETS}
    for worker in ex.workers:
        for name, values in facet_values(ex, worker).items():
            present[name].update(values)
    s = ex.settings
    order = {
        "level": [lv.name for lv in s.honor_levels],
        "district": list(s.districts),
        "industry": list(s.industries),
        "year": sorted(present["year"], reverse=True),
    }
    selects = []
    for name, label in FACETS:
        options = [v for v in order[name] if v in present[name]]
        if not options:
            continue
        items = "".join(f'<option value="{attr(v)}">{attr(v)}</option>' for v in options)
        selects.append(
            f'<label>{label} <select name="{name}"><option value="">全部</option>{items}</select></label>'
        )
    return (
        '<form class="sc-filter" hidden role="search" aria-label="筛选劳模">'
        + "".join(selects)
        + '<button type="reset" class="md-button">清除</button> <output class="sc-filter-count"></output></form>'
    )
