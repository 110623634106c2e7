"""Turn located YAML nodes into model objects, driven by the model's type hints.

Each scalar's *text* is typed here by the field it fills, never by YAML 1.1 rules.
Problems are collected with the line and column of the offending node; a field that
fails makes its object invalid (None) but checking goes on so all problems are reported.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from functools import cache
from typing import Any, Literal, get_args, get_origin
from urllib.parse import urlsplit

from showcase import chars
from showcase.dates import DATE_HINT, EARLIEST_YEAR, PartialDate
from showcase.fields import SLUG_HINT, SLUG_RE, Loc, Spec, spec_of
from showcase.problems import Problems
from showcase.yamlload import Mapping, Node, Scalar, Sequence

if typing.TYPE_CHECKING:
    from showcase.settings import Settings

INT_RE = re.compile(r"^[-+]?\d+$")
NUMBER_RE = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
INVALID: Any = object()
LIST_COMMA = re.compile(r"[，、]")  # written between list items, but only "," separates


class Converter:
    def __init__(self, path: str, problems: Problems, settings: Settings | None) -> None:
        self.path, self.problems, self.settings = path, problems, settings
        self.ok = True
        self.failed: list[str] = []  # field paths that had a problem

    def fail(self, node: Node, name: str, message: str, hint: str = "") -> Any:
        self.problems.add(self.path, node.line, node.col, name, message, hint)
        self.ok = False
        self.failed.append(name)
        return INVALID

    def missing(self, node: Node, name: str, fname: str, zh: str) -> None:
        """A required field not written at all: said at the file's first line (a whole
        file) or where its item starts (an item of a list), never at another field."""
        full = f"{name}.{fname}" if name else fname
        if name:
            where = Scalar("", True, node.line, node.col)
            message = f"{name} 这一项（从这一行开始）缺少必填字段「{fname}」"
            hint = f"在这一项里添加 {fname}: …（{zh}）"
        else:
            where = Scalar("", True, 1, 1)
            message = f"文件里缺少必填字段「{fname}」"
            hint = f"添加一行 {fname}: …（{zh}）"
        self.fail(where, full, message, hint)

    def value(self, node: Node, tp: Any, name: str, sp: Spec) -> Any:
        if isinstance(node, Scalar) and (
            bad := chars.bad_char(node.text.strip(), multiline=sp.markdown)
        ):
            return self.fail(node, name, chars.describe(bad.group()), chars.HINT)
        origin = get_origin(tp)
        if origin in (types.UnionType, typing.Union):
            options = [a for a in get_args(tp) if a is not type(None)]
            if isinstance(node, Scalar) and node.is_null:
                return None
            if options == [int, float]:
                return self.number(node, name, sp)
            return self.value(node, options[0], name, sp)
        if origin is tuple:
            return self.sequence(node, get_args(tp)[0], name, sp)
        if is_dataclass(tp) and tp is not PartialDate:
            return self.obj(node, tp, name)
        if not isinstance(node, Scalar):
            return self.fail(
                node, name, "这里应填一个值，而不是列表或子项", "把值写在冒号后面的同一行"
            )
        if origin is Literal:
            return self.choice(node, name, get_args(tp))
        if tp is bool:
            return self.boolean(node, name)
        if tp is int:
            return self.number(node, name, sp, integer=True)
        if tp is PartialDate:
            try:
                return PartialDate.parse(node.text)
            except ValueError as err:
                return self.fail(node, name, str(err), DATE_HINT)
        return self.text(node, name, sp)

    def text(self, node: Scalar, name: str, sp: Spec) -> Any:
        text = node.text.strip()
        if node.is_null or not text:
            return self.fail(node, name, "不能为空", "填写内容，或删除这一行")
        if sp.max_length is not None and len(text) > sp.max_length:
            return self.fail(
                node,
                name,
                f"太长了（最多 {sp.max_length} 个字，现在 {len(text)} 个）",
                f"删减到 {sp.max_length} 个字以内",
            )
        if sp.quoted and node.plain and NUMBER_RE.match(text):
            return self.fail(
                node,
                name,
                "数字串必须加引号，否则可能被改写",
                f'写成 {name.split(".")[-1]}: "{text}"',
            )
        if "\n" in text and not sp.markdown:
            return self.fail(
                node, name, "只能写一行", "删掉换行，或把长内容写到 bio / description 中"
            )
        if sp.slug and not SLUG_RE.match(text):
            return self.fail(node, name, f"「{text}」不是合法的文件夹名", SLUG_HINT)
        if sp.pattern and not re.match(sp.pattern, text):
            return self.fail(node, name, f"「{text}」的写法不对", sp.pattern_hint)
        if sp.url:
            return self.url(node, name, text)
        if sp.vocab and self.settings is not None:
            return self.vocab_term(node, name, text, sp.vocab)
        return text

    def url(self, node: Scalar, name: str, text: str) -> Any:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return self.fail(
                node, name, f"「{text}」不是 http/https 网址", "以 https:// 开头的完整网址"
            )
        return text

    def vocab_term(self, node: Scalar, name: str, text: str, vocab: str) -> Any:
        assert self.settings is not None
        allowed = self.settings.vocab(vocab)
        if text in allowed:
            return text
        meant = self.settings.alias(vocab, text) or _closest(text, allowed)
        hint = f"是否指「{meant}」？" if meant else "可选：" + "、".join(allowed[:12])
        label = {"honors": "荣誉称号", "districts": "地区", "industries": "行业"}.get(vocab, "取值")
        return self.fail(node, name, f"未知的{label}「{text}」", hint)

    def choice(self, node: Scalar, name: str, options: tuple[str, ...]) -> Any:
        text = "" if node.is_null else node.text.strip()
        if text in options:
            return text
        shown = "、".join(o for o in options if o)
        return self.fail(node, name, f"「{text}」不是可选值", f"可选：{shown}")

    def boolean(self, node: Scalar, name: str) -> Any:
        text = node.text.strip().lower()
        if node.plain and text in ("true", "false"):
            return text == "true"
        return self.fail(
            node, name, f"「{node.text}」不是 true 或 false", "写 true（是）或 false（否）"
        )

    def number(self, node: Node, name: str, sp: Spec, *, integer: bool = False) -> Any:
        text = node.text.strip() if isinstance(node, Scalar) else ""
        pattern = INT_RE if integer else NUMBER_RE
        if not pattern.match(text):
            return self.fail(
                node,
                name,
                f"「{text}」不是{'整数' if integer else '数字'}",
                "只写阿拉伯数字，如 300",
            )
        value = int(text) if INT_RE.match(text) else float(text)
        if sp.minimum is not None and value < sp.minimum:
            return self.fail(node, name, f"{value} 小于 {sp.minimum}", "检查数值")
        if sp.maximum is not None and value > sp.maximum:
            return self.fail(node, name, f"{value} 大于 {sp.maximum}", "检查数值")
        return value

    def sequence(self, node: Node, item_tp: Any, name: str, sp: Spec) -> Any:
        if isinstance(node, Scalar) and node.is_null:
            return ()
        if not isinstance(node, Sequence):
            return self.fail(node, name, "这里应是列表", "每一项单独一行，以「- 」开头")
        items = [self.item(node, i, item_tp, name, sp) for i in range(len(node.items))]
        return tuple(i for i in items if i is not INVALID)  # the rest is still checked

    def item(self, seq: Sequence, i: int, item_tp: Any, name: str, sp: Spec) -> Any:
        """One list item. In brackets, `[技能传承，测试]` is one item (a Chinese comma is
        no separator): a warning with the split it probably meant, or, when the item is
        refused anyway (a slug, a vocabulary term), that hint on its error."""
        node, full = seq.items[i], f"{name}[{i}]"
        before = len(self.problems.items)
        value = self.value(node, item_tp, full, sp)
        if not (seq.flow and isinstance(node, Scalar) and LIST_COMMA.search(node.text)):
            return value
        hint = f"是否想写成 [{', '.join(_split_items(seq))}]？"
        if len(self.problems.items) > before:
            first = self.problems.items[before]
            del self.problems.items[before:]
            self.problems.items.append(dataclasses.replace(first, hint=hint))
            return value
        message = f"「{node.text.strip()}」会当作一项：方括号里要用英文逗号分隔"
        self.problems.add(self.path, node.line, node.col, full, message, hint, warning=True)
        return value

    def obj(self, node: Node, cls: Any, name: str, extra: dict[str, Any] | None = None) -> Any:
        if isinstance(node, Scalar) and cls.SHORTHAND and not node.is_null:
            node = Mapping(
                ((Scalar(cls.SHORTHAND, True, node.line, node.col), node),), node.line, node.col
            )
        if not isinstance(node, Mapping):
            return self.fail(node, name, "这里应是「键: 值」的子项", "参照模板的缩进写法")
        known = _fields(cls)
        values: dict[str, Any] = dict(extra or {})
        where: dict[str, tuple[int, int]] = {}
        meant: set[str] = set()  # required fields a misspelt key probably stands for
        for key, child in node.items:
            full = f"{name}.{key.text}" if name else key.text
            if bad := chars.bad_char(key.text):
                self.fail(key, name, "字段名" + chars.describe(bad.group()), chars.HINT)
                continue
            if key.text not in known or key.text in ("loc", "slug"):
                guess = _closest(key.text, [k for k in known if k not in ("loc", "slug")])
                meant.add(guess or "")
                hint = f"是否指「{guess}」？" if guess else "删除这一行，或查看模板中的字段"
                self.fail(key, full, f"未知的字段「{key.text}」", hint)
                continue
            f = known[key.text]
            value = self.value(child, f.type, full, spec_of(f))
            _record(where, key.text, child)
            # A failed field gets a neutral stand-in (publish: False, lists empty), so the
            # checks that follow neither crash nor pile up problems that are only echoes.
            values[key.text] = placeholder(f.type) if value is INVALID else value
        for fname, f in known.items():
            if fname in values or f.default is not MISSING or f.default_factory is not MISSING:
                continue  # given (maybe failed: then already a stand-in) or optional
            full = f"{name}.{fname}" if name else fname
            if fname not in meant and full not in self.failed:
                self.missing(node, name, fname, spec_of(f).zh)
            values[fname] = placeholder(f.type)
        # Even with problems the object is built (failed fields at their defaults), so the
        # checks across files still run and report everything in one go; `ok` stays False.
        return cls(loc=Loc(self.path, node.line, node.col, where), **values)


def placeholder(tp: Any) -> Any:
    """A stand-in for a required field that failed: never rendered, only cross-checked."""
    origin = get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return None
    if origin is tuple:
        return ()
    if origin is Literal:
        return get_args(tp)[0]
    if tp is PartialDate:
        return PartialDate(EARLIEST_YEAR)
    if is_dataclass(tp):
        return tp(
            **{
                f.name: placeholder(f.type)
                for f in _fields(tp).values()
                if f.default is MISSING and f.default_factory is MISSING
            }
        )
    return {bool: False, int: 0}.get(tp, "")


def _record(where: dict[str, tuple[int, int]], key: str, node: Node) -> None:
    where[key] = (node.line, node.col)
    if isinstance(node, Scalar) and node.body:  # a literal block: where its text starts
        skipped = node.text[: len(node.text) - len(node.text.lstrip())].count("\n")
        where[f"{key}:body"] = (node.body[0] + skipped, node.body[1])
    if isinstance(node, Sequence):
        for i, item in enumerate(node.items):
            where[f"{key}[{i}]"] = (item.line, item.col)


@cache
def _fields(cls: Any) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    result = {}
    for f in fields(cls):
        f.type = hints[f.name]
        result[f.name] = f
    return result


def _split_items(seq: Sequence) -> list[str]:
    """The items of a bracketed list as the editor probably meant them."""
    out: list[str] = []
    for node in seq.items:
        text = node.text if isinstance(node, Scalar) else "…"
        out += [part.strip() for part in LIST_COMMA.split(text) if part.strip()]
    return out


def _closest(word: str, options: typing.Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return found[0] if found else None


def model_fields(cls: Any) -> dict[str, Any]:
    """Fields of a model class with their resolved types (shared with the schema writer)."""
    return _fields(cls)
