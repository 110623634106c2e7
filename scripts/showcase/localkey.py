"""A secret of this machine's user, kept outside the repository and outside build/.

What the generator remembers in build/ between runs (build/memo.bin, the published
state's fingerprint of the private values) is keyed and signed with it:

- a digest of private values (phone numbers have few enough possibilities to be guessed
  from a plain sha256) cannot be checked against guesses without the key;
- whoever can write build/ but not this user's home cannot forge a remembered page the
  generator would trust without checking it again.

The key lives in $XDG_CACHE_HOME/showcase/key (default ~/.cache/showcase/key), made on
first use with mode 0600. Deleting it only makes the next build do all its work again.
If no home folder is writable, each run makes a key of its own: nothing remembered is
then trusted, and builds are full ones.
"""

from __future__ import annotations

import functools
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

KEY_BYTES = 32


def user_cache() -> Path:
    """This user's cache folder for the showcase: $XDG_CACHE_HOME/showcase."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "showcase"


def key_file() -> Path:
    return user_cache() / "key"


@functools.cache
def local_key() -> bytes:
    path = key_file()
    try:
        data = path.read_bytes()
        if len(data) == KEY_BYTES:
            return data
    except OSError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        try:
            os.link(tmp, path)  # another process may have made one meanwhile: theirs wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        data = path.read_bytes()
        return data if len(data) == KEY_BYTES else key
    except OSError:
        return key  # this run only


def mac_of_pieces(label: bytes, pieces: list[bytes]) -> str:
    """mac(label, b"".join(pieces)), without joining them (a large file's pieces)."""
    digest = hmac.new(local_key(), digestmod="sha256")
    digest.update(len(label).to_bytes(8, "little") + label)
    digest.update(sum(map(len, pieces)).to_bytes(8, "little"))
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def mac(*parts: bytes) -> str:
    """HMAC-SHA256 under the local key of the parts, each length-prefixed (one message:
    OpenSSL's per-update cost would dominate thousands of small calls)."""
    message = b"".join(len(part).to_bytes(8, "little") + part for part in parts)
    return hmac.digest(local_key(), message, "sha256").hex()


def signed_body(path: Path, *parts: bytes) -> tuple[bytes, bytes] | None:
    """A file this user's generator wrote: its signature line, mac(*parts, body), then the
    body. (signature, body), or None when it is missing or signed by anything else
    (ignored, never trusted)."""
    try:
        with path.open("rb") as f:  # the signature line, then the body (never a copy)
            signature, body = f.readline().rstrip(b"\n"), f.read()
    except OSError:
        return None
    if not hmac.compare_digest(signature, mac(*parts, body).encode()):
        return None
    return signature, body


def read_signed(path: Path, label: bytes) -> tuple[bytes, Any] | None:
    """signed_body's JSON value: (signature, value), or None (also when garbled)."""
    signed = signed_body(path, label)
    if signed is None:
        return None
    try:
        return signed[0], json.loads(signed[1])
    except ValueError:
        return None
