"""Shared helpers: copy fixture exhibitions into a temporary root and run the real tools."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOOK = REPO / "scripts" / "showcase" / "mkdocs_hook.py"


def site_config(root: Path) -> None:
    """The repository's own mkdocs.yml, with the hook found from anywhere."""
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(
        text.replace("scripts/showcase/mkdocs_hook.py", str(HOOK)), "utf-8"
    )


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, dirs_exist_ok=True, symlinks=True)
    if not (dst / "mkdocs.yml").exists():
        site_config(dst)
    return dst


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_tree(FIXTURES / "mini", tmp_path / "mini")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample exhibition, built for real with MkDocs into a temp root."""
    root = tmp_path_factory.mktemp("sample")
    for name in ("exhibition.yml", "content", "workers", "studios"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    site_config(root)
    result = run(root, "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def all_text(folder: Path) -> str:
    """Every text-like file under a folder, concatenated (for 'appears nowhere' checks)."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def material_index(root: Path) -> dict:  # type: ignore[type-arg]
    """Material's own search index, as `mkdocs serve` uses it (published sites carry
    Pagefind's index instead and cut this one to its config)."""
    out = root / "build" / "material-site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "search" / "search_index.json").read_text("utf-8"))
