"""How `python -m showcase` ends (showcase.cli.run): the exit code and the output are the
ones an ordinary Python exit gives, with the streams a scheduler or a script may hand it
(a closed stdout or stderr, a pipe, a file). Real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_tree


def showcase(
    root: Path, *args: str, close: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The command with descriptor `close` (1: stdout, 2: stderr) closed, as `>&-` does;
    the other one captured."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), *args]
    out = subprocess.DEVNULL if close == 1 else subprocess.PIPE
    err = subprocess.DEVNULL if close == 2 else subprocess.PIPE

    def closed() -> None:
        if close is not None:
            os.close(close)

    return subprocess.run(cmd, stdout=out, stderr=err, env=env, cwd=root, preexec_fn=closed)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The mini exhibition with one content error (a check exits 1)."""
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    profile = root / "workers" / "zhang-san" / "profile.yml"
    profile.write_text(profile.read_text("utf-8") + "\nno_such_field: 1\n", "utf-8")
    return root


def test_a_closed_stdout_keeps_the_exit_code_and_stderr(tmp_path: Path) -> None:
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    done = showcase(root, "check", close=1)
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert done.returncode == 0, done.stderr.decode()


def test_a_closed_stderr_keeps_the_exit_code(tmp_path: Path, broken: Path) -> None:
    root = copy_tree(FIXTURES / "mini", tmp_path / "fine")
    done = showcase(root, "check", close=2)
    assert done.returncode == 0
    assert "检查通过" in done.stdout.decode()
    assert showcase(broken, "check", close=2).returncode == 1


def test_a_usage_error_with_stdout_closed_is_still_2(broken: Path) -> None:
    done = showcase(broken, "new", "worker", close=1)
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert done.returncode == 2, done.stderr.decode()


def test_a_profiled_run_still_writes_its_profile(tmp_path: Path) -> None:
    """`python -m cProfile -o … -m showcase …` (how a slow run is looked into): cProfile
    writes the profile after the command returns, so the process must not end inside it."""
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    profile = tmp_path / "check.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "showcase", "--root", str(root), "check"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "检查通过" in done.stdout
    assert profile.is_file() and profile.stat().st_size > 0


def test_a_site_published_with_stderr_closed(tmp_path: Path) -> None:
    """`showcase site 2>&-` (a scheduler that closes it): the publish and its search index
    run as always (no module may use sys.stderr while it is None), exit 0."""
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    done = showcase(root, "site", close=2)
    assert done.returncode == 0
    assert "网站已生成" in done.stdout.decode()
    assert (root / "site" / "pagefind" / "shards.json").is_file()
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []
