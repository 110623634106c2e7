"""The incremental `showcase site` gives exactly the site a clean full build gives.

A property test: hypothesis draws sequences of editors' edits (change a field, add and
delete a worker, rename a studio, publish/unpublish, edit exhibition.yml, edit a page
template, edit a chapter, nothing at all) and applies them to a copy of the sample
exhibition. After each step `showcase site` publishes there (incrementally where it can),
and a clean copy of the same inputs is built from scratch in another folder: the two
site/ folders must be byte-identical, every file (Pagefind's index included: it is built
from scratch in both, so its bytes are the same too). The package itself is copied per
test (PYTHONPATH), so a template edit changes only that copy.

Also: before every switch the live site/ is byte-identical to what it was before the
publish started (no write through a hard link), and a no-op run writes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from showcase import prelink, searchindex
from showcase import publish as publishing
from showcase.incremental import STATE_FILE
from showcase.incremental_site import OneOutput
from showcase.load import load_all
from showcase.model import Studio, Worker
from showcase.modelcache import CACHE_FILE, LEGACY_FILE, ModelCache, encode, seal, write_entries
from showcase.problems import Problems
from showcase.sitefiles import WRITTEN_EVERY_BUILD

from conftest import REPO, SAMPLE, copy_sample, run

PACKAGE = REPO / "scripts" / "showcase"
INPUTS = (*SAMPLE, "mkdocs.yml")
FREE_WORKERS = ("shen-mingfang", "xu-huifen")  # not featured on the home page
STUDIOS = ("nanhu-jinchui", "yao-hongfei-studio", "zhou-gang-studio")
CHAPTER = Path("content/books/hongxin-jiangyi/01-sample-article-facts.md")
SEQUENCES = int(os.environ.get("INCREMENTAL_SEQUENCES", "4"))  # drawn, besides the example
SHARD_PAGES = "4"  # the sample's search index in several shards (searchindex)


class Repo:
    """A copy of the sample and of the showcase package, edited step by step."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.pkg = base / "pkg"
        shutil.copytree(
            PACKAGE, self.pkg / "showcase", ignore=shutil.ignore_patterns("__pycache__")
        )
        self.root = copy_sample(base / "inc")
        self.point_hook(self.root)
        self.added: list[str] = []
        self.counter = 0

    def point_hook(self, root: Path) -> None:
        config = root / "mkdocs.yml"
        text = re.sub(
            r"(?m)^  - .*mkdocs_hook\.py$",
            f"  - {self.pkg}/showcase/mkdocs_hook.py",
            config.read_text("utf-8"),
        )
        config.write_text(text, "utf-8")

    def site(self, root: Path, command: str = "site") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(self.pkg)}
        env.setdefault(searchindex.SHARD_PAGES_ENV, SHARD_PAGES)
        cmd = [sys.executable, "-m", "showcase", "--root", str(root), command]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)

    def clean_copy(self) -> Path:
        fresh = Path(tempfile.mkdtemp(prefix="full-", dir=self.base))
        for name in INPUTS:
            src = self.root / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, fresh / name)
        return fresh

    def next(self) -> int:
        self.counter += 1
        return self.counter


# --- the edits ----------------------------------------------------------------------------


def _replace_line(path: Path, key: str, value: str) -> None:
    text = path.read_text("utf-8")
    new, count = re.subn(rf"(?m)^{key}: .*$", f"{key}: {value}", text)
    assert count == 1, (path, key)
    path.write_text(new, "utf-8")


def change_field(repo: Repo, pick: int) -> str:
    workers = [*FREE_WORKERS, "yao-hongfei", "zhou-gang", *repo.added]
    slug = workers[pick % len(workers)]
    _replace_line(
        repo.root / "workers" / slug / "profile.yml", "summary", f"改写的简介第{repo.next()}版。"
    )
    return f"summary of {slug}"


