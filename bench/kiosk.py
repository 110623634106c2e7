"""Benchmark: the offline kiosk's time and size on a synthetic exhibition with portraits.

    .venv/bin/python bench/kiosk.py [--workers 1000]

A synthetic repository root (N workers with portraits, N/10 studios, one hall; see
synthetic.py) is written to a temporary folder; `showcase kiosk` runs in a child process,
timed from outside. Printed: seconds, the kiosk folder's bytes, the zip's bytes and the
bytes of Material's search index the kiosk bundles (search/search_index.js).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from showcase.kiosk import KIOSK_DIR, KIOSK_ZIP, size_of

from synthetic import make_exhibition

MB = 1024 * 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="showcase-kiosk-bench-") as tmp:
        root = Path(tmp) / "root"
        make_exhibition(root, args.workers, args.workers // 10, photos=True)
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "showcase", "--root", str(root), "kiosk"]
        subprocess.run(cmd, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        folder, archive = root / KIOSK_DIR, root / KIOSK_ZIP
        index = folder / "search" / "search_index.js"
        print(f"{args.workers} workers, {args.workers // 10} studios\n")
        print("| showcase kiosk | folder | zip | search_index.js |\n|---:|---:|---:|---:|")
        print(
            f"| {seconds:.1f} s | {size_of(folder) / MB:.1f} MB | "
            f"{archive.stat().st_size / MB:.1f} MB | {index.stat().st_size / MB:.1f} MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
