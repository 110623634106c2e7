"""Escaping of data before it enters Markdown or HTML, and safe rendering of Markdown fields.

Rule: nothing that comes from an editor's file takes effect as markup. Inline text has every
ASCII punctuation character written as a numeric character reference, so no Markdown
(emphasis, links, headings, lists, attribute lists `{: …}`) and no HTML tag can form; the
reader still sees the original characters. Markdown fields (bio, description, chapters) are
rendered here by a restricted Markdown without raw HTML, then sanitised by an allow-list.
"""

from __future__ import annotations

import html
import re
import string
from urllib.parse import quote, urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

_PUNCT = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
_SPACE = re.compile(r"\s+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A line break between two Chinese characters is not a space in Chinese typography.
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")

PROSE_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def text(value: str) -> str:
    """Inline data text, safe in Markdown and HTML; whitespace collapsed to single spaces."""
    return _SPACE.sub(" ", value).strip().translate(_PUNCT)


def attr(value: str) -> str:
    """A value for an HTML attribute we write ourselves."""
    return html.escape(_SPACE.sub(" ", value).strip(), quote=True)


def safe_url(url: str) -> str | None:
    """An http(s) URL with characters that could end a Markdown link encoded, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._").replace("'", "%27")


def external_link(label: str, url: str) -> str:
    """A Markdown link to an outside page, or the plain label if the URL is not http(s)."""
    target = safe_url(url)
    return f"[{text(label)}]({target})" if target else text(label)


class _DemoteHeadings(Treeprocessor):
    """A bio's `# Title` becomes h3 so it never competes with the page's own headings."""

    def run(self, root):  # type: ignore[no-untyped-def]
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                el.tag = f"h{min(int(el.tag[1]) + 2, 6)}"
        return root


def prose_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_DemoteHeadings(md), "demote", 1)
    return md


_MD = prose_markdown()


def prose(source: str) -> str:
    """Render a Markdown field to sanitised HTML, wrapped as one raw HTML block."""
    _MD.reset()
    rendered = _MD.convert(_CJK_BREAK.sub("", source))
    clean = nh3.clean(
        rendered,
        tags=PROSE_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # Blank lines inside would end the raw block for some Markdown parsers: keep it tight.
    body = "\n".join(line for line in clean.splitlines() if line.strip())
    return f'<div class="sc-prose">\n{body}\n</div>'
