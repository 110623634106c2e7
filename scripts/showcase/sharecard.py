"""Share cards: the 1200×630 picture a chat app or a social site shows for a shared link.

Drawn here with Pillow and Debian's Noto Sans CJK (fonts.cjk_font), never by a browser and
never with a downloaded font. A card is built only from public values the renderer hands
over (a name, a top honour, the exhibition's name) and from a derivative the media
pipeline already made (a portrait card or a cover thumbnail, metadata-free), and is made
once: the media cache (media.py) names it by the hash of everything drawn and verifies it
like any other derivative. Runs in worker processes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from showcase.images import Output, Result, crop_to
from showcase.write import atomic_write

WIDTH, HEIGHT = 1200, 630
PANEL = HEIGHT * 3 // 4  # the picture panel on the left: 3:4, like the portrait cards
RED, DARK_RED, GOLD = (183, 28, 28), (110, 0, 0), (242, 183, 5)
WHITE, PINK = (255, 255, 255), (255, 214, 214)
MARGIN = 64
QUALITY = 84
VERSION = "4"  # bump when the drawing changes, to renew every card
PRESET = "share"


@dataclass(frozen=True)
class CardJob:
    """One card: what it says and the derivative it shows (None: a monogram)."""

    key: str
    out_dir: Path
    label: str  # 劳模风采, 创新工作室, 展厅, 书架 or the site's own line
    title: str
    lines: tuple[str, ...]
    footer: tuple[str, str]  # the exhibition's name, the association
    picture: Path | None
    focus: tuple[float, float] = (0.5, 0.35)
    write: bool = True

    @property
    def size(self) -> int:
        return self.picture.stat().st_size if self.picture and self.write else 0


def card_key(texts: list[str], picture_sha256: str, fonts: tuple[Path, Path]) -> str:
    params = [VERSION, texts, picture_sha256, [f.name for f in fonts], WIDTH, HEIGHT, QUALITY]
    data = repr(params).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def file_name(key: str) -> str:
    return f"{key}-{PRESET}-{WIDTH}.jpg"


@cache
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """The Simplified Chinese face of a font file (a .ttc holds JP, KR, SC, TC, HK)."""
    for index in range(8):
        try:
            face = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if face.getname()[0].endswith(" SC"):
            return face
    return ImageFont.truetype(path, size)


def fit(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """The text, cut with … if it is wider than `width`."""
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Chinese wraps anywhere: greedy by width, the last line cut with …"""
    out: list[str] = []
    rest = text
    while rest and len(out) < lines:
        n = len(rest)
        while n > 1 and face.getlength(rest[:n]) > width:
            n -= 1
        out.append(rest[:n])
        rest = rest[n:]
    if rest:
        out[-1] = fit(out[-1] + rest, face, width)
    return out


