"""Walking the editors' folders without ever following a symlink or opening a special file.

Everything under `workers/`, `studios/` and `content/` is published or read by the
generator, so a symlink there could publish any file of the machine that builds the site
(`content/env.txt -> /proc/self/environ`), and reading a FIFO would hang the build. The
walk uses `os.scandir` with `follow_symlinks=False`: symlinks (to files or folders,
dangling or not) and anything that is not a regular file or folder are reported, located
at the entry itself, and never yielded. Names starting with "." are neither read nor
published, so they are skipped (editors' tools leave such files, even dangling symlinks).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from showcase.problems import Problems

TOPS = ("workers", "studios", "content")  # every folder the generator reads
SYMLINK = ("符号链接不能发布", "把真实文件复制到这里")
SPECIAL = ("不是普通的文件或文件夹（管道、设备等），不能发布", "删除它，换成普通文件")


def not_regular(path: Path) -> tuple[str, str] | None:
    """Why `path` may not be read as a file (message, hint), or None if it is a regular
    file. A missing file is the caller's to report."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return SYMLINK
    if not stat.S_ISREG(mode):
        return SPECIAL
    return None


def _refusal(entry: os.DirEntry[str]) -> tuple[str, str] | None:
    if entry.is_symlink():
        return SYMLINK
    if entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False):
        return None
    return SPECIAL


def walk(folder: Path, problems: Problems | None = None, shown: str = "") -> Iterator[Path]:
    """Every regular file under `folder`, in sorted order, depth first.

    Symlinks and special files are skipped; with `problems`, each is reported as
    `<shown>/<relative path>:1:1`. A `folder` that is itself a symlink or not a folder
    yields nothing (and is reported)."""
    shown = shown or folder.name
    try:
        mode = folder.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode) and problems is not None:
        problems.add(shown, 1, 1, "", *SYMLINK)
    if stat.S_ISDIR(mode):
        yield from _walk(folder, problems, shown)


def _walk(folder: Path, problems: Problems | None, shown: str) -> Iterator[Path]:
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        refused = _refusal(entry)
        if refused is not None:
            if problems is not None:
                problems.add(f"{shown}/{entry.name}", 1, 1, "", *refused)
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), problems, f"{shown}/{entry.name}")
        else:
            yield Path(entry.path)


def check_tops(root: Path, problems: Problems) -> None:
    """Report every symlink and special file in the folders the generator reads."""
    for top in TOPS:
        for _ in walk(root / top, problems, top):
            pass


def folders(base: Path) -> list[Path]:
    """The real (not symlinked) sub-folders of `base` not starting with "." or "_"."""
    if base.is_symlink() or not base.is_dir():
        return []
    with os.scandir(base) as it:
        found = [
            Path(e.path)
            for e in it
            if e.is_dir(follow_symlinks=False) and not e.name.startswith((".", "_"))
        ]
    return sorted(found)


def hand_written_files(content: Path) -> list[Path]:
    """The regular files under `content/` for the renderer to publish (symlinks and
    special files left out: the check stage has reported them)."""
    return list(walk(content))
