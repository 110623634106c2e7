"""Checking and remuxing one local video, so it reaches the site without what the phone added.

A phone video carries its recording place (ISO 6709 in the QuickTime `©xyz` atom, the MP4
`loci` box, Apple's `com.apple.quicktime.location.ISO6709` key, or a timed `mebx` metadata
track), the device make and model, and the creation time. Copying the file byte for byte
would publish all of it, so every video is:

1. refused early if it is too big (`MAX_BYTES`, checked with stat before opening), not an
   MP4/MOV or WebM/Matroska container, has no video stream, uses a codec outside
   `VIDEO_CODECS` / `AUDIO_CODECS`, or says it is longer than `MAX_SECONDS`;
2. demuxed completely (every packet is read; a file whose index promises more samples than
   it holds is refused as truncated) and its first video frame is decoded;
3. remuxed WITHOUT re-encoding into a fresh container holding only the first video stream
   and the first audio stream. Data, subtitle, timecode (`tmcd`) and timed-metadata
   (`mebx`) tracks are dropped; no container or stream metadata is written (no title,
   location, make, model, creation_time, handler_name, encoder, language); muxing is
   bit-exact (`fflags=+bitexact`: no "Lavf…" version string, zero creation/modification
   times in `mvhd`/`tkhd`/`mdhd`, deterministic Matroska UIDs, no DateUTC), so the same input
   gives byte-identical output. MP4 output is `+faststart` (index first, plays while loading).

Output container: MP4/MOV input gives `.mp4`. WebM/Matroska input gives `.webm` when its
codecs are WebM codecs (VP8, VP9, AV1; Opus, Vorbis); a Matroska file holding H.264/HEVC with
AAC/MP3 (screen recorders write these) gives `.mp4` instead, because browsers do not play
such a WebM and the codecs are MP4 codecs. Other combinations (e.g. VP8 in MOV, Vorbis in
MP4) are refused. HEVC in MP4 is tagged `hvc1` so Safari plays it.

Rotation: phones record landscape sensor data and store the upright orientation as a
display matrix (stream side data). PyAV does not expose a stream's display matrix for
reading, and `add_stream_from_template` may lose the coded side data, so the matrix is read
from the first decoded frame (FFmpeg attaches stream side data to decoded frames) and written
to the output stream with `VideoStream.set_display_matrix` (PyAV >= 17). The full 3x3 matrix
is carried, so mirror flips survive too. `width`/`height` in the result are the size as
displayed (after a 90/270 degree rotation the coded size is swapped).

What this does not remove: bytes inside the compressed bitstream itself (e.g. an H.264 SEI
"x264 - core …" encoder banner). Phones do not put location or device names there.

Not wired into the build yet; `check_and_remux` is the whole interface.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
from av.audio.stream import AudioStream
from av.container import InputContainer
from av.sidedata.sidedata import SideData
from av.stream import Stream
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

MAX_BYTES = 200 * 1024 * 1024  # 200 MiB
MAX_SECONDS = 600  # 10 minutes

# What PyAV reports in `container.format.name` for the two accepted families.
MP4_FAMILY = "mov,mp4,m4a,3gp,3g2,mj2"
MATROSKA_FAMILY = "matroska,webm"

VIDEO_CODECS = frozenset({"h264", "hevc", "av1", "vp8", "vp9"})
AUDIO_CODECS = frozenset({"aac", "mp3", "opus", "vorbis"})

# Codecs each output container carries (and browsers play from it).
MP4_VIDEO = frozenset({"h264", "hevc", "av1", "vp9"})
MP4_AUDIO = frozenset({"aac", "mp3", "opus"})
WEBM_VIDEO = frozenset({"vp8", "vp9", "av1"})
WEBM_AUDIO = frozenset({"opus", "vorbis"})

MP4_OPTIONS = {"fflags": "+bitexact", "movflags": "+faststart"}
WEBM_OPTIONS = {"fflags": "+bitexact"}

INCOMPLETE = "视频文件不完整或已损坏（可能只上传了一部分）"
EBML_ID = 0x1A45DFA3
SEGMENT_ID = 0x18538067

# Any of these from PyAV/FFmpeg while reading means the file is not a usable video.
_READ_ERRORS: tuple[type[BaseException], ...] = (
    av.error.FFmpegError,
    OSError,
    ValueError,
    EOFError,
)
# While writing, a plain OSError (disk full, no permission on out_dir) is the machine's
# problem, not the editor's: it propagates.
_MUX_ERRORS: tuple[type[BaseException], ...] = (av.error.FFmpegError, ValueError, EOFError)


class VideoError(Exception):
    """A problem with the video itself; the message is Chinese, for editors."""


@dataclass(frozen=True)
class VideoResult:
    key: str
    error: str = ""  # Chinese, for editors; empty when the video was written
    file: str = ""  # output file name inside out_dir, e.g. "clip.mp4"
    width: int = 0  # as displayed (rotation applied)
    height: int = 0
    duration: float = 0.0  # seconds
    sha256: str = ""  # hex digest of the written file
    rotation: int = 0  # counter-clockwise degrees from the display matrix, 0 if none


@dataclass(frozen=True)
class _Probe:
    """What the first full pass over the input learned."""

    muxer: str  # "mp4" or "webm"
    suffix: str
    width: int
    height: int
    duration: float
    rotation: int
    display_matrix: tuple[int, ...] | None


def check_and_remux(source: Path, out_dir: Path, key: str) -> VideoResult:
    """Check `source` and remux it into `out_dir/<key>.mp4|.webm`.

    A bad video gives a result with `error` set, never an exception; an unsafe `key` raises
    ValueError and an `out_dir` that cannot be written raises OSError. On any error nothing
    is left in `out_dir` (output goes through a temporary file there and `os.replace`)."""
    if not key or "/" in key or "\\" in key or key.startswith(".") or "\0" in key:
        raise ValueError(f"unsafe output key: {key!r}")
    try:
        size = source.stat().st_size
    except OSError:
        return VideoResult(key, error="找不到视频文件")
    if not source.is_file():
        return VideoResult(key, error="不是有效的视频文件")
    if size > MAX_BYTES:
        return VideoResult(key, error=f"视频超过 {MAX_BYTES // (1024 * 1024)} MB")
    try:
        probe = _probe(source)
    except VideoError as err:
        return VideoResult(key, error=str(err))
    except _READ_ERRORS:
        return VideoResult(key, error="不是有效的视频文件")
    name = f"{key}{probe.suffix}"
    try:
        digest = _remux(source, out_dir, name, probe)
    except VideoError as err:
        return VideoResult(key, error=str(err))
    except _MUX_ERRORS:
        return VideoResult(key, error="视频无法重新封装，文件可能已损坏")
    return VideoResult(
        key,
        file=name,
        width=probe.width,
        height=probe.height,
        duration=probe.duration,
        sha256=digest,
        rotation=probe.rotation,
    )


def _too_long() -> str:
    if MAX_SECONDS % 60 == 0:
        return f"视频时长超过 {MAX_SECONDS // 60} 分钟"
    return f"视频时长超过 {MAX_SECONDS} 秒"


def _streams(container: InputContainer) -> tuple[VideoStream, AudioStream | None]:
    """The first video stream and the first audio stream (or None)."""
    video = next(iter(container.streams.video), None)
    if video is None:
        raise VideoError("视频文件中没有画面")
    audio = next(iter(container.streams.audio), None)
    return video, audio


def _codec_name(stream: Stream) -> str:
    """The codec's name (h264, av1, mp3), not the decoder's (libdav1d, mp3float)."""
    ctx = stream.codec_context
    return ctx.codec.canonical_name if ctx is not None else "unknown"


def _output_for(family: str, vcodec: str, acodec: str | None) -> tuple[str, str]:
    """(muxer, suffix) for the input family and codecs, or a VideoError."""
    in_mp4 = vcodec in MP4_VIDEO and (acodec is None or acodec in MP4_AUDIO)
    in_webm = vcodec in WEBM_VIDEO and (acodec is None or acodec in WEBM_AUDIO)
    if family == MATROSKA_FAMILY and in_webm:
        return "webm", ".webm"
    if in_mp4:
        return "mp4", ".mp4"
    where = "MP4" if family == MP4_FAMILY else "WebM"
    pair = vcodec if acodec is None else f"{vcodec} + {acodec}"
    raise VideoError(f"不支持的编码组合 {pair}（{where} 文件中）")


def _display_matrix(frame: VideoFrame) -> tuple[int, ...] | None:
    side = frame.side_data.get("DISPLAYMATRIX")
    if not isinstance(side, SideData):
        return None
    raw = bytes(side)
    if len(raw) != 36:
        return None
    matrix = struct.unpack("<9i", raw)
    identity = (65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30)
    return None if matrix == identity else matrix


def _mp4_truncated(source: Path) -> bool:
    """Whether a top-level box declares more bytes than the file holds.

    FFmpeg's MOV demuxer reads a `moov` cut short as far as it goes and silently drops the
    tracks it did not reach, so the box sizes are checked here."""
    size = source.stat().st_size
    pos = 0
    with source.open("rb") as fh:
        while pos < size:
            fh.seek(pos)
            head = fh.read(16)
            if len(head) < 8:
                return True
            box = int.from_bytes(head[:4], "big")
            if box == 1:  # 64-bit size follows the type
                if len(head) < 16:
                    return True
                box = int.from_bytes(head[8:16], "big")
            elif box == 0:  # runs to the end of the file
                return False
            if box < 8:
                return True
            pos += box
    return pos > size


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-length integer at `pos`: (value, next position, all value bits set)."""
    if pos >= len(data) or data[pos] == 0:
        raise VideoError(INCOMPLETE)
    length = 9 - data[pos].bit_length()
    if pos + length > len(data):
        raise VideoError(INCOMPLETE)
    value = int.from_bytes(data[pos : pos + length], "big")
    marker = 1 << (7 * length)
    unknown = value == 2 * marker - 1
    return (value if keep_marker else value - marker), pos + length, unknown


