"""Strict YAML loading into a located node tree.

PyYAML is used only as a parser: its event stream is composed here into nodes that keep
their line and column and the *text* of every scalar. Types are decided later by the model
(convert.py), so YAML 1.1 resolution never runs: `no` stays "no", `0123` stays "0123" and
`1:20` stays "1:20" wherever a string is expected. Anchors, aliases, tags, directives,
duplicate keys, several documents and non-mapping documents are refused. A file over
MAX_BYTES is refused before it is parsed, and nesting deeper than MAX_DEPTH where it starts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from showcase.problems import Problems
from showcase.tree import not_regular

MAX_BYTES = 512 * 1024  # a profile is a few KB; the longest allowed one is under 100 KB
MAX_DEPTH = 12  # the model needs 4 levels (worker → gallery → picture → …)


@dataclass(frozen=True)
class Scalar:
    text: str
    plain: bool  # unquoted, so "null", "", "~" mean nothing
    line: int
    col: int
    # A literal block (`|`): where its text starts in the file (line, column), so that a
    # problem found inside a Markdown field can be located at its own line.
    body: tuple[int, int] | None = None

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Mapping:
    items: tuple[tuple[Scalar, Node], ...]
    line: int
    col: int


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    line: int
    col: int
    flow: bool = False  # written in brackets: [a, b]


Node = Scalar | Mapping | Sequence

SYNTAX_HINT = "检查缩进（只用空格，不用 Tab）、冒号后的空格和引号、括号是否成对"
NO_REFS = "把内容直接写出来，不要用 & 和 *"
# PyYAML's problems, said for editors. The first matching fragment wins.
SYNTAX_MESSAGES = (
    ("'\\t'", "不能用 Tab 缩进", "把 Tab 换成空格"),
    ("expected ',' or ']'", "方括号 [ 没有闭合", "在列表末尾补上 ]"),
    ("expected ',' or '}'", "花括号 { 没有闭合", "在末尾补上 }"),
    ("end of stream", "引号没有配对", "在内容末尾补上引号"),
    ("mapping values are not allowed", "这里不能出现冒号", "值里有「: 」时，把整个值用引号括起来"),
    ("expected <block end>", "缩进不一致", "同一层的字段要对齐，子项比上一层多缩进两个空格"),
    ("could not find expected ':'", "缺少冒号", "写成「字段: 值」，冒号后留一个空格"),
    ("expected alphabetic or numeric character", "不允许使用锚点或别名", NO_REFS),
)


class _Refused(Exception):
    def __init__(self, event: yaml.Event, message: str, hint: str) -> None:
        super().__init__(message)
        self.event, self.message, self.hint = event, message, hint


def _pos(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _check_event(event: yaml.Event) -> None:
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(event, f"不允许使用别名「*{event.anchor}」", NO_REFS)
    if getattr(event, "anchor", None) is not None:
        raise _Refused(event, f"不允许使用锚点「&{event.anchor}」", NO_REFS)
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise _Refused(event, f"不允许使用类型标签「{shown}」", "删掉以 ! 开头的标签，直接写值")


class _Composer:
    def __init__(
        self, events: Iterator[yaml.Event], problems: Problems, path: str, text: str
    ) -> None:
        self.events, self.problems, self.path, self.text = events, problems, path, text

    def node(self, event: yaml.Event, field: str = "", depth: int = 1) -> Node:
        _check_event(event)
        line, col = _pos(event)
        if isinstance(event, yaml.ScalarEvent):
            body = self.body(line) if event.style == "|" else None
            return Scalar(event.value, not event.style, line, col, body)  # plain: None or ""
        if depth > MAX_DEPTH:
            message = f"嵌套层次太深（最多 {MAX_DEPTH} 层）"
            raise _Refused(event, message, "检查括号是否成对，参照模板减少嵌套")
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            for child in self.events:
                if isinstance(child, yaml.SequenceEndEvent):
                    return Sequence(tuple(items), line, col, bool(event.flow_style))
                items.append(self.node(child, f"{field}[{len(items)}]", depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(line, col, field, depth)
        raise _Refused(event, "无法识别的 YAML 结构", SYNTAX_HINT)

    def body(self, line: int) -> tuple[int, int]:
        """Where the text of a literal block whose `|` is on `line` starts: the next line,
        at the indentation of its first non-blank line."""
        first = next((t for t in self.lines[line:] if t.strip()), "")
        return line + 1, len(first) - len(first.lstrip(" ")) + 1

    @functools.cached_property  # on the composer (functools.cache kept every composer,
    def lines(self) -> list[str]:  # its text and all its events for the whole process)
        return self.text.split("\n")

    def mapping(self, line: int, col: int, field: str, depth: int = 1) -> Mapping:
        items: list[tuple[Scalar, Node]] = []
        seen: dict[str, Scalar] = {}
        for key_event in self.events:
            if isinstance(key_event, yaml.MappingEndEvent):
                return Mapping(tuple(items), line, col)
            key = self.node(key_event, depth=depth + 1)
            if not isinstance(key, Scalar):
                raise _Refused(key_event, "键必须是简单的文字", "键写成 name: 值 的形式")
            full = f"{field}.{key.text}" if field else key.text
            value = self.node(next(self.events), full, depth + 1)
            if key.text in seen:
                first = seen[key.text]
                message = f"重复的键「{key.text}」（第 {first.line} 行已经写过）"
                self.problems.add(
                    self.path, key.line, key.col, full, message, "删除其中一个，或合并两处内容"
                )
                continue
            seen[key.text] = key
            items.append((key, value))
        raise AssertionError("unterminated mapping")  # the parser guarantees an end event


def _syntax_problem(err: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str, str]:
    """Where and what, in Chinese. Unclosed brackets and quotes point at where they open."""
    problem = f"{err.context or ''} {err.problem or ''}"
    for fragment, message, hint in SYNTAX_MESSAGES:
        if fragment in problem:
            opened = "flow" in (err.context or "") or "quoted" in (err.context or "")
            mark = err.context_mark if opened and err.context_mark else err.problem_mark
            return mark, f"YAML 语法错误：{message}", hint
    return err.problem_mark or err.context_mark, f"YAML 语法错误：{err.problem or err}", SYNTAX_HINT


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _events(text: str) -> list[yaml.Event]:
    """Parse with libyaml when available (3x faster); its error messages differ, so a file
    it refuses is parsed again by PyYAML's own parser, whose messages we translate."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return list(yaml.parse(text, Loader=fast))
        except yaml.YAMLError:
            pass
    return list(yaml.parse(text, Loader=yaml.SafeLoader))


