"""Render stage: pure functions from the model to artifacts (Markdown, copies, assets)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from showcase.artifact import Artifact, page
from showcase.exhibition import Exhibition
from showcase.render.common import placeholder_svg, studio_page, worker_page
from showcase.render.indexes import index_pages
from showcase.render.studio import render_studio
from showcase.render.worker import render_worker
from showcase.walk import walk

STATIC = ("showcase.css",)
SCOPES = {"portrait": "portrait", "gallery": "gallery", "videos": "videos"}


def render_all(root: Path, ex: Exhibition) -> list[Artifact]:
    """Every file of the docs tree, in a deterministic order."""
    out: list[Artifact] = []
    content = root / "content"
    intro_file = content / "index.md"
    intro = (
        intro_file.read_text("utf-8") if intro_file.is_file() else f"# {ex.settings.site_title}\n"
    )
    for path, markdown in index_pages(ex, intro).items():
        out.append(page(path, markdown))
    for worker in ex.workers:
        out.append(page(worker_page(worker.slug), render_worker(ex, worker), worker.name))
        out.extend(media(root, "workers", worker))
        if not (worker.portrait and worker.shows("portrait")):
            out.append(Artifact(f"workers/{worker.slug}/placeholder.svg", placeholder_svg(worker)))
    for studio in ex.studios:
        out.append(page(studio_page(studio.slug), render_studio(ex, studio), studio.name))
        out.extend(media(root, "studios", studio))
    out.extend(hand_written(content))
    for name in STATIC:
        data = resources.files("showcase.static").joinpath(name).read_bytes()
        out.append(Artifact(f"assets/{name}", data))
    return sorted(out, key=lambda a: a.path)


def media(root: Path, kind: str, entry) -> list[Artifact]:  # type: ignore[no-untyped-def]
    """Copies of the media an entry refers to (the media pipeline replaces these)."""
    names = {
        value
        for _, _, full, value, sp in walk(entry)
        if sp.media
        and (kind != "workers" or entry.shows(SCOPES.get(full.split("[")[0], "profile")))
    }
    return [
        Artifact(f"{kind}/{entry.slug}/{n}", source=root / kind / entry.slug / n)
        for n in sorted(names)
    ]


def hand_written(content: Path) -> list[Artifact]:
    """Pages and assets written by hand under content/, except the home intro."""
    if not content.is_dir():
        return []
    files = sorted(p for p in content.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [
        Artifact(p.relative_to(content).as_posix(), source=p)
        for p in files
        if p.relative_to(content).as_posix() != "index.md"
    ]
