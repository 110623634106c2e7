"""Markdown fields and outside links.

Rule: nothing that comes from an editor's file takes effect as markup. Plain data text is
never given to a Markdown parser at all: templates print it with autoescape
(render/html.py). Only the declared Markdown fields (bio, description, chapter bodies) are
rendered, here, by a restricted Markdown without raw HTML, then sanitised by an allow-list
(nh3) that also drops every link that is not an absolute http(s) URL. The result is the
only data-derived `Markup` in the generator.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from showcase import memo

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A line break between two Chinese characters is not a space in Chinese typography.
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")

PROSE_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def safe_url(url: str) -> str | None:
    """An absolute http(s) URL with unsafe characters percent-encoded, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._").replace("'", "%27")


def _link_filter(tag: str, name: str, value: str) -> str | None:
    """nh3 attribute filter: a link must be an absolute http(s) URL (no `//host`, `/path`,
    relative or other-scheme links, which nh3's scheme list lets through as relative)."""
    if name == "href":
        return safe_url(value)
    return value


class _DemoteHeadings(Treeprocessor):
    """A bio's `# Title` becomes h3 so it never competes with the page's own headings."""

    def run(self, root):  # type: ignore[no-untyped-def]
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                el.tag = f"h{min(int(el.tag[1]) + 2, 6)}"
        return root


def prose_markdown() -> markdown.Markdown:
    """The restricted Markdown of every prose field: no raw HTML, headings demoted."""
    md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_DemoteHeadings(md), "demote", 1)
    return md


_MD = prose_markdown()


def prose(source: str) -> Markup:
    """Render a Markdown field to sanitised HTML (remembered by its text: memo.py)."""
    return Markup(memo.prose(source, lambda: _prose(source)))


def _prose(source: str) -> str:
    _MD.reset()
    rendered = _MD.convert(_CJK_BREAK.sub("", source))
    clean = nh3.clean(
        rendered,
        tags=PROSE_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https"},
        attribute_filter=_link_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return f'<div class="sc-prose">\n{clean.strip()}\n</div>'
