"""Publishing: MkDocs builds into a fresh folder, Pagefind indexes it, and only then does
the fresh folder replace site/ — the published site is always a complete old or new build.

The fresh folder is made with a unique name next to site/ (same parent, so the same
filesystem: the switch is a rename, never a copy). On Linux the switch is one
renameat2(RENAME_EXCHANGE): a web server resolving paths per request sees the complete
old tree or the complete new one, never a missing site/. The caller holds the build lock
(showcase.lock), so leftovers of a crashed publish can be removed.

Search: Material's own index is downloaded whole by every reader (2 MB gzipped at 5,000
workers, measured by bench/search.py). Pagefind splits its index into small fragments and
segments Chinese; showcase.js answers Material's search box from it. Pagefind runs once
per shard of the site's pages (showcase.searchindex), which bounds its memory. Material's plugin
indexes nothing in this MkDocs run (SHOWCASE_SEARCH=pagefind, read by the MkDocs hook), and
its index file is cut to its config.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from showcase import searchindex
from showcase.mkdocsrun import WAIT
from showcase.write import atomic_write, walked_prefix

if TYPE_CHECKING:
    from showcase.prelink import Prelink

SITE_DIR = Path("site")
FRESH_PREFIX = ".site.new-"  # next to site/: same filesystem
OLD_PREFIX = ".site.old-"
KEPT = "旧网站保持不变"  # what readers see when a publish fails
AT_FDCWD = -100
RENAME_EXCHANGE = 2

Verify = Callable[[Path, "set[str] | None"], list[str]]  # folder, files to scan (None: all)
Log = Callable[[str], None]
Timings = dict[str, float]


def _stderr(line: str) -> None:
    if sys.stderr is not None:  # None when started with stderr closed (`2>&-`)
        sys.stderr.write(line + "\n")


def mkdocs_build(root: Path, out: Path, changed: Path | None = None) -> bool:
    """A full build into `out`; with `changed` (a JSON list of build/docs paths), a dirty
    build of just those over `out` (both through showcase.mkdocsrun, started ahead by
    start_mkdocs when the caller could)."""
    if changed is None:
        args = ["build", "--strict", "--clean", "-d", str(out)]
    else:
        args = [str(changed), "build", "--strict", "--dirty", "-d", str(out)]
    ahead = _AHEAD.pop(root, None)
    if ahead is not None and ahead.stdin is not None and ahead.poll() is None:
        try:
            ahead.stdin.write(json.dumps(args).encode() + b"\n")
            ahead.stdin.close()
        except BrokenPipeError:  # it ended (never expected): run one the usual way
            ahead.wait()
        else:
            return ahead.wait() == 0
    cmd = [sys.executable, "-m", "showcase.mkdocsrun", *args]
    return subprocess.run(cmd, cwd=root, env=mkdocs_env()).returncode == 0


def mkdocs_env() -> dict[str, str]:
    # Pagefind answers the search box: Material's search plugin indexes nothing (the hook)
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SHOWCASE_SEARCH": "pagefind"}


_AHEAD: dict[Path, subprocess.Popen[bytes]] = {}


def start_mkdocs(root: Path) -> None:
    """Start the next mkdocs_build's process now: it imports MkDocs, the theme, the plugins
    and the hook on the other core while the generator runs (a third of a one-page
    build), then waits for its arguments. stop_mkdocs ends it if no build came."""
    stop_mkdocs(root)
    cmd = [sys.executable, "-m", "showcase.mkdocsrun", WAIT]
    _AHEAD[root] = subprocess.Popen(cmd, cwd=root, env=mkdocs_env(), stdin=subprocess.PIPE)


def stop_mkdocs(root: Path) -> None:
    ahead = _AHEAD.pop(root, None)
    if ahead is not None:
        if ahead.stdin is not None:
            with contextlib.suppress(OSError):
                ahead.stdin.close()  # no arguments: it exits without building
        ahead.wait()


def pagefind_index(
    site: Path,
    only: Collection[int] | None = None,
    source: Path | None = None,
    pages: Collection[str] | None = None,
) -> bool:
    """Pagefind's index of `site`, shard by shard (showcase.searchindex; `only`: just these
    shards, the others are already in place; `source`: where to read the same pages, and
    `pages`, their list when known); the links it indexes from sit beside `site`."""
    scratch = Path(tempfile.mkdtemp(dir=site.parent, prefix=FRESH_PREFIX))
    try:
        return searchindex.index_site(site, scratch, only, log=_stderr, source=source, pages=pages)
    finally:
        remove_tree(scratch)


def stub_material_index(site: Path) -> None:
    """Keep Material's search config, drop its documents: Pagefind answers instead."""
    path = site / "search" / "search_index.json"
    if path.is_file():
        config = json.loads(path.read_text("utf-8")).get("config", {})
        atomic_write(path, json.dumps({"config": config, "docs": []}, ensure_ascii=False).encode())


