"""Benchmark: the media pipeline against a naive single-process Pillow loop, on 12 MP photos.

    .venv/bin/python bench/media.py [--photos 24] [--repeat 3] [--what-if]
    .venv/bin/python bench/run.py --media [--photos 24] [--repeat 3] [--what-if]

Synthetic photos (4000×3000: blurred shapes on a colour gradient, grain at three scales,
JPEG quality 90, ~3 MB; EXIF orientation 6, 8 or 3 on some; one in six a ~25 MB PNG) are
written by a child process (so that this process stays small: a child's ru_maxrss starts at
its parent's peak) to a temporary repository root, six per worker gallery, each worker with
a small portrait `p.jpg`. Then, each in a fresh child that has imported the package first:

- pipeline cold: `showcase.build.check_all(root)` with an empty media cache, on all cores;
- cached rerun: the same `check_all(root)` again in that child; it must decode no image;
- naive: one process, for every image `Image.open → exif_transpose → thumbnail((1600, 1600))`
  and a 480 thumbnail, each saved as WebP and JPEG with Pillow's defaults (the portrait gets
  a 480×640 `ImageOps.fit` card). The same files as the pipeline's, but a photo that is
  upright-portrait gets 1200×1600, where the pipeline's 1600-wide preset makes 1600×2133;
- peak memory: each child's own ru_maxrss, and RUSAGE_CHILDREN for the pipeline's pool
  (the largest worker), whose CPU seconds give the pool's cost per image;
- with --what-if, the same derivatives made by cheaper chains (TUNINGS) over all cores;
- with --repeat R each is run R times; the table shows the fastest run (the machine may be
  shared), the worst memory and decode figures, and the load average around the runs.

Then, in this process, on one photo of each kind: the stages of `images.derive` timed one by
one (decode with draft, exif_transpose, clean copy, resizes, WebP, JPEG) next to the whole
chains; with --what-if also decode, resampling and encoder variants.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from showcase import images as img
from showcase.media import PRESETS

REPO = Path(__file__).resolve().parent.parent
CHILD_FLAG = "--child"
SEED = "showcase-media-bench-v1"
PHOTO_SIZE = (4000, 3000)  # 12 MP, stored landscape as phones do
SCENE_SIZE = (1000, 750)  # shapes are drawn small and blown up: smooth like a photo
# Grain at three scales, blended in with these weights (pixels per noise sample, weight):
# photo-like texture that survives downscaling, ~3 MB at quality 90 and ~300 kB per 1600 WebP.
GRAIN = ((1, 0.06), (4, 0.15), (16, 0.10))
JPEG_QUALITY = 90
PNG_LEVEL = 3
PORTRAIT_SIZE = (960, 1280)
PHOTOS_PER_WORKER = 6
# Per position in a cycle of 12: EXIF orientation of a JPEG, or 0 for a PNG.
CYCLE = (1, 6, 1, 1, 8, 0, 1, 6, 1, 3, 1, 0)
ORIENTATION_TAG = 0x0112
NAIVE_SIZES = (1600, 480)
NAIVE_CARD = (480, 640)
PORTRAIT_NAME = "p.jpg"
LANCZOS = Image.Resampling.LANCZOS
PIPELINE_WEBP: dict[str, Any] = {"quality": img.QUALITY, "method": img.WEBP_METHOD}
PIPELINE_JPEG: dict[str, Any] = {"quality": img.QUALITY, "optimize": True, "progressive": True}


# --- synthetic photos ---------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoSpec:
    index: int
    orientation: int  # 0: a PNG (no EXIF)

    @property
    def name(self) -> str:
        return f"photo-{self.index:03d}.{'png' if self.orientation == 0 else 'jpg'}"


def specs(n: int) -> list[PhotoSpec]:
    return [PhotoSpec(i, CYCLE[i % len(CYCLE)]) for i in range(n)]


def colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def scene(rng: random.Random) -> Image.Image:
    """A small smooth picture: a blown-up colour grid with soft blurred ellipses."""
    grid = Image.new("RGB", (4, 3))
    grid.putdata([colour(rng) for _ in range(12)])
    canvas = grid.resize(SCENE_SIZE, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(canvas)
    w, h = SCENE_SIZE
    for _ in range(rng.randint(5, 10)):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randint(40, 250)
        draw.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=colour(rng))
    return canvas.filter(ImageFilter.GaussianBlur(4))


def noise_fields() -> list[Image.Image]:
    """Deterministic uniform RGB noise the size of a photo, one field per grain scale."""
    rng = random.Random(f"{SEED}/noise")
    fields = []
    for step, _ in GRAIN:
        w, h = -(-PHOTO_SIZE[0] // step), -(-PHOTO_SIZE[1] // step)
        small = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3))
        fields.append(small.resize(PHOTO_SIZE, Image.Resampling.BICUBIC))
    return fields


def render(spec: PhotoSpec, noise: list[Image.Image]) -> Image.Image:
    """The scene blown up to 12 MP, with each grain field shifted by a per-photo offset."""
    rng = random.Random(f"{SEED}/{spec.index}")
    im = scene(rng).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    for field, (_, weight) in zip(noise, GRAIN, strict=True):
        dx, dy = rng.randrange(PHOTO_SIZE[0]), rng.randrange(PHOTO_SIZE[1])
        im = Image.blend(im, ImageChops.offset(field, dx, dy), weight)
    return im


def save_photo(im: Image.Image, spec: PhotoSpec, path: Path) -> None:
    if spec.orientation == 0:
        im.save(path, "PNG", compress_level=PNG_LEVEL)
        return
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make: metadata the pipeline must drop
    exif[ORIENTATION_TAG] = spec.orientation
    im.save(path, "JPEG", quality=JPEG_QUALITY, exif=exif.tobytes())


def write_portrait(path: Path, index: int) -> None:
    rng = random.Random(f"{SEED}/portrait/{index}")
    scene(rng).resize(PORTRAIT_SIZE, Image.Resampling.BICUBIC).save(path, "JPEG", quality=85)


# --- synthetic repository root ------------------------------------------------------------


def profile_yaml(worker: int, photos: list[PhotoSpec]) -> str:
    lines = [f"name: 媒体测试{worker:03d}", f"portrait: {PORTRAIT_NAME}", "gallery:"]
    lines += [f"  - {{file: {p.name}, alt: 合成测试照片{p.index:03d}}}" for p in photos]
    lines.append("sources: [测试]")
    return "\n".join(lines) + "\n"


def make_root(root: Path, n: int) -> list[Path]:
    """Settings, one worker per six photos; returns every image written (portraits too)."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / "exhibition.yml", root / "exhibition.yml")
    all_specs, noise, images = specs(n), noise_fields(), []
    for w in range(math.ceil(n / PHOTOS_PER_WORKER)):
        folder = root / "workers" / f"media-{w + 1:03d}"
        folder.mkdir(parents=True)
        mine = all_specs[w * PHOTOS_PER_WORKER : (w + 1) * PHOTOS_PER_WORKER]
        (folder / "profile.yml").write_text(profile_yaml(w + 1, mine), "utf-8")
        write_portrait(folder / PORTRAIT_NAME, w + 1)
        images.append(folder / PORTRAIT_NAME)
        for spec in mine:
            save_photo(render(spec, noise), spec, folder / spec.name)
            images.append(folder / spec.name)
    return images


