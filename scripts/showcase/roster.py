"""`showcase import roster`: create or update worker profiles from the association's roster.

One row is one person. Columns are found by their Chinese headers (built-in defaults plus
`roster_columns` in exhibition.yml); every cell is checked and every problem located at its
cell (`roster.xlsx:Sheet1!C12`). A row is matched to an existing profile by ID number, by
name + employer as the previous import wrote them, or by name + employer in the profile;
otherwise a new profile (`publish: false`) is created under a unique pinyin slug. A row
without an ID number whose name a profile has that no row of the sheet matches (the same
person at a new employer, or another person?) is refused at its 工作单位 cell, not guessed.

Updates are three-way merges per field, with the record of what the previous import wrote
(`roster-state.json` at the repository root, committed with the profiles) as the base:
the file already says what the roster says → nothing; the file still says what the last
import wrote → the roster's value is written; the roster still says what the last import
wrote → the editor's value is kept; all three differ → a conflict, and the row's file is
left alone. Private values are recorded as SHA-256 digests, never as text. Files are
edited surgically (yamledit), so comments and layout survive, and each result must pass
the strict loader before anything is written. With any refused row nothing is written,
unless `per_row`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from showcase import chars
from showcase.convert import Converter, model_fields
from showcase.dates import PartialDate
from showcase.fields import SLUG, spec_of
from showcase.load import SETTINGS_FILE, entry_folders, load_object
from showcase.model import Private, Worker
from showcase.pinyin import name_pinyin
from showcase.privacy import MIN_CHARS, normalise
from showcase.problems import Problems
from showcase.rosterio import Cell, Grid
from showcase.settings import Settings
from showcase.write import atomic_write
from showcase.yamledit import Editor, ENode, parse, scalar
from showcase.yamlload import load_text

STATE_FILE = "roster-state.json"
ABSENT = None  # a field the file (or the record) does not have

# Built-in headers (compared after normalising: NFKC, no whitespace). exhibition.yml's
# roster_columns add to these and win over them.
DEFAULT_COLUMNS = {
    "姓名": "name", "性别": "gender", "工作单位": "employer", "单位": "employer",
    "职务": "position", "岗位": "position", "职务(岗位)": "position", "地区": "district",
    "县(市、区)": "district", "所在地区": "district", "行业": "industry",
    "荣誉称号": "honor", "荣誉": "honor", "称号": "honor", "获得年份": "honor_year",
    "获得时间": "honor_year", "获评年份": "honor_year", "工作室": "studio",
    "所在工作室": "studio", "电话": "phone", "联系电话": "phone", "手机": "phone",
    "手机号码": "phone", "身份证号": "id_number", "身份证号码": "id_number",
    "身份证": "id_number", "住址": "address", "家庭住址": "address", "备注": "notes",
    "拼音": "pinyin", "姓名拼音": "pinyin", "序号": "skip", "编号": "skip",
}  # fmt: skip
LABELS = {
    "name": "姓名", "gender": "性别", "employer": "工作单位", "position": "职务",
    "district": "地区", "industry": "行业", "honor": "荣誉称号", "honor_year": "获得年份",
    "studio": "工作室", "phone": "电话", "id_number": "身份证号", "address": "住址",
    "notes": "备注", "pinyin": "拼音",
}  # fmt: skip
SCALARS = ("name", "pinyin", "gender", "employer", "position", "district", "industry")
PRIVATE = ("phone", "id_number", "address", "notes")
LIST_SPLIT = re.compile(r"[、，,；;／/\n]+")
ID_RE = re.compile(r"^(?:\d{17}[\dX]|\d{15})$")
SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
YEAR_RE = re.compile(
    r"^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?$"
)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug)
TEXT_HINT = "在 Excel 中把这一列的单元格格式设为「文本」，再照原件重新输入；已丢失的数字无法恢复"
WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
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


def fold(text: str) -> str:
    """Full-width ASCII (digits, letters, punctuation) and the ideographic space folded,
    spaces trimmed. Chinese punctuation （、） stays as it is."""
    return text.translate(WIDE).strip()


def key_of(text: str) -> str:
    """For comparing headers and names: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def digest(value: str) -> str:
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


