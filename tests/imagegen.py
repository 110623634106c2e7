"""Images made by code for the media tests: each one exercises one safety rule."""

from __future__ import annotations

import io
from pathlib import Path

import pillow_heif
from PIL import Image, ImageCms, PngImagePlugin

RED = (200, 30, 30)
BLUE = (30, 30, 200)


def exif_with_gps(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretCam"  # make
    gps = exif.get_ifd(0x8825)
    gps[2] = (30.0, 45.0, 10.0)  # latitude
    gps[4] = (120.0, 45.0, 10.0)  # longitude
    return exif


def rotated_jpeg(path: Path) -> None:
    """Stored 400x200 (landscape) with orientation 6: shown upright it is 200x400."""
    im = Image.new("RGB", (400, 200), RED)
    im.paste(BLUE, (0, 0, 200, 200))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SecretXMP</x:xmpmeta>'
    im.save(path, "JPEG", exif=exif_with_gps(6), icc_profile=srgb, xmp=xmp, quality=90)


def text_png(path: Path, size: tuple[int, int] = (640, 480)) -> None:
    meta = PngImagePlugin.PngInfo()
    meta.add_text("Comment", "SecretText phone 13912345678")
    Image.new("RGB", size, RED).save(path, "PNG", pnginfo=meta)


def cmyk_jpeg(path: Path) -> None:
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(path, "JPEG", quality=95)  # red


def png16(path: Path) -> None:
    Image.new("I;16", (300, 200), 32768).save(path, "PNG")  # mid grey


def palette_alpha_png(path: Path) -> None:
    im = Image.new("P", (300, 200), 0)
    im.putpalette([*RED, *BLUE] + [0] * 762)
    im.paste(1, (150, 0, 300, 200))
    im.save(path, "PNG", transparency=1)  # right half transparent


def animated_webp(path: Path) -> None:
    frames = [Image.new("RGB", (300, 200), RED), Image.new("RGB", (300, 200), BLUE)]
    frames[0].save(path, "WEBP", save_all=True, append_images=frames[1:], duration=100)


def heic(path: Path) -> None:
    pillow_heif.register_heif_opener()
    Image.new("RGB", (300, 200), RED).save(path, "HEIF")


def truncated_jpeg(path: Path) -> None:
    buf = io.BytesIO()
    Image.effect_noise((600, 400), 60).convert("RGB").save(buf, "JPEG", quality=90)
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])


def bomb_png(path: Path) -> None:
    """60 megapixels of nothing, a few kilobytes on disk."""
    Image.new("1", (10000, 6000), 0).save(path, "PNG")


def oversized_file(path: Path) -> None:
    """A valid JPEG padded to 41 MB (sparse: costs no disk)."""
    Image.new("RGB", (10, 10), RED).save(path, "JPEG")
    with path.open("r+b") as fh:
        fh.truncate(41 * 1024 * 1024)


def small_jpeg(path: Path, width: int = 300) -> None:
    Image.new("RGB", (width, width * 4 // 3), RED).save(path, "JPEG")
