"""Write stage: the only code that touches the output folder.

A file is rewritten only when its bytes change, through a temporary file and an atomic
rename; files no artifact claims any more are deleted, and so are emptied folders.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from showcase.artifact import Artifact


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"写入 {len(self.written)} 个文件，删除 {len(self.deleted)} 个，未变 {self.unchanged} 个"


def atomic_write(
    target: Path, data: bytes | Iterable[bytes], *, made: set[Path] | None = None
) -> None:
    """Write through a temporary file and a rename; `made` remembers folders created.
    data: the bytes, or their pieces in order (a large file need not be joined first).

    Readers (and a crash) see the old bytes or the new, never half a file. The temporary
    file has a unique name in the target's own folder (same filesystem, so the rename is
    atomic), so two writers of one target never write into each other's file: the last
    rename wins whole."""
    if made is None or target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(target.parent)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, 0o644)  # mkstemp makes 0600: the web server must read it
            for piece in [data] if isinstance(data, bytes) else data:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError) and err.filename is None:  # os.write names no file
            raise OSError(err.errno, err.strerror, str(target)) from err
        raise


def walked_prefix(folder: str, top: str) -> str:
    """A folder os.walk(top) reached, as the POSIX prefix of its files' paths relative to
    `top` ("" for top itself, else "a/b/"): string slicing, not a Path per folder."""
    base = folder[len(top) + 1 :].replace(os.sep, "/")
    return base + "/" if base else ""


def _same(target: str | Path, data: bytes) -> bool:
    try:
        if os.stat(target).st_size != len(data):
            return False
        with open(target, "rb") as f:
            return f.read() == data
    except FileNotFoundError:
        return False


def _link(source: Path, target: Path, made: set[Path]) -> str | None:
    """A copied file (a photo derivative from the media cache) as a hard link to its
    source, so a later build sees the same inode and reads neither file. The cache never
    changes a file in place (atomic_write), so the link always holds its bytes.
    "same": already that link; "linked": the target is new, or held other bytes; None:
    links are not possible here (copy instead)."""
    try:
        if os.path.samefile(source, target):
            return "same"
    except FileNotFoundError:
        pass
    except OSError:
        return None
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.link")
    try:
        tmp.unlink(missing_ok=True)
        os.link(source, tmp)
        same = _same(target, source.read_bytes()) if target.exists() else False
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        return None
    return "same" if same else "linked"


def sync(out: Path, artifacts: Iterable[Artifact], link_from: Path | None = None) -> WriteReport:
    """Make `out` hold exactly these artifacts, touching only what differs. Files copied
    from under `link_from` (the media cache) are hard links to it."""
    report = WriteReport()
    wanted: set[str] = set()
    made: set[Path] = set()
    top = os.fspath(out)  # strings, not Path objects: a build syncs 17,000 files at 5,000 workers
    cache = os.path.join(os.fspath(link_from), "") if link_from is not None else None
    for artifact in artifacts:
        wanted.add(artifact.path)
        source = artifact.source
        if source is not None and cache is not None and os.fspath(source).startswith(cache):
            target = out / artifact.path
            linked = _link(source, target, made)
            if linked == "same":
                report.unchanged += 1
                continue
            if linked is not None:
                report.written.append(artifact.path)
                continue
        data = artifact.content()
        if _same(os.path.join(top, artifact.path), data):
            report.unchanged += 1
            continue
        atomic_write(out / artifact.path, data, made=made)
        report.written.append(artifact.path)
    if out.is_dir():  # what no artifact claims, and the folders that leaves empty
        for folder, _, names in os.walk(top, topdown=False):
            prefix = walked_prefix(folder, top)
            for name in names:
                if prefix + name not in wanted:
                    os.unlink(os.path.join(folder, name))
                    report.deleted.append(prefix + name)
            if folder != top and not os.listdir(folder):
                os.rmdir(folder)
        report.deleted.sort(reverse=True)
    return report
