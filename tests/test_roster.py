"""`showcase import roster`: spreadsheets made inside each test (openpyxl for XLSX, bytes
for CSV), imported through the real command line into a copy of the sample exhibition.

Every refused cell is located (`roster.xlsx:Sheet1!C12`), nothing is written while any row
is refused, a second import changes no byte, an update touches only its own lines, a hand
edit is never overwritten, and the result passes `showcase check` (privacy guard included).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import copy_sample, run

HEADER = ["序号", "姓名", "性别", "工作单位", "荣誉称号", "获得年份", "电话", "身份证号", "工作室"]
ZHANG_A = [1, "张伟 ", "男", "嘉兴甲厂", "全国劳动模范", 42125, 13800000001, "330402198001011234", "姚红飞劳模创新工作室"]  # fmt: skip
ZHANG_B = [2, "张伟", "男", "嘉兴乙厂", "浙江省劳动模范", "２０１６", "13800000002", None, None]
SHAN = [3, "单天芳", "女", "嘉兴丙厂 ", "嘉兴市劳动模范", 2018, None, None, None]
PRIVATE = ("13800000001", "330402198001011234", "13800000002")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The sample exhibition (5 workers, 3 studios), with the real settings."""
    return copy_sample(tmp_path / "repo")


def xlsx(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), title: str = "") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith("build/")
    }


