"""The parsed workers and studios, cached by the bytes of their YAML files.

Parsing thousands of profiles is a third of the generator's time, and an editor's run
changes one or two. build/model-cache.pickle maps each profile's path to the sha256 of
its bytes and the model object the strict loader made from them. An entry is used only
when the file's bytes, the settings file's bytes (the vocabularies the converter checks
against) and the showcase package's code are all the same as when it was made, so it is
exactly what a fresh parse gives. Only parses that reported nothing (no error, no
warning) are cached: a file with problems is parsed again, and its problems reported
again, on every run. The file is written by the build only (never by `showcase check`),
atomically; it is the generator's own and is read only by it (a pickle: whoever can write
build/ can already change what the site is built from).
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

from showcase.write import atomic_write

CACHE_FILE = Path("build/model-cache.pickle")


class ModelCache:
    def __init__(self, root: Path, settings_bytes: bytes, writable: bool) -> None:
        from showcase.incremental import code_hash

        self.path = root / CACHE_FILE
        self.writable = writable
        self.key = hashlib.sha256(
            b"\0".join([code_hash().encode(), sys.version.encode(), settings_bytes])
        ).hexdigest()
        self.entries: dict[str, tuple[str, Any]] = {}
        self.used: set[str] = set()
        self.dirty = False
        try:
            key, entries = pickle.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
            return  # no cache, or an unreadable one: parse everything
        if key == self.key:
            self.entries = entries

    def get(self, rel: str, data: bytes) -> Any:
        self.used.add(rel)
        entry = self.entries.get(rel)
        if entry is None:
            return None
        if entry[0] == hashlib.sha256(data).hexdigest():
            return entry[1]
        del self.entries[rel]  # made from other bytes: never used again
        self.dirty = True
        return None

    def put(self, rel: str, data: bytes, value: Any) -> None:
        self.entries[rel] = (hashlib.sha256(data).hexdigest(), value)
        self.dirty = True

    def save(self) -> None:
        stale = self.entries.keys() - self.used
        for rel in stale:
            del self.entries[rel]
        if self.writable and (self.dirty or stale):
            atomic_write(self.path, pickle.dumps((self.key, self.entries), pickle.HIGHEST_PROTOCOL))
