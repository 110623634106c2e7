"""Where the generator writes, relative to the repository root (a module of constants
only: the MkDocs hook imports it on every build)."""

from __future__ import annotations

from pathlib import Path

DOCS_DIR = Path("build/docs")
SEARCH_DIR = Path("build/search")
# The offline kiosk's docs tree (`showcase kiosk`): links name page files for file://
KIOSK_DOCS = Path("build/kiosk-docs")
# Present while build/docs holds a drafts preview (`showcase serve --drafts`); outside the
# docs tree, so it is never published. A build without drafts removes it, and the MkDocs
# hook refuses `mkdocs build` while it is there.
DRAFTS_MARK = Path("build/drafts-preview")
# Every page's share preview, from public values, for the MkDocs hook (render/share.py)
SIDECAR = Path("build/share.json")
