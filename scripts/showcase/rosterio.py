"""Reading an association's roster spreadsheet (XLSX or CSV) into a grid of raw cells.

XLSX goes through python-calamine (Rust, fast): numbers come back as floats, date-formatted
cells as `date`/`datetime`, empty cells as "". Every cell of a merged range is given the
value of its top-left cell, so a 工作单位 merged over several rows belongs to each of them.
CSV is decoded as UTF-8 (with or without a BOM) or else GB18030 (a superset of GBK, what
Excel writes on Chinese Windows); its cells are all text.

Nothing here knows about profiles: the grid and where each cell is (`B12`) go to roster.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # a roster of thousands of people is well under 5 MB

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


class RosterError(Exception):
    """The file cannot be read at all: one Chinese message and a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Grid:
    """One sheet: rows of cells, row 0 is the spreadsheet's row 1, column 0 is A."""

    file: str  # as shown in problems: roster.xlsx
    sheet: str | None  # None for CSV
    rows: list[list[Cell]]

    def where(self, row: int, col: int) -> str:
        """roster.xlsx:Sheet1!C12 (roster.csv:C12), from 0-based indexes."""
        cell = f"{column_letters(col)}{row + 1}"
        return f"{self.file}:{self.sheet}!{cell}" if self.sheet else f"{self.file}:{cell}"


def column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_grid(path: Path, shown: str, sheet: str | None = None) -> Grid:
    if not path.is_file():
        raise RosterError(f"找不到花名册文件「{shown}」", "检查文件名和所在文件夹")
    if path.stat().st_size > MAX_BYTES:
        raise RosterError(
            f"花名册文件太大了（最多 {MAX_BYTES // 1024 // 1024} MB）", "只保留名单所在的工作表"
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_workbook(path, shown, sheet)
    if suffix in (".csv", ".txt"):
        if sheet:
            raise RosterError("CSV 文件没有工作表，不能用 --sheet", "去掉 --sheet 选项")
        return Grid(shown, None, _read_csv(path.read_bytes()))
    raise RosterError(f"不支持的文件格式「{path.suffix}」", "在 Excel 中另存为 .xlsx 或 .csv")


def _read_workbook(path: Path, shown: str, sheet: str | None) -> Grid:
    import python_calamine  # imported here: only the import command needs it

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own errors for every broken file
        raise RosterError(
            f"无法读取 Excel 文件（{type(err).__name__}）",
            "确认文件没有加密、没有损坏，可以在 Excel 中打开后另存为 .xlsx 再试",
        ) from None
    names = book.sheet_names
    if sheet is None:
        if not names:
            raise RosterError("Excel 文件中没有工作表", "检查文件内容")
        sheet = names[0]
    elif sheet not in names:
        raise RosterError(f"找不到工作表「{sheet}」", "可选：" + "、".join(names))
    data = book.get_sheet_by_name(sheet)
    rows: list[list[Cell]] = [list(r) for r in data.to_python(skip_empty_area=False)]
    for (top, left), (bottom, right) in data.merged_cell_ranges or ():
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, right + 1):
                if c < len(rows[r]):
                    rows[r][c] = value
    return Grid(shown, sheet, rows)


def decode(data: bytes) -> str:
    """UTF-8 with or without a BOM, else GB18030 (GBK); CRLF as written by Excel is kept
    for the csv module, which handles it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RosterError(
            "CSV 文件的编码无法识别（不是 UTF-8，也不是 GBK）",
            "在 Excel 中另存为「CSV UTF-8（逗号分隔）」",
        ) from None


def _read_csv(data: bytes) -> list[list[Cell]]:
    text = decode(data)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
