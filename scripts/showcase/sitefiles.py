"""Where MkDocs puts each file of the docs tree in the built site, and what it writes itself.

One rule for two users: the generator refuses two outputs that become one site file (a
hand-written `content/foo.md` beside `content/foo/index.md`, or beside a generated page,
or named like a file MkDocs writes on every build: the site would silently keep only one
of them), and the incremental publish links the outputs of unchanged docs files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence

# MkDocs' own test for a documentation page (mkdocs.utils.markdown_extensions, by case)
PAGE_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")

# What every MkDocs build writes, dirty or not, whatever build/docs holds: the theme's
# static templates (404.html, sitemap.xml and its gzip), the search plugin's index and
# glightbox's bundled files. A docs file of that name is overwritten by them.
WRITTEN_EVERY_BUILD = frozenset(
    {
        "404.html",
        "sitemap.xml",
        "sitemap.xml.gz",
        "search/search_index.json",
        "assets/stylesheets/glightbox.min.css",
        "assets/javascripts/glightbox.min.js",
    }
)


def dest(uri: str, directory_urls: bool = True) -> str:
    """The site file MkDocs makes of the docs file `uri`: `foo.md` and `foo/index.md` are
    both `foo/index.html` with directory URLs (the web site), `foo.html` and
    `foo/index.html` without (the kiosk); `README.md` counts as `index.md`; any other file
    keeps its path. MkDocs' own rule (`File.dest_uri`, 7 µs a page: 0.15 s a run at 5,000
    workers), written out here; tests/test_sitefiles.py holds it to MkDocs' answers."""
    if not uri.endswith(PAGE_SUFFIXES):
        return uri
    parent, _, filename = uri.rpartition("/")
    name = posixpath.splitext(filename)[0]
    name = "index" if name == "README" else name
    folder = parent + "/" if parent else ""
    if not directory_urls or name == "index":
        return f"{folder}{name}.html"
    return f"{folder}{name}/index.html"


def dest_of(uris: Iterable[str]) -> set[str]:
    """The web site's files made of these docs files, leaving out what MkDocs writes on
    every build (never linked by an incremental publish, always written anew)."""
    return {dest(uri) for uri in uris} - WRITTEN_EVERY_BUILD


def clashes(uris: Sequence[str]) -> list[tuple[str, list[int]]]:
    """Each site file that two or more docs files would become (the same path twice
    included), or that a docs file and MkDocs itself would write, in the web site or the
    kiosk's file:// tree: (site file, the positions of those docs files in `uris`). A
    site file keeps only one of them."""
    makers: dict[str, set[int]] = {}
    for i, uri in enumerate(uris):
        for directory_urls in (True, False):
            makers.setdefault(dest(uri, directory_urls), set()).add(i)
    return sorted(
        (site, sorted(which))
        for site, which in makers.items()
        if len(which) > 1 or site in WRITTEN_EVERY_BUILD
    )