def load_text(text: str, path: str, problems: Problems) -> Mapping | None:
    """Parse one YAML document; on any problem record it and return None."""
    try:
        events = iter(_events(text))
        composer = _Composer(events, problems, path, text)
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
    except yaml.reader.ReaderError as err:
        line, col = _line_col(text, err.position)
        message = f"文件含有不可见的控制字符（U+{err.character:04X}）"
        problems.add(path, line, col, "", message, "删除这个字符，或从别处重新粘贴为纯文本")
        return None
    except yaml.MarkedYAMLError as err:
        mark, message, hint = _syntax_problem(err)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(path, line, col, "", message, hint)
        return None
    if not isinstance(root, Mapping):
        hint = "参照模板，每行以字段名开头"
        problems.add(path, root.line, root.col, "", "文件顶层必须是「键: 值」的映射", hint)
        return None
    # Duplicate keys were reported; the first value is kept so that other problems show too.
    return root


def read_text(
    path: Path, display: str, problems: Problems, max_bytes: int = MAX_BYTES
) -> str | None:
    """A file's text as UTF-8 (BOM dropped, CRLF to LF), or a located problem and None.
    Only a regular file is opened (never a symlink, a FIFO or a device), and only up to
    `max_bytes`: a larger file is refused unread."""
    refused = not_regular(path)
    if refused:
        problems.add(display, 1, 1, "", *refused)
        return None
    with path.open("rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        message = f"文件太大了（最多 {max_bytes // 1024} KB）"
        problems.add(display, 1, 1, "", message, "检查是否误粘贴了大量内容，或把文件拆小")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, err.start) + 1
        col = len(data[line_start : err.start].decode("utf-8", "replace")) + 1
        message = f"文件不是 UTF-8 编码（第 {err.start + 1} 字节）"
        problems.add(display, line, col, "", message, "用编辑器把文件另存为 UTF-8 编码")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def load_file(path: Path, display: str, problems: Problems) -> Mapping | None:
    text = read_text(path, display, problems)
    return None if text is None else load_text(text, display, problems)
