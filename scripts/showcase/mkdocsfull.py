"""A full MkDocs build on both cores: two MkDocs processes, each rendering half the pages.

MkDocs renders pages one after another in one process (15–24 s at 5,000 workers, while
the other core waits). Here the same docs tree is built twice at once, as two dirty
builds (showcase.mkdocsrun) that each read the whole tree and the whole navigation but
render only the pages they are given: the first some of the pages, every file that is not
a page (copied) and what MkDocs writes itself (theme assets, sitemap, 404 page), into the
fresh folder; the second the other pages, into a folder of its own, from which they are
hard-linked into the fresh folder. The pages are shared so that both take about as long
(STATIC_WEIGHT). A dirty build renders a page byte for byte as a full
one does (the incremental publish relies on the same, and tests/test_mkdocsfull.py
compares a split build of the sample with a single one, every byte of every file).

One process builds everything, as before, when there are few pages (a second process's
start costs about what it saves), on one core, when a page links to an anchor of another
page (`….md#…`: MkDocs checks such a link only against the anchors of the pages the same
process renders, so a broken one would pass unnoticed), and when mkdocs.yml's nav lists a
page without a title (sitefiles.untitled_nav: its title would be missing from the
navigation of the pages the other process renders), and when mkdocs.yml names a plugin
that may gather from every page (sitefiles.other_plugins: Material's tags plugin).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from showcase.publish import (
    FRESH_PREFIX,
    Log,
    files_under,
    mkdocs_build,
    mkdocs_env,
    remove_later,
)
from showcase.sitefiles import ANCHOR_LINK, PAGE_SUFFIXES, dest, other_plugins, untitled_nav

DOCS_DIR = Path("build/docs")
SPLIT_PAGES = 500  # fewer pages: one process (at 1,000 workers, 1,200 pages: 4.0 → 2.0 s)
SPLIT_PAGES_ENV = "SHOWCASE_MKDOCS_SPLIT_PAGES"  # the tests split the sample's few pages
# What MkDocs spends copying a file that is not a page, against rendering a page: at 5,000
# workers 0.43 ms and 3.2 ms (half the pages each: 17.2 s for the half with the 17,000
# copies, 9.8 s for the other)
STATIC_WEIGHT = 0.14


def split_pages() -> int:
    raw = os.environ.get(SPLIT_PAGES_ENV, "").strip()
    return max(2, int(raw)) if raw.isdigit() else SPLIT_PAGES


def halves(root: Path) -> tuple[list[str], list[str]] | None:
    """What each process renders (its `changed` list: see showcase.mkdocsrun), or None
    when one process builds it all."""
    docs = root / DOCS_DIR
    every = sorted(files_under(docs))
    pages = [rel for rel in every if rel.endswith(PAGE_SUFFIXES)]
    if len(pages) < split_pages() or (os.cpu_count() or 1) < 2:
        return None
    if untitled_nav(root / "mkdocs.yml") or other_plugins(root / "mkdocs.yml"):
        return None
    if any(ANCHOR_LINK.search((docs / rel).read_bytes()) for rel in pages):
        return None
    work = len(pages) + STATIC_WEIGHT * (len(every) - len(pages))
    share = min(1.0, work / 2 / len(pages))  # of the pages, for the second process
    # spread over the path order (pages of a kind sit together): page i goes second when
    # the running count i * share passes a whole number
    second = {rel for i, rel in enumerate(pages) if int((i + 1) * share) > int(i * share)}
    return [rel for rel in every if rel not in second], sorted(second)


def build(root: Path, out: Path, log: Log) -> bool:
    """A full build of build/docs into the empty folder `out` (False: MkDocs failed and
    said why)."""
    split = halves(root)
    if split is None:
        return mkdocs_build(root, out)
    first, second = (_listing(root, names) for names in split)
    scratch = Path(tempfile.mkdtemp(dir=out.parent, prefix=FRESH_PREFIX))
    cmd = [sys.executable, "-m", "showcase.mkdocsrun", str(second)]
    cmd += ["build", "--strict", "--dirty", "-d", str(scratch)]
    other = subprocess.Popen(cmd, cwd=root, env=mkdocs_env())
    try:
        ok = mkdocs_build(root, out, first)  # in the process started ahead, if any
        ok = other.wait() == 0 and ok
        return ok and _take_pages(scratch, out, split[1], log)
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()
        first.unlink(missing_ok=True)
        second.unlink(missing_ok=True)
        remove_later(scratch, log)


def _listing(root: Path, names: list[str]) -> Path:
    fd, name = tempfile.mkstemp(dir=root / "build", prefix=".full-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(names, f)
    return Path(name)


def _take_pages(scratch: Path, out: Path, pages: list[str], log: Log) -> bool:
    """Hard-link the second process's pages into `out`, where nothing is at their paths."""
    made: set[str] = set()
    for rel in pages:
        site = dest(rel)
        parent = os.path.dirname(site)
        if parent and parent not in made:
            os.makedirs(out / parent, exist_ok=True)
            made.add(parent)
        try:
            os.link(scratch / site, out / site)
        except OSError as err:  # never expected: both built the same docs tree
            log(f"MkDocs 的两个构建进程的页面合不到一起（{site}：{err.strerror}）")
            return False
    return True
