"""Gallery filters: facet values on each card and the form that filters them.

Without JavaScript the form stays hidden and the static index pages (districts,
industries, honour rolls) do the same job; with it, filtering is instant and the state
lives in the URL query (showcase.js)."""

from __future__ import annotations

import json

from markupsafe import Markup

from showcase.exhibition import Exhibition
from showcase.model import Worker
from showcase.render.html import render

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


def facets_of(ex: Exhibition, worker: Worker) -> tuple[tuple[str, str], ...]:
    """The card's data-* values, each a JSON array (a value may hold any character)."""
    values = facet_values(ex, worker)
    return tuple((name, json.dumps(values[name], ensure_ascii=False)) for name, _ in FACETS)


def filter_form(ex: Exhibition) -> Markup:
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
    selects = [
        (name, label, [v for v in order[name] if v in present[name]])
        for name, label in FACETS
        if present[name]
    ]
    return render("filter.html", selects=selects)
