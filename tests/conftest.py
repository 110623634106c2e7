"""Shared helpers: copy fixture exhibitions into a temporary root and run the real tools."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api  # installed by `make test`
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


ENTRANCE_KEYS = ("hero_image:", "hero_alt:", "featured:")


def repo_settings() -> str:
    """The repository's exhibition.yml without the sample's entrance (its hero image and
    featured workers belong to the sample content), for fixtures with their own entries."""
    text = (REPO / "exhibition.yml").read_text("utf-8")
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(ENTRANCE_KEYS)
    )


def site_url(root: Path) -> str:
    """The site_url an exhibition's settings give (every absolute address starts with it)."""
    found = re.search(r"^site_url:\s*(\S+)", (root / "exhibition.yml").read_text("utf-8"), re.M)
    assert found, "exhibition.yml has no site_url"
    return found.group(1).strip("\"'")


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


SAMPLE = ("exhibition.yml", "content", "workers", "studios")


def copy_sample(root: Path) -> Path:
    """The repository's sample exhibition (settings, content, workers, studios) and its
    site config, copied into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE:
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    site_config(root)
    return root


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample exhibition, built for real with MkDocs into a temp root."""
    root = copy_sample(tmp_path_factory.mktemp("sample"))
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


def free_port() -> int:
    """A port free on 127.0.0.1 now, for a server a test starts with it (nginx, `mkdocs
    serve`), which binds it a moment later. Under pytest-xdist (`make test` runs two
    workers) each worker keeps only ports of its own share, so two workers are never handed
    the same port in that moment: one's server would fail to bind, or the other's test would
    talk to the wrong server. Shares go by port // 2 because Linux gives bind(0) ports of
    one parity while it can."""
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    for _ in range(1000):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port // 2 % workers == index:
            return port
    raise AssertionError(f"no free port for worker {index} of {workers}")


# -- headless Chromium (Debian's chromium, driven by Playwright) ----------------------

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-domain-reliability", "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter",
]  # fmt: skip


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(sample_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(sample_site / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "make test installs Debian's chromium"
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


_OPEN: list[Any] = []  # pages and contexts a test opened, closed when it ends


def closed_after_test(handle: Any) -> Any:
    """Close this page or context when the test ends (the browser lives for the module):
    an open page keeps a renderer process running its scripts, Material's and a preview's
    livereload polling a server that has stopped, for every later test of the module."""
    _OPEN.append(handle)
    return handle


@pytest.fixture(autouse=True)
def _close_what_the_test_opened() -> Iterator[None]:
    yield
    while _OPEN:
        handle = _OPEN.pop()
        with contextlib.suppress(playwright_api.Error):  # its browser closed already
            handle.close()


class Visit:
    """A page with its console errors and every request it made (closed when the test
    ends)."""

    def __init__(self, browser: object, width: int = 1280) -> None:
        page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        self.page = closed_after_test(page)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, url: str) -> Visit:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self

    def search(self, query: str) -> list[str]:
        """Type into Material's search box: set the value, then dispatch keyup."""
        self.page.evaluate(
            """q => { const i = document.querySelector('.md-search__input');
                      i.focus(); i.value = q; i.dispatchEvent(new KeyboardEvent('keyup', {key: 'a'})); }""",
            query,
        )
        self.page.wait_for_selector(".md-search-result__item", timeout=5000)
        self.page.wait_for_timeout(300)
        hrefs = self.page.eval_on_selector_all(
            ".md-search-result__item > a", "els => els.map(e => e.href)"
        )
        return [h.split("?")[0] for h in hrefs]


RED = "rgb(183, 28, 28)"  # the header's colour once Material's CSS and showcase.css apply


def header_colour(visit: Visit) -> str:
    """The page header's background: RED when the site's styles loaded."""
    script = "getComputedStyle(document.querySelector('.md-header')).backgroundColor"
    return str(visit.page.evaluate(script))
