"""What the generator remembers between runs, so an edit costs what it changes.

An editor's run changes one profile of thousands, yet every page is validated, rendered
and guarded again. Four pure steps dominate that work, and each is remembered by exactly
what it is a function of:

- `layout`: a layout rendered (Jinja2 + check_html), by the template's name and a pickle
  of its context (the code's hash and the installed packages' versions are in the
  file's stamp, so a changed template, filter or library forgets everything);
- `prose`: a Markdown field turned into sanitised HTML, by its source text;
- `pinyin`: a name's pinyin and its initials (pypinyin: 70 µs a name; 0.4 s a run at
  5,000 workers), by the name;
- `links_ok`: a Markdown field found to hold no link or image it may not hold;
- `output_clean`: an output file the privacy guard scanned and found clean, by its path,
  its bytes and the set of private values it was scanned for.

In memory the memo lives as long as the process (the preview keeps it between rebuilds,
drafts included). build/memo.bin keeps it between runs, written only by a build of
build/docs without drafts that found no problem, and holding only what that build
published: layouts and prose rendered for its pages (never a draft's or an unpublished
entry's), and keyed digests (HMAC under localkey) for the rest, so no private value or
unpublished text can be read from it or checked against a guess. The file is signed with
the same key: a file changed by anything but the generator is ignored, never trusted.
Its body is the stamp's line, then chunks of entries in marshal's format version 2
(strings only, no shared references, so the same entries are the same bytes), each
after its length: 0.08 s to read at 5,000 workers where JSON took 0.23 s, and 0.1 s to
write where JSON, entry by entry, took 0.5 s. A chunk is read only after the whole file's
signature checked out, and whatever it holds that is not a table of strings is ignored.
"""

from __future__ import annotations

import io
import marshal
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from showcase.localkey import mac, mac_of_pieces, signed_body
from showcase.modelcache import digest_of
from showcase.write import atomic_write

MEMO_FILE = Path("build/memo.bin")
LEGACY_FILE = Path("build/memo.json")  # the JSON of earlier versions: deleted on save
VERSION = 2
MARSHAL = 2  # marshal's format without references: the bytes depend on the values only
CHUNK = 2000  # entries a piece: no copy of the whole file is ever made to write it
# layouts and prose hold HTML; links and outputs only say "checked, clean" (value "")
TABLES = ("layouts", "prose", "pinyin", "links", "outputs")
SHOWN = ("layouts", "prose", "pinyin")  # saved only when the published pages used them


def _stamp() -> str:
    """What every remembered value also depends on: the code and templates, and the
    installed packages (Jinja2, Markdown, nh3…; env_hash covers Python's version too)."""
    from showcase.incremental import code_hash, env_hash

    return f"{VERSION}:{code_hash()}:{env_hash()}"


class Memo:
    def __init__(self) -> None:
        self.values: dict[str, dict[str, str]] = {t: {} for t in TABLES}
        self.used: dict[str, set[str]] = {t: set() for t in TABLES}
        self.shown: set[str] = set()  # layout and prose keys the published pages used
        self.publishing = False
        self.root: Path | None = None
        self.on_disk = b""  # the signature of what build/memo.bin holds

    def start(self, root: Path) -> None:
        """A run begins: forget what the last run did not use (the preview keeps the memo
        in memory between rebuilds), and read build/memo.bin unless already read."""
        for t in TABLES:
            if self.used[t]:
                self.values[t] = {k: v for k, v in self.values[t].items() if k in self.used[t]}
            self.used[t] = set()
        self.shown = set()
        self.publishing = False
        if self.root != root:
            self.root, self.on_disk = root, b""
            self._read(root / MEMO_FILE)

    def publishing_from_here(self) -> None:
        """From here on this run renders the published site's pages (no drafts): what it
        renders may be kept in build/memo.bin."""
        self.publishing = True

    @contextmanager
    def published_only(self, yes: bool = True) -> Iterator[None]:
        """What is computed inside is of published entries only (when `yes`), as after
        publishing_from_here: the exhibition's sort keys, the pinyin of its names."""
        was = self.publishing
        self.publishing = was or yes
        try:
            yield
        finally:
            self.publishing = was

    def get(self, table: str, key: str, make: Callable[[], str]) -> str:
        self.used[table].add(key)
        if self.publishing:
            self.shown.add(key)
        value = self.values[table].get(key)
        if value is None:
            value = self.values[table][key] = make()
        return value

    def known(self, table: str, key: str) -> bool:
        self.used[table].add(key)
        return key in self.values[table]

    def learn(self, table: str, key: str) -> None:
        self.values[table][key] = ""

    def _read(self, path: Path) -> None:
        signed = signed_body(path, b"memo")
        if signed is None:
            return
        signature, body = signed
        stamp, _, chunks = body.partition(b"\n")
        if stamp != _stamp().encode():
            return
        try:
            tables = unpack(chunks)
        except (ValueError, EOFError, TypeError):
            return
        for t in TABLES:
            self.values[t].update(tables[t])
        self.on_disk = signature

    def save(self, root: Path) -> None:
        """build/memo.bin: the layouts and prose this run published, and the digests of
        what it checked; not rewritten when unchanged."""
        pieces = [_stamp().encode() + b"\n"]
        for t in TABLES:
            keep = self.used[t] & (self.shown if t in SHOWN else self.values[t].keys())
            items = [(k, self.values[t][k]) for k in sorted(keep) if k in self.values[t]]
            for i in range(0, len(items), CHUNK):
                chunk = marshal.dumps((t, items[i : i + CHUNK]), MARSHAL)
                pieces.append(len(chunk).to_bytes(8, "little") + chunk)
        signature = mac_of_pieces(b"memo", pieces).encode()
        if signature != self.on_disk:
            atomic_write(root / MEMO_FILE, [signature + b"\n", *pieces])
            self.on_disk = signature
        (root / LEGACY_FILE).unlink(missing_ok=True)


