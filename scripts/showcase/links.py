"""Links and images inside Markdown fields (bio, description, chapter bodies).

Only absolute http(s) links may leave a page: a site-relative (`/etc/passwd`),
protocol-relative (`//other.example/x`) or relative (`foo.html`) target would point into
the published site or to a host the text does not name, and `javascript:` is script.
The field is parsed by Python-Markdown with the renderer's own configuration
(`markup.prose_markdown`), so what counts as a link here is exactly what the page gets,
reference-style links included. What CommonMark would read as an autolink (`<scheme:…>`)
is refused too, though this renderer shows it as text. Images belong in the gallery;
a chapter's images are its illustrations and are checked by bookload.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markdown import util
from markdown.treeprocessors import Treeprocessor

from showcase import memo
from showcase.markup import prose_markdown

AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
LINK_HINT = "写成以 https:// 开头的完整网址，或删掉链接只留文字"
IMAGE_HINT = "删掉这张图片；照片请写进相册 gallery"
SHOWN = 60  # characters of a target shown in a message


@dataclass(frozen=True)
class LinkProblem:
    line: int  # 1-based, within the checked text
    col: int
    message: str
    hint: str


class _Collect(Treeprocessor):
    """After inline processing: every link and image target, and autolink-like text."""

    def run(self, root: Any) -> None:
        found: list[tuple[str, str]] = self.md.found  # type: ignore[attr-defined]
        for el in root.iter():
            if el.tag == "a":
                found.append(("a", el.get("href", "")))
            elif el.tag == "img":
                found.append(("img", el.get("src", "")))
            if el.tag not in ("code", "pre"):
                for text in (el.text, el.tail):
                    found += [("a", m[1]) for m in AUTOLINK.finditer(text or "")]


_MD = prose_markdown()
_MD.treeprocessors.register(_Collect(_MD), "collect_links", 0)


def _targets(source: str) -> list[tuple[str, str]]:
    _MD.reset()
    _MD.found = []  # type: ignore[attr-defined]
    _MD.convert(source)
    return [(tag, html.unescape(t.replace(util.AMP_SUBSTITUTE, "&"))) for tag, t in _MD.found]  # type: ignore[attr-defined]


def allowed(target: str) -> bool:
    parts = urlsplit(target.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def link_problems(source: str, *, images: bool = True) -> list[LinkProblem]:
    """Every link that is not an absolute http(s) URL, and (with `images`) every image,
    located in `source` at the first place the target is written after the previous one.
    A text found clean is remembered (memo.py); problems are found again every run."""
    key, clean = memo.links_checked(source, images)
    if clean:
        return []
    found = _link_problems(source, images=images)
    if not found:
        memo.learn("links", key)
    return found


def _link_problems(source: str, *, images: bool) -> list[LinkProblem]:
    out = []
    pos = 0
    for tag, target in _targets(source):
        if tag == "img" and not images:
            continue
        if tag == "a" and allowed(target):
            continue
        start = _find(source, target, pos)
        if start is not None:
            pos = start + 1
        line, col = _line_col(source, start or 0)
        shown = target if len(target) <= SHOWN else target[:SHOWN] + "…"
        if tag == "img":
            out.append(LinkProblem(line, col, f"这里不能插入图片「{shown}」", IMAGE_HINT))
        else:
            message = f"链接「{shown}」不是以 http:// 或 https:// 开头的完整网址"
            out.append(LinkProblem(line, col, message, LINK_HINT))
    return out


def _find(source: str, target: str, pos: int) -> int | None:
    """Where a target is written: after `](`, `]:` or `<` if possible, else anywhere."""
    if not target:
        for start in (pos, 0):
            if found := re.compile(r"\]\(\s*\)").search(source, start):
                return found.start() + 2
        return None
    if target.lower().startswith("mailto:") and target not in source:
        target = target[len("mailto:") :]  # <a@b.cn> becomes a mailto: link
    t = re.escape(target)
    written = re.compile(rf"\]\(\s*<?({t})|^\s*\[[^\]]*\]:\s*<?({t})|<({t})", re.M)
    for start in (pos, 0):
        m = written.search(source, start)
        if m:
            return m.start(m.lastindex or 0)
        plain = source.find(target, start)
        if plain >= 0:
            return plain
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1
