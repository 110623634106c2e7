"""Artifacts: every output file, with the bytes it should hold or the file it copies."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Artifact:
    path: str  # relative to the output folder, POSIX
    data: bytes | None = None
    source: Path | None = None  # copied byte for byte

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()


def page(
    path: str, markdown: str, title: str | None = None, boost: float | None = None
) -> Artifact:
    """A Markdown page. A title from data goes into front matter HTML-escaped, because
    MkDocs themes print `page.title` unescaped (into <title> and the search index).
    `boost` ranks the page in Material's search (entity pages above the indexes)."""
    meta = []
    if title is not None:
        meta.append(f"title: {json.dumps(html.escape(title, quote=True), ensure_ascii=True)}")
    if boost is not None:
        meta.append(f"search:\n  boost: {boost}")
    if meta:
        markdown = "---\n" + "\n".join(meta) + "\n---\n\n" + markdown
    return Artifact(path, markdown.rstrip("\n").encode("utf-8") + b"\n")
