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

Here: the import's run over a sheet and the command. Reading the sheet's headers and
cells: rosterread.py; matching rows to profiles and merging them: rostermerge.py; the
XLSX and CSV formats: rosterio.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from showcase.convert import Converter
from showcase.load import SETTINGS_FILE, entry_folders, load_object
from showcase.model import Worker
from showcase.pinyin import name_pinyin
from showcase.problems import Problems
from showcase.rosterio import Grid
from showcase.rostermerge import (
    STATE_FILE,
    Change,
    Merge,
    Refused,
    dump_state,
    existing_profiles,
    load_state,
    match_key,
    new_profile,
    new_record,
    same_name,
    slugify,
)
from showcase.rosterread import (
    LABELS,
    Issue,
    Reader,
    Row,
    Val,
    cell_text,
    column_names,
    find_header,
    key_of,
)
from showcase.settings import Settings
from showcase.write import atomic_write
from showcase.yamledit import parse
from showcase.yamlload import load_text

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
        if not any(cell_text(c) for c in cells):
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