# -- problems -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Issue:
    """A problem located in the roster (sheet row/column) or in a profile (line/column)."""

    file: str
    sheet: str
    row: int  # 1-based row or line
    col: int  # 1-based column
    where: str = field(compare=False)
    label: str = ""
    message: str = ""
    hint: str = ""
    warning: bool = False

    def format(self) -> str:
        parts = (
            [self.where] + (["警告"] if self.warning else []) + ([self.label] if self.label else [])
        )
        text = ": ".join(parts) + f": {self.message}"
        return text + (f"（提示：{self.hint}）" if self.hint else "")


@dataclass(frozen=True)
class Val:
    """One value from the sheet and the cell it came from (0-based)."""

    text: str
    row: int
    col: int


class Refused(Exception):
    pass


# -- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    index: int
    field: str | None  # None: unknown header
    header: str


def column_names(settings: Settings) -> dict[str, str]:
    names = {key_of(k): v for k, v in DEFAULT_COLUMNS.items()}
    names.update({key_of(c.header): c.field for c in settings.roster_columns})
    return names


def _text(cell: Cell) -> str:
    if cell is None or isinstance(cell, bool):
        return "" if cell is None else str(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return fold(str(cell))


def find_header(grid: Grid, names: dict[str, str]) -> tuple[int, int, list[Column]] | None:
    """The header's first and last row (the first of the top 10 rows with a 姓名 column)
    and its columns.

    A header over two rows (联系方式 above 电话 | 住址) is read from the lower row where it
    has text, else from the upper one; a header cell left empty by a merge across columns
    takes the nearest non-empty header to its left."""
    for r, row in enumerate(grid.rows[:10]):
        if not any(names.get(key_of(_text(c))) == "name" for c in row):
            continue
        top = [key_of(_text(c)) for c in row]
        below = grid.rows[r + 1] if r + 1 < len(grid.rows) else []
        lower = [key_of(_text(c)) for c in below]
        # a second header row: it names known columns (or repeats a vertically merged one)
        two_rows = any(t and names.get(t) is not None for t in lower[: len(top)])
        heads: list[str] = []
        for i in range(len(top)):
            low = lower[i] if two_rows and i < len(lower) else ""
            heads.append(low or top[i] or (heads[-1] if heads else ""))
        columns = [Column(i, names.get(h) if h else "skip", h) for i, h in enumerate(heads)]
        return r, (r + 1 if two_rows else r), columns
    return None


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


# -- reading rows ---------------------------------------------------------------------------


@dataclass
class Row:
    index: int  # 0-based sheet row
    values: dict[str, Val] = field(default_factory=dict)
    honors: list[tuple[str, str | None, Val]] = field(default_factory=list)
    year_cells: dict[str, Val] = field(default_factory=dict)  # honour title -> its year's cell
    studios: list[tuple[str, Val]] = field(default_factory=list)


class Reader:
    """Turns sheet rows into checked values; every problem is an Issue at its cell."""

    def __init__(self, grid: Grid, settings: Settings, studios: dict[str, str]) -> None:
        self.grid, self.settings, self.studios = grid, settings, studios
        self.issues: list[Issue] = []
        self.specs = {**model_fields(Worker), **model_fields(Private)}

    def issue(
        self, r: int, c: int, label: str, message: str, hint: str = "", *, warning: bool = False
    ) -> None:
        where = self.grid.where(r, c)
        self.issues.append(
            Issue(
                self.grid.file,
                self.grid.sheet or "",
                r + 1,
                c + 1,
                where,
                label,
                message,
                hint,
                warning,
            )
        )

    def row(self, r: int, cells: list[Cell], columns: list[Column]) -> Row | None:
        """The row's values, or None when it is refused (its problems recorded)."""
        before = len([i for i in self.issues if not i.warning])
        row = Row(r)
        titles: list[Val] = []
        years: list[Val] = []
        for column in columns:
            if column.field in (None, "skip") or column.index >= len(cells):
                continue
            cell = cells[column.index]
            got = self.cell(r, column, cell)
            if got is None:
                continue
            val = Val(got, r, column.index)
            if column.field == "honor":
                titles += [Val(t, r, column.index) for t in self.split(got)]
            elif column.field == "honor_year":
                years += [Val(t, r, column.index) for t in self.split(got)]
            elif column.field == "studio":
                for name in self.split(got):
                    self.studio(row, Val(name, r, column.index), column)
            elif column.field in row.values:
                if column.field == "notes":
                    first = row.values["notes"]
                    row.values["notes"] = Val(first.text + "；" + got, first.row, first.col)
                continue  # a second column of the same field: the first one counts
            else:
                row.values[column.field] = val
        if "name" not in row.values:
            name_col = next(c.index for c in columns if c.field == "name")
            self.issue(r, name_col, "姓名", "缺少姓名", "填写姓名，或删除这一行")
        self.pair_honors(row, titles, years)
        refused = len([i for i in self.issues if not i.warning]) > before
        return None if refused else row

    def split(self, text: str) -> list[str]:
        return [fold(p) for p in LIST_SPLIT.split(text) if fold(p)]

    def cell(self, r: int, column: Column, cell: Cell) -> str | None:
        """The cell's text for its field, checked; None when empty or refused."""
        f, label, c = (
            column.field or "",
            LABELS.get(column.field or "", column.header),
            column.index,
        )
        if cell is None or cell == "":
            return None
        if f == "id_number" and isinstance(cell, int | float) and not isinstance(cell, bool):
            shown = f"{cell:.15g}" if isinstance(cell, float) else str(cell)
            self.issue(
                r, c, label, f"身份证号「{shown}」被 Excel 存成了数字，后几位已经丢失", TEXT_HINT
            )
            return None
        if f == "honor_year":
            return self.year(r, c, label, cell)
        if isinstance(cell, dt.datetime | dt.date):
            text = cell.date().isoformat() if isinstance(cell, dt.datetime) else cell.isoformat()
        elif isinstance(cell, float) and f == "phone" and cell.is_integer():
            text = str(int(cell))
            if not (len(text) == 11 and text.startswith("1")):
                self.issue(
                    r,
                    c,
                    label,
                    f"电话「{text}」被 Excel 存成了数字，开头的 0 可能已经丢失",
                    TEXT_HINT,
                    warning=True,
                )
        else:
            text = _text(cell)
        if f == "name":
            text = re.sub(r"\s+", "", text)
        if not text:
            return None
        if bad := chars.bad_char(text, multiline=f == "notes"):
            self.issue(r, c, label, chars.describe(bad.group()), chars.HINT)
            return None
        if f in ("phone", "id_number") and SCIENTIFIC.match(text):
            self.issue(
                r,
                c,
                label,
                f"「{text}」是被 Excel 改写成科学计数法的数字，后几位已经丢失",
                TEXT_HINT,
            )
            return None
        if f in ("honor", "studio"):
            return text  # checked item by item
        sp = spec_of(self.specs[f])
        if sp.max_length is not None and len(text) > sp.max_length:
            self.issue(
                r,
                c,
                label,
                f"太长了（最多 {sp.max_length} 个字，现在 {len(text)} 个）",
                f"删减到 {sp.max_length} 个字以内",
            )
            return None
        check: Callable[[int, int, str, str], str | None] | None = getattr(self, f"check_{f}", None)
        return check(r, c, label, text) if check else text

    def year(self, r: int, c: int, label: str, cell: Cell) -> str | None:
        if isinstance(cell, dt.datetime | dt.date):
            day = cell.date() if isinstance(cell, dt.datetime) else cell
            return day.isoformat()
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            if float(cell).is_integer() and 1900 <= cell <= 2100:
                return str(int(cell))
            if 2100 < cell < 2958466:  # an Excel date serial number (formatted as a number)
                return (EXCEL_EPOCH + dt.timedelta(days=int(cell))).isoformat()
            self.issue(r, c, label, f"「{cell}」不是年份", "写成 2015、2015-04 或 2015年4月")
            return None
        parts = []
        for item in self.split(_text(cell)):
            if re.fullmatch(r"\d{5}", item):  # a date serial exported to CSV
                parts.append((EXCEL_EPOCH + dt.timedelta(days=int(item))).isoformat())
                continue
            m = YEAR_RE.match(item)
            try:
                if not m:
                    raise ValueError(f"「{item}」不是年份")
                y, mo, d = (int(g) if g else 0 for g in m.groups())
                parts.append(
                    PartialDate.parse(
                        f"{y}" + (f"-{mo}" if mo else "") + (f"-{d}" if d else "")
                    ).iso()
                )
            except ValueError as err:
                self.issue(r, c, label, str(err), "写成 2015、2015-04 或 2015年4月")
                return None
        return "、".join(parts) or None

    # -- per-field checks (text already trimmed, folded and bounded) --------------------------

    def vocab(self, r: int, c: int, label: str, text: str, vocab: str) -> str | None:
        allowed = self.settings.vocab(vocab)
        same = {key_of(a): a for a in allowed}
        if key_of(text) in same:
            return same[key_of(text)]
        meant = self.settings.alias(vocab, text)
        meant = meant or next(
            (a for a in allowed if a in text or (len(text) > 1 and text in a)), None
        )
        found = difflib.get_close_matches(text, list(allowed), n=1, cutoff=0.5)
        meant = meant or (found[0] if found else None)
        hint = f"是否指「{meant}」？" if meant else "可选：" + "、".join(allowed[:12])
        self.issue(r, c, label, f"未知的{label}「{text}」", hint)
        return None

    def check_gender(self, r: int, c: int, label: str, text: str) -> str | None:
        value = {"男性": "男", "女性": "女"}.get(text, text)
        if value in ("男", "女"):
            return value
        self.issue(r, c, label, f"「{text}」不是可选值", "可选：男、女")
        return None

    def check_district(self, r: int, c: int, label: str, text: str) -> str | None:
        return self.vocab(r, c, label, text, "districts")

    def check_industry(self, r: int, c: int, label: str, text: str) -> str | None:
        return self.vocab(r, c, label, text, "industries")

    def check_pinyin(self, r: int, c: int, label: str, text: str) -> str | None:
        if re.fullmatch(r"[A-Za-zÜü' ]+", text):
            return " ".join(text.split())
        self.issue(r, c, label, f"「{text}」的写法不对", "只写拼音字母和空格，如 Shan Tianfang")
        return None

    def check_id_number(self, r: int, c: int, label: str, text: str) -> str | None:
        text = text.upper().replace(" ", "")
        if ID_RE.match(text):
            return text
        self.issue(
            r, c, label, f"「{text}」不是 18 位（或 15 位）身份证号", "检查位数；最后一位可以是 X"
        )
        return None

    def private(self, r: int, c: int, label: str, text: str) -> str | None:
        significant = len(normalise(text))
        if significant >= MIN_CHARS:
            return text
        self.issue(
            r, c, label,
            f"存档信息太短（只有 {significant} 个字母或数字，至少要 {MIN_CHARS} 个），无法可靠地检查它是否被公开",
            "写完整（电话带区号、住址写到门牌号），或留空",
        )  # fmt: skip
        return None

    check_phone = check_address = check_notes = private

    def studio(self, row: Row, val: Val, column: Column) -> None:
        slug = self.studios.get(key_of(val.text))
        if slug is None:
            hint = (
                "先用 showcase new studio 为它建档（name 与花名册一致），或改正名称；这一项没有导入"
            )
            self.issue(
                val.row,
                val.col,
                LABELS["studio"],
                f"找不到工作室「{val.text}」",
                hint,
                warning=True,
            )
        elif slug not in (s for s, _ in row.studios):
            row.studios.append((slug, val))

    def pair_honors(self, row: Row, titles: list[Val], years: list[Val]) -> None:
        known = self.settings.vocab("honors")
        checked = [(self.vocab(t.row, t.col, LABELS["honor"], t.text, "honors"), t) for t in titles]
        if years and len(years) != len(titles):
            y = years[0]
            message = f"有 {len(titles)} 个荣誉称号，却有 {len(years)} 个获得年份"
            self.issue(
                y.row,
                y.col,
                LABELS["honor_year"],
                message,
                "按荣誉称号的顺序逐个写年份，用顿号隔开",
            )
            return
        for i, (title, val) in enumerate(checked):
            if title in known and title not in (t for t, _, _ in row.honors):
                row.honors.append((title, years[i].text if years else None, val))
                if years:
                    row.year_cells[title] = years[i]


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


# -- the import -----------------------------------------------------------------------------


@dataclass
class Outcome:
    issues: list[Issue]
    changes: list[Change]
    refused_rows: int
    rows: int
    unchanged: int
    written: bool
    state_changed: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if not i.warning]


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