# --- child: the pipeline ------------------------------------------------------------------


@dataclass
class PipelineRun:
    cold_s: float
    cold_decoded: int
    cached_s: float
    cached_decoded: int
    errors: int
    out_bytes: int
    pool_cpu_s: float
    self_mib: float
    pool_mib: float


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed_check(root: Path) -> tuple[float, int, int]:
    """Seconds, images decoded, and errors of one `check_all(root)`."""
    from showcase.build import check_all

    start = time.perf_counter()
    checked = check_all(root)
    problems, media = checked.problems, checked.media
    seconds = time.perf_counter() - start
    for p in problems.errors:
        print(p.format(), file=sys.stderr)
    return seconds, media.decoded, len(problems.errors)


def pipeline_child(root: Path) -> PipelineRun:
    import showcase.build  # noqa: F401  (warm-up import, not timed)
    from showcase.media import CACHE_DIR

    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    cold_s, cold_decoded, errors = timed_check(root)
    cached_s, cached_decoded, _ = timed_check(root)
    pool = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return PipelineRun(
        cold_s=cold_s,
        cold_decoded=cold_decoded,
        cached_s=cached_s,
        cached_decoded=cached_decoded,
        errors=errors,
        out_bytes=folder_bytes(root / CACHE_DIR) - (root / CACHE_DIR / "index.json").stat().st_size,
        pool_cpu_s=pool.ru_utime + pool.ru_stime,
        self_mib=own.ru_maxrss / 1024,
        pool_mib=pool.ru_maxrss / 1024,
    )


