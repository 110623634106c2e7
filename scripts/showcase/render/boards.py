"""Printable exhibition boards: an A4 board per worker and per studio, an A3 board per hall.

This module only computes data and renders the boards' HTML from the autoescaped
templates `layouts/board-*.html` (through `render()`, so `check_html` guards them like every
page). Turning the HTML into PDF is pdf.py's work. A board shows public fields of published
entries only (the exhibition holds nothing else), the portrait only with consent, and its
images are the media step's derivatives, never an original. Every file a board may load is
named here (`Board.files`, `Board.blobs`): the PDF maker refuses any other URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from showcase.books import Library
from showcase.exhibition import Exhibition, pinyin_of
from showcase.halls import Hall, Halls
from showcase.images import Result
from showcase.markup import prose
from showcase.media import CACHE_DIR
from showcase.model import Studio, Worker
from showcase.render.common import figure_tile, needs_placeholder, placeholder_svg
from showcase.render.halls import KIND_LABELS, cover_result, find_chapter, hall_page
from showcase.render.html import render
from showcase.render.paths import absolute_url, studio_page, worker_page
from showcase.render.qr import BOARD_FILE, QR_FILE, qr_svg
from showcase.render.worker import timeline

BoardKind = Literal["worker", "studio", "hall"]
PAPER: dict[BoardKind, str] = {"worker": "A4", "studio": "A4", "hall": "A3"}
FOLDERS: dict[BoardKind, str] = {"worker": "workers", "studio": "studios", "hall": "halls"}
MAX_HONORS, MAX_STUDIOS, MAX_PEOPLE, MAX_FIGURES, MAX_LINES = 8, 3, 8, 6, 5
NOTE_CHARS = 40
EXCERPT_CHARS = 150  # the first paragraph of a bio or description, when the board has room
ROOM = 4  # a worker's board has room for the bio's excerpt up to this many honours + studios
MAX_EXHIBITS = 12  # two rows of six on the A3 board; the QR code leads to the rest


@dataclass(frozen=True)
class Board:
    """One board: its HTML and the files it may load, by the names the HTML uses."""

    kind: BoardKind
    slug: str
    title: str
    html: str
    files: tuple[tuple[str, str], ...] = ()  # (name, path of a media derivative)
    blobs: tuple[tuple[str, bytes], ...] = ()  # (name, bytes): the QR code, a placeholder

    @property
    def paper(self) -> str:
        return PAPER[self.kind]

    @property
    def path(self) -> str:
        """Where the PDF goes in the site (with `boards: true`): beside the page."""
        return board_path(self.kind, self.slug)

    @property
    def file(self) -> str:
        """Where `showcase boards` puts it, under build/boards/: workers/zhou-gang.pdf."""
        return f"{FOLDERS[self.kind]}/{self.slug}.pdf"


@dataclass(frozen=True)
class Shown:
    """An image on a board: the name the HTML loads it by, and its size."""

    src: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Person:
    name: str
    line: str
    photo: Shown


@dataclass(frozen=True)
class Item:
    """One exhibit on a hall's board."""

    number: int
    kind: str
    title: str
    line: str
    note: str
    photo: Shown | None