def import_roster(
    root: Path, grid: Grid, *, dry_run: bool = False, per_row: bool = False
) -> Outcome:
    problems = Problems()
    settings = load_object(root, SETTINGS_FILE, Settings, problems, None)
    if settings is None or problems:
        return Outcome([_from_problem(p) for p in problems.items], [], 0, 0, 0, False)
    state = load_state(root)
    studios_by_name = {}
    for folder in entry_folders(root, "studios"):
        text = (
            (folder / "studio.yml").read_text("utf-8") if (folder / "studio.yml").is_file() else ""
        )
        node = parse(text.removeprefix("\ufeff")) if text else None
        name = node.get("name") if node is not None else None
        studios_by_name[folder.name] = folder.name
        if name is not None and name.kind == "scalar":
            studios_by_name[key_of(name.text)] = folder.name
    reader = Reader(grid, settings, studios_by_name)
    names = column_names(settings)
    header = find_header(grid, names)
    if header is None:
        reader.issue(
            0, 0, "", "找不到「姓名」列", "第一行（或标题下的一行）写列标题，其中要有「姓名」"
        )
        return Outcome(sorted(reader.issues), [], 0, 0, 0, False)
    top_row, head_row, columns = header
    seen_unknown: set[str] = set()
    for column in columns:
        if column.field is None and column.header not in seen_unknown:
            seen_unknown.add(column.header)
            reader.issue(
                top_row, column.index, column.header, "未知的列，没有导入",
                "如需导入，在 exhibition.yml 的 roster_columns 中写明它对应的字段；不需要就不用管",
                warning=True,
            )  # fmt: skip
    profiles = existing_profiles(root)
    workers = state["workers"]
    by_id: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    for slug, p in profiles.items():
        if (number := p.scalar("private.id_number")) is not None:
            by_id[number.upper()] = slug
        if (name := p.scalar("name")) is not None:
            by_key.setdefault(match_key(name, p.scalar("employer") or ""), []).append(slug)
    by_record = {entry.get("key"): slug for slug, entry in workers.items()}
    taken = {f.name for f in (root / "workers").iterdir()} if (root / "workers").is_dir() else set()
    claimed: dict[str, int] = {}  # slug -> sheet row that claimed it
    changes: list[Change] = []
    refused = rows = unchanged = 0
    new_state = json.loads(json.dumps(state))

    def where(val: Val) -> Issue:
        label = LABELS.get(next((c.field for c in columns if c.index == val.col), "") or "", "")
        return Issue(
            grid.file,
            grid.sheet or "",
            val.row + 1,
            val.col + 1,
            grid.where(val.row, val.col),
            label,
        )

    read: list[Row] = []
    for r in range(head_row + 1, len(grid.rows)):
        cells = grid.rows[r]
        if not any(_text(c) for c in cells):
            continue
        rows += 1
        row = reader.row(r, cells, columns)
        if row is None:
            refused += 1
        else:
            read.append(row)

    def identity(row: Row) -> tuple[str, str, str | None, str | None]:
        """The row's match key, ID number, and the profile it names without doubt: by ID
        number, by name + employer as the last import wrote them, or in the profile."""
        name = row.values["name"].text
        employer = row.values["employer"].text if "employer" in row.values else ""
        key = match_key(name, employer)
        number = row.values["id_number"].text if "id_number" in row.values else None
        slug = (by_id.get(number) if number else None) or by_record.get(key)
        candidates = by_key.get(key, [])
        return key, name, number, slug or (candidates[0] if len(candidates) == 1 else None)

    matched = {slug for row in read if (slug := identity(row)[3]) is not None}
    for row in read:
        r = row.index
        errors_before = len([i for i in reader.issues if not i.warning])
        name = row.values["name"]
        key, _, number, _ = identity(row)
        slug = (by_id.get(number) if number else None) or by_record.get(key)
        if slug is None:
            candidates = by_key.get(key, [])
            if len(candidates) > 1:
                shown = "、".join(f"workers/{s}/" for s in candidates)
                reader.issue(
                    r,
                    name.col,
                    "姓名",
                    f"有几份档案的姓名和工作单位都相同：{shown}",
                    "在花名册中填写身份证号以区分",
                )
                refused += 1
                continue
            slug = candidates[0] if candidates else None
        if slug is not None and slug in claimed:
            reader.issue(
                r,
                name.col,
                "姓名",
                f"与第 {claimed[slug] + 1} 行是同一人（workers/{slug}/）",
                "删除重复的行，或填写身份证号以区分",
            )
            refused += 1
            continue
        if slug is not None and slug not in profiles:
            reader.issue(
                r,
                name.col,
                "姓名",
                f"档案 workers/{slug}/ 曾由导入创建，现已删除，没有重新创建",
                f"如需重新创建，从 {STATE_FILE} 中删除「{slug}」一项",
                warning=True,
            )
            claimed[slug] = r
            continue
        if slug is None:
            base = slugify(
                row.values["pinyin"].text if "pinyin" in row.values else name_pinyin(name.text)
            )
            slug, n = base, 1
            while slug in taken:
                n += 1
                slug = f"{base}-{n}"
            same = [
                s for k, ss in by_key.items() if k.split("\t")[0] == key_of(name.text) for s in ss
            ]
            if (doubt := same_name(row, same, matched, profiles)) is not None:
                field_name, message, hint = doubt
                cell = row.values[field_name]
                reader.issue(cell.row, cell.col, LABELS[field_name], message, hint)
                refused += 1
                continue
            if same:
                reader.issue(
                    r,
                    name.col,
                    "姓名",
                    f"已有同名的档案 workers/{same[0]}/（工作单位不同），新建了 workers/{slug}/",
                    "若是同一人，把花名册的工作单位改成与档案一致，或填写身份证号",
                    warning=True,
                )
            taken.add(slug)
            claimed[slug] = r
            text = new_profile(row, [s for s, _ in row.studios])
            change = Change(
                f"workers/{slug}/profile.yml",
                r,
                True,
                text,
                None,
                ["新建"],
                {"key": key, "fields": new_record(row)},
            )
        else:
            claimed[slug] = r
            profile = profiles[slug]
            if profile.root is None:
                reader.issue(
                    r,
                    name.col,
                    "姓名",
                    f"档案 {profile.rel} 有 YAML 语法错误，无法更新",
                    "先运行 make check 修好这份档案，再导入",
                )
                refused += 1
                continue
            merge = Merge(profile, workers.get(slug, {}), where)
            merge.scalars(row)
            merge.honors(row)
            merge.studios(row)
            merge.private(row)
            if merge.conflicts:
                reader.issues.extend(merge.conflicts)
                refused += 1
                continue
            text = merge.result() if merge.changed else profile.text
            change = Change(
                profile.rel,
                r,
                False,
                text,
                profile.text,
                merge.changed,
                {"key": key, "fields": merge.record},
            )
        # the strict loader must accept what would be written
        check = Problems()
        node = load_text(change.text, change.rel, check)
        if node is not None:
            Converter(change.rel, check, settings).obj(
                node, Worker, "", {"slug": change.rel.split("/")[1]}
            )
        if check:
            reader.issues.extend(_from_problem(p) for p in check.items if not p.warning)
            refused += 1
            continue
        if len([i for i in reader.issues if not i.warning]) > errors_before:
            refused += 1
            continue
        new_state["workers"][change.rel.split("/")[1]] = change.record
        if change.text == change.old:
            unchanged += 1
        else:
            changes.append(change)
    issues = sorted(reader.issues)
    blocked = refused and not per_row
    state_text = dump_state(new_state)
    state_path = root / STATE_FILE
    old_state = state_path.read_text("utf-8") if state_path.is_file() else None
    state_changed = state_text != old_state and (
        old_state is not None or bool(new_state["workers"])
    )
    written = False
    if not dry_run and not blocked:
        for change in changes:
            atomic_write(root / change.rel, change.text.encode("utf-8"))
        if state_changed:
            atomic_write(state_path, state_text.encode("utf-8"))
        written = bool(changes) or state_changed
    return Outcome(issues, changes, refused, rows, unchanged, written, state_changed)


