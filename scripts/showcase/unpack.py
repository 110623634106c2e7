"""The files inside a file, for the privacy guard: what gzip, bzip2 and xz compress, the
members of a ZIP (Word, Excel, EPUB) or a tar archive, the parts of an e-mail or a
single-file web page (.eml, .mht), each decoded as its headers say (base64,
quoted-printable). Every member is read up to MAX_MEMBER bytes: a small file that
unpacks to gigabytes is refused, not read. A member that cannot be read (a password, a
compression method Python lacks, a broken checksum) is refused too: it may hold anything.
"""

from __future__ import annotations

import bz2
import contextlib
import email
import email.policy
import io
import lzma
import re
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator

MAX_MEMBER = 64 * 2**20  # bytes of one unpacked file or member
GZIP_MAGIC, BZIP2_MAGIC, XZ_MAGIC = b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"
OPENERS: tuple[tuple[bytes, Callable[[io.BytesIO], io.BufferedIOBase]], ...] = (
    (BZIP2_MAGIC, bz2.BZ2File),
    (XZ_MAGIC, lzma.LZMAFile),
)  # gzip: _gunzip
TAR_MAGIC, TAR_AT = b"ustar", 257  # where a tar header says what it is
EMAIL = {".eml", ".mht", ".mhtml"}
UNREADABLE = "加了密码、已损坏或用了读不了的压缩方式"
TOO_BIG = f"解压后超过 {MAX_MEMBER // 2**20} MB"


class Unreadable(Exception):
    """An output the guard cannot read, which it refuses rather than publish unread."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"{name}: {why}")
        self.name, self.why = name, why


def decompressed(name: str, data: bytes) -> bytes:
    """The bytes gzip, bzip2 or xz compressed, by their magic; anything else as it is. A
    stream that does not decompress is scanned as it is (it is then not compressed)."""
    opener = next((o for magic, o in OPENERS if data.startswith(magic)), None)
    if opener is None and not data.startswith(GZIP_MAGIC):
        return data
    try:
        if opener is None:  # gzip by zlib itself: Pagefind's thousands of small files
            out = _gunzip(data)
        else:
            with opener(io.BytesIO(data)) as stream:
                out = stream.read(MAX_MEMBER + 1)
    except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError):
        return data
    if len(out) > MAX_MEMBER:
        raise Unreadable(name, TOO_BIG)
    return out


def _gunzip(data: bytes) -> bytes:
    """gzip's members one after another, up to MAX_MEMBER + 1 bytes in all."""
    out: list[bytes] = []
    left = MAX_MEMBER + 1
    while data and left > 0:
        stream = zlib.decompressobj(31)
        chunk = stream.decompress(data, left)
        out.append(chunk)
        left -= len(chunk)
        if left > 0 and not stream.eof:
            raise EOFError("truncated gzip stream")
        data = stream.unused_data
    return b"".join(out)


def zip_members(name: str, data: bytes) -> Iterator[tuple[str, bytes]] | None:
    """(member name, bytes) of every file in a ZIP; None when `data` is not one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None
    return _zip(name, archive)


def _zip(name: str, archive: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            where = f"{name}!{info.filename}"
            if info.file_size > MAX_MEMBER:
                raise Unreadable(where, TOO_BIG)
            try:
                body = archive.read(info)
            except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error) as err:
                raise Unreadable(where, UNREADABLE) from err  # a password, method, checksum
            except (OSError, EOFError, ValueError) as err:  # cut short
                raise Unreadable(where, UNREADABLE) from err
            yield info.filename, body


def tar_members(name: str, data: bytes) -> Iterator[tuple[str, bytes]] | None:
    """(member name, bytes) of every regular file in a tar archive (compressed or not:
    decompressed() has opened it); None when `data` is not one."""
    if data[TAR_AT : TAR_AT + len(TAR_MAGIC)] != TAR_MAGIC:
        return None
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:")  # noqa: SIM115 (_tar closes it)
    except (tarfile.TarError, OSError, EOFError, ValueError):
        return None
    return _tar(name, archive)


def _tar(name: str, archive: tarfile.TarFile) -> Iterator[tuple[str, bytes]]:
    with archive:
        for info in archive:
            if not info.isfile():
                continue
            where = f"{name}!{info.name}"
            if info.size > MAX_MEMBER:
                raise Unreadable(where, TOO_BIG)
            stream = archive.extractfile(info)
            if stream is None:
                continue
            yield info.name, stream.read()


def email_parts(data: bytes) -> Iterator[tuple[str, bytes]]:
    """(part name, decoded bytes) of each part of an e-mail or .mht, and its headers."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    headers = "\n".join(f"{k}: {v}" for k, v in message.items())
    yield "headers.txt", headers.encode()
    for i, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        body = part.get_payload(decode=True)
        if not isinstance(body, bytes):
            continue
        kind = part.get_content_subtype()
        suffix = (
            ".html" if kind == "html" else ".txt" if part.get_content_maintype() == "text" else ""
        )
        charset = part.get_content_charset()
        if charset and suffix:
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                body = body.decode(charset).encode()
        yield part.get_filename() or f"part{i}{suffix}", body


RTF_UNICODE = re.compile(r"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}])?")
RTF_BYTES = re.compile(r"(?:\\'[0-9a-fA-F]{2})+")
RTF_CODE_PAGE = re.compile(r"\\ansicpg(\d+)")


def rtf_text(text: str) -> str:
    """An RTF document's escapes decoded: `\\u31034?` (a character and its fallback) and
    runs of `\\'ca\\'be` (bytes in the document's code page: 936 is GBK, as Word on Chinese
    Windows writes)."""
    page = RTF_CODE_PAGE.search(text)
    codec = f"cp{page[1]}" if page else "cp1252"
    text = RTF_UNICODE.sub(lambda m: chr(int(m[1]) % 65536), text)

    def chars(m: re.Match[str]) -> str:
        data = bytes(int(h, 16) for h in re.findall(r"[0-9a-fA-F]{2}", m[0]))
        try:
            return data.decode(codec, "replace")
        except LookupError:
            return data.decode("gb18030", "replace")

    return RTF_BYTES.sub(chars, text)
