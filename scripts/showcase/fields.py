"""Field metadata shared by the model, the converter and the JSON Schema writer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SLUG_HINT = "只用小写英文字母、数字和连字符，如 yao-hongfei"


# Maximum lengths in characters. Every text field has one (tests/test_intake.py checks),
# so no value can make the generator, the search dictionary or a reader's browser work
# on text of unbounded size.
NAME = 30  # a person's name
PINYIN = 60
TERM = 40  # a vocabulary term: district, industry, honour title, level, kind
TITLE = 100
SUMMARY = 150
BODY = 80  # employer, host, awarding body, publisher, position
CAPTION = 200  # captions, alt texts, addresses, notes on sources
DETAIL = 500
TAG = 20
SITE_TITLE = 40
SLUG = 60  # a folder name
FILE = 100  # a file name in the entry's folder
URL = 2000
NUMBER = 30  # phone and ID numbers
MARKDOWN = 20_000  # bio, description
NOTES = 2_000  # private notes


@dataclass(frozen=True)
class Spec:
    """What an editor needs to know about one field, in Chinese."""

    zh: str
    vocab: str | None = None  # name of a vocabulary in the settings
    slug: bool = False  # an ASCII slug (of a worker, a studio …)
    quoted: bool = False  # digits that must stay text: phone, ID numbers
    markdown: bool = False  # several lines of Markdown allowed
    media: bool = False  # a bare file name inside the entry's folder
    url: bool = False  # an http(s) address
    minimum: int | None = None  # for numbers
    maximum: int | None = None
    pattern: str | None = None  # a regular expression the text must match
    pattern_hint: str = ""
    max_length: int | None = None  # characters, for text; every text field has one
    links: bool = False  # Markdown whose links must be absolute http(s), no images


def spec(zh: str, default: Any = ..., **kw: Any) -> Any:
    """A dataclass field with editor-facing metadata; `...` means required."""
    meta = {"showcase": Spec(zh, **kw)}
    if default is ...:
        return field(metadata=meta)
    if isinstance(default, list | dict | set):
        raise TypeError("use tuple defaults in frozen models")
    return field(default=default, metadata=meta)


def spec_of(f: Any) -> Spec:
    return f.metadata.get("showcase") or Spec("")


@dataclass(frozen=True)
class Loc:
    """Where an object and each of its fields were written, for cross-file messages."""

    path: str = ""
    line: int = 1
    col: int = 1
    fields: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def at(self, name: str) -> tuple[str, int, int]:
        line, col = self.fields.get(name, (self.line, self.col))
        return self.path, line, col


NOWHERE = Loc()
