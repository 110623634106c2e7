"""`showcase boards`: check the exhibition, make the printable boards, guard them, and
write them to build/boards/ (workers/<slug>.pdf, studios/<slug>.pdf, halls/<slug>.pdf)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from showcase import privacy
from showcase.artifact import Artifact
from showcase.build import check_all
from showcase.exhibition import Exhibition
from showcase.media import MediaIndex
from showcase.pdf import make_pdfs
from showcase.problems import Problems
from showcase.render.boards import FOLDERS, BoardKind, all_boards
from showcase.write import atomic_write, sync

BOARDS_DIR = Path("build/boards")
WHAT = {"worker": "劳模", "studio": "工作室", "hall": "展厅"}


@dataclass
class BoardsRun:
    problems: Problems
    media: MediaIndex | None = None
    refused: str = ""  # the one board asked for does not exist (a usage error)
    count: int = 0
    rendered: int = 0
    folder: Path = BOARDS_DIR


def make_boards(root: Path, only: tuple[str, str] | None = None) -> BoardsRun:
    """Every published entry's board, or the one `only` = (kind, slug) names. Content
    problems stop the run before anything is written, like a build."""
    checked = check_all(root)
    run = BoardsRun(checked.problems, checked.media, folder=root / BOARDS_DIR)
    if checked.problems:
        return run
    ex = Exhibition.from_loaded(checked.loaded, checked.media)
    chosen: tuple[BoardKind, str] | None = only  # type: ignore[assignment]
    boards = all_boards(root, ex, checked.library, checked.halls, chosen)
    if only and not boards:
        kind, slug = only
        run.refused = (
            f"没有公开的{WHAT[kind]}「{slug}」：写 {FOLDERS[kind]}/ 下的文件夹名"
            "（publish: false 的档案没有展板）"
        )
        return run
    made = make_pdfs(root, boards, prune=only is None)
    privacy.check_artifacts(root, checked.loaded, checked.library, made.artifacts, run.problems)
    if run.problems:
        return run
    files = [Artifact(b.file, source=a.source) for b, a in zip(boards, made.artifacts, strict=True)]
    if only is None:
        sync(run.folder, files)  # stale boards (an entry unpublished or removed) go
    else:
        for file in files:
            atomic_write(run.folder / file.path, file.content())
    run.count, run.rendered = len(files), made.rendered
    return run
