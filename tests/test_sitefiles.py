"""sitefiles: MkDocs' own rule for where a docs file goes in the site, the clashes, and what
every MkDocs build writes itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File

from showcase.publish import files_under, mkdocs_env
from showcase.sitefiles import (
    MKDOCS,
    PAGE_SUFFIXES,
    PAGEFIND,
    WRITTEN_EVERY_BUILD,
    clashes,
    dest,
    dest_of,
)

PART = st.sampled_from(["index", "README", "readme", "foo", "a.b", "中文", ".x", "x.", ""])
SUFFIX = st.sampled_from([*PAGE_SUFFIXES, ".MD", ".html", ".htm", ".jpg", ".md.txt", ""])
URI = st.builds(
    lambda folders, name, suffix: "/".join([*folders, name + suffix]),
    st.lists(st.sampled_from(["a", "foo", "index", "README.md", "x.y"]), max_size=3),
    PART,
    SUFFIX,
).filter(lambda uri: not uri.endswith("/") and uri.rpartition("/")[2] != "")


@given(URI, st.booleans())
def test_dest_is_what_mkdocs_says(uri: str, directory_urls: bool) -> None:
    assert dest(uri, directory_urls) == File(uri, None, "", directory_urls).dest_uri


def test_clashes_name_each_site_file_made_twice_and_what_mkdocs_writes_itself() -> None:
    uris = ["foo.md", "foo/index.md", "guide.md", "guide.html", "404.html", "a.md", "a.md"]
    assert clashes(uris) == [
        ("404.html", [4], MKDOCS),
        ("a.html", [5, 6], ""),  # the same path twice
        ("a/index.html", [5, 6], ""),
        ("foo/index.html", [0, 1], ""),
        ("guide.html", [2, 3], ""),  # the kiosk's tree (no directory URLs)
    ]
    assert clashes(["foo.md", "bar/index.md", "bar.html"]) == []
    assert dest_of(["foo.md", *WRITTEN_EVERY_BUILD]) == {"foo/index.html"}


def test_clashes_name_a_path_one_needs_as_a_file_and_another_as_a_folder() -> None:
    """`guide` (a file) beside `guide.md` (guide/index.html): MkDocs fails on the folder;
    `feed.xml/x.md` beside a file feed.xml: the docs tree cannot hold both."""
    assert clashes(["guide", "guide.md"]) == [("guide/", [0, 1], "")]
    assert clashes(["feed.xml", "feed.xml/x.md"]) == [("feed.xml/", [0, 1], "")]
    assert clashes(["a/b/c.png", "a"]) == [("a/", [0, 1], "")]
    assert clashes(["search"]) == [("search/", [0], MKDOCS)]  # MkDocs writes search/...
    assert clashes(["guide.md", "guide/x.png", "a/b.md", "a/b/c.md"]) == []


def test_clashes_name_every_file_in_pagefinds_folder() -> None:
    """Pagefind writes pagefind/ after MkDocs (its file names change with its version)."""
    assert clashes(["pagefind/pagefind.js", "pagefind/note.txt", "pagefind.md"]) == [
        ("pagefind/index.html", [2], PAGEFIND),  # the web site's page; the kiosk's is
        ("pagefind/note.txt", [1], PAGEFIND),  # pagefind.html, beside the folder
        ("pagefind/pagefind.js", [0], PAGEFIND),
    ]
    assert clashes(["pagefind"]) == [("pagefind/", [0], PAGEFIND)]


def test_written_every_build_is_what_a_build_of_no_page_writes_besides_theme_files(
    sample_site: Path, tmp_path: Path
) -> None:
    """WRITTEN_EVERY_BUILD against the installed MkDocs, theme and plugins: a dirty build
    of the built sample in which no docs file changed (showcase.mkdocsrun, as an
    incremental publish runs it) writes, into an empty folder, the theme's files (which a
    docs file of the same name would replace, so they never clash) and exactly these."""
    changed, out = tmp_path / "changed.json", tmp_path / "out"
    changed.write_text("[]", "utf-8")
    cmd = [sys.executable, "-m", "showcase.mkdocsrun", str(changed)]
    done = subprocess.run(
        [*cmd, "build", "--strict", "--dirty", "-d", str(out)],
        cwd=sample_site,
        env=mkdocs_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    config = load_config(str(sample_site / "mkdocs.yml"))
    theme = config.theme
    written = files_under(out)
    copied = {
        rel
        for rel in written
        if rel not in theme.static_templates and any(Path(d, rel).is_file() for d in theme.dirs)
    }
    assert copied  # the theme's stylesheets and scripts
    assert written - copied == WRITTEN_EVERY_BUILD
