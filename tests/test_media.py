"""The media pipeline on images made by code: safety, correctness, caching."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from showcase.build import build

import imagegen
from conftest import FIXTURES, copy_tree

PROFILE = """name: 图片测试
portrait: rotated.jpg
gallery:
  - {file: text.png, alt: 文字}
  - {file: cmyk.jpg, alt: 印刷色}
  - {file: grey16.png, alt: 十六位}
  - {file: palette.png, alt: 调色板}
  - {file: anim.webp, alt: 动图}
  - {file: phone.heic, alt: 手机}
  - {file: small.jpg, alt: 小图}
sources: [测试]
"""
MAKERS: dict[str, Callable[[Path], None]] = {
    "rotated.jpg": imagegen.rotated_jpeg,
    "text.png": imagegen.text_png,
    "cmyk.jpg": imagegen.cmyk_jpeg,
    "grey16.png": imagegen.png16,
    "palette.png": imagegen.palette_alpha_png,
    "anim.webp": imagegen.animated_webp,
    "phone.heic": imagegen.heic,
    "small.jpg": imagegen.small_jpeg,
}
SECRETS = (b"SecretCam", b"SecretXMP", b"SecretText", b"13912345678")


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    root = copy_tree(FIXTURES / "mini", tmp_path / "root")
    folder = root / "workers" / "photo-test"
    folder.mkdir()
    (folder / "profile.yml").write_text(PROFILE, "utf-8")
    for name, make in MAKERS.items():
        make(folder / name)
    return root


def derivatives(root: Path, source: str, preset: str) -> tuple[Image.Image, Image.Image]:
    """The WebP and JPEG of one preset of one source, found through the page's own HTML."""
    result = build(root).media
    assert result is not None
    found = result.get(
        f"workers/photo-test/{source}", "portrait" if preset == "card" else "picture"
    )
    assert found is not None and not found.error, found
    output = next(o for o in found.outputs if o.preset == preset)
    docs = root / "build/docs/workers/photo-test"
    return Image.open(docs / output.files[0]), Image.open(docs / output.files[1])


def test_builds_with_one_warning_for_the_small_portrait(photos: Path) -> None:
    result = build(photos)
    assert not result.problems.errors, result.problems.report()
    warnings = [p.format() for p in result.problems.warnings if "photo-test" in p.path]
    assert warnings == [
        "workers/photo-test/profile.yml:2:11: 警告: portrait: 肖像「rotated.jpg」只有 200 像素宽，在大屏上会模糊"
        "（提示：换一张至少 480 像素宽的照片）"
    ]


