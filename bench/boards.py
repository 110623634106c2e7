"""Benchmark: what printable boards cost, on a synthetic exhibition with portraits.

    .venv/bin/python bench/boards.py [--workers 1000] [--sample 20]

A synthetic repository root (N workers with portraits, N/5 studios, one hall; see
synthetic.py) is written to a temporary folder, then `showcase site` is run in a child
process, timed from outside:

- boards off: `boards: false` (the default), the site as it was;
- boards on, cold: `boards: true` with an empty board cache: every board typeset;
- boards on, warm: the same again: every board from the cache (build/board-cache);

with the size of site/ each time and the bytes and count of the published board.pdf files.
Then, in this process, one board at a time (no pool): `pdf.render_pdf` on the first
`--sample` workers' and studios' boards and the hall's, seconds per board and bytes per PDF.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from showcase.build import check_all
from showcase.exhibition import Exhibition
from showcase.pdf import render_pdf, stylesheet
from showcase.render.boards import all_boards

from synthetic import make_exhibition


def site_run(root: Path) -> tuple[float, int, int, int]:
    """Seconds of `showcase site`; bytes of site/; count and bytes of its board.pdf files."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), "site"]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    files = [p for p in (root / "site").rglob("*") if p.is_file()]
    boards = [p for p in files if p.name == "board.pdf"]
    return (
        seconds,
        sum(p.stat().st_size for p in files),
        len(boards),
        sum(p.stat().st_size for p in boards),
    )


def set_boards(root: Path, on: bool) -> None:
    settings = root / "exhibition.yml"
    text = settings.read_text("utf-8")
    old, new = ("boards: false", "boards: true") if on else ("boards: true", "boards: false")
    settings.write_text(text.replace(old, new), "utf-8")


def per_board(root: Path, sample: int) -> dict[str, tuple[float, float, int]]:
    """kind → (median seconds, max seconds, mean bytes) of single boards, one process."""
    checked = check_all(root)
    ex = Exhibition.from_loaded(checked.loaded, checked.media)
    boards = all_boards(root, ex, checked.library, checked.halls)
    stylesheet()
    chosen = [b for b in boards if b.kind == "worker"][:sample]
    chosen += [b for b in boards if b.kind == "studio"][:sample]
    chosen += [b for b in boards if b.kind == "hall"]
    times: dict[str, list[tuple[float, int]]] = {}
    render_pdf(chosen[0])  # WeasyPrint's first run loads fonts and caches: not timed
    for board in chosen:
        start = time.perf_counter()
        data = render_pdf(board)
        times.setdefault(board.kind, []).append((time.perf_counter() - start, len(data)))
    return {
        kind: (
            statistics.median(t for t, _ in rows),
            max(t for t, _ in rows),
            sum(n for _, n in rows) // len(rows),
        )
        for kind, rows in times.items()
    }


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args(argv)
    n = args.workers
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        make_exhibition(root, n, n // 5, photos=True)
        set_boards(root, False)
        off = site_run(root)
        set_boards(root, True)
        cold = site_run(root)
        warm = site_run(root)
        singles = per_board(root, args.sample)
    print(f"showcase site, {n} workers, {n // 5} studios, 1 hall, {os.cpu_count()} cores")
    print("| run | seconds | site/ | boards | board bytes |")
    print("|---|---:|---:|---:|---:|")
    for label, (sec, size, count, pdf) in (
        ("boards: false", off),
        ("boards: true, cold", cold),
        ("boards: true, warm", warm),
    ):
        print(f"| {label} | {sec:.1f} | {mib(size)} | {count} | {mib(pdf)} |")
    print(
        f"boards add: {cold[0] - off[0]:+.1f} s cold, {warm[0] - off[0]:+.1f} s warm, "
        f"{mib(cold[1] - off[1])} to site/"
    )
    print("| board | median s | max s | mean bytes |")
    print("|---|---:|---:|---:|")
    for kind, (median, worst, size) in singles.items():
        print(f"| {kind} | {median:.3f} | {worst:.3f} | {size // 1024} KiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
