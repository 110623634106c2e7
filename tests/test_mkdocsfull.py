"""A full build split over two MkDocs processes (showcase.mkdocsfull) is the single build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from showcase.mkdocsfull import SPLIT_PAGES_ENV, halves
from showcase.sitefiles import dest
from test_incremental import assert_same_site, with_tags

from conftest import copy_sample


def showcase(root: Path, command: str, split_pages: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", SPLIT_PAGES_ENV: str(split_pages)}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), command]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_split_full_build_is_the_single_build_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    single, split = copy_sample(tmp_path / "single"), copy_sample(tmp_path / "split")
    showcase(single, "site", 10**6)
    showcase(split, "site", 2)
    monkeypatch.setenv(SPLIT_PAGES_ENV, "2")
    parts = halves(split)  # what that build did with the same build/docs
    assert parts is not None and len(parts[1]) > 10
    assert_same_site(split / "site", single / "site")
    leftovers = [p.name for p in split.iterdir() if p.name.startswith(".site.")]
    assert leftovers == [] and not list((split / "build").glob(".full-*"))


def test_a_link_to_another_page_s_anchor_keeps_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs checks `other.md#anchor` only against the pages the same process renders:
    split, a broken anchor would pass."""
    root = copy_sample(tmp_path / "sample")
    showcase(root, "build", 2)
    monkeypatch.setenv(SPLIT_PAGES_ENV, "2")
    assert halves(root) is not None
    about = root / "content" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n见[首页](index.md#nowhere)。\n", "utf-8")
    showcase(root, "build", 2)
    assert halves(root) is None


def test_a_nav_entry_without_a_title_keeps_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its title comes from its Markdown, read only by the process that renders it: the
    other process's pages showed the nav entry without it."""
    root = copy_sample(tmp_path / "sample")
    (root / "content" / "guide.md").write_text("# 参观指南\n\n展厅开放时间。\n", "utf-8")
    showcase(root, "build", 2)
    monkeypatch.setenv(SPLIT_PAGES_ENV, "2")
    assert halves(root) is not None
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "  - 关于: about.md\n", "  - 关于: about.md\n  - guide.md\n"
    )
    config.write_text(text, "utf-8")
    assert halves(root) is None


def test_a_nav_page_s_front_matter_shows_in_every_page_s_nav_when_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Material shows a nav page's `icon`, `subtitle` and `status` (its front matter) in
    the navigation of every page: a process that does not render that page still shows
    them."""
    single, split = copy_sample(tmp_path / "single"), copy_sample(tmp_path / "split")
    for root in (single, split):
        about = root / "content" / "about.md"
        front = "---\nicon: material/information\nsubtitle: 协会简介\nstatus: new\n---\n\n"
        about.write_text(front + about.read_text("utf-8"), "utf-8")
    showcase(single, "site", 10**6)
    showcase(split, "site", 2)
    monkeypatch.setenv(SPLIT_PAGES_ENV, "2")
    parts = halves(split)
    assert parts is not None and "about.md" not in parts[1]  # others render it in the second
    assert "协会简介" in (split / "site" / dest(parts[1][0])).read_text("utf-8")
    assert_same_site(split / "site", single / "site")


def test_a_plugin_that_gathers_from_every_page_keeps_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Material's tags plugin lists every page's tags on one page: split, that page listed
    only the tags of the pages its own process rendered."""
    single, split = copy_sample(tmp_path / "single"), copy_sample(tmp_path / "split")
    for root in (single, split):
        with_tags(root)
    showcase(single, "site", 10**6)
    showcase(split, "site", 2)
    assert_same_site(split / "site", single / "site")
    monkeypatch.setenv(SPLIT_PAGES_ENV, "2")
    assert halves(split) is None
