"""Template placeholders left unfilled: `name: 姓名` must never reach the site.

The placeholders are read from the templates themselves (scripts/showcase/templates/),
active and commented-out lines alike, per field path: `name` → {姓名}, `sources.title` →
{出处标题（报刊文章名）}, `bio` → {第一段……, 第二段……}. Only free-text and folder-name
fields count: a vocabulary term (`全国劳动模范`, `南湖区`), a date, a number, a file name or
a choice in a template is a real example, valid as it stands. So a template must show
free-text fields only as descriptions of what to write (`employer: 工作单位`), and real
examples in its comments (`# 如 …`): tests/test_editors.py keeps that so.

A published entry that still holds one is an error at the value's line; drafts
(`publish: false`) are left alone, as the editor is still filling them in.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import is_dataclass
from functools import cache
from importlib import resources
from typing import Any, get_args, get_origin

from showcase.books import Book, ChapterInfo
from showcase.convert import model_fields
from showcase.fields import spec_of
from showcase.halls import Hall
from showcase.model import Entity, Studio, Worker
from showcase.problems import Problems
from showcase.walk import walked

TEMPLATES: dict[type, str] = {
    Worker: "profile.yml",
    Studio: "studio.yml",
    Book: "book.yml",
    Hall: "hall.yml",
    ChapterInfo: "chapter.md",
}
KEY_LINE = re.compile(r"^(?P<dash>-\s+)?(?P<key>[a-z_]+):(?:\s+(?P<value>.*?))?\s*$")
TRAILING_COMMENT = re.compile(r"\s+#.*$")
MARKER = re.compile(r"^[A-Z]+$")  # ORDER, WORKERS: replaced when the file is created
INDEX = re.compile(r"\[\d+\]")
MESSAGE = "还是模板里的示例内容「{}」"
HINT = "改成真实内容，或删掉这一行"
SHOWN = 24  # characters of a long placeholder shown in the message


def _yaml_lines(text: str) -> typing.Iterator[tuple[int, str]]:
    """(indentation, content) of every line, a commented-out one as if uncommented:
    `#   date: 2024-05-01` is `date: 2024-05-01` at indentation 2."""
    for raw in text.split("\n"):
        content = raw.lstrip(" ")
        indent = len(raw) - len(content)
        if content.startswith("#"):
            rest = content[1:].removeprefix(" ")
            content = rest.lstrip(" ")
            indent += len(rest) - len(content)
        yield indent, content


def parse_template(text: str) -> dict[str, set[str]]:
    """Field path (list indexes dropped) → the values a template writes there."""
    found: dict[str, set[str]] = {}
    stack: list[tuple[int, str]] = []  # (indentation of the keys below, key)
    block: tuple[int, str] | None = None  # inside `key: |`: (its indentation, its path)
    for indent, content in _yaml_lines(text):
        if block is not None:
            if not content or indent > block[0]:
                if content:
                    found.setdefault(block[1], set()).add(content.strip())
                continue
            block = None
        match = KEY_LINE.match(TRAILING_COMMENT.sub("", content))
        if not match:
            continue
        if match["dash"]:
            indent += len(match["dash"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([k for _, k in stack] + [match["key"]])
        stack.append((indent, match["key"]))
        value = match["value"] or ""
        if value == "|":
            block = (indent, path)
        elif value.startswith("[") and value.endswith("]"):
            for item in value[1:-1].split(","):
                found.setdefault(path, set()).add(item.strip())
        elif value:
            found.setdefault(path, set()).add(value.strip().strip("\"'"))
    return found


def _leaf(cls: Any, path: str) -> tuple[Any, Any] | None:
    """The model field at a dotted path: (its base type, its dataclass field)."""
    f = None
    tp: Any = cls
    for key in path.split("."):
        if not is_dataclass(tp):
            return None
        f = model_fields(tp).get(key)
        if f is None:
            return None
        tp = f.type
        while get_origin(tp) in (types.UnionType, typing.Union, tuple):
            tp = next(a for a in get_args(tp) if a is not type(None) and a is not Ellipsis)
    return tp, f


@cache
def placeholders(cls: type) -> dict[str, frozenset[str]]:
    """The placeholder values of a model class's template, per field path: those of
    free-text and folder-name fields only."""
    name = TEMPLATES[cls]
    text = resources.files("showcase.templates").joinpath(name).read_text("utf-8")
    if name.endswith(".md"):
        text = text.split("\n---\n", 1)[0]
    out: dict[str, frozenset[str]] = {}
    for path, values in parse_template(text).items():
        if path.startswith("private."):
            continue  # never published
        leaf = _leaf(cls, path)
        if leaf is None or leaf[0] is not str:
            continue
        sp = spec_of(leaf[1])
        if sp.vocab or sp.media or sp.url or sp.quoted or sp.pattern:
            continue
        kept = frozenset(v for v in values if v and not MARKER.match(v))
        if kept:
            out[path] = kept
    return out


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN else value[:SHOWN] + "…"


@cache
def unindexed(path: str) -> str:
    """honors[2].title → honors.title (the same few paths recur in every profile)."""
    return INDEX.sub("", path)


def check_unfilled(entry: Entity, problems: Problems) -> None:
    """Every template placeholder still in a published entry, at its own line."""
    if not getattr(entry, "publish", False):
        return
    known = placeholders(type(entry))
    for owner, key, full, value, sp in walked(entry):
        values = known.get(unindexed(full))
        if not values or not isinstance(value, str):
            continue
        path, line, col = owner.loc.at(key)
        if value.strip() in values:
            problems.add(path, line, col, full, MESSAGE.format(_shown(value.strip())), HINT)
            continue
        if not sp.markdown:
            continue
        body = owner.loc.fields.get(f"{key}:body")
        for i, text in enumerate(value.split("\n")):
            if text.strip() in values:
                where = (body[0] + i, body[1]) if body else (line, col)
                message = MESSAGE.format(_shown(text.strip()))
                problems.add(path, *where, full, message, HINT)


@cache
def body_placeholders() -> frozenset[str]:
    """The first line of each paragraph of the chapter template's text."""
    text = resources.files("showcase.templates").joinpath("chapter.md").read_text("utf-8")
    body = text.split("\n---\n", 1)[1]
    return frozenset(p.strip().split("\n")[0].strip() for p in body.split("\n\n") if p.strip())


def check_body(lines: list[str], start: int, rel: str, problems: Problems) -> None:
    """Paragraphs of the chapter template still in a chapter's text (lines from `start`)."""
    known = body_placeholders()
    for number, line in enumerate(lines[start:], start + 1):
        if line.strip() in known:
            message = MESSAGE.format(_shown(line.strip()))
            problems.add(rel, number, 1, "正文", message, "删掉这段说明，写上文章正文")
