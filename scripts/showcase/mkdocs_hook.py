"""MkDocs hook: during `mkdocs serve`, regenerate the docs tree before each rebuild.

Only changed bytes are written, so the rebuild this causes finds nothing new to write and
the watcher settles (no rebuild loop). On `mkdocs build` it only names the site from
exhibition.yml: run `showcase build` (or `make site`) first. Invalid content keeps the previous
pages, prints every problem in the terminal and puts them, with 「内容有错误，预览没有更新」,
above every page of the preview (layouts/serve_problems.html), so the page the reader is on
shows them; the next save that fixes them brings the pages back. A page never built (a
new profile with an error) is the 404 page, which then says why, lists the same problems
(layouts/serve_missing.html) and loads the page once it exists. These messages never go
through MkDocs' own loggers at warning level: with `strict: true` a warning aborts the
rebuild and `mkdocs serve` then holds every request ("the server will appear stuck").
While another process holds the build lock (a `showcase build` or `showcase site` in
another terminal), this rebuild keeps the previous pages and says so.

`showcase serve --drafts` sets SHOWCASE_DRAFTS=1: the preview includes `publish: false`
workers, studios, books, chapters and halls, bannered. `mkdocs build` refuses a docs tree
left by such a preview.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from showcase import envproblems
from showcase.build import DOCS_DIR, DRAFTS_MARK, SEARCH_DIR, BuildResult, build
from showcase.fonts import MissingFont
from showcase.load import SETTINGS_FILE, load_object
from showcase.lock import LockHeld, build_lock
from showcase.problems import Problems
from showcase.render.html import render, render_head
from showcase.render.share import SIDECAR, one_line
from showcase.settings import Settings

log = logging.getLogger("mkdocs.hooks.showcase")
OVERRIDES = Path(__file__).resolve().parent / "overrides"  # theme templates of our own
WATCHED = ("workers", "studios", "content", "exhibition.yml")
PROBLEMS_TITLE = "内容有错误，预览没有更新"
# overrides/404.html's message, replaced under serve while there are content problems
NOT_FOUND = re.compile(r'<div class="sc-not-found">.*?</div>', re.S)
_state: dict[str, Any] = {
    "serving": False,
    "drafts": False,
    "banner": None,
    "missing": ("", []),
    "share": None,
}


def _terminal() -> logging.Logger:
    """Chinese lines for the terminal running `mkdocs serve`, outside MkDocs' "mkdocs"
    logger: its strict mode counts every warning there and aborts the rebuild."""
    out = logging.getLogger("showcase.serve")
    if not out.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        out.addHandler(handler)
        out.setLevel(logging.INFO)
        out.propagate = False
    return out


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"
    _state["drafts"] = _state["serving"] and os.environ.get("SHOWCASE_DRAFTS") == "1"
    _state["banner"] = None
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
    """Name and place the site after the association's settings: the one place a city is
    named and the site's address is written. Under serve MkDocs' own local address stays
    (it mounts the preview at site_url's path before this hook runs)."""
    if str(OVERRIDES) not in config.theme.dirs:  # the 404 page in Chinese
        config.theme.dirs.insert(0, str(OVERRIDES))
    problems = Problems()
    settings = load_object(_root(config), SETTINGS_FILE, Settings, problems, None)
    if settings is not None:  # themes print these unescaped
        config.site_name = html.escape(settings.site_title)
        config.site_description = html.escape(settings.site_description or settings.site_title)
        config.copyright = html.escape(f"{settings.association} · {settings.site_title}")
        if not _state["serving"]:
            config.site_url = settings.site_url
    return config


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = _root(config)
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    return server


def on_pre_build(config: Any) -> None:
    root = _root(config)
    if not _state["serving"]:
        # the mark says what build/docs holds; the kiosk builds its own tree
        building_docs = Path(config.docs_dir).resolve() == (root / DOCS_DIR).resolve()
        if building_docs and (root / DRAFTS_MARK).exists():
            from mkdocs.exceptions import PluginError

            raise PluginError(
                "build/docs 是草稿预览（showcase serve --drafts）生成的，含有未公开的档案："
                "请先运行 showcase build 或 make site"
            )
        return
    try:
        with build_lock(root):
            result = build(root, drafts=_state["drafts"])
    except LockHeld as err:
        who = f"（{err.holder}）" if err.holder else ""
        # info, not warning: a warning aborts the rebuild under `strict: true`
        log.info("另一个构建正在进行%s：这次预览保留之前的页面，它结束后再保存一次即可更新", who)
        return
    except (OSError, MissingFont) as err:
        message = str(err) if isinstance(err, MissingFont) else envproblems.describe(err, root)
        _terminal().error("页面未更新：%s", message)
        _state["banner"] = _banner("预览没有更新", "生成页面时出了问题：", [message])
        return
    _log_result(root, result)


def _banner(title: str, advice: str, lines: list[str]) -> str:
    _state["missing"] = (title, lines)  # for the 404 page (on_post_template)
    return str(render("serve_problems.html", title=title, advice=advice, lines=lines))


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """Under serve, while the content has errors: the 404 page (a page not built yet)
    says so, with every problem, instead of 「找不到这个页面」."""
    if template_name != "404.html" or not (_state["serving"] and _state["banner"]):
        return output
    title, lines = _state["missing"]
    advice = (
        "新建的档案（或刚改过的网址）要等内容没有错误才会生成页面。"
        "下面是全部提示；改好并保存后，这一页会自动出现。"
    )
    missing = render("serve_missing.html", title=title, advice=advice, lines=lines)
    return NOT_FOUND.sub(lambda _: str(missing), output, count=1)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Under serve, while the content has errors: the problems above the page's body."""
    banner = _state["banner"] if _state["serving"] else None
    return f"{banner}\n{html}" if banner else html


def on_post_page(output: str, page: Any, config: Any) -> str:
    """The page's share preview and feed link (build/share.json, written by the build from
    public values) into its head, rendered by our autoescaped layouts/share_meta.html."""
    share = _share(_root(config))
    if share is None or "</head>" not in output:
        return output
    site, pages = share["site"], share["pages"]
    meta = pages.get(page.file.src_uri) or pages.get("index.md")
    if meta is None:
        return output
    title = meta["title"] or one_line(html.unescape(page.title or "")) or site["site_name"]
    block = render_head("share_meta.html", **{**site, **meta, "title": title})
    head, _, rest = output.partition("</head>")
    return f"{head}{block}\n</head>{rest}"


def _share(root: Path) -> dict[str, Any] | None:
    """build/share.json, read again when it changes (serve rebuilds it)."""
    path = root / SIDECAR
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    cached = _state["share"]
    if cached is None or cached[0] != stamp:
        _state["share"] = cached = (stamp, json.loads(path.read_text("utf-8")))
    return cached[1]


def _log_result(root: Path, result: BuildResult) -> None:
    out = _terminal()
    for note in result.media.notes if result.media else ():
        out.warning("注意：%s", note)
    if result.problems:
        lines = [p.format() for p in result.problems.errors + result.problems.warnings]
        count = len(result.problems.errors)
        out.error("%s（%d 个错误）：\n%s", PROBLEMS_TITLE, count, "\n".join(lines))
        advice = (
            f"共 {count} 个错误。下面显示的是上一次成功生成的页面；改好并保存后，页面会自动更新。"
        )
        _state["banner"] = _banner(PROBLEMS_TITLE, advice, lines)
        return
    _state["banner"] = None
    if result.report and result.report.written:
        log.info("showcase: %s", result.report.summary())
        _reload_search_words(root)


def _reload_search_words(root: Path) -> None:
    try:
        import jieba
    except ImportError:
        return
    jieba.load_userdict(str(root / SEARCH_DIR / "jieba_user.txt"))