def unpack(chunks: bytes) -> dict[str, dict[str, str]]:
    """The tables a memo file's chunks hold (ValueError, EOFError or TypeError when they
    are not what save() writes)."""
    tables: dict[str, dict[str, str]] = {t: {} for t in TABLES}
    view, at = memoryview(chunks), 0
    while at < len(view):
        size = int.from_bytes(view[at : at + 8], "little")
        table, items = marshal.loads(view[at + 8 : at + 8 + size])
        at += 8 + size
        if table not in tables or not isinstance(items, list):
            raise ValueError("not a memo chunk")
        for item in items:
            if not (isinstance(item, tuple) and len(item) == 2):
                raise ValueError("not a memo entry")
            key, value = item
            if not isinstance(key, str) or not isinstance(value, str):
                raise ValueError("not a memo entry")
            tables[table][key] = value
    return tables


_MEMO = Memo()


def memo() -> Memo:
    """The process's memo (one per process: the preview keeps it between rebuilds)."""
    return _MEMO


def layout(template: str, context: dict[str, Any], make: Callable[[], str]) -> str:
    try:
        data = canonical_pickle((template, context))
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return make()  # not picklable, or cyclic: rendered, never remembered
    return _MEMO.get("layouts", mac(b"layout", data), make)


def canonical_pickle(value: object) -> bytes:
    """A pickle that depends on the value only. An ordinary pickle also records which parts
    are the same object (a name shared by two cards is written once, then referenced), so
    the same context built from freshly parsed YAML and from the model cache pickled to
    different bytes, and the first run after a cold build missed every layout. Fast mode
    keeps no such memo: shared parts are written out each time (a cycle raises ValueError)."""
    out = io.BytesIO()
    pickler = _Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return out.getvalue()


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        """A model object loaded this run is written as the digest that determines it
        (modelcache.digest_of). A hook on every object (persistent_id) cost more than it
        saved; this one is not asked about strings, numbers, lists, tuples or dicts."""
        digest = digest_of(obj)
        return NotImplemented if digest is None else (_loaded, (digest,))


def _loaded(digest: str) -> None:
    """What a key's pickle names a loaded model object by (keys are never unpickled)."""


def prose(source: str, make: Callable[[], str]) -> str:
    return _MEMO.get("prose", mac(b"prose", source.encode()), make)


_TEXT_KEYS: dict[tuple[str, str], str] = {}  # (table, text) → its key: one HMAC per text


def derived(table: str, text: str, make: Callable[[], str]) -> str:
    """A value derived from a short text alone (a name's pinyin), remembered by the text."""
    key = _TEXT_KEYS.get((table, text))
    if key is None:
        key = _TEXT_KEYS[table, text] = mac(table.encode(), text.encode())
    return _MEMO.get(table, key, make)


def links_checked(source: str, images: bool) -> tuple[str, bool]:
    """The key of a Markdown text's link check, and whether it is known to be clean."""
    key = mac(b"links", b"images" if images else b"", source.encode())
    return key, _MEMO.known("links", key)


def secrets_fingerprint(patterns: list[str]) -> bytes:
    """The privacy guard's set of secrets as a short keyed digest, for output_checked."""
    return mac(b"secrets", "\0".join(patterns).encode()).encode()


def output_checked(fingerprint: bytes, path: str, data: bytes) -> tuple[str, bool]:
    """The key of an output's privacy scan, and whether it is known to be clean."""
    key = mac(b"output", fingerprint, path.encode(), data)
    return key, _MEMO.known("outputs", key)


def learn(table: str, key: str) -> None:
    """Remember that a check found nothing (only a clean result is remembered)."""
    _MEMO.learn(table, key)
