"""MkDocs as `showcase site` runs it, for a full build or a dirty one where the caller,
not file times, says which docs files changed:

    python -m showcase.mkdocsrun build --strict --clean -d FRESH
    python -m showcase.mkdocsrun CHANGED.json build --strict --dirty -d FRESH
    python -m showcase.mkdocsrun --wait    (then one line on stdin: the arguments above,
                                            as a JSON list; see publish.start_mkdocs)

Pagefind answers the search box (SHOWCASE_SEARCH=pagefind): Material's search plugin then
segments no text, so jieba is not imported at all (with pkg_resources, which it pulls in,
a third of a dirty build's time).

CHANGED.json lists the build/docs paths (src_uri) to rebuild; every other docs file is
"not modified" whatever its mtime, so MkDocs neither renders nor copies it (its output is
already in FRESH, hard-linked from the published site); a page the nav lists is still
read (its front matter shows in every page's nav), never rendered. Files outside docs_dir (the
theme's assets, plugin files) keep MkDocs' own rule: written when missing in FRESH, which
holds none of them. MkDocs then always renders its theme templates (sitemap.xml, 404.html).

MkDocs' warning that a dirty build may give "inaccurate navigation" is dropped: the
caller only takes this path when the navigation cannot have changed (mkdocs.yml, the site
names and every published page set are unchanged: see incremental.plan); under
`--strict` it would otherwise abort the build. Every other warning still does.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

DOCS_DIR = "build/docs"  # relative to the repository root, the working directory
DIRTY_WARNING = "A 'dirty' build is being performed"
WAIT = "--wait"  # start now, read the build's arguments (a JSON list) from stdin later
EXTENSIONS = ("admonition", "attr_list", "md_in_html", "tables", "sane_lists", "toc")
WARM = (
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs.config.defaults",
    "material.plugins.search.plugin",
    "mkdocs_glightbox.plugin",
    "markdown",
    *(f"markdown.extensions.{name}" for name in EXTENSIONS),
    "pymdownx.slugs",  # the toc's slugify
    "showcase.render.html",
    "showcase.settings",
    "showcase.load",
)


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


def main(argv: list[str]) -> None:
    if os.environ.get("SHOWCASE_SEARCH") == "pagefind":
        sys.modules["jieba"] = None  # type: ignore[assignment]  # Material's import fails: no segmenting
    if argv == [WAIT]:
        warm_up()
        line = sys.stdin.readline()
        if not line.strip():
            return  # no build after all
        argv = json.loads(line)
    from mkdocs.__main__ import cli

    if argv[:1] != ["build"]:
        dirty(Path(argv[0]))
        argv = argv[1:]
    cli(argv, prog_name="mkdocs")


def warm_up() -> None:
    """What every build imports, before its arguments are known (publish.start_mkdocs):
    MkDocs, the theme, the plugins and Markdown extensions mkdocs.yml names (WARM mirrors
    it: a module missing from WARM is imported later by the build, one no longer used only
    costs its import; tests/test_mkdocsrun.py checks it), and the hook's own imports."""
    for name in WARM:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def dirty(changes: Path) -> None:
    from mkdocs.structure.files import File

    changed = set(json.loads(changes.read_text("utf-8")))
    docs = os.path.abspath(DOCS_DIR) + os.sep  # as MkDocs makes docs_dir absolute
    original = File.is_modified

    def is_modified(self: File) -> bool:
        src = self.abs_src_path
        if self._content is None and src is not None and src.startswith(docs):
            return self.src_uri in changed
        return original(self)

    File.is_modified = is_modified  # type: ignore[method-assign]
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    _read_nav_pages()


def _read_nav_pages() -> None:
    """A page the navigation lists is read (its front matter, not rendered) though it is
    not rebuilt: Material shows its `icon`, `subtitle` and `status` in the navigation of
    every page, and MkDocs reads an unmodified page of a dirty build never (the pages
    rendered would show that nav entry bare, unlike a full build's)."""
    from mkdocs.commands import build

    listed: set[int] = set()
    get_navigation, populate = build.get_navigation, build._populate_page

    def navigation(files: Any, config: Any) -> Any:
        nav = get_navigation(files, config)
        listed.update(id(page) for page in nav.pages)
        return nav

    def populate_page(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        if dirty and id(page) in listed and not page.file.is_modified():
            page.read_source(config)
            return
        populate(page, config, files, dirty)

    build.get_navigation = navigation  # type: ignore[assignment]
    build._populate_page = populate_page  # type: ignore[assignment]


if __name__ == "__main__":
    main(sys.argv[1:])