class Files:
    """The files one board loads: derivatives from the media cache, generated blobs."""

    def __init__(self, root: Path) -> None:
        self.cache = root / CACHE_DIR
        self.files: dict[str, str] = {}
        self.blobs: dict[str, bytes] = {}

    def derivative(self, result: Result, preset: str, alt: str) -> Shown | None:
        """The JPEG of one preset (WeasyPrint embeds JPEG as it is)."""
        output = next((o for o in result.outputs if o.preset == preset), None)
        if output is None:
            return None
        name = output.files[1]
        self.files[name] = str(self.cache / name)
        return Shown(name, output.width, output.height, alt)

    def blob(self, name: str, data: bytes, width: int, height: int, alt: str) -> Shown:
        self.blobs[name] = data
        return Shown(name, width, height, alt)

    def portrait(self, ex: Exhibition, worker: Worker) -> Shown:
        """The card crop with consent, else the page's designed placeholder."""
        if not needs_placeholder(worker):
            result = ex.media.get(f"workers/{worker.slug}/{worker.portrait}", "portrait")
            shown = self.derivative(result, "card", worker.name) if result else None
            if shown:
                return shown
        name = f"placeholder-{worker.slug}.svg"
        return self.blob(name, placeholder_svg(worker), 300, 400, f"{worker.name}（暂无照片）")

    def studio_photo(self, ex: Exhibition, studio: Studio, preset: str) -> Shown | None:
        """The first photo of a studio's gallery, if it has one."""
        for pic in studio.gallery:
            result = ex.media.get(f"studios/{studio.slug}/{pic.file}", "picture")
            if result and result.outputs:
                return self.derivative(result, preset, pic.alt or pic.caption or studio.name)
        return None

    def board(self, kind: BoardKind, slug: str, title: str, html: str) -> Board:
        return Board(
            kind,
            slug,
            title,
            html,
            tuple(sorted(self.files.items())),
            tuple(sorted(self.blobs.items())),
        )


def common(ex: Exhibition, files: Files, page: str) -> dict[str, object]:
    """What every board prints: the exhibition's name and the page's QR code."""
    settings = ex.settings
    url = absolute_url(settings.site_url, page)
    files.blob(QR_FILE, qr_svg(url), 1, 1, "")
    return {
        "exhibition": settings.site_title,
        "association": settings.association,
        "qr": QR_FILE,
        "url": url,
    }


def worker_board(root: Path, ex: Exhibition, worker: Worker) -> Board:
    files = Files(root)
    top = ex.top_honor(worker)
    honors = [
        (s.year if s.year.isdigit() else "", title, detail)
        for s in timeline(ex, worker)
        for title, _, detail in s.honors
    ]
    honors.reverse()  # on a board the latest honour leads
    studios = [
        (s.name, "领衔人" if s.leader == worker.slug else "成员") for s in ex.studios_of(worker)
    ]
    html = render(
        "board-worker.html",
        w=worker,
        size=size(worker.name, 4, 8),
        pinyin=pinyin_of(worker),
        kicker=top.title if top else "",
        photo=files.portrait(ex, worker),
        work=" · ".join(x for x in (worker.employer, worker.position) if x),
        honors=honors[:MAX_HONORS],
        more_honors=max(len(honors) - MAX_HONORS, 0),
        studios=studios[:MAX_STUDIOS],
        bio=excerpt(worker.bio) if len(honors) + len(studios) <= ROOM else "",
        **common(ex, files, worker_page(worker.slug)),
    )
    return files.board("worker", worker.slug, worker.name, html)


def studio_board(root: Path, ex: Exhibition, studio: Studio) -> Board:
    files = Files(root)
    leader = ex.worker(studio.leader)
    people = [(leader, "领衔人")] if leader else []
    people += [
        (m, top.title if (top := ex.top_honor(m)) else "成员") for m in ex.members_of(studio)
    ]
    photo = files.studio_photo(ex, studio, "large")
    recognitions = [
        (f"{r.date.zh()} " if r.date else "") + f"{r.body or ''}「{r.title}」"
        for r in studio.recognitions
    ]
    html = render(
        "board-studio.html",
        s=studio,
        size=size(studio.name, 12, 24),
        badges=[x for x in (studio.level, studio.kind) if x],
        facts=[
            (label, value)
            for label, value in (
                ("依托单位", studio.host),
                ("成立", studio.founded.zh() if studio.founded else None),
                ("地区", studio.district),
            )
            if value
        ],
        tiles=[figure_tile(f) for f in studio.figures[:MAX_FIGURES]],
        people=[Person(w.name, line, files.portrait(ex, w)) for w, line in people[:MAX_PEOPLE]],
        recognitions=recognitions[:MAX_LINES],
        photo=photo,
        description=excerpt(studio.description) if len(people) <= ROOM and not photo else "",
        **common(ex, files, studio_page(studio.slug)),
    )
    return files.board("studio", studio.slug, studio.name, html)


