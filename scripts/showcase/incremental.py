"""What changed since the published site: the no-op check and the incremental plan.

build/publish-state.json describes the site/ the last successful `showcase site` put in
place (written only after the switch):

- `inputs`: every file the site is made from (workers/, studios/, content/, exhibition.yml,
  mkdocs.yml), filed under the hash of its path, with (size, mtime_ns, inode, sha256). A file whose stat differs is hashed, so
  a touched but unchanged file still counts as unchanged;
- `code`: a hash of the showcase package (code, layouts, static, templates) and `env` of
  the Python version and every installed distribution's version (MkDocs, Material,
  Pagefind, …);
- `site`: site/'s (device, inode) and site/pagefind's inode, so a site/ or a search index
  replaced by other means is never trusted;
- `docs`: the stat and sha256 of every file of build/docs as published, `global` a hash of what
  MkDocs puts into every page (mkdocs.yml, the site name from exhibition.yml), `secrets`
  a hash of the privacy guard's patterns.

Equal inputs, code, env and site: nothing to do (a no-op writes nothing). Otherwise, after
the generator ran, `plan` says which docs files MkDocs must rebuild, or why a full build
is needed: anything it cannot prove safe (first publish, a replaced site/, package
versions, generator code or templates, mkdocs.yml or the site-wide names, a deleted file)
falls back to a full build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from showcase.searchindex import FOLDER as PAGEFIND
from showcase.sitefiles import NO_NAV
from showcase.tree import TOPS
from showcase.write import atomic_write

STATE_FILE = Path("build/publish-state.json")
STATE_VERSION = 2
CONFIG_FILES = ("exhibition.yml", "mkdocs.yml")
PACKAGE = Path(__file__).resolve().parent

Stat = tuple[int, int, int]  # size, mtime_ns, inode


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _scan(folder: Path, rel: str) -> Iterator[tuple[str, os.stat_result]]:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # never read by the generator
        st = entry.stat(follow_symlinks=False)
        name = f"{rel}/{entry.name}"
        if stat.S_ISDIR(st.st_mode):
            yield from _scan(Path(entry.path), name)
        else:
            yield name, st


def input_stats(root: Path) -> dict[str, Stat]:
    """Every file the site is built from, with its (size, mtime_ns, inode)."""
    found: dict[str, Stat] = {}
    for top in TOPS:
        for rel, st in _scan(root / top, top):
            found[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
    for name in CONFIG_FILES:
        try:
            st = (root / name).lstat()
        except FileNotFoundError:
            continue
        found[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


def path_key(rel: str) -> str:
    """An input's path as the state records it: hashed, since the folder names of
    unpublished workers must appear nowhere in build/."""
    return _sha(rel.encode())[:32]


@functools.cache
def code_hash() -> str:
    """The showcase package's own files: code, layouts, static files, templates."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def env_hash() -> str:
    """Python, and every installed distribution (MkDocs, Material, Pagefind…): the name of
    its metadata folder on sys.path, which holds its version (`mkdocs-1.6.1.dist-info`),
    with that folder's inode and mtime, which any install, upgrade or reinstall changes.
    Once per process like code_hash: one listing per path entry, where reading every
    package's metadata (importlib.metadata) took 0.12 s, and the preview asks on every
    rebuild."""
    names = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as found:
                for item in found:
                    if item.name.endswith((".dist-info", ".egg-info")):
                        st = item.stat(follow_symlinks=False)
                        names.append(f"{entry}/{item.name}:{st.st_ino}:{st.st_mtime_ns}")
        except OSError:  # a zip file, or a path that does not exist
            continue
    return _sha("\n".join([sys.version, *sorted(names)]).encode())


def site_id(site: Path) -> list[int] | None:
    """site/'s (device, inode) and its search index folder's inode (0: none, or not a
    folder): the search step of an incremental publish switches site/pagefind alone, so a
    site/pagefind deleted or replaced by hand leaves site/ itself as it was."""
    try:
        st = site.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    try:
        index = (site / PAGEFIND).lstat()
    except FileNotFoundError:
        return [st.st_dev, st.st_ino, 0]
    return [st.st_dev, st.st_ino, index.st_ino if stat.S_ISDIR(index.st_mode) else 0]


