"""Benchmark: do readers of site/ see every page while `showcase site` replaces it?

    .venv/bin/python bench/switch.py [--publishes 10] [--two-renames]

The repository's sample exhibition is copied to a temporary root and published once.
Then a static server (http.server, resolving every request's path under site/ anew, as
nginx or Apache do) serves site/, a client loop fetches index.html and
/workers/yao-hongfei/ as fast as it can, and `showcase site` runs N more times for real.
Printed: requests made, non-200 answers (and errors), and each publish's time.

--two-renames makes the publishes switch by two renames (site → old, new → site), the
fallback for filesystems without RENAME_EXCHANGE, to show what the exchange avoids.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PATHS = ("index.html", "workers/yao-hongfei/")
# Runs `showcase site` with the exchange disabled (the fallback path), for --two-renames.
TWO_RENAMES = (
    "import sys, showcase.publish as p; p._RENAMEAT2 = None; "
    "from showcase.cli import main; sys.exit(main())"
)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class Reader(threading.Thread):
    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.urls = [f"{base}/{p}" for p in PATHS]
        self.stop = threading.Event()
        self.requests = 0
        self.bad: dict[str, int] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            for url in self.urls:
                self.requests += 1
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        response.read()
                        status = str(response.status)
                except urllib.error.HTTPError as err:
                    status = str(err.code)
                except (urllib.error.URLError, OSError) as err:
                    status = type(err).__name__
                if status != "200":
                    self.bad[status] = self.bad.get(status, 0) + 1


def sample_root(parent: Path) -> Path:
    root = parent / "sample"
    root.mkdir()
    for name in ("exhibition.yml", "content", "workers", "studios", "mkdocs.yml"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    text = (root / "mkdocs.yml").read_text("utf-8")
    hook = REPO / "scripts/showcase/mkdocs_hook.py"
    (root / "mkdocs.yml").write_text(
        text.replace("scripts/showcase/mkdocs_hook.py", str(hook)), "utf-8"
    )
    return root


def showcase_site(root: Path, two_renames: bool) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    code = ["-c", TWO_RENAMES] if two_renames else ["-m", "showcase"]
    cmd = [sys.executable, *code, "--root", str(root), "site"]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"showcase site failed ({done.returncode}):\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publishes", type=int, default=10)
    parser.add_argument("--two-renames", action="store_true", help="the fallback switch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = sample_root(Path(tmp))
        first = showcase_site(root, False)
        handler = partial(Quiet, directory=str(root / "site"))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        reader = Reader(f"http://127.0.0.1:{server.server_address[1]}")
        reader.start()
        times = [showcase_site(root, args.two_renames) for _ in range(args.publishes)]
        reader.stop.set()
        reader.join()
        server.shutdown()
        server.server_close()
    switch = "two renames (fallback)" if args.two_renames else "renameat2 RENAME_EXCHANGE"
    bad = sum(reader.bad.values())
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(reader.bad.items())) or "none"
    print(f"switch: {switch}")
    print(f"first publish (not served): {first:.2f} s")
    print(f"publishes while serving: {args.publishes}")
    print("publish times (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"requests made: {reader.requests}")
    print(f"non-200 or failed: {bad} ({detail})")


if __name__ == "__main__":
    main()
