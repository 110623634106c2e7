"""The build lock: one writer of build/ and site/ at a time.

`showcase build`, `showcase site` and the MkDocs hook under `mkdocs serve` each hold an
exclusive `flock` on build/.lock while they write. The file holds the holder's pid and
start time, so a second run can say who it is waiting for. The lock belongs to the open
file, so a crashed holder releases it with its last descriptor: no stale lock to clear.
The file itself is never deleted (deleting a lock file lets two runs lock two files).
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

LOCK_FILE = Path("build/.lock")
_READ_TRIES = 20  # the holder writes its pid just after locking: wait up to 0.2 s for it


class LockHeld(Exception):
    """Another process holds the build lock; str() is the Chinese message for editors."""

    def __init__(self, holder: str) -> None:
        self.holder = holder  # "进程 1234，开始于 2024-05-01 10:00:00", or "" if unknown
        who = f"（{holder}）" if holder else ""
        super().__init__(f"另一个构建正在进行{who}：等它结束后再运行")


def _holder(fd: int) -> str:
    for _ in range(_READ_TRIES):
        text = os.pread(fd, 256, 0).decode("utf-8", "replace").strip()
        if text:
            pid, _, started = text.partition(" ")
            try:
                when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(started)))
            except ValueError:
                when = started
            return f"进程 {pid}，开始于 {when}"
        time.sleep(0.01)
    return ""


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the build lock for the body; raise LockHeld at once if another process has it."""
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise LockHeld(_holder(fd)) from None
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {time.time():.0f}\n".encode(), 0)
            yield
        finally:
            with suppress(OSError):
                os.ftruncate(fd, 0)  # released: nobody to name
    finally:
        os.close(fd)  # closing the last descriptor releases the flock
