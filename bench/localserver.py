"""A local `showcase serve` driven by the benchmarks: a free port, polling a page, stopping.

(tests/test_preview.py keeps its own copies: the tests do not import from bench/.)
"""

from __future__ import annotations

import socket
import subprocess
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 30) -> str:
    """The page's text, or "" while the server is not up (or still holding the request)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return ""


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)
