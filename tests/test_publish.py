"""Publishing under real conditions: two runs at once, readers during the switch, failing
disks, a corrupt media cache, and `showcase check` writing nothing. Real processes, real
folders and real mounts (skipped, with the reason, where the machine does not allow them)."""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from showcase import mkdocs_hook
from showcase import publish as publishing
from showcase.build import build
from showcase.incremental import STATE_FILE
from showcase.lock import build_lock
from showcase.write import atomic_write

from conftest import run

LOCK_MESSAGE = "另一个构建正在进行（进程 "
WORKER_PAGE = "workers/zhang-san/index.html"


def site_complete(root: Path) -> None:
    site = root / "site"
    assert (site / "index.html").is_file()
    assert (site / WORKER_PAGE).is_file()
    assert (site / "pagefind" / "pagefind.js").is_file()
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site.")]
    assert leftovers == []


def identity(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder with its inode, mtime and size: any write changes it."""
    out = {}
    for path in [folder, *folder.rglob("*")] if folder.exists() else ():
        st = path.lstat()
        out[path.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


# --- two publishes at once --------------------------------------------------------------


def test_two_sites_at_once_one_runs_the_other_stops(mini: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(mini), "site"]
    for _ in range(3):
        (mini / STATE_FILE).unlink(missing_ok=True)  # a full build each time, not a no-op
        first = subprocess.Popen(
            cmd, cwd=mini, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        time.sleep(0.5)
        second = run(mini, "site")
        _out, err = first.communicate(timeout=300)
        codes = sorted([first.returncode, second.returncode])
        assert codes == [0, 2], (first.returncode, err, second.returncode, second.stderr)
        loser = second.stderr if second.returncode == 2 else err
        assert LOCK_MESSAGE in loser and "等它结束后再运行" in loser, loser
        assert "Traceback" not in loser
        site_complete(mini)


def test_lock_held_stops_build_at_once_naming_the_holder(mini: Path) -> None:
    with build_lock(mini):
        start = time.monotonic()
        result = run(mini, "build")
        assert time.monotonic() - start < 30
    assert result.returncode == 2
    assert f"{LOCK_MESSAGE}{os.getpid()}，开始于 " in result.stderr, result.stderr
    no_traceback(result)
    assert not (mini / "build/docs").exists()
    assert run(mini, "build").returncode == 0  # released with the descriptor


def test_check_takes_no_lock(mini: Path) -> None:
    with build_lock(mini):
        assert run(mini, "check").returncode == 0


def test_serve_hook_keeps_previous_pages_while_locked(
    mini: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = SimpleNamespace(config_file_path=str(mini / "mkdocs.yml"), plugins={})
    mkdocs_hook.on_startup("serve", False)
    try:
        with build_lock(mini), caplog.at_level(logging.INFO, "mkdocs.hooks.showcase"):
            mkdocs_hook.on_pre_build(config)
        assert not (mini / "build/docs").exists()
        assert any(LOCK_MESSAGE in r.getMessage() for r in caplog.records), caplog.text
        mkdocs_hook.on_pre_build(config)  # free again: builds
        assert (mini / "build/docs/index.md").is_file()
    finally:
        mkdocs_hook.on_startup("build", False)


# --- the switch under load ---------------------------------------------------------------


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """A static server resolving every request's path under `site` anew."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Reader(threading.Thread):
    """Fetches the home page and a worker page in a tight loop; counts what failed."""

    def __init__(self, base: str, paths: tuple[str, ...]) -> None:
        super().__init__(daemon=True)
        self.urls = [f"{base}/{p}" for p in paths]
        self.stop = threading.Event()
        self.requests = 0
        self.failures: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            for url in self.urls:
                self.requests += 1
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        body = response.read()
                        if response.status != 200 or b"</html>" not in body:
                            self.failures.append(f"{url}: {response.status}, {len(body)} bytes")
                except (urllib.error.URLError, OSError) as err:
                    self.failures.append(f"{url}: {err}")


@contextmanager
def reading(base: str, *paths: str) -> Iterator[Reader]:
    reader = Reader(base, paths)
    reader.start()
    try:
        yield reader
    finally:
        reader.stop.set()
        reader.join(timeout=30)


def test_readers_never_miss_a_page_during_switches(mini: Path) -> None:
    assert run(mini, "site").returncode == 0
    prepared = mini / "build" / "prepared"
    shutil.copytree(mini / "site", prepared)
    with serving(mini / "site") as base, reading(base, "index.html", "workers/zhang-san/") as r:
        for _ in range(50):
            fresh = Path(tempfile.mkdtemp(dir=mini, prefix=publishing.FRESH_PREFIX))
            shutil.copytree(prepared, fresh, dirs_exist_ok=True)
            publishing.switch(fresh, mini / "site")
        publishing.finish_removals()  # the replaced trees, deleted beside the switches
        for _ in range(2):
            result = run(mini, "site")
            assert result.returncode == 0, result.stderr
    print(f"{r.requests} requests during 50 switches and 2 publishes, {len(r.failures)} failed")
    assert r.failures == []
    assert r.requests > 100
    site_complete(mini)


def test_publish_keeps_site_a_readable_real_folder(mini: Path) -> None:
    assert run(mini, "site").returncode == 0
    assert run(mini, "site").returncode == 0
    site = mini / "site"
    assert site.is_dir() and not site.is_symlink()
    assert site.stat().st_mode & 0o755 == 0o755  # mkdtemp's 0700 would lock a web server out


def test_two_renames_where_exchange_is_refused(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A filesystem without RENAME_EXCHANGE: two renames, and a note saying so."""
    (mini / "site").mkdir()
    (mini / "site/old.html").write_text("old", "utf-8")
    fresh = Path(tempfile.mkdtemp(dir=mini, prefix=publishing.FRESH_PREFIX))
    (fresh / "index.html").write_text("new", "utf-8")
    monkeypatch.setattr(publishing, "_RENAMEAT2", None)
    notes: list[str] = []
    publishing.switch(fresh, mini / "site", notes.append)
    assert [p.name for p in (mini / "site").iterdir()] == ["index.html"]
    assert len(notes) == 1 and "不支持一步交换" in notes[0]
    assert [p for p in mini.iterdir() if p.name.startswith(".site.")] == []


@pytest.mark.parametrize("exchange", [True, False])
def test_a_part_of_the_site_is_switched_alone(
    mini: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    """The search step switches site/pagefind alone: the rest of site/ is the same folder
    and files, the new index is whole, and nothing is left beside or inside site/."""
    site = mini / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "index.html").write_text("page", "utf-8")
    (site / "pagefind/old.pf_index").write_text("old", "utf-8")
    page = (site / "index.html").stat().st_ino
    if not exchange:
        monkeypatch.setattr(publishing, "_RENAMEAT2", None)
    notes: list[str] = []

    def fill(fresh: Path) -> None:
        (fresh / "pagefind").mkdir()
        (fresh / "pagefind/new.pf_index").write_text("new", "utf-8")

    assert publishing.in_fresh(site, fill, notes.append, part="pagefind") is None
    publishing.finish_removals()
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["new.pf_index"]
    assert (site / "index.html").stat().st_ino == page
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "pagefind"]
    assert [p for p in mini.iterdir() if p.name.startswith(".site.")] == []
    assert len(notes) == (0 if exchange else 1)


def test_readers_always_find_a_whole_index_during_part_switches(mini: Path) -> None:
    """The search step's switch of site/pagefind alone: a reader reading the manifest, then
    every shard it lists and the script, never misses a file, 50 switches long."""
    assert run(mini, "site").returncode == 0
    site = mini / "site"
    prepared = mini / "build" / "prepared-index"
    shutil.copytree(site / "pagefind", prepared)
    stop = threading.Event()
    reads: list[int] = [0]
    misses: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                listed = json.loads((site / "pagefind/shards.json").read_bytes())["shards"]
                for folder in listed:
                    (site / folder / "pagefind-entry.json").read_bytes()
                (site / "pagefind/pagefind.js").read_bytes()
            except (OSError, ValueError) as err:
                misses.append(repr(err))
            reads[0] += 1

    def fill(fresh: Path) -> None:
        shutil.copytree(prepared, fresh / "pagefind")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(50):
            assert publishing.in_fresh(site, fill, part="pagefind") is None
    finally:
        stop.set()
        thread.join()
    publishing.finish_removals()
    assert misses == [] and reads[0] > 50
    site_complete(mini)


def test_verify_failure_discards_the_fresh_site(mini: Path) -> None:
    assert run(mini, "site").returncode == 0
    before = identity(mini / "site")
    seen: list[tuple[Path, set[str]]] = []

    def verify(fresh: Path, only: set[str] | None) -> list[str]:
        # the pages are scanned while Pagefind runs, then the search index
        assert only is not None and (fresh / "index.html").is_file()
        seen.append((fresh, only))
        return ["index.html: 含有存档信息"] if "index.html" in only else []

    failure = publishing.publish(mini, verify=verify)
    assert failure is not None and "含有存档信息" in failure and "旧网站保持不变" in failure
    assert identity(mini / "site") == before
    assert len(seen) == 1 and not seen[0][0].exists()

    def search_leaks(fresh: Path, only: set[str] | None) -> list[str]:
        assert only is not None
        seen.append((fresh, only))
        return ["pagefind: 含有存档信息"] if any(r.startswith("pagefind/") for r in only) else []

    seen.clear()
    failure = publishing.publish(mini, verify=search_leaks)
    assert failure is not None and "含有存档信息" in failure and "旧网站保持不变" in failure
    assert identity(mini / "site") == before
    assert len(seen) == 2 and not seen[0][0].exists()
    pages, index = seen[0][1], seen[1][1]
    assert not pages & index and "index.html" in pages and index  # every file, once
    assert all(rel.startswith("pagefind/") for rel in index)
    assert publishing.publish(mini, verify=lambda fresh, only: []) is None
    site_complete(mini)


# --- environment failures ----------------------------------------------------------------


@contextmanager
def mounted(target: Path, *options: str) -> Iterator[None]:
    """A real mount (needs root and CAP_SYS_ADMIN); skips the test where not allowed."""
    target.mkdir(parents=True, exist_ok=True)
    cmd = ["mount", *options, str(target)]
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting needs root")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount not allowed here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)


def test_disk_full_is_a_message_and_the_site_stays(mini: Path) -> None:
    assert run(mini, "site").returncode == 0
    before = identity(mini / "site")
    shutil.rmtree(mini / "build")
    with mounted(mini / "build", "-t", "tmpfs", "-o", "size=16k", "tmpfs"):
        result = run(mini, "site")
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    assert "磁盘空间不足" in result.stderr and "build/" in result.stderr, result.stderr
    assert identity(mini / "site") == before


def test_read_only_build_folder_is_a_message(mini: Path) -> None:
    with mounted(mini / "build", "-t", "tmpfs", "-o", "ro", "tmpfs"):
        result = run(mini, "build")
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    assert "build/.lock" in result.stderr and "只读" in result.stderr, result.stderr


def test_read_only_site_mount_is_a_message_and_stays(mini: Path) -> None:
    """site/ as a read-only bind mount (chmod cannot stop root): it cannot be replaced."""
    assert run(mini, "site").returncode == 0
    before = identity(mini / "site")
    site = str(mini / "site")
    (mini / STATE_FILE).unlink()  # a publish, not a no-op
    with mounted(mini / "site", "--bind", site):
        subprocess.run(["mount", "-o", "remount,bind,ro", site], check=True)
        result = run(mini, "site")
        assert identity(mini / "site") == before
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    assert "site" in result.stderr and "无法完成" in result.stderr, result.stderr
    assert [p for p in mini.iterdir() if p.name.startswith(".site.")] == []


def test_immutable_site_is_a_message_and_stays(mini: Path) -> None:
    """chattr +i: even root may not rename or change it."""
    assert run(mini, "site").returncode == 0
    before = identity(mini / "site")
    index = mini / "site" / "index.html"
    (mini / STATE_FILE).unlink()  # a publish, not a no-op
    done = subprocess.run(["chattr", "+i", str(mini / "site"), str(index)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i not supported here: {done.stderr.decode().strip()}")
    try:
        result = run(mini, "site")
    finally:
        subprocess.run(["chattr", "-i", str(mini / "site"), str(index)], check=True)
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    assert "site" in result.stderr and "操作不被允许" in result.stderr, result.stderr
    assert identity(mini / "site") == before


# --- media cache integrity ---------------------------------------------------------------


def test_corrupt_cache_is_remade_with_a_note(mini: Path) -> None:
    assert run(mini, "site").returncode == 0
    cache = mini / "build/media-cache"
    index = json.loads((cache / "index.json").read_text("utf-8"))
    files = sorted(f for r in index.values() for o in r["outputs"] for f in o["files"])
    random_one, empty_one = files[0], files[-1]
    (cache / random_one).write_bytes(os.urandom(3000))
    (cache / empty_one).write_bytes(b"")
    (mini / STATE_FILE).unlink()  # a publish, not a no-op (the site does not use the cache)
    result = run(mini, "site")
    assert result.returncode == 0, result.stderr
    for name in (random_one, empty_one):
        assert f"媒体缓存 {name} 已损坏，已重新生成" in result.stderr, result.stderr
    recorded = {
        f: h
        for r in json.loads((cache / "index.json").read_text("utf-8")).values()
        for o in r["outputs"]
        for f, h in zip(o["files"], o["sha256"], strict=True)
    }
    for name, digest in recorded.items():
        assert hashlib.sha256((cache / name).read_bytes()).hexdigest() == digest
    images = [
        p
        for folder in (mini / "build/docs", mini / "site")
        for p in folder.rglob("*")
        if p.suffix in (".webp", ".jpg") and p.name.split("-")[0] in {f[:16] for f in files}
    ]
    assert len(images) >= 2 * len(files)
    for path in images:
        with Image.open(path) as im:
            im.load()
    again = run(mini, "build")
    assert again.returncode == 0 and "已损坏" not in again.stderr


def test_a_cache_file_rewritten_in_place_is_found_though_size_and_time_are_kept(
    mini: Path,
) -> None:
    """Every run hashes every derivative it uses: a file found intact before is not trusted
    on its size and times (a rewrite can put the modification time back), so a rewrite
    that keeps both is still found and remade."""
    for _ in range(2):  # the first makes the derivatives, the second finds them intact
        first = build(mini)
        assert first.media is not None and not first.media.notes
    cache = mini / "build/media-cache"
    index = json.loads((cache / "index.json").read_text("utf-8"))
    victim = cache / sorted(f for r in index.values() for o in r["outputs"] for f in o["files"])[0]
    good, st = victim.read_bytes(), victim.stat()
    time.sleep(0.05)
    victim.write_bytes(bytes(len(good)))
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (victim.stat().st_size, victim.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    again = build(mini)
    assert again.media is not None
    assert any(f"媒体缓存 {victim.name} 已损坏" in n for n in again.media.notes), again.media.notes
    assert victim.read_bytes() == good  # remade, byte for byte


def test_a_cache_file_written_through_a_mapping_dirtied_before_its_check_is_found(
    mini: Path,
) -> None:
    """A write through a shared mapping changes the file's times only when it first makes
    a page dirty; later writes to that page change nothing a stat shows until the page is
    written back (never, on tmpfs). So no file identity can stand for "hashed intact
    before": a write through a mapping dirtied before the check, made after it, is found
    by the next run's hash (a shortcut on (inode, size, mtime, ctime) missed it)."""
    build(mini)
    cache = mini / "build/media-cache"
    index = json.loads((cache / "index.json").read_text("utf-8"))
    victim = cache / sorted(f for r in index.values() for o in r["outputs"] for f in o["files"])[0]
    good = victim.read_bytes()
    linked = next((mini / "build/docs").rglob(victim.name))  # the hard link in build/docs
    assert linked.stat().st_ino == victim.stat().st_ino
    with open(linked, "r+b") as f, mmap.mmap(f.fileno(), 0) as mapped:
        mapped[100] = mapped[100]  # the page dirty, the bytes unchanged
        checked = build(mini)  # hashes the file: intact
        assert checked.media is not None and not checked.media.notes, checked.media.notes
        time.sleep(0.05)  # past the clock's tick
        mapped[100:132] = bytes(32)
        mapped.flush()
    assert victim.read_bytes() != good
    again = build(mini)
    assert again.media is not None
    assert any(f"媒体缓存 {victim.name} 已损坏" in n for n in again.media.notes), again.media.notes
    assert victim.read_bytes() == good and linked.read_bytes() == good


def test_cache_without_recorded_hashes_is_remade(mini: Path) -> None:
    """An index written before hashes were recorded is not trusted."""
    build(mini)
    path = mini / "build/media-cache/index.json"
    index = json.loads(path.read_text("utf-8"))
    for r in index.values():
        for o in r["outputs"]:
            del o["sha256"]
    path.write_text(json.dumps(index), "utf-8")
    result = build(mini)
    assert result.media is not None and result.media.decoded == 2
    assert "sha256" in path.read_text("utf-8")


# --- check writes nothing ----------------------------------------------------------------


def test_check_writes_nothing_and_still_decodes(mini: Path) -> None:
    before = identity(mini)
    assert run(mini, "check").returncode == 0
    assert identity(mini) == before and not (mini / "build").exists()
    work = mini / "workers/zhang-san/work.png"
    work.write_bytes(work.read_bytes()[: len(work.read_bytes()) // 2])  # truncated
    before = identity(mini)
    result = run(mini, "check")
    assert result.returncode == 1
    assert "workers/zhang-san/profile.yml:24:" in result.stderr
    assert "「work.png」图片文件已损坏或不完整" in result.stderr, result.stderr
    assert identity(mini) == before and not (mini / "build").exists()


def test_check_after_a_build_leaves_build_unchanged(mini: Path) -> None:
    build(mini)
    cache = mini / "build/media-cache"
    victim = next(p for p in cache.iterdir() if "-card-" in p.name)  # the portrait's
    victim.write_bytes(b"")
    work = mini / "workers/zhang-san/work.png"
    with Image.open(work) as im:
        im.rotate(90, expand=True).save(work)  # a new image: decoded, not written
    before = identity(mini / "build")
    result = run(mini, "check")
    assert result.returncode == 0, result.stderr
    assert f"媒体缓存 {victim.name} 已损坏，运行 showcase build 时会重新生成" in result.stderr
    assert identity(mini / "build") == before


def test_check_names_derivatives_as_a_real_run_does(mini: Path) -> None:
    from showcase.build import check_all

    checked = check_all(mini, read_only=True)
    assert not (mini / "build").exists()
    real = build(mini).media
    assert real is not None
    for key, result in checked.media.images.items():
        made = real.images[key]
        assert [(o.preset, o.width, o.height, o.files) for o in result.outputs] == [
            (o.preset, o.width, o.height, o.files) for o in made.outputs
        ]


# --- temporary names ---------------------------------------------------------------------


def _hammer(target: str, data: bytes, times: int) -> None:
    for _ in range(times):
        atomic_write(Path(target), data)


def test_two_writers_of_one_target_never_collide(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    contents = [b"A" * 200_000, b"B" * 150_000]
    errors: list[BaseException] = []

    def hammer(data: bytes) -> None:
        try:
            _hammer(str(target), data, 300)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=hammer, args=(c,)) for c in contents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_bytes() in contents
    code = (
        "import sys; sys.path.insert(0, {tests!r}); from test_publish import _hammer; "
        "_hammer({target!r}, bytes([{byte}]) * 100_000, 300)"
    )
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                code.format(tests=str(Path(__file__).parent), target=str(target), byte=b),
            ]
        )
        for b in (67, 68)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert target.read_bytes() in (b"C" * 100_000, b"D" * 100_000)
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
