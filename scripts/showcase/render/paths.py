"""Where generated pages live, and the relative URLs between them.

Pages are docs files (`workers/x/index.md`); with MkDocs' directory URLs each is served at
a folder (`workers/x/`). Links are written as final relative URLs, because the page body is
raw HTML that MkDocs does not rewrite.

The offline kiosk (`showcase kiosk`, opened from file://) is built with
`use_directory_urls: false`: there every page is served at its own file
(`workers/x/index.html`, `honors/by-year.html`) and links must name that file, since a
browser shows a folder listing for `workers/x/` from a disk. `file_urls()` renders in that
mode; absolute URLs (QR codes, share previews, feeds) always name the published site's
directory URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_FILE_URLS: ContextVar[bool] = ContextVar("file_urls", default=False)


@contextmanager
def file_urls() -> Iterator[None]:
    """Within: Urls link pages by their files (the kiosk's `use_directory_urls: false`)."""
    token = _FILE_URLS.set(True)
    try:
        yield
    finally:
        _FILE_URLS.reset(token)


def for_the_kiosk() -> bool:
    """Rendering the offline kiosk's tree (inside file_urls())."""
    return _FILE_URLS.get()


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


def file_of(page: str) -> str:
    """The file a docs file is served at with `use_directory_urls: false`."""
    return page[: -len(".md")] + ".html" if page.endswith(".md") else page


def absolute_url(site_url: str, target: str) -> str:
    """The full address of a docs file or site file, for QR codes, share previews, feeds and
    open data (`site_url` from exhibition.yml ends with /)."""
    return site_url + url_of(target)


class Urls:
    """Relative URLs from one page: to other pages (docs paths) and to files."""

    def __init__(self, here: str) -> None:
        self.here = here
        self._files = _FILE_URLS.get()
        # a file inside the page's folder, or with file URLs the page's own file
        self._base = file_of(here) if self._files else url_of(here) + "index.html"

    def page(self, target: str) -> str:
        if self._files:
            return rel(self._base, file_of(target))
        return rel(self._base, url_of(target)) or "./"

    def file(self, target: str) -> str:
        return rel(self._base, target)
