"""The exit from MkDocs 1.x stays open: ProperDocs (a maintained fork of MkDocs 1.6) builds
the same site from the same mkdocs.yml and the same build/docs tree.

ProperDocs installs as its own package and module (`properdocs`, pinned in the `test` extra)
beside mkdocs 1.6.1 in one virtual environment; when it runs, it answers `mkdocs.*` imports
itself, so Material, mkdocs-glightbox and the hook load unchanged. It looks for
properdocs.yml before mkdocs.yml, so the config is named with `-f`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import copy_sample, run

# The one legitimate difference: the generator meta tag names the tool and its version.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
PAGES = ("index.html", "workers/yao-hongfei/index.html", "studios/yao-hongfei-studio/index.html")


def build_with(tool: str, root: Path, out: Path, config: str = "mkdocs.yml") -> str:
    """`python -m <tool> build --strict` into `out`; its output on failure, else ""."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", tool, "build", "--strict", "-f", config, "-d", str(out)]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    return "" if done.returncode == 0 else f"exit {done.returncode}\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def docs_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample exhibition generated into build/docs of a temp root (no site yet)."""
    assert importlib.util.find_spec("properdocs"), "make test installs properdocs (test extra)"
    root = copy_sample(tmp_path_factory.mktemp("properdocs"))
    result = run(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="module")
def both(docs_root: Path) -> tuple[Path, Path]:
    mk, pd = docs_root / "out-mkdocs", docs_root / "out-properdocs"
    assert not (problem := build_with("mkdocs", docs_root, mk)), problem
    assert not (problem := build_with("properdocs", docs_root, pd)), problem
    return mk, pd


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def main_and_title(page: Path) -> tuple[str, str]:
    """The article's inner HTML (whitespace runs collapsed) and the <title> text."""
    tree = lxml_html.fromstring(page.read_bytes())
    (article,) = tree.xpath('//article[contains(concat(" ", @class, " "), " md-content__inner ")]')
    inner = (article.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in article
    )
    (title,) = tree.xpath("//title/text()")
    return re.sub(r"\s+", " ", inner).strip(), title


def test_same_pages(both: tuple[Path, Path]) -> None:
    mk, pd = both
    pages = html_pages(mk)
    assert set(PAGES) <= pages
    assert html_pages(pd) == pages


@pytest.mark.parametrize("page", PAGES)
def test_same_main_content_and_title(both: tuple[Path, Path], page: str) -> None:
    mk, pd = both
    mk_main, mk_title = main_and_title(mk / page)
    pd_main, pd_title = main_and_title(pd / page)
    assert pd_title == mk_title
    assert "姚红飞" in mk_main or page == "index.html"
    assert pd_main == mk_main


def test_hook_and_plugins_load(both: tuple[Path, Path]) -> None:
    """The hook names the site from exhibition.yml; glightbox and Material's search run."""
    _, pd = both
    home = (pd / "index.html").read_text("utf-8")
    assert '<meta name="description" content="以图片和文字展示' in home
    assert "glightbox.min.js" in (pd / "workers/yao-hongfei/index.html").read_text("utf-8")
    index = json.loads((pd / "search/search_index.json").read_text("utf-8"))
    assert "\u200b" in index["docs"][0]["text"]  # Material's search segmented with jieba


def test_whole_site_identical_but_the_generator_tag(both: tuple[Path, Path]) -> None:
    """Every file, assets and search index included, byte for byte; only the generator
    meta tag (`mkdocs-1.6.1` vs `mkdocs-ProperDocs 1.6.7`) is blanked out."""
    mk, pd = both
    files = {p.relative_to(mk) for p in mk.rglob("*") if p.is_file()}
    assert {p.relative_to(pd) for p in pd.rglob("*") if p.is_file()} == files
    differ = [
        str(rel)
        for rel in sorted(files)
        if GENERATOR.sub(b"", (mk / rel).read_bytes())
        != GENERATOR.sub(b"", (pd / rel).read_bytes())
    ]
    assert differ == []


def test_strict_still_fails_on_a_warning(docs_root: Path) -> None:
    """ProperDocs' --strict counts warnings from the `mkdocs.*` loggers too: a broken link
    in a copy of the docs aborts the build."""
    broken = docs_root / "build" / "broken-docs"
    shutil.copytree(docs_root / "build" / "docs", broken)
    with (broken / "about.md").open("a", encoding="utf-8") as f:
        f.write("\n[断开的链接](no-such-page.md)\n")
    config = (docs_root / "mkdocs.yml").read_text("utf-8")
    (docs_root / "broken.yml").write_text(
        config.replace("docs_dir: build/docs", "docs_dir: build/broken-docs"), "utf-8"
    )
    problem = build_with("properdocs", docs_root, docs_root / "out-broken", "broken.yml")
    assert "no-such-page.md" in problem and "strict mode" in problem
