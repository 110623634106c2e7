"""MkDocs hook: during `mkdocs serve`, regenerate the docs tree before each rebuild.

Only changed bytes are written, so the rebuild this causes finds nothing new to write and
the watcher settles (no rebuild loop). On `mkdocs build` it only names the site from
exhibition.yml: run `showcase build` (or `make site`) first. Invalid content keeps the previous pages and logs
every problem. While another process holds the build lock (a `showcase build` or `showcase
site` in another terminal), this rebuild keeps the previous pages and says so.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import Any

from showcase import envproblems
from showcase.build import SEARCH_DIR, BuildResult, build
from showcase.load import SETTINGS_FILE, load_object
from showcase.lock import LockHeld, build_lock
from showcase.problems import Problems
from showcase.settings import Settings

log = logging.getLogger("mkdocs.hooks.showcase")
WATCHED = ("workers", "studios", "content", "exhibition.yml")
_state = {"serving": False}


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"
    quiet_logs()


def quiet_logs() -> None:
    """`showcase site` runs MkDocs quietly unless `showcase -v`: only warnings and errors
    (SHOWCASE_QUIET=1). jieba's "Building prefix dict…" lines are left out everywhere,
    `mkdocs serve` included, unless SHOWCASE_VERBOSE=1."""
    if os.environ.get("SHOWCASE_VERBOSE") == "1":
        return
    if os.environ.get("SHOWCASE_QUIET") == "1":
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: Any) -> Any:
    """Name the site after the association's settings: the one place a city is named."""
    problems = Problems()
    settings = load_object(_root(config), SETTINGS_FILE, Settings, problems, None)
    if settings is not None:  # themes print these unescaped
        config.site_name = html.escape(settings.site_title)
        config.site_description = html.escape(settings.site_description or settings.site_title)
        config.copyright = html.escape(f"{settings.association} · {settings.site_title}")
    return config


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = _root(config)
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    return server


def on_pre_build(config: Any) -> None:
    if not _state["serving"]:
        return
    root = _root(config)
    try:
        with build_lock(root):
            result = build(root)
    except LockHeld as err:
        who = f"（{err.holder}）" if err.holder else ""
        log.warning("另一个构建正在进行%s：这次预览保留之前的页面，它结束后再保存一次即可更新", who)
        return
    except OSError as err:
        log.error("页面未更新：%s", envproblems.describe(err, root))
        return
    _log_result(root, result)


def _log_result(root: Path, result: BuildResult) -> None:
    for note in result.media.notes if result.media else ():
        log.warning("showcase: %s", note)
    if result.problems:
        log.error("内容有错误，页面未更新：\n%s", result.problems.report())
        return
    if result.report and result.report.written:
        log.info("showcase: %s", result.report.summary())
        _reload_search_words(root)


def _reload_search_words(root: Path) -> None:
    try:
        import jieba
    except ImportError:
        return
    jieba.load_userdict(str(root / SEARCH_DIR / "jieba_user.txt"))
