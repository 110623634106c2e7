"""Golden tree: the mini fixture exhibition and the exact Markdown tree it generates.

After an intended change to the output, regenerate with `UPDATE_GOLDEN=1 make test`
and review the diff of tests/fixtures/mini-expected/ before committing it.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from conftest import FIXTURES, run

GOLDEN = FIXTURES / "mini-expected"


TEXT = {".md", ".css", ".svg", ".txt"}


def tree(root: Path) -> dict[str, bytes]:
    """Every file; image bytes depend on the encoder build, so images compare by name only
    (their names carry the hash of the source and the parameters)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.suffix in TEXT else b""
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_generated_tree_matches_golden(mini: Path) -> None:
    result = run(mini, "build")
    assert result.returncode == 0, result.stderr
    actual = tree(mini / "build" / "docs")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(mini / "build" / "docs", GOLDEN)
        for path in GOLDEN.rglob("*"):
            if path.is_file() and path.suffix not in TEXT:
                path.write_bytes(b"")  # names only: keeps binary churn out of git
    expected = tree(GOLDEN)
    assert sorted(actual) == sorted(expected)
    for path, data in expected.items():
        if actual[path] != data:
            diff = difflib.unified_diff(
                data.decode("utf-8", "replace").splitlines(),
                actual[path].decode("utf-8", "replace").splitlines(),
                "expected/" + path,
                "actual/" + path,
                lineterm="",
            )
            raise AssertionError("\n".join(diff))
