"""The fast relative-link helper agrees with posixpath.relpath on docs paths, and page links
lead where MkDocs serves the page, with directory URLs and in the kiosk's file mode."""

from __future__ import annotations

import posixpath
from contextlib import nullcontext

from hypothesis import given
from hypothesis import strategies as st

from showcase.render.paths import Urls, file_urls, rel, url_of

segment = st.sampled_from(["workers", "studios", "a", "b", "index", "books", "x"])
doc_path = st.lists(segment, min_size=0, max_size=3).map(
    lambda parts: "/".join([*parts, "index.md"])
)
file_path = st.lists(segment, min_size=0, max_size=3).map(lambda parts: "/".join([*parts, "p.jpg"]))


@given(doc_path, st.one_of(doc_path, file_path))
def test_rel_matches_relpath(here: str, target: str) -> None:
    assert rel(here, target) == posixpath.relpath(target, posixpath.dirname(here) or ".")


def served(page: str, files: bool) -> str:
    """Where MkDocs serves a docs file, with or without directory URLs."""
    if files:
        return page[: -len(".md")] + ".html"
    return url_of(page) + "index.html"


md_path = st.lists(segment, min_size=0, max_size=3).flatmap(
    lambda parts: st.sampled_from(["index.md", "p.md"]).map(lambda name: "/".join([*parts, name]))
)


@given(md_path, md_path, st.booleans())
def test_page_links_resolve_to_the_served_file(here: str, target: str, files: bool) -> None:
    """From the file a page is served at, its link to another page leads to where that page
    is served: a folder with directory URLs, the page's own file in the kiosk's mode."""
    with file_urls() if files else nullcontext():
        link = Urls(here).page(target)
    base = posixpath.dirname(served(here, files))
    resolved = posixpath.normpath(posixpath.join(base, link))
    if files:
        assert resolved == served(target, files)
    else:
        assert posixpath.join(resolved, "index.html").removeprefix("./") == served(target, False)
