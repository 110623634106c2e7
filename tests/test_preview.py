"""The preview: a real `mkdocs serve` showing content errors on the page the reader is on,
and the drafts preview (`publish: false` entries, bannered) that never reaches site/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from showcase.build import DRAFTS_MARK, build
from showcase.memo import MEMO_FILE

from conftest import Visit, all_text, copy_sample, free_port, run

PROBLEMS_TITLE = "内容有错误，预览没有更新"
DRAFT_BANNER = "草稿 · 未公开"
PROFILE = "workers/zhang-san/profile.yml"


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def fetch(url: str) -> str:
    """The page's text, or "" while the server is not up (or still holding the request)."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def poll(url: str, ok: Callable[[str], bool], what: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = fetch(url)
        if ok(text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"{what} not seen within {timeout}s; last page:\n{text[-2000:]}")


class Preview:
    """`showcase serve` (what `make serve` runs: `mkdocs serve --dirty` with the hook) on a
    free local port, its terminal output kept in serve.log."""

    def __init__(self, root: Path, *args: str) -> None:
        self.root = root
        self.port = free_port()
        self.log_path = root / "serve.log"
        self.cmd = [sys.executable, "-m", "showcase", "serve", *args]
        self.cmd += ["--addr", f"127.0.0.1:{self.port}"]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def __enter__(self) -> Preview:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.out = self.log_path.open("wb")
        self.server = subprocess.Popen(
            self.cmd, cwd=self.root, env=env, stdout=self.out, stderr=subprocess.STDOUT
        )
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self.server)
        self.out.close()

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def rebuilds(self) -> int:
        """Rebuilds started so far, the first build included."""
        return self.log().count(REBUILD)

    def settled_rebuilds(self) -> int:
        """Rebuilds once the watcher is quiet: none started for SETTLE_S seconds."""
        count = self.rebuilds()
        while True:
            time.sleep(SETTLE_S)
            now = self.rebuilds()
            if now == count and "Documentation built" in self.log().rsplit(REBUILD, 1)[-1]:
                return count
            count = now


REBUILD = "Building documentation..."
SETTLE_S = 2.5  # longer than MkDocs' build delay and its 0.5 s polling, were it polling


def test_serve_shows_content_errors_on_the_page_and_recovers(mini: Path) -> None:
    profile = mini / PROFILE
    good = profile.read_text("utf-8")
    with Preview(mini) as preview:
        url = preview.url("workers/zhang-san/")
        poll(url, lambda t: "张三" in t and PROBLEMS_TITLE not in t, "the worker page")
        # an unknown key whose name is markup: it must arrive as text
        profile.write_text(good + "<i>nmae</i>: x\n", "utf-8")
        page = poll(url, lambda t: PROBLEMS_TITLE in t, "the error banner")
        assert f"{PROFILE}:" in page and "&lt;i&gt;nmae&lt;/i&gt;" in page, page
        assert "<i>nmae</i>" not in page
        assert "张三" in page  # the previous page is still below the problems
        # every page of the preview says so, not only those a dirty rebuild re-renders
        for path in ("", "workers/", "studios/", "about/"):
            assert PROBLEMS_TITLE in fetch(preview.url(path)), path
        profile.write_text(good, "utf-8")
        poll(url, lambda t: "张三" in t and PROBLEMS_TITLE not in t, "the page back")
        for path in ("", "workers/", "studios/", "about/"):
            assert PROBLEMS_TITLE not in fetch(preview.url(path)), path
        assert preview.server.poll() is None, "showcase serve exited"
    terminal = preview.log()
    assert PROBLEMS_TITLE in terminal and f"{PROFILE}:" in terminal, terminal
    assert "appear stuck" not in terminal and "Traceback" not in terminal, terminal
    assert "Aborted" not in terminal, terminal


def test_build_and_site_still_refuse_bad_content(mini: Path) -> None:
    (mini / PROFILE).write_text((mini / PROFILE).read_text("utf-8") + "nmae: x\n", "utf-8")
    for command in ("build", "site"):
        result = run(mini, command)
        assert result.returncode == 1, result.stderr
        assert not (mini / "build/docs").exists() and not (mini / "site").exists()
        assert PROBLEMS_TITLE not in result.stderr + result.stdout