# --- child: the naive baseline ------------------------------------------------------------


@dataclass
class SimpleRun:
    seconds: float
    out_bytes: int
    self_mib: float
    pool_cpu_s: float = 0.0


def source_images(root: Path) -> list[Path]:
    return sorted((root / "workers").glob("*/*.*g"))


def save_both(im: Image.Image, stem: Path) -> None:
    """WebP and JPEG with Pillow's defaults (WebP quality 80 method 4, JPEG quality 75)."""
    im.save(stem.with_suffix(".webp"))
    im.save(stem.with_suffix(".jpg"))


def naive_one(source: Path, out: Path) -> None:
    with Image.open(source) as opened:
        im = ImageOps.exif_transpose(opened)
    if im.mode != "RGB":
        im = im.convert("RGB")
    stem = out / f"{source.parent.name}-{source.stem}"
    if source.name == PORTRAIT_NAME:  # a 3:4 card, as the pipeline makes
        save_both(ImageOps.fit(im, NAIVE_CARD), stem.with_name(stem.name + "-card"))
        return
    for size in NAIVE_SIZES:
        copy = im.copy()
        copy.thumbnail((size, size))
        save_both(copy, stem.with_name(f"{stem.name}-{size}"))


def naive_child(root: Path) -> SimpleRun:
    with tempfile.TemporaryDirectory(prefix="showcase-naive-") as tmp:
        start = time.perf_counter()
        for source in source_images(root):
            naive_one(source, Path(tmp))
        seconds = time.perf_counter() - start
        size = folder_bytes(Path(tmp))
    return SimpleRun(seconds, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


# --- child: what-if, the pipeline's derivatives made more cheaply --------------------------

# EXIF orientation → the transpose that makes the picture upright (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
TUNED_JPEG: dict[str, Any] = {"quality": img.QUALITY, "optimize": True}  # not progressive
TUNED_GAP = 2.0


@dataclass(frozen=True)
class Tuning:
    """One what-if: how the large derivative is sized and which filter makes it."""

    label: str
    box: bool  # fit 1600×1600 like the naive thumbnail(), not 1600 wide like the pipeline
    resample: Image.Resampling


TUNINGS = {
    "A": Tuning(
        "what-if A (same outputs: resize before turning, reducing_gap 2, thumb from large, "
        "no full-size copy, JPEG not progressive)",
        box=False,
        resample=LANCZOS,
    ),
    "B": Tuning(
        "what-if B (A, large within 1600×1600 as naive: upright-portrait photos 1200×1600)",
        box=True,
        resample=LANCZOS,
    ),
    "C": Tuning("what-if C (B with BICUBIC)", box=True, resample=Image.Resampling.BICUBIC),
}


def swapped(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Stored size ↔ upright size."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def target(size: tuple[int, int], width: int, box: bool) -> tuple[int, int]:
    """Upright output size: `width` wide, or within a width×width box; never upscaled."""
    if not box or size[0] >= size[1]:
        return fit_width(size, width)
    height = min(width, size[1])
    return max(1, round(size[0] * height / size[1])), height


def checked_open(source: Path) -> Image.Image:
    """The pipeline's cheap checks (bytes, format, pixels), without decoding yet."""
    if source.stat().st_size > img.MAX_BYTES:
        raise img.BadImage("too many bytes")
    im = Image.open(source)
    if im.format not in img.ALLOWED_FORMATS or im.width * im.height > img.MAX_PIXELS:
        raise img.BadImage("format or pixels")
    return im


def tuned_large(source: Path, tuning: Tuning) -> Image.Image:
    """Decoded with draft for exactly the size needed, resized in the stored orientation
    (reducing_gap 2), turned afterwards, with no full-size clean copy."""
    im = checked_open(source)
    orientation = im.getexif().get(ORIENTATION_TAG, 1)
    size = target(swapped(im.size, orientation), want(), tuning.box)
    stored = swapped(size, orientation)
    im.draft("RGB", stored)  # JPEG only: the smallest 1/2^k scale still at least this big
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGB")  # (no ICC conversion: the synthetic photos carry no profile)
    large = im.resize(stored, tuning.resample, reducing_gap=TUNED_GAP)
    if orientation in UPRIGHT:
        large = large.transpose(UPRIGHT[orientation])
    large.info.clear()  # no metadata of the source travels on
    return large


def tuned_one(source: Path, out: Path, tuning: Tuning = TUNINGS["A"]) -> None:
    """Large and thumb of one gallery photo, the thumb made from the large image."""
    large = tuned_large(source, tuning)
    thumb = large.resize(target(large.size, 480, tuning.box), tuning.resample)
    for im, name in ((large, "large"), (thumb, "thumb")):
        stem = out / f"{source.parent.name}-{source.stem}-{name}"
        im.save(stem.with_suffix(".webp"), "WEBP", **PIPELINE_WEBP)
        im.save(stem.with_suffix(".jpg"), "JPEG", **TUNED_JPEG)


def tuned_job(source: Path, out: Path, tuning: Tuning) -> None:
    if source.name == PORTRAIT_NAME:  # small: the pipeline's own derive makes the card
        img.derive(img.Job(source, source.parent.name, PRESETS["portrait"], (0.5, 0.35), out))
    else:
        tuned_one(source, out, tuning)


def tuned_child(root: Path, tuning: Tuning) -> SimpleRun:
    """All images over all cores, the largest files first so that no big one comes last."""
    sources = sorted(source_images(root), key=lambda p: -p.stat().st_size)
    with tempfile.TemporaryDirectory(prefix="showcase-tuned-") as tmp:
        jobs = partial(tuned_job, out=Path(tmp), tuning=tuning)
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(jobs, sources, chunksize=1))
        seconds = time.perf_counter() - start
        size = folder_bytes(Path(tmp))
    pool_use = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return SimpleRun(seconds, size, own, pool_use.ru_utime + pool_use.ru_stime)


def child(kind: str, root: Path, extra: list[str]) -> None:
    if kind == "make":
        make_root(root, int(extra[0]))
        return
    runners: dict[str, Callable[[Path], PipelineRun | SimpleRun]] = {
        "pipeline": pipeline_child,
        "naive": naive_child,
        "tuned": lambda r: tuned_child(r, TUNINGS[extra[0]]),
    }
    print(json.dumps(asdict(runners[kind](root))))


# --- parent: runs and the table -----------------------------------------------------------


def run_child(kind: str, root: Path, *extra: str) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), CHILD_FLAG, kind, str(root), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        sys.exit(f"{kind} child failed ({proc.returncode}):\n{proc.stderr}")
    lines = proc.stdout.strip().splitlines()
    result: dict[str, float] = json.loads(lines[-1]) if lines else {}
    return result


