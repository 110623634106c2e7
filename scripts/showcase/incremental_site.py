"""The incremental publish: rebuild only the changed pages over a hard-linked copy of site/.

Step 1, pages: a fresh folder beside site/ receives a hard link to every output of an
unchanged build/docs file (its page's index.html, or the copied file) and to the
published Pagefind index; nothing else. The links are made while MkDocs runs (a thread
links, a process builds), or ahead, while the generator runs (showcase.prelink: then the
changed files' outputs are unlinked first, and a link this step would not have made goes
after MkDocs, see ahead_of_build). MkDocs runs as a dirty build (showcase.mkdocsrun) that
renders and copies only the changed docs files, plus what MkDocs always writes (its
theme's assets, sitemap.xml, 404.html, the search plugin's file, plugin assets:
sitefiles.WRITTEN_EVERY_BUILD, never linked). A hard link shares its bytes with the live
site, and MkDocs writes by opening a path for writing, which would write through the link
into site/: so every path MkDocs writes must be absent from the fresh folder. It is: the
generator refuses a docs file MkDocs writes over (sitefiles.clashes), and the only
linked paths are outputs of unchanged docs files, which the dirty build never writes, and
Pagefind's folder, which MkDocs never writes. A tripwire checks it anyway (the linked
files' inode, size and mtime before and after MkDocs; a link refused because MkDocs wrote
its path first counts too: either way the publish becomes a full build) and
tests/test_incremental.py checks the live site byte for byte before each switch. The
privacy guard scans every file that is not a link to the published (already scanned)
site, then the folder replaces site/.

Step 2, search: the index is in shards (showcase.searchindex), all in site/pagefind/.
Another fresh folder beside site/ receives a pagefind/ folder of links to every file of
the published index except the manifest and the files of the shards holding a page that
step 1 changed, added or removed (all shards when their number changes); meanwhile
Pagefind indexes just those shards, reading the pages from the live site step 1 put in
place, into that folder (none of their files are linked, so it writes only new files), the
manifest is written anew, the guard scans the new files, and the new pagefind/ takes the
place of site/pagefind in one exchange: the index switches whole, and only its files are
linked again (at 5,000 workers 6,000 links, not the site's 29,000: each link costs the
kernel about 0.1 ms here). Between the two steps readers get the new pages with the
previous search index.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from showcase import searchindex
from showcase.publish import (
    Log,
    Timings,
    Verify,
    files_under,
    in_fresh,
    mkdocs_build,
    pagefind_index,
    stub_material_index,
    timed,
    verified,
)
from showcase.sitefiles import dest_of

if TYPE_CHECKING:
    from showcase.prelink import Prelink

DOCS_DIR = Path("build/docs")
PAGEFIND = searchindex.FOLDER
SEARCH_KEPT = "页面已更新，搜索仍是上一次的"  # what readers see when step 2 fails

Identity = tuple[int, int, int]  # inode, size, mtime_ns
T = TypeVar("T")


def link_files(site: Path, fresh: Path, rels: Iterable[str]) -> dict[str, Identity]:
    """Hard-link each regular file `rel` of `site` into `fresh`; their identities. A path
    `fresh` already holds is a write-through (WroteThrough).

    Plain strings and os calls, not pathlib: this runs for every file of the site, twice
    per publish (29,000 files at 5,000 workers: 2.3 s with Path objects, 1.3 s so)."""
    linked: dict[str, Identity] = {}
    made: set[str] = set()
    src_dir, to_dir = os.fspath(site), os.fspath(fresh)
    for rel in sorted(rels):
        src = os.path.join(src_dir, rel)
        try:
            st = os.lstat(src)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(st.st_mode):  # never a symlink (lstat) or a special file
            continue
        parent = os.path.dirname(rel)
        if parent not in made:
            os.makedirs(os.path.join(to_dir, parent), exist_ok=True)
            made.add(parent)
        try:
            os.link(src, os.path.join(to_dir, rel))
        except FileExistsError as err:  # MkDocs wrote the path first: never expected
            raise WroteThrough([rel]) from err
        linked[rel] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return linked


def linked_during(
    site: Path, fresh: Path, rels: Iterable[str], work: Callable[[], T]
) -> tuple[T, dict[str, Identity]]:
    """link_files in a thread while `work` runs (MkDocs or Pagefind: a process of its own,
    writing only paths that are never linked); work's result and the identities."""
    with ThreadPoolExecutor(1) as pool:
        linking = pool.submit(link_files, site, fresh, rels)
        result = work()
        return result, linking.result()


