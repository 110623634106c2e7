"""Matching roster rows to profiles and merging them, for `showcase import roster`.

A row is matched to an existing profile by ID number, by name + employer as the previous
import wrote them, or by name + employer in the profile (`same_name`: a row without an ID
number whose name an unmatched profile has is refused, not guessed). Updates are three-way
merges per field (`Merge`), with the record of what the previous import wrote
(`roster-state.json`) as the base; private values are recorded as SHA-256 digests, never as
text. New profiles are written from a template that keeps them `publish: false`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from showcase.convert import model_fields
from showcase.fields import SLUG
from showcase.load import entry_folders
from showcase.model import Worker
from showcase.rosterread import PRIVATE, SCALARS, Issue, Row, Val, key_of
from showcase.yamledit import Editor, ENode, parse, scalar

STATE_FILE = "roster-state.json"
ABSENT = None  # a field the file (or the record) does not have

NEW_HEADER = """\
# yaml-language-server: $schema=../../schemas/worker.schema.json
# 由 showcase import roster 从花名册导入。以 # 开头的行是说明，不会显示在网站上。
# 再次导入时只更新花名册带来的字段；手工改过的字段不会被覆盖（导入会报告冲突）。
"""
NEW_PUBLISH = """
# 公开前必须填写公开依据（二选一）：consent（本人书面同意，写 date 和 scope）
# 或 sources（公开出处，写 title 等），确认后再把 publish 改为 true。
publish: false
"""


def digest(value: str) -> str:
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


class Refused(Exception):
    """The import cannot start (a damaged state record): one Chinese line, exit 2."""


# -- the state record -----------------------------------------------------------------------


def load_state(root: Path) -> dict[str, Any]:
    path = root / STATE_FILE
    if not path.is_file():
        return {"version": 1, "workers": {}}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise Refused(
            f"{STATE_FILE} 已损坏，无法读取（提示：从版本库恢复这个文件：git checkout -- {STATE_FILE}）"
        ) from None
    data.setdefault("workers", {})
    return data


def dump_state(state: dict[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# -- existing profiles ----------------------------------------------------------------------


@dataclass
class Profile:
    slug: str
    rel: str
    text: str
    root: ENode | None

    def scalar(self, path: str) -> str | None:
        node = self.node(path)
        if node is None or node.is_null:
            return ABSENT
        return node.text.strip() if node.kind == "scalar" else "〈不是单个值〉"

    def node(self, path: str) -> ENode | None:
        node = self.root
        for part in path.split("."):
            if node is None or node.kind != "map":
                return None
            node = node.get(part)
        return node

    def honors(self) -> dict[str, tuple[ENode, str | None]]:
        found: dict[str, tuple[ENode, str | None]] = {}
        seq = self.node("honors")
        for item in seq.items if seq is not None and seq.kind == "seq" else []:
            if item.kind == "scalar":
                found.setdefault(item.text.strip(), (item, ABSENT))
            elif item.kind == "map" and (title := item.get("title")) is not None:
                year = item.get("year")
                shown = year.text.strip() if year is not None and not year.is_null else ABSENT
                found.setdefault(title.text.strip(), (item, shown))
        return found

    def studios(self) -> set[str]:
        seq = self.node("studios")
        items = seq.items if seq is not None and seq.kind == "seq" else []
        return {i.text.strip() for i in items if i.kind == "scalar"}


def existing_profiles(root: Path) -> dict[str, Profile]:
    found = {}
    for folder in entry_folders(root, "workers"):
        path = folder / "profile.yml"
        if path.is_file() and not path.is_symlink():
            text = path.read_text("utf-8").removeprefix("\ufeff")
            rel = f"workers/{folder.name}/profile.yml"
            found[folder.name] = Profile(folder.name, rel, text, parse(text))
    return found


# -- merging one row into a profile ---------------------------------------------------------

ORDER = [name for name in model_fields(Worker) if name not in ("loc", "slug")]


@dataclass
class Change:
    rel: str
    row: int
    created: bool
    text: str  # the new text
    old: str | None
    fields: list[str]  # what changed, for the report (private values not shown)
    record: dict[str, Any]


def slugify(pinyin: str) -> str:
    text = pinyin.lower().replace("ü", "v")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    slug = slug[: SLUG - 4].strip("-")
    return slug if slug and slug[0].isalpha() else f"worker-{slug}".strip("-")


class Merge:
    """The three-way merge of one row into one profile text."""

    def __init__(
        self, profile: Profile, record: dict[str, Any], where: Callable[[Val], Issue]
    ) -> None:
        self.profile, self.base = profile, dict(record.get("fields", {}))
        self.record = dict(self.base)
        self.edit = Editor(profile.text)
        self.where = where
        self.conflicts: list[Issue] = []
        self.changed: list[str] = []
        self.top_inserts: dict[str, list[str]] = {}
        self.private_add: list[str] = []

    def decide(
        self, key: str, ours: str | None, theirs: str, val: Val, line_of: ENode | None
    ) -> bool:
        """True when the roster's value is to be written."""
        private = key.startswith("private.")
        stored = digest(theirs) if private else theirs
        base = self.base.get(key, ABSENT)
        mine = ours if ours is None or not private else digest(ours)
        if mine == stored:
            self.record[key] = stored
            return False
        if mine == base:
            self.record[key] = stored
            self.changed.append(key)
            return True
        if stored == base:
            return False  # the editor changed it by hand; the roster did not
        issue = self.where(val)
        node = line_of or self.profile.root
        at = f"{self.profile.rel}:{node.line}:{node.col}" if node is not None else self.profile.rel
        if private:
            detail = "档案与花名册不同，也不是上次导入的内容（存档信息不显示）"
        else:
            now = f"「{ours}」" if ours is not None else "（已删除）"
            last = f"「{base}」" if base is not None else "（从未导入）"
            detail = f"档案现为{now}，花名册为「{theirs}」，上次导入为{last}"
        self.conflicts.append(
            Issue(issue.file, issue.sheet, issue.row, issue.col, issue.where, issue.label,
                  f"与手工修改冲突：{at}：{detail}",
                  "保留哪个就把另一处改成一样：改花名册，或改档案，再重新导入；这份档案这次没有改动")
        )  # fmt: skip
        return False

    def scalars(self, row: Row) -> None:
        for name in SCALARS:
            if name not in row.values:
                continue
            val = row.values[name]
            node = self.profile.node(name)
            if self.decide(name, self.profile.scalar(name), val.text, val, node):
                text = scalar(val.text)
                key = self.profile.root.key(name) if self.profile.root else None
                if node is not None and key is not None and node.kind == "scalar":
                    self.edit.set_scalar(key, node, text)
                else:
                    self.top_inserts[name] = [f"{name}: {text}"]

    def private(self, row: Row) -> None:
        mapping = self.profile.node("private")
        for name in PRIVATE:
            if name not in row.values:
                continue
            val, key = row.values[name], f"private.{name}"
            node = self.profile.node(key)
            if not self.decide(key, self.profile.scalar(key), val.text, val, node):
                continue
            text = scalar(val.text, quoted=name in ("phone", "id_number"))
            pkey = mapping.key(name) if mapping is not None and mapping.kind == "map" else None
            if node is not None and pkey is not None and node.kind == "scalar":
                self.edit.set_scalar(pkey, node, text)
            else:
                self.private_add.append(f"{name}: {text}")
        if not self.private_add:
            return
        if mapping is not None and mapping.kind == "map" and mapping.pairs:
            self.edit.add_to_map(mapping, self.private_add)
        elif mapping is not None and self.profile.root is not None:
            self.edit.set_scalar(
                self.profile.root.key("private") or mapping,
                mapping,
                "{" + ", ".join(self.private_add) + "}",
            )
        else:
            self.top_inserts["private"] = [
                "private:                    # 仅供协会存档，永不公开"
            ] + [f"  {x}" for x in self.private_add]

    def honors(self, row: Row) -> None:
        have = self.profile.honors()
        seq = self.profile.node("honors")
        new: list[tuple[str, str | None]] = []
        for title, year, val in row.honors:
            present = title in have
            add = self.decide(f"honors[{title}]", "1" if present else ABSENT, "1", val, seq)
            if add:
                new.append((title, year))
                if year is not None:
                    self.record[f"honors[{title}].year"] = year
                continue
            if not present or year is None:
                continue
            item, ours = have[title]
            ykey = f"honors[{title}].year"
            cell = row.year_cells.get(title, val)  # a year conflict is at the year's cell
            if self.decide(
                ykey, ours, year, cell, item.get("year") if item.kind == "map" else item
            ):
                self.set_year(item, title, year)
        if not new:
            return
        flow = [
            f"{{title: {scalar(t, flow=True)}, year: {y}}}" if y else scalar(t, flow=True)
            for t, y in new
        ]
        if seq is not None and seq.kind == "seq" and (seq.flow or seq.items):
            for (t, y), f in zip(new, flow, strict=True):
                self.edit.add_to_seq(
                    seq, f, [f"title: {scalar(t)}"] + ([f"year: {y}"] if y else [])
                )
        elif seq is not None and self.profile.root is not None:
            self.edit.set_scalar(
                self.profile.root.key("honors") or seq, seq, "[" + ", ".join(flow) + "]"
            )
        else:
            lines = ["honors:"]
            for t, y in new:
                lines += [f"  - title: {scalar(t)}"] + ([f"    year: {y}"] if y else [])
            self.top_inserts["honors"] = lines

    def set_year(self, item: ENode, title: str, year: str) -> None:
        if item.kind == "scalar":
            self.edit.replace(
                item.start, item.end, f"{{title: {scalar(title, flow=True)}, year: {year}}}"
            )
            return
        node, key = item.get("year"), item.key("year")
        if node is not None and key is not None and node.kind == "scalar":
            self.edit.set_scalar(key, node, year)
        elif node is None:
            self.edit.add_to_map(item, [f"year: {year}"])

    def studios(self, row: Row) -> None:
        have = self.profile.studios()
        seq = self.profile.node("studios")
        new = [
            slug
            for slug, val in row.studios
            if self.decide(f"studios[{slug}]", "1" if slug in have else ABSENT, "1", val, seq)
        ]
        if not new:
            return
        if seq is not None and seq.kind == "seq" and (seq.flow or seq.items):
            for slug in new:
                self.edit.add_to_seq(seq, slug, [slug])
        elif seq is not None and self.profile.root is not None:
            self.edit.set_scalar(
                self.profile.root.key("studios") or seq, seq, "[" + ", ".join(new) + "]"
            )
        else:
            self.top_inserts["studios"] = ["studios: [" + ", ".join(new) + "]"]

    def result(self) -> str:
        root = self.profile.root
        assert root is not None
        for name in ORDER:
            if name not in self.top_inserts:
                continue
            later = [
                k
                for k, _ in root.pairs
                if k.text in ORDER and ORDER.index(k.text) > ORDER.index(name)
            ]
            at = self.edit.before_comments(later[0]) if later else len(self.edit.text)
            self.edit.insert(at, "".join(f"{x}\n" for x in self.top_inserts[name]))
        return self.edit.result()


