"""Decoding, checking and re-encoding one image. Runs in worker processes.

Every image is fully decoded when first seen (truncated files fail), orientation from EXIF
is applied, colour is brought to sRGB 8-bit, and derivatives are encoded from pixels only:
no EXIF, GPS, XMP, ICC or text chunk reaches the site. Animated images use their first frame.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from showcase.write import atomic_write

try:  # phones send HEIC; pillow-heif teaches Pillow to read it
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a pinned dependency
    pass

# MPO is a JPEG followed by more pictures (phones write it for depth or 3D); its first
# picture is a plain JPEG and is the one used.
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
MAX_PIXELS = 50_000_000  # 50 MP: above this a file is refused as a decompression bomb
MAX_BYTES = 40 * 1024 * 1024
WEBP_METHOD = 0  # measured: method 4 costs ~4x the time for about the same size
QUALITY = 82
ORIENTATION = 0x0112
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Preset:
    """One derivative size: a width, an aspect to crop to (None keeps the photo's), and
    whether the size is a square box the picture must fit (so tall photos are not huge)."""

    name: str
    width: int
    aspect: tuple[int, int] | None = None
    box: bool = False

    def crop_width(self, size: tuple[int, int]) -> int:
        w, h = size
        return min(w, h * self.aspect[0] // self.aspect[1]) if self.aspect else w

    def out_width(self, size: tuple[int, int]) -> int:
        """Width of the output for an upright source of `size`; never upscaled."""
        w, h = size
        cw = self.crop_width(size)
        limit = min(self.width, self.width * w // h) if self.box and h > w else self.width
        return min(limit, cw)

    def scale(self, size: tuple[int, int]) -> float:
        return self.out_width(size) / self.crop_width(size)


@dataclass(frozen=True)
class Job:
    source: Path
    key: str  # content hash of source + parameters
    presets: tuple[Preset, ...]
    focus: tuple[float, float]  # 0..1 from left and top
    out_dir: Path
    write: bool = True  # False: check and size everything, write no file (showcase check)


@dataclass(frozen=True)
class Output:
    preset: str
    width: int
    height: int
    files: tuple[str, ...]  # cache file names: webp then jpeg
    sha256: tuple[str, ...] = ()  # of each file's bytes, as written; () when not written


@dataclass(frozen=True)
class Result:
    key: str
    error: str = ""  # Chinese, for editors
    width: int = 0
    height: int = 0
    outputs: tuple[Output, ...] = ()
    decoded: int = 0


class BadImage(Exception):
    pass


def open_checked(path: Path, presets: tuple[Preset, ...]) -> tuple[Image.Image, tuple[int, int]]:
    """Open, check and fully decode at the smallest scale the presets need.

    Returns the decoded image (stored orientation, maybe reduced) and the upright size of
    the original. JPEGs decode at 1/2, 1/4 or 1/8 scale when that is enough; anything
    still much larger than needed is reduced before it is rotated and converted."""
    if path.stat().st_size > MAX_BYTES:
        raise BadImage(f"文件超过 {MAX_BYTES // 1024 // 1024} MB")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(path)
            if im.format not in ALLOWED_FORMATS:
                raise BadImage(f"不支持的图片格式 {im.format}")
            if im.width * im.height > MAX_PIXELS:
                raise BadImage(
                    f"像素过多（{im.width}×{im.height}），超过 {MAX_PIXELS // 1_000_000} 百万像素"
                )
            turned = im.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
            upright = (im.height, im.width) if turned else im.size
            ratio = max(p.scale(upright) for p in presets)
            need = (max(1, math.ceil(im.width * ratio)), max(1, math.ceil(im.height * ratio)))
            if im.format in ("JPEG", "MPO"):
                im.draft(im.mode if im.mode in ("RGB", "L") else None, need)  # type: ignore[arg-type]
            im.load()
        except BadImage:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise BadImage("像素过多，可能是恶意构造的图片") from None
        except Image.UnidentifiedImageError:
            raise BadImage("不是有效的图片文件") from None
        except (OSError, SyntaxError, ValueError):
            raise BadImage("图片文件已损坏或不完整") from None
    if im.width > need[0] * 1.05 and im.mode not in ("P", "I;16", "I;16B", "I;16L", "I"):
        exif, icc = im.getexif(), im.info.get("icc_profile")
        im = im.resize(need, Image.Resampling.BICUBIC, reducing_gap=2.0)  # final sizes: LANCZOS
        im.info["exif"], im.info["icc_profile"] = exif.tobytes(), icc  # kept for to_srgb only
    return im, upright


def to_srgb(im: Image.Image) -> Image.Image:
    """Apply orientation and bring any mode to 8-bit RGB or RGBA in sRGB."""
    icc = im.info.get("icc_profile")
    im = ImageOps.exif_transpose(im) or im
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode in ("LA", "PA", "La"):
        im = im.convert("RGBA")
    if icc and im.mode in ("RGB", "CMYK", "L"):
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            im = ImageCms.profileToProfile(im, src, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: fall back to the plain conversion below
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGB")
    clean = Image.new(im.mode, im.size)
    clean.paste(im)
    return clean  # a fresh image: no info, no metadata


def crop_to(im: Image.Image, aspect: tuple[int, int], focus: tuple[float, float]) -> Image.Image:
    aw, ah = aspect
    w, h = im.size
    if w * ah > h * aw:  # too wide
        cw, ch = h * aw // ah, h
    else:
        cw, ch = w, w * ah // aw
    left = min(max(round(focus[0] * w - cw / 2), 0), w - cw)
    top = min(max(round(focus[1] * h - ch / 2), 0), h - ch)
    return im.crop((left, top, left + cw, top + ch))


def encode(im: Image.Image, stem: Path) -> tuple[tuple[str, str], tuple[str, str]]:
    """Write the WebP and the JPEG of `im` (atomically); their names and sha256."""
    webp, jpeg = io.BytesIO(), io.BytesIO()
    im.save(webp, "WEBP", quality=QUALITY, method=WEBP_METHOD)
    flat = im
    if im.mode == "RGBA":  # JPEG has no alpha: lay it on white
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
    flat.save(jpeg, "JPEG", quality=QUALITY, optimize=True)  # progressive: 2x time, 2% bytes
    names, hashes = [], []
    for suffix, buffer in ((".webp", webp), (".jpg", jpeg)):
        target, data = stem.with_suffix(suffix), buffer.getvalue()
        atomic_write(target, data)
        names.append(target.name)
        hashes.append(hashlib.sha256(data).hexdigest())
    return (names[0], names[1]), (hashes[0], hashes[1])


def derive(job: Job) -> Result:
    """Decode once, check, and write every preset of one source into the cache folder."""
    try:
        decoded, upright = open_checked(job.source, job.presets)
        im = to_srgb(decoded)
    except BadImage as err:
        return Result(job.key, error=str(err), decoded=1)
    outputs = []
    for preset in job.presets:
        base = crop_to(im, preset.aspect, job.focus) if preset.aspect else im
        width = min(preset.out_width(upright) if preset.box else preset.width, base.width)
        height = max(1, round(base.height * width / base.width))
        sized = (
            base
            if width == base.width or not job.write
            else base.resize((width, height), Image.Resampling.LANCZOS)
        )
        stem = job.out_dir / f"{job.key}-{preset.name}-{width}"
        if not job.write:  # the names and sizes a real run makes, no pixels encoded
            names = (stem.with_suffix(".webp").name, stem.with_suffix(".jpg").name)
            outputs.append(Output(preset.name, width, height, names))
            continue
        names, hashes = encode(sized, stem)
        outputs.append(Output(preset.name, width, height, names, hashes))
    return Result(job.key, width=upright[0], height=upright[1], outputs=tuple(outputs), decoded=1)
