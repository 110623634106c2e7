"""Render stage: pure functions from the model to artifacts (Markdown, images, assets)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from showcase.artifact import Artifact, page
from showcase.books import BOOKS_DIR, Library
from showcase.exhibition import Exhibition
from showcase.media import CACHE_DIR, image_refs
from showcase.model import Studio, Worker
from showcase.render.books import render_books
from showcase.render.common import needs_placeholder, placeholder_svg
from showcase.render.home import home_page
from showcase.render.indexes import index_pages
from showcase.render.paths import studio_page, worker_page
from showcase.render.studio import render_studio
from showcase.render.worker import render_worker
from showcase.tree import hand_written_files
from showcase.validate import ENTRANCE

STATIC = ("showcase.css", "showcase.js")
WIDE = ("navigation", "toc")  # exhibition pages: no documentation sidebars
WORKER_BOOST, STUDIO_BOOST = 3, 2  # a person's own page first, then their studio
SCOPES = {"portrait": "portrait", "gallery": "gallery", "videos": "videos"}


def render_all(root: Path, ex: Exhibition, library: Library | None = None) -> list[Artifact]:
    """Every file of the docs tree, in a deterministic order."""
    out: list[Artifact] = []
    content = root / "content"
    intro_file = content / "index.md"
    # The home page's introduction is a hand-written (trusted) Markdown page between the
    # generated hero and the rest of the entrance.
    intro = intro_file.read_text("utf-8") if intro_file.is_file() else ""
    hero, entrance = home_page(ex, library)
    out.append(page("index.md", entrance, intro=intro, lead=hero, hide=WIDE))
    out.extend(hero_files(root, ex))
    for path, html in index_pages(ex).items():
        out.append(page(path, html, hide=WIDE if path == "workers/index.md" else ()))
    for worker in ex.workers:
        out.append(
            page(
                worker_page(worker.slug),
                render_worker(ex, worker, library),
                worker.name,
                WORKER_BOOST,
                hide=WIDE,
            )
        )
        out.extend(media(root, ex, "workers", worker))
        if needs_placeholder(worker):
            out.append(Artifact(f"workers/{worker.slug}/placeholder.svg", placeholder_svg(worker)))
    for studio in ex.studios:
        out.append(
            page(
                studio_page(studio.slug),
                render_studio(ex, studio),
                studio.name,
                STUDIO_BOOST,
                hide=WIDE,
            )
        )
        out.extend(media(root, ex, "studios", studio))
    out.extend(render_books(root, ex, library or Library()))
    out.extend(hand_written(content))
    for name in STATIC:
        data = resources.files("showcase.static").joinpath(name).read_bytes()
        out.append(Artifact(f"assets/{name}", data))
    return sorted(out, key=lambda a: a.path)


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
    """Pages and assets written by hand under content/, except the home intro and the
    books (content/books/ is rendered from its book.yml and chapters) and the entrance's
    hero image (content/entrance/, published only as derivatives).

    Only regular files are published (tree.hand_written_files never follows a symlink and
    never opens a FIFO or device); validation reports any other kind of entry as an error."""
    files = hand_written_files(content) if content.is_dir() else []
    return [
        Artifact(p.relative_to(content).as_posix(), source=p)
        for p in files
        if p.relative_to(content).as_posix() != "index.md"
        and not p.is_relative_to(content.parent / BOOKS_DIR)
        and not p.is_relative_to(content.parent / ENTRANCE)
    ]
