"""Publishing: MkDocs builds into a fresh folder, Pagefind indexes it, and only then does
the fresh folder replace site/ — the published site is always a complete old or new build.

Search: Material's own index is downloaded whole by every reader (2 MB gzipped at 5,000
workers, measured by bench/search.py). Pagefind splits its index into small fragments and
segments Chinese; showcase.js answers Material's search box from it. Material's index is
then cut to its config so no reader downloads it. (`mkdocs serve` keeps Material's search.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from showcase.write import atomic_write

ROOT_SELECTOR = "article.md-content__inner"  # index the page's content, not the navigation


def mkdocs_build(root: Path, out: Path) -> bool:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(out)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(cmd, cwd=root, env=env).returncode == 0


def pagefind_index(site: Path) -> bool:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", ROOT_SELECTOR]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
    return done.returncode == 0


def stub_material_index(site: Path) -> None:
    """Keep Material's search config, drop its documents: Pagefind answers instead."""
    path = site / "search" / "search_index.json"
    if path.is_file():
        config = json.loads(path.read_text("utf-8")).get("config", {})
        atomic_write(path, json.dumps({"config": config, "docs": []}, ensure_ascii=False).encode())


def switch(fresh: Path, final: Path, old: Path) -> None:
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    fresh.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def publish(root: Path) -> str | None:
    """Build site/ from build/docs; None on success, else why (in Chinese)."""
    fresh, final, old = root / "build/site.new", root / "site", root / "build/site.old"
    if not mkdocs_build(root, fresh):
        shutil.rmtree(fresh, ignore_errors=True)
        return "MkDocs 构建失败：旧网站保持不变。"
    if not pagefind_index(fresh):
        shutil.rmtree(fresh, ignore_errors=True)
        return "搜索索引（Pagefind）生成失败：旧网站保持不变。"
    stub_material_index(fresh)
    switch(fresh, final, old)
    return None
