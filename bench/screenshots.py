"""Regenerate the screenshots in EDITORS.md from the real preview, so they stay honest.

    .venv/bin/python bench/screenshots.py [--out docs/editors]

On a copy of the sample exhibition, `showcase new worker li-hua` is filled in and left
`publish: false`; `showcase serve --drafts` runs on a free local port and Debian's headless
Chromium takes, at 1000x720:

- worker-page.png: a published worker's page (workers/yao-hongfei/);
- draft-banner.png: the draft's page with 「草稿 · 未公开」 (workers/li-hua/);
- preview-error.png: the published page again after an honour's short form (全国劳模) is
  saved in its profile: 「内容有错误，预览没有更新」 with the located problem above the previous page.

Each PNG is reduced to a 128-colour palette (Pillow) and must stay under 150 KB; the
sizes are printed. Nothing is written outside --out and a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from localserver import fetch, free_port, stop
from search import CHROMIUM, FLAGS, sample_root
from synthetic import REPO

MAX_BYTES = 150_000
SIZE = {"width": 1000, "height": 720}
DRAFT = """\
name: 李华
gender: 女
employer: 示例电力公司
district: 南湖区
honors:
  - {title: 浙江省劳动模范, year: 2020}
summary: 电力抢修一线的带头人（截图用的示例档案）。
sources:
  - {title: 示例报道, publisher: 示例日报}
publish: false
"""


def wait_for(url: str, text: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in fetch(url, timeout=20):
            return
        time.sleep(0.5)
    raise SystemExit(f"{url}: 「{text}」 not seen within {timeout:.0f}s")


def shoot(browser: Browser, url: str, out: Path) -> int:
    """The page's first screen, as a small palette PNG. A tab of its own: live reload
    reloads an open tab when the content changes."""
    page = browser.new_page(viewport=SIZE)
    page.goto(url, wait_until="load")  # never "networkidle": live reload keeps a request open
    page.wait_for_timeout(800)  # images decoded, fonts applied
    image = Image.open(io.BytesIO(page.screenshot()))
    page.close()
    small = image.convert("RGB").quantize(colors=128, dither=Image.Dither.NONE)
    small.save(out, optimize=True)
    size = out.stat().st_size
    print(f"{out.relative_to(REPO) if out.is_relative_to(REPO) else out}: {size // 1024} KB")
    if size > MAX_BYTES:
        raise SystemExit(f"{out.name} is {size} bytes (limit {MAX_BYTES})")
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "editors")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = sample_root(Path(tmp))
        (root / "workers/li-hua").mkdir()
        (root / "workers/li-hua/profile.yml").write_text(DRAFT, "utf-8")
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        cmd = [sys.executable, "-m", "showcase", "--root", str(root), "serve", "--drafts"]
        log = (Path(tmp) / "serve.log").open("wb")
        server = subprocess.Popen(
            [*cmd, "--addr", f"127.0.0.1:{port}"], cwd=root, env=env, stdout=log, stderr=log
        )
        try:
            wait_for(base + "workers/li-hua/", "草稿 · 未公开")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                shoot(browser, base + "workers/yao-hongfei/", args.out / "worker-page.png")
                shoot(browser, base + "workers/li-hua/", args.out / "draft-banner.png")
                profile = root / "workers/yao-hongfei/profile.yml"
                text = profile.read_text("utf-8")
                wrong = text.replace("  - title: 全国劳动模范", "  - title: 全国劳模", 1)
                assert wrong != text
                profile.write_text(wrong, "utf-8")
                wait_for(base + "workers/yao-hongfei/", "内容有错误，预览没有更新")
                shoot(browser, base + "workers/yao-hongfei/", args.out / "preview-error.png")
                browser.close()
        finally:
            stop(server)
            log.close()


if __name__ == "__main__":
    main()
