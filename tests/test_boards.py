"""Printable boards: `showcase boards` makes one PDF page per published worker and studio
(A4) and hall (A3); each page, rendered by poppler's pdftoppm, carries a QR code that
decodes to the page's address, and its text layer (pdftotext) holds the name. `boards:
true` publishes them beside the pages, where the privacy guard reads them. A board loads
nothing but its own files, and a private value that reaches one stops the run.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
import zxingcpp
from PIL import Image

from showcase.fonts import FONT_ENV
from showcase.pdf import load_weasyprint, render_pdf
from showcase.privacy import scan_folder
from showcase.render.boards import Board

from conftest import ARTIFACTS, copy_sample, run

A4, A3 = (595.28, 841.89), (841.89, 1190.55)  # points
SOURCES = {"workers": "profile.yml", "studios": "studio.yml", "halls": "hall.yml"}
PHONE = "13912345678"  # zhang-san's private phone in the mini fixture


def pdfinfo(pdf: Path) -> tuple[int, tuple[float, float]]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)
    assert size, out
    return pages, (float(size.group(1)), float(size.group(2)))


def pdftotext(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def pages_png(pdf: Path, out: Path, dpi: int = 110) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out)], check=True)
    return sorted(out.parent.glob(f"{out.name}-*.png"))


def decode(png: Path) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(Image.open(png))]


def sources(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """Published workers, studios and halls as the editors wrote them: kind/slug → data."""
    found = {}
    for kind, name in SOURCES.items():
        folder = root / ("content/halls" if kind == "halls" else kind)
        for file in sorted(folder.glob(f"*/{name}")):
            data = yaml.safe_load(file.read_text("utf-8"))
            if data.get("publish", True) is not False:
                found[f"{kind}/{file.parent.name}"] = data
    return found


@pytest.fixture(scope="module")
def boards_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("boards"))
    result = run(root, "boards")
    assert result.returncode == 0, result.stderr
    assert "展板已生成" in result.stdout
    return root


def test_every_board_is_one_page_of_its_size_with_its_name_and_a_working_qr(
    boards_root: Path,
) -> None:
    site_url = yaml.safe_load((boards_root / "exhibition.yml").read_text("utf-8"))["site_url"]
    entries = sources(boards_root)
    folder = boards_root / "build" / "boards"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf")) == sorted(
        f"{key}.pdf" for key in entries
    )
    shots = ARTIFACTS / "boards"
    shutil.rmtree(shots, ignore_errors=True)
    decoded = 0
    for key, data in entries.items():
        pdf = folder / f"{key}.pdf"
        pages, size = pdfinfo(pdf)
        assert pages == 1, key
        expected = A3 if key.startswith("halls/") else A4
        assert size == pytest.approx(expected, abs=0.5), key
        name = data.get("name") or data["title"]
        text = re.sub(r"\s+", "", pdftotext(pdf))
        assert name.replace(" ", "") in text, key
        assert "劳模工匠云展" in text.replace(" ", "")
        (png,) = pages_png(pdf, shots / key)
        with Image.open(png) as image:
            width, height = image.size
        assert height / width == pytest.approx(expected[1] / expected[0], rel=0.01)
        if decode(png) == [f"{site_url}{key}/"]:
            decoded += 1
    print(f"\nboard QR decode success: {decoded}/{len(entries)}")
    assert decoded == len(entries)


def test_worker_board_shows_the_public_profile(boards_root: Path) -> None:
    text = pdftotext(boards_root / "build/boards/workers/yao-hongfei.pdf")
    flat = re.sub(r"\s+", "", text)
    for part in ("姚红飞", "YaoHongfei", "全国劳动模范", "荣誉", "姚红飞劳模创新工作室", "领衔人"):
        assert part in flat, part
    assert "https://example.org/yunzhan/workers/yao-hongfei/" in text


def test_boards_command_one_board_and_refusals(boards_root: Path) -> None:
    folder = boards_root / "build" / "boards"
    target = folder / "workers" / "zhou-gang.pdf"
    target.unlink()
    result = run(boards_root, "boards", "--worker", "zhou-gang")
    assert result.returncode == 0, result.stderr
    assert "1 张" in result.stdout and target.is_file()
    assert "其中 1 张内容未变，取自缓存" in result.stdout
    for args, words in (
        (("--worker", "nobody"), "没有公开的劳模「nobody」"),
        (("--hall", "nowhere"), "没有公开的展厅「nowhere」"),
        (("--worker", "zhou-gang", "--studio", "nanhu-jinchui"), "一次只能写一个"),
    ):
        result = run(boards_root, "boards", *args)
        assert result.returncode == 2 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_mini_boards_leave_out_unpublished_and_private(mini: Path) -> None:
    result = run(mini, "boards")
    assert result.returncode == 0, result.stderr
    folder = mini / "build" / "boards"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf")) == [
        "studios/alpha-studio.pdf",
        "workers/li-si.pdf",
        "workers/zhang-san.pdf",
    ]
    text = "".join(pdftotext(p) for p in folder.rglob("*.pdf"))
    assert "张三" in text
    for secret in (PHONE, "110101199003077777", "示例路88号秘密住址"):
        assert secret not in re.sub(r"\s+", "", text)


def test_private_value_on_a_board_stops_the_run(mini: Path) -> None:
    """A phone pasted into a short field only the board and page show is found in the
    PDF's text layer and located at the field; no board is written."""
    profile = mini / "workers/zhang-san/profile.yml"
    profile.write_text(
        profile.read_text("utf-8").replace(
            "position: 高级技师", "position: 高级技师 139 1234 5678"
        ),
        "utf-8",
    )
    result = run(mini, "boards")
    assert result.returncode == 1, result.stderr
    assert "workers/zhang-san/profile.yml:5:" in result.stderr
    assert "含有劳模 zhang-san 的存档信息（private.phone）" in result.stderr
    assert not (mini / "build" / "boards").exists()


