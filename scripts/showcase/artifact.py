"""Artifacts: every output file, with the bytes it should hold or the file it copies."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

# Front matter of a page that is nothing but the templates' HTML (no hand-written
# Markdown): the MkDocs hook hands that HTML to the theme without Markdown (mkdocs_hook.py)
GENERATED = "generated"
# A lightbox link the templates mark (mkdocs.yml: glightbox `manual: true`); a page without
# one says `glightbox: false`, and readers do not download the lightbox (15 KB gzip)
LIGHTBOX = 'class="glightbox"'
# \u-escaped in front matter: DEL and every character of the BMP beyond ASCII
ESCAPED = re.compile("[\u007f-\uffff]")


@dataclass(frozen=True)
class Artifact:
    path: str  # relative to the output folder, POSIX
    data: bytes | None = None
    source: Path | None = None  # copied byte for byte

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()


def page(
    path: str,
    body: Markup,
    title: str | None = None,
    boost: float | None = None,
    *,
    intro: str = "",
    lead: Markup | None = None,
    hide: tuple[str, ...] = (),
) -> Artifact:
    """A generated page: front matter, then `body`, one raw HTML block from the templates,
    which the Markdown parser passes through untouched. Only `intro` — the home page's
    hand-written Markdown, from a trusted file in content/ — is Markdown; `lead`, another
    template's block, goes before it.

    A title from data goes into front matter HTML-escaped, because MkDocs themes print
    `page.title` unescaped (into <title>, the nav and the search index). `boost` ranks the
    page in Material's search (entity pages above the indexes). `hide` names Material's
    sidebars to hide (`navigation`, `toc`): exhibition pages use the full width. A page
    without `intro` is marked `generated: html` (see GENERATED), one without a lightbox
    link `glightbox: false` (see LIGHTBOX)."""
    meta = [] if intro else [f"{GENERATED}: html"]
    if title is not None:
        meta.append(f"title: {front_matter_string(html.escape(title, quote=True))}")
    if boost is not None:
        meta.append(f"search:\n  boost: {boost}")
    if hide:
        meta.append("hide:\n" + "".join(f"  - {name}\n" for name in hide).rstrip("\n"))
    parts = [str(lead).strip() if lead else "", intro.strip(), str(body).strip()]
    content = "\n\n".join(p for p in parts if p) + "\n"
    if LIGHTBOX not in content:  # the plugin then adds neither its script nor its styles
        meta.append("glightbox: false")
    head = "---\n" + "\n".join(meta) + "\n---\n\n" if meta else ""
    text = head + content
    return Artifact(path, text.encode("utf-8"))


def front_matter_string(text: str) -> str:
    """A double-quoted string that both YAML and JSON read back as `text`: ASCII with \\u
    escapes, except characters beyond the BMP (an emoji, a name's CJK Extension B
    character), written as themselves. JSON spells those as a surrogate pair, which the
    YAML reader of MkDocs refuses: it then drops the page's whole front matter and renders
    it as Markdown, title and `generated: html` included."""
    quoted = json.dumps(text, ensure_ascii=False)
    return ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
