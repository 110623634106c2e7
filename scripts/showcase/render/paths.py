"""Where generated pages live, and the relative URLs between them.

Pages are docs files (`workers/x/index.md`); with MkDocs' directory URLs each is served at
a folder (`workers/x/`). Links are written as final relative URLs, because the page body is
raw HTML that MkDocs does not rewrite.
"""

from __future__ import annotations


def worker_page(slug: str) -> str:
    return f"workers/{slug}/index.md"


def studio_page(slug: str) -> str:
    return f"studios/{slug}/index.md"


def rel(from_page: str, to: str) -> str:
    """Relative link between two docs files (MkDocs validates and rewrites Markdown links).

    Both paths are clean and relative to docs/, so this is posixpath.relpath without its
    cost (thousands of calls per build)."""
    here = from_page.split("/")[:-1]
    there = to.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def url_of(page: str) -> str:
    """The site URL (relative to the site root) a docs file is served at."""
    if page == "index.md" or page.endswith("/index.md"):
        return page[: -len("index.md")]
    if page.endswith(".md"):
        return page[: -len(".md")] + "/"
    return page


def absolute_url(site_url: str, target: str) -> str:
    """The full address of a docs file or site file, for QR codes, share previews, feeds and
    open data (`site_url` from exhibition.yml ends with /)."""
    return site_url + url_of(target)


class Urls:
    """Relative URLs from one page: to other pages (docs paths) and to files."""

    def __init__(self, here: str) -> None:
        self.here = here
        self._base = url_of(here) + "index.html"  # a file inside the page's folder

    def page(self, target: str) -> str:
        return rel(self._base, url_of(target)) or "./"

    def file(self, target: str) -> str:
        return rel(self._base, target)
