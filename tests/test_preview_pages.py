"""Preview-only pages: `publish: false` books, chapters and halls in the drafts preview
(bannered, never in site/), and the page of a broken new profile under `serve`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from showcase.build import build
from showcase.privacy import folder_outputs, texts_of
from test_preview import PROBLEMS_TITLE, poll

from conftest import FIXTURES, Visit, copy_tree, free_port, run

DRAFT_BANNER = "草稿 · 未公开"
DRAFT_BOOK = """\
title: 未出版的草稿书
compiler: 示例市劳模协会
description: |
  还在编的一本书。
publish: false
"""
CHAPTER = """\
---
title: {title}
writer: 示例作家甲
workers: [hidden-bing]
{publish}---

{title}的正文。
"""
DRAFT_HALL = """\
title: 草稿展厅
order: 3
items:
  - worker: hidden-bing
  - studio: hidden-studio
  - chapter: sample-book/d-draft
  - chapter: draft-book/01-first
publish: false
"""
# Words only the drafts hold: none of them may reach the published site.
TRACES = (
    DRAFT_BANNER,
    "未出版的草稿书",
    "草稿里的一章",
    "草稿书的第一章",
    "草稿展厅",
    "隐藏劳模丙",
    "隐藏工作室",
    "draft-book",
    "d-draft",
    "draft-hall",
    "hidden-bing",
)


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    """books-mini and halls-mini, with a draft chapter in the published book, a draft book
    with a chapter that is published in itself, and a draft hall showing only drafts."""
    root = copy_tree(FIXTURES / "books-mini", tmp_path / "drafts")
    shutil.copytree(FIXTURES / "halls-mini", root, dirs_exist_ok=True)
    books = root / "content/books"
    chapter = CHAPTER.format(title="草稿里的一章", publish="publish: false\n")
    (books / "sample-book/d-draft.md").write_text(chapter, "utf-8")
    (books / "draft-book").mkdir()
    (books / "draft-book/book.yml").write_text(DRAFT_BOOK, "utf-8")
    chapter = CHAPTER.format(title="草稿书的第一章", publish="")
    (books / "draft-book/01-first.md").write_text(chapter, "utf-8")
    (root / "content/halls/draft-hall/hall.yml").write_text(DRAFT_HALL, "utf-8")
    return root


def site_texts(folder: Path) -> dict[str, str]:
    """What a reader can get from each file of a built site: pages, JSON, Pagefind's
    compressed index and fragments, EPUB members (privacy.texts_of decodes them)."""
    texts: dict[str, list[str]] = {}
    for name, data in folder_outputs(folder):
        for inner, text in texts_of(name, data):
            texts.setdefault(inner, []).append(text)
    return {name: "\n".join(parts) for name, parts in texts.items()}


def test_drafts_may_show_drafts_but_published_pages_may_not(drafts: Path) -> None:
    check = run(drafts, "check")
    assert check.returncode == 0, check.stderr
    # a published hall or chapter naming a draft is still an error, located
    second = drafts / "content/halls/second-hall/hall.yml"
    second.write_text(second.read_text("utf-8") + "  - chapter: draft-book/01-first\n", "utf-8")
    autumn = drafts / "content/books/sample-book/c-autumn.md"
    autumn.write_text(autumn.read_text("utf-8").replace("[shi-li-yi]", "[hidden-bing]"), "utf-8")
    check = run(drafts, "check")
    assert check.returncode == 1
    assert "second-hall/hall.yml:9:" in check.stderr, check.stderr
    assert "文章「draft-book/01-first」没有公开" in check.stderr
    assert "c-autumn.md:4:" in check.stderr and "劳模「hidden-bing」的档案没有公开" in check.stderr


def test_drafts_preview_banners_books_chapters_and_halls(drafts: Path) -> None:
    result = build(drafts, drafts=True)
    assert not result.problems, result.problems.report()
    docs = drafts / "build/docs"

    def page(path: str) -> str:
        return (docs / path / "index.md").read_text("utf-8")

    assert DRAFT_BANNER in page("books/draft-book") and "未出版的草稿书" in page("books/draft-book")
    in_draft_book = page("books/draft-book/01-first")
    assert DRAFT_BANNER in in_draft_book and "这篇文章所在的书写着" in in_draft_book
    own = page("books/sample-book/d-draft")
    assert DRAFT_BANNER in own and "这篇文章写着" in own and "草稿里的一章" in own
    hall = page("halls/draft-hall")
    assert DRAFT_BANNER in hall and "这个展厅写着" in hall
    for title in ("隐藏劳模丙", "隐藏工作室", "草稿里的一章", "草稿书的第一章"):
        assert title in hall, title  # the draft hall links the drafts it shows
    for published in ("books/sample-book", "books/sample-book/a-summer", "halls/first-hall"):
        assert DRAFT_BANNER not in page(published), published
    assert "草稿里的一章" in page("books/sample-book")  # listed in the book's contents


def test_site_after_a_drafts_preview_has_no_trace_of_drafts(drafts: Path) -> None:
    assert not build(drafts, drafts=True).problems
    site = run(drafts, "site")
    assert site.returncode == 0, site.stderr
    texts = site_texts(drafts / "site")
    search = "".join(t for name, t in texts.items() if name.startswith("pagefind/fragment/"))
    assert "示例文集" in search and "第二展厅" in search  # the search index was read
    text = "\n".join(texts.values())
    for trace in TRACES:
        assert trace not in text, trace
    assert not list((drafts / "site").rglob("*draft*"))


NEW = "workers/wang-wu/profile.yml"
NEW_PROFILE = """\
name: 王五
employer: 示例电力公司
honors:
  - {title: 市五一劳动奖章, year: 2019}
sources:
  - {title: 示例报道, publisher: 示例日报}
publish: true
"""


def test_serve_shows_a_new_broken_profile_s_problems_then_its_page(
    mini: Path, browser: object
) -> None:
    """The page of a new profile with an error was never built: instead of a bare 404 the
    preview says why, lists every problem located, and shows the page once fixed."""
    assert run(mini, "build").returncode == 0
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}/workers/wang-wu/"
    with (mini / "serve.log").open("wb") as out:
        server = subprocess.Popen(cmd, cwd=mini, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            poll(f"http://127.0.0.1:{port}/workers/zhang-san/", lambda t: "张三" in t, "preview")
            (mini / NEW).parent.mkdir()
            (mini / NEW).write_text(NEW_PROFILE + "nmae: 错字\n", "utf-8")
            visit = Visit(browser)
            deadline = time.monotonic() + 120
            while PROBLEMS_TITLE not in visit.open(url).page.inner_text("body"):
                assert time.monotonic() < deadline, visit.page.inner_text("body")
                time.sleep(1)
            text = visit.page.inner_text(".md-content")
            assert "这一页还没有生成" in text and "找不到这个页面" not in text, text
            assert f"{NEW}:8:1: nmae: 未知的字段「nmae」" in text, text
            # the page's own 404 (and the script's polls of it) are the only failures
            assert len([r for r in visit.requests if r.endswith(".css")]) >= 2
            assert not [e for e in visit.errors if "404 (Not Found)" not in e], visit.errors
            # fixed: the same tab shows the new page by itself
            (mini / NEW).write_text(NEW_PROFILE, "utf-8")
            visit.page.wait_for_selector("h1:has-text('王五')", timeout=120_000)
            assert PROBLEMS_TITLE not in visit.page.inner_text("body")
            visit.page.close()
        finally:
            server.kill()
            server.wait(timeout=30)
    assert run(mini, "site").returncode == 0
    assert "这一页还没有生成" not in (mini / "site/404.html").read_text("utf-8")
