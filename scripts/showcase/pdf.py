"""Boards as PDF: WeasyPrint, offline, with Debian's CJK font; cached by content.

A board's PDF is a pure function of its HTML, the files it loads (hash-named derivatives
and generated blobs), the stylesheet, the font files and the WeasyPrint version: it is
kept in `build/board-cache/<key>.pdf` and made again only when one of these changes, on
every core. WeasyPrint fetches nothing but what the board names: any other URL (a network
address, a file elsewhere) stops the build, so a board can never reach the network.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from showcase.artifact import Artifact
from showcase.fonts import cjk_font
from showcase.render.boards import Board
from showcase.write import atomic_write

CACHE_DIR = Path("build/board-cache")
BASE = "https://board.invalid/"  # the boards' own files: answered by the fetcher, never fetched
MIME = {".svg": "image/svg+xml", ".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
VERSION = "3"  # bump when the way a board becomes PDF changes, to renew every cached board


NO_PANGO = (
    "展板需要系统的排版库 Pango，这台电脑上没有找到。Debian/Ubuntu 上运行 "
    "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
    "（make site 会自动安装）"
)


class MissingPango(Exception):
    """WeasyPrint cannot load Debian's pango: an environment problem (exit 2)."""

    def __init__(self) -> None:
        super().__init__(NO_PANGO)


def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported without its side effect on Pillow: its import sets
    `ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole process, which would let a
    truncated photo through the media step's checks (`showcase serve` builds again in the
    same process; the media pool forks from it). The boards load only our own complete
    derivatives, so the flag is put back. MissingPango when pango is absent (WeasyPrint
    loads it with cffi at import time and raises OSError)."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
    except OSError as err:
        raise MissingPango from err
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def weasyprint_version() -> str:
    return str(load_weasyprint().__version__)


@cache
def stylesheet() -> str:
    """board.css after the @font-face rules of the CJK font (MissingFont when absent)."""
    faces = "".join(
        f'@font-face {{ font-family: "Board Sans"; font-weight: {weight}; '
        f'src: url("{cjk_font(name).as_uri()}"); }}\n'
        for name, weight in (("regular", "normal"), ("bold", "bold"))
    )
    return faces + resources.files("showcase.layouts").joinpath("board.css").read_text("utf-8")


def board_key(board: Board) -> str:
    """The hash of everything the PDF is made from."""
    digest = hashlib.sha256()
    head = [VERSION, weasyprint_version(), stylesheet(), board.html, board.files]
    digest.update(json.dumps(head, ensure_ascii=False).encode())
    for name, data in board.blobs:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:24]


DROP_OPTIONAL = ".b-optional { display: none; }"


def render_pdf(board: Board) -> bytes:
    """One board as PDF (runs in a worker process)."""
    weasyprint = load_weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    files, blobs = dict(board.files), dict(board.blobs)
    fonts = {cjk_font("regular").as_uri(), cjk_font("bold").as_uri()}

    class Fetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            name = url.removeprefix(BASE)
            mime = {"Content-Type": MIME.get(PurePosixPath(name).suffix, "")}
            if url.startswith(BASE) and name in blobs:
                return URLFetcherResponse(url, blobs[name], mime)
            if url.startswith(BASE) and name in files:
                return URLFetcherResponse(url, Path(files[name]).read_bytes(), mime)
            if url in fonts:
                return super().fetch(url, headers)
            raise FatalURLFetchingError(f"{board.path}: a board may not load {url}")

    fetcher = Fetcher()
    css = weasyprint.CSS(string=stylesheet(), url_fetcher=fetcher)
    html = weasyprint.HTML(string=board.html, base_url=BASE, url_fetcher=fetcher)
    document = html.render(stylesheets=[css])
    if _cut_short(document):  # an optional block would be cut mid-line: leave it out
        document = html.render(stylesheets=[css, weasyprint.CSS(string=DROP_OPTIONAL)])
    return document.write_pdf()  # type: ignore[no-any-return]


def _bottom(box: Any) -> float:
    return float(box.position_y + box.margin_height() - box.margin_bottom)


def _boxes(box: Any) -> Iterator[Any]:
    """Every box of a page, through the placeholders of absolutely positioned ones."""
    yield box
    inner = getattr(box, "_box", None)
    for child in [inner] if inner is not None else getattr(box, "children", ()):
        yield from _boxes(child)


def _cut_short(document: Any) -> bool:
    """Does a block marked `b-optional` (a bio's excerpt) end below the board's main area,
    which hides what overflows it? Then it would show as half a line."""
    main, optional = None, []
    for box in _boxes(document.pages[0]._page_box):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if "b-main" in classes and main is None:
            main = _bottom(box)
        if "b-optional" in classes:
            optional.append(_bottom(box))
    return main is not None and any(bottom > main for bottom in optional)


@dataclass
class Made:
    """The boards of one run as artifacts (their PDFs in the cache), and how many were new."""

    artifacts: list[Artifact]
    rendered: int


def make_pdfs(root: Path, boards: list[Board], *, prune: bool = False) -> Made:
    """Every board's PDF, from the cache or rendered (in parallel); prune: drop cached
    boards no longer made (a run over every board)."""
    cache_dir = root / CACHE_DIR
    keys = [board_key(b) for b in boards]
    todo = {
        k: b for k, b in zip(keys, boards, strict=True) if not (cache_dir / f"{k}.pdf").is_file()
    }
    for key, data in zip(todo, _run(list(todo.values())), strict=True):
        atomic_write(cache_dir / f"{key}.pdf", data)
    if prune and cache_dir.is_dir():
        keep = {f"{k}.pdf" for k in keys}
        for path in cache_dir.iterdir():
            if path.name not in keep:
                path.unlink()
    artifacts = [
        Artifact(b.path, source=cache_dir / f"{k}.pdf") for k, b in zip(keys, boards, strict=True)
    ]
    return Made(artifacts, len(todo))


def _run(boards: list[Board]) -> list[bytes]:
    if len(boards) <= 2:
        return [render_pdf(b) for b in boards]
    stylesheet()  # MissingFont here, in this process, not in a worker
    with ProcessPoolExecutor(max_workers=min(len(boards), os.cpu_count() or 1)) as pool:
        return list(pool.map(render_pdf, boards, chunksize=4))
