"""The parsed workers and studios, cached by the bytes of their YAML files.

Parsing thousands of profiles is a third of the generator's time, and an editor's run
changes one or two. build/model-cache.pickle maps each profile to the model object the
strict loader made from its bytes. An entry is used only when the file's bytes, the
settings file's bytes (the vocabularies the converter checks against) and the showcase
package's code are all the same as when it was made, so it is exactly what a fresh parse
gives. Only parses that reported nothing (no error, no warning) are cached: a file with
problems is parsed again, and its problems reported again, on every run. The file is
written by the build only (never by `showcase check`), atomically.

Profiles hold private values and unpublished entries, which must appear nowhere in
build/ or site/ (tests/test_pipeline.py reads all of build/). So nothing in the cache is
readable without the source file itself: an entry is found by the sha256 of its path and
its bytes, and its pickle is encrypted with a key stream (SHAKE-256) derived from the
file's bytes, so only the very bytes it was made from can open it. (A pickle: whoever can
write build/ can already change what the site is built from.)
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

from showcase.write import atomic_write

CACHE_FILE = Path("build/model-cache.pickle")


def _id(rel: str, data: bytes) -> tuple[str, str]:
    """Where an entry is filed (its path, hashed) and the hash of the bytes it is for."""
    return hashlib.sha256(rel.encode()).hexdigest(), hashlib.sha256(data).hexdigest()


def _crypt(data: bytes, payload: bytes) -> bytes:
    """XOR with a key stream only the source bytes give (its own inverse)."""
    stream = hashlib.shake_256(b"showcase model cache\0" + data).digest(len(payload))
    mixed = int.from_bytes(payload, "little") ^ int.from_bytes(stream, "little")
    return mixed.to_bytes(len(payload), "little")


class ModelCache:
    def __init__(self, root: Path, settings_bytes: bytes, writable: bool) -> None:
        from showcase.incremental import code_hash

        self.path = root / CACHE_FILE
        self.writable = writable
        self.key = hashlib.sha256(
            b"\0".join([code_hash().encode(), sys.version.encode(), settings_bytes])
        ).hexdigest()
        self.entries: dict[str, tuple[str, bytes]] = {}
        self.used: set[str] = set()
        self.dirty = False
        try:
            key, entries = pickle.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
            return  # no cache, or an unreadable one: parse everything
        if key == self.key:
            self.entries = entries

    def get(self, rel: str, data: bytes) -> Any:
        where, digest = _id(rel, data)
        self.used.add(where)
        entry = self.entries.get(where)
        if entry is None:
            return None
        if entry[0] == digest:
            return pickle.loads(_crypt(data, entry[1]))
        del self.entries[where]  # made from other bytes: never used again
        self.dirty = True
        return None

    def put(self, rel: str, data: bytes, value: Any) -> None:
        where, digest = _id(rel, data)
        self.entries[where] = (digest, _crypt(data, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)))
        self.used.add(where)
        self.dirty = True

    def save(self) -> None:
        stale = self.entries.keys() - self.used
        for where in stale:
            del self.entries[where]
        if self.writable and (self.dirty or stale):
            atomic_write(self.path, pickle.dumps((self.key, self.entries), pickle.HIGHEST_PROTOCOL))
