"""Benchmark: the privacy guard against `mkdocs build`, on synthetic exhibitions.

    .venv/bin/python bench/privacy.py [--sizes 1000,5000]

For each size N (N workers with phone, ID number, address and notes under `private`, N/5
studios): the in-memory guard on the rendered docs tree (what `showcase check` and `build`
run), `mkdocs build --strict` and Pagefind into a site folder, then `privacy.scan_folder`
on that folder (HTML, sitemap, JSON, SVG, EPUBs, Pagefind's compressed files).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from showcase import privacy
from showcase.build import build, inspect
from showcase.problems import Problems
from showcase.publish import mkdocs_build, pagefind_index

from synthetic import make_exhibition

STUDIO_RATIO = 5


def measure(n: int) -> str:
    with tempfile.TemporaryDirectory(prefix=f"showcase-privacy-{n}-") as tmp:
        root = Path(tmp) / "root"
        make_exhibition(root, n, max(n // STUDIO_RATIO, 1))
        result = build(root)
        if result.problems:
            sys.exit(result.problems.report())
        inspected = inspect(root)
        checked = inspected.checked
        start = time.perf_counter()
        problems = Problems()
        privacy.check_artifacts(
            root, checked.loaded, checked.library, inspected.artifacts, problems
        )
        memory_s = time.perf_counter() - start
        site = Path(tmp) / "site"
        start = time.perf_counter()
        if not mkdocs_build(root, site):
            sys.exit("mkdocs build failed")
        mkdocs_s = time.perf_counter() - start
        start = time.perf_counter()
        if not pagefind_index(site):
            sys.exit("pagefind failed")
        pagefind_s = time.perf_counter() - start
        start = time.perf_counter()
        found = privacy.scan_folder(root, site, checked.loaded, checked.library)
        folder_s = time.perf_counter() - start
        files = sum(1 for p in site.rglob("*") if p.is_file() and privacy.scannable(p.name))
        mib = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20
        if problems or found:
            sys.exit(problems.report() + found.report())
        cells = [n, f"{memory_s:.2f}", f"{mkdocs_s:.2f}", f"{pagefind_s:.2f}"]
        cells += [f"{folder_s:.2f}", files, f"{mib:.0f}"]
        return "| " + " | ".join(map(str, cells)) + " |"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated worker counts")
    args = parser.parse_args(argv)
    print(
        "| workers | guard in memory (s) | mkdocs build (s) | pagefind (s) "
        "| scan_folder (s) | files scanned | site (MiB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes.split(","):
        print(measure(int(size)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