def new_profile(row: Row, studios: list[str]) -> str:
    lines = [NEW_HEADER.rstrip("\n")]
    for name in SCALARS:
        if name in row.values:
            lines.append(f"{name}: {scalar(row.values[name].text)}")
    if row.honors:
        lines.append("honors:")
        for title, year, _ in row.honors:
            lines.append(f"  - title: {scalar(title)}")
            if year:
                lines.append(f"    year: {year}")
    if studios:
        lines.append("studios: [" + ", ".join(studios) + "]")
    lines.append(NEW_PUBLISH.rstrip("\n"))
    private = [n for n in PRIVATE if n in row.values]
    if private:
        lines.append("")
        lines.append("private:                    # 仅供协会存档，永不公开；数字要加引号")
        for n in private:
            lines.append(f"  {n}: {scalar(row.values[n].text, quoted=n in ('phone', 'id_number'))}")
    return "\n".join(lines) + "\n"


def new_record(row: Row) -> dict[str, str]:
    record: dict[str, str] = {}
    for name in SCALARS:
        if name in row.values:
            record[name] = row.values[name].text
    for name in PRIVATE:
        if name in row.values:
            record[f"private.{name}"] = digest(row.values[name].text)
    for title, year, _ in row.honors:
        record[f"honors[{title}]"] = "1"
        if year:
            record[f"honors[{title}].year"] = year
    for slug, _ in row.studios:
        record[f"studios[{slug}]"] = "1"
    return record