def _matroska_truncated(source: Path) -> bool:
    """Whether the Segment declares more bytes than the file holds.

    FFmpeg's Matroska demuxer stops quietly at a cut (it only logs "File ended
    prematurely"), so this compares the declared size with the file size instead. A Segment
    of unknown size (live recordings, e.g. a browser's MediaRecorder) cannot be checked."""
    size = source.stat().st_size
    with source.open("rb") as fh:
        head = fh.read(4096)
    pos = 0
    while pos < len(head):
        element, pos, _ = _vint(head, pos, keep_marker=True)
        length, pos, unknown = _vint(head, pos, keep_marker=False)
        if element == SEGMENT_ID:
            return not unknown and pos + length > size
        if unknown:
            return True  # only the Segment may have an unknown size at the top level
        pos += length  # the EBML header, or Void/CRC elements before the Segment
    return True  # no Segment within the first 4 KiB: cut short, or not worth trusting


def _probe(source: Path) -> _Probe:
    with av.open(str(source), "r") as container:
        family = container.format.name
        if family not in (MP4_FAMILY, MATROSKA_FAMILY):
            raise VideoError("不是有效的视频文件（只接受 MP4、MOV、WebM）")
        video, audio = _streams(container)
        vcodec = _codec_name(video)
        if vcodec not in VIDEO_CODECS:
            raise VideoError(f"不支持的视频编码 {vcodec}")
        acodec = _codec_name(audio) if audio is not None else None
        if acodec is not None and acodec not in AUDIO_CODECS:
            raise VideoError(f"不支持的音频编码 {acodec}")
        muxer, suffix = _output_for(family, vcodec, acodec)
        truncated = _matroska_truncated if family == MATROSKA_FAMILY else _mp4_truncated
        if truncated(source):
            raise VideoError(INCOMPLETE)
        if container.duration is not None and container.duration / 1e6 > MAX_SECONDS:
            raise VideoError(_too_long())

        kept: list[Stream] = [s for s in (video, audio) if s is not None]
        counts = dict.fromkeys((s.index for s in kept), 0)
        spans: dict[int, tuple[int, int]] = {}
        first: VideoFrame | None = None
        for packet in container.demux(*kept):
            if packet.size == 0 and packet.dts is None:
                continue  # end-of-stream marker
            if packet.is_corrupt:
                raise VideoError(INCOMPLETE)
            index = packet.stream.index
            counts[index] += 1
            start = packet.pts if packet.pts is not None else packet.dts
            if start is not None:
                end = start + (packet.duration or 0)
                lo, hi = spans.get(index, (start, end))
                spans[index] = (min(lo, start), max(hi, end))
            if first is None and index == video.index:
                frames = video.codec_context.decode(packet)
                if frames:
                    first = frames[0]
        if first is None:
            first = next(iter(video.codec_context.decode(None)), None)
        for stream in kept:
            # MP4/MOV indexes list every sample; fewer packets than listed means truncated.
            if stream.frames and counts[stream.index] < stream.frames:
                raise VideoError(INCOMPLETE)
        if counts[video.index] == 0:
            raise VideoError("视频文件中没有画面")
        if first is None:
            raise VideoError("视频画面无法解码")

        duration = 0.0
        for stream in kept:
            if stream.index in spans and stream.time_base is not None:
                lo, hi = spans[stream.index]
                duration = max(duration, float((hi - lo) * Fraction(stream.time_base)))
        if duration > MAX_SECONDS:
            raise VideoError(_too_long())

        matrix = _display_matrix(first)
        rotation = round(first.rotation) if matrix is not None else 0
        width, height = first.width, first.height
        if rotation % 180:
            width, height = height, width
        return _Probe(muxer, suffix, width, height, round(duration, 3), rotation, matrix)


