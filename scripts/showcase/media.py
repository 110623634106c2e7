"""The media pipeline: which derivatives each referenced image or video needs, made once.

Derivatives live in a cache folder named by the hash of the source bytes and the
parameters, so a changed photo or setting makes new files and an unchanged one is never
decoded again. Cache entries record the result of checking each source, so a rerun with
no change decodes no image. New work is spread over all cores. A local video's only
"derivative" is its remux without metadata (video.py), cached and verified the same way, and
so is a page's share card (sharecard.py), drawn from these derivatives once they are checked.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from showcase.images import Job, Output, Preset, Result, derive
from showcase.model import Studio, Worker
from showcase.problems import Problems
from showcase.sharecard import PRESET as SHARE
from showcase.sharecard import CardJob, make_card
from showcase.walk import walked
from showcase.write import atomic_write

CACHE_DIR = Path("build/media-cache")
CARD = Preset("card", 480, (3, 4))
THUMB = Preset("thumb", 480)
LARGE = Preset("large", 1600, box=True)  # fits 1600x1600: a tall photo is 1200x1600
PRESETS: dict[str, tuple[Preset, ...]] = {
    "portrait": (CARD,),
    "picture": (THUMB, LARGE),
    "video": (),
}
HINTS = {"video": "换一个 MP4（H.264/HEVC）或 WebM 视频"}
IMAGE_HINT = "换一张 JPEG、PNG、WebP 或 HEIC 照片"
PARAMS_VERSION = "3"  # bump when encoding changes, to renew every derivative
SMALL_PORTRAIT = 480
DEFAULT_FOCUS = (0.5, 0.35)  # faces sit in the upper part of most portraits


@dataclass(frozen=True)
class Ref:
    """One place a data file refers to an image."""

    kind: str  # the entry's parent folder: workers, studios or content/books
    slug: str
    file: str
    role: str  # portrait | picture | video
    field: str  # where it was written, for messages
    loc: tuple[str, int, int]
    focus: tuple[float, float] = DEFAULT_FOCUS

    @property
    def source(self) -> str:
        return f"{self.kind}/{self.slug}/{self.file}"


@dataclass
class MediaIndex:
    """What the renderers need: the derivatives of every image, by source path and role."""

    images: dict[tuple[str, str], Result] = field(default_factory=dict)
    decoded: int = 0
    notes: list[str] = field(default_factory=list)  # Chinese, e.g. a corrupt cache file remade
    read_only: bool = False  # showcase check: new derivatives were sized, not written
    cards: dict[str, Result] = field(default_factory=dict)  # share cards, by docs page
    pending: Callable[[], None] | None = None  # cards still being drawn (see finish)

    def get(self, source: str, role: str) -> Result | None:
        return self.images.get((source, role))

    def finish(self) -> None:
        """Wait for the cards drawn in the background (process(background=True)), check
        them, and record them in the cache's index; nothing to do otherwise."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending()


def image_refs(entry: Worker | Studio, kind: str) -> list[Ref]:
    refs = []
    for owner, key, full, value, sp in walked(entry):
        if not sp.media or (full.startswith("videos[") and full.endswith(".file")):
            continue
        role = "portrait" if full == "portrait" else "picture"
        focus = DEFAULT_FOCUS
        if role == "portrait" and isinstance(entry, Worker) and entry.portrait_focus:
            focus = (entry.portrait_focus.x / 100, entry.portrait_focus.y / 100)
        refs.append(Ref(kind, entry.slug, value, role, full, owner.loc.at(key), focus))
    return refs


def video_refs(worker: Worker) -> list[Ref]:
    """Local video files of a worker (outside videos are links, nothing to process)."""
    return [
        Ref("workers", worker.slug, v.file, "video", f"videos[{i}].file", v.loc.at("file"))
        for i, v in enumerate(worker.videos)
        if v.file
    ]


