"""Preview benchmark: edit one profile under `showcase serve`, time until the served page
shows the edit, and count the rebuilds the save caused.

    .venv/bin/python bench/serve.py [--workers 1000] [--edits 5] [--root DIR]

A synthetic exhibition (bench/synthetic.py; N workers, N/5 studios) is written to a
temporary folder (or --root, reused when it already holds one), then `showcase serve` runs
on a free local port, exactly as `make serve` does. Each edit rewrites one worker's
`summary:` line with a new marker and polls the worker's page every 20 ms until the marker
is served; after the page changed, the harness waits for the watcher to settle and counts
the "Building documentation..." lines MkDocs logged since the save. Each rebuild's split
is read from the log: the generator's time (the hook's "showcase: …" line) and MkDocs' whole
rebuild ("Documentation built in").
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from localserver import fetch, free_port
from synthetic import make_exhibition

REBUILD = "Building documentation..."
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
GENERATED = re.compile(r"showcase: .*（生成 ([0-9.]+) 秒）")
SETTLE_S = 3.0  # after the page changed: longer than the watcher's poll and MkDocs' delay
POLL_S = 0.02
STUDIO_RATIO = 5


@dataclass
class Edit:
    seconds: float  # save → the new text served
    rebuilds: int  # "Building documentation..." lines the save caused
    generator_s: float
    mkdocs_s: float  # MkDocs' whole rebuild, the generator (its pre_build hook) included


def wait_for(url: str, text: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(POLL_S)
    raise SystemExit(f"{text!r} not served at {url} within {timeout:.0f} s")


def edit_summary(profile: Path, marker: str) -> None:
    lines = profile.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[at] = f"summary: {marker}\n"
    profile.write_text("".join(lines), "utf-8")


def last_float(pattern: re.Pattern[str], text: str) -> float:
    found = pattern.findall(text)
    return float(found[-1]) if found else float("nan")


def run(root: Path, edits: int, slug: str) -> tuple[float, list[Edit], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/workers/{slug}/"
    log_path = root / "serve-bench.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), "serve"]
    cmd += ["--addr", f"127.0.0.1:{port}"]
    profile = root / "workers" / slug / "profile.yml"
    original = profile.read_text("utf-8")
    results = []
    with log_path.open("wb") as out:
        start = time.perf_counter()
        server = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(url, "</html>", 900)
            startup = time.perf_counter() - start
            time.sleep(SETTLE_S)
            for i in range(edits):
                marker = f"基准测试修改第{i + 1}次{time.time_ns() % 100000}"
                before = log_path.read_text("utf-8", "replace")
                edit_summary(profile, marker)
                seconds = wait_for(url, marker, 300)
                time.sleep(SETTLE_S)
                after = log_path.read_text("utf-8", "replace")[len(before) :]
                results.append(
                    Edit(
                        seconds,
                        after.count(REBUILD),
                        last_float(GENERATED, after),
                        last_float(BUILT, after),
                    )
                )
        finally:
            profile.write_text(original, "utf-8")
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)
    return startup, results, log_path.read_text("utf-8", "replace")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--root", type=Path, help="reuse or create the exhibition here")
    parser.add_argument("--log", action="store_true", help="print the server's log")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="showcase-serve-") as tmp:
        root = (args.root or Path(tmp) / "root").resolve()
        if not (root / "workers").is_dir():
            make_exhibition(root, args.workers, max(1, args.workers // STUDIO_RATIO))
        slug = sorted(p.name for p in (root / "workers").iterdir())[args.workers // 2]
        startup, edits, log = run(root, args.edits, slug)
    if args.log:
        print(log)
    print(f"`showcase serve` at {args.workers} workers: first page served after {startup:.1f} s")
    print("| edit | save → served (s) | rebuilds | generator (s) | MkDocs rebuild (s) |")
    print("|---:|---:|---:|---:|---:|")
    for i, e in enumerate(edits, 1):
        print(f"| {i} | {e.seconds:.2f} | {e.rebuilds} | {e.generator_s:.2f} | {e.mkdocs_s:.2f} |")
    median = statistics.median(e.seconds for e in edits)
    print(f"median save → served: {median:.2f} s; rebuilds per save: {[e.rebuilds for e in edits]}")
    return 0 if all(e.rebuilds == 1 for e in edits) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