def test_site_with_boards_publishes_and_guards_them(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    settings = root / "exhibition.yml"
    settings.write_text(
        settings.read_text("utf-8").replace("boards: false", "boards: true"), "utf-8"
    )
    result = run(root, "site")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    for key in sources(root):
        pdf = site / key / "board.pdf"
        assert pdfinfo(pdf)[0] == 1, key
        html = (site / key / "index.html").read_text("utf-8")
        paper = "A3" if key.startswith("halls/") else "A4"
        assert f'href="board.pdf" download="{key.split("/")[1]}-board.pdf"' in html
        assert f"下载展板（{paper} PDF）" in html
    assert not scan_folder(root, site)
    # a private value inside a published PDF is found by the guard on the built folder
    sample_secret = "浙江省嘉兴市示例路99号"
    profile = root / "workers/zhou-gang/profile.yml"
    profile.write_text(
        profile.read_text("utf-8") + f"private:\n  address: {sample_secret}\n", "utf-8"
    )
    page = f"<html><body><p>{sample_secret}</p></body></html>"
    pdf = load_weasyprint().HTML(string=page).write_pdf()
    (site / "workers/zhou-gang/board.pdf").write_bytes(pdf)
    found = scan_folder(root, site)
    assert any("private.address" in p.format() for p in found.errors), found.report()


def test_board_loads_nothing_but_its_own_files() -> None:
    load_weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    html = '<html><body><img src="https://example.org/tracker.png" alt=""></body></html>'
    with pytest.raises(FatalURLFetchingError):
        render_pdf(Board("worker", "x", "x", html))
    local = '<html><body><img src="file:///etc/hostname" alt=""></body></html>'
    with pytest.raises(FatalURLFetchingError):
        render_pdf(Board("worker", "x", "x", local))
    ok = render_pdf(Board("worker", "x", "x", "<html><body><p>示例</p></body></html>"))
    assert ok.startswith(b"%PDF") and io.BytesIO(ok).getbuffer().nbytes > 0


def test_missing_cjk_font_is_a_chinese_environment_error(mini: Path) -> None:
    env = {**os.environ, FONT_ENV: str(mini / "no-such-font.ttc")}
    cmd = [sys.executable, "-m", "showcase", "--root", str(mini), "boards"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=mini)
    assert done.returncode == 2, done.stderr
    assert "找不到中文字体" in done.stderr and "fonts-noto-cjk" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (mini / "build" / "boards").exists()


def test_weasyprint_leaves_pillow_strict_about_truncated_files() -> None:
    """WeasyPrint's import makes Pillow accept truncated images process-wide; the media
    step's check of every photo must not be weakened by making a board first."""
    from PIL import ImageFile

    render_pdf(Board("worker", "x", "x", "<html><body><p>示例</p></body></html>"))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


MAIN_BOTTOM = (297 - 58) * 72 / 25.4  # board.css: .b-main ends 58 mm above an A4 board's foot


def test_no_line_is_cut_at_the_foot_of_the_main_area(boards_root: Path) -> None:
    """A block that does not fit (a bio's excerpt) is left out whole, never shown as the
    top half of a line at the edge the main area hides its overflow at."""
    word = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">')
    for pdf in sorted((boards_root / "build/boards").glob("[ws]*/*.pdf")):
        done = subprocess.run(
            ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        boxes = [(float(a), float(b)) for a, b in word.findall(done.stdout)]
        assert boxes, pdf
        cut = [(top, foot) for top, foot in boxes if top < MAIN_BOTTOM - 1 < foot]
        assert not cut, f"{pdf.name}: words across the edge at {MAIN_BOTTOM:.0f} pt: {cut}"
