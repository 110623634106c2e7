"""`showcase site`: the no-op check, the generator, then a full or an incremental publish.

Nothing changed since the last publish (incremental.unchanged): one line, nothing
written. Otherwise the generator runs (every check, as always) and incremental.plan
decides: only the changed pages over a hard-linked copy of site/ (incremental_site), or
a full build, with one line saying why. The privacy guard scans every new file of the
fresh folder; when the set of private values changed since the last publish, it scans
the whole folder (a page published before may hold a value that is private only now).
build/publish-state.json is written only after a successful publish.

SHOWCASE_TIMINGS=path writes the steps' seconds as JSON (bench/run.py reads it).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from showcase import prelink, privacy
from showcase.build import DOCS_DIR, DRAFTS_MARK, BuildResult, collector_paused
from showcase.folders import SIDECAR
from showcase.incremental import (
    Inputs,
    Stat,
    file_sha,
    global_hash,
    not_built_upon,
    plan,
    read_state,
    unchanged,
    write_state,
)
from showcase.incremental_site import WroteThrough
from showcase.memo import memo, secrets_fingerprint
from showcase.publish import (
    SITE_DIR,
    files_under,
    finish_removals,
    publish,
    start_mkdocs,
    stop_mkdocs,
    timed,
)
from showcase.sitefiles import ANCHOR_LINK, front_matter, nav_pages, other_plugins, untitled_nav

Echo = Callable[..., None]


@dataclass
class SiteRun:
    failure: str | None = None
    noop: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def docs_state(root: Path, state: dict[str, Any] | None) -> dict[str, list[Any]]:
    """(size, mtime_ns, inode, sha256, links to an anchor of another page, share preview's
    hash, front matter's hash for a page the nav lists, else "") of every build/docs file;
    the generator rewrites a file only through a new inode, so an equal stat reuses what
    was found when it was published."""
    docs = root / DOCS_DIR
    old = (state or {}).get("docs", {})
    shared = share_of_pages(root)
    listed = nav_pages(root / "mkdocs.yml")
    out: dict[str, list[Any]] = {}
    top = os.fspath(docs)
    for rel in sorted(files_under(docs)):
        st = os.stat(os.path.join(top, rel))
        key: Stat = (st.st_size, st.st_mtime_ns, st.st_ino)
        before = old.get(rel)
        if before and tuple(before[:3]) == key:
            out[rel] = [*before[:5], shared.get(rel, ""), *before[6:7]]
        else:
            anchored = rel.endswith(".md") and ANCHOR_LINK.search((docs / rel).read_bytes())
            out[rel] = [*key, file_sha(docs / rel), bool(anchored), shared.get(rel, "")]
        if len(out[rel]) < 7:  # new, or published by a version that did not keep it
            out[rel].append(_nav_meta(docs / rel) if rel in listed else "")
    return out


def _nav_meta(path: Path) -> str:
    """The hash of a nav page's front matter (Material shows its icon, subtitle and
    status in every page's navigation)."""
    text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    return hashlib.sha256(front_matter(text).encode()).hexdigest()


def share_of_pages(root: Path) -> dict[str, str]:
    """The hash of each page's share preview (build/share.json), which the hook puts into the
    page's head: a page whose preview changed is rebuilt though its Markdown did not."""
    try:
        pages = json.loads((root / SIDECAR).read_bytes())["pages"]
    except FileNotFoundError:
        return {}
    return {
        rel: hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()
        for rel, meta in pages.items()
    }


def publish_site(root: Path, built: Callable[[Path], BuildResult], echo: Echo) -> SiteRun:
    start = time.perf_counter()
    run = SiteRun()
    site = root / SITE_DIR
    state = read_state(root)
    inputs = Inputs.now(root)
    drafts = (root / DRAFTS_MARK).exists()  # build/docs holds a drafts preview: regenerate
    if not drafts and unchanged(root, state, inputs, site):
        echo("网站已是最新：档案、设置和程序都没有改动，没有重新生成，也没有写入任何文件。")
        run.noop = True
        return _done(run, start)
    start_mkdocs(root)  # MkDocs imports itself on the other core meanwhile
    ahead = None  # and, when the publish may be incremental, its links are made there too
    if state is not None and not not_built_upon(state, site, inputs):
        ahead = prelink.start(site, state)
    try:
        with collector_paused():  # the model stays alive to the end: see build.py
            return _publish(root, built, echo, run, start, state, inputs, ahead)
    finally:
        stop_mkdocs(root)
        if ahead is not None:
            ahead.discard()  # unless the publish took it
            finish_removals()


def _publish(
    root: Path,
    built: Callable[[Path], BuildResult],
    echo: Echo,
    run: SiteRun,
    start: float,
    state: dict[str, Any] | None,
    inputs: Inputs,
    ahead: prelink.Prelink | None,
) -> SiteRun:
    site = root / SITE_DIR
    with timed(run.timings, "generator"):
        result = built(root)
        docs = docs_state(root, state)
    assert result.exhibition is not None
    settings = result.exhibition.settings
    # what the hook puts into every page: names, the canonical address, the feed link
    names = (
        settings.site_title,
        settings.site_description,
        settings.association,
        settings.site_url,
    )
    global_key = global_hash(root, names)
    assert result.loaded is not None and result.guard is not None
    guard = result.guard  # the build's: it refused any secret too short to guard
    # which private values the site was scanned for: a keyed digest (a plain one of a few
    # phone numbers could be checked against guesses)
    secrets_key = secrets_fingerprint(guard.patterns).decode()
    config = root / "mkdocs.yml"
    decided = plan(
        state, site, inputs, docs, global_key, untitled_nav(config), other_plugins(config)
    )
    if ahead is not None and not decided.changed:  # a full build, or nothing to publish
        ahead.discard()
    whole = state is None or state.get("secrets") != secrets_key

    def scan(fresh: Path, only: set[str] | None) -> list[str]:
        """The privacy guard on the finished site, before it replaces site/."""
        everything = whole and decided.changed is not None  # linked files too
        found = privacy.scan_folder(
            root, fresh, result.loaded, result.library, None if everything else only, guard
        )
        return [p.format() for p in found.errors]

    if decided.changed is None:
        if state is not None:  # a first publish says nothing more
            echo(f"完整重建：{decided.reason}。")
    elif not decided.changed:
        echo("页面没有变化（改动不影响网站内容）：网站保持不变。")
    else:
        echo(f"增量更新：只重新生成改动的 {len(decided.changed)} 个文件，其余沿用已发布的网站。")
    if decided.changed == set():
        failure = None
    else:
        try:
            failure = publish(
                root, verify=scan, changed=decided.changed, timings=run.timings, prelinked=ahead
            )
        except WroteThrough as err:
            echo(f"注意：{err.note()}。这次改为完整重建。", err=True)
            failure = publish(root, verify=scan, timings=run.timings)
    memo().save(root)  # what the build published and both scans found clean
    if failure is None:
        write_state(root, state, inputs, site, docs, global_key, secrets_key)
        if "pages_published" in run.timings:  # incremental, not fallen back to a full build
            pages = run.timings["generator"] + run.timings["pages_published"]
            total = pages + run.timings.get("search_published", 0.0)
            echo(f"页面 {pages:.1f} 秒后已发布，搜索索引 {total:.1f} 秒后更新。")
    run.failure = failure
    return _done(run, start)


def _done(run: SiteRun, start: float) -> SiteRun:
    run.timings["total"] = time.perf_counter() - start
    out = os.environ.get("SHOWCASE_TIMINGS")
    if out:
        Path(out).write_text(json.dumps({**run.timings, "noop": run.noop}), "utf-8")
    return run