def hall_board(root: Path, ex: Exhibition, library: Library, hall: Hall) -> Board:
    files = Files(root)
    result = cover_result(ex, hall)
    cover = files.derivative(result, "large", f"展厅「{hall.title}」封面") if result else None
    items = []
    for number, item in enumerate(hall.exhibits[:MAX_EXHIBITS], 1):
        found = exhibit(ex, library, files, item.key)
        if found:
            title, line, photo = found
            items.append(
                Item(number, KIND_LABELS[item.key[0]], title, line, clip(item.note or ""), photo)
            )
    html = render(
        "board-hall.html",
        hall=hall,
        size=size(hall.title, 10, 20),
        cover=cover,
        intro=prose(hall.intro) if hall.intro else "",
        total=len(hall.exhibits),
        items=items,
        **common(ex, files, hall_page(hall.slug)),
    )
    return files.board("hall", hall.slug, hall.title, html)


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> Markup | str:
    """The first paragraph of a Markdown field (a bio, a description), cut after the last
    full sentence that fits, rendered as sanitised prose; "" when there is none."""
    first = next(
        (p.strip() for p in (text or "").split("\n\n") if p.strip()[:1] not in "#-*>|"), ""
    )
    if len(first) > limit:
        end = max(first.rfind(mark, 0, limit) for mark in "。！？")
        first = first[: end + 1] if end > 0 else clip(first, limit)
    return prose(first) if first else ""


def size(text: str, large: int, medium: int) -> str:
    """The type size of a name or title on a board by its length: l, m or s (board.css)."""
    return "l" if len(text) <= large else "m" if len(text) <= medium else "s"


def clip(text: str, limit: int = NOTE_CHARS) -> str:
    """A curator's note cut to what a card on the board holds."""
    return text if len(text) <= limit else text[: limit - 1].rstrip("，。、；：") + "……"


def exhibit(
    ex: Exhibition, library: Library, files: Files, key: tuple[str, str]
) -> tuple[str, str, Shown | None] | None:
    """(title, line, picture) of one exhibit of a hall."""
    kind, target = key
    if kind == "worker":
        worker = ex.worker(target)
        if worker is None:
            return None
        top = ex.top_honor(worker)
        return (
            worker.name,
            top.title if top else (worker.position or ""),
            files.portrait(ex, worker),
        )
    if kind == "studio":
        studio = ex.studio(target)
        if studio is None:
            return None
        return studio.name, studio.level or studio.kind, files.studio_photo(ex, studio, "thumb")
    chapter = find_chapter(library, target)
    if chapter is None:
        return None
    return chapter.title, f"《{library.book(chapter.book).title}》", None


def board_path(kind: BoardKind, slug: str) -> str:
    return f"{FOLDERS[kind]}/{slug}/{BOARD_FILE}"


def board_paths(ex: Exhibition, halls: Halls) -> list[str]:
    """Where all_boards' PDFs go in the site, without rendering them (`showcase check`)."""
    return (
        [board_path("worker", w.slug) for w in ex.workers if w.publish]
        + [board_path("studio", s.slug) for s in ex.studios if s.publish]
        + [board_path("hall", h.slug) for h in halls.halls]
    )


def all_boards(
    root: Path,
    ex: Exhibition,
    library: Library,
    halls: Halls,
    only: tuple[BoardKind, str] | None = None,
) -> list[Board]:
    """Every published worker's, studio's and hall's board (or the one `only` names)."""
    boards: list[Board] = []
    for worker in ex.workers:
        if worker.publish and only in (None, ("worker", worker.slug)):
            boards.append(worker_board(root, ex, worker))
    for studio in ex.studios:
        if studio.publish and only in (None, ("studio", studio.slug)):
            boards.append(studio_board(root, ex, studio))
    for hall in halls.halls:
        if only in (None, ("hall", hall.slug)):
            boards.append(hall_board(root, ex, library, hall))
    return boards
