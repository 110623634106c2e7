"""Clearly artificial stand-in pictures for sample content, tests and benchmarks."""

from __future__ import annotations

import hashlib

from PIL import Image, ImageDraw, ImageFont


def _colour(seed: str, shift: int = 0) -> tuple[int, int, int]:
    digest = hashlib.sha256(f"{seed}/{shift}".encode()).digest()
    return digest[0] // 2 + 60, digest[1] // 3 + 30, digest[2] // 3 + 30


def _gradient(
    size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> Image.Image:
    h = size[1]
    column = Image.new("RGB", (1, h))
    for y in range(h):
        t = y / max(h - 1, 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize(size)


def _label(img: Image.Image, text: str) -> None:
    draw = ImageDraw.Draw(img)
    size = max(12, img.width // 16)
    font = ImageFont.load_default(size=size)
    draw.rectangle((0, img.height - size * 2, img.width, img.height), fill=(0, 0, 0))
    draw.text(
        (img.width // 2, img.height - size), text, font=font, fill=(255, 255, 255), anchor="mm"
    )


def portrait(seed: str, size: tuple[int, int] = (600, 800)) -> Image.Image:
    """A head-and-shoulders silhouette on a gradient, labelled as a placeholder."""
    img = _gradient(size, _colour(seed), _colour(seed, 1))
    draw = ImageDraw.Draw(img)
    w, h = size
    shade = (235, 228, 220)
    draw.ellipse((w * 0.32, h * 0.18, w * 0.68, h * 0.52), fill=shade)
    draw.ellipse((w * 0.12, h * 0.58, w * 0.88, h * 1.25), fill=shade)
    _label(img, "PLACEHOLDER")
    return img


def scene(seed: str, size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """An abstract 'workshop' of blocks and gears, labelled as a placeholder."""
    img = _gradient(size, _colour(seed, 2), _colour(seed, 3))
    draw = ImageDraw.Draw(img)
    w, h = size
    digest = hashlib.sha256(seed.encode()).digest()
    for i in range(6):
        x = digest[i] / 255 * w * 0.8
        y = h * 0.35 + digest[i + 6] / 255 * h * 0.35
        r = w * (0.05 + digest[i + 12] / 255 * 0.08)
        draw.ellipse((x, y, x + 2 * r, y + 2 * r), outline=(255, 255, 255), width=max(2, w // 200))
    draw.rectangle((0, h * 0.78, w, h), fill=_colour(seed, 4))
    _label(img, "PLACEHOLDER")
    return img
