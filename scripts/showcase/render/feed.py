"""The Atom feed (feed.xml at the site root): newly exhibited and updated entries.

Deterministic: every date comes from the data (a worker's or studio's `exhibited` and
`updated`, a hall's `exhibited`, a book's `year`, its chapters with it), never from the
clock, and entries without a date are left out. Only published entries, only public
values: titles and the one-line summaries the pages show. Written by an autoescaped
template (layouts/feed.xml) and parsed back before it is kept.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from showcase.books import Library
from showcase.dates import PartialDate
from showcase.exhibition import Exhibition
from showcase.halls import Halls
from showcase.render.books import book_page, chapter_page
from showcase.render.halls import hall_page
from showcase.render.html import _ENV
from showcase.render.paths import absolute_url, studio_page, worker_page
from showcase.render.share import descriptions

FEED = "feed.xml"
LIMIT = 100  # the newest entries; a reader that polls keeps the older ones
EPOCH = "2000-01-01T00:00:00Z"  # the feed's date when nothing in it is dated


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    published: str
    updated: str
    category: str
    summary: str


def stamp(date: PartialDate) -> str:
    """A partial date as an Atom date: its first day, at midnight UTC."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def entries(ex: Exhibition, library: Library, halls: Halls) -> list[Entry]:
    """Every dated published entry, newest update first, then by address. Titles and
    summaries are the share previews' (render/share.py descriptions)."""
    said = descriptions(ex, library, halls)
    dated: list[tuple[str, str, list[PartialDate | None]]] = []
    dated += [
        (worker_page(w.slug), "劳模工匠", [w.exhibited, w.updated]) for w in ex.workers if w.publish
    ]
    dated += [
        (studio_page(s.slug), s.kind, [s.exhibited, s.updated]) for s in ex.studios if s.publish
    ]
    dated += [(hall_page(h.slug), "展厅", [h.exhibited]) for h in halls.halls]
    for book in library.books:
        pages = [book_page(book.slug), *(chapter_page(c) for c in library.of(book))]
        dated += [(page, "书架", [book.year]) for page in pages]
    out = []
    for page, category, dates in dated:
        known = sorted(d for d in dates if d is not None)
        if not known:
            continue
        url = absolute_url(ex.settings.site_url, page)
        title, summary, _ = said[page]
        first = dates[0] or known[0]
        out.append(Entry(url, url, title, stamp(first), stamp(known[-1]), category, summary))
    out.sort(key=lambda e: e.url)
    out.sort(key=lambda e: e.updated, reverse=True)
    return out[:LIMIT]


def feed(ex: Exhibition, library: Library, halls: Halls) -> bytes:
    s = ex.settings
    items = entries(ex, library, halls)
    xml = _ENV.get_template("feed.xml").render(
        id=s.site_url,
        title=s.site_title,
        subtitle=s.site_description,
        updated=max((e.updated for e in items), default=EPOCH),
        author=s.association,
        self_url=absolute_url(s.site_url, FEED),
        icon=absolute_url(s.site_url, "assets/images/favicon.png"),
        entries=items,
    )
    data = (xml + "\n").encode("utf-8")
    ET.fromstring(data)  # well-formed, or the build stops here (a bug in our template)
    return data
