"""Benchmark: `showcase site` as an editor runs it: cold, no-op, and after one edit.

    .venv/bin/python bench/run.py --site [--sizes 1000,5000]

For each size N (N workers, N/5 studios, bench/synthetic.py) a fresh repository root:

- cold: the first `showcase site` (no build/, no site/);
- no-op: `showcase site` again with nothing changed (must write nothing but the lock);
- one edit: one worker's `summary` changed, then `showcase site` (incremental);
- the one edit again (a second value), and a no-op after it;
- a fallback: exhibition.yml's site_description changed, which every page carries: a
  full build, for comparison.

Each run is a child process timed from the outside (wall clock) with its peak RSS from
os.wait4 (the largest single process of the tree: the CLI, MkDocs or Pagefind) and the
peak of the whole tree's memory added up (PSS, sampled from /proc every 50 ms: the CLI
keeps its model while MkDocs, Pagefind and the links made ahead run beside it); its
steps (generator, MkDocs, Pagefind, the privacy guard on the built folder, when the new
pages and the new search index went live) come from SHOWCASE_TIMINGS (sitepublish.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from synthetic import make_exhibition, worker_slug

STUDIO_RATIO = 5


@dataclass
class SiteRun:
    workers: int
    label: str
    wall_s: float
    peak_mib: float
    tree_mib: float  # the whole process tree at its peak (0: no /proc)
    steps: dict[str, float]
    first_line: str


def run_site(root: Path, label: str, n: int) -> SiteRun:
    with tempfile.NamedTemporaryFile(suffix=".json") as timings:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SHOWCASE_TIMINGS": timings.name}
        cmd = [sys.executable, "-m", "showcase", "--root", str(root), "site"]
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        tree = TreePeak(proc.pid)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree.stop()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"showcase site failed ({label}, N={n}):\n{out}")
        steps = json.loads(Path(timings.name).read_text("utf-8"))
    peak = usage.ru_maxrss / 1024
    return SiteRun(n, label, wall, peak, tree.peak / 2**20, steps, out.splitlines()[0])


class TreePeak:
    """The largest sum of the memory of a process and all its descendants (PSS: a page
    shared by several counts once), sampled in a thread every 50 ms from /proc (Linux;
    elsewhere it stays 0)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    def _sample(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, tree_rss(self.pid))


def tree_rss(pid: int) -> int:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    parent = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    total, todo = 0, [pid]
    while todo:
        here = todo.pop()
        total += pss(here)
        todo += children.get(here, [])
    return total


def pss(pid: int) -> int:
    """A process's proportional set size in bytes: its private pages, and its share of
    the pages it shares (a forked pool worker's copy-on-write pages, libraries), so the
    tree's sum counts each page once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def edit_summary(root: Path, text: str) -> None:
    path = root / "workers" / worker_slug(1) / "profile.yml"
    body = re.sub(r"(?m)^summary: .*$", f"summary: {text}", path.read_text("utf-8"), count=1)
    path.write_text(body, "utf-8")


def edit_description(root: Path) -> None:
    path = root / "exhibition.yml"
    text = re.sub(
        r"(?m)^site_description: .*$", "site_description: 改过的网站简介", path.read_text("utf-8")
    )
    path.write_text(text, "utf-8")


def measure(n: int) -> list[SiteRun]:
    with tempfile.TemporaryDirectory(prefix=f"showcase-site-{n}-") as tmp:
        root = Path(tmp) / "root"
        make_exhibition(root, n, max(n // STUDIO_RATIO, 1))
        runs = [run_site(root, "cold", n), run_site(root, "no-op", n)]
        edit_summary(root, "改动后的简介，第一次。")
        runs.append(run_site(root, "one edit", n))
        edit_summary(root, "改动后的简介，第二次。")
        runs.append(run_site(root, "one edit (again)", n))
        runs.append(run_site(root, "no-op", n))
        edit_description(root)
        runs.append(run_site(root, "site_description (full)", n))
    return runs


def fmt(steps: dict[str, float], key: str) -> str:
    return f"{steps[key]:.1f}" if key in steps else "–"


HEADER = (
    "| workers | run | wall (s) | generator (s) | MkDocs (s) | Pagefind (s) | guard (s) "
    "| pages live (s) | search live (s) | peak RSS (MiB) | tree peak (MiB) | first line |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def row(r: SiteRun) -> str:
    s = r.steps
    pages = s.get("generator", 0.0) + s.get("pages_published", 0.0)
    search = pages + s.get("search_published", 0.0)
    live = (f"{pages:.1f}", f"{search:.1f}") if "pages_published" in s else ("–", "–")
    cells = [
        f"{r.workers:,}",
        r.label,
        f"{r.wall_s:.1f}",
        fmt(s, "generator"),
        fmt(s, "mkdocs"),
        fmt(s, "pagefind"),
        fmt(s, "verify"),
        *live,
        f"{r.peak_mib:.0f}",
        f"{r.tree_mib:.0f}" if r.tree_mib else "–",
        r.first_line[:40],
    ]
    return "| " + " | ".join(cells) + " |"


def main(sizes: list[int]) -> int:
    rows = []
    for n in sizes:
        rows += measure(n)
        print(f"N={n} done", file=sys.stderr)
    print(HEADER)
    for r in rows:
        print(row(r))
    return 0
