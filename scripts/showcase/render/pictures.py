"""Pictures for templates: <picture> data for derivatives (WebP with a JPEG fallback,
sizes, no layout shift) and lightbox links. Every URL here is made from generated file
names; `alt` and captions are data and are escaped by the template that prints them."""

from __future__ import annotations

from dataclasses import dataclass

from showcase.images import Output, Result
from showcase.render.paths import Urls

CARD_SIZES = "(max-width: 600px) 45vw, 200px"
THUMB_SIZES = "(max-width: 600px) 45vw, 240px"


@dataclass(frozen=True)
class Pic:
    """One image as `_macros.html` prints it; `webp` empty for a single-file image."""

    src: str
    width: int
    height: int
    alt: str
    css: str = ""
    lazy: bool = True
    srcset: str = ""
    webp: str = ""
    sizes: str = ""


@dataclass(frozen=True)
class Box:
    """A lightbox link around a picture (GLightbox)."""

    pic: Pic
    href: str
    group: str
    caption: str


def _srcset(u: Urls, folder: str, outputs: list[Output], which: int) -> str:
    return ", ".join(f"{u.file(f'{folder}/{o.files[which]}')} {o.width}w" for o in outputs)


def picture(
    u: Urls,
    folder: str,
    result: Result,
    presets: tuple[str, ...],
    alt: str,
    *,
    sizes: str,
    lazy: bool = True,
    css: str = "",
) -> Pic:
    """The first preset gives the fallback src and the intrinsic size."""
    outputs = [o for name in presets for o in result.outputs if o.preset == name]
    first = outputs[0]
    return Pic(
        src=u.file(f"{folder}/{first.files[1]}"),
        width=first.width,
        height=first.height,
        alt=alt,
        css=css,
        lazy=lazy,
        srcset=_srcset(u, folder, outputs, 1),
        webp=_srcset(u, folder, outputs, 0),
        sizes=sizes,
    )


def lightbox(u: Urls, folder: str, result: Result, pic: Pic, caption: str, group: str) -> Box:
    large = next((o for o in result.outputs if o.preset == "large"), result.outputs[-1])
    return Box(pic, u.file(f"{folder}/{large.files[1]}"), group, caption)