def add_worker(repo: Repo, pick: int) -> str:
    n = repo.next()
    slug = f"added-{n}"
    folder = repo.root / "workers" / slug
    folder.mkdir()
    text = (repo.root / "workers" / FREE_WORKERS[pick % 2] / "profile.yml").read_text("utf-8")
    text = re.sub(r"(?m)^name: .*$", f"name: 新劳模{n}号", text)
    (folder / "profile.yml").write_text(text, "utf-8")
    repo.added.append(slug)
    return f"add {slug}"


def delete_worker(repo: Repo, pick: int) -> str:
    if not repo.added:
        return add_worker(repo, pick)
    slug = repo.added.pop(pick % len(repo.added))
    shutil.rmtree(repo.root / "workers" / slug)
    return f"delete {slug}"


def rename_studio(repo: Repo, pick: int) -> str:
    slug = STUDIOS[pick % len(STUDIOS)]
    _replace_line(
        repo.root / "studios" / slug / "studio.yml", "name", f"改名的工作室{repo.next()}号"
    )
    return f"rename {slug}"


def toggle_publish(repo: Repo, pick: int) -> str:
    if not repo.added:  # the sample's workers are in its hall and book: unpublishing
        return add_worker(repo, pick)  # one of them is refused (tested elsewhere)
    slug = repo.added[pick % len(repo.added)]
    path = repo.root / "workers" / slug / "profile.yml"
    now = "publish: true" in path.read_text("utf-8")
    _replace_line(path, "publish", "false" if now else "true")
    return f"publish {slug} = {not now}"


def edit_settings(repo: Repo, pick: int) -> str:
    key = ("subtitle", "site_description")[pick % 2]
    _replace_line(repo.root / "exhibition.yml", key, f"改过的设置第{repo.next()}版")
    return f"exhibition.yml {key}"


def edit_entrance(repo: Repo, pick: int) -> str:
    """The subtitle is drawn on the site-wide share card: every page without a card of its
    own gets a new og:image though its Markdown is unchanged."""
    _replace_line(repo.root / "exhibition.yml", "subtitle", f"入口的新副标题第{repo.next()}版")
    return "exhibition.yml subtitle"


def move_site(repo: Repo, pick: int) -> str:
    """A new site_url: canonical links, the sitemap, QR codes and share previews change."""
    _replace_line(repo.root / "exhibition.yml", "site_url", f"https://example.org/v{repo.next()}/")
    return "exhibition.yml site_url"


def edit_template(repo: Repo, pick: int) -> str:
    name = ("worker.html", "studio.html")[pick % 2]
    path = repo.pkg / "showcase" / "layouts" / name
    path.write_text(path.read_text("utf-8") + f"\n<!-- 模板改动 {repo.next()} -->\n", "utf-8")
    return f"template {name}"


def edit_chapter(repo: Repo, pick: int) -> str:
    path = repo.root / CHAPTER
    path.write_text(path.read_text("utf-8") + f"\n补充的一段文字，第{repo.next()}段。\n", "utf-8")
    return "chapter"


def nothing(repo: Repo, pick: int) -> str:
    return "nothing"


EDITS: list[Callable[[Repo, int], str]] = [
    change_field,
    add_worker,
    delete_worker,
    rename_studio,
    toggle_publish,
    edit_settings,
    edit_entrance,
    move_site,
    edit_template,
    edit_chapter,
    nothing,
]


# --- comparing sites ------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def assert_same_site(incremental: Path, full: Path) -> None:
    a, b = tree(incremental), tree(full)
    assert sorted(a.keys() - b.keys()) == [], "only in the incremental site"
    assert sorted(b.keys() - a.keys()) == [], "only in the full build"
    differ = sorted(rel for rel in a if a[rel] != b[rel])
    assert differ == [], "files that differ from a clean full build"


# --- the property ---------------------------------------------------------------------------

steps = st.lists(
    st.tuples(st.sampled_from(EDITS), st.integers(min_value=0, max_value=7)),
    min_size=3,
    max_size=5,
)