def test_no_metadata_survives(photos: Path) -> None:
    build(photos)
    outputs = [
        p
        for p in (photos / "build/docs/workers/photo-test").iterdir()
        if p.suffix in (".jpg", ".webp")
    ]
    assert len(outputs) == 2 + 7 * 4  # card of the portrait; thumb and large of 7 pictures
    for path in outputs:
        data = path.read_bytes()
        assert not any(secret in data for secret in SECRETS), path.name
        im = Image.open(path)
        assert not (
            {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(im.info)
        ), (path, im.info.keys())
        assert len(im.getexif()) == 0


def test_exif_orientation_is_applied_and_small_sources_not_upscaled(photos: Path) -> None:
    webp, jpeg = derivatives(photos, "rotated.jpg", "card")
    assert webp.size == jpeg.size == (200, 266)  # upright 200x400, cropped to 3:4, not upscaled
    r, _, b = jpeg.convert("RGB").getpixel((100, 20))
    assert b > 150 and r < 80  # blue was on the left when stored, so on top when upright
    r, _, b = jpeg.convert("RGB").getpixel((100, 250))
    assert r > 150 and b < 80


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("cmyk.jpg", (255, 0, 0)),
        ("grey16.png", (128, 128, 128)),
        ("anim.webp", (200, 30, 30)),
        ("phone.heic", (200, 30, 30)),
    ],
)
def test_colour_modes_convert_without_clipping(
    photos: Path, source: str, expected: tuple[int, int, int]
) -> None:
    for im in derivatives(photos, source, "thumb"):
        pixel = im.convert("RGB").getpixel((im.width // 2, im.height // 2))
        assert all(abs(a - b) <= 40 for a, b in zip(pixel, expected, strict=True)), (source, pixel)


def test_palette_alpha_kept_in_webp_and_laid_on_white_in_jpeg(photos: Path) -> None:
    webp, jpeg = derivatives(photos, "palette.png", "thumb")
    assert webp.mode == "RGBA" and webp.getpixel((webp.width - 5, 10))[3] == 0
    assert jpeg.convert("RGB").getpixel((jpeg.width - 5, 10)) == pytest.approx(
        (255, 255, 255), abs=8
    )
    assert jpeg.convert("RGB").getpixel((5, 10))[0] > 150


def test_small_source_is_used_at_its_own_size(photos: Path) -> None:
    for preset in ("thumb", "large"):
        webp, jpeg = derivatives(photos, "small.jpg", preset)
        assert webp.width == jpeg.width == 300


def test_pages_carry_srcset_and_intrinsic_size(photos: Path) -> None:
    build(photos)
    page = (photos / "build/docs/workers/photo-test/index.md").read_text("utf-8")
    assert page.count('<source type="image/webp" srcset="') == 8
    assert 'width="200" height="266"' in page  # the portrait card
    assert " 480w, " in page and ' 640w"' in page  # thumb and large of text.png (640 wide)
    # the gallery and the print-only QR code; the portrait is above the fold
    assert page.count('loading="lazy"') == 8
    assert 'class="sc-qr-code" src="qr.svg" loading="lazy"' in page
    gallery = (photos / "build/docs/workers/index.md").read_text("utf-8")
    assert 'loading="lazy"' in gallery and "-card-200.webp 200w" in gallery


def test_cached_rerun_decodes_nothing_and_writes_nothing(photos: Path) -> None:
    first = build(photos)
    assert first.media is not None and first.media.decoded == 8 + 2  # and the mini fixture's two
    second = build(photos)
    assert second.media is not None and second.media.decoded == 0
    assert second.report is not None and second.report.written == []


def test_changed_photo_gets_new_names_and_old_ones_go(photos: Path) -> None:
    build(photos)
    docs = photos / "build/docs/workers/photo-test"
    before = {p.name for p in docs.iterdir()}
    Image.new("RGB", (300, 400), (10, 200, 10)).save(
        photos / "workers/photo-test/small.jpg", "JPEG"
    )
    result = build(photos)
    assert result.media is not None and result.media.decoded == 1
    after = {p.name for p in docs.iterdir()}
    assert len(before - after) == 4 and len(after - before) == 4  # thumb and large, webp and jpeg


def test_deleting_a_photo_removes_its_derivatives(photos: Path) -> None:
    build(photos)
    docs, cache = photos / "build/docs/workers/photo-test", photos / "build/media-cache"
    count_docs, count_cache = len(list(docs.iterdir())), len(list(cache.iterdir()))
    profile = photos / "workers/photo-test/profile.yml"
    profile.write_text(
        profile.read_text("utf-8").replace("  - {file: small.jpg, alt: 小图}\n", ""), "utf-8"
    )
    (photos / "workers/photo-test/small.jpg").unlink()
    build(photos)
    assert len(list(docs.iterdir())) == count_docs - 4
    assert len(list(cache.iterdir())) == count_cache - 4


BAD = {
    "text-named-jpg": (lambda p: p.write_text("这不是图片", "utf-8"), "不是有效的图片文件"),
    "truncated": (imagegen.truncated_jpeg, "图片文件已损坏或不完整"),
    "bomb": (imagegen.bomb_png, "像素过多（10000×6000），超过 50 百万像素"),
    "oversized": (imagegen.oversized_file, "文件超过 40 MB"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_image_is_a_located_error(tmp_path: Path, case: str) -> None:
    make, message = BAD[case]
    root = copy_tree(FIXTURES / "mini", tmp_path / "root")
    folder = root / "workers" / "bad-photo"
    folder.mkdir()
    (folder / "profile.yml").write_text("name: 坏图\nsources: [测试]\nportrait: bad.jpg\n", "utf-8")
    make(folder / "bad.jpg")
    result = build(root)
    errors = [p.format() for p in result.problems.errors]
    assert errors == [
        f"workers/bad-photo/profile.yml:3:11: portrait: 「bad.jpg」{message}（提示：换一张 JPEG、PNG、WebP 或 HEIC 照片）"
    ]
    assert not (root / "build/docs").exists()
