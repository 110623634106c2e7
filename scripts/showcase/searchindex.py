"""The search index in shards: one Pagefind run per shard of at most ~SHARD_PAGES pages.

Pagefind holds a whole index in memory while it builds it (about 0.2 MB a page: 1.24 GiB
at 6,000 pages, the peak of the whole publish). So the site's pages are split: the number
of shards is ceil(pages / SHARD_PAGES), and each page goes to the shard given by a hash of
its path (the home page always to shard 0, so shard 0 is never empty). Editing or adding
a page changes only its own shard (as long as the number of shards stays the same): the
incremental publish re-indexes just those (incremental_site). Each shard is its own
Pagefind run over a folder of hard links to its pages (same relative paths, so the same
result URLs), one after another: memory is bounded by the largest shard.

Layout: shard 0 is Pagefind's usual bundle in pagefind/ (its pagefind.js, wasm and worker
serve every shard); shard i > 0 is pagefind/s{i}/ with its index only (entry, metadata,
index chunks, fragments, filters), not the scripts nobody loads from there. Empty shards
have no folder. pagefind/shards.json lists the shards; showcase.js loads the first and
merges the others (Pagefind's mergeIndex), which ranks the results of every shard together.

SHOWCASE_PAGEFIND_SHARD_PAGES overrides SHARD_PAGES (tests force several shards on the
sample).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from showcase.write import atomic_write, walked_prefix

SHARD_PAGES = 2500  # 3 shards at 5,000 workers: first query 303 KB gzip (4 shards: 317 KB)
SHARD_PAGES_ENV = "SHOWCASE_PAGEFIND_SHARD_PAGES"
# Pagefind runs at a time: at 5,000 workers (4 shards, 2 cores) one after another took
# 8.4 s and 371 MiB, two at a time 7.5 s and 698 MiB, one run of the whole site 8.6 s and
# 1.24 GiB: each run uses every core already
JOBS = 1
ROOT_SELECTOR = "article.md-content__inner"  # index the page's content, not the navigation
FOLDER = "pagefind"
MANIFEST = f"{FOLDER}/shards.json"
HOME = "index.html"
SHARD_FILE = re.compile(rf"^{FOLDER}/s(\d+)/")
# what a merged shard needs (mergeIndex loads no script and no wasm of its own)
INDEX_PARTS = ("pagefind-entry.json", "index", "fragment", "filter")
INDEX_SUFFIX = ".pf_meta"

Shards = dict[int, list[str]]  # shard → its pages (site-relative paths), sorted


def shard_pages() -> int:
    raw = os.environ.get(SHARD_PAGES_ENV, "").strip()
    return max(1, int(raw)) if raw.isdigit() else SHARD_PAGES


def pages_in(site: Path) -> set[str]:
    """Every HTML file of the site (what Pagefind indexes), its own folder aside."""
    out: set[str] = set()
    top = os.fspath(site)
    for dirpath, dirs, names in os.walk(top):
        prefix = walked_prefix(dirpath, top)
        if not prefix:
            dirs[:] = [d for d in dirs if d != FOLDER]
        out.update(prefix + name for name in names if name.endswith(".html"))
    return out


def pages_of(files: Iterable[str]) -> set[str]:
    """pages_in, from a listing of the site's files already made."""
    return {rel for rel in files if rel.endswith(".html") and not rel.startswith(FOLDER + "/")}


def shard_count(pages: int) -> int:
    return max(1, math.ceil(pages / shard_pages()))


def shard_of(page: str, count: int) -> int:
    """A page's shard: a hash of its path, so no other page moves when one is added."""
    if page == HOME or count == 1:
        return 0
    digest = hashlib.sha256(page.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def split(pages: Collection[str]) -> Shards:
    count = shard_count(len(pages))
    shards: Shards = {}
    for page in sorted(pages):
        shards.setdefault(shard_of(page, count), []).append(page)
    return shards


def folder_of(shard: int) -> str:
    return FOLDER if shard == 0 else f"{FOLDER}/s{shard}"


def shard_of_file(rel: str) -> int | None:
    """The shard a file of the site's pagefind/ folder belongs to (None: the manifest, or
    not a search file)."""
    if rel == MANIFEST or not rel.startswith(FOLDER + "/"):
        return None
    found = SHARD_FILE.match(rel)
    return int(found.group(1)) if found else 0


def read_count(site: Path) -> int | None:
    """The number of shards the site's index was built with (None: no readable manifest)."""
    try:
        count = json.loads((site / MANIFEST).read_text("utf-8"))["count"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return count if isinstance(count, int) else None


def write_manifest(site: Path, shards: Shards) -> None:
    folders = [folder_of(s) + "/" for s in sorted(shards)]
    body = {"count": shard_count(sum(len(p) for p in shards.values())), "shards": folders}
    atomic_write(site / MANIFEST, json.dumps(body, ensure_ascii=False).encode("utf-8"))


def index_shard(
    site: Path, shard: int, pages: list[str], scratch: Path, source: Path | None = None
) -> str | None:
    """One Pagefind run over hard links to `pages` (of `source`, else of the site) in
    `scratch` (beside the site, on its filesystem), written to the site's folder for the
    shard; None, or Pagefind's output on failure."""
    links = Path(tempfile.mkdtemp(dir=scratch, prefix=f"shard{shard}-"))
    try:
        for page in pages:
            target = links / page
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link((source or site) / page, target)
        out = site / folder_of(shard)
        cmd = [sys.executable, "-m", "pagefind", "--site", str(links), "--output-path", str(out)]
        done = subprocess.run(
            [*cmd, "--root-selector", ROOT_SELECTOR], capture_output=True, text=True
        )
    finally:
        shutil.rmtree(links, ignore_errors=True)
    if done.returncode != 0:
        return done.stdout + done.stderr
    if shard:
        trim(out)
    return None


def trim(out: Path) -> None:
    """A merged shard keeps its index only: the bundle's scripts, styles and wasm are
    loaded from shard 0."""
    for path in out.iterdir():
        if path.name in INDEX_PARTS or path.name.endswith(INDEX_SUFFIX):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def index_site(
    site: Path,
    scratch: Path,
    only: Collection[int] | None = None,
    *,
    log: Callable[[str], None],
    jobs: int = JOBS,
    source: Path | None = None,
    pages: Collection[str] | None = None,
) -> bool:
    """Index the shards `only` (None: all) of the site's pages, `jobs` at a time, then
    write the manifest (a failed run's output goes to `log`, and nothing is written). Their folders must not exist yet (Pagefind adds to a folder: it
    would keep stale files, and write through hard links shared with a published site).
    `source`: a folder with the same pages to read them from (the site may still be being
    filled with links meanwhile: see incremental_site). `pages`: its pages, when a listing
    already names them (pages_of)."""
    shards = split(pages_in(source or site) if pages is None else pages)
    todo = sorted(shards if only is None else set(only) & shards.keys())
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        runs = pool.map(lambda s: index_shard(site, s, shards[s], scratch, source), todo)
        failed = [out for out in runs if out is not None]
    if failed:
        log(failed[0])
        return False
    write_manifest(site, shards)
    return True


def stale_shards(site: Path, pages: Collection[str], changed: Collection[str]) -> set[int] | None:
    """The shards an incremental publish re-indexes, given `site` (the new pages with the
    published index), its `pages` and those that changed, were added or removed: the
    shards holding one of them; None (all) when the number of shards changed or the index
    has no manifest."""
    count = shard_count(len(pages))
    if read_count(site) != count:
        return None
    return {shard_of(page, count) for page in changed}
