"""Where generated pages live, and relative links between them."""

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
