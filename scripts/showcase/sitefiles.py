"""Where MkDocs puts each file of the docs tree in the built site, and what it writes itself.

One rule for two users: the generator refuses two outputs that become one site file (a
hand-written `content/foo.md` beside `content/foo/index.md`, or beside a generated page,
or named like a file MkDocs writes on every build: the site would silently keep only one
of them), and the incremental publish links the outputs of unchanged docs files.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from showcase.searchindex import FOLDER

# MkDocs' own test for a documentation page (mkdocs.utils.markdown_extensions, by case)
PAGE_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
# A link to an anchor of another page: MkDocs checks it only against the anchors of the
# pages the same build renders (so a dirty build of some pages cannot check it)
ANCHOR_LINK = re.compile(rb"\.md#")

# What every MkDocs build writes, dirty or not, whatever build/docs holds: the theme's
# static templates (404.html, sitemap.xml and its gzip), the search plugin's index and
# glightbox's bundled files. A docs file of that name is overwritten by them. (tests/
# test_sitefiles.py holds this list to what the installed MkDocs, theme and plugins write.)
WRITTEN_EVERY_BUILD = frozenset(
    {
        "404.html",
        "sitemap.xml",
        "sitemap.xml.gz",
        "search/search_index.json",
        "assets/stylesheets/glightbox.min.css",
        "assets/javascripts/glightbox.min.js",
    }
)
# What the kiosk's build writes as well (Material's offline plugin: the index as a script)
WRITTEN_IN_THE_KIOSK = frozenset({"search/search_index.js"})
WRITTEN_ITSELF = WRITTEN_EVERY_BUILD | WRITTEN_IN_THE_KIOSK
# The folder Pagefind writes into the built site after MkDocs: its file names change with
# its version, so no docs file may go there.
SEARCH_FOLDER = FOLDER
MKDOCS, PAGEFIND = "MkDocs", "Pagefind"
_BY = {-1: MKDOCS, -2: PAGEFIND}  # makers that are not docs files


def dest(uri: str, directory_urls: bool = True) -> str:
    """The site file MkDocs makes of the docs file `uri`: `foo.md` and `foo/index.md` are
    both `foo/index.html` with directory URLs (the web site), `foo.html` and
    `foo/index.html` without (the kiosk); `README.md` counts as `index.md`; any other file
    keeps its path. MkDocs' own rule (`File.dest_uri`, 7 µs a page: 0.15 s a run at 5,000
    workers), written out here; tests/test_sitefiles.py holds it to MkDocs' answers."""
    if not uri.endswith(PAGE_SUFFIXES):
        return uri
    parent, _, filename = uri.rpartition("/")
    name = posixpath.splitext(filename)[0]
    name = "index" if name == "README" else name
    folder = parent + "/" if parent else ""
    if not directory_urls or name == "index":
        return f"{folder}{name}.html"
    return f"{folder}{name}/index.html"


def dest_of(uris: Iterable[str]) -> set[str]:
    """The web site's files made of these docs files, leaving out what MkDocs writes on
    every build (never linked by an incremental publish, always written anew)."""
    return {dest(uri) for uri in uris} - WRITTEN_EVERY_BUILD


class Clash(NamedTuple):
    """A site file two makers want, or, when `site` ends in "/", a path one of them needs
    as a file and another as a folder (`guide` beside `guide.md`, which is guide/index.html):
    `which` are the positions of the docs files in `uris`, `by` who else writes there
    itself (MKDOCS, PAGEFIND or "")."""

    site: str
    which: list[int]
    by: str = ""


def clashes(uris: Sequence[str]) -> list[Clash]:
    """Each site file that two or more docs files would become (the same path twice
    included), or that a docs file and MkDocs or Pagefind would write, and each path one
    needs as a file and another as a folder, in the web site or the kiosk's file:// tree.
    A site keeps only one of them (or the build fails on the folder)."""
    found: dict[str, set[int]] = {}
    for directory_urls in (True, False):
        # the kiosk's tree goes onto USB sticks (FAT, exFAT) and into zip files unpacked on
        # Windows or macOS: names that differ only by case or Unicode form are one file
        same = str if directory_urls else folded
        files: dict[str, set[int]] = {site: {-1} for site in WRITTEN_ITSELF}
        for i, uri in enumerate(uris):
            files.setdefault(same(dest(uri, directory_urls)), set()).add(i)
        folders = {SEARCH_FOLDER}
        for site in files:
            end = site.rfind("/")
            while end > 0 and site[:end] not in folders:  # its ancestors are in it already
                folders.add(site[:end])
                end = site.rfind("/", 0, end)
        for site, which in files.items():
            if len(which) > 1:
                found.setdefault(site, set()).update(which)
            if site.startswith(SEARCH_FOLDER + "/"):
                found.setdefault(site, set()).update(which | {-2})
            if site in folders:  # rare: who needs it as a folder is looked up only then
                under = [w for f, w in files.items() if f.startswith(site + "/")]
                under += [{-2}] if site == SEARCH_FOLDER else []
                found.setdefault(site + "/", set()).update(which.union(*under))
    return sorted(
        Clash(site, sorted(i for i in which if i >= 0), next((_BY[i] for i in which if i < 0), ""))
        for site, which in found.items()
        if any(i >= 0 for i in which)
    )