def best_pipeline(runs: list[PipelineRun]) -> PipelineRun:
    """The fastest cold run (with its own pool CPU); worst decode counts, errors and memory."""
    best = min(runs, key=lambda r: r.cold_s)
    return PipelineRun(
        cold_s=best.cold_s,
        cold_decoded=max(r.cold_decoded for r in runs),
        cached_s=min(r.cached_s for r in runs),
        cached_decoded=max(r.cached_decoded for r in runs),
        errors=max(r.errors for r in runs),
        out_bytes=best.out_bytes,
        pool_cpu_s=best.pool_cpu_s,
        self_mib=max(r.self_mib for r in runs),
        pool_mib=max(r.pool_mib for r in runs),
    )


def best_simple(runs: list[SimpleRun]) -> SimpleRun:
    best = min(runs, key=lambda r: r.seconds)
    return SimpleRun(best.seconds, best.out_bytes, max(r.self_mib for r in runs), best.pool_cpu_s)


@dataclass
class Measured:
    pipeline: PipelineRun
    naive: SimpleRun
    tuned: dict[str, SimpleRun]
    floor_mib: float  # this process's peak when the children start: a floor for theirs
    load: tuple[float, float]  # 1-minute load average before and after: was the machine shared?


def measure(root: Path, repeat: int, what_if: bool) -> Measured:
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_before = os.getloadavg()[0]
    pipes: list[PipelineRun] = []
    naives: list[SimpleRun] = []
    tuned: dict[str, list[SimpleRun]] = {name: [] for name in TUNINGS if what_if}
    for i in range(repeat):
        pipes.append(PipelineRun(**run_child("pipeline", root)))
        naives.append(SimpleRun(**run_child("naive", root)))
        for name, runs in tuned.items():
            runs.append(SimpleRun(**run_child("tuned", root, name)))
        print(f"repeat {i + 1}/{repeat} done", file=sys.stderr)
    best_tuned = {name: best_simple(runs) for name, runs in tuned.items()}
    load = (load_before, os.getloadavg()[0])
    return Measured(best_pipeline(pipes), best_simple(naives), best_tuned, floor, load)


