"""The theme's compiled templates in this user's cache (showcase/templatecache.py): Jinja's
bytecode is Python code, so a cache file another hand wrote must never be loaded."""

from __future__ import annotations

import io
import marshal
import pickle
import re
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from conftest import run


def edit_summary(root: Path, text: str) -> None:
    path = root / "workers/li-si/profile.yml"
    body = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^summary: .*$", f"summary: {text}", body, count=1), "utf-8")


def test_a_swapped_compiled_template_is_compiled_again_not_run(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = run(mini, "site")
    assert first.returncode == 0, first.stdout + first.stderr
    files = sorted((tmp_path / "cache/showcase/jinja").glob("*.bytecode"))
    assert files, "no compiled template was kept"
    # Each file: its signature line, then Jinja's header (magic, source checksum) and the
    # marshalled code. Keep the header Jinja checks, put other code after it.
    marker = tmp_path / "ran"
    payload = marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "x", "exec"))
    for file in files:
        signature, _, body = file.read_bytes().partition(b"\n")
        header = body[: _header_length(body)]
        file.write_bytes(signature + b"\n" + header + payload)
    edit_summary(mini, "第二次的简介")
    # every layout of the generator rendered again (none from the memo), so each forged
    # file is loaded (and must be refused), as the theme's are on every build
    (mini / "build/memo.bin").unlink()
    second = run(mini, "site")
    assert second.returncode == 0, second.stdout + second.stderr
    assert not marker.exists(), "a compiled template someone else wrote was run"
    assert "第二次的简介" in (mini / "site/workers/li-si/index.html").read_text("utf-8")
    assert all(payload not in f.read_bytes() for f in files), "the forged files were kept"


def _header_length(body: bytes) -> int:
    """Jinja's header: its magic bytes, then the template source's checksum (a pickle)."""
    f = io.BytesIO(body)
    assert f.read(len(bc_magic)) == bc_magic
    pickle.load(f)  # a checksum string from the file the first build wrote
    return f.tell()
