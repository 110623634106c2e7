"""QR codes of page addresses: an SVG beside each worker, studio and hall page (`qr.svg`),
shown on the page's print view, offered as a download and drawn on the printable boards.

Made offline from the page's absolute URL (`settings.site_url`); nothing but the URL is
encoded. zxing-cpp's encoder (C++) lays out the modules: 1 ms a code with its SVG, where
segno (pure Python) took 5 ms, 25 s of a first build of 5,000 workers. The SVG is written
here, one path of the dark modules' rows, and checked to hold nothing but that
(`check_qr_svg`): a new kind of output file must not become a way to ship markup.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import zxingcpp

from showcase.artifact import Artifact
from showcase.localkey import mac, read_signed
from showcase.render.html import UnsafeHtml, check_html
from showcase.render.paths import absolute_url, url_of
from showcase.settings import Settings
from showcase.write import atomic_write

QR_FILE = "qr.svg"
BORDER = 4  # modules of white around the code: the quiet zone the standard asks for
# The SVG: a viewBox only, a white square behind the dark modules, each row's runs of dark
# modules as one stroked path (`M<x> <y>.5h<run>`), and nothing else
_SVG = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 (\d+) \1" class="qr">'
    r'<path fill="#fff" d="M0 0h\1v\1h-\1z"/>'
    r'<path stroke="#000" d="(?:M\d+ \d+\.5h\d+)+"/>'
    r"</svg>\n"
)
_DARK_RUN = re.compile(rb"\x00+")  # to_image's modules: 0 dark, 255 light


BOARD_FILE = "board.pdf"


@dataclass(frozen=True)
class PageQr:
    """What a page shows of its QR code and downloads (`_macros.html` qr): the files sit
    beside the page, so their URLs are plain file names."""

    url: str  # the absolute address the code encodes, printed under it
    slug: str  # names the downloaded files (zhou-gang-qr.svg), not the served ones
    board: str = ""  # the board's paper size (A4, A3) when boards are published, else ""
    src: str = QR_FILE
    board_src: str = BOARD_FILE


def page_qr(settings: Settings, page: str, slug: str, paper: str) -> PageQr:
    """The QR block of a docs page (`workers/x/index.md`); the board link only when the
    exhibition publishes boards (`boards: true`)."""
    return PageQr(absolute_url(settings.site_url, page), slug, paper if settings.boards else "")


def qr_path(page: str) -> str:
    """Where a page's QR file is written in the docs tree (`workers/x/qr.svg`)."""
    return url_of(page) + QR_FILE


def qr_file(settings: Settings, page: str) -> Artifact:
    """The QR code of a page's absolute address, written beside the page."""
    return Artifact(qr_path(page), qr_svg(absolute_url(settings.site_url, page)))


PER_WORKER = 32  # codes per task sent to a worker process (qr.prepare)


def prepare(settings: Settings, pages: Iterable[str], cores: int | None = None) -> None:
    """Make the codes of these pages that no cache holds, on every core (or `cores`) when
    there are many: 1 s for a first build of 5,000 workers in one process. qr_file then
    finds them made (a handful are left to it: a pool costs more than it saves, and so it
    does on one core)."""
    urls = dict.fromkeys(absolute_url(settings.site_url, page) for page in pages)
    missing = [url for url in urls if url not in _made]
    workers = min(cores or os.cpu_count() or 1, len(missing) // PER_WORKER)
    if workers < 2:
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        _made.update(zip(missing, pool.map(_make, missing, chunksize=PER_WORKER), strict=True))


def qr_svg(url: str) -> bytes:
    """A page's QR code: made once, then kept (in this process, and between builds in
    build/qr-cache.json, see load_cache)."""
    _used.add(url)
    data = _made.get(url)
    if data is None:
        data = _made[url] = _make(url)
    return data


CACHE_FILE = Path("build/qr-cache.json")
_CACHE_KEY = f"2 zxing-cpp {metadata.version('zxing-cpp')}"  # bump the number when _make changes
_made: dict[str, bytes] = {}
_used: set[str] = set()


def load_cache(root: Path) -> None:
    """The codes of the last build, each checked again like a new one (a file in build/ is
    not trusted to hold only a QR code); a cache of another encoder or _make is ignored, and
    so is one not signed with this user's key (localkey.py, as build/memo.bin): a code is
    only paths, so no check of its shape can tell which address it encodes.
    Starts a build: what it uses is what save_cache keeps."""
    _used.clear()
    signed = read_signed(root / CACHE_FILE, b"qr-cache")
    saved = signed[1] if signed else None
    if not isinstance(saved, dict) or saved.get("key") != _CACHE_KEY:
        return
    for url, text in (saved.get("codes") or {}).items():
        # The shape alone: it admits nothing but the code's paths, so check_html (which
        # every code passed when it was made) could find nothing more (0.17 s of 0.3 s at
        # 5,000 workers). A code of another shape is made again.
        if isinstance(text, str) and _SVG.fullmatch(text):
            _made.setdefault(url, text.encode())


def save_cache(root: Path) -> None:
    """Keep the codes this build used (only those: removed pages' codes go)."""
    codes = {url: _made[url].decode() for url in sorted(_used)}
    body = json.dumps({"key": _CACHE_KEY, "codes": codes}, ensure_ascii=False).encode()
    data = mac(b"qr-cache", body).encode() + b"\n" + body
    path = root / CACHE_FILE
    if not path.is_file() or path.read_bytes() != data:
        atomic_write(path, data)


def _make(url: str) -> bytes:
    """The QR code of one absolute URL as a small, scalable SVG: error correction M, or the
    highest level (Q, then H) that fits in the same number of modules (boards get scuffed;
    a bigger code would only print its modules smaller)."""
    code = _encode(url, "M")
    # a higher level never needs fewer modules, so Q first: when it is bigger (most page
    # addresses), H is too, and that is two encodings, not three
    for level in ("Q", "H"):
        better = _encode(url, level)
        if better.shape != code.shape:
            break
        code = better
    size = code.shape[0]
    modules = bytes(memoryview(code))
    runs = []
    for y in range(size):
        row = modules[y * size : (y + 1) * size]
        for run in _DARK_RUN.finditer(row):
            runs.append(f"M{BORDER + run.start()} {BORDER + y}.5h{run.end() - run.start()}")
    side = size + 2 * BORDER
    data = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" class="qr">'
        f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>'
        f'<path stroke="#000" d="{"".join(runs)}"/></svg>\n'
    ).encode()
    check_qr_svg(data, url)
    return data


def _encode(url: str, level: str) -> zxingcpp.Image:
    """The code's modules, one byte each (0 dark), without the quiet zone."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
    return code.to_image(scale=1, add_quiet_zones=False)


def check_qr_svg(data: bytes, where: str) -> None:
    """Refuse an SVG that is anything more than a QR code's paths (and, like every page,
    anything `check_html` refuses)."""
    text = data.decode("ascii", "replace")
    check_html(text, where)
    if not _SVG.fullmatch(text):
        raise UnsafeHtml(f"{where}: the QR code SVG holds more than the code's paths")
