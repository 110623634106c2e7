"""The halls' pages: the halls index, one page per hall, the guided tour on every exhibited
page, the hall cards (also for the home page) and the covers. Plain data for the templates
`halls.html`, `hall.html` and `tour.html`; nothing here writes HTML."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from showcase.artifact import Artifact, page
from showcase.books import Chapter, Library
from showcase.exhibition import Exhibition
from showcase.halls import HALLS_DIR, Hall, HallItem, Halls, Kind
from showcase.images import Result
from showcase.markup import prose
from showcase.media import CACHE_DIR
from showcase.render.books import chapter_page, cover, writer_names
from showcase.render.common import Card, Link, anchor, cover_picture, draft_banner, worker_card
from showcase.render.html import render
from showcase.render.paths import Urls, studio_page, worker_page
from showcase.render.pictures import THUMB_SIZES, Pic, picture
from showcase.render.qr import page_qr, qr_file

HALLS_INDEX = "halls/index.md"
COVER_SIZES = "(max-width: 700px) 100vw, 600px"
HERO_SIZES = "(max-width: 1220px) 100vw, 1200px"
HALL_HIDE = ("navigation", "toc")  # a hall is a wide page of its own
KIND_LABELS = {"worker": "劳模", "studio": "工作室", "chapter": "文章"}


def hall_page(slug: str) -> str:
    return f"halls/{slug}/index.md"


def render_halls(root: Path, ex: Exhibition, library: Library, halls: Halls) -> list[Artifact]:
    """The index (always there: it is in the nav), each hall's page and its files."""
    out = [page(HALLS_INDEX, halls_index(ex, halls), "展厅", hide=("toc",))]
    for hall in halls.halls:
        body = draft_banner(hall.publish, "这个展厅") + render_hall(ex, library, hall)
        out.append(page(hall_page(hall.slug), body, hall.title, hide=HALL_HIDE))
        out += hall_files(root, ex, hall)
        out.append(qr_file(ex.settings, hall_page(hall.slug)))
    return out


# -- cards --------------------------------------------------------------------------------


def hall_cover(u: Urls, ex: Exhibition, hall: Hall, *, lazy: bool = True, sizes: str = "") -> Pic:
    """The cover through the media pipeline, or the designed stand-in (cover.svg)."""
    return cover_picture(
        u,
        f"halls/{hall.slug}",
        cover_result(ex, hall),
        f"展厅「{hall.title}」封面",
        (1200, 675, "示意图"),
        sizes=sizes or COVER_SIZES,
        css="sc-hall-cover",
        lazy=lazy,
    )


def cover_result(ex: Exhibition, hall: Hall) -> Result | None:
    if not hall.cover:
        return None
    result = ex.media.get(f"{HALLS_DIR}/{hall.slug}/{hall.cover}", "picture")
    return result if result and result.outputs else None


def hall_cards(u: Urls, ex: Exhibition, halls: Halls) -> list[Card]:
    """A card per published hall, in hall order: cover, title, subtitle, number of exhibits.
    For any page (`u` is that page's Urls): the halls index, and the home page."""
    cards = []
    for hall in halls.halls:
        count = f"{len(hall.exhibits)} 件展品"
        lines = ((hall.subtitle,), (count,)) if hall.subtitle else ((count,),)
        cards.append(
            Card(u.page(hall_page(hall.slug)), hall_cover(u, ex, hall), hall.title, lines=lines)
        )
    return cards


def halls_index(ex: Exhibition, halls: Halls) -> Markup:
    u = Urls(HALLS_INDEX)
    count = len(halls.halls)
    intro = f"共 {count} 个展厅。每个展厅是一组按顺序参观的劳模、工作室和文章。" if count else ""
    return render("halls.html", intro=intro, cards=hall_cards(u, ex, halls))


# -- one hall -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exhibit:
    """One exhibit on a hall page: its card (linking with the hall as context), its kind
    and place in the tour, and the curator's note."""

    number: int
    kind: str
    card: Card
    note: str


@dataclass(frozen=True)
class Part:
    title: str
    id: str
    intro: Markup | str
    exhibits: list[Exhibit]


def render_hall(ex: Exhibition, library: Library, hall: Hall) -> Markup:
    u = Urls(hall_page(hall.slug))
    number = iter(range(1, len(hall.exhibits) + 1))

    def shown(items: tuple[HallItem, ...]) -> list[Exhibit]:
        return [
            Exhibit(next(number), KIND_LABELS[item.key[0]], card, item.note or "")
            for item in items
            if (card := exhibit_card(u, ex, library, hall, item))
        ]

    items = shown(hall.items)
    parts = [
        Part(s.title, anchor(s.title), prose(s.intro) if s.intro else "", shown(s.items))
        for s in hall.sections
    ]
    first = hall.exhibits[0] if hall.exhibits else None
    return render(
        "hall.html",
        hall=hall,
        cover=hall_cover(u, ex, hall, lazy=False, sizes=HERO_SIZES),
        intro=prose(hall.intro) if hall.intro else "",
        total=len(hall.exhibits),
        start=stop_link(u, ex, library, hall, first) if first else None,
        index=u.page(HALLS_INDEX),
        items=items,
        parts=parts,
        qr=page_qr(ex.settings, hall_page(hall.slug), hall.slug, "A3"),
    )