def mib(n: float) -> str:
    return f"{n / 1024 / 1024:.1f}"


Row = tuple[str, str]


def pipeline_rows(photos: int, images: list[Path], m: Measured) -> list[Row]:
    p, n, cores = m.pipeline, m.naive, os.cpu_count() or 1
    efficiency = p.pool_cpu_s / cores / p.cold_s
    return [
        ("photos (+ small portraits)", f"{photos} (+{len(images) - photos})"),
        ("source size (MiB)", mib(sum(i.stat().st_size for i in images))),
        ("cores", f"{cores}"),
        ("**pipeline cold, all cores (s)**", f"**{p.cold_s:.2f}**"),
        ("**pipeline cold (photos/s)**", f"**{photos / p.cold_s:.2f}**"),
        ("pipeline pool CPU per image (s)", f"{p.pool_cpu_s / len(images):.3f}"),
        ("pipeline parallel efficiency (pool CPU / cores × wall)", f"{efficiency:.0%}"),
        ("**naive, one core (s)**", f"**{n.seconds:.2f}**"),
        ("**naive (photos/s)**", f"**{photos / n.seconds:.2f}**"),
        ("**speed-up pipeline / naive**", f"**{n.seconds / p.cold_s:.2f}×**"),
        ("**cached rerun (s)**", f"**{p.cached_s:.3f}**"),
        ("**decoded cold / cached**", f"**{p.cold_decoded} / {p.cached_decoded}**"),
        ("errors reported", f"{p.errors}"),
        ("output size pipeline / naive (MiB)", f"{mib(p.out_bytes)} / {mib(n.out_bytes)}"),
    ]


def memory_rows(m: Measured) -> list[Row]:
    return [
        ("peak RSS pipeline process (MiB)", f"{m.pipeline.self_mib:.0f}"),
        ("peak RSS largest pool worker (MiB)", f"{m.pipeline.pool_mib:.0f}"),
        ("peak RSS naive process (MiB)", f"{m.naive.self_mib:.0f}"),
        ("(floor: bench parent's peak when children start, MiB)", f"{m.floor_mib:.0f}"),
        ("load average (1 min) before / after", f"{m.load[0]:.2f} / {m.load[1]:.2f}"),
    ]


def tuned_rows(photos: int, images: list[Path], m: Measured) -> list[Row]:
    rows = []
    for name, t in m.tuned.items():
        speed = f"{photos / t.seconds:.2f}, {m.naive.seconds / t.seconds:.2f}×"
        cost = f"{t.pool_cpu_s / len(images):.3f}, {mib(t.out_bytes)}"
        rows += [
            (f"{TUNINGS[name].label}, all cores (s)", f"{t.seconds:.2f}"),
            (f"what-if {name}: photos/s, speed-up over naive", speed),
            (f"what-if {name}: pool CPU per image (s), output (MiB)", cost),
        ]
    return rows


def table(photos: int, images: list[Path], m: Measured) -> str:
    rows = pipeline_rows(photos, images, m) + memory_rows(m) + tuned_rows(photos, images, m)
    lines = ["| measure | value |", "|---|---:|"]
    return "\n".join(lines + [f"| {k} | {v} |" for k, v in rows])


# --- stages and variants on single photos, in this process --------------------------------