def ahead_of_build(
    site: Path,
    fresh: Path,
    ahead: dict[str, Identity],
    changed: set[str],
    wanted: Callable[[], set[str]],
    work: Callable[[], T],
) -> tuple[T, dict[str, Identity]]:
    """Step 1 over the links made ahead (showcase.prelink): the changed docs files'
    outputs are unlinked, then `work` (MkDocs) runs while `wanted` (what step 1 links
    when nothing was made ahead) is worked out in a thread. After it, a link made ahead
    and not wanted goes, once the tripwire has checked it too, and a wanted file not
    linked ahead is linked (refused: MkDocs wrote it). Its result, and the identities of
    the links the folder holds, made ahead or now."""
    gone = dest_of(changed) & ahead.keys()
    for rel in gone:
        os.unlink(os.path.join(fresh, rel))
    with ThreadPoolExecutor(1) as pool:
        listing = pool.submit(wanted)
        result = work()
        want = listing.result()
    made = {rel: ahead[rel] for rel in ahead.keys() - gone}
    wrote_through = touched(site, {rel: made[rel] for rel in made.keys() - want})
    if wrote_through:
        raise WroteThrough(wrote_through)
    for rel in made.keys() - want:
        os.unlink(os.path.join(fresh, rel))
        del made[rel]
    made.update(link_files(site, fresh, want - made.keys()))
    return result, made


def touched(site: Path, linked: dict[str, Identity]) -> list[str]:
    """Linked files whose bytes may have changed since they were linked."""
    out = []
    src_dir = os.fspath(site)
    for rel, before in linked.items():
        st = os.lstat(os.path.join(src_dir, rel))
        if (st.st_ino, st.st_size, st.st_mtime_ns) != before:
            out.append(rel)
    return out


def pages_changed(
    old: Path, new: Path, written: set[str], before: set[str], after: set[str]
) -> set[str]:
    """The pages (HTML files) of `new` that MkDocs wrote with other bytes than `old` has,
    or that are new, and the pages of `old` that `new` no longer has (`before` and
    `after`: every file of each)."""
    pages = {rel for rel in written if rel.endswith(".html")}
    out = {rel for rel in pages if not same_bytes(old / rel, new / rel)}
    return out | (searchindex.pages_of(before) - searchindex.pages_of(after))


def kept(rel: str, stale: set[int] | None) -> bool:
    """Whether step 2 links a file of the published site: not the manifest, not a file of a
    shard being re-indexed."""
    if rel == searchindex.MANIFEST:
        return False
    shard = searchindex.shard_of_file(rel)
    return shard is None or (stale is not None and shard not in stale)


def same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.read_bytes() == b.read_bytes()
    except FileNotFoundError:
        return False


