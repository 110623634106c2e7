"""Benchmark: `showcase import roster` on a generated roster of obviously artificial people.

    .venv/bin/python bench/roster.py [--rows 1000]

A temporary repository (the sample's exhibition.yml and studios) receives an XLSX of N rows
(示例劳模0001…, each with an employer, an honour and a year, a phone, a position and a
studio), imported three times in-process: cold (every profile created), again (a no-op
that must write nothing), and with every position changed (every profile updated).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import openpyxl

from showcase.roster import import_roster
from showcase.rosterio import read_grid

REPO = Path(__file__).resolve().parent.parent

HEADER = ["序号", "姓名", "性别", "工作单位", "职务", "荣誉称号", "获得年份", "电话", "工作室"]
HONOURS = ["全国劳动模范", "浙江省劳动模范", "嘉兴市劳动模范", "嘉兴市五一劳动奖章"]


def roster(path: Path, rows: int, position: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for i in range(1, rows + 1):
        ws.append(
            [
                i,
                f"示例劳模{i:04d}",
                "男" if i % 2 else "女",
                f"示例单位{i % 97:02d}",
                position,
                HONOURS[i % len(HONOURS)],
                2000 + i % 24,
                f"139{i:08d}",
                "姚红飞劳模创新工作室" if i % 10 == 0 else None,
            ]
        )
    wb.save(path)


def timed(root: Path, sheet: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    grid = read_grid(sheet, sheet.name)
    outcome = import_roster(root, grid)
    elapsed = time.perf_counter() - start
    assert not outcome.errors, [i.format() for i in outcome.errors[:5]]
    return elapsed, len(outcome.changes), outcome.unchanged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy2(REPO / "exhibition.yml", root / "exhibition.yml")
        shutil.copytree(REPO / "studios", root / "studios")
        (root / "workers").mkdir()
        sheet = root / "roster.xlsx"
        roster(sheet, args.rows, "班组长")
        print(f"| import of {args.rows} rows | seconds | changed files | unchanged |")
        print("| --- | ---: | ---: | ---: |")
        for label in ("cold (all new)", "again (no-op)"):
            seconds, changed, same = timed(root, sheet)
            print(f"| {label} | {seconds:.2f} | {changed} | {same} |")
        roster(sheet, args.rows, "车间主任")
        seconds, changed, same = timed(root, sheet)
        print(f"| every position changed | {seconds:.2f} | {changed} | {same} |")


if __name__ == "__main__":
    main()