def title_block(text: str, bold: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits one line, else two or three, else cut."""
    for size in (104, 96, 88, 80, 72, 64):
        face = font(bold, size)
        if face.getlength(text) <= width:
            return face, [text]
    for lines_max, sizes in ((2, (64, 58, 52, 46)), (3, (46, 42))):
        for size in sizes:
            face = font(bold, size)
            lines = wrap(text, face, width, lines_max)
            if "".join(lines) == text:
                return face, lines
    face = font(bold, 42)
    return face, wrap(text, face, width, 3)


def panel(job: CardJob) -> Image.Image:
    """The left panel: the picture cropped to 3:4, or the title's first character."""
    if job.picture is not None:
        with Image.open(job.picture) as im:
            im = im.convert("RGB")
        im = crop_to(im, (3, 4), job.focus)
        if im.width >= PANEL and im.width <= PANEL * 1.05:  # a portrait card: trim, no resampling
            left, top = (im.width - PANEL) // 2, (im.height - HEIGHT) // 2
            return im.crop((left, top, left + PANEL, top + HEIGHT))
        return im.resize((PANEL, HEIGHT), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return monogram(job.title[:1] or "·", job_fonts(job)[1])


@lru_cache(maxsize=256)
def monogram(glyph: str, bold: str) -> Image.Image:
    """A panel without a picture: one character in gold (drawn once per character and
    process: many names share a surname)."""
    im = Image.new("RGB", (PANEL, HEIGHT), DARK_RED)
    draw = ImageDraw.Draw(im)
    draw.rectangle((24, 24, PANEL - 25, HEIGHT - 25), outline=GOLD, width=3)
    draw.text((PANEL / 2, HEIGHT / 2), glyph, font=font(bold, 260), fill=GOLD, anchor="mm")
    return im


@cache
def background() -> Image.Image:
    """The deep red, darkening to the right, and the gold rule beside the panel."""
    im = Image.new("RGB", (WIDTH, HEIGHT), RED)
    shade = Image.linear_gradient("L").rotate(90).resize((WIDTH - PANEL, HEIGHT))
    im.paste(DARK_RED, (PANEL, 0, WIDTH, HEIGHT), shade.point(lambda v: v * 0.55))
    ImageDraw.Draw(im).rectangle((PANEL, 0, PANEL + 7, HEIGHT), fill=GOLD)
    return im


@lru_cache(maxsize=16)
def frame(label: str, footer: tuple[str, str], fonts: tuple[str, str]) -> Image.Image:
    """The background with what every card of a kind says alike: the label above the
    title, the rules, the exhibition's name and the association below (none of it
    overlaps the panel or the title, so each card only draws its own words on a copy)."""
    regular, bold = fonts
    im = background().copy()
    draw = ImageDraw.Draw(im)
    left, width = PANEL + MARGIN, WIDTH - PANEL - 2 * MARGIN
    face = font(bold, 30)
    draw.text((left, 62), fit(label, face, width), font=face, fill=GOLD, anchor="lt")
    draw.rectangle((left, 112, left + 72, 117), fill=GOLD)
    draw.line((left, HEIGHT - 110, WIDTH - MARGIN, HEIGHT - 110), fill=(214, 110, 110), width=2)
    site, association = footer
    name = font(bold, 30)
    draw.text((left, HEIGHT - 84), fit(site, name, width), font=name, fill=WHITE, anchor="lt")
    who = font(regular, 24)
    draw.text((left, HEIGHT - 44), fit(association, who, width), font=who, fill=PINK, anchor="lt")
    return im


def job_fonts(job: CardJob) -> tuple[str, str]:
    from showcase.fonts import cjk_font

    return str(cjk_font("regular")), str(cjk_font("bold"))


def draw_card(job: CardJob) -> Image.Image:
    fonts = job_fonts(job)
    regular, bold = fonts
    im = frame(job.label, job.footer, fonts).copy()
    im.paste(panel(job), (0, 0))
    draw = ImageDraw.Draw(im)
    left, width = PANEL + MARGIN, WIDTH - PANEL - 2 * MARGIN
    face, lines = title_block(job.title, bold, width)
    y = 150
    for line in lines:
        draw.text((left, y), line, font=face, fill=WHITE, anchor="lt")
        y += round(face.size * 1.2)
    y += 18
    for i, text in enumerate(job.lines[:3]):
        small = font(bold if i == 0 else regular, 36 if i == 0 else 30)
        colour = WHITE if i == 0 else PINK
        rows = wrap(text, small, width, 2 if i == 0 and len(lines) == 1 else 1)
        for row in rows:
            if y + small.size > HEIGHT - 130:
                break
            draw.text((left, y), row, font=small, fill=colour, anchor="lt")
            y += round(small.size * 1.4)
        y += round(small.size * 0.25)
    return im


def make_card(job: CardJob) -> Result:
    """Draw, encode (a JPEG from pixels only: no metadata) and write one card."""
    name = file_name(job.key)
    if not job.write:
        return Result(
            job.key, width=WIDTH, height=HEIGHT, outputs=(Output(PRESET, WIDTH, HEIGHT, (name,)),)
        )
    buffer = io.BytesIO()
    draw_card(job).save(buffer, "JPEG", quality=QUALITY)  # optimize: 2x the time for 6% fewer bytes
    data = buffer.getvalue()
    atomic_write(job.out_dir / name, data)
    digest = hashlib.sha256(data).hexdigest()
    output = Output(PRESET, WIDTH, HEIGHT, (name,), (digest,))
    return Result(job.key, width=WIDTH, height=HEIGHT, outputs=(output,))