def _remux(source: Path, out_dir: Path, name: str, probe: _Probe) -> str:
    """Write the remuxed file as out_dir/name; return its sha256 hex digest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        options = MP4_OPTIONS if probe.muxer == "mp4" else WEBM_OPTIONS
        with (
            av.open(str(source), "r") as src,
            av.open(tmp_name, "w", format=probe.muxer, container_options=options) as dst,
        ):
            video, audio = _streams(src)
            kept: list[Stream] = [s for s in (video, audio) if s is not None]
            out: dict[int, Stream] = {}
            for stream in kept:
                copy = dst.add_stream_from_template(stream, opaque=True)
                copy.metadata.clear()
                if isinstance(copy, VideoStream):
                    if probe.muxer == "mp4" and _codec_name(stream) == "hevc":
                        copy.codec_context.codec_tag = "hvc1"
                    copy.set_display_matrix(probe.display_matrix)
                out[stream.index] = copy
            dst.metadata.clear()
            for packet in src.demux(*kept):
                if packet.size == 0 and packet.dts is None:
                    continue
                packet.stream = out[packet.stream.index]
                dst.mux(packet)
        tmp.chmod(0o644)  # mkstemp makes it private; the site must be readable
        digest = _sha256(tmp)
        os.replace(tmp, out_dir / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
