"""The offline kiosk (`showcase kiosk`): the exhibition as a folder and a zip that work
opened from a USB stick (file://) with no network.

From file:// a browser shows a folder listing for `workers/x/` and refuses Web Workers,
fetch and WebAssembly modules, so the kiosk is its own build:
- its own docs tree (build/kiosk-docs) whose links name page files (render.paths.file_urls);
- MkDocs with `use_directory_urls: false` and Material's `offline` plugin, which inlines
  Material's search index into search/search_index.js (a script, loadable from file://);
- Material's search worker started in a hidden iframe (static/iframe-worker.js, in place of
  the network shim the offline plugin would otherwise add); Pagefind is not run (it needs
  fetch and WebAssembly) and showcase.js leaves Material's search alone on file://.
The finished folder passes the privacy guard, then replaces build/kiosk/ whole; the zip
(build/kiosk.zip) holds the same files under one top folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from showcase.publish import finish_removals, remove_tree, switch

KIOSK_DIR = Path("build/kiosk")
KIOSK_ZIP = Path("build/kiosk.zip")
ZIP_TOP = "kiosk"  # the folder the zip unpacks to
WORKER_SHIM = "assets/iframe-worker.js"  # the offline plugin adds no network shim for it
# Of use on a web server only: the 404 page loads its assets from site_url's path, the
# sitemap names the published site, search_index.js stands for the JSON index. The theme's
# source maps (*.map, for developers' tools) are left out too; a .map file under content/
# is an editor's, and stays.
SERVER_ONLY = ("404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json")

Verify = Callable[[Path], list[str]]


def mkdocs_build(root: Path, docs: Path, out: Path) -> bool:
    """MkDocs into `out`, in a subprocess (like `showcase site`) running `main` below."""
    cmd = [sys.executable, "-m", "showcase.kiosk", str(root), str(docs), str(out)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(cmd, cwd=root, env=env).returncode == 0


def kiosk_config(root: Path, docs: Path, out: Path) -> object:
    """The site's mkdocs.yml with the kiosk's differences."""
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    config_file = root / "mkdocs.yml"
    with config_file.open("rb") as f:
        raw = yaml_load(f)
    plugins = list(raw.get("plugins") or [])
    extra = dict(raw.get("extra") or {})
    extra["polyfills"] = [*extra.get("polyfills", []), WORKER_SHIM]
    return load_config(
        str(config_file),
        docs_dir=str(docs),
        site_dir=str(out),
        use_directory_urls=False,
        plugins=[*plugins, "offline"],
        extra=extra,
        strict=True,
    )


def main(argv: list[str]) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    root, docs, out = (Path(a) for a in argv)
    try:
        config = kiosk_config(root, docs, out)
        config.plugins.on_startup(command="build", dirty=False)  # type: ignore[attr-defined]
        try:
            build(config)  # type: ignore[arg-type]
        finally:
            config.plugins.on_shutdown()  # type: ignore[attr-defined]
    except MkDocsException as err:
        print(f"MkDocs: {err}", file=sys.stderr)
        return 1
    return 0


def make_zip(folder: Path, target: Path) -> None:
    """The folder's files under ZIP_TOP/, in a stable order, written atomically."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                rel = path.relative_to(folder).as_posix()
                info = zipfile.ZipInfo(f"{ZIP_TOP}/{rel}", date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, path.read_bytes())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def make_kiosk(root: Path, docs: Path, verify: Verify) -> str | None:
    """build/kiosk/ and build/kiosk.zip from the kiosk docs tree; None, or why not (the
    previous kiosk stays). The caller holds the build lock."""
    final = root / KIOSK_DIR
    final.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=final.parent, prefix=".kiosk.new-"))
    switched = False
    try:
        os.chmod(fresh, 0o755)
        if not mkdocs_build(root, docs, fresh):
            return "MkDocs 构建离线展台失败：之前的离线展台保持不变。"
        for name in SERVER_ONLY:
            (fresh / name).unlink(missing_ok=True)
        for source_map in fresh.rglob("*.map"):  # the theme's, for developers' tools only
            if not (root / docs / source_map.relative_to(fresh)).is_file():  # not an editor's
                source_map.unlink()
        messages = verify(fresh)
        if messages:
            return "\n".join([*messages, "发布前检查未通过：之前的离线展台保持不变。"])
        switch(fresh, final)
        switched = True
    finally:
        if not switched:
            remove_tree(fresh)
    make_zip(final, root / KIOSK_ZIP)  # while the old kiosk is deleted
    finish_removals()
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
