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
os.wait4 (the largest single process of the tree: the CLI, MkDocs or Pagefind); its
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
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"showcase site failed ({label}, N={n}):\n{out}")
        steps = json.loads(Path(timings.name).read_text("utf-8"))
    return SiteRun(n, label, wall, usage.ru_maxrss / 1024, steps, out.splitlines()[0])


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
    "| pages live (s) | search live (s) | peak RSS (MiB) | first line |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
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