def _from_problem(p: Any) -> Issue:
    return Issue(
        p.path,
        "",
        p.line,
        p.col,
        f"{p.path}:{p.line}:{p.col}",
        p.field,
        p.message,
        p.hint,
        p.warning,
    )


# -- the command ----------------------------------------------------------------------------


def describe(change: Change, grid: Grid) -> str:
    row = f"第 {change.row + 1} 行"
    if change.created:
        return f"新建 {change.rel}（{row}）"
    shown = [
        ("private." + f.split(".", 1)[1] + "（存档信息）") if f.startswith("private.") else f
        for f in change.fields
    ]
    return f"更新 {change.rel}（{row}）：" + "、".join(shown)


def run_import(root: Path, file: Path, sheet: str | None, *, dry_run: bool, per_row: bool) -> int:
    """The command's whole run; returns the exit code (0 fine, 1 refused rows, 2 unreadable)."""
    import click

    from showcase.lock import build_lock
    from showcase.rosterio import RosterError, read_grid

    shown = file.name if file.is_absolute() else file.as_posix()
    try:
        grid = read_grid(file, shown, sheet)
    except RosterError as err:
        click.echo(f"{shown}: {err.message}（提示：{err.hint}）", err=True)
        return 2
    try:
        if dry_run:
            outcome = import_roster(root, grid, dry_run=True, per_row=per_row)
        else:
            with build_lock(root):
                outcome = import_roster(root, grid, per_row=per_row)
    except Refused as err:
        click.echo(str(err), err=True)
        return 2
    for issue in outcome.errors + [i for i in outcome.issues if i.warning]:
        click.echo(issue.format(), err=True)
    blocked = outcome.refused_rows and not per_row
    if outcome.errors and not outcome.rows:
        click.echo(f"共 {len(outcome.errors)} 个错误：没有导入任何内容。", err=True)
        return 1
    prefix = "将" if dry_run or blocked else ""
    for change in outcome.changes:
        click.echo(prefix + describe(change, grid))
    counts = (
        f"花名册 {outcome.rows} 行：新建 {sum(c.created for c in outcome.changes)} 份，"
        f"更新 {sum(not c.created for c in outcome.changes)} 份，未变 {outcome.unchanged} 份"
    )
    if outcome.refused_rows:
        counts += f"，有问题 {outcome.refused_rows} 行"
    if blocked:
        click.echo(
            f"{counts}。共 {len(outcome.errors)} 个错误：没有写入任何文件，请修改后重新导入"
            "（或用 --per-row 先导入没有问题的行）。",
            err=True,
        )
        return 1
    if dry_run:
        click.echo(f"{counts}。（试运行：没有写入任何文件）")
        return 0
    click.echo(f"{counts}。")
    if outcome.written:
        click.echo(f"请运行 make check 检查，并把改动的档案和 {STATE_FILE} 一起提交。")
    return 1 if outcome.refused_rows else 0