def publish_changed(
    root: Path,
    final: Path,
    changed: set[str],
    verify: Verify | None,
    log: Log,
    timings: Timings | None,
    prelinked: Prelink | None = None,
) -> str | None:
    start = time.perf_counter()
    ahead = prelinked.result() if prelinked else None  # the links it made, or None
    published: set[str] = set()  # every file of site/
    changed_pages: set[str] = set()  # the pages step 1 changed, added or removed
    new_site: set[str] = set()  # every file of the folder step 1 put in place

    def wanted() -> set[str]:
        """What step 1 links: the outputs of the unchanged docs files, and the index.
        Two docs files with one output (content/foo.md and content/foo/index.md), one
        changed: a full build (it keeps the page MkDocs writes last; linked, the unchanged
        one's would be written through into the live site). Made ahead, that output was
        unlinked before MkDocs ran: this, in a thread beside it, comes in time either way."""
        published.update(files_under(final))
        docs = files_under(root / DOCS_DIR)
        unchanged = dest_of(docs - changed)
        clash = dest_of(changed) & unchanged
        if clash:  # named by the files that make it, as the editor finds them
            makers = sorted(uri for uri in docs if dest_of([uri]) & clash)
            content = root / "content"
            raise OneOutput([f"content/{u}" if (content / u).is_file() else u for u in makers])
        index = {rel for rel in published if rel.startswith(PAGEFIND + "/")}
        return (unchanged | index) & published

    def pages(fresh: Path) -> str | None:
        fd, name = tempfile.mkstemp(dir=root / "build", prefix=".changed-", suffix=".json")
        os.close(fd)
        listing = Path(name)

        def build() -> bool:
            try:
                listing.write_text(json.dumps(sorted(changed)), "utf-8")
                with timed(timings, "mkdocs"):
                    return mkdocs_build(root, fresh, listing)
            finally:
                listing.unlink(missing_ok=True)

        if ahead is None:
            ok, linked = linked_during(final, fresh, wanted(), build)
        else:
            ok, linked = ahead_of_build(final, fresh, ahead, changed, wanted, build)
        wrote_through = touched(final, linked)
        if wrote_through:  # never expected: a full build repairs site/ (see cli)
            raise WroteThrough(wrote_through)
        if not ok:
            return "MkDocs 构建失败：旧网站保持不变。"
        stub_material_index(fresh)
        new_site.update(files_under(fresh))
        written = new_site - linked.keys()
        changed_pages.update(pages_changed(final, fresh, written, published, new_site))
        return verified(fresh, verify, written, timings)

    begun = prelinked.take() if prelinked and ahead is not None else None
    failure = in_fresh(final, pages, log, fresh=begun)
    if timings is not None:
        timings["pages_published"] = time.perf_counter() - start
    if failure:
        return failure
    new_pages = searchindex.pages_of(new_site)
    stale = searchindex.stale_shards(final, new_pages, changed_pages)  # None: all of them
    if stale == set():  # no page changed (say, only an image): the index stays as it is
        return None
    start = time.perf_counter()
    index = {r for r in new_site if r.startswith(PAGEFIND + "/")}  # site/pagefind, live

    def search(fresh: Path) -> str | None:
        def run() -> bool:  # the pages read from site/ (step 1's, live)
            with timed(timings, "pagefind"):
                return pagefind_index(fresh, stale, source=final, pages=new_pages)

        keep = {r for r in index if kept(r, stale)}
        indexed, linked = linked_during(final, fresh, keep, run)
        if not indexed:
            return f"搜索索引（Pagefind）生成失败：{SEARCH_KEPT}。"
        # step 1's pages are live already: only the index stays as it was
        return verified(fresh, verify, files_under(fresh) - linked.keys(), timings, SEARCH_KEPT)

    failure = in_fresh(final, search, log, part=PAGEFIND)
    if timings is not None:
        timings["search_published"] = time.perf_counter() - start
    return failure


class WroteThrough(Exception):
    """MkDocs wrote into files shared with the published site (a bug, never expected)."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        super().__init__(", ".join(paths[:5]))

    def note(self) -> str:
        """What `showcase site` says before it builds everything instead."""
        return f"增量构建改动了已发布的文件（{self}）"


class OneOutput(WroteThrough):
    """Two docs files make one page and only one changed: not provably incremental.
    `paths`: the files that make it (content/… for a page written by hand)."""

    def note(self) -> str:
        names = "、".join(self.paths[:5])
        return f"{names} 生成同一个页面，网站上只会留下其中一个：请删除或改名其中一个"