# Alternatives measured on the 1600 derivative: (label, format, save options).
ENCODINGS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("WebP q82 method 0 (pipeline)", "WEBP", PIPELINE_WEBP),
    ("WebP q82 method 2", "WEBP", {"quality": 82, "method": 2}),
    ("WebP q82 method 4", "WEBP", {"quality": 82, "method": 4}),
    ("WebP q80 method 4 (Pillow default)", "WEBP", {}),
    ("WebP q82 method 6", "WEBP", {"quality": 82, "method": 6}),
    ("JPEG q82 optimize+progressive (pipeline)", "JPEG", PIPELINE_JPEG),
    ("JPEG q82 optimize", "JPEG", {"quality": 82, "optimize": True}),
    ("JPEG q82 progressive", "JPEG", {"quality": 82, "progressive": True}),
    ("JPEG q82 plain", "JPEG", {"quality": 82}),
    ("JPEG q75 plain (Pillow default)", "JPEG", {}),
)
# Resampling alternatives for both presets: (label, filter, reducing_gap).
RESIZES: tuple[tuple[str, Image.Resampling, float | None], ...] = (
    ("LANCZOS (pipeline)", LANCZOS, None),
    ("LANCZOS reducing_gap=3", LANCZOS, 3.0),
    ("LANCZOS reducing_gap=2", LANCZOS, 2.0),
    ("BICUBIC", Image.Resampling.BICUBIC, None),
    ("BICUBIC reducing_gap=2 (thumbnail)", Image.Resampling.BICUBIC, 2.0),
    ("BILINEAR", Image.Resampling.BILINEAR, None),
)
Variant = tuple[str, float, int]  # label, seconds, bytes (0 when not an encoding)


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def encoded(im: Image.Image, fmt: str, options: dict[str, Any]) -> int:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.tell()


def fit_width(size: tuple[int, int], width: int) -> tuple[int, int]:
    """The size `images.derive` gives a preset of this width (never upscaled)."""
    width = min(width, size[0])
    return width, max(1, round(size[1] * width / size[0]))


def sized(im: Image.Image, width: int) -> tuple[int, int]:
    return fit_width(im.size, width)


def resize_all(im: Image.Image, method: Image.Resampling, gap: float | None) -> list[Image.Image]:
    return [im.resize(sized(im, p.width), method, reducing_gap=gap) for p in PRESETS["picture"]]


def encode_all(outputs: list[Image.Image], fmt: str, options: dict[str, Any]) -> None:
    for im in outputs:
        encoded(im, fmt, options)


def clean_copy(im: Image.Image) -> None:
    Image.new(im.mode, im.size).paste(im)


def want(role: str = "picture") -> int:
    return max(p.width for p in PRESETS[role])


def derive_once(path: Path, out: Path) -> None:
    result = img.derive(img.Job(path, "bench", PRESETS["picture"], (0.5, 0.35), out))
    if result.error:
        raise RuntimeError(result.error)


def in_temp(fn: Callable[[Path, Path], None], path: Path) -> None:
    """One whole chain, writing its files to a fresh folder as the real runs do."""
    with tempfile.TemporaryDirectory(prefix="showcase-stage-") as tmp:
        fn(path, Path(tmp))


def stage_times(path: Path, repeat: int) -> dict[str, float]:
    """The steps of `images.derive` for one gallery photo (both presets), each timed alone."""
    presets = PRESETS["picture"]
    t = {
        "decode at needed scale (+ reduce)": best_of(
            repeat, partial(img.open_checked, path, presets)
        )
    }
    decoded, _ = img.open_checked(path, presets)
    t["exif_transpose"] = best_of(repeat, partial(ImageOps.exif_transpose, decoded))
    up = ImageOps.exif_transpose(decoded)
    t["clean copy (to_srgb)"] = best_of(repeat, partial(clean_copy, up))
    t["resize 1600 + 480 (LANCZOS)"] = best_of(repeat, partial(resize_all, up, LANCZOS, None))
    outputs = resize_all(up, LANCZOS, None)
    t["WebP encode ×2"] = best_of(repeat, partial(encode_all, outputs, "WEBP", PIPELINE_WEBP))
    t["JPEG encode ×2"] = best_of(repeat, partial(encode_all, outputs, "JPEG", PIPELINE_JPEG))
    t["sum of stages"] = sum(t.values())
    t["**derive() whole (pipeline)**"] = best_of(repeat, partial(in_temp, derive_once, path))
    for name, tuning in TUNINGS.items():
        chain = partial(tuned_one, tuning=tuning)
        t[f"**what-if {name}**"] = best_of(repeat, partial(in_temp, chain, path))
    t["**naive chain**"] = best_of(repeat, partial(in_temp, naive_one, path))
    return t


