"""The pipeline: load → validate → model → render → guard → write. Nothing is written
unless every file is valid, so a failed run leaves the previous output intact."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from showcase import privacy
from showcase.artifact import Artifact
from showcase.bookload import load_library
from showcase.books import Library
from showcase.exhibition import Exhibition
from showcase.load import Loaded, load_all
from showcase.media import MediaIndex, image_refs, process, video_refs
from showcase.problems import Problems
from showcase.render import render_all
from showcase.render.books import search_words
from showcase.search_words import jieba_dictionary
from showcase.validate import media_problem, validate
from showcase.write import WriteReport, sync

DOCS_DIR = Path("build/docs")
SEARCH_DIR = Path("build/search")


@dataclass
class BuildResult:
    problems: Problems
    report: WriteReport | None = None
    exhibition: Exhibition | None = None
    media: MediaIndex | None = None
    library: Library | None = None


@dataclass
class Checked:
    problems: Problems
    loaded: Loaded
    library: Library
    media: MediaIndex


def check_all(root: Path, *, read_only: bool = False) -> Checked:
    """Load, validate (profiles, then books) and check every referenced image (decoding
    only new ones). read_only (showcase check): write nothing, not even the media cache."""
    problems = Problems()
    loaded = load_all(root, problems)
    validate(root, loaded, problems)
    library, book_refs = load_library(root, loaded, problems)
    refs = [
        ref
        for kind, entries in (("workers", loaded.workers), ("studios", loaded.studios))
        for entry in entries
        for ref in image_refs(entry, kind)
        if media_problem(root / ref.kind / ref.slug, ref.file) is None
    ]
    refs += [
        ref
        for worker in loaded.workers
        for ref in video_refs(worker)
        if media_problem(root / "workers" / worker.slug, ref.file, video=True) is None
    ]
    return Checked(
        problems, loaded, library, process(root, refs + book_refs, problems, read_only=read_only)
    )


def build(root: Path, docs_dir: Path | None = None) -> BuildResult:
    checked = check_all(root)
    problems, loaded, media = checked.problems, checked.loaded, checked.media
    if problems:
        return BuildResult(problems, media=media)
    ex = Exhibition.from_loaded(loaded, media)
    artifacts = render_all(root, ex, checked.library)
    guard(root, loaded, artifacts, problems)
    if problems:
        return BuildResult(problems, media=media)
    report = sync(root / (docs_dir or DOCS_DIR), artifacts)
    words = jieba_dictionary(ex) + search_words(checked.library)
    sync(root / SEARCH_DIR, [Artifact("jieba_user.txt", words)])
    return BuildResult(problems, report, ex, media, checked.library)


def guard(root: Path, loaded: Loaded, artifacts: list[Artifact], problems: Problems) -> None:
    """Refuse two outputs at one path, and any private value that reached an output."""
    seen: dict[str, Artifact] = {}
    for a in artifacts:
        if a.path in seen:
            source = a.source or seen[a.path].source
            where = source.relative_to(root).as_posix() if source else a.path
            problems.add(
                where, 1, 1, "", f"两个内容都要生成 {a.path}，会互相覆盖", "给手写页面换一个文件名"
            )
        seen[a.path] = a
    known = privacy.check_profiles(loaded.workers, problems)
    privacy.check_pages(loaded.workers, artifacts, problems, known)
