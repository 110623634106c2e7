"""Render stage: pure functions from the model to artifacts (Markdown, images, assets)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from markupsafe import Markup

from showcase import stripmeta
from showcase.artifact import Artifact, page
from showcase.books import BOOKS_DIR, Chapter, Library
from showcase.exhibition import Exhibition
from showcase.halls import HALLS_DIR, Halls, Kind
from showcase.media import CACHE_DIR, image_refs
from showcase.model import Studio, Worker
from showcase.render.books import chapter_page, render_books
from showcase.render.common import draft_banner, needs_placeholder, placeholder_svg
from showcase.render.feed import FEED, feed
from showcase.render.halls import render_halls, tour, with_tour
from showcase.render.home import home_page
from showcase.render.indexes import index_pages
from showcase.render.opendata import open_data
from showcase.render.paths import for_the_kiosk, studio_page, worker_page
from showcase.render.qr import prepare, qr_file
from showcase.render.share import share_files
from showcase.render.studio import render_studio
from showcase.render.worker import render_worker
from showcase.tree import hand_written_files
from showcase.validate import ENTRANCE

STATIC = ("showcase.css", "halls.css", "showcase.js")
KIOSK_STATIC = ("iframe-worker.js",)  # the offline kiosk's search worker, from file://
WIDE = ("navigation", "toc")  # exhibition pages: no documentation sidebars
WORKER_BOOST, STUDIO_BOOST = 3, 2  # a person's own page first, then their studio
SCOPES = {"portrait": "portrait", "gallery": "gallery", "videos": "videos"}


def render_all(
    root: Path, ex: Exhibition, library: Library | None = None, halls: Halls | None = None
) -> list[Artifact]:
    """Every file of the docs tree, in a deterministic order.

    A page exhibited in a hall gets the hall's guided tour (layouts/tour.html) as a raw
    HTML block of its own before its body."""
    out: list[Artifact] = []
    library = library or Library()
    halls = halls or Halls()

    def toured(kind: Kind, target: str, here: str, body: Markup) -> Markup:
        return with_tour(tour(ex, library, halls, kind, target, here), body)

    def chapter_tour(chapter: Chapter, body: Markup) -> Markup:
        target = f"{chapter.book}/{chapter.stem}"
        return toured("chapter", target, chapter_page(chapter), body)

    content = root / "content"
    intro_file = content / "index.md"
    # The home page's introduction is a hand-written (trusted) Markdown page between the
    # generated hero and the rest of the entrance.
    intro = intro_file.read_text("utf-8") if intro_file.is_file() else ""
    hero, entrance = home_page(ex, library, halls)
    pages = [worker_page(w.slug) for w in ex.workers] + [studio_page(s.slug) for s in ex.studios]
    prepare(ex.settings, pages)  # their QR codes, on every core when many are new
    out.append(page("index.md", entrance, intro=intro, lead=hero, hide=WIDE))
    out.extend(hero_files(root, ex))
    for path, html in index_pages(ex).items():
        out.append(page(path, html, hide=WIDE if path == "workers/index.md" else ()))
    for worker in ex.workers:
        here = worker_page(worker.slug)
        body = toured("worker", worker.slug, here, render_worker(ex, worker, library))
        body = draft_banner(worker.publish, "这份劳模档案") + body
        out.append(page(here, body, worker.name, WORKER_BOOST, hide=WIDE))
        out.append(qr_file(ex.settings, here))
        out.extend(media(root, ex, "workers", worker))
        if needs_placeholder(worker):
            out.append(Artifact(f"workers/{worker.slug}/placeholder.svg", placeholder_svg(worker)))
    for studio in ex.studios:
        here = studio_page(studio.slug)
        body = toured("studio", studio.slug, here, render_studio(ex, studio))
        body = draft_banner(studio.publish, "这份工作室档案") + body
        out.append(page(here, body, studio.name, STUDIO_BOOST, hide=WIDE))
        out.append(qr_file(ex.settings, here))
        out.extend(media(root, ex, "studios", studio))
    out.extend(render_books(root, ex, library, chapter_tour))
    out.extend(render_halls(root, ex, library, halls))
    out.extend(hand_written(content))
    if not for_the_kiosk():  # share cards are for links shared from the web site
        out.extend(share_files(root, ex))
    out.append(Artifact(FEED, feed(ex, library, halls)))
    out.extend(open_data(ex))
    out.extend(static_files(STATIC))
    return sorted(out, key=lambda a: a.path)


def static_files(names: tuple[str, ...]) -> list[Artifact]:
    folder = resources.files("showcase.static")
    return [Artifact(f"assets/{name}", folder.joinpath(name).read_bytes()) for name in names]


def kiosk_files() -> list[Artifact]:
    """Files only the offline kiosk's docs tree holds."""
    return static_files(KIOSK_STATIC)


