"""QR codes of page addresses: an SVG beside each worker, studio and hall page (`qr.svg`),
shown on the page's print view, offered as a download and drawn on the printable boards.

Made offline with segno from the page's absolute URL (`settings.site_url`); nothing but
the URL is encoded. The SVG is segno's own output, checked to hold nothing but the code's
paths (`check_qr_svg`): a new kind of output file must not become a way to ship markup.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno

from showcase.artifact import Artifact
from showcase.render.html import UnsafeHtml, check_html
from showcase.render.paths import absolute_url, url_of
from showcase.settings import Settings

QR_FILE = "qr.svg"
DARK, LIGHT = "#000", "#fff"  # black on white: what every phone camera reads best
# segno's SVG with a viewBox only, a white square behind the dark modules, and nothing else
_SVG = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 (\d+) \1" class="segno">'
    r'<path fill="#fff" d="M0 0h\1v\1h-\1z"/>'
    r'<path class="qrline" stroke="#000" d="[Mmhv0-9 .\-]+"/>'
    r"</svg>\n"
)


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


def qr_svg(url: str) -> bytes:
    """The QR code of one absolute URL as a small, scalable SVG (error correction at least
    M, raised by segno when the code's size allows: boards get scuffed)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=4, dark=DARK,
              light=LIGHT, nl=True)  # fmt: skip
    data = out.getvalue()
    check_qr_svg(data, url)
    return data


def check_qr_svg(data: bytes, where: str) -> None:
    """Refuse an SVG that is anything more than a QR code's paths (and, like every page,
    anything `check_html` refuses)."""
    text = data.decode("ascii", "replace")
    check_html(text, where)
    if not _SVG.fullmatch(text):
        raise UnsafeHtml(f"{where}: the QR code SVG holds more than the code's paths")
