"""Benchmark: what share cards, share meta, the Atom feed and open data add to a build.

    .venv/bin/python bench/outputs.py [--workers 1000] [--repeat 2]

On a synthetic exhibition (N workers with portraits, N/5 studios, a hall; bench/synthetic.py):

- `showcase site` once, cold, for the whole (seconds);
- share cards: drawing every card from the cached derivatives (media cache warm, cards
  removed), on all cores, as `showcase build` does; and a cached rerun (verifying only);
- page meta (build/share.json), the feed and the open data: their functions, in process;
- the privacy guard over the new text outputs (feed, data files, share.json);
- the MkDocs hook inserting the head block into every page (its on_post_page, in process);
- bytes of each output in the built site.

Best of --repeat for the in-process figures (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from showcase import privacy
from showcase.build import inspect
from showcase.media import CACHE_DIR, _cards, _load_index
from showcase.render.feed import feed
from showcase.render.opendata import open_data
from showcase.render.share import card_jobs, page_meta

from synthetic import make_exhibition

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SHOWCASE_QUIET": "1"}


def best(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def timed_cmd(cmd: list[str], root: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=ENV, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def insert_heads(root: Path, pages: dict[str, Any]) -> None:
    """What the MkDocs hook adds to each page: its head block, rendered and checked."""
    from showcase import mkdocs_hook

    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"))
    for src in pages:
        page = SimpleNamespace(file=SimpleNamespace(src_uri=src), title="标题")
        out = mkdocs_hook.on_post_page("<html><head></head><body></body></html>", page, config)
        assert "og:image" in out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="showcase-outputs-bench-") as tmp:
        root = Path(tmp) / "root"
        make_exhibition(root, args.workers, args.workers // 5, photos=True)
        showcase = [sys.executable, "-m", "showcase", "--root", str(root)]
        site_s = timed_cmd([*showcase, "site"], root)

        ins = inspect(root)
        assert ins.exhibition is not None and not ins.problems, ins.problems.report()
        ex, checked = ins.exhibition, ins.checked
        cache = root / CACHE_DIR
        jobs = card_jobs(root, checked.loaded, checked.library, checked.halls)(ex.media)

        def cold_cards() -> None:
            for job in jobs.values():
                (cache / f"{job.key}-share-1200.jpg").unlink(missing_ok=True)
            _cards(jobs, {}, cache, False, ex.media)

        cards_s, _ = best(args.repeat, cold_cards)
        cached_s, _ = best(
            args.repeat, lambda: _cards(jobs, _load_index(cache), cache, False, ex.media)
        )
        pages = [a for a in ins.artifacts if a.path.endswith(".md")]
        meta_s, meta = best(
            args.repeat, lambda: page_meta(ex, checked.library, checked.halls, pages)
        )
        feed_s, _ = best(args.repeat, lambda: feed(ex, checked.library, checked.halls))
        data_s, _ = best(args.repeat, lambda: open_data(ex))
        new = [a for a in ins.artifacts if a.path == "feed.xml" or a.path.startswith("data/")]
        guard = privacy.Guard(privacy.secrets(checked.loaded.workers, privacy.Problems()))
        scan_s, _ = best(
            args.repeat,
            lambda: privacy.scan_artifacts(guard, new) or guard.scan([("share.json", meta)]),
        )

        hook_s, _ = best(args.repeat, lambda: insert_heads(root, json.loads(meta)["pages"]))
        site = root / "site"
        cards = sorted((site / "share").glob("*.jpg"))
        rows = [
            ("showcase site (whole, cold)", f"{site_s:.1f} s", ""),
            (f"share cards: draw {len(cards)}", f"{cards_s:.2f} s", f"{size(cards) / 1e6:.1f} MB"),
            ("share cards: cached rerun (verify)", f"{cached_s:.2f} s", ""),
            ("share meta: build/share.json", f"{meta_s:.2f} s", f"{len(meta) / 1e6:.2f} MB"),
            ("share meta: the hook's head block, every page", f"{hook_s:.2f} s", ""),
            ("feed.xml", f"{feed_s:.3f} s", f"{size([site / 'feed.xml']) / 1e3:.0f} kB"),
            (
                "data/*.json, *.csv, schemas",
                f"{data_s:.2f} s",
                f"{size(sorted((site / 'data').iterdir())) / 1e6:.2f} MB",
            ),
            ("privacy guard on feed, data, share.json", f"{scan_s:.2f} s", ""),
        ]
        html = sorted(site.rglob("*.html"))
        total = size([p for p in site.rglob("*") if p.is_file()])
        rows.insert(1, ("whole site/ (bytes)", "", f"{total / 1e6:.0f} MB"))
        print(f"{args.workers} workers, {args.workers // 5} studios, {len(html)} HTML pages\n")
        print("| output | time | bytes |\n|---|---:|---:|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
