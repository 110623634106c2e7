"""Step 1's hard links, made ahead while the generator runs.

An incremental publish (incremental_site) links every output of an unchanged docs file,
and the search index, from site/ into a fresh folder: 29,000 links at 5,000 workers, and
each costs the kernel about 0.1 ms here (mostly system time). So as soon as `showcase
site` knows a publish may be incremental (the published site/, code and packages are
those of the last publish), a process of its own links the same kind of files into a
fresh folder beside site/, on the other core, while the generator runs: the outputs of
every docs file the last publish had (publish-state.json's `docs`) and the search index.

When the generator has decided what changed, the publish removes from that folder every
link it would not have made itself (the outputs of the changed docs files), links what
is missing (normally nothing), and goes on exactly as without it: the folder holds links
only to outputs a dirty build never writes, and the tripwire checks the identities this
process recorded. A full build, an unchanged site or a failed run discards the folder.

    python -m showcase.prelink SITE FRESH   (stdin: the docs paths as a JSON list;
                                              stdout: the links made, as JSON)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from showcase import searchindex
from showcase.incremental_site import Identity, link_files
from showcase.publish import FRESH_PREFIX, files_under, remove_later
from showcase.sitefiles import dest_of

PAGEFIND = searchindex.FOLDER


class Prelink:
    """The folder being filled and the process filling it."""

    def __init__(self, site: Path, docs: list[str]) -> None:
        self.folder = Path(tempfile.mkdtemp(dir=site.parent, prefix=FRESH_PREFIX))
        self.taken = False  # the publish owns the folder now (switches or removes it)
        cmd = [sys.executable, "-m", "showcase.prelink", str(site), str(self.folder)]
        self.proc = subprocess.Popen(  # its failure only means the publish links itself
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(docs).encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            pass  # it ended already: result() says it failed

    def result(self) -> dict[str, Identity] | None:
        """The links made (path → inode, size, mtime_ns), or None when the process failed
        (the folder is then discarded, and the publish links everything itself)."""
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()
        if self.proc.wait() != 0:
            self.discard()
            return None
        try:
            links: dict[str, Any] = json.loads(out)
            return {rel: (ino, size, mtime) for rel, (ino, size, mtime) in links.items()}
        except (ValueError, TypeError):
            self.discard()
            return None

    def take(self) -> Path:
        self.taken = True
        return self.folder

    def discard(self) -> None:
        """Stop the process and begin deleting the folder (publish.remove_later), unless
        the publish took it."""
        if self.taken:
            return
        self.taken = True
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        remove_later(self.folder)


def start(site: Path, state: dict[str, Any]) -> Prelink | None:
    """Begin linking for a publish that may be incremental, else None."""
    docs = state.get("docs")
    if not site.is_dir() or site.is_symlink() or not isinstance(docs, dict):
        return None
    return Prelink(site, sorted(docs))


def normal(rel: str) -> bool:
    """A relative path with no `.`, `..` or empty part (the state file is in build/: a
    path through a folder of site/ a hand replaced by a symlink could lead outside)."""
    return isinstance(rel, str) and all(p not in ("", ".", "..") for p in rel.split("/"))


def main(site: Path, fresh: Path) -> None:
    docs = [rel for rel in json.loads(sys.stdin.buffer.read()) if normal(rel)]
    rels = dest_of(docs) | {f"{PAGEFIND}/{rel}" for rel in files_under(site / PAGEFIND)}
    links = link_files(site, fresh, rels)
    sys.stdout.write(json.dumps(links))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
