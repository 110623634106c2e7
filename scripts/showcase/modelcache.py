"""The parsed workers and studios, cached by the bytes of their YAML files.

Parsing thousands of profiles is a third of the generator's time, and an editor's run
changes one or two. build/model-cache.bin maps each profile to the model object the
strict loader made from its bytes. An entry is used only when the file's bytes, the
settings file's bytes (the vocabularies the converter checks against) and the showcase
package's code are all the same as when it was made, so it is exactly what a fresh parse
gives. Only parses that reported nothing (no error, no warning) are cached: a file with
problems is parsed again, and its problems reported again, on every run. The file is
written by the build only (never by `showcase check`), atomically.

Profiles hold private values and unpublished entries, which must appear nowhere in
build/ or site/ (tests/test_pipeline.py reads all of build/). So nothing in the cache is
readable without the source file itself: an entry is found by the sha256 of its path and
its bytes, and its JSON is encrypted with a key stream (SHAKE-256) derived from the
file's bytes, so only the very bytes it was made from can open it.

Nothing in the file can run code (it used to be a pickle: whoever could write build/ ran
code at the next build). The file is a magic line, the cache key and length-prefixed
records (no parser but slicing); each entry is the model object as plain JSON (a
dataclass as the list of its field values), checked on the way in: a keyed BLAKE2b tag
(keyed by the source bytes) must match, and every field value must have the JSON type
its declared type allows (strict decoders built from the model's type hints). A garbled
or tampered entry, or a file of another shape, is ignored and the profile parsed again.
Someone who holds the source bytes can still forge a well-typed entry, but could then as
well edit the source; a forged entry only ever becomes model data, never code.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import sys
import types
import typing
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from showcase.dates import PartialDate
from showcase.fields import Loc
from showcase.write import atomic_write

CACHE_FILE = Path("build/model-cache.bin")
LEGACY_FILE = Path("build/model-cache.pickle")  # never read; removed when the cache is saved
MAGIC = b"showcase model cache 2\n"  # then records (write_entries): no pickle, no code
TAG = 16  # bytes of the BLAKE2b tag in front of each entry's JSON

Decoder = typing.Callable[[Any], Any]


def _id(rel: str, data: bytes) -> tuple[str, str]:
    """Where an entry is filed (its path, hashed) and the hash of the bytes it is for."""
    return hashlib.sha256(rel.encode()).hexdigest(), hashlib.sha256(data).hexdigest()


def _crypt(data: bytes, payload: bytes) -> bytes:
    """XOR with a key stream only the source bytes give (its own inverse)."""
    stream = hashlib.shake_256(b"showcase model cache\0" + data).digest(len(payload))
    mixed = int.from_bytes(payload, "little") ^ int.from_bytes(stream, "little")
    return mixed.to_bytes(len(payload), "little")


def _tag(data: bytes, text: bytes) -> bytes:
    key = hashlib.sha256(b"showcase model cache tag\0" + data).digest()
    return hashlib.blake2b(text, key=key, digest_size=TAG).digest()


def seal(data: bytes, value: Any) -> bytes:
    """One entry: the model object as JSON, tagged, then encrypted with the source bytes."""
    text = json.dumps(encode(value), ensure_ascii=False, separators=(",", ":")).encode()
    return _crypt(data, _tag(data, text) + text)


def unseal(data: bytes, sealed: bytes, cls: Any) -> Any:
    """The model object in an entry; ValueError/TypeError when it is not genuine."""
    plain = _crypt(data, sealed)
    tag, text = plain[:TAG], plain[TAG:]
    if not hmac.compare_digest(tag, _tag(data, text)):
        raise ValueError("tag mismatch")
    return decode(cls, json.loads(text))


def encode(value: Any) -> Any:
    """Model objects as JSON: a dataclass is the list of its field values, in order."""
    if isinstance(value, Loc):
        spots = [n for pair in value.fields.values() for n in pair]
        return [value.path, value.line, value.col, list(value.fields), spots]
    if is_dataclass(value):
        return [encode(getattr(value, f.name)) for f in fields(value)]
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    return value


def _refuse(v: Any) -> Any:
    raise ValueError(f"unexpected value {v!r}")


NEW = object.__new__  # with __dict__.update: a frozen dataclass as its __init__ makes it
# (no model class has a __post_init__), without its per-field object.__setattr__ calls
DATE_NAMES = ("year", "month", "day")
INTS = frozenset({int})


def _loc(v: Any) -> Loc:
    """[path, line, col, field names, their (line, col) pairs flattened]. Only messages
    read a Loc, so its shape is checked, not every number in it."""
    path, line, col, names, spots = v
    if type(path) is not str or type(line) is not int or type(col) is not int:
        raise TypeError("not a Loc")
    where = dict(zip(names, zip(spots[::2], spots[1::2], strict=True), strict=True))
    loc = NEW(Loc)
    loc.__dict__.update(path=path, line=line, col=col, fields=where)
    return loc  # type: ignore[no-any-return]


def _date(v: Any) -> PartialDate:
    if len(v) != 3 or not {*map(type, v)} <= INTS:
        raise TypeError("not a date")
    date = NEW(PartialDate)
    date.__dict__.update(zip(DATE_NAMES, v, strict=True))
    return date  # type: ignore[no-any-return]


Shape = tuple[frozenset[type], Decoder | None]  # the JSON types allowed, then a conversion


@cache
def shape(tp: Any) -> Shape:
    """How one declared type is stored; a type the cache cannot hold fails loudly here."""
    origin = get_origin(tp)
    if tp in (str, int, bool):
        return frozenset({tp}), None
    if tp is Loc:
        return frozenset({list}), _loc
    if tp is PartialDate:
        return frozenset({list}), _date
    if origin in (types.UnionType, typing.Union):
        args = set(get_args(tp))
        if args == {int, float}:
            return frozenset(args), None
        inner = args - {type(None)}
        if len(inner) != 1 or len(args) != 2:
            raise TypeError(f"no cache shape for {tp}")
        allowed, convert = shape(inner.pop())
        return allowed | {type(None)}, convert  # None is never converted
    if origin is tuple and len(get_args(tp)) == 2 and get_args(tp)[1] is Ellipsis:
        allowed, convert = shape(get_args(tp)[0])
        if type(None) in allowed:
            raise TypeError(f"no cache shape for {tp}")

        def items(v: Any) -> tuple[Any, ...]:
            if not {*map(type, v)} <= allowed:
                raise TypeError("unexpected item")
            return tuple(v) if convert is None else tuple(map(convert, v))

        return frozenset({list}), items
    if origin is Literal:
        values = frozenset(get_args(tp))
        return frozenset({str}), lambda v: v if v in values else _refuse(v)
    if isinstance(tp, type) and is_dataclass(tp):
        return frozenset({list}), _model(tp)
    raise TypeError(f"no cache shape for {tp}")


def _model(cls: Any) -> Decoder:
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in fields(cls))
    shapes = [shape(hints[name]) for name in names]
    kinds = tuple(allowed for allowed, _ in shapes)
    converts = [(i, convert) for i, (_, convert) in enumerate(shapes) if convert is not None]
    allows = frozenset.__contains__

    def build(v: Any) -> Any:
        if len(v) != len(names) or not all(map(allows, kinds, map(type, v))):
            raise TypeError(f"not a {cls.__name__}")
        for i, convert in converts:
            if v[i] is not None:
                v[i] = convert(v[i])
        obj = NEW(cls)
        obj.__dict__.update(zip(names, v, strict=True))
        return obj

    return build


def decode(cls: Any, value: Any) -> Any:
    """A model object from its JSON form, every value checked against the declared type."""
    allowed, build = shape(cls)
    if type(value) not in allowed or build is None:
        raise TypeError(f"not a {cls}")
    return build(value)


def write_entries(entries: dict[str, tuple[str, bytes]], key: str) -> bytes:
    """MAGIC, the cache key, then per entry: hashed path, hashed bytes, length, sealed JSON."""
    out = [MAGIC, bytes.fromhex(key)]
    for where, (digest, sealed) in entries.items():
        out += [bytes.fromhex(where), bytes.fromhex(digest), len(sealed).to_bytes(4), sealed]
    return b"".join(out)


def read_entries(raw: bytes, key: str) -> dict[str, tuple[str, bytes]]:
    """The entries of a cache file made with this key; ValueError for any other file."""
    head = len(MAGIC) + 32
    if raw[: len(MAGIC)] != MAGIC or raw[len(MAGIC) : head] != bytes.fromhex(key):
        raise ValueError("another cache")
    entries, at, view = {}, head, memoryview(raw)
    while at < len(raw):
        size = int.from_bytes(raw[at + 64 : at + 68])
        end = at + 68 + size
        if end > len(raw):
            raise ValueError("truncated")
        where, digest = raw[at : at + 32].hex(), raw[at + 32 : at + 64].hex()
        entries[where] = (digest, bytes(view[at + 68 : end]))
        at = end
    return entries


# The objects this process already has, by hashed path: (cache key, bytes' hash, the
# sealed entry they were read from or written as, object). The preview rebuilds in one
# process; an unchanged profile whose entry is unchanged too is then the very same object
# (model objects are never changed after loading), so nothing is decoded again and what
# is remembered per object (walk.walked) carries over. An entry changed on disk is
# unsealed (and checked) again.
_LIVE: dict[str, tuple[str, str, bytes, Any]] = {}


# The model objects this run loaded, by id, with the digest that determines them: the
# cache key (code, Python, settings bytes), the hashed path and the hashed bytes of their
# file (an object is exactly what a parse of those bytes gives, and never changed after).
# The memo's keys (memo.canonical_pickle) name such an object by that digest instead of
# pickling its every field: 5,000 workers' page contexts pickled to 40 MB, now 16 MB.
_DIGESTS: dict[int, tuple[Any, str]] = {}


def digest_of(value: Any) -> str | None:
    """The digest of a model object loaded from a file this run, else None."""
    known = _DIGESTS.get(id(value))
    return known[1] if known is not None and known[0] is value else None


def _known(key: str, where: str, digest: str, value: Any) -> Any:
    _DIGESTS[id(value)] = (value, hashlib.sha256(f"{key}:{where}:{digest}".encode()).hexdigest())
    return value


class ModelCache:
    def __init__(self, root: Path, settings_bytes: bytes, writable: bool) -> None:
        from showcase.incremental import code_hash

        self.root = root
        self.path = root / CACHE_FILE
        self.writable = writable
        self.key = hashlib.sha256(
            b"\0".join([code_hash().encode(), sys.version.encode(), settings_bytes])
        ).hexdigest()
        self.entries: dict[str, tuple[str, bytes]] = {}
        self.used: set[str] = set()
        _DIGESTS.clear()  # a new run: only the objects it loads are named by digest
        self.dirty = False
        with contextlib.suppress(OSError, ValueError):  # else no cache: parse everything
            self.entries = read_entries(self.path.read_bytes(), self.key)

    def get(self, rel: str, data: bytes, cls: Any) -> Any:
        where, digest = _id(rel, data)
        self.used.add(where)
        entry = self.entries.get(where)
        if entry is None:
            return None
        if entry[0] == digest:
            live = _LIVE.get(where)
            if live is not None and live[:3] == (self.key, digest, entry[1]):
                return _known(self.key, where, digest, live[3])
            try:
                value = unseal(data, entry[1], cls)
            except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
                pass  # garbled or tampered: parsed again, and the entry replaced
            else:
                _LIVE[where] = (self.key, digest, entry[1], value)
                return _known(self.key, where, digest, value)
        del self.entries[where]  # made from other bytes: never used again
        self.dirty = True
        return None

    def put(self, rel: str, data: bytes, value: Any) -> None:
        where, digest = _id(rel, data)
        sealed = seal(data, value)
        self.entries[where] = (digest, sealed)
        _LIVE[where] = (self.key, digest, sealed, value)
        _known(self.key, where, digest, value)
        self.used.add(where)
        self.dirty = True

    def save(self) -> None:
        stale = self.entries.keys() - self.used
        for where in stale:
            del self.entries[where]
        if not self.writable:
            return
        if self.dirty or stale:
            atomic_write(self.path, write_entries(self.entries, self.key))
        (self.root / LEGACY_FILE).unlink(missing_ok=True)