def read_state(root: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((root / STATE_FILE).read_bytes())
    except (FileNotFoundError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return None
    return state


@dataclass
class Inputs:
    """The inputs as found before a run (stats taken before the generator reads them)."""

    stats: dict[str, Stat]
    code: str
    env: str

    @classmethod
    def now(cls, root: Path) -> Inputs:
        return cls(input_stats(root), code_hash(), env_hash())

    def hashes(self, root: Path, state: dict[str, Any] | None) -> dict[str, list[Any]]:
        """(size, mtime_ns, inode, sha256) of every input; unchanged stats reuse the hash."""
        old = (state or {}).get("inputs", {})
        out: dict[str, list[Any]] = {}
        for rel, st in self.stats.items():
            before = old.get(path_key(rel))
            if before and tuple(before[:3]) == st:
                out[path_key(rel)] = [*st, before[3]]
            else:
                path = root / rel
                sha = "" if path.is_symlink() or not path.is_file() else file_sha(path)
                out[path_key(rel)] = [*st, sha]
        return out


def unchanged(root: Path, state: dict[str, Any] | None, inputs: Inputs, site: Path) -> bool:
    """True when site/ is the published one and no input, code or package changed."""
    if state is None or state.get("site") != site_id(site):
        return False
    if state.get("code") != inputs.code or state.get("env") != inputs.env:
        return False
    old: dict[str, list[Any]] = state.get("inputs", {})
    keys = {path_key(rel): rel for rel in inputs.stats}
    if old.keys() != keys.keys():
        return False
    for key, rel in keys.items():
        st, before = inputs.stats[rel], old[key]
        if tuple(before[:3]) == st:
            continue
        path = root / rel
        if path.is_symlink() or not path.is_file() or file_sha(path) != before[3]:
            return False
    return True


def global_hash(root: Path, site_names: Iterable[str]) -> str:
    """What MkDocs puts into every page besides the page's own Markdown: its config
    (nav, theme, extensions, plugins) and the names the hook takes from exhibition.yml."""
    try:
        config = (root / "mkdocs.yml").read_bytes()
    except FileNotFoundError:
        config = b""
    return _sha(config + b"\0" + "\0".join(site_names).encode())


def not_built_upon(state: dict[str, Any] | None, site: Path, inputs: Inputs) -> str:
    """Why the published site cannot be the base of an incremental publish whatever the
    generator makes ("" when it can: `showcase site` then links ahead, see prelink)."""
    if state is None:
        return "没有上次发布的记录（第一次发布，或 build/ 被清空）"
    if state.get("site") != site_id(site):
        return "site/（或其中的搜索索引 pagefind/）不是上次发布的那个（不存在或被替换过）"
    if state.get("env") != inputs.env:
        return "安装的软件版本变了（MkDocs、Material、Pagefind 等）"
    if state.get("code") != inputs.code:
        return "生成器的程序、页面模板或样式变了"
    return ""


@dataclass
class Plan:
    """changed: the build/docs files MkDocs must rebuild, or None for a full build (why)."""

    changed: set[str] | None
    reason: str = ""


def _listed(paths: list[str]) -> str:
    shown = "、".join(paths[:3])
    return f"{shown} 等 {len(paths)} 个" if len(paths) > 3 else shown


def _content(entry: list[Any]) -> list[Any]:
    """What a docs file's page is made of: its bytes' hash and its share preview's hash."""
    return [entry[3], *entry[5:6]]


def _nav_meta(entry: list[Any]) -> list[Any]:
    """A nav page's front matter's hash (entry[6]; "" for any other file)."""
    return entry[6:7]


def plan(
    state: dict[str, Any] | None,
    site: Path,
    inputs: Inputs,
    docs: dict[str, list[Any]],
    global_key: str,
    untitled: list[str],
    plugins: list[str] | tuple[str, ...] = (),
) -> Plan:
    """Which docs files to rebuild over a copy of site/, or why everything is rebuilt.
    docs: (size, mtime_ns, inode, sha256, links to another page's anchor, share preview's
    hash, nav page's front matter's hash) per file. untitled: what mkdocs.yml's nav lists without a title
    (sitefiles.untitled_nav); plugins: the plugins and hooks that may gather from every
    page (sitefiles.other_plugins)."""
    unfit = not_built_upon(state, site, inputs)
    if state is None or unfit:
        return Plan(None, unfit)
    if state.get("global") != global_key:
        return Plan(None, "mkdocs.yml 或网站名称等全站设置变了，每个页面都要重新生成")
    olddocs: dict[str, list[Any]] = state.get("docs", {})
    old = {rel: _content(entry) for rel, entry in olddocs.items()}
    deleted = sorted(old.keys() - docs.keys())
    if deleted:
        return Plan(None, f"有文件被删除或不再公开：build/docs/{_listed(deleted)}")
    changed = {path for path, entry in docs.items() if old.get(path) != _content(entry)}
    # MkDocs checks a link to another page's anchor only on a page it renders, against
    # the anchors of the pages it renders: an unchanged page's links would go unchecked,
    # and a changed page's links would be checked against no anchors at all (so passed).
    anchored = sorted(p for p, entry in docs.items() if entry[4:5] != [False])
    if changed and anchored:
        return Plan(None, f"build/docs/{_listed(anchored)} 链接到别的页面中的位置（.md#…）")
    if changed and plugins:
        return Plan(
            None,
            f"mkdocs.yml 用了插件 {_listed(list(plugins))}，它可能汇总每个页面的内容，"
            "只重新生成改动的页面会不完整",
        )
    # Material shows a nav page's icon, subtitle and status (its front matter) in the nav
    # of every page: one changed, every page is rendered again
    navmeta = sorted(p for p in changed if p in old and _nav_meta(docs[p]) != _nav_meta(olddocs[p]))
    if navmeta:
        return Plan(
            None, f"build/docs/{_listed(navmeta)} 的页面开头设置变了，导航里的每个页面都要更新"
        )
    # MkDocs reads a page's title from its Markdown only when it renders the page: the
    # pages a dirty build renders would show such a nav entry without its title
    if changed and untitled:
        where = (
            "没有导航（nav）"
            if untitled == [NO_NAV]
            else f"的导航里 {_listed(untitled)} 没有写标题"
        )
        return Plan(
            None,
            f"mkdocs.yml {where}，只改几页时导航会缺它们的标题"
            "（在 nav 里写上标题，如「- 参观指南: guide.md」，之后就能增量更新）",
        )
    return Plan(changed)


def write_state(
    root: Path,
    state: dict[str, Any] | None,
    inputs: Inputs,
    site: Path,
    docs: dict[str, list[Any]],
    global_key: str,
    secrets_key: str,
) -> None:
    """docs: as for `plan`, every build/docs file as published."""
    new = {
        "version": STATE_VERSION,
        "code": inputs.code,
        "env": inputs.env,
        "site": site_id(site),
        "global": global_key,
        "secrets": secrets_key,
        "inputs": inputs.hashes(root, state),
        "docs": docs,
    }
    atomic_write(root / STATE_FILE, json.dumps(new, ensure_ascii=False, sort_keys=True).encode())