@settings(
    max_examples=SEQUENCES,
    deadline=None,
    derandomize=True,  # the same sequences on every run
    phases=[Phase.explicit, Phase.generate],  # a failure is shown as drawn: no slow shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=steps)
@example(edits=[(edit, 1) for edit in EDITS])  # every kind of edit at least once
def test_incremental_site_equals_a_full_build(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[Callable[[Repo, int], str], int]]
) -> None:
    repo = Repo(tmp_path_factory.mktemp("incremental"))
    first = repo.site(repo.root)
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(shards(repo.root / "site")) > 3
    done = []
    for edit, pick in edits:
        done.append(edit(repo, pick))
        before = tree(repo.root / "site")
        inc = repo.site(repo.root)
        assert list(repo.root.glob(".site.*")) == [], done  # no folder left beside site/
        full_root = repo.clean_copy()
        full = repo.site(full_root)
        assert inc.returncode == full.returncode, (done, inc.stderr, full.stderr)
        if full.returncode != 0:  # refused alike: the published site stays as it was
            assert tree(repo.root / "site") == before, done
            continue
        if done[-1] == "nothing":
            assert "网站已是最新" in inc.stdout, (done, inc.stdout)
            assert tree(repo.root / "site") == before
        assert_same_site(repo.root / "site", full_root / "site")
        shutil.rmtree(full_root)


