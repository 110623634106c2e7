"""Strict YAML loading into a located node tree.

PyYAML is used only as a parser: its event stream is composed here into nodes that keep
their line and column and the *text* of every scalar. Types are decided later by the model
(convert.py), so YAML 1.1 resolution never runs: `no` stays "no", `0123` stays "0123" and
`1:20` stays "1:20" wherever a string is expected. Anchors, aliases, tags, directives,
duplicate keys, several documents and non-mapping documents are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from showcase.problems import Problems


@dataclass(frozen=True)
class Scalar:
    text: str
    plain: bool  # unquoted, so "null", "", "~" mean nothing
    line: int
    col: int

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Mapping:
    items: tuple[tuple[Scalar, Node], ...]
    line: int
    col: int

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.text == key:
                return v
        return None


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    line: int
    col: int


Node = Scalar | Mapping | Sequence

SYNTAX_HINT = "检查缩进（只用空格，不用 Tab）、冒号后的空格和引号是否成对"


class _Refused(Exception):
    def __init__(self, event: yaml.Event, message: str, hint: str) -> None:
        super().__init__(message)
        self.event, self.message, self.hint = event, message, hint


def _pos(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _check_event(event: yaml.Event) -> None:
    if getattr(event, "anchor", None) is not None:
        raise _Refused(
            event, f"不允许使用锚点「&{event.anchor}」", "把内容直接写出来，不要用 & 和 *"
        )
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(
            event, f"不允许使用别名「*{event.anchor}」", "把内容直接写出来，不要用 & 和 *"
        )
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        raise _Refused(event, f"不允许使用类型标签「{tag}」", "删掉以 ! 开头的标签，直接写值")


class _Composer:
    def __init__(self, events: Iterator[yaml.Event], problems: Problems, path: str) -> None:
        self.events, self.problems, self.path = events, problems, path

    def node(self, event: yaml.Event) -> Node:
        _check_event(event)
        line, col = _pos(event)
        if isinstance(event, yaml.ScalarEvent):
            return Scalar(event.value, event.style is None, line, col)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            for child in self.events:
                if isinstance(child, yaml.SequenceEndEvent):
                    return Sequence(tuple(items), line, col)
                items.append(self.node(child))
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(line, col)
        raise _Refused(event, "无法识别的 YAML 结构", SYNTAX_HINT)

    def mapping(self, line: int, col: int) -> Mapping:
        items: list[tuple[Scalar, Node]] = []
        seen: dict[str, Scalar] = {}
        for key_event in self.events:
            if isinstance(key_event, yaml.MappingEndEvent):
                return Mapping(tuple(items), line, col)
            key = self.node(key_event)
            value = self.node(next(self.events))
            if not isinstance(key, Scalar):
                raise _Refused(key_event, "键必须是简单的文字", "键写成 name: 值 的形式")
            if key.text in seen:
                first = seen[key.text]
                self.problems.add(
                    self.path,
                    key.line,
                    key.col,
                    key.text,
                    f"重复的键「{key.text}」（第 {first.line} 行已经写过）",
                    "删除其中一个，或合并两处内容",
                )
                continue
            seen[key.text] = key
            items.append((key, value))
        raise AssertionError("unterminated mapping")  # the parser guarantees an end event


def load_text(text: str, path: str, problems: Problems) -> Mapping | None:
    """Parse one YAML document; on any problem record it and return None."""
    before = len(problems.items)
    try:
        events = iter(list(yaml.parse(text, Loader=yaml.SafeLoader)))
        composer = _Composer(events, problems, path)
        next(events)  # StreamStart
        start = next(events)
        if isinstance(start, yaml.StreamEndEvent):
            problems.add(path, 1, 1, "", "文件是空的", "从模板复制一份再填写")
            return None
        if start.version is not None or start.tags:
            raise _Refused(start, "不允许使用 %YAML 或 %TAG 指令", "删除文件开头以 % 开头的行")
        root = composer.node(next(events))
        next(events)  # DocumentEnd
        extra = next(events)
        if not isinstance(extra, yaml.StreamEndEvent):
            raise _Refused(extra, "一个文件只能有一个文档", "删除多余的 --- 分隔线及其后的内容")
    except _Refused as refused:
        line, col = _pos(refused.event)
        problems.add(path, line, col, "", refused.message, refused.hint)
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(path, line, col, "", f"YAML 语法错误：{err.problem or err}", SYNTAX_HINT)
        return None
    except yaml.YAMLError as err:
        problems.add(path, 1, 1, "", f"YAML 无法读取：{err}", SYNTAX_HINT)
        return None
    if not isinstance(root, Mapping):
        problems.add(
            path,
            root.line,
            root.col,
            "",
            "文件顶层必须是「键: 值」的映射",
            "参照模板，每行以字段名开头",
        )
        return None
    return root if len(problems.items) == before else None


def load_file(path: Path, display: str, problems: Problems) -> Mapping | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        problems.add(
            display, 1, 1, "", f"文件不是 UTF-8 编码（第 {err.start} 字节）", "用编辑器另存为 UTF-8"
        )
        return None
    return load_text(text.removeprefix("\ufeff"), display, problems)
