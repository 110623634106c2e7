"""Reading a roster sheet for `showcase import roster`: its Chinese column headers (the
built-in ones plus `roster_columns` in exhibition.yml, a header over two rows, merged
cells), and every row's cells checked into values, each problem an `Issue` located at its
cell (`roster.xlsx:Sheet1!C12`). Matching and merging live in rostermerge.py, the command
in roster.py, the file formats in rosterio.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from showcase import chars
from showcase.convert import model_fields
from showcase.dates import PartialDate
from showcase.fields import spec_of
from showcase.model import Private, Worker
from showcase.privacy import MIN_CHARS, normalise
from showcase.rosterio import Cell, Grid
from showcase.settings import Settings

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


def fold(text: str) -> str:
    """Full-width ASCII (digits, letters, punctuation) and the ideographic space folded,
    spaces trimmed. Chinese punctuation （、） stays as it is."""
    return text.translate(WIDE).strip()


def key_of(text: str) -> str:
    """For comparing headers and names: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


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


def cell_text(cell: Cell) -> str:
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
        if not any(names.get(key_of(cell_text(c))) == "name" for c in row):
            continue
        top = [key_of(cell_text(c)) for c in row]
        below = grid.rows[r + 1] if r + 1 < len(grid.rows) else []
        lower = [key_of(cell_text(c)) for c in below]
        # a second header row: it names known columns (or repeats a vertically merged one)
        two_rows = any(t and names.get(t) is not None for t in lower[: len(top)])
        heads: list[str] = []
        for i in range(len(top)):
            low = lower[i] if two_rows and i < len(lower) else ""
            heads.append(low or top[i] or (heads[-1] if heads else ""))
        columns = [Column(i, names.get(h) if h else "skip", h) for i, h in enumerate(heads)]
        return r, (r + 1 if two_rows else r), columns
    return None


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
            text = cell_text(cell)
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
        for item in self.split(cell_text(cell)):
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