def test_drafts_preview_banners_drafts_and_never_reaches_the_site(mini: Path) -> None:
    result = build(mini, drafts=True)
    assert not result.problems, result.problems.report()
    draft = (mini / "build/docs/workers/hidden-one/index.md").read_text("utf-8")
    assert DRAFT_BANNER in draft and "隐藏者" in draft
    published = (mini / "build/docs/workers/zhang-san/index.md").read_text("utf-8")
    assert DRAFT_BANNER not in published
    assert (mini / DRAFTS_MARK).exists()

    # `mkdocs build` straight from a drafts tree is refused
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    direct = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=mini,
        env=env,
        capture_output=True,
        text=True,
    )
    assert direct.returncode != 0 and "草稿预览" in direct.stderr, direct.stderr

    published_site = run(mini, "site")
    assert published_site.returncode == 0, published_site.stderr
    text = all_text(mini / "site")
    for trace in ("隐藏者", "hidden-one", "不公开的档案", DRAFT_BANNER):
        assert trace not in text, trace
    assert not (mini / DRAFTS_MARK).exists()
    assert "隐藏者" not in all_text(mini / "build/docs")


def test_serve_drafts_shows_the_banner_under_mkdocs_serve(mini: Path) -> None:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "serve", "--drafts", "--addr", f"127.0.0.1:{port}"]
    log = mini / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, cwd=mini, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}/workers/hidden-one/"
            page = poll(url, lambda t: "隐藏者" in t, "the draft page")
            assert DRAFT_BANNER in page
        finally:
            stop(server)
    assert run(mini, "site").returncode == 0
    assert "隐藏者" not in all_text(mini / "site")


def test_serve_on_a_port_in_use_is_a_chinese_message(mini: Path) -> None:
    """A second preview left open is the usual cause: one line saying so, exit 2."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(mini, "serve", "--addr", f"127.0.0.1:{port}")
    assert result.returncode == 2
    assert "已被占用" in result.stderr and "Traceback" not in result.stderr


def test_serve_one_save_is_one_rebuild(tmp_path: Path, browser: object) -> None:
    """The generator's own writes into build/docs are not a change: one save, one rebuild.
    A worker added and removed appears and disappears (a dirty rebuild never deletes)."""
    root = copy_sample(tmp_path / "sample")
    profile = root / "workers" / "yao-hongfei" / "profile.yml"
    text = profile.read_text("utf-8")
    assert "\nsummary: " in text
    with Preview(root) as preview:
        url = preview.url("workers/yao-hongfei/")
        poll(url, lambda t: "姚红飞" in t, "the worker page")
        before = preview.settled_rebuilds()
        # written by `showcase serve`'s first build (a normal one), never by its rebuilds
        memo = (root / MEMO_FILE).read_bytes()

        marked = "\n".join(
            "summary: 预览测试新写的简介。" if line.startswith("summary: ") else line
            for line in text.split("\n")
        )
        profile.write_text(marked, "utf-8")
        poll(url, lambda t: "预览测试新写的简介" in t, "the edited summary")
        after = preview.settled_rebuilds()
        assert after - before == 1, preview.log()

        copy = root / "workers" / "yao-hongfei-copy"
        shutil.copytree(profile.parent, copy)
        new = preview.url("workers/yao-hongfei-copy/")
        poll(new, lambda t: "姚红飞" in t, "the added worker's page")
        shutil.rmtree(copy)
        poll(new, lambda t: t == "", "the removed worker's page gone")
        assert "yao-hongfei-copy" not in fetch(preview.url("workers/"))

        # search: the preview has no index, and its box says so
        visit = Visit(browser)
        visit.page.goto(url)  # livereload's long poll: the network is never idle here
        visit.page.evaluate(
            """q => { const i = document.querySelector('.md-search__input');
                      i.focus(); i.value = q; i.dispatchEvent(new KeyboardEvent('keyup', {key: 'a'})); }""",
            "姚红飞",
        )
        visit.page.wait_for_function(
            "() => (document.querySelector('.md-search-result__meta') || {}).textContent"
            "?.includes('预览里不能搜索')",
            timeout=10_000,
        )
        assert preview.server.poll() is None, "showcase serve exited"
    terminal = preview.log()
    assert "Traceback" not in terminal and "Aborted" not in terminal, terminal
    assert (root / MEMO_FILE).read_bytes() == memo, "a preview rebuild wrote build/memo.bin"
    warnings = [w for w in terminal.splitlines() if "WARNING" in w and '" code 404' not in w]
    assert not warnings and "dirty" not in terminal, terminal  # 404s: the removed page
