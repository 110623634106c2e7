"""Search payload: the bytes a reader downloads before the first search result.

    .venv/bin/python bench/search.py [--sizes 1000,5000]

For the sample exhibition and synthetic ones, builds the site, then opens it in headless
Chromium, types a query into the search box and records the search files fetched (Pagefind's
entry, wasm and fragments, Material's index and worker, the site's scripts) from page load
until the first result shows. Sizes are reported raw and as
gzip -6 would serve them (static hosts and CDNs compress JSON and JS).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from synthetic import REPO, make_exhibition

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sample_root(tmp: Path) -> Path:
    root = tmp / "sample"
    root.mkdir()
    for name in ("exhibition.yml", "content", "workers", "studios", "mkdocs.yml"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    text = (root / "mkdocs.yml").read_text("utf-8")
    hook = str(REPO / "scripts" / "showcase" / "mkdocs_hook.py")
    (root / "mkdocs.yml").write_text(text.replace("scripts/showcase/mkdocs_hook.py", hook), "utf-8")
    return root


def build_site(root: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), "site"]
    subprocess.run(cmd, check=True, env=env, cwd=root, capture_output=True)
    return root / "site"


def fetched_during_search(site: Path, query: str) -> list[str]:
    """Paths of the files the browser fetched to answer the first query."""
    handler = functools.partial(Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    paths: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.on("request", lambda r: paths.append(urlsplit(r.url).path.lstrip("/")))
            page.goto(base)  # Material would fetch its whole index as the page loads
            page.wait_for_load_state("networkidle")
            page.evaluate(
                """q => { const i = document.querySelector('.md-search__input');
                          i.focus(); i.value = q; i.dispatchEvent(new KeyboardEvent('keyup', {key: 'a'})); }""",
                query,
            )
            started = time.perf_counter()
            page.wait_for_function(  # Pagefind's answer (showcase.js marks the list)
                "q => (document.querySelector('.md-search-result__list') || {}).dataset?.resultsFor === q",
                arg=query,
                timeout=300_000,
            )
            found = page.eval_on_selector_all(".md-search-result__item", "els => els.length")
            print(
                f"  {query}: {found} results after {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            browser.close()
    finally:
        server.shutdown()
    return paths


def measure(label: str, root: Path, query: str, detail: bool = False) -> str:
    site = build_site(root)
    fetched = fetched_during_search(site, query)
    files = sorted(
        {f for f in fetched if f.startswith(("search/", "assets/javascripts/", "pagefind/"))}
    )
    if detail:  # each file fetched, raw and gzip
        for f in files:
            data = (site / f).read_bytes() if (site / f).is_file() else b""
            print(f"    {f}: {len(data):,} B, gzip {len(gzip.compress(data, 6)):,} B")
    raw = sum((site / f).stat().st_size for f in files if (site / f).is_file())
    zipped = sum(
        len(gzip.compress((site / f).read_bytes(), 6)) for f in files if (site / f).is_file()
    )
    index = site / "search" / "search_index.json"
    index_gz = len(gzip.compress(index.read_bytes(), 6))
    return (
        f"| {label} | {len(files)} | {raw / 1024:,.0f} KB | {zipped / 1024:,.0f} KB "
        f"| {index.stat().st_size / 1024:,.0f} KB / {index_gz / 1024:,.0f} KB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--workdir", default=None, help="where to build (default: system temp)")
    parser.add_argument("--files", action="store_true", help="list each file fetched")
    args = parser.parse_args()
    rows = []
    if args.workdir:  # relative or not there yet: made here, resolved below
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp_name:
        tmp = Path(tmp_name).resolve()  # absolute: each build runs with cwd=its root
        rows.append(measure("sample (5 workers)", sample_root(tmp), "姚红飞", args.files))
        for n in (int(s) for s in args.sizes.split(",") if s):
            root = tmp / f"n{n}"
            make_exhibition(root, n, max(1, n // 5))
            rows.append(measure(f"{n} workers", root, "劳模", args.files))
            print(rows[-1], flush=True)
    print(
        "| site | search files fetched (Pagefind, Material stub, scripts) | raw | gzip | Material index raw / gzip |"
    )
    print("|---|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