def imported(root: Path, *args: str, code: int = 0) -> tuple[str, str]:
    result = run(root, "import", "roster", *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, result.stdout + result.stderr
    return result.stdout, result.stderr


def profile(root: Path, slug: str) -> dict[str, Any]:
    """The profile's YAML with every scalar as text (as the project's loader reads it)."""
    return yaml.load((root / "workers" / slug / "profile.yml").read_text("utf-8"), yaml.BaseLoader)


def checks(root: Path) -> None:
    result = run(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_xlsx_with_merged_two_row_header_creates_profiles(repo: Path) -> None:
    """A title row merged across the sheet, 联系方式 merged over 电话 | 身份证号, the other
    headers merged down over two rows; an Excel date serial, trailing spaces, full-width
    digits; two 张伟 at different employers; an unknown column warned about once."""
    top = ["序号", "姓名", "性别", "工作单位", "荣誉称号", "获得年份", "联系方式", None, "工作室", "籍贯", "籍贯"]  # fmt: skip
    below = [None, None, None, None, None, None, "电话", "身份证号", None, None, None]
    merges = ("A1:K1", "G2:H2", *(f"{c}2:{c}3" for c in "ABCDEFIJK"))
    book = xlsx(repo / "roster.xlsx", [top, below, ZHANG_A, ZHANG_B, SHAN], merges, "2024年名单")
    out, err = imported(repo, "roster.xlsx")
    assert out.splitlines()[:3] == [
        "新建 workers/zhang-wei/profile.yml（第 4 行）",
        "新建 workers/zhang-wei-2/profile.yml（第 5 行）",
        "新建 workers/shan-tianfang/profile.yml（第 6 行）",
    ]
    assert "花名册 3 行：新建 3 份，更新 0 份，未变 0 份。" in out
    warning = "roster.xlsx:Sheet1!J2: 警告: 籍贯: 未知的列，没有导入"
    assert err.count(warning) == 1 and "Sheet1!K2" not in err
    first = profile(repo, "zhang-wei")
    assert first["name"] == "张伟" and first["employer"] == "嘉兴甲厂"
    assert first["honors"] == [{"title": "全国劳动模范", "year": "2015-05-01"}]  # serial 42125
    assert first["studios"] == ["yao-hongfei-studio"]
    assert first["publish"] == "false"
    assert first["private"] == {"phone": "13800000001", "id_number": "330402198001011234"}
    text = (repo / "workers/zhang-wei/profile.yml").read_text("utf-8")
    assert '  phone: "13800000001"' in text and "consent" in text and "sources" in text
    second = profile(repo, "zhang-wei-2")
    assert second["employer"] == "嘉兴乙厂" and second["honors"][0]["year"] == "2016"
    assert profile(repo, "shan-tianfang")["employer"] == "嘉兴丙厂"  # 单 as a surname: Shan
    checks(repo)
    assert book.exists()


def test_private_columns_stay_in_private_and_the_guard_passes(repo: Path) -> None:
    xlsx(
        repo / "r.xlsx",
        [[*HEADER, "住址", "备注"], [*ZHANG_A, "南湖区某路123号", "本人要求不公开电话"]],
    )
    imported(repo, "r.xlsx")
    data = profile(repo, "zhang-wei")
    public = {k: v for k, v in data.items() if k != "private"}
    assert not any(s in repr(public) for s in (*PRIVATE, "南湖区某路123号", "本人要求"))
    assert data["private"]["address"] == "南湖区某路123号"
    assert data["private"]["notes"] == "本人要求不公开电话"
    state = (repo / "roster-state.json").read_text("utf-8")
    assert not any(s in state for s in (*PRIVATE, "南湖区某路123号"))  # digests only
    checks(repo)  # includes the privacy guard over every output


def test_an_id_number_stored_as_a_float_is_refused_and_nothing_is_written(repo: Path) -> None:
    bad = [*ZHANG_B[:7], 330402198001011234.0, None]
    xlsx(repo / "roster.xlsx", [HEADER, ZHANG_A, bad])
    before = snapshot(repo)
    _, err = imported(repo, "roster.xlsx", code=1)
    assert (
        "roster.xlsx:Sheet1!H3: 身份证号: 身份证号「3.30402198001011e+17」被 Excel 存成了数字，"
        "后几位已经丢失（提示：在 Excel 中把这一列的单元格格式设为「文本」，再照原件重新输入；"
        "已丢失的数字无法恢复）"
    ) in err.splitlines()
    assert "没有写入任何文件" in err
    assert snapshot(repo) == before


def test_unknown_honour_is_located_with_did_you_mean_all_problems_sorted(repo: Path) -> None:
    rows = [
        HEADER,
        [*ZHANG_A[:4], "省劳模", *ZHANG_A[5:]],
        [*ZHANG_B[:4], "全国劳模", *ZHANG_B[5:]],
    ]
    rows.append([4, "", "男", "无名厂", None, None, None, None, None])
    xlsx(repo / "roster.xlsx", rows)
    _, err = imported(repo, "roster.xlsx", code=1)
    assert err.splitlines()[:3] == [
        "roster.xlsx:Sheet1!E2: 荣誉称号: 未知的荣誉称号「省劳模」（提示：是否指「浙江省劳动模范」？）",
        "roster.xlsx:Sheet1!E3: 荣誉称号: 未知的荣誉称号「全国劳模」（提示：是否指「全国劳动模范」？）",
        "roster.xlsx:Sheet1!B4: 姓名: 缺少姓名（提示：填写姓名，或删除这一行）",
    ]
    assert not (repo / "workers/zhang-wei").exists()


def test_per_row_writes_the_good_rows(repo: Path) -> None:
    xlsx(repo / "r.xlsx", [HEADER, ZHANG_A, [*ZHANG_B[:4], "全国劳模", *ZHANG_B[5:]]])
    out, err = imported(repo, "r.xlsx", "--per-row", code=1)
    assert "有问题 1 行" in out and "Sheet1!E3" in err
    assert (repo / "workers/zhang-wei/profile.yml").exists()
    assert not (repo / "workers/zhang-wei-2").exists()
    checks(repo)


def test_reimport_is_byte_identical_and_dry_run_writes_nothing(repo: Path) -> None:
    xlsx(repo / "r.xlsx", [HEADER, ZHANG_A, ZHANG_B, SHAN])
    before = snapshot(repo)
    out, _ = imported(repo, "r.xlsx", "--dry-run")
    assert "将新建 workers/zhang-wei/profile.yml（第 2 行）" in out and "试运行" in out
    assert snapshot(repo) == before
    imported(repo, "r.xlsx")
    first = snapshot(repo)
    out, _ = imported(repo, "r.xlsx")
    assert "新建 0 份，更新 0 份，未变 3 份" in out
    assert snapshot(repo) == first


def test_an_updated_cell_changes_only_its_field_and_comments_survive(repo: Path) -> None:
    xlsx(repo / "r.xlsx", [[*HEADER, "职务"], [*ZHANG_A, "车间主任"]])
    imported(repo, "r.xlsx")
    path = repo / "workers/zhang-wei/profile.yml"
    text = path.read_text("utf-8")
    text = (
        text.replace("position: 车间主任", "position: 车间主任   # 编辑：2024年核实")
        + "# 末尾注释\n"
    )
    text = text.replace("publish: false", "summary: 编辑写的一句话简介。\npublish: false")
    path.write_text(text, "utf-8")
    xlsx(repo / "r.xlsx", [[*HEADER, "职务"], [*ZHANG_A[:5], 2014, *ZHANG_A[6:], "副厂长"]])
    out, _ = imported(repo, "r.xlsx")
    assert (
        "更新 workers/zhang-wei/profile.yml（第 2 行）：position、honors[全国劳动模范].year" in out
    )
    after = path.read_text("utf-8")
    changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [
        ("position: 车间主任   # 编辑：2024年核实", "position: 副厂长   # 编辑：2024年核实"),
        ("    year: 2015-05-01", "    year: 2014"),
    ]
    checks(repo)


def test_a_hand_edited_field_is_kept_or_conflicts_never_overwritten(repo: Path) -> None:
    xlsx(repo / "r.xlsx", [[*HEADER, "职务"], [*ZHANG_A, "车间主任"]])
    imported(repo, "r.xlsx")
    path = repo / "workers/zhang-wei/profile.yml"
    path.write_text(path.read_text("utf-8").replace("车间主任", "高级技师"), "utf-8")
    edited = path.read_bytes()
    out, _ = imported(repo, "r.xlsx")  # the roster did not change: the editor's value stays
    assert "更新 0 份" in out and path.read_bytes() == edited
    xlsx(repo / "r.xlsx", [[*HEADER, "职务"], [*ZHANG_A, "副厂长"]])
    state = (repo / "roster-state.json").read_bytes()
    _, err = imported(repo, "r.xlsx", code=1)
    line = next(i for i, t in enumerate(edited.decode().splitlines(), 1) if "高级技师" in t)
    assert (
        f"r.xlsx:Sheet1!J2: 职务: 与手工修改冲突：workers/zhang-wei/profile.yml:{line}:11："
        "档案现为「高级技师」，花名册为「副厂长」，上次导入为「车间主任」"
    ) in err
    assert path.read_bytes() == edited and (repo / "roster-state.json").read_bytes() == state


def test_a_year_conflict_is_located_at_the_year_cell(repo: Path) -> None:
    xlsx(repo / "r.xlsx", [HEADER, ZHANG_A])
    imported(repo, "r.xlsx")
    path = repo / "workers/zhang-wei/profile.yml"
    text = path.read_text("utf-8")
    assert "year: 2015-05-01" in text  # Excel's serial 42125
    path.write_text(text.replace("year: 2015-05-01", "year: 2013", 1), "utf-8")  # corrected
    xlsx(repo / "r.xlsx", [HEADER, [*ZHANG_A[:5], 2016, *ZHANG_A[6:]]])  # the roster changes it
    _, err = imported(repo, "r.xlsx", code=1)
    assert "r.xlsx:Sheet1!F2: 获得年份: 与手工修改冲突" in err, err


def test_rows_match_by_id_number_and_existing_hand_written_profiles(repo: Path) -> None:
    xlsx(repo / "r.xlsx", [HEADER, ZHANG_A])
    imported(repo, "r.xlsx")
    moved = [ZHANG_A[0], "张伟", "男", "嘉兴新厂", *ZHANG_A[4:]]  # same ID, new employer
    existing = [9, "许惠芬", "女", "桐乡市治安管理大队", "浙江省劳动模范", 2012, None, None, None]
    xlsx(repo / "r.xlsx", [HEADER, moved, existing])
    out, _ = imported(repo, "r.xlsx")
    assert "更新 workers/zhang-wei/profile.yml（第 2 行）：employer" in out
    assert (
        "更新 workers/xu-huifen/profile.yml（第 3 行）：gender、honors[浙江省劳动模范].year" in out
    )
    assert not (repo / "workers/zhang-wei-2").exists()
    assert profile(repo, "xu-huifen")["publish"] == "true"  # only the carried fields change
    checks(repo)


def test_a_new_employer_without_id_number_is_refused_not_a_second_profile(repo: Path) -> None:
    """The rule: a row is the profile its ID number, or its name and employer, name. A row
    with neither, whose name an unmatched profile has, is not guessed: refused at its
    工作单位 cell with both ways out. An ID number, or a row matching that profile, says
    it is another person."""
    xlsx(repo / "r.xlsx", [HEADER, ZHANG_B])
    imported(repo, "r.xlsx")
    moved = [*ZHANG_B[:3], "嘉兴新厂", *ZHANG_B[4:]]
    xlsx(repo / "r.xlsx", [HEADER, moved])
    before = snapshot(repo)
    _, err = imported(repo, "r.xlsx", code=1)
    assert (
        "r.xlsx:Sheet1!D2: 工作单位: 已有同名的档案 workers/zhang-wei/（工作单位「嘉兴乙厂」），"
        "花名册的工作单位是「嘉兴新厂」，又没有身份证号"
    ) in err, err
    assert "把档案中的 employer 改为「嘉兴新厂」" in err and "填写此人的身份证号" in err
    assert snapshot(repo) == before  # no zhang-wei-2, nothing written
    # another person: the old row is in the sheet too, or the new one has an ID number
    for rows in ([ZHANG_B, moved], [[*moved[:7], "330402199001011234", None]]):
        xlsx(repo / "r.xlsx", [HEADER, *rows])
        out, err = imported(repo, "r.xlsx", "--dry-run")
        assert "新建 workers/zhang-wei-2/profile.yml" in out and "已有同名的档案" in err
    # the same person: the editor says so in the profile, and the row updates it
    path = repo / "workers/zhang-wei/profile.yml"
    path.write_text(path.read_text("utf-8").replace("嘉兴乙厂", "嘉兴新厂"), "utf-8")
    xlsx(repo / "r.xlsx", [HEADER, [*moved[:5], "2017", *moved[6:]]])
    out, _ = imported(repo, "r.xlsx")
    assert "更新 workers/zhang-wei/profile.yml（第 2 行）：honors[浙江省劳动模范].year" in out
    assert not (repo / "workers/zhang-wei-2").exists()
    checks(repo)


def test_unknown_studio_is_a_located_warning(repo: Path) -> None:
    xlsx(repo / "r.xlsx", [HEADER, [*ZHANG_A[:8], "不存在的工作室"]])
    _, err = imported(repo, "r.xlsx")
    assert "roster.xlsx" not in err
    assert "r.xlsx:Sheet1!I2: 警告: 工作室: 找不到工作室「不存在的工作室」" in err
    assert "studios" not in profile(repo, "zhang-wei")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_utf8_with_bom_or_gbk(repo: Path, encoding: str) -> None:
    lines = [
        "姓名,性别,工作单位,荣誉称号,获得年份,电话,身份证号",
        "张伟 ,男,嘉兴甲厂,全国劳动模范,2015年5月,13800000001,33040219800101123X",
        "张伟,男,嘉兴乙厂,浙江省劳动模范,42370,13800000002,",
        "单天芳,女,嘉兴丙厂,嘉兴市劳动模范,２０１８,,3.30402198001011E+17",
    ]
    (repo / "r.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    _, err = imported(repo, "r.csv", code=1)
    assert err.splitlines()[0].startswith(
        "r.csv:G4: 身份证号: 「3.30402198001011E+17」是被 Excel 改写成科学计数法的数字"
    )
    imported(repo, "r.csv", "--per-row", code=1)
    assert profile(repo, "zhang-wei")["honors"] == [{"title": "全国劳动模范", "year": "2015-05"}]
    assert profile(repo, "zhang-wei")["private"]["id_number"] == "33040219800101123X"
    assert profile(repo, "zhang-wei-2")["honors"][0]["year"] == "2016-01-01"  # serial 42370
    checks(repo)


def test_roster_columns_in_settings_add_headers(repo: Path) -> None:
    settings = repo / "exhibition.yml"
    settings.write_text(
        settings.read_text("utf-8") + "roster_columns:\n  - {header: 联系手机, field: phone}\n",
        "utf-8",
    )
    xlsx(repo / "r.xlsx", [["姓　名", "联系手机"], ["张伟", "13800000009"]])
    _, err = imported(repo, "r.xlsx")
    assert "未知的列" not in err
    assert profile(repo, "zhang-wei")["private"] == {"phone": "13800000009"}


def test_flow_style_and_shorthand_entries_are_updated_in_place(repo: Path) -> None:
    """A hand-written profile in flow style: the year goes into the shorthand honour, the
    new honour and studio into the flow lists, the phone into the flow `private`."""
    path = repo / "workers/shen-mingfang/profile.yml"
    text = path.read_text("utf-8").replace(
        "honors:\n  - title: 浙江省劳动模范\n", "honors: [浙江省劳动模范]   # 简写\n"
    )
    path.write_text(text + "studios: []\nprivate: {notes: 协会内部备注一条。}\n", "utf-8")
    row = [1, "沈明芳", "女", None, "浙江省劳动模范、嘉兴市劳动模范", "2010、2008", "13800000003", None, "南湖金锤劳模工匠技术服务队"]  # fmt: skip
    xlsx(repo / "r.xlsx", [[*HEADER, "职务"], [*row, "主任"]])
    imported(repo, "r.xlsx")
    after = path.read_text("utf-8")
    assert (
        "honors: [{title: 浙江省劳动模范, year: 2010}, {title: 嘉兴市劳动模范, year: 2008}]   # 简写"
        in after
    )
    assert (
        'studios: [nanhu-jinchui]\nprivate: {notes: 协会内部备注一条。, phone: "13800000003"}'
        in after
    )
    assert "name: 沈明芳\ngender: 女\nposition: 主任\nindustry: 社会服务\n" in after
    checks(repo)