def _remux(job: Job) -> Result:
    """A video job: check and remux into the cache (or into a throwaway folder when the
    job must write nothing), as a Result with one output, the remuxed file."""
    from showcase.video import check_and_remux  # PyAV: loaded only when a video is new

    if job.write:
        done = check_and_remux(job.source, job.out_dir, job.key)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            done = check_and_remux(job.source, Path(scratch), job.key)
    if done.error:
        return Result(job.key, error=done.error, decoded=1)
    output = Output("video", done.width, done.height, (done.file,), (done.sha256,))
    return Result(job.key, width=done.width, height=done.height, outputs=(output,), decoded=1)


def _make(job: Job | CardJob) -> Result:
    if isinstance(job, CardJob):
        return make_card(job)
    return derive(job) if job.presets else _remux(job)


def _size(job: Job | CardJob) -> int:
    return job.size if isinstance(job, CardJob) else job.source.stat().st_size


def job_key(digest: str, role: str, focus: tuple[float, float]) -> str:
    params = json.dumps([PARAMS_VERSION, [asdict(p) for p in PRESETS[role]], focus])
    return hashlib.sha256(f"{digest}:{params}".encode()).hexdigest()[:16]


def _load_index(cache: Path) -> dict[str, Result]:
    """The cache's index; an entry without a recorded hash per file is dropped (remade)."""
    try:
        raw = json.loads((cache / "index.json").read_text("utf-8"))
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return {}
    results = {}
    for key, r in raw.items():
        try:
            outputs = tuple(
                Output(o["preset"], o["width"], o["height"], tuple(o["files"]), tuple(o["sha256"]))
                for o in r["outputs"]
            )
            result = Result(key, r["error"], r["width"], r["height"], outputs)
        except (KeyError, TypeError):
            continue
        if all(len(o.sha256) == len(o.files) for o in outputs):
            results[key] = result
    return results


def _intact(result: Result, cache: Path, read_only: bool, notes: list[str]) -> bool:
    """Every derivative is there and hashes to what was recorded when it was made."""
    for output in result.outputs:
        for name, digest in zip(output.files, output.sha256, strict=True):
            try:
                data = (cache / name).read_bytes()
            except FileNotFoundError:
                return False
            if hashlib.sha256(data).hexdigest() != digest:
                then = "运行 showcase build 时会重新生成" if read_only else "已重新生成"
                notes.append(f"媒体缓存 {name} 已损坏，{then}")
                return False
    return True


def _run(jobs: list[Job] | list[CardJob]) -> list[Result]:
    if len(jobs) <= 2:
        return [_make(j) for j in jobs]
    workers = min(len(jobs), os.cpu_count() or 1)
    biggest_first = sorted(jobs, key=_size, reverse=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_make, biggest_first, chunksize=1))


def _prune(cache: Path, used: dict[str, Result], recorded: dict[str, Result]) -> None:
    """Keep only what this run refers to: stale derivatives leave with their photos.
    recorded: what index.json held when the run began (not rewritten if still the same)."""
    keep = {"index.json"} | {f for r in used.values() for o in r.outputs for f in o.files}
    for path in cache.iterdir():
        if path.name not in keep:
            path.unlink()
    if used == recorded:
        return
    payload = {k: {**asdict(r), "decoded": 0} for k, r in sorted(used.items())}
    data = json.dumps(payload, ensure_ascii=False, indent=1).encode()
    index = cache / "index.json"
    if not index.is_file() or index.read_bytes() != data:
        atomic_write(index, data)


CardsFor = Callable[[MediaIndex], dict[str, CardJob]]


