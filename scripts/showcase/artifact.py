"""Artifacts: every output file, with the bytes it should hold or the file it copies."""

from __future__ import annotations

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


def page(path: str, markdown: str) -> Artifact:
    return Artifact(path, markdown.rstrip("\n").encode("utf-8") + b"\n")
