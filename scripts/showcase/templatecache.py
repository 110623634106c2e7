"""The theme's compiled templates, kept between MkDocs runs (Jinja's bytecode cache).

Compiling Material's templates was a fifth of a one-page build, and MkDocs makes a new
Jinja environment for every build (and every rebuild of the preview). Jinja checks each
template's source checksum, so a changed template is compiled anew.

Jinja's bytecode is marshalled Python code: a file someone else put into the cache folder
would run as the generator. The files in $XDG_CACHE_HOME/showcase/jinja are therefore
signed with this user's local key (localkey.py), and one whose signature does not match
is ignored and compiled again, never loaded."""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2
import jinja2.bccache

from showcase.localkey import mac, signed_body, user_cache
from showcase.write import atomic_write


class InMemory(jinja2.BytecodeCache):
    """For the life of the preview's process."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


class Signed(jinja2.BytecodeCache):
    """In a folder, one file per template: its signature line, then Jinja's bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.bytecode"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        signed = signed_body(self.path(bucket), b"jinja", bucket.key.encode())
        if signed is not None:
            bucket.bytecode_from_string(signed[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        body = bucket.bytecode_to_string()
        with contextlib.suppress(OSError):  # else not kept: compiled again next time
            atomic_write(self.path(bucket), [self.sign(bucket, body) + b"\n", body])

    @staticmethod
    def sign(bucket: jinja2.bccache.Bucket, body: bytes) -> bytes:
        return mac(b"jinja", bucket.key.encode(), body).encode()


def on_disk() -> Signed | None:
    """This user's signed cache, or None when no cache folder can be made."""
    folder = user_cache() / "jinja"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return Signed(folder)
