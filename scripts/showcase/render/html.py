"""The one way generated pages become HTML: Jinja2 templates with autoescape.

Every value a template prints is HTML-escaped unless it is `Markup`, and only two things
are Markup: the sanitised output of `markup.prose()` (the declared Markdown fields) and the
output of other templates. A page is one raw HTML block, so the Markdown parser that MkDocs
runs afterwards passes it through untouched: no data string ever reaches Markdown syntax
(emphasis, links, attribute lists) or can close an attribute.

`check_html()` then verifies what each template produced — no script, frame, style or
event-handler attribute, and every URL relative or http(s) — so a template bug fails the
build instead of shipping. It checks our own output, which autoescape keeps well-formed,
with regular expressions: cheap enough for every page of a 5,000-worker exhibition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from showcase import memo, templatecache

_ENV = Environment(
    loader=PackageLoader("showcase", "layouts"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    # compiled once, then loaded by each run (signed: see templatecache.py): compiling
    # the layouts a one-edit run renders took 0.05 s of a 1,000-worker build
    bytecode_cache=templatecache.on_disk(),
)


def _inner_html(value: str) -> str:
    """For attributes a script later inserts as HTML (GLightbox's data-description): the
    text escaped once here, and once more by autoescape when printed."""
    return str(escape(value))


_ENV.filters["inner_html"] = _inner_html

FORBIDDEN_TAGS = re.compile(
    r"<\s*/?\s*(script|iframe|frame|object|embed|style|link|meta|base|form\s+action|math)\b", re.I
)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
ATTR = re.compile(r"""\s([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
URL_ATTRS = {"href", "src", "poster", "action", "formaction", "xlink:href", "cite", "data"}
SAFE_URL = re.compile(r"^(?:https?://|mailto:|[^:/?#]*(?:[/?#]|$)|#)", re.I)


class UnsafeHtml(AssertionError):
    """A template produced something it must never produce (a bug in our code, not data)."""


def check_html(html: str, where: str) -> None:
    """Refuse script-capable markup and non-http(s) URLs in a generated page."""
    found = FORBIDDEN_TAGS.search(html)
    if found:
        raise UnsafeHtml(f"{where}: <{found.group(1)}> in generated HTML")
    for _, name, value in attributes(html):
        if name.startswith("on") or name in ("style", "srcdoc"):
            raise UnsafeHtml(f"{where}: attribute {name} in generated HTML")
        if name in URL_ATTRS and not _safe_url(value):
            raise UnsafeHtml(f"{where}: {name}={value!r} in generated HTML")
        if name in ("srcset", "imagesrcset") and not all(
            _safe_url(part.strip().split(" ")[0]) for part in value.split(",")
        ):
            raise UnsafeHtml(f"{where}: {name}={value!r} in generated HTML")


def anchor_ids(html: str) -> set[str]:
    """The anchors a generated page offers (`id`, and `name` on <a>), as MkDocs' own HTML
    parser finds them (values unescaped)."""
    return {
        unescape(value)
        for tag, name, value in attributes(html)
        if name == "id" or (name == "name" and tag.startswith(("<a ", "<A ")))
    }


def attributes(html: str) -> Iterator[tuple[str, str, str]]:
    """(tag, attribute name in lower case, raw value) of every attribute in `html`."""
    for tag in TAG.finditer(html):
        for m in ATTR.finditer(tag.group()):
            value = next((v for v in m.group(2, 3, 4) if v is not None), "")
            yield tag.group(), m.group(1).lower(), value


def _safe_url(value: str) -> bool:
    url = unescape(value).strip()
    return not url or (bool(SAFE_URL.match(url)) and not url.startswith("/"))


def render(template: str, **context: Any) -> Markup:
    """Render one layout; the result is Markup, safe to print in another template.
    Remembered by its template and context (memo.py): an unchanged page costs a lookup."""

    def make() -> str:
        html = _ENV.get_template(template).render(**context)
        check_html(html, template)
        return html

    return Markup(memo.layout(template, context, make))


# The only tags a head block may hold: a meta with a known property and a text content,
# and the feed's link. Values are autoescaped, so none can hold a quote or an angle bracket.
HEAD_TAG = re.compile(
    r'<meta (?:property="og:[a-z_:]+"|name="twitter:[a-z_]+") content="[^"<>]*">'
    r'|<link rel="alternate feed" type="application/atom\+xml" title="[^"<>]*" href="https?://[^"<>\s]*">'
)
URL_PROPERTIES = re.compile(r'(?:og:url|og:image|twitter:image)" content="([^"]*)"')


def check_head(html: str, where: str) -> None:
    """Refuse a head block with anything but the allowed meta and link tags, one a line,
    or with a page or image address that is not an absolute http(s) URL."""
    for line in html.splitlines():
        if line.strip() and not HEAD_TAG.fullmatch(line.strip()):
            raise UnsafeHtml(f"{where}: {line.strip()[:80]!r} in a generated head block")
    for url in URL_PROPERTIES.findall(html):
        if not re.match(r"https?://[^\s]+$", unescape(url)):
            raise UnsafeHtml(f"{where}: {url!r} is not an absolute http(s) URL")


def one_line(text: str) -> str:
    """Whitespace (line breaks too) as single spaces: a meta value is one line."""
    return " ".join(text.split())


def render_head(template: str, **context: Any) -> Markup:
    """Render a block for a page's <head> (meta and link tags only), checked."""
    html = _ENV.get_template(template).render(**context)
    check_head(html, template)
    return Markup(html)
