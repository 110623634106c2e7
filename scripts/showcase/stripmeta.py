"""Pictures written by hand under content/ lose their metadata, not their pixels.

Photos of workers and studios go through the media pipeline, which re-encodes them from
pixels. A picture an editor puts beside a hand-written page (content/about/team.jpg) is
published as it is, and a phone's photo carries where it was taken (GPS), when, with
which device, and often a thumbnail and the editing history (XMP). Here such a file is
rewritten without them, losslessly: JPEG segments, PNG and WebP chunks are dropped, the
compressed image data is copied byte for byte (what a phone appends after the picture, a
second picture or a motion photo's video, is dropped too, and so is the multi-picture
index that points to it). What a browser needs to show the picture as the editor saw it
stays: JPEG's JFIF (APP0), ICC colour profile (APP2) and Adobe (APP14, for CMYK)
segments, and the EXIF orientation, written again as the only tag of a new EXIF block.
A file that is not a well-formed JPEG, PNG or WebP is left as it is (a browser shows
none of it, or what it can).
"""

from __future__ import annotations

import struct
import warnings
import zlib

from PIL import Image

JPEG_SOI, JPEG_SOS, JPEG_EOI = b"\xff\xd8", 0xDA, 0xD9
KEPT_APP = {0xE0, 0xE2, 0xEE}  # JFIF, ICC profile, Adobe
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length
ORIENTATION = 0x0112
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
WEBP_DROPPED = {b"EXIF", b"XMP "}
VP8X_EXIF_XMP = 0x08 | 0x04  # the VP8X header's flags saying those chunks are there
SUFFIXES = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}


def stripped(name: str, data: bytes) -> bytes:
    """The picture without its metadata (the same bytes when it holds none, or when it is
    not a picture this module reads)."""
    dot = name.rfind(".")
    kind = SUFFIXES.get(name[dot:].lower()) if dot >= 0 else None
    try:
        if kind == "jpeg" and data.startswith(JPEG_SOI):
            return _jpeg(data)
        if kind == "png" and data.startswith(PNG_SIGNATURE):
            return _png(data)
        if kind == "webp" and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except (ValueError, struct.error, IndexError):
        pass  # not well formed (cut short, a length past the end): left as it is
    return data


def _jpeg(data: bytes) -> bytes:
    out = [JPEG_SOI]
    at, orientation = 2, None
    while True:
        if data[at] != 0xFF:
            raise ValueError("not a marker")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in STANDALONE:
            out.append(data[at : at + 2])
            at += 2
            continue
        if marker == JPEG_EOI:
            out.append(data[at:])
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        end = at + 2 + length
        if end > len(data) or length < 2:
            raise ValueError("segment past the end")
        segment = data[at:end]
        if marker == 0xE1 and segment[4:10] == b"Exif\0\0":
            orientation = orientation or _orientation(segment[10:])
        elif marker == 0xFE or (0xE1 <= marker <= 0xEF and marker not in KEPT_APP):
            pass  # a comment, EXIF, XMP, IPTC or a maker's own segment: dropped
        elif marker == 0xE2 and segment[4:8] == b"MPF\0":
            pass  # the index of the pictures appended after this one (dropped below)
        elif marker == JPEG_SOS:  # the image data follows: copied as it is, to its end
            if orientation not in (None, 1):
                out.insert(1, _exif_segment(orientation))
            # In the compressed data FF is followed by 00 or a restart marker, so the first
            # FF D9 ends the picture; what phones append after it (a second picture with
            # its own EXIF, a motion photo's video) is dropped.
            eoi = data.find(b"\xff\xd9", at + 2)
            out.append(data[at:] if eoi < 0 else data[at : eoi + 2])
            break
        else:
            out.append(segment)
        at = end
    result = b"".join(out)
    return data if result == data else result


def _orientation(tiff: bytes) -> int | None:
    """The orientation an EXIF block says (None: none, or a block Pillow cannot read)."""
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():  # "Corrupt EXIF data": then there is none to keep
            warnings.simplefilter("ignore")
            exif.load(b"Exif\0\0" + tiff)
            value = exif.get(ORIENTATION)
    except (SyntaxError, ValueError, struct.error, OSError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _exif_segment(orientation: int) -> bytes:
    """An APP1 segment holding one EXIF tag, the orientation."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    body = exif.tobytes()  # b"Exif\0\0" + TIFF header and one IFD
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _png(data: bytes) -> bytes:
    out = [PNG_SIGNATURE]
    at = len(PNG_SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data):
            raise ValueError("chunk past the end")
        chunk = data[at:end]
        if zlib.crc32(chunk[4:-4]) != struct.unpack(">I", chunk[-4:])[0]:
            raise ValueError("bad chunk checksum")
        if kind not in PNG_DROPPED:
            out.append(chunk)
        at = end
        if kind == b"IEND":
            break
    result = b"".join(out)
    return data if result == data else result


def _webp(data: bytes) -> bytes:
    """RIFF chunks: EXIF and XMP dropped (and VP8X's flags for them cleared)."""
    (size,) = struct.unpack("<I", data[4:8])
    if size + 8 != len(data):
        raise ValueError("RIFF size")
    out, at = [], 12
    while at < len(data):
        kind = data[at : at + 4]
        (length,) = struct.unpack("<I", data[at + 4 : at + 8])
        end = at + 8 + length + (length & 1)  # chunks are padded to an even length
        if end > len(data):
            raise ValueError("chunk past the end")
        chunk = data[at:end]
        if kind == b"VP8X":
            chunk = chunk[:8] + bytes([chunk[8] & ~VP8X_EXIF_XMP & 0xFF]) + chunk[9:]
        if kind not in WEBP_DROPPED:
            out.append(chunk)
        at = end
    body = b"WEBP" + b"".join(out)
    result = b"RIFF" + struct.pack("<I", len(body)) + body
    return data if result == data else result
