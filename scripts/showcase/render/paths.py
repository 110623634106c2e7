"""Where generated pages live, and relative links between them."""

from __future__ import annotations

import posixpath


def worker_page(slug: str) -> str:
    return f"workers/{slug}/index.md"


def studio_page(slug: str) -> str:
    return f"studios/{slug}/index.md"


def rel(from_page: str, to: str) -> str:
    """Relative link between two docs files (MkDocs validates and rewrites Markdown links)."""
    return posixpath.relpath(to, posixpath.dirname(from_page) or ".")