def with_hall(url: str, hall: Hall) -> str:
    """A link to an exhibit that carries the hall it is visited from."""
    return f"{url}?hall={hall.slug}"


def exhibit_card(
    u: Urls, ex: Exhibition, library: Library, hall: Hall, item: HallItem
) -> Card | None:
    kind, target = item.key
    if kind == "worker":
        worker = ex.worker(target)
        if worker is None:
            return None
        card = worker_card(u, ex, worker)
        return dataclasses.replace(card, url=with_hall(card.url, hall))
    if kind == "studio":
        studio = ex.studio(target)
        if studio is None:
            return None
        leader = ex.worker(studio.leader)
        lines = [(studio.level or studio.kind,)]
        if leader:
            lines.append((f"领衔人：{leader.name}",))
        return Card(
            with_hall(u.page(studio_page(studio.slug)), hall),
            studio_picture(u, ex, studio.slug),
            studio.name,
            lines=tuple(lines),
        )
    chapter = find_chapter(library, target)
    if chapter is None:
        return None
    book = library.book(chapter.book)
    return Card(
        with_hall(u.page(chapter_page(chapter)), hall),
        cover(u, ex, book),
        chapter.title,
        lines=((f"《{book.title}》",), (f"文／{writer_names(chapter)}",)),
    )


def studio_picture(u: Urls, ex: Exhibition, slug: str) -> Pic | None:
    """The first photo of a studio's gallery, if it has one."""
    studio = ex.studio(slug)
    for pic in studio.gallery if studio else ():
        folder = f"studios/{slug}"
        result = ex.media.get(f"{folder}/{pic.file}", "picture")
        if result and result.outputs:
            alt = pic.alt or pic.caption or (studio.name if studio else "")
            return picture(
                u, folder, result, ("thumb",), alt, sizes=THUMB_SIZES, css="sc-gallery-photo"
            )
    return None


def find_chapter(library: Library, target: str) -> Chapter | None:
    book, stem = target.split("/", 1)
    return next((c for c in library.chapters.get(book, ()) if c.stem == stem), None)


# -- the guided tour ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tour:
    """One hall's tour as shown on an exhibit's page."""

    slug: str
    title: str
    hall: str  # URL of the hall page
    number: int
    total: int
    before: Link | None
    after: Link | None


def stop_target(ex: Exhibition, library: Library, item: HallItem) -> tuple[str, str] | None:
    """The docs page and the title of an exhibit."""
    kind, target = item.key
    if kind == "worker":
        worker = ex.worker(target)
        return (worker_page(worker.slug), worker.name) if worker else None
    if kind == "studio":
        studio = ex.studio(target)
        return (studio_page(studio.slug), studio.name) if studio else None
    chapter = find_chapter(library, target)
    return (chapter_page(chapter), chapter.title) if chapter else None


def stop_link(
    u: Urls, ex: Exhibition, library: Library, hall: Hall, item: HallItem | None
) -> Link | None:
    found = stop_target(ex, library, item) if item else None
    return Link(with_hall(u.page(found[0]), hall), found[1]) if found else None


def tour(
    ex: Exhibition, library: Library, halls: Halls, kind: Kind, target: str, here: str
) -> Markup:
    """The tour navigation of every hall a page is exhibited in (empty if none): the
    first hall's is shown, the others are `hidden` until showcase.js picks the one named
    in `?hall=`."""
    stops = halls.stops(kind, target)
    if not stops:
        return Markup("")
    u = Urls(here)
    tours = [
        Tour(
            s.hall.slug,
            s.hall.title,
            u.page(hall_page(s.hall.slug)),
            s.index + 1,
            s.total,
            stop_link(u, ex, library, s.hall, s.before),
            stop_link(u, ex, library, s.hall, s.after),
        )
        for s in stops
    ]
    return render("tour.html", tours=tours)


def with_tour(tour_html: Markup, body: Markup) -> Markup:
    """The tour block before a page's body: two raw HTML blocks separated by a blank line,
    both passed through by MkDocs' Markdown untouched."""
    return tour_html + Markup("\n\n") + body if tour_html else body


# -- files --------------------------------------------------------------------------------


def hall_files(root: Path, ex: Exhibition, hall: Hall) -> list[Artifact]:
    """The cover's derivatives, or the stand-in cover.svg."""
    folder = f"halls/{hall.slug}"
    result = cover_result(ex, hall)
    if result is None:
        return [Artifact(f"{folder}/cover.svg", cover_svg(hall))]
    return [
        Artifact(f"{folder}/{name}", source=root / CACHE_DIR / name)
        for output in result.outputs
        for name in output.files
    ]


def cover_svg(hall: Hall) -> bytes:
    """A designed stand-in cover: the title on a colour derived from the slug."""
    hue = int(hashlib.sha256(hall.slug.encode()).hexdigest()[:4], 16) % 360
    lines = [hall.title[i : i + 14] for i in range(0, min(len(hall.title), 42), 14)]
    return (render("hall-cover.svg", hue=hue, title=hall.title, lines=lines) + "\n").encode()
