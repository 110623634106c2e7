"""The privacy guard: no `private` value of any worker may reach anything a reader gets.

One guard, working on what readers get rather than on what editors wrote:

- **Normalisation** (`normalise`, the same for the private values and for the scanned text):
  casefold, then NFKC; every character that is not a letter or a number is dropped
  (whitespace, punctuation, symbols, format and zero-width characters, combining marks, and
  the invisible Hangul fillers, which Unicode counts as letters); decimal digits of every
  script become ASCII digits, and so do the Chinese numerals 〇零一二三四五六七八九 and
  壹贰叁肆伍陆柒捌玖 (貳叄陸). `139-1234-5678`, `139**1234**5678`, `１３９ １２３４ ５６７８`,
  `139\u200b1234\u200b5678` and `一三九一二三四五六七八` all become `13912345678`. Folding
  the numerals on both sides only ever adds matches: an address written with 3 or 三 is
  the same address. Letters that look like digits (O, l) are not folded.
- **Secrets** (`secrets`): phone, id_number and address of every worker, published or not,
  as whole values; notes split into sentences at 。！？；!?; and line breaks, each sentence
  of at least `MIN_CHARS` significant characters guarded. A phone, ID number, address or
  whole notes shorter than that is itself an error, located at the private field: it would
  match too much public text to be guarded.
- **Scanning** (`Guard`): one Aho–Corasick automaton over all normalised secrets, run over
  the text a reader gets from every output: Markdown/HTML/SVG/XML with tags and comments
  removed and entities decoded (text nodes concatenated, so `<code>139</code><code>1234…`
  is one number; attribute values and comments scanned as text of their own), JSON string
  values, plain text, every text member of an EPUB, the text layer and metadata of every
  PDF (the printable boards, read with pypdf), and Pagefind's gzip-compressed fragments,
  indexes and metadata; a file an editor put under content/ whatever its name unless it
  is a picture, sound, video or font (MEDIA): as text (`decodings`: UTF-8, UTF-16 after
  its BOM, GB18030 for text that is not UTF-8), member by member when it is an archive
  (unpack.py; a Word or Excel file is a ZIP), refused when it cannot be read (a binary
  of another kind, a password). `scan_artifacts` works on the in-memory docs tree (so
  `showcase check` and `showcase build` find leaks without writing anything), `scan_folder`
  on a built site folder.
- **Located at the source** (`locate`): each hit is searched, with the same normalisation,
  in every public string field of every worker, studio, book and the settings, and in every
  published chapter and hand-written file under content/, read as lines; the problem points
  at the line that holds the value. A secret that no single source holds (assembled from
  pieces) is reported at its private field, naming the output files.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import logging
import quopri
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import ahocorasick_rs

from showcase import memo
from showcase.artifact import Artifact
from showcase.books import BOOKS_DIR, Library
from showcase.load import SETTINGS_FILE, Loaded
from showcase.model import Entity, Worker
from showcase.problems import Problems
from showcase.tree import hand_written_files
from showcase.unpack import (
    EMAIL,
    Unreadable,
    decompressed,
    email_parts,
    rtf_text,
    tar_members,
    zip_members,
)
from showcase.validate import IMAGE_SUFFIXES, VIDEO_SUFFIXES
from showcase.walk import walk, walked

MIN_CHARS = 6  # significant characters (letters and digits) a private value must have
HINT = "从公开内容中删除这段文字；电话、证件号、住址和内部备注只能写在劳模档案的 private 下"
SHORT_HINT = "写完整（电话带区号、住址写到门牌号），或删掉这一项"
UNREADABLE_HINT = (
    "去掉密码，或另存为 PDF、.docx、.xlsx、纯文字后再放进来；不需要公开的文件请移出 content/"
)
PIECES_HINT = "它可能由几处内容拼在一起：检查这些页面的来源，删掉相关内容"

# --- normalisation ---------------------------------------------------------------------

_DROP = re.compile(r"[\W_\u115f\u1160\u3164\uffa0]+")  # \W: not a letter, digit or number
_CHINESE_DIGITS = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "壹": "1",
    "二": "2",
    "贰": "2",
    "貳": "2",
    "三": "3",
    "叁": "3",
    "叄": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "陸": "6",
    "七": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}
SENTENCE_END = re.compile(r"[。！？；!?;\n]+")


@cache
def _fold() -> dict[int, str]:
    """Decimal digits of every script, and the Chinese numerals, to ASCII digits."""
    table = {ord(k): v for k, v in _CHINESE_DIGITS.items()}
    for code in range(0x80, 0x20000):  # every decimal digit lies below U+20000
        digit = unicodedata.decimal(chr(code), None)
        if digit is not None:
            table[code] = str(digit)
    return table


def normalise(text: str) -> str:
    """Only the letters and digits a reader sees, folded (see the module docstring)."""
    text = _DROP.sub("", unicodedata.normalize("NFKC", text.casefold()))
    return text.translate(_fold())


# --- secrets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    slug: str  # the worker's folder name
    field: str  # e.g. private.phone
    where: tuple[str, int, int]  # path, line, col of the private value
    pattern: str  # normalised


def secrets(workers: Iterable[Worker], problems: Problems) -> list[Secret]:
    """Every private value worth guarding; a too-short one is a located error."""
    out: list[Secret] = []
    for worker in workers:
        if worker.private is None:
            continue
        for owner, key, full, value, _ in walk(worker.private, "private"):
            if not isinstance(value, str):
                continue
            where = owner.loc.at(key)
            whole = normalise(value)
            if len(whole) < MIN_CHARS:
                message = (
                    f"存档信息太短（只有 {len(whole)} 个字母或数字，至少要 {MIN_CHARS} 个），"
                    "无法可靠地检查它是否被公开"
                )
                problems.add(*where, full, message, SHORT_HINT)
                continue
            parts = SENTENCE_END.split(value) if key == "notes" else [value]
            for part in dict.fromkeys(normalise(p) for p in parts):
                if len(part) >= MIN_CHARS:
                    out.append(Secret(worker.slug, full, where, part))
    return out


# --- what a reader gets from an output file ---------------------------------------------

COMMENT = re.compile(r"<!--(.*?)(?:-->|$)", re.S)
TAG = re.compile(r"""<[A-Za-z/!?][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
ATTR = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
MARKUP = {".md", ".html", ".htm", ".xhtml", ".xml", ".svg", ".opf", ".ncx"}
PLAIN = {".txt", ".csv", ".tsv"}
JSON = {".json", ".webmanifest"}
PAGEFIND = {".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"}
ZIPPED = {".epub"}
PDF = ".pdf"
GZIPPED = ".gz"  # sitemap.xml.gz: scanned as the file inside
SCANNED = MARKUP | PLAIN | JSON | PAGEFIND | ZIPPED | {GZIPPED, PDF}
# What a hand-written file under content/ may be without its bytes being read: pictures,
# sound, video and fonts. Any other is scanned whatever its name (a vCard, a calendar, a
# script, a spreadsheet): as text, member by member when it is an archive (Office and
# OpenDocument files are ZIPs); a binary file of another kind is refused (texts_of).
MEDIA = frozenset(
    {
        *IMAGE_SUFFIXES,
        *VIDEO_SUFFIXES,
        *(".gif", ".avif", ".ico", ".bmp", ".tif", ".tiff", ".mp3", ".m4a", ".aac"),
        *(".ogg", ".oga", ".wav", ".flac", ".woff", ".woff2", ".ttf", ".otf"),
    }
)
ZIP_MAGIC = b"PK\x03\x04"
COMPRESSED = {GZIPPED, ".bz2", ".xz", ".tgz"}  # a name's last suffix, dropped once unpacked
NOT_TEXT = "不是文字、图片、音视频、PDF 或压缩包，隐私检查读不了"
PAGEFIND_MAGIC = b"pagefind_dcd"


def markup_texts(text: str) -> list[str]:
    """Text nodes concatenated (tags and comments out, entities decoded); then every
    attribute value and comment, as separate texts."""
    comments = [m.group(1) for m in COMMENT.finditer(text)]
    text = COMMENT.sub("", text)
    # Attribute values: `="…"` anywhere (one pass; a text node that looks like one is
    # only scanned twice).
    attrs = [html.unescape(a or b or c) for a, b, c in ATTR.findall(text)]
    return [html.unescape(TAG.sub("", text)), "\n".join(attrs), "\n".join(comments)]


def front_matter(text: str) -> str:
    """A page's front matter with its JSON strings decoded (titles are \\u-escaped)."""
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---\n", 4)
    if end < 0:
        return text
    head = JSON_STRING.sub(lambda m: _json_str(m.group()), text[: end + 5])
    return head + text[end + 5 :]


def _json_str(literal: str) -> str:
    try:
        value = json.loads(literal)
    except ValueError:
        return literal
    return value if isinstance(value, str) else literal


def json_texts(text: str) -> list[str]:
    """Every string (keys too) in a JSON document, or the raw text if it is not JSON."""
    try:
        data = json.loads(text)
    except ValueError:
        return [text]
    out: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            out.extend(str(k) for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return ["\n".join(out)]


_PDF_TEXTS: dict[bytes, list[str]] = {}  # sha256 of a PDF's bytes -> its texts, this run


def pdf_texts(data: bytes) -> list[str]:
    """A PDF's text layer, page by page, and its metadata (title, author…); the raw bytes
    decoded when it cannot be read as a PDF. Remembered by the hash of the bytes for the
    rest of the process: `showcase site` scans each board in memory, then in the built
    folder, and reading a PDF's text is the slow part of both."""
    digest = hashlib.sha256(data).digest()
    if digest not in _PDF_TEXTS:
        _PDF_TEXTS[digest] = _read_pdf(data)
    return _PDF_TEXTS[digest]


def _read_pdf(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file is scanned as bytes
    try:
        reader = PdfReader(io.BytesIO(data))
        texts = [page.extract_text() for page in reader.pages]
        texts.append("\n".join(str(value) for value in (reader.metadata or {}).values()))
        texts += _pdf_extras(reader)
    except (PyPdfError, ValueError, KeyError, TypeError):
        return [_decode(data)]
    except Exception as err:  # encrypted with AES, a filter pypdf lacks, …: not readable
        raise Unreadable("", "PDF 加了密或已损坏，读不出其中的文字") from err
    return texts


def _pdf_extras(reader: Any) -> list[str]:
    """What a PDF shows besides its pages' text: form fields' values, annotations' texts
    and link addresses, and attached files (as text)."""
    out = [str(f.get("/V", "")) for f in (reader.get_fields() or {}).values()]
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A") or {}
            out += [str(annot.get("/Contents", "")), str(action.get("/URI", ""))]
    for files in reader.attachments.values():
        for body in files:
            out += decodings(body)
    return out


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
BINARY_TEST = 8000  # bytes looked at for a NUL


def decodings(data: bytes, *, strict: bool = False) -> list[str]:
    """The texts a reader's program may show of these bytes: UTF-8 (a BOM dropped);
    UTF-16 after its BOM; bytes that are not UTF-8 both as UTF-8 (bad bytes replaced) and
    as GB18030, the encoding Chinese Windows and Excel save text and CSV in by default (a
    file mixing the two is read both ways, bad bytes replaced). strict: none for binary
    bytes, which hold a NUL in their first 8,000 bytes (git's test) and no UTF-16 BOM."""
    if data[:2] in UTF16_BOMS:
        return [data.decode("utf-16", "replace")]
    try:
        return [data.decode("utf-8-sig")]
    except UnicodeDecodeError:
        pass
    if strict and b"\0" in data[:BINARY_TEST]:
        return []
    return [_decode(data), data.decode("gb18030", "replace")]


def texts_of(name: str, data: bytes, *, member: bool = False) -> Iterator[tuple[str, str]]:
    """(file name, text) of everything a reader can get from one output file; an EPUB's
    members are named `book.epub!OEBPS/ch1.xhtml`. Compressed files and archives are
    opened (unpack.py). A hand-written file of another kind (not SCANNED, not MEDIA) is
    read as text; one that is not text is refused (unpack.Unreadable), unless it is a
    `member` of an archive (a Word file's pictures and printer settings)."""
    data = decompressed(name, data)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in COMPRESSED:
        name, suffix = name[: -len(suffix)], PurePosixPath(name[: -len(suffix)]).suffix.lower()
    other = suffix not in SCANNED  # a hand-written file of another kind (see MEDIA)
    if suffix in ZIPPED or (other and data.startswith(ZIP_MAGIC)):
        members = zip_members(name, data)
        if members is None:
            yield name, _decode(data)
            return
        for inner_name, body in members:
            inner = PurePosixPath(inner_name).suffix.lower()
            if inner in SCANNED or inner_name == "mimetype" or (other and inner not in MEDIA):
                yield from texts_of(f"{name}!{inner_name}", body, member=True)
        return
    if other:
        yield from _other(name, suffix, data, member)
        return
    if suffix == PDF:
        try:
            parts = pdf_texts(data)
        except Unreadable as err:
            raise Unreadable(name, err.why) from err
        for part in parts:
            yield name, part
        return
    if data.startswith(PAGEFIND_MAGIC) or suffix in PAGEFIND:
        # Pagefind's binary index and metadata: their words are UTF-8 between binary bytes
        texts = [_decode(data.removeprefix(PAGEFIND_MAGIC))]
    else:
        texts = decodings(data)
    for text in texts:
        if suffix == ".md":
            text = front_matter(text)
        if suffix in MARKUP:
            parts = markup_texts(text)
        elif suffix in JSON or suffix == ".pf_fragment":
            parts = json_texts(text)
        else:  # plain text, Pagefind's index and metadata
            parts = [text]
        for part in parts:
            yield name, part


QUOTED_PRINTABLE = re.compile(r"=[0-9A-F]{2}=[0-9A-F]{2}")


def _other(name: str, suffix: str, data: bytes, member: bool) -> Iterator[tuple[str, str]]:
    """A hand-written file of a kind the site does not make: an e-mail by its parts, a tar
    by its members, text as it is (and as markup when it looks like XML or HTML, and
    quoted-printable decoded when it holds that, as phones export a vCard in Chinese)."""
    if suffix in EMAIL:
        for part, body in email_parts(data):
            yield from texts_of(f"{name}!{part}", body, member=True)
        return
    members = tar_members(name, data)
    if members is not None:
        for inner_name, body in members:
            if _suffix(inner_name) not in MEDIA:
                yield from texts_of(f"{name}!{inner_name}", body, member=True)
        return
    texts = decodings(data, strict=True)
    for text in texts:
        yield name, text
        if "<" in text or "&" in text:  # XML or HTML by another name (.kml, .shtml, .fodt)
            for part in markup_texts(text):
                yield name, part
        if suffix == ".rtf":
            yield name, rtf_text(text)
        if QUOTED_PRINTABLE.search(text):
            folded = text.replace("=\r\n", "").replace("=\n", "").encode(errors="replace")
            for part in decodings(quopri.decodestring(folded)):
                yield name, part
    if not texts and not member:  # a member: a Word file's pictures, printer settings
        raise Unreadable(name, NOT_TEXT)


# --- the scan ----------------------------------------------------------------------------


@dataclass
class Hits:
    """Which secret patterns turned up in which output files."""

    outputs: dict[str, list[str]] = field(default_factory=dict)  # pattern -> output files
    unreadable: dict[str, str] = field(default_factory=dict)  # output -> why (unpack.py)

    def add(self, pattern: str, output: str) -> None:
        files = self.outputs.setdefault(pattern, [])
        if output not in files:
            files.append(output)

    def merge(self, other: Hits) -> None:
        for pattern, names in other.outputs.items():
            for output in names:
                self.add(pattern, output)
        self.unreadable.update(other.unreadable)

    def __bool__(self) -> bool:
        return bool(self.outputs or self.unreadable)


class Guard:
    """One automaton over every normalised secret."""

    def __init__(self, found: Iterable[Secret]) -> None:
        self.secrets = list(found)
        self.patterns = sorted({s.pattern for s in self.secrets})
        self.automaton = (
            ahocorasick_rs.AhoCorasick(self.patterns, store_patterns=True)
            if self.patterns
            else None
        )

    def find(self, text: str) -> set[str]:
        """The secret patterns that occur in a text (normalised here)."""
        if self.automaton is None:
            return set()
        return set(self.automaton.find_matches_as_strings(normalise(text), overlapping=True))

    def scan(self, outputs: Iterable[tuple[str, bytes]]) -> Hits:
        hits = Hits()
        if self.automaton is None:
            return hits
        for name, data in outputs:
            try:
                for member, text in texts_of(name, data):
                    for pattern in self.find(text):
                        hits.add(pattern, member)
            except Unreadable as err:
                hits.unreadable[name] = f"{err.name} {err.why}" if err.name != name else err.why
        return hits


def _suffix(path: str) -> str:
    """PurePosixPath(path).suffix.lower(), without making one per file."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def scannable(path: str) -> bool:
    """A generated output, by its suffix."""
    return _suffix(path) in SCANNED


def hand_written_scannable(path: str) -> bool:
    """A hand-written file under content/ is scanned unless it is a picture, sound, video
    or font (MEDIA): an editor may publish a vCard or a spreadsheet."""
    return _suffix(path) not in MEDIA


def scan_artifacts(
    guard: Guard, artifacts: Iterable[Artifact], content: Path | None = None
) -> Hits:
    """Scan each output of the generator for the guard's secrets (see scan_remembered):
    the generated ones by their suffix (scannable), the files copied from `content`
    (content/) whatever their name (hand_written_scannable)."""
    return scan_remembered(
        guard,
        ((a.path, a.content()) for a in artifacts if _scanned(a, content)),
    )


def _scanned(artifact: Artifact, content: Path | None) -> bool:
    if scannable(artifact.path):
        return True
    source = artifact.source
    return (
        content is not None
        and source is not None
        and source.is_relative_to(content)
        and hand_written_scannable(artifact.path)
    )


def scan_remembered(guard: Guard, outputs: Iterable[tuple[str, bytes]]) -> Hits:
    """guard.scan, except that an output already found clean for the same secrets, path
    and bytes is remembered (memo.py) and not scanned again: most of a run's outputs
    (and the theme's files and search index files MkDocs and Pagefind write anew on
    every publish) are the bytes the last run scanned."""
    hits = Hits()
    if guard.automaton is None:
        return hits
    # the set of secrets, digested once (it is hundreds of kB at 5,000 workers)
    fingerprint = memo.secrets_fingerprint(guard.patterns)
    for name, data in outputs:
        key, clean = memo.output_checked(fingerprint, name, data)
        if clean:
            continue
        found = guard.scan([(name, data)])
        if not found:
            memo.learn("outputs", key)
        hits.merge(found)
    return hits


def folder_outputs(
    folder: Path, only: Collection[str] | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every file of a built site a reader can read as text (theme code aside); with
    `only`, just those (paths relative to `folder`)."""
    paths = sorted(folder.rglob("*")) if only is None else [folder / rel for rel in sorted(only)]
    for path in paths:
        if path.is_file() and scannable(path.name):
            yield path.relative_to(folder).as_posix(), path.read_bytes()


# --- located at the source ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One source text: a field value or a whole file, and where it starts."""

    path: str
    line: int
    col: int
    field: str
    value: str
    lined: bool = True  # the value's lines are the file's (not a ZIP's texts)


def source_texts(root: Path, loaded: Loaded, library: Library) -> Iterator[Text]:
    """Every public text an editor or writer wrote that can reach an output."""
    entries: list[tuple[str, Entity]] = []
    if loaded.settings is not None:
        entries.append((SETTINGS_FILE, loaded.settings))
    entries += [(f"workers/{w.slug}/profile.yml", w) for w in loaded.workers if w.publish]
    entries += [(f"studios/{s.slug}/studio.yml", s) for s in loaded.studios if s.publish]
    entries += [(f"{BOOKS_DIR}/{b.slug}/book.yml", b) for b in library.books]
    for path, entry in entries:
        for owner, key, full, value, _ in walked(entry):
            if full.startswith("private") or not isinstance(value, str):
                continue
            where = owner.loc.at(key)
            yield Text(where[0] or path, where[1], where[2], full, value)
    content = root / "content"
    files = [root / c.path for b in library.books for c in library.of(b)]
    if content.is_dir():  # regular files only: never a symlink's target, never a FIFO
        files += [
            p
            for p in hand_written_files(content)
            if hand_written_scannable(p.name) and not p.is_relative_to(root / BOOKS_DIR)
        ]
    for file in files:
        rel = file.relative_to(root).as_posix()
        try:
            data = file.read_bytes()
        except OSError:
            continue
        lined = [] if data.startswith(ZIP_MAGIC) else decodings(data, strict=True)
        for text in lined:
            yield Text(rel, 1, 1, "", text)
        try:  # what a reader gets of it (tags out, archives opened): found at its line 1
            got = "\n".join(text for _, text in texts_of(rel, data))
        except Unreadable:
            continue  # reported as such
        yield Text(rel, 1, 1, "", got, False)


class Lines:
    """A source file's lines, normalised one by one, for finding where a match ends."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def find(self, line: int, col: int, pattern: str, limit: int) -> Iterator[tuple[int, int]]:
        """(line, col) of each occurrence of `pattern` in the text that starts at line:col
        and spans at most `limit` lines: the line where the match ends, and the column where
        it starts on that line (or the line's first significant character)."""
        pieces, starts = [], []
        offset = 0
        for number in range(line, min(line + limit, len(self.lines) + 1)):
            text = self.lines[number - 1]
            if number == line:
                text = " " * (col - 1) + text[col - 1 :]
            piece = normalise(text)
            starts.append(offset)
            pieces.append(piece)
            offset += len(piece)
        joined = "".join(pieces)
        seen: set[int] = set()
        at = joined.find(pattern)
        while at >= 0:
            end = at + len(pattern) - 1
            i = bisect_right(starts, end) - 1
            number = line + i
            if number not in seen:
                seen.add(number)
                text = self.lines[number - 1]
                lead = max(at - starts[i], 0)
                yield number, _column(text, lead, col if i == 0 else 1)
            at = joined.find(pattern, at + 1)


def _column(text: str, offset: int, floor: int) -> int:
    """The 1-based column of the character that gives normalised offset `offset` (at
    least `floor`). The normalised length of a prefix only grows with it: a binary
    search, so a long line (a minified file's one line) costs O(n log n), not O(n²)."""
    lo, hi = max(floor - 1, 0), len(text)
    if lo >= hi or len(normalise(text)) <= offset:
        return floor
    while lo < hi:
        mid = (lo + hi) // 2
        if len(normalise(text[: mid + 1])) > offset:
            hi = mid
        else:
            lo = mid + 1
    return lo + 1


def locate(
    root: Path,
    loaded: Loaded,
    library: Library,
    guard: Guard,
    hits: Hits,
    problems: Problems,
) -> None:
    """One located problem for each (source place, secret); the private field for a secret
    no single source holds."""
    if not hits:
        return
    found = Guard(s for s in guard.secrets if s.pattern in hits.outputs)
    by_pattern: dict[str, list[Secret]] = {}
    for secret in found.secrets:
        by_pattern.setdefault(secret.pattern, []).append(secret)
    files: dict[str, Lines] = {}
    located: set[str] = set()
    at_a_line: set[tuple[str, str]] = set()  # (path, pattern) found at a line of the file
    reported: set[tuple[str, int, int, str, str]] = set()
    for text in source_texts(root, loaded, library):
        patterns = found.find(text.value)
        if text.lined:
            at_a_line.update((text.path, pattern) for pattern in patterns)
        else:  # a file's text as a reader gets it: only what its lines did not show
            patterns = {p for p in patterns if (text.path, p) not in at_a_line}
        if not patterns:
            continue
        if not text.field:  # a whole file, as read in the encoding that found the secret
            lines = Lines(text.value.split("\n") if text.lined else [])
        else:  # a field of a YAML file (UTF-8: the loader refuses anything else)
            if text.path not in files:
                try:
                    files[text.path] = Lines((root / text.path).read_text("utf-8").split("\n"))
                except (OSError, UnicodeDecodeError):
                    files[text.path] = Lines([])
            lines = files[text.path]
        limit = text.value.count("\n") + 2 if text.field else len(lines.lines)
        for pattern in sorted(patterns):
            places = list(lines.find(text.line, text.col, pattern, limit))
            if text.field and "\n" not in text.value.strip():
                places = [(text.line, text.col)]  # a one-line field: at the field
            elif not places:
                places = [(text.line, text.col)]
            located.add(pattern)
            for line, col in places:
                for secret in by_pattern[pattern]:
                    key = (text.path, line, col, secret.slug, secret.field)
                    if key in reported:
                        continue
                    reported.add(key)
                    field_name = text.field or _label(text.path, lines.lines, line)
                    message = f"含有劳模 {secret.slug} 的存档信息（{secret.field}），不能公开"
                    problems.add(text.path, line, col, field_name, message, HINT)
    for pattern, outputs in sorted(hits.outputs.items()):
        if pattern in located:
            continue
        shown = "、".join(outputs[:3]) + (f" 等 {len(outputs)} 个文件" if len(outputs) > 3 else "")
        for secret in by_pattern[pattern]:
            message = f"存档信息出现在公开文件 {shown} 中，但没有哪一处原文单独含有它"
            problems.add(*secret.where, secret.field, message, PIECES_HINT)
    for output, why in sorted(hits.unreadable.items()):
        outer = output.split("!")[0]
        where = f"content/{outer}" if (root / "content" / outer).is_file() else outer
        problems.add(where, 1, 1, "", f"隐私检查读不了这个文件：{why}，不能公开", UNREADABLE_HINT)


FRONT_KEY = re.compile(r"^([A-Za-z_]\w*)\s*:")


def _label(path: str, lines: list[str], number: int) -> str:
    """The field of a Markdown file's line: its front matter key, else 正文 (the text)."""
    if not path.endswith(".md"):
        return ""
    if lines and lines[0].rstrip() == "---":
        end = next((i for i, t in enumerate(lines[1:], 2) if t.rstrip() in ("---", "...")), 0)
        if number < end:
            key = next((m[1] for t in reversed(lines[1:number]) if (m := FRONT_KEY.match(t))), "")
            return key or "信息头"
    return "正文"


# --- entry points --------------------------------------------------------------------------


def check_sources(root: Path, loaded: Loaded, library: Library, problems: Problems) -> None:
    """The guard on what editors wrote, for a run that stops before rendering because of
    other problems: a private value pasted into a public field is still reported in the
    same run (the full guard on the outputs runs once everything else is fixed)."""
    guard = Guard(secrets(loaded.workers, problems))
    hits = Hits()
    for text in source_texts(root, loaded, library):
        for pattern in guard.find(text.value):
            hits.add(pattern, text.path)
    locate(root, loaded, library, guard, hits, problems)


def check_artifacts(
    root: Path,
    loaded: Loaded,
    library: Library,
    artifacts: Iterable[Artifact],
    problems: Problems,
) -> Guard:
    """The guard on the in-memory docs tree (what `showcase check` and `build` run); the
    Guard it made (`showcase site` scans the built site with it too)."""
    guard = Guard(secrets(loaded.workers, problems))
    hits = scan_artifacts(guard, artifacts, root / "content")
    locate(root, loaded, library, guard, hits, problems)
    return guard


def scan_folder(
    root: Path,
    folder: Path,
    loaded: Loaded | None = None,
    library: Library | None = None,
    only: Collection[str] | None = None,
    guard: Guard | None = None,
) -> Problems:
    """The guard on a built site folder (HTML, sitemap, JSON, SVG, text, EPUBs, PDFs,
    Pagefind).
    Loads the exhibition from `root` unless given; returns the located problems (empty:
    nothing leaked). Problems of loading itself are not repeated here. `only`: scan just
    these files (an incremental publish: the rest are the published site's, already
    scanned for the same secrets). `guard`: one already made from `loaded` (a publish
    scans twice: the pages, then the search index)."""
    problems = Problems()
    if loaded is None or library is None:
        from showcase.bookload import load_library  # bookload imports the loaders
        from showcase.load import load_all

        ignored = Problems()
        loaded = load_all(root, ignored)
        library, _ = load_library(root, loaded, ignored)
    if guard is None:
        guard = Guard(secrets(loaded.workers, problems))
    hits = scan_remembered(guard, folder_outputs(folder, only))
    locate(root, loaded, library, guard, hits, problems)
    return problems
