"""<picture> elements for derivatives: WebP with a JPEG fallback, sizes, no layout shift.

Raw HTML is used because Markdown images cannot carry `srcset` or `<source>`; every value
in it is either generated here (paths, numbers) or escaped data (alt text, captions).
"""

from __future__ import annotations

from showcase.images import Output, Result
from showcase.markup import attr
from showcase.render.paths import rel

CARD_SIZES = "(max-width: 600px) 45vw, 200px"
THUMB_SIZES = "(max-width: 600px) 45vw, 240px"


def _url(here: str, folder: str, name: str) -> str:
    """Relative URL from a page's folder to a derivative (pages are all folder/index.md)."""
    return rel(here, f"{folder}/{name}")


def _srcset(here: str, folder: str, outputs: list[Output], which: int) -> str:
    return ", ".join(f"{_url(here, folder, o.files[which])} {o.width}w" for o in outputs)


def picture(
    here: str,
    folder: str,
    result: Result,
    presets: tuple[str, ...],
    alt: str,
    *,
    sizes: str,
    lazy: bool = True,
    css: str = "",
) -> str:
    """One <picture>; the first preset gives the fallback src and the intrinsic size."""
    outputs = [o for name in presets for o in result.outputs if o.preset == name]
    first = outputs[0]
    loading = ' loading="lazy" decoding="async"' if lazy else ' decoding="async"'
    css_attr = f' class="{attr(css)}"' if css else ""
    return (
        f'<picture><source type="image/webp" srcset="{_srcset(here, folder, outputs, 0)}" sizes="{sizes}">'
        f'<img src="{_url(here, folder, first.files[1])}" srcset="{_srcset(here, folder, outputs, 1)}"'
        f' sizes="{sizes}" width="{first.width}" height="{first.height}" alt="{attr(alt)}"{css_attr}{loading}>'
        "</picture>"
    )


def lightbox(here: str, folder: str, result: Result, inner: str, caption: str, group: str) -> str:
    """Wrap a picture in a GLightbox link to the large JPEG. GLightbox inserts the
    description as HTML, so the caption is escaped twice: once for the attribute, once
    for the innerHTML it becomes."""
    large = next((o for o in result.outputs if o.preset == "large"), result.outputs[-1])
    described = f' data-description="{attr(attr(caption))}"' if caption else ""
    return (
        f'<a class="glightbox" href="{_url(here, folder, large.files[1])}" data-type="image"'
        f' data-gallery="{attr(group)}"{described}>{inner}</a>'
    )