def folded(path: str) -> str:
    """A path as a filesystem that ignores case and Unicode form sees it."""
    return unicodedata.normalize("NFC", path).casefold() if not path.isascii() else path.lower()


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml read for its nav alone: any tag (!!python/…, !ENV) stands for nothing."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:", lambda loader, suffix, node: None)


NO_NAV = "nav"  # what untitled_nav gives for a mkdocs.yml without a nav


def _config(config: Path) -> dict[str, Any] | None:
    """mkdocs.yml (None: it cannot be read; MkDocs will say what is wrong with it)."""
    try:
        data = yaml.load(config.read_text("utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def _nav(config: Path) -> list[Any] | None:
    """mkdocs.yml's nav (None: it has none, or mkdocs.yml cannot be read)."""
    nav = (_config(config) or {}).get("nav")
    return nav if nav and isinstance(nav, list) else None


# Plugins whose output for a page comes from that page alone: what mkdocs.yml names now
PAGE_BY_PAGE_PLUGINS = frozenset({"search", "material/search", "glightbox"})
OWN_HOOK = "showcase/mkdocs_hook.py"


def other_plugins(config: Path) -> list[str]:
    """The plugins and hooks mkdocs.yml names besides PAGE_BY_PAGE_PLUGINS and the
    project's hook (["mkdocs.yml"] when it cannot be read). Such a plugin may gather from
    every page (Material's tags plugin lists every page's tags on one page, the blog
    plugin its posts): a build that renders only some pages, a split full build's or an
    incremental publish's, would miss what the others hold. So a publish with one is a
    full build, by one MkDocs process."""
    data = _config(config)
    if data is None:
        return ["mkdocs.yml"]
    plugins = data.get("plugins", ["search"])
    names = list(plugins) if isinstance(plugins, dict) else []
    for item in plugins if isinstance(plugins, list) else []:
        names += list(item) if isinstance(item, dict) else [str(item)]
    hooks = data.get("hooks") or []
    out = [str(name) for name in names if name not in PAGE_BY_PAGE_PLUGINS]
    return out + [str(hook) for hook in hooks if not str(hook).endswith(OWN_HOOK)]


def _listed(nav: Any, titled: bool) -> list[str]:
    """The pages the nav lists without a title, and with titled=True those with one too."""
    out: list[str] = []
    for item in nav if isinstance(nav, list) else [nav]:
        if isinstance(item, str) and "://" not in item:
            out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    out += _listed(value, titled)
                elif titled and isinstance(value, str) and "://" not in value:
                    out.append(value)
    return out


def untitled_nav(config: Path) -> list[str]:
    """The pages mkdocs.yml's nav lists without a title (`- guide.md`), or [NO_NAV] when it
    has no nav (MkDocs then lists every page, untitled). MkDocs takes such a page's title
    from its Markdown, which a dirty build reads only for the pages it renders: every
    other page it renders would show that nav entry without its title. So a publish
    with one is a full build, by one MkDocs process."""
    nav = _nav(config)
    return [NO_NAV] if nav is None else _listed(nav, titled=False)


def nav_pages(config: Path) -> set[str]:
    """Every page mkdocs.yml's nav lists, titled or not, as a docs path (src_uri)."""
    nav = _nav(config)
    pages = _listed(nav, titled=True) if nav is not None else []
    return {posixpath.normpath(page).lstrip("/") for page in pages}


# MkDocs' front matter (mkdocs.utils.meta.get_data, without importing MkDocs): YAML between
# --- lines, else MultiMarkdown's `key: value` lines up to the first other line
_YAML_META = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_MMD_META = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*.*|^([ ]{4}|\t)\s*.*")


def front_matter(text: str) -> str:
    """A page's front matter as written ("" when it has none): Material shows a nav page's
    `icon`, `subtitle` and `status` in every page's navigation."""
    if found := _YAML_META.match(text):
        return found.group(1)
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip() or not _MMD_META.match(line):
            break
        lines.append(line)
    return "\n".join(lines)
