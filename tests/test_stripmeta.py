"""A picture (JPEG, PNG, WebP) an editor puts under content/ is published without its metadata (GPS, device,
comments, XMP, text chunks, what a phone appends after it) and with the same pixels and
orientation; a file without metadata, or not a well-formed picture, is copied as it is."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, PngImagePlugin

from showcase.stripmeta import stripped

from conftest import Visit, run

PHONE = "13912345678"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
    b'photoshop:City="\xe7\xa4\xba\xe4\xbe\x8b"/></rdf:RDF></x:xmpmeta>'
)


def picture() -> Image.Image:
    im = Image.new("RGB", (64, 48), (183, 28, 28))
    for x in range(64):
        im.putpixel((x, x % 48), (242, 183, 5))
    return im


def phone_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # rotated: a phone held upright
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (30.0, 45.0, 12.5), 3: "E", 4: (120.0, 45.0, 1.0)}
    return exif


def phone_jpeg(orientation: int = 6) -> bytes:
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=phone_exif(orientation), comment=PHONE.encode(), xmp=XMP)
    return out.getvalue() + b"motion photo video " + PHONE.encode()


def test_a_phone_jpeg_keeps_its_pixels_and_orientation_and_nothing_else() -> None:
    data = phone_jpeg()
    clean = stripped("team.JPG", data)
    before, after = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(clean))
    assert after.tobytes() == before.tobytes()  # the compressed data is the same
    assert dict(after.getexif()) == {0x0112: 6}
    for leak in (PHONE.encode(), b"PhoneMaker", b"xmpmeta", b"motion photo"):
        assert leak in data and leak not in clean
    assert stripped("team.jpg", clean) is clean  # nothing left to strip


def test_upright_jpeg_needs_no_exif_at_all() -> None:
    clean = stripped("a.jpeg", phone_jpeg(orientation=1))
    assert b"Exif" not in clean
    assert dict(Image.open(io.BytesIO(clean)).getexif()) == {}


def test_png_text_chunks_and_exif_go_and_its_pixels_stay() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", PHONE)
    info.add_itxt("Comment", "示例路88号秘密住址")
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info, exif=phone_exif())
    data = out.getvalue()
    clean = stripped("plan.png", data)
    assert Image.open(io.BytesIO(clean)).tobytes() == picture().tobytes()
    for leak in (PHONE.encode(), "示例路".encode(), b"eXIf", b"PhoneMaker"):
        assert leak in data and leak not in clean


def test_anything_else_is_copied_as_it_is() -> None:
    plain = io.BytesIO()
    picture().save(plain, "JPEG")
    for name, data in [
        ("plain.jpg", plain.getvalue()),
        ("broken.jpg", b"\xff\xd8\xff\xe1\x99 not a jpeg"),
        ("cut.jpg", phone_jpeg()[:2]),  # cut short: no marker after the start
        ("cut.jpeg", phone_jpeg()[:3]),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00"),
        ("cut.webp", b"RIFF\x04\x00\x00\x00WEBP"),
        ("notes.txt", phone_jpeg()),  # by its name, not a picture
        ("wrong.png", phone_jpeg()),  # a JPEG named .png
    ]:
        assert stripped(name, data) is data, name


def test_the_built_site_holds_the_stripped_picture(mini: Path) -> None:
    folder = mini / "content" / "about"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "team.jpg").write_bytes(phone_jpeg())
    done = run(mini, "site")
    assert done.returncode == 0, done.stdout + done.stderr
    published = (mini / "site" / "about" / "team.jpg").read_bytes()
    assert published == stripped("team.jpg", phone_jpeg())
    assert PHONE.encode() not in published


def test_webp_exif_and_xmp_chunks_go_and_its_pixels_stay() -> None:
    out = io.BytesIO()
    xmp = b"<x:xmpmeta>" + PHONE.encode() + b"</x:xmpmeta>"
    picture().save(out, "WEBP", exif=phone_exif(), xmp=xmp, lossless=True)
    data = out.getvalue()
    clean = stripped("poster.webp", data)
    assert Image.open(io.BytesIO(clean)).tobytes() == picture().tobytes()
    for leak in (PHONE.encode(), b"PhoneMaker"):
        assert leak in data and leak not in clean
    assert stripped("poster.webp", clean) is clean


def test_a_corrupt_exif_block_is_dropped_without_a_word() -> None:
    """An EXIF block Pillow cannot read holds no orientation to keep: it goes, the rest of
    the picture stays (no exception, no warning on the editor's terminal)."""
    good = stripped("a.jpg", phone_jpeg(orientation=1))  # a JPEG without EXIF
    broken_exif = b"\xff\xe1\x00\x10Exif\x00\x00II*\x00\x08\x00\x00\x00"
    data = good[:2] + broken_exif + good[2:]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert stripped("a.jpg", data) == good


def test_chromium_shows_the_stripped_picture_as_the_original(
    tmp_path: Path, browser: object
) -> None:
    """A phone's picture stored sideways with orientation 6: Chromium turns both upright
    the same way (200 wide, 320 high) and draws the same pixels."""
    wide = Image.new("RGB", (320, 200), (183, 28, 28))
    wide.paste((242, 183, 5), (0, 0, 100, 60))
    out = io.BytesIO()
    wide.save(out, "JPEG", exif=phone_exif(6), quality=90)
    (tmp_path / "original.jpg").write_bytes(out.getvalue())
    (tmp_path / "stripped.jpg").write_bytes(stripped("stripped.jpg", out.getvalue()))
    page = tmp_path / "compare.html"
    page.write_text('<img id="a" src="original.jpg"><img id="b" src="stripped.jpg">', "utf-8")
    visit = Visit(browser).open(page.as_uri())
    sizes = visit.page.evaluate("[...document.images].map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes == [[200, 320], [200, 320]]
    a = Image.open(io.BytesIO(visit.page.locator("#a").screenshot()))
    b = Image.open(io.BytesIO(visit.page.locator("#b").screenshot()))
    assert a.tobytes() == b.tobytes()
