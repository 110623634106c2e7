"""MkDocs hook: during `mkdocs serve`, regenerate the docs tree before each rebuild.

One save, one rebuild: the preview watches the sources (workers/, studios/, content/,
exhibition.yml, mkdocs.yml), not build/docs, so the generator's own writes into build/docs
during a rebuild are not seen as a new change. `showcase serve` runs `mkdocs serve
--dirty`: the generator writes only changed bytes and MkDocs re-renders only the pages
whose Markdown is newer than their HTML. What a dirty rebuild cannot see is handled here:
a generated file that was deleted has its page removed from the preview, and a change that
shows on every page (the problems banner appearing, changing or going, the site's name
from exhibition.yml, mkdocs.yml) re-renders every page (see _refresh).

Search: Pagefind answers the published site's search box (showcase.js). Material's search
plugin keeps its box but indexes nothing in `showcase site` builds (SHOWCASE_SEARCH=pagefind,
set by publish.py) and under serve, where the box says that search works on the published
site; a plain `mkdocs build` still builds Material's own index. On `mkdocs build` the hook
otherwise only names the site from exhibition.yml: run `showcase build` (or `make site`)
first. Invalid content keeps the previous
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
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from material.plugins.search.plugin import SearchIndex
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from watchdog.events import (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEventHandler,
)

from showcase import templatecache
from showcase.artifact import GENERATED
from showcase.folders import DOCS_DIR, DRAFTS_MARK, SIDECAR
from showcase.load import SETTINGS_FILE, load_object
from showcase.problems import Problems
from showcase.render.html import anchor_ids, one_line, render, render_head
from showcase.settings import Settings

if TYPE_CHECKING:
    from showcase.build import BuildResult

# The generator itself (showcase.build: Pillow, pypinyin, PyAV, jieba…) is imported only
# under serve, which runs it: a `mkdocs build` (showcase site's, every publish) needs
# none of it, and importing it cost a second per build.

log = logging.getLogger("mkdocs.hooks.showcase")
OVERRIDES = Path(__file__).resolve().parent / "overrides"  # theme templates of our own
WATCHED = ("workers", "studios", "content", "exhibition.yml")
PROBLEMS_TITLE = "内容有错误，预览没有更新"
SEARCH_ENV = "SHOWCASE_SEARCH"  # "pagefind": Material's search indexes nothing
DIRTY_WARNING = "A 'dirty' build is being performed"
GENERATED_TOKEN = (
    "SHOWCASEGENERATEDHTML"  # a paragraph of its own: what Markdown makes of it is known
)
# overrides/404.html's message, replaced under serve while there are content problems
NOT_FOUND = re.compile(r'<div class="sc-not-found">.*?</div>', re.S)
_state: dict[str, Any] = {
    "serving": False,
    "dirty": False,
    "drafts": False,
    "banner": None,
    "shown": None,  # (banner, site settings, mkdocs.yml) of the pages last rendered
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
    _state["dirty"] = _state["serving"] and dirty
    _state["drafts"] = _state["serving"] and os.environ.get("SHOWCASE_DRAFTS") == "1"
    _state["banner"] = None
    _state["shown"] = None
    quiet_logs()
    if _state["dirty"]:  # MkDocs warns on every dirty build: strict mode would abort it
        logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(DIRTY_WARNING)


def _unindexed() -> bool:
    """Pagefind answers the search box: Material's plugin has nothing to index."""
    return _state["serving"] or os.environ.get(SEARCH_ENV) == "pagefind"


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


@event_priority(100)  # before Material's search plugin reads its settings
def on_config(config: Any) -> Any:
    """Name and place the site after the association's settings: the one place a city is
    named and the site's address is written. Under serve MkDocs' own local address stays
    (it mounts the preview at site_url's path before this hook runs)."""
    search = config.plugins.get("material/search")
    if search is not None and _unindexed():
        search.config.jieba_dict_user = None  # nothing is segmented: jieba stays unloaded
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
    """Watch the sources instead of build/docs: the generator writes build/docs during the
    rebuild, and a watcher on it would start a second, identical one. On Linux the sources
    are watched through inotify (a save is seen at once, and nothing is polled) instead of
    MkDocs' polling every 0.5 s, which stats every source file each time."""
    root = _root(config)
    server.unwatch(config.docs_dir)
    sources = [root / name for name in WATCHED if (root / name).exists()]
    observer = _inotify_observer(sources)
    if observer is not None:  # nothing watched yet but mkdocs.yml: move it over
        server.unwatch(config.config_file_path)
        server.observer = observer
        server.watch(config.config_file_path)
    for path in sources:
        server.watch(str(path))
    return server


def _inotify_observer(sources: list[Path]) -> Any | None:
    """An inotify observer when this is Linux and the sources' folders (one inotify watch
    each) use at most a quarter of the user's watches; else None (MkDocs' polling)."""
    try:  # not Linux: no such file, and inotify is not imported
        limit = int(Path("/proc/sys/fs/inotify/max_user_watches").read_text())
        from watchdog.observers.inotify import InotifyObserver
    except (ImportError, OSError, ValueError):
        return None
    folders = sum(1 for p in sources if p.is_dir() for _ in os.walk(p))
    if 4 * (folders + 1) > limit:
        return None

    class Sources(InotifyObserver):  # type: ignore[misc]
        """A watched file is watched through its folder: an editor that saves by renaming
        a new file over it would end a watch on the file itself."""

        def schedule(self, handler: Any, path: str, *, recursive: bool = False) -> Any:
            if os.path.isfile(path):
                handler, path, recursive = _OnlyFile(handler, path), os.path.dirname(path), False
            return super().schedule(handler, path, recursive=recursive, event_filter=CHANGES)

    # Ctrl-C stops the emitters while inotify still reports: one harmless line, left out
    logging.getLogger("watchdog.observers.inotify").addFilter(_not_shutdown_noise)
    return Sources()


