"""The entrance (home page): a hero with the exhibition's title and image, the headline
counts, the halls, featured workers, the book shelf, the newest additions, the guide."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from showcase.books import Library
from showcase.exhibition import Exhibition
from showcase.halls import Halls
from showcase.model import Worker
from showcase.render.books import shelf_cards
from showcase.render.common import Card, Tile, studio_card, worker_card
from showcase.render.feed import FEED
from showcase.render.halls import hall_cards
from showcase.render.html import render
from showcase.render.paths import Urls
from showcase.render.pictures import Pic, picture
from showcase.validate import ENTRANCE

NEWEST = 8  # entries in 「最新上展」


@dataclass(frozen=True)
class Hero:
    title: str
    subtitle: str
    pic: Pic | None


def hero(u: Urls, ex: Exhibition) -> Hero:
    s = ex.settings
    result = ex.media.get(f"{ENTRANCE}/{s.hero_image}", "picture") if s.hero_image else None
    pic = None
    if result and result.outputs:
        folder = ENTRANCE.removeprefix("content/")
        pic = picture(
            u, folder, result, ("thumb", "large"), s.hero_alt, sizes="100vw", lazy=False,
            css="sc-entrance-image",
        )  # fmt: skip
    return Hero(s.site_title, s.subtitle or s.site_description, pic)


def newest(u: Urls, ex: Exhibition) -> list[Card]:
    """Entries with an `exhibited` date, newest first (ties in the exhibition's order)."""
    dated = [(e.exhibited, i, e) for i, e in enumerate((*ex.workers, *ex.studios)) if e.exhibited]
    dated.sort(key=lambda t: (-(t[0].year * 10000 + t[0].month * 100 + t[0].day), t[1]))  # type: ignore[union-attr]
    cards = []
    for when, _, entry in dated[:NEWEST]:
        line = (f"{when.zh()}上展",)  # type: ignore[union-attr]
        if isinstance(entry, Worker):
            cards.append(worker_card(u, ex, entry, lines=(line,)))
        else:
            card = studio_card(u, ex, entry)
            cards.append(Card(card.url, None, card.title, lines=(*card.lines, line)))
    return cards


# The visitor's guide links these pages (docs paths without .md)
GUIDE = {
    "workers": "workers/index",
    "honors": "honors/index",
    "by_year": "honors/by-year",
    "studios": "studios/index",
    "districts": "districts/index",
    "industries": "industries/index",
    "directory": "directory/index",
    "books": "books/index",
    "stats": "stats/index",
}


def home_page(
    ex: Exhibition, library: Library | None = None, halls: Halls | None = None
) -> tuple[Markup, Markup]:
    """The entrance, in two parts around the hand-written introduction: the hero (title,
    subtitle, image, headline counts) before it; after it the halls, featured workers,
    the book shelf, the newest additions, the numbers by level and the visitor's guide."""
    u = Urls("index.md")
    s = ex.settings
    honours = [
        (lv.name, sum(1 for w in ex.workers for h in w.honors if s.honor(h.title).level == lv.name))
        for lv in s.honor_levels
    ]
    levels = [
        (lv.name, sum(1 for st in ex.studios if st.level == lv.name)) for lv in s.studio_levels
    ]
    chapters = sum(len(library.of(b)) for b in library.books) if library else 0
    totals = [("位劳模工匠", len(ex.workers)), ("个工作室与服务队", len(ex.studios))]
    totals += [("篇作家笔下的故事", chapters)] if chapters else []
    groups = [
        ("荣誉（按级别）", [x for x in honours if x[1]]),
        ("工作室（按级别）", [x for x in levels if x[1]]),
    ]
    featured = [w for slug in s.featured if (w := ex.worker(slug))]
    top = render(
        "home_hero.html",
        hero=hero(u, ex),
        totals=[Tile(str(n), name) for name, n in totals],
    )
    rest = render(
        "home.html",
        groups=[(label, [Tile(str(n), name) for name, n in items]) for label, items in groups],
        halls=hall_cards(u, ex, halls) if halls else [],
        featured=[worker_card(u, ex, w) for w in featured],
        books=shelf_cards(u, ex, library) if library else [],
        newest=newest(u, ex),
        to={name: u.page(f"{path}.md") for name, path in GUIDE.items()},
        feed=u.file(FEED),
    )
    return top, rest
