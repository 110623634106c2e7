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


def _entry(
    site_url: str,
    page: str,
    title: str,
    category: str,
    summary: str,
    dates: list[PartialDate | None],
) -> Entry | None:
    known = sorted(d for d in dates if d is not None)
    if not known:
        return None
    url = absolute_url(site_url, page)
    first = dates[0] or known[0]
    return Entry(url, url, title, stamp(first), stamp(known[-1]), category, summary)


def entries(ex: Exhibition, library: Library, halls: Halls) -> list[Entry]:
    """Every dated published entry, newest update first, then by address."""
    s = ex.settings
    out: list[Entry | None] = []
    for w in ex.workers:
        if w.publish:
            top = ex.top_honor(w)
            said = w.summary or " · ".join(t for t in (top.title if top else None, w.employer) if t)
            out.append(
                _entry(
                    s.site_url,
                    worker_page(w.slug),
                    w.name,
                    "劳模工匠",
                    said,
                    [w.exhibited, w.updated],
                )
            )
    for st in ex.studios:
        if st.publish:
            said = st.summary or " · ".join(t for t in (st.level, st.kind, st.host) if t)
            out.append(
                _entry(
                    s.site_url,
                    studio_page(st.slug),
                    st.name,
                    st.kind,
                    said,
                    [st.exhibited, st.updated],
                )
            )
    for hall in halls.halls:
        out.append(
            _entry(
                s.site_url,
                hall_page(hall.slug),
                hall.title,
                "展厅",
                hall.subtitle or "",
                [hall.exhibited],
            )
        )
    for book in library.books:
        out.append(
            _entry(
                s.site_url,
                book_page(book.slug),
                book.title,
                "书架",
                book.subtitle or "",
                [book.year],
            )
        )
        for chapter in library.of(book):
            said = chapter.info.summary or f"{book.title} · {'、'.join(chapter.info.writer)}"
            out.append(
                _entry(s.site_url, chapter_page(chapter), chapter.title, "书架", said, [book.year])
            )
    found = [e for e in out if e is not None]
    found.sort(key=lambda e: e.url)
    found.sort(key=lambda e: e.updated, reverse=True)
    return found[:LIMIT]


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