# -- matching rows to profiles ---------------------------------------------------------


def match_key(name: str, employer: str) -> str:
    return f"{key_of(name)}\t{key_of(employer)}"


def same_name(
    row: Row, same: list[str], matched: set[str], profiles: dict[str, Profile]
) -> tuple[str, str, str] | None:
    """A row without an ID number that matches no profile, while a profile of the same
    name (at another employer) is left unmatched by every row of the sheet: the same
    person who changed employer, or another person? Not guessed: the row is refused at
    its 工作单位 cell (field, message, hint). A row with an ID number is a new person when
    no profile has that number (a same-name profile is then only a warning)."""
    if "id_number" in row.values:
        return None
    left = [s for s in same if s not in matched]
    if not left:
        return None
    at = "employer" if "employer" in row.values else "name"
    employer = row.values["employer"].text if "employer" in row.values else "未填"
    shown = "、".join(
        f"workers/{s}/（工作单位「{profiles[s].scalar('employer') or '未填'}」）" for s in left
    )
    message = (
        f"已有同名的档案 {shown}，花名册的工作单位是「{employer}」，又没有身份证号："
        "无法确定是同一人换了单位，还是另一个人，这一行没有导入"
    )
    hint = (
        f"是同一人：先把档案中的 employer 改为「{employer}」，或在花名册和档案中填写同一身份证号；"
        "是另一个人：在花名册中填写此人的身份证号"
    )
    return at, message, hint