def _renameat2() -> Callable[..., int] | None:
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc ≥ 2.28 (or not Linux)
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (both must exist); OSError(ENOSYS) where unsupported."""
    if _RENAMEAT2 is None:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS), str(a), None, str(b))
    if _RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


def remove_tree(path: Path, log: Log = _stderr) -> None:
    """Delete a replaced or abandoned tree; a failure here is only a note."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as err:
        log(f"注意：旧文件夹 {path} 没能删除（{err.strerror}），可以手动删除。")


_REMOVALS: list[tuple[subprocess.Popen[bytes] | None, Path, Log]] = []


def remove_later(path: Path, log: Log = _stderr) -> None:
    """Delete a replaced or abandoned tree beside the rest of the run: readers already see
    the new one. `rm`, a process of its own: a site's 29,000 files take the kernel a second
    or more, and a thread of this process would wait for the interpreter between them.
    `publish` waits for it (finish_removals) before it returns, so the build lock
    outlives it."""
    try:
        quiet = subprocess.DEVNULL
        proc = subprocess.Popen(["rm", "-rf", "--", str(path)], stdout=quiet, stderr=quiet)
    except OSError:  # no `rm`: finish_removals deletes it all
        proc = None
    _REMOVALS.append((proc, path, log))


def finish_removals() -> None:
    """Wait for remove_later's deletions; what `rm` left is deleted here (a failure is a
    note, as remove_tree's)."""
    while _REMOVALS:
        proc, path, log = _REMOVALS.pop()
        if proc is not None:
            proc.wait()
        remove_tree(path, log)


def switch(fresh: Path, final: Path, log: Log = _stderr, holder: Path | None = None) -> None:
    """Put the complete tree `fresh` at `final` and delete what was there (with `holder`,
    the folder `fresh` was made in, deleted with it).

    Readers of `final` see the old tree or the new one at every instant. Where the
    filesystem cannot exchange two names, two renames are used (a short gap), with a note.
    On an OSError `final` is as it was and `fresh` still exists."""
    if not final.exists():
        fresh.rename(final)  # first publish: nothing to replace
    elif final.is_symlink() or not final.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{final.name} 不是文件夹", str(final))
    else:
        try:
            exchange(fresh, final)
        except OSError as err:
            if err.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                raise
            log(
                "注意：这里的文件系统不支持一步交换文件夹，改用两次改名：切换的一瞬间网站可能打不开。"
            )
            old = Path(tempfile.mkdtemp(dir=holder or final.parent, prefix=OLD_PREFIX))
            old.rmdir()  # a unique free name (never inside the live tree)
            final.rename(old)
            try:
                fresh.rename(final)
            except BaseException:
                old.rename(final)
                raise
            remove_tree(old, log)
        else:
            holder = holder or fresh  # it holds the old tree now
    if holder is not None:
        remove_later(holder, log)


def clean_leftovers(parent: Path, log: Log = _stderr, keep: Path | None = None) -> None:
    """Remove fresh/old folders a killed publish left (the build lock says none is live
    but `keep`, this run's own)."""
    for path in parent.iterdir():
        if path.name.startswith((FRESH_PREFIX, OLD_PREFIX)) and path.is_dir() and path != keep:
            remove_tree(path, log)


def _mode_for(final: Path) -> int:
    """site/'s permissions: kept from the old site, else the usual folder mode."""
    try:
        return final.stat().st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o777 & ~mask