def process(
    root: Path,
    refs: list[Ref],
    problems: Problems,
    *,
    read_only: bool = False,
    cards: CardsFor | None = None,
    background: bool = False,
) -> MediaIndex:
    """Check and derive every referenced image; record a located problem for each bad one.

    read_only (showcase check): new or unverified images are decoded and checked, and
    their derivatives named and sized as a real run would, but nothing is written.

    cards: once every image is good, the share cards to draw (sharecard.py), by page,
    from the index so far; cached and verified like the other derivatives. While there are
    problems no card is drawn and the previous ones stay in the cache.

    background: the cards are drawn on the other cores while the caller goes on (their
    names and sizes do not depend on the drawing: the index already holds them); the
    caller must call index.finish() before it reads a card file."""
    cache = root / CACHE_DIR
    if not read_only:
        cache.mkdir(parents=True, exist_ok=True)
    known = _load_index(cache)
    recorded = dict(known)
    index = MediaIndex(read_only=read_only)
    keys: dict[Ref, str] = {}
    jobs: dict[str, Job] = {}
    checked: set[str] = set()
    for ref in refs:
        data = (root / ref.source).read_bytes()
        key = job_key(hashlib.sha256(data).hexdigest(), ref.role, ref.focus)
        keys[ref] = key
        if key in jobs or key in checked:
            continue
        if key in known and _intact(known[key], cache, read_only, index.notes):
            checked.add(key)
            continue
        job = Job(root / ref.source, key, PRESETS[ref.role], ref.focus, cache, not read_only)
        jobs[key] = job
    for result in _run(list(jobs.values())):
        known[result.key] = result
        index.decoded += result.decoded
    _record(keys, known, index, problems)
    used = {key: known[key] for key in keys.values()}
    drawing = None
    if cards is not None and not problems.errors:
        wanted = cards(index)
        drawing = _cards(wanted, known, cache, read_only, index, background)
        used.update({job.key: known[job.key] for job in wanted.values()})
    else:  # keep the previous cards until they can be drawn again
        used.update({k: r for k, r in known.items() if r.outputs and r.outputs[0].preset == SHARE})
    if drawing is None:
        if not read_only:
            _prune(cache, used, recorded)
        return index

    def finish() -> None:
        assert drawing is not None
        for result in drawing():
            drawn = known[result.key]  # what the index has said meanwhile
            if [o.files for o in result.outputs] != [o.files for o in drawn.outputs]:
                raise RuntimeError(f"share card {result.key}: drawn other than announced")
            known[result.key] = used[result.key] = result
        index.cards = {page: known[r.key] for page, r in index.cards.items()}
        _prune(cache, used, recorded)

    index.pending = finish
    return index


def _cards(
    wanted: dict[str, CardJob],
    known: dict[str, Result],
    cache: Path,
    read_only: bool,
    index: MediaIndex,
    background: bool = False,
) -> Callable[[], list[Result]] | None:
    """Draw the cards not in the cache (or no longer intact) and put every card's result
    into `known` and index.cards. In the background: the results announced (names and
    sizes, as a read-only run gives them), and a function that waits for the drawn ones."""
    todo: dict[str, CardJob] = {}
    for job in wanted.values():
        if job.key in todo or (
            job.key in known and _intact(known[job.key], cache, read_only, index.notes)
        ):
            continue
        todo[job.key] = job
    drawing = None
    if background and todo and not read_only:
        drawing = _start(list(todo.values()))
        known.update({key: make_card(replace(job, write=False)) for key, job in todo.items()})
    else:
        for result in _run(list(todo.values())):
            known[result.key] = result
    index.cards = {page: known[job.key] for page, job in wanted.items()}
    return drawing


def _start(jobs: list[CardJob]) -> Callable[[], list[Result]]:
    """Begin drawing on every core; the function returned waits for the results."""
    pool = ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1))
    try:
        results = pool.map(_make, jobs, chunksize=8)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise

    def wait() -> list[Result]:
        try:
            return list(results)
        finally:
            pool.shutdown(cancel_futures=True)

    return wait


def _record(
    keys: dict[Ref, str], known: dict[str, Result], index: MediaIndex, problems: Problems
) -> None:
    """Each reference's result into the index, and a located problem for each bad one."""
    for ref, key in keys.items():
        result = known[key]
        path, line, col = ref.loc
        if result.error:
            problems.add(
                path,
                line,
                col,
                ref.field,
                f"「{ref.file}」{result.error}",
                HINTS.get(ref.role, IMAGE_HINT),
            )
        elif ref.role == "portrait" and result.width < SMALL_PORTRAIT:
            message = f"肖像「{ref.file}」只有 {result.width} 像素宽，在大屏上会模糊"
            problems.add(
                path,
                line,
                col,
                ref.field,
                message,
                f"换一张至少 {SMALL_PORTRAIT} 像素宽的照片",
                warning=True,
            )
        index.images[(ref.source, ref.role)] = result
