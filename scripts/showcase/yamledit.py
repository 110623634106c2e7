"""Surgical edits of a profile's YAML text: everything not edited stays byte for byte.

The text is parsed into nodes that know their character span (PyYAML's marks); an edit
replaces a span or inserts lines, so editors' comments, quoting, flow or block style and
field order survive. The roster import is the only user; the result is always checked by
the strict loader (yamlload + convert) before it is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml


@dataclass
class ENode:
    kind: str  # "scalar" | "map" | "seq"
    start: int
    end: int
    line: int  # 1-based
    col: int  # 1-based
    text: str = ""
    plain: bool = True
    block: bool = False  # literal or folded block scalar
    flow: bool = False  # [..] or {..}
    items: list[ENode] = field(default_factory=list)  # sequence items
    pairs: list[tuple[ENode, ENode]] = field(default_factory=list)  # mapping entries

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.plain and self.text in ("", "~", "null", "Null")

    def get(self, key: str) -> ENode | None:
        return next((v for k, v in self.pairs if k.text == key), None)

    def key(self, key: str) -> ENode | None:
        return next((k for k, _ in self.pairs if k.text == key), None)


def parse(text: str) -> ENode | None:
    """The root mapping with spans, or None when the text is not plain block YAML."""
    try:
        events = iter(list(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))))
    except yaml.YAMLError:
        return None

    def node(ev: yaml.Event) -> ENode:
        line, col = ev.start_mark.line + 1, ev.start_mark.column + 1
        if isinstance(ev, yaml.ScalarEvent):
            return ENode(
                "scalar",
                ev.start_mark.index,
                ev.end_mark.index,
                line,
                col,
                ev.value,
                not ev.style,
                ev.style in ("|", ">"),
            )
        if isinstance(ev, yaml.SequenceStartEvent):
            n = ENode("seq", ev.start_mark.index, 0, line, col, flow=bool(ev.flow_style))
            for child in events:
                if isinstance(child, yaml.SequenceEndEvent):
                    n.end = child.end_mark.index
                    return n
                n.items.append(node(child))
        if isinstance(ev, yaml.MappingStartEvent):
            n = ENode("map", ev.start_mark.index, 0, line, col, flow=bool(ev.flow_style))
            for child in events:
                if isinstance(child, yaml.MappingEndEvent):
                    n.end = child.end_mark.index
                    return n
                n.pairs.append((node(child), node(next(events))))
        raise ValueError("unsupported YAML")

    try:
        next(events)  # stream start
        next(events)  # document start
        root = node(next(events))
    except (ValueError, StopIteration):
        return None
    return root if root.kind == "map" and not root.flow else None


def last_leaf(node: ENode) -> ENode:
    while node.kind != "scalar" and not node.flow:
        if node.pairs:
            key, value = node.pairs[-1]
            node = key if value.is_null and value.start == value.end else value
        elif node.items:
            node = node.items[-1]
        else:
            break
    return node


PLAIN_RE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
NULLISH = {"", "~", "null", "Null", "NULL", "true", "false", "True", "False", "yes", "no"}


def scalar(value: str, *, quoted: bool = False, flow: bool = False) -> str:
    """Plain when it reads back as the same text, else double-quoted (JSON escapes are
    valid YAML)."""
    plain = (
        not quoted
        and PLAIN_RE.match(value)
        and value == value.strip()
        and value not in NULLISH
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and not (flow and any(c in value for c in ",[]{}"))
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


class Editor:
    """Collects edits on one text, then applies them from the end so spans stay valid."""

    def __init__(self, text: str) -> None:
        self.text = text if text.endswith("\n") or not text else text + "\n"
        self.edits: list[tuple[int, int, int, str]] = []  # start, end, order, new text

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def insert(self, at: int, new: str) -> None:
        self.edits.append((at, at, len(self.edits), new))

    def result(self) -> str:
        text = self.text
        for start, end, _, new in sorted(self.edits, key=lambda e: (e[0], e[2]), reverse=True):
            text = text[:start] + new + text[end:]
        return text

    # -- positions -----------------------------------------------------------------------

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """Just after the newline ending the line that holds `index`."""
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def after(self, node: ENode) -> int:
        """The start of the line after a node's last character. A block collection's own
        end mark sits at the next token (past comments), so its last scalar decides."""
        node = last_leaf(node)
        end = max(node.start, node.end - 1)
        while end > node.start and self.text[end] in " \n":
            end -= 1
        return self.line_end(end)

    def before_comments(self, key: ENode) -> int:
        """The start of the comment lines directly above a top-level key."""
        at = self.line_start(key.start)
        while at > 0:
            prev = self.line_start(at - 1)
            if not self.text[prev:at].lstrip().startswith("#"):
                break
            at = prev
        return at

    # -- edits ----------------------------------------------------------------------------

    def set_scalar(self, key: ENode, value: ENode, new: str) -> None:
        """Replace a scalar (or an empty value) keeping a trailing comment."""
        if value.is_null and value.start == value.end:
            colon = self.text.index(":", key.end)
            self.insert(colon + 1, " " + new)
        elif value.block:
            self.replace(value.start, value.end, new + "\n")
        else:
            self.replace(value.start, value.end, new)

    def add_to_map(self, mapping: ENode, lines: list[str]) -> None:
        """Add `key: value` entries at the end of a block or flow mapping."""
        if mapping.flow:
            closing = self.text.rindex("}", mapping.start, mapping.end)
            sep = ", " if mapping.pairs else ""
            self.insert(closing, sep + ", ".join(lines))
            return
        indent = " " * (mapping.pairs[0][0].col - 1)
        self.insert(self.after(mapping.pairs[-1][1]), "".join(f"{indent}{x}\n" for x in lines))

    def add_to_seq(self, seq: ENode, item_flow: str, item_block: list[str]) -> None:
        """Append an item: `item_flow` in a flow sequence, `item_block` lines in a block one."""
        if seq.flow:
            closing = self.text.rindex("]", seq.start, seq.end)
            self.insert(closing, (", " if seq.items else "") + item_flow)
            return
        dash = " " * (seq.col - 1)
        body = [f"{dash}- {item_block[0]}"] + [f"{dash}  {x}" for x in item_block[1:]]
        self.insert(self.after(seq.items[-1]), "".join(f"{x}\n" for x in body))
