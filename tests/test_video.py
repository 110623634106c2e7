"""Local videos: checked, remuxed without what the phone added, byte-identical on rebuild.

Every input is made here with PyAV itself (no binary fixtures): a phone-like MOV with
Apple's location/make/model keys, a plain MP4 (location in a binary `loci` box), a WebM,
each with a timecode data track where the container allows one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import av
import pytest
from PIL import Image

from showcase import video
from showcase.video import VideoResult, check_and_remux

from conftest import run

LOCATION = "+30.7522+120.7555+012.000/"
CONTAINER_TAGS = {
    "location": LOCATION,
    "com.apple.quicktime.location.ISO6709": LOCATION,
    "creation_time": "2024-05-01T08:09:10.000000Z",
    "make": "SecretPhoneMaker",
    "model": "SecretModel 15 Pro",
    "com.apple.quicktime.make": "SecretPhoneMaker",
    "com.apple.quicktime.model": "SecretModel 15 Pro",
    "com.apple.quicktime.software": "SecretOS 17.4",
    "title": "SecretTitle",
}
SECRETS = (
    b"30.7522",
    b"120.7555",
    b"SecretPhoneMaker",
    b"SecretModel",
    b"SecretOS",
    b"SecretTitle",
    b"SecretHandler",
    b"2024-05-01",
    b"com.apple.quicktime",
    b"Lavf6",  # the muxer's version string
)
FRAMES = 10
FPS = 10


def video_frame(i: int, width: int, height: int) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "yuv420p")
    for k, plane in enumerate(frame.planes):
        plane.update(bytes([(i * 23) % 256 if k == 0 else 128]) * plane.buffer_size)
    frame.pts = i
    return frame


def make_video(
    path: Path,
    *,
    fmt: str,
    vcodec: str = "libx264",
    acodec: str | None = "aac",
    frames: int = FRAMES,
    size: tuple[int, int] = (64, 48),
    rotation: int = 0,
    options: dict[str, str] | None = None,
    timecode: bool = True,
) -> Path:
    """A short clip with the tags a phone writes; 1 s at 10 fps unless told otherwise."""
    with av.open(str(path), "w", format=fmt, options=options or {}) as out:
        out.metadata.update(CONTAINER_TAGS)
        vs = out.add_stream(vcodec, rate=FPS)
        vs.width, vs.height = size
        vs.pix_fmt = "yuv420p"
        if vcodec == "libx265":
            vs.codec_context.options = {"x265-params": "log-level=error"}
        vs.metadata["handler_name"] = "SecretHandler video"
        if timecode:  # makes the MOV/MP4 muxer add a tmcd data track
            vs.metadata["timecode"] = "01:00:00:00"
        if rotation:
            vs.set_display_rotation(rotation)
        as_ = out.add_stream(acodec, rate=48000) if acodec else None
        if as_ is not None:
            as_.metadata["handler_name"] = "SecretHandler audio"
        for i in range(frames):
            out.mux(vs.encode(video_frame(i, *size)))
        out.mux(vs.encode(None))
        if as_ is not None:
            step = as_.codec_context.frame_size or 1024
            for start in range(0, 48000 * frames // FPS, step):
                af = av.AudioFrame(format=as_.format.name, layout=as_.layout.name, samples=step)
                for plane in af.planes:
                    plane.update(bytes(plane.buffer_size))
                af.sample_rate = 48000
                af.pts = start
                out.mux(as_.encode(af))
            out.mux(as_.encode(None))
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("video-inputs")
    return {
        # Apple-style keys as strings, like an iPhone .MOV; portrait, stored rotated
        "phone.mov": make_video(
            src / "phone.mov",
            fmt="mov",
            rotation=90,
            options={"movflags": "use_metadata_tags"},
        ),
        # plain MP4: the location goes into a binary `loci` box, index (moov) at the end
        "plain.mp4": make_video(src / "plain.mp4", fmt="mp4"),
        # index first, so a cut file still opens and only the samples are missing
        "fast.mp4": make_video(src / "fast.mp4", fmt="mp4", options={"movflags": "+faststart"}),
        "clip.webm": make_video(
            src / "clip.webm", fmt="webm", vcodec="libvpx-vp9", acodec="libopus", timecode=False
        ),
        "screen.mkv": make_video(src / "screen.mkv", fmt="matroska", timecode=False),
    }


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def mp4_boxes(data: bytes, start: int = 0, end: int | None = None) -> list[bytes]:
    """Every box type in an MP4, walking into the containers that can hold metadata."""
    containers = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"dinf"}
    end = len(data) if end is None else end
    found: list[bytes] = []
    while start + 8 <= end:
        size = int.from_bytes(data[start : start + 4], "big")
        kind = data[start + 4 : start + 8]
        assert size >= 8, f"bad box size at {start}"
        found.append(kind)
        if kind in containers:
            found += mp4_boxes(data, start + 8, start + size)
        elif kind == b"meta":
            found += mp4_boxes(data, start + 12, start + size)  # full box: 4 bytes version/flags
        start += size
    return found


def remux(source: Path, out_dir: Path, key: str = "clip") -> VideoResult:
    result = check_and_remux(source, out_dir, key)
    assert not result.error, result.error
    return result


def test_inputs_really_carry_the_secrets(inputs: dict[str, Path]) -> None:
    """Guards the other tests: a plain byte copy of these inputs would fail them."""
    phone = inputs["phone.mov"].read_bytes()
    for secret in (b"30.7522", b"SecretPhoneMaker", b"SecretModel", b"SecretHandler"):
        assert secret in phone
    assert b"loci" in inputs["plain.mp4"].read_bytes()
    assert b"SecretPhoneMaker" in inputs["clip.webm"].read_bytes()
    with av.open(str(inputs["phone.mov"])) as c:
        assert c.metadata["com.apple.quicktime.location.ISO6709"] == LOCATION
        assert [s.type for s in c.streams] == ["video", "audio", "data"]  # tmcd track
    with av.open(str(inputs["plain.mp4"])) as c:
        assert c.metadata["location"].startswith("+30.7522+120.7555")
        assert "creation_time" in c.metadata


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("phone.mov", ".mp4"), ("plain.mp4", ".mp4"), ("fast.mp4", ".mp4"), ("clip.webm", ".webm")],
)
def test_remux_keeps_picture_and_sound_only(
    inputs: dict[str, Path], tmp_path: Path, name: str, suffix: str
) -> None:
    result = remux(inputs[name], tmp_path)
    assert result.file == f"clip{suffix}"
    assert files_in(tmp_path) == [result.file]
    out = tmp_path / result.file
    data = out.read_bytes()
    for secret in SECRETS:
        assert secret not in data, secret
    if suffix == ".mp4":
        boxes = mp4_boxes(data)
        for box in (b"loci", b"\xa9xyz", b"keys", b"mdta", b"tmcd", b"\xa9too", b"\xa9nam"):
            assert box not in boxes, box
        assert boxes.index(b"moov") < boxes.index(b"mdat")  # faststart
        mvhd = data.index(b"mvhd")
        assert data[mvhd + 8 : mvhd + 16] == bytes(8)  # creation and modification time zero

    with av.open(str(out)) as c:
        tags = {k.lower() for k in c.metadata}
        assert tags <= {"major_brand", "minor_version", "compatible_brands", "encoder"}
        assert c.metadata.get("encoder", "Lavf") == "Lavf"  # bit-exact: no version
        assert [s.type for s in c.streams] == ["video", "audio"]
        for stream in c.streams:
            values = " ".join(stream.metadata.values())
            assert "Secret" not in values and "2024" not in values
            assert "creation_time" not in stream.metadata
        frames = list(c.decode(video=0))
        assert len(frames) == FRAMES
        assert c.duration is not None
        assert abs(c.duration / 1e6 - FRAMES / FPS) < 0.1
    assert abs(result.duration - FRAMES / FPS) < 0.1
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert out.stat().st_mode & 0o777 == 0o644


def test_same_input_same_bytes(inputs: dict[str, Path], tmp_path: Path) -> None:
    for name in ("phone.mov", "clip.webm"):
        one, two = tmp_path / name / "one", tmp_path / name / "two"
        first = remux(inputs[name], one)
        second = remux(inputs[name], two)
        again = remux(inputs[name], one)  # over an existing output
        assert (one / first.file).read_bytes() == (two / second.file).read_bytes()
        assert first.sha256 == second.sha256 == again.sha256
        assert files_in(one) == [first.file]


def test_rotation_is_kept(inputs: dict[str, Path], tmp_path: Path) -> None:
    result = remux(inputs["phone.mov"], tmp_path)
    assert result.rotation == 90
    assert (result.width, result.height) == (48, 64)  # as displayed: portrait
    with av.open(str(tmp_path / result.file)) as c:
        frame = next(c.decode(video=0))
        assert (frame.width, frame.height) == (64, 48)
        assert frame.rotation == 90
    plain = remux(inputs["plain.mp4"], tmp_path / "plain")
    assert (plain.width, plain.height, plain.rotation) == (64, 48, 0)


def test_matroska_with_mp4_codecs_becomes_mp4(inputs: dict[str, Path], tmp_path: Path) -> None:
    result = remux(inputs["screen.mkv"], tmp_path)
    assert result.file == "clip.mp4"
    data = (tmp_path / result.file).read_bytes()
    for secret in SECRETS:
        assert secret not in data, secret
    with av.open(str(tmp_path / result.file)) as c:
        assert len(list(c.decode(video=0))) == FRAMES


@pytest.mark.parametrize(
    ("encoder", "fmt", "acodec", "codecs", "suffix"),
    [
        ("libx265", "mov", "aac", ("hevc", "aac"), ".mp4"),
        ("libsvtav1", "mp4", "libopus", ("av1", "opus"), ".mp4"),
        ("libsvtav1", "webm", "libopus", ("av1", "opus"), ".webm"),
        ("libvpx", "webm", "libopus", ("vp8", "opus"), ".webm"),
        ("libvpx-vp9", "mp4", "libmp3lame", ("vp9", "mp3"), ".mp4"),
        ("libx264", "matroska", "libopus", ("h264", "opus"), ".mp4"),
    ],
)
def test_every_allowed_codec_is_copied(
    tmp_path: Path, encoder: str, fmt: str, acodec: str, codecs: tuple[str, str], suffix: str
) -> None:
    source = make_video(
        tmp_path / f"in.{fmt}", fmt=fmt, vcodec=encoder, acodec=acodec, size=(64, 64)
    )
    result = remux(source, tmp_path / "out")
    assert result.file == f"clip{suffix}"
    data = (tmp_path / "out" / result.file).read_bytes()
    for secret in SECRETS:
        assert secret not in data, secret
    with av.open(str(tmp_path / "out" / result.file)) as c:
        names = tuple(s.codec_context.codec.canonical_name for s in c.streams)
        assert names == codecs
        assert len(list(c.decode(video=0))) == FRAMES
    if codecs[0] == "hevc":
        assert b"hvc1" in data and b"hev1" not in data  # the tag Safari plays


def refused(source: Path, out_dir: Path) -> str:
    result = check_and_remux(source, out_dir, "clip")
    assert result.error
    assert (result.file, result.sha256) == ("", "")
    assert files_in(out_dir) == []  # nothing written, no temporary left behind
    return result.error


@pytest.mark.parametrize("name", ["phone.mov", "plain.mp4", "fast.mp4", "clip.webm", "screen.mkv"])
@pytest.mark.parametrize("fraction", [0.5, 0.8])
def test_truncated_file_is_refused(
    inputs: dict[str, Path], tmp_path: Path, name: str, fraction: float
) -> None:
    data = inputs[name].read_bytes()
    cut = tmp_path / f"cut-{name}"
    cut.write_bytes(data[: int(len(data) * fraction)])
    error = refused(cut, tmp_path / "out")
    assert "不完整" in error or "不是有效的视频文件" in error


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(os.urandom(20_000))
    assert refused(junk, tmp_path / "out") == "不是有效的视频文件"
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert refused(empty, tmp_path / "out") == "不是有效的视频文件"


def test_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "nope.mp4", tmp_path / "out") == "找不到视频文件"


def test_size_cap(inputs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert video.MAX_BYTES == 200 * 1024 * 1024
    monkeypatch.setattr(video, "MAX_BYTES", inputs["plain.mp4"].stat().st_size - 1)
    assert refused(inputs["plain.mp4"], tmp_path / "out") == "视频超过 0 MB"


def test_duration_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert video.MAX_SECONDS == 600
    long = make_video(tmp_path / "long.mp4", fmt="mp4", frames=3 * FPS)
    assert remux(long, tmp_path / "ok").duration == pytest.approx(3.0, abs=0.1)
    monkeypatch.setattr(video, "MAX_SECONDS", 2)
    assert refused(long, tmp_path / "out") == "视频时长超过 2 秒"
    monkeypatch.setattr(video, "MAX_SECONDS", 0)
    assert refused(long, tmp_path / "out") == "视频时长超过 0 分钟"


def test_unsupported_codecs_and_no_picture(tmp_path: Path) -> None:
    old = make_video(tmp_path / "old.mp4", fmt="mp4", vcodec="mpeg4")
    assert refused(old, tmp_path / "out") == "不支持的视频编码 mpeg4"
    pcm = make_video(tmp_path / "pcm.mov", fmt="mov", acodec="pcm_s16le")
    assert refused(pcm, tmp_path / "out") == "不支持的音频编码 pcm_s16le"
    vp8_aac = make_video(tmp_path / "mixed.mkv", fmt="matroska", vcodec="libvpx", timecode=False)
    assert refused(vp8_aac, tmp_path / "out") == "不支持的编码组合 vp8 + aac（WebM 文件中）"

    sound = tmp_path / "sound.mp4"
    with av.open(str(sound), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=48000)
        frame = av.AudioFrame(format=stream.format.name, layout="mono", samples=1024)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate, frame.pts = 48000, 0
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    assert refused(sound, tmp_path / "out") == "视频文件中没有画面"


def test_unsafe_key_is_a_programming_error(inputs: dict[str, Path], tmp_path: Path) -> None:
    for key in ("", "../x", "a/b", ".hidden"):
        with pytest.raises(ValueError):
            check_and_remux(inputs["plain.mp4"], tmp_path, key)


def test_site_publishes_only_the_remux(mini: Path) -> None:
    """Through the whole pipeline: a worker's phone video reaches the docs tree only as
    its remux (named by content hash), never as the file the editor committed."""
    folder = mini / "workers/zhang-san"
    make_video(folder / "clip.mov", fmt="mov", options={"movflags": "use_metadata_tags"})
    Image.new("RGB", (640, 480), (90, 30, 30)).save(folder / "clip-poster.png")
    assert LOCATION.encode() in (folder / "clip.mov").read_bytes()  # the secret is there
    profile = folder / "profile.yml"
    text = profile.read_text("utf-8").replace(
        "scope: [profile, portrait, gallery]", "scope: [profile, portrait, gallery, videos]"
    )
    text += "videos:\n  - {file: clip.mov, poster: clip-poster.png, caption: 示例视频}\n"
    profile.write_text(text, "utf-8")
    result = run(mini, "build")
    assert result.returncode == 0, result.stderr
    docs = mini / "build/docs/workers/zhang-san"
    videos = [p for p in docs.iterdir() if p.suffix in (".mp4", ".mov", ".webm")]
    assert [p.suffix for p in videos] == [".mp4"] and videos[0].name != "clip.mov"
    data = videos[0].read_bytes()
    assert all(secret not in data for secret in SECRETS)
    page = (docs / "index.md").read_text("utf-8")
    assert f'<video controls preload="none" src="{videos[0].name}"' in page
    assert "clip.mov" not in page