def stages_table(samples: dict[str, Path], repeat: int) -> str:
    columns = {label: stage_times(path, repeat) for label, path in samples.items()}
    stages = next(iter(columns.values()))
    lines = ["| stage (ms) | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for stage in stages:
        cells = " | ".join(f"{c[stage] * 1000:.0f}" for c in columns.values())
        lines.append(f"| {stage} | {cells} |")
    return "\n".join(lines)


def full_decode(path: Path) -> None:
    with Image.open(path) as im:
        im.load()


def half_decode(path: Path) -> None:
    """JPEG decoded at 1/2 scale whatever the orientation (a rotated photo then gives 1500)."""
    with Image.open(path) as im:
        im.draft("RGB", (im.width // 2, im.height // 2))
        im.load()


def decode_variants(label: str, path: Path, repeat: int) -> list[Variant]:
    return [
        (f"{label}: decode full", best_of(repeat, partial(full_decode, path)), 0),
        (f"{label}: decode 1/2 scale", best_of(repeat, partial(half_decode, path)), 0),
        (
            f"{label}: decode as pipeline (draft)",
            best_of(repeat, partial(img.open_checked, path, PRESETS["picture"])),
            0,
        ),
    ]


def upright(path: Path) -> Image.Image:
    return ImageOps.exif_transpose(img.open_checked(path, PRESETS["picture"])[0])


def resize_cascade(im: Image.Image) -> None:
    """The large preset from the source, the thumb from the large (LANCZOS both)."""
    large = im.resize(sized(im, 1600), LANCZOS)
    large.resize(sized(large, 480), LANCZOS)


def resize_variants(label: str, up: Image.Image, repeat: int) -> list[Variant]:
    head = f"{label}: resize {up.width}×{up.height}→1600+480"
    rows = [
        (f"{head} {name}", best_of(repeat, partial(resize_all, up, method, gap)), 0)
        for name, method, gap in RESIZES
    ]
    cascade = best_of(repeat, partial(resize_cascade, up))
    return [*rows, (f"{head} LANCZOS, 480 made from the 1600", cascade, 0)]


def encode_variants(large: Image.Image, repeat: int) -> list[Variant]:
    rows = []
    for name, fmt, opts in ENCODINGS:
        seconds = best_of(repeat, partial(encoded, large, fmt, opts))
        rows.append(
            (f"encode {large.width}×{large.height} {name}", seconds, encoded(large, fmt, opts))
        )
    return rows


def variants_table(samples: dict[str, Path], repeat: int) -> str:
    """Decode options for the JPEGs, resampling for every kind, encoders on one 1600 image."""
    rows: list[Variant] = []
    for label, path in samples.items():
        if path.suffix == ".jpg":
            rows += decode_variants(label, path, repeat)
        rows += resize_variants(label, upright(path), repeat)
    up = upright(samples["JPEG"])
    rows += encode_variants(up.resize(sized(up, 1600), LANCZOS), repeat)
    lines = ["| variant | ms | bytes |", "|---|---:|---:|"]
    lines += [f"| {label} | {s * 1000:.0f} | {size or ''} |" for label, s, size in rows]
    return "\n".join(lines)


def samples_of(images: list[Path]) -> dict[str, Path]:
    """One photo of each kind: upright JPEG, EXIF-rotated (6) JPEG, PNG."""
    by_spec = {p.name: p for p in images}
    chosen = {}
    for spec in specs(len(CYCLE)):
        label = {1: "JPEG", 6: "JPEG orient. 6", 0: "PNG"}.get(spec.orientation)
        if label and label not in chosen and spec.name in by_spec:
            chosen[label] = by_spec[spec.name]
    return chosen


# --- command line -------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--photos", type=int, default=24, help="number of 12 MP photos")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measurement; the fastest is shown"
    )
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="also time the what-if chains over all photos, and decode/resize/encode variants",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == [CHILD_FLAG]:
        child(argv[1], Path(argv[2]), argv[3:])
        return 0
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="showcase-media-bench-") as tmp:
        root = Path(tmp) / "root"
        start = time.perf_counter()
        run_child("make", root, str(args.photos))  # in a child: this process stays small
        print(f"photos written in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        images = source_images(root)
        measured = measure(root, args.repeat, args.what_if)
        print(table(args.photos, images, measured))
        samples = samples_of(images)
        print(f"\nOne photo of each kind, in this process, best of {args.repeat} (ms):\n")
        print(stages_table(samples, args.repeat))
        if args.what_if:
            print(f"\nVariants, best of {args.repeat}:\n")
            print(variants_table(samples, args.repeat))
    p = measured.pipeline
    if p.cached_decoded or p.errors:
        print("the cached rerun decoded images, or the pipeline reported errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