def test_no_op_writes_nothing(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    assert repo.site(repo.root).returncode == 0
    (repo.root / "workers" / "xu-huifen" / "profile.yml").touch()  # touched, not changed
    lock = repo.root / "build" / ".lock"  # the build lock records its holder: not output
    before = {p: p.stat().st_mtime_ns for p in repo.root.rglob("*") if p != lock}
    again = repo.site(repo.root)
    assert again.returncode == 0, again.stderr
    assert "网站已是最新" in again.stdout
    after = {p: p.stat().st_mtime_ns for p in repo.root.rglob("*") if p != lock}
    assert after == before


def docs_changed(root: Path) -> tuple[dict[str, Any], set[str]]:
    """The published state, and the build/docs files whose bytes differ from it."""
    state = json.loads((root / STATE_FILE).read_bytes())
    docs = root / "build" / "docs"
    changed = {
        rel
        for rel in (p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
        if state["docs"][rel][3] != hashlib.sha256((docs / rel).read_bytes()).hexdigest()
    }
    return state, changed


def shards(site: Path) -> list[str]:
    return list(json.loads((site / searchindex.MANIFEST).read_bytes())["shards"])


@pytest.mark.parametrize("ahead", [False, True], ids=["linked-in-step", "linked-ahead"])
def test_the_live_site_is_never_written_before_the_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: bool
) -> None:
    """publish() calls verify on each complete fresh folder just before its switch: at that
    moment the live site/ must be byte for byte what it was when the step started, and
    the unchanged pages of the new site are hard links to the published ones; so are the
    search shards that hold no changed page. The same with the links made ahead
    (showcase.prelink), which links the outputs of every docs file, changed or not."""
    monkeypatch.setenv(searchindex.SHARD_PAGES_ENV, SHARD_PAGES)
    repo = Repo(tmp_path)
    root = repo.root
    assert repo.site(root).returncode == 0
    site = root / "site"
    before = tree(site)
    inodes = {rel: (site / rel).stat().st_ino for rel in before}
    change_field(repo, 0)
    assert repo.site(root, command="build").returncode == 0  # build/docs only
    state, changed = docs_changed(root)
    assert "workers/shen-mingfang/index.md" in changed
    seen: list[dict[str, str]] = []
    live = [before]

    def check_live(fresh: Path, only: set[str] | None) -> list[str]:
        assert tree(site) == live[-1], "the live site changed before the switch"
        assert only is not None and only, "an incremental step names its new files"
        seen.append(tree(fresh))
        if len(seen) == 1:  # the pages: a whole site, which the switch publishes
            live.append(seen[-1])
        else:  # the search index: its folder alone, which takes the place of site/pagefind
            assert all(rel.startswith("pagefind/") for rel in seen[-1]), sorted(seen[-1])[:3]
            pages = {r: v for r, v in live[-1].items() if not r.startswith("pagefind/")}
            live.append({**pages, **seen[-1]})
        return []

    begun = prelink.start(site, state) if ahead else None
    assert publishing.publish(root, verify=check_live, changed=changed, prelinked=begun) is None
    assert len(seen) == 2  # the pages, then the search index
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []
    after = tree(site)
    assert after == live[-1]
    rebuilt = sorted(rel for rel in after if before.get(rel) != after[rel])
    assert "workers/shen-mingfang/index.html" in rebuilt
    shared = [rel for rel in after if inodes.get(rel) == (site / rel).stat().st_ino]
    assert "workers/xu-huifen/index.html" in shared
    assert all(before[rel] == after[rel] for rel in shared)
    # search: only the shard holding the changed page was indexed again
    count = searchindex.shard_count(len(searchindex.pages_in(site)))
    edited = searchindex.shard_of("workers/shen-mingfang/index.html", count)
    assert len(shards(site)) > 3 and edited != 0
    index = [rel for rel in after if searchindex.shard_of_file(rel) is not None]
    reindexed = {searchindex.shard_of_file(rel) for rel in index if rel not in shared}
    assert reindexed == {edited}
    assert any(rel not in before for rel in index), "the edited shard has new files"


def test_a_docs_file_mkdocs_writes_anyway_is_never_linked(tmp_path: Path) -> None:
    """A docs file named like what every MkDocs build writes (the theme's 404.html and
    sitemap, the search plugin's index, glightbox's files) was an unchanged docs file:
    linked into the fresh folder, MkDocs wrote its own over it, through the link into the
    live site/. The generator now refuses such a file under content/ (sitefiles.clashes,
    tests/test_pipeline.py); put in build/docs behind its back, it is still never linked."""
    repo = Repo(tmp_path)
    root = repo.root
    assert repo.site(root).returncode == 0
    site = root / "site"
    before = tree(site)
    change_field(repo, 0)
    assert repo.site(root, command="build").returncode == 0  # build/docs only
    state, changed = docs_changed(root)
    names = sorted(WRITTEN_EVERY_BUILD)
    for name in names:
        (root / "build" / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "build" / "docs" / name).write_text("by hand\n", "utf-8")

    def check_live(fresh: Path, only: set[str] | None) -> list[str]:
        if "404.html" in tree(fresh):  # the pages step, not the search index's
            assert tree(site) == before, "the live site changed before the switch"
        return []

    begun = prelink.start(site, state)
    assert publishing.publish(root, verify=check_live, changed=changed, prelinked=begun) is None
    assert all((site / name).read_bytes() != b"by hand\n" for name in names)


@pytest.mark.parametrize("ahead", [False, True], ids=["linked-in-step", "linked-ahead"])
def test_two_docs_files_with_one_output_are_never_linked_over(tmp_path: Path, ahead: bool) -> None:
    """foo.md and foo/index.md both become foo/index.html. When only the second changed,
    the first's output was linked while MkDocs wrote the second's over it: through the
    link into the live site. The generator now refuses such a docs tree (sitefiles.clashes,
    tests/test_pipeline.py); one made behind its back is still a full build."""
    repo = Repo(tmp_path)
    root = repo.root
    assert repo.site(root).returncode == 0
    site = root / "site"
    before = tree(site)
    docs = root / "build" / "docs"
    (docs / "foo.md").write_text("# Foo\n\nfoo page\n", "utf-8")
    (docs / "foo").mkdir()
    (docs / "foo" / "index.md").write_text("# Foo\n\nindex 2\n", "utf-8")
    state = json.loads((root / STATE_FILE).read_bytes())
    changed = {"foo/index.md"}

    def check_live(fresh: Path, only: set[str] | None) -> list[str]:
        assert tree(site) == before, "the live site changed before the switch"
        return []

    begun = prelink.start(site, state) if ahead else None
    try:
        with pytest.raises(OneOutput):  # showcase site then builds it all
            publishing.publish(root, verify=check_live, changed=changed, prelinked=begun)
    finally:
        if begun is not None:
            begun.discard()
        publishing.finish_removals()
    assert tree(site) == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []


def test_a_cached_profile_is_exactly_what_a_fresh_parse_gives(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    fresh = load_all(root, Problems())
    assert load_all(root, Problems(), cache=True, writable=True) == fresh  # fills the cache
    settings = (root / "exhibition.yml").read_bytes()
    cache = ModelCache(root, settings, writable=False)
    rels = [f"workers/{w.slug}/profile.yml" for w in fresh.workers]
    rels += [f"studios/{s.slug}/studio.yml" for s in fresh.studios]
    kinds = [Worker] * len(fresh.workers) + [Studio] * len(fresh.studios)
    assert all(
        cache.get(rel, (root / rel).read_bytes(), cls) is not None
        for rel, cls in zip(rels, kinds, strict=True)
    )
    cached = load_all(root, Problems(), cache=True)  # read back from the cache
    assert cached == fresh
    assert locs(cached) == locs(fresh)  # where each field was written, for messages
    assert ModelCache(root, settings + b"\n# changed\n", writable=False).entries == {}
    profile = root / "workers" / "shen-mingfang" / "profile.yml"
    _replace_line(profile, "summary", "缓存之后改过的简介。")
    again = load_all(root, Problems(), cache=True, writable=True)
    assert again == load_all(root, Problems())
    assert {w.slug: w.summary for w in again.workers}["shen-mingfang"] == "缓存之后改过的简介。"
    bad = Problems()
    profile.write_text(profile.read_text("utf-8") + "unknown_field: 1\n", "utf-8")
    load_all(root, bad, cache=True, writable=True)
    assert bad.errors  # a file with problems is parsed (and reported) every time
    bytes_now = profile.read_bytes()
    assert (
        ModelCache(root, settings, False).get(
            "workers/shen-mingfang/profile.yml", bytes_now, Worker
        )
        is None
    )
    assert b"shen-mingfang" not in (root / CACHE_FILE).read_bytes()  # paths are hashed too


def locs(loaded: Any) -> list[Any]:
    """Every Loc in the loaded model (dataclass equality skips them)."""
    found: list[Any] = []

    def walk(value: Any) -> None:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            found.append(getattr(value, "loc", None))
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk((*loaded.workers, *loaded.studios))
    return [(loc.path, loc.line, loc.col, loc.fields) for loc in found if loc is not None]


class Payload:
    """A pickle that creates a folder when it is loaded: code run from build/."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def test_the_model_cache_runs_no_code_and_trusts_no_tampered_entry(tmp_path: Path) -> None:
    """Whoever can write build/ cannot run code at the next build, nor change the model:
    a pickle (the old format) is never loaded, a garbled entry or file is parsed again,
    and an entry whose values are not of the field's type is refused even with a valid tag."""
    root = copy_sample(tmp_path / "sample")
    fresh = load_all(root, Problems())
    marker = tmp_path / "pwned"
    payload = pickle.dumps(("key", Payload(marker)))
    pickle.loads(payload)  # the payload is live: loading it runs code
    assert marker.is_dir()
    marker.rmdir()
    for name in (CACHE_FILE, LEGACY_FILE):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(payload)
    done = run(root, "build")
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert not (root / LEGACY_FILE).exists()  # the old file is removed
    docs = {p.relative_to(root): p.read_bytes() for p in (root / "build/docs").rglob("*.md")}
    assert load_all(root, Problems(), cache=True, writable=True) == fresh

    # Every entry garbled by one flipped byte (in the tag, then in the JSON): parsed again.
    settings = (root / "exhibition.yml").read_bytes()
    good = (root / CACHE_FILE).read_bytes()
    for spot in (0, -1):
        cache = ModelCache(root, settings, writable=False)
        assert len(cache.entries) == len(fresh.workers) + len(fresh.studios)
        for where, (digest, sealed) in list(cache.entries.items()):
            flipped = bytearray(sealed)
            flipped[spot] ^= 0x01
            cache.entries[where] = (digest, bytes(flipped))
        (root / CACHE_FILE).write_bytes(write_entries(cache.entries, cache.key))
        again = load_all(root, Problems(), cache=True, writable=True)
        assert again == fresh and locs(again) == locs(fresh)
        assert (root / CACHE_FILE).read_bytes() == good  # every entry made again
    for garbage in (good[:-7], good[:40], b"\x80\x04junk", b"[" * 100_000, b""):
        (root / CACHE_FILE).write_bytes(garbage)
        assert load_all(root, Problems(), cache=True, writable=True) == fresh

    # A well-sealed entry (made with the source bytes) whose name is not a string, or whose
    # gender is not one of the allowed words: refused, the profile parsed again.
    rel = f"workers/{fresh.workers[0].slug}/profile.yml"
    data = (root / rel).read_bytes()
    names = [f.name for f in dataclasses.fields(Worker)]
    where = hashlib.sha256(rel.encode()).hexdigest()
    for field, value in (("", None), ("name", 123), ("gender", "其他"), ("honors", "劳模")):
        forged = encode(fresh.workers[0])
        if field:
            forged[names.index(field)] = value
        cache = ModelCache(root, settings, writable=False)
        cache.entries[where] = (cache.entries[where][0], seal(data, forged))
        (root / CACHE_FILE).write_bytes(write_entries(cache.entries, cache.key))
        got = ModelCache(root, settings, writable=False).get(rel, data, Worker)
        assert got == (None if field else fresh.workers[0]), field  # unforged: accepted
        assert load_all(root, Problems(), cache=True, writable=True) == fresh

    (root / CACHE_FILE).write_bytes(payload)
    done = run(root, "build")
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert {
        p.relative_to(root): p.read_bytes() for p in (root / "build/docs").rglob("*.md")
    } == docs


def test_what_the_incremental_path_cannot_prove_falls_back_to_a_full_build(tmp_path: Path) -> None:
    """A link to another page's anchor (MkDocs checks it only on the pages it renders)
    and a deleted page each force a full build, with the reason in one line."""
    repo = Repo(tmp_path)
    (repo.root / "content" / "notes.md").write_text(
        "# 说明\n\n见[资料来源](about.md#资料来源)。\n", "utf-8"
    )
    assert repo.site(repo.root).returncode == 0
    change_field(repo, 0)
    done = repo.site(repo.root)
    assert done.returncode == 0, done.stderr
    assert "完整重建：build/docs/notes.md 链接到别的页面中的位置" in done.stdout
    (repo.root / "content" / "notes.md").unlink()
    done = repo.site(repo.root)
    assert done.returncode == 0, done.stderr
    assert "完整重建：有文件被删除或不再公开：build/docs/notes.md" in done.stdout
    assert not (repo.root / "site" / "notes").exists()
    change_field(repo, 0)
    assert "增量更新" in repo.site(repo.root).stdout


@pytest.mark.parametrize("exchange", [True, False])
@pytest.mark.parametrize("failing", ["scan", "pagefind"])
def test_a_failed_search_step_keeps_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, exchange: bool
) -> None:
    """Step 2 refused (the guard on the new index) or failed (Pagefind): the new pages are
    live, site/pagefind is the previous index, file for file, nothing is left beside or
    inside site/, and the next `showcase site` gives exactly a full build's site."""
    monkeypatch.setenv(searchindex.SHARD_PAGES_ENV, SHARD_PAGES)
    repo = Repo(tmp_path)
    root, site = repo.root, repo.root / "site"
    assert repo.site(root).returncode == 0
    before = tree(site)
    change_field(repo, 0)
    assert repo.site(root, command="build").returncode == 0  # build/docs only
    _, changed = docs_changed(root)
    if not exchange:
        monkeypatch.setattr(publishing, "_RENAMEAT2", None)
    if failing == "pagefind":  # `python -m pagefind` finds this one first, and fails
        fake = tmp_path / "fake" / "pagefind"
        fake.mkdir(parents=True)
        (fake / "__init__.py").write_text("", "utf-8")
        (fake / "__main__.py").write_text("raise SystemExit('Pagefind failed')\n", "utf-8")
        monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    calls: list[set[str] | None] = []

    def scan(fresh: Path, only: set[str] | None) -> list[str]:
        calls.append(only)
        return ["a private value in the index"] if failing == "scan" and len(calls) == 2 else []

    failure = publishing.publish(root, verify=scan, changed=changed, log=lambda _: None)
    assert failure is not None
    # the message says what readers see: the new pages, the previous search
    assert failure.endswith("页面已更新，搜索仍是上一次的。"), failure
    assert "旧网站保持不变" not in failure, failure
    after = tree(site)
    index = {r: v for r, v in before.items() if r.startswith("pagefind/")}
    assert {r: v for r, v in after.items() if r.startswith("pagefind/")} == index
    assert after["workers/shen-mingfang/index.html"] != before["workers/shen-mingfang/index.html"]
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []
    assert not [p for p in site.rglob("*") if p.name.startswith(".site.")]
    monkeypatch.delenv("PYTHONPATH", raising=False)
    again = repo.site(root)
    assert again.returncode == 0, again.stderr
    full_root = repo.clean_copy()
    assert repo.site(full_root).returncode == 0
    assert_same_site(site, full_root / "site")


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_search_index_changed_by_hand_is_never_trusted(tmp_path: Path, how: str) -> None:
    """site/pagefind deleted, or replaced by an older index, by hand (site/ itself stays the
    same folder): the next `showcase site` is no no-op and publishes a whole index again."""
    repo = Repo(tmp_path)
    root, site = repo.root, repo.root / "site"
    assert repo.site(root).returncode == 0
    older = tmp_path / "older-index"
    shutil.copytree(site / "pagefind", older)
    change_field(repo, 0)
    assert repo.site(root).returncode == 0
    shutil.rmtree(site / "pagefind")
    if how == "replaced":
        older.rename(site / "pagefind")
    again = repo.site(root)
    assert again.returncode == 0, again.stderr
    assert "网站已是最新" not in again.stdout, again.stdout
    full_root = repo.clean_copy()
    assert repo.site(full_root).returncode == 0
    assert_same_site(site, full_root / "site")


def test_links_made_ahead_take_only_plain_relative_paths_from_the_state() -> None:
    # build/publish-state.json names the docs files whose outputs are linked ahead; a path
    # with `.`, `..` or an empty part is left out (a folder of site/ replaced by a symlink
    # by hand could lead such a path outside the fresh folder)
    assert prelink.normal("workers/a/index.md") and prelink.normal("index.md")
    for odd in ("../x.md", "a/../../b.md", "/etc/passwd", "a//b.md", "./a.md", "a/.", ""):
        assert not prelink.normal(odd), odd


def test_the_environment_s_hash_follows_every_install_upgrade_and_reinstall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """incremental.env_hash: a package upgraded (its metadata folder's name holds the
    version) or reinstalled at the same version (a new folder) means a full build."""
    from showcase.incremental import env_hash

    monkeypatch.syspath_prepend(str(tmp_path))
    seen = []
    for step in ("none", "install", "upgrade", "reinstall"):
        env_hash.cache_clear()
        if step == "install":
            (tmp_path / "fakepkg-1.0.dist-info").mkdir()
        elif step == "upgrade":
            (tmp_path / "fakepkg-1.0.dist-info").rename(tmp_path / "fakepkg-1.1.dist-info")
        elif step == "reinstall":
            shutil.rmtree(tmp_path / "fakepkg-1.1.dist-info")
            (tmp_path / "placeholder").mkdir()  # the next folder gets another inode
            (tmp_path / "fakepkg-1.1.dist-info").mkdir()
            os.utime(tmp_path / "fakepkg-1.1.dist-info", ns=(1, 1))
        seen.append(env_hash())
    env_hash.cache_clear()
    assert len(set(seen)) == 4, seen
    assert env_hash() == seen[-1]  # the same environment, the same hash
    env_hash.cache_clear()


def publish_again(repo: Repo, says: str) -> None:
    """`showcase site` again on the repo: it says `says` (a full build and why), or, with
    "", it builds incrementally; either way the site is a clean full build's, byte for byte."""
    again = repo.site(repo.root)
    assert again.returncode == 0, again.stdout + again.stderr
    if says:
        assert says in again.stdout, again.stdout
    else:
        assert "完整重建" not in again.stdout, again.stdout
    full_root = repo.clean_copy()
    assert repo.site(full_root).returncode == 0
    assert_same_site(repo.root / "site", full_root / "site")


def test_a_nav_entry_without_a_title_makes_every_publish_a_full_one(tmp_path: Path) -> None:
    """MkDocs takes an untitled nav entry's title (`- guide.md`) from its Markdown, which a
    dirty build reads only for the pages it renders: an incremental publish showed the
    entry without its title in the navigation of every page it rebuilt."""
    repo = Repo(tmp_path)
    root = repo.root
    (root / "content" / "guide.md").write_text("# 参观指南\n\n展厅开放时间。\n", "utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "  - 关于: about.md\n", "  - 关于: about.md\n  - guide.md\n"
    )
    config.write_text(text, "utf-8")
    assert repo.site(root).returncode == 0
    change_field(repo, 0)
    publish_again(repo, says="完整重建：mkdocs.yml 的导航里 guide.md 没有写标题")


def test_a_nav_page_s_front_matter_changed_makes_a_full_publish(tmp_path: Path) -> None:
    """Material shows a nav page's `icon`, `subtitle` and `status` (its front matter) in
    the navigation of every page: rebuilding only that page left every other page's nav
    as it was."""
    repo = Repo(tmp_path)
    root = repo.root
    assert repo.site(root).returncode == 0
    about = root / "content" / "about.md"
    front = "---\nicon: material/information\nsubtitle: 协会简介\n---\n\n"
    about.write_text(front + about.read_text("utf-8"), "utf-8")
    publish_again(repo, says="完整重建：build/docs/about.md 的页面开头设置变了")
    # the body alone changed: the nav is the same, the publish incremental again
    about.write_text(about.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    publish_again(repo, says="")


def with_tags(root: Path) -> None:
    """Material's tags plugin on, a page listing every tag, and tagged pages outside the
    nav (the split renders some of them in each process)."""
    (root / "content" / "tags.md").write_text("# 标签\n\n<!-- material/tags -->\n", "utf-8")
    for name in ("aa", "zy", "zz"):
        page = f"---\ntags:\n  - 标签{name}\n---\n\n# 笔记{name}\n"
        (root / "content" / f"{name}-notes.md").write_text(page, "utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace("plugins:\n", "plugins:\n  - tags\n")
    config.write_text(
        text.replace("  - 关于: about.md\n", "  - 关于: about.md\n  - 标签: tags.md\n")
    )


def test_a_plugin_that_gathers_from_every_page_makes_every_publish_a_full_one(
    tmp_path: Path,
) -> None:
    """Material's tags plugin lists every page's tags on one page: rebuilding only the
    page whose tags changed left that list as it was."""
    repo = Repo(tmp_path)
    root = repo.root
    with_tags(root)
    assert repo.site(root).returncode == 0
    page = root / "content" / "zz-notes.md"
    page.write_text(page.read_text("utf-8").replace("标签zz", "新标签"), "utf-8")
    publish_again(repo, says="完整重建：mkdocs.yml 用了插件 tags")