def hero_files(root: Path, ex: Exhibition) -> list[Artifact]:
    """The derivatives of the entrance's hero image (never the original file)."""
    hero = ex.settings.hero_image
    result = ex.media.get(f"{ENTRANCE}/{hero}", "picture") if hero else None
    names = [name for o in result.outputs for name in o.files] if result else []
    folder = ENTRANCE.removeprefix("content/")
    return [Artifact(f"{folder}/{name}", source=root / CACHE_DIR / name) for name in names]


def shown(entry: Worker | Studio, field: str) -> bool:
    """Whether the publishing basis covers the part of the profile a field belongs to."""
    if isinstance(entry, Studio):
        return True
    return entry.shows(SCOPES.get(field.split("[")[0], "profile"))  # type: ignore[arg-type]


def media(root: Path, ex: Exhibition, kind: str, entry: Worker | Studio) -> list[Artifact]:
    """Derivatives of the images an entry shows, and the remuxes of its local videos."""
    folder = f"{kind}/{entry.slug}"
    files: dict[str, Path] = {}
    for ref in image_refs(entry, kind):
        result = ex.media.get(ref.source, ref.role)
        if result is None or not shown(entry, ref.field):
            continue
        for output in result.outputs:
            for name in output.files:
                files[name] = root / CACHE_DIR / name
    if isinstance(entry, Worker) and entry.shows("videos"):
        for video in entry.videos:
            remuxed = ex.media.get(f"{folder}/{video.file}", "video") if video.file else None
            for name in remuxed.outputs[0].files if remuxed and remuxed.outputs else ():
                files[name] = root / CACHE_DIR / name
    return [Artifact(f"{folder}/{name}", source=path) for name, path in sorted(files.items())]


def hand_written(content: Path) -> list[Artifact]:
    """Pages and assets written by hand under content/, except the home intro, the books
    and the halls (content/books/ and content/halls/ are rendered from their YAML) and
    the entrance's hero image (content/entrance/, published only as derivatives).

    Only regular files are published (tree.hand_written_files never follows a symlink and
    never opens a FIFO or device); validation reports any other kind of entry as an error.
    Pictures lose their metadata (GPS, device, XMP), not their pixels (as_is)."""
    files = hand_written_files(content) if content.is_dir() else []
    return [
        as_is(p.relative_to(content).as_posix(), p)
        for p in files
        if p.relative_to(content).as_posix() != "index.md"
        and not p.is_relative_to(content.parent / BOOKS_DIR)
        and not p.is_relative_to(content.parent / ENTRANCE)
        and not p.is_relative_to(content.parent / HALLS_DIR)
    ]


def as_is(path: str, source: Path) -> Artifact:
    """A hand-written file, copied; a JPEG, PNG or WebP without its metadata
    (stripmeta.py: the same bytes object back when there is none to drop)."""
    if not path.lower().endswith(tuple(stripmeta.SUFFIXES)):
        return Artifact(path, source=source)
    data = source.read_bytes()
    clean = stripmeta.stripped(path, data)
    return Artifact(path, source=source) if clean is data else Artifact(path, clean)
