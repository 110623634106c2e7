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


TEXT = {".md", ".css", ".svg", ".txt", ".xml", ".json", ".csv"}
STATIC = "assets/"  # the theme's own CSS/JS, copied verbatim: not generated, not golden


def tree(root: Path) -> dict[str, bytes]:
    """Every file; image bytes depend on the encoder build, so images compare by name only
    (their names carry the hash of the source and the parameters)."""
    files = (p for p in sorted(root.rglob("*")) if p.is_file())
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.suffix in TEXT else b""
        for p in files
        if not p.relative_to(root).as_posix().startswith(STATIC)
    }


def check_golden(golden: Path, actual: dict[str, bytes]) -> None:
    """Compare a generated tree with its golden copy; UPDATE_GOLDEN=1 rewrites the copy."""
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for path, data in actual.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_bytes(data)  # images as empty files: names only
    expected = tree(golden)
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


def test_generated_tree_matches_golden(mini: Path) -> None:
    result = run(mini, "build")
    assert result.returncode == 0, result.stderr
    check_golden(GOLDEN, tree(mini / "build" / "docs"))
