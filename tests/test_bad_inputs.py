"""Bad inputs as data: each folder under tests/bad_inputs/ is a tiny exhibition.

A fixture folder holds only the files that differ from a normal repository; the test copies
the repository's exhibition.yml into a temporary root and lays the fixture over it.

- `expected.txt`: one line per problem that `showcase check` must print, each the exact
  start of a stderr line (`path:line:col: field: message…`). The run must exit 1 and print
  exactly that many error lines.
- `expected-docs.txt`: a *valid* fixture. `showcase check` and `showcase build` must exit 0;
  each line is `<page under build/docs> <literal text>` and the page, with character
  references decoded, must contain the text.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from showcase.modelcache import CACHE_FILE

from conftest import repo_settings

REPO = Path(__file__).resolve().parents[1]
CASES_DIR = Path(__file__).resolve().parent / "bad_inputs"
EXPECTED = "expected.txt"
EXPECTED_DOCS = "expected-docs.txt"

PROBLEM_RE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$")
SUMMARY_RE = re.compile(r"^共 (\d+) 个错误：")

BAD_CASES = sorted(p for p in CASES_DIR.iterdir() if (p / EXPECTED).is_file())
VALID_CASES = sorted(p for p in CASES_DIR.iterdir() if (p / EXPECTED_DOCS).is_file())
VALID_CASE = CASES_DIR / "yaml11-literals"
SEVERAL_FILES = CASES_DIR / "several-files"


def make_root(case: Path, tmp_path: Path) -> Path:
    """Repository settings plus the fixture's files (symlinks kept as symlinks)."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "exhibition.yml").write_text(repo_settings(), "utf-8")
    shutil.copytree(
        case,
        root,
        symlinks=True,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(EXPECTED, EXPECTED_DOCS),
    )
    return root


def run(root: Path, command: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONUTF8": "1",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(REPO / "scripts"), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    return subprocess.run(
        [sys.executable, "-m", "showcase", "--root", str(root), command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=root,
        timeout=120,
    )


def read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def error_lines(stderr: str) -> list[str]:
    """Problem lines that are errors (not warnings), in printed order."""
    return [
        line
        for line in stderr.splitlines()
        if (m := PROBLEM_RE.match(line)) and not m["rest"].startswith("警告")
    ]


def check_output(stderr: str, expected: list[str]) -> None:
    assert "Traceback" not in stderr, stderr
    for line in stderr.splitlines():
        # One problem per line: a message must never spill over onto a second line.
        assert PROBLEM_RE.match(line) or SUMMARY_RE.match(line), (
            f"stray stderr line {line!r}\n{stderr}"
        )
    errors = error_lines(stderr)
    missing = [e for e in expected if not any(line.startswith(e) for line in errors)]
    assert not missing, "missing problems:\n" + "\n".join(missing) + "\n--- stderr:\n" + stderr
    assert len(errors) == len(expected), stderr
    summary = [m for line in stderr.splitlines() if (m := SUMMARY_RE.match(line))]
    assert [int(m[1]) for m in summary] == [len(expected)], stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_fixture_says_what_it_expects() -> None:
    for case in CASES_DIR.iterdir():
        assert case.is_dir(), case
        has = [(case / name).is_file() for name in (EXPECTED, EXPECTED_DOCS)]
        assert has.count(True) == 1, (
            f"{case.name}: needs exactly one of {EXPECTED}, {EXPECTED_DOCS}"
        )
    assert VALID_CASE in VALID_CASES
    assert SEVERAL_FILES in BAD_CASES


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda p: p.name)
def test_check_reports_bad_input(case: Path, tmp_path: Path) -> None:
    expected = read_lines(case / EXPECTED)
    assert expected, f"{case.name}/{EXPECTED} is empty"
    root = make_root(case, tmp_path)
    result = run(root, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    check_output(result.stderr, expected)


@pytest.mark.parametrize("case", VALID_CASES, ids=lambda p: p.name)
def test_yaml11_values_stay_literal_text(case: Path, tmp_path: Path) -> None:
    root = make_root(case, tmp_path)
    checked = run(root, "check")
    assert checked.returncode == 0, checked.stderr
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    for line in read_lines(case / EXPECTED_DOCS):
        page, literal = line.split(" ", 1)
        markdown = html.unescape((root / "build/docs" / page).read_text(encoding="utf-8"))
        assert literal in markdown, f"{page} lacks {literal!r}:\n{markdown}"


def test_several_broken_files_reported_in_one_run_sorted(tmp_path: Path) -> None:
    expected = read_lines(SEVERAL_FILES / EXPECTED)
    assert len({e.split(":", 1)[0] for e in expected}) >= 4  # really several files
    root = make_root(SEVERAL_FILES, tmp_path)
    result = run(root, "check")
    assert result.returncode == 1, result.stderr
    check_output(result.stderr, expected)
    errors = error_lines(result.stderr)
    # Same order as expected.txt, which is sorted by path, then line (as a number), then column.
    assert [next(e for e in expected if line.startswith(e)) for line in errors] == expected
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in map(PROBLEM_RE.match, errors) if m]
    assert keys == sorted(keys)


CACHE = CACHE_FILE.name  # build/model-cache.bin


def test_failed_build_leaves_previous_docs_untouched(tmp_path: Path) -> None:
    root = make_root(VALID_CASE, tmp_path)
    first = run(root, "build")
    assert first.returncode == 0, first.stderr
    before = snapshot(root / "build")
    assert "docs/workers/zhang-san/index.md" in before

    # Break the profile in a way that would also change the page if anything were written,
    # and add a second, broken profile.
    profile = root / "workers/zhang-san/profile.yml"
    text = profile.read_text(encoding="utf-8")
    assert "employer: 0123\n" in text
    profile.write_text(
        text.replace("employer: 0123\n", "employer: 新单位\n") + "nmae: 张三\n", encoding="utf-8"
    )
    (root / "workers/li-si").mkdir()
    (root / "workers/li-si/profile.yml").write_text("name: 李四\npublish: yes\n", encoding="utf-8")

    second = run(root, "build")
    assert second.returncode == 1, second.stdout + second.stderr
    check_output(
        second.stderr,
        [
            "workers/li-si/profile.yml:2:10: publish:",
            "workers/zhang-san/profile.yml:10:1: nmae:",
        ],
    )
    # Everything in build/ stays, but the parsed-model cache: it may learn the files that did
    # parse (never one with a problem; tests/test_incremental.py checks what it holds).
    after = snapshot(root / "build")
    assert {k: v for k, v in after.items() if k != CACHE} == {
        k: v for k, v in before.items() if k != CACHE
    }