def _not_shutdown_noise(record: logging.LogRecord) -> bool:
    return "called when the thread is inactive" not in record.getMessage()


# Writes only: inotify also reports opening and reading, which the generator does to every
# source on each rebuild (each would start another one).
CHANGES = [FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent]


class _OnlyFile(FileSystemEventHandler):  # type: ignore[misc]
    def __init__(self, handler: Any, path: str) -> None:
        self.handler, self.path = handler, path

    def dispatch(self, event: Any) -> None:
        if self.path in (event.src_path, getattr(event, "dest_path", "")):
            self.handler.dispatch(event)


class _Unindexed(SearchIndex):  # type: ignore[misc]
    """Material's search index with no documents: its box stays, its work is skipped."""

    def add_entry_from_context(self, page: Any) -> None:
        return None


def on_pre_build(config: Any) -> None:
    search = config.plugins.get("material/search")
    if search is not None and _unindexed() and hasattr(search, "search_index"):
        search.search_index = _Unindexed(**search.search_index.config)
    root = _root(config)
    if not _state["serving"]:
        # the mark says what build/docs holds; the kiosk builds its own tree
        building_docs = Path(config.docs_dir).resolve() == (root / DOCS_DIR).resolve()
        if building_docs and (root / DRAFTS_MARK).exists():
            raise PluginError(
                "build/docs 是草稿预览（showcase serve --drafts）生成的，含有未公开的档案："
                "请先运行 showcase build 或 make site"
            )
        return
    from showcase import envproblems
    from showcase.build import build
    from showcase.fonts import MissingFont
    from showcase.lock import LockHeld, build_lock

    start = time.perf_counter()
    try:
        with build_lock(root):
            # the memo stays in this process (never written by the preview: memo.py)
            result = build(root, drafts=_state["drafts"], save_memo=False)
    except LockHeld as err:
        who = f"（{err.holder}）" if err.holder else ""
        # info, not warning: a warning aborts the rebuild under `strict: true`
        log.info("另一个构建正在进行%s：这次预览保留之前的页面，它结束后再保存一次即可更新", who)
        return
    except (OSError, MissingFont) as err:
        message = str(err) if isinstance(err, MissingFont) else envproblems.describe(err, root)
        _terminal().error("页面未更新：%s", message)
        _state["banner"] = _banner("预览没有更新", "生成页面时出了问题：", [message])
        _refresh(config, None)
        return
    _log_result(result, time.perf_counter() - start)
    _refresh(config, result)


def _refresh(config: Any, result: BuildResult | None) -> None:
    """Under `mkdocs serve --dirty` MkDocs re-renders a page only when its Markdown is
    newer than its HTML and never deletes a page. Remove the pages of deleted files, and
    when what every page shows has changed, make every page's HTML older than its source."""
    if not _state["dirty"]:
        return
    site = Path(config.site_dir)
    for rel in result.report.deleted if result and result.report else ():
        dest = Path(File(rel, config.docs_dir, str(site), config.use_directory_urls).abs_dest_path)
        dest.unlink(missing_ok=True)
    config_file = Path(config.config_file_path)
    shown = (
        _state["banner"],
        (config.site_name, config.site_description, config.copyright),
        config_file.stat().st_mtime_ns if config_file.exists() else 0,
    )
    if _state["shown"] is not None and shown != _state["shown"]:
        for page in site.rglob("*.html"):
            os.utime(page, (0, 0))
    _state["shown"] = shown


_COMPILED = templatecache.InMemory()


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """The theme's templates compiled once (templatecache.py): in memory for the
    preview's life, and for other builds in this user's cache outside the repository,
    signed, like Python's own bytecode but never loaded when another hand wrote it."""
    cache = _COMPILED if _state["serving"] else templatecache.on_disk()
    if cache is not None:
        env.bytecode_cache = cache
    return env


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


@event_priority(100)  # the page's own HTML first: others (glightbox) see it as it is
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """A generated page (`generated: html` in its front matter: templates' HTML only) is
    not given to Markdown. Markdown would pass it through untouched, after parsing it as
    HTML twice (md_in_html, and MkDocs' own search for anchors): half of a full build's
    time. A token stands in for it and on_page_content puts it back."""
    if page.meta.get(GENERATED) != "html":
        if markdown.startswith(f"---\n{GENERATED}: html\n"):  # MkDocs could not read it
            raise PluginError(
                f"{page.file.src_uri}: the front matter could not be read："
                "MkDocs 读不懂生成器在 build/docs 中写的页面开头设置，"
                "为了不把页面当作 Markdown 发布，网站没有更新。"
                "这是生成器的问题，不是档案的问题：请把这条信息告诉维护网站的开发者"
            )
        return markdown
    page.showcase_html = markdown
    return GENERATED_TOKEN


@event_priority(100)
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """A generated page's HTML back in place of its token, with its anchors (for MkDocs'
    link validation, as Markdown would have found them); under serve, while the content
    has errors, the problems above the page's body."""
    generated = getattr(page, "showcase_html", None)
    if generated is not None:
        if html.strip() != f"<p>{GENERATED_TOKEN}</p>":
            raise PluginError(f"{page.file.src_uri}: the generated HTML was not kept apart")
        html = generated.strip()
        page.present_anchor_ids = (page.present_anchor_ids or set()) | anchor_ids(html)
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


def _log_result(result: BuildResult, seconds: float) -> None:
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
        log.info("showcase: %s（生成 %.2f 秒）", result.report.summary(), seconds)