@contextmanager
def timed(timings: Timings | None, key: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[key] = timings.get(key, 0.0) + time.perf_counter() - start


def publish(
    root: Path,
    verify: Verify | None = None,
    log: Log = _stderr,
    changed: set[str] | None = None,
    timings: Timings | None = None,
    prelinked: Prelink | None = None,
) -> str | None:
    """Build site/ from build/docs; None on success, else why (in Chinese).

    `verify` is called on the finished fresh folder (after MkDocs and Pagefind, before the
    switch); any message it returns fails the publish and leaves site/ as it was.
    OSError (permissions, disk full, …) propagates after the fresh folder is removed.

    `changed`: the build/docs paths that differ from the published site (see
    incremental.plan; None: a full build). Only those pages are rebuilt, over a copy of
    site/ made of hard links (showcase.incremental_site), and published; then the search
    index follows as its own atomic step. `prelinked`: those links, begun ahead
    (showcase.prelink; discarded by a full build)."""
    final = root / SITE_DIR
    clean_leftovers(final.parent, log, keep=prelinked.folder if prelinked else None)
    try:
        if changed is not None and final.is_dir():
            from showcase.incremental_site import publish_changed

            return publish_changed(root, final, changed, verify, log, timings, prelinked)
        if prelinked is not None:
            prelinked.discard()
        return in_fresh(final, lambda fresh: _full(root, fresh, verify, timings, log), log)
    finally:
        finish_removals()


def in_fresh(
    final: Path,
    fill: Callable[[Path], str | None],
    log: Log = _stderr,
    part: str = "",
    fresh: Path | None = None,
) -> str | None:
    """Fill a fresh folder beside `final`, then switch it in; a failure (a message, or an
    exception) removes it and leaves `final` as it was. With `part` (a folder of `final`,
    such as the search index), `fill` makes that folder inside the fresh one, and it alone
    takes the place of final/part. `fresh`: a folder beside `final` already begun."""
    fresh = fresh or Path(tempfile.mkdtemp(dir=final.parent, prefix=FRESH_PREFIX))
    switched = False
    try:
        os.chmod(fresh, _mode_for(final))  # mkdtemp makes 0700: a web server must read it
        failure = fill(fresh)
        if failure:
            return failure
        if part:
            switch(fresh / part, final / part, log, holder=fresh)
        else:
            switch(fresh, final, log)
        switched = True
        return None
    finally:
        if not switched:
            remove_tree(fresh, log)


def _full(
    root: Path, fresh: Path, verify: Verify | None, timings: Timings | None, log: Log
) -> str | None:
    """MkDocs (two processes when there are many pages: showcase.mkdocsfull), then
    Pagefind (a process of its own) while this one scans the pages for private values:
    both cores work. Then the scan of the search index."""
    from showcase import mkdocsfull  # it builds on this module

    with timed(timings, "mkdocs"):
        if not mkdocsfull.build(root, fresh, log):
            return "MkDocs 构建失败：旧网站保持不变。"
    stub_material_index(fresh)
    pages = files_under(fresh)
    with ThreadPoolExecutor(1) as pool:
        scanning = pool.submit(verified, fresh, verify, pages, timings)
        with timed(timings, "pagefind"):
            indexed = pagefind_index(fresh)
        failure = scanning.result()
    if not indexed:
        return "搜索索引（Pagefind）生成失败：旧网站保持不变。"
    return failure or verified(fresh, verify, files_under(fresh) - pages, timings)


def files_under(folder: Path) -> set[str]:
    """Every file under `folder`, as POSIX paths relative to it (string slicing, not Path
    objects: a publish lists tens of thousands of files several times)."""
    out: set[str] = set()
    top = os.fspath(folder)
    for dirpath, _, names in os.walk(top):
        prefix = walked_prefix(dirpath, top)
        out.update(prefix + name for name in names)
    return out


def verified(
    fresh: Path,
    verify: Verify | None,
    only: set[str] | None,
    timings: Timings | None,
    outcome: str = KEPT,
) -> str | None:
    """`verify`'s messages and a last line saying what readers see (`outcome`), or None."""
    if verify is None:
        return None
    with timed(timings, "verify"):
        messages = verify(fresh, only)
    if messages:
        return "\n".join([*messages, f"发布前检查未通过：{outcome}。"])
    return None
