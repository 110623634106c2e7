"""Deploying site/: the sample served by a real Nginx from Debian with the server block the
guide documents (deploy/nginx.conf), under a subpath (/yunzhan/) and at the root of a host,
driven in headless Chromium; and the sitemap (every public page, absolute, no drafts).

Nginx runs in the foreground as an unprivileged user (`nobody` when the tests run as
root) on a free port, with its own prefix, pid, logs and temp folders under a temporary
folder; `make test` installs Debian's nginx."""

from __future__ import annotations

import gzip
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from showcase import searchindex

from conftest import ARTIFACTS, RED, REPO, Visit, copy_sample, free_port, header_colour, run

CONF = REPO / "deploy" / "nginx.conf"
GUIDE = REPO / "docs" / "部署.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SUBPATH = "yunzhan/"  # the sample's site_url is https://example.org/yunzhan/
DRAFT = "shen-mingfang"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def documented_server(port: int, www: Path, at_root: bool) -> str:
    """deploy/nginx.conf as the guide gives it, with only the lines an admin changes."""
    text = CONF.read_text("utf-8")
    changes = [
        (r"^    listen 80;$", f"    listen 127.0.0.1:{port};"),
        (r"^    server_name example\.org;$", "    server_name localhost;"),
        (r"^    root /var/www;$", f"    root {www};"),
    ]
    if at_root:  # the guide: at the root of a host, error_page names /404.html
        changes.append(
            (r"^    error_page 404 /yunzhan/404\.html;$", "    error_page 404 /404.html;")
        )
    for pattern, line in changes:
        text, n = re.subn(pattern, line, text, flags=re.MULTILINE)
        assert n == 1, f"deploy/nginx.conf has no line matching {pattern}"
    return text


def main_config(tmp: Path, server: str) -> str:
    temps = "\n".join(f"    {name}_temp_path {tmp / name};" for name in TEMP_PATHS)
    return (
        f"daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    access_log {tmp / 'access.log'};\n{temps}\n{server}}}\n"
    )


def unprivileged() -> list[str]:
    """As root, run nginx as nobody (its master would otherwise keep root)."""
    if os.geteuid() != 0:
        return []
    nobody = pwd.getpwnam("nobody")
    return [
        "setpriv",
        f"--reuid={nobody.pw_uid}",
        f"--regid={nobody.pw_gid}",
        "--clear-groups",
    ]


@contextmanager
def nginx(site: Path, subpath: str) -> Iterator[str]:
    """site/ served by Nginx at http://127.0.0.1:PORT/<subpath>; yields the host's base URL."""
    assert Path(NGINX).exists(), "make test installs Debian's nginx"
    tmp = Path(tempfile.mkdtemp(prefix="showcase-nginx-"))
    proc = None
    try:
        www = tmp / "www"
        shutil.copytree(site, www / subpath if subpath else www)
        for name in TEMP_PATHS:
            (tmp / name).mkdir()
        port = free_port()
        server = documented_server(port, www, at_root=not subpath)
        (tmp / "nginx.conf").write_text(main_config(tmp, server), "utf-8")
        if os.geteuid() == 0:  # everything readable and the prefix writable by nobody
            nobody = pwd.getpwnam("nobody")
            for path in [tmp, *tmp.rglob("*")]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)
        os.chmod(tmp, 0o755)
        cmd = [*unprivileged(), NGINX, "-p", str(tmp), "-e", str(tmp / "error.log")]
        cmd += ["-c", str(tmp / "nginx.conf")]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (tmp / "error.log").read_text("utf-8", "replace")
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    pytest.fail(f"nginx did not start: {out}\n{log}")
                time.sleep(0.05)
        log = (tmp / "error.log").read_text("utf-8", "replace")
        assert "[warn]" not in log and "[emerg]" not in log, log
        yield f"http://127.0.0.1:{port}/"
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def subpath_url(sample_site: Path) -> Iterator[str]:
    """The sample (site_url https://example.org/yunzhan/) served under /yunzhan/."""
    with nginx(sample_site / "site", SUBPATH) as host:
        yield host + SUBPATH


@pytest.fixture(scope="module")
def root_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with site_url at the root of a host and one worker unpublished (and
    taken out of the hall and the chapter that exhibit her)."""
    root = copy_sample(tmp_path_factory.mktemp("rooted"))
    settings = root / "exhibition.yml"
    text = settings.read_text("utf-8")
    settings.write_text(re.sub(r"(?m)^site_url: \S+", "site_url: https://example.org/", text))
    profile = root / "workers" / DRAFT / "profile.yml"
    profile.write_text(profile.read_text("utf-8").replace("\npublish: true", "\npublish: false"))
    hall = root / "content" / "halls" / "baodao-laomo" / "hall.yml"
    hall.write_text(re.sub(rf" *- worker: {DRAFT}\n *note: .*\n", "", hall.read_text("utf-8")))
    chapter = root / "content" / "books" / "hongxin-jiangyi" / "01-sample-article-facts.md"
    chapter.write_text(chapter.read_text("utf-8").replace(f", {DRAFT}]", "]"))
    result = run(root, "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def shot(visit: Visit, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / name), full_page=False)


# -- under a subpath -----------------------------------------------------------------


def test_home_page_is_styled_under_a_subpath(browser: object, subpath_url: str) -> None:
    visit = Visit(browser).open(subpath_url)
    assert visit.errors == []
    assert header_colour(visit) == RED
    assert "劳模工匠云展" in visit.page.inner_text("h1")
    assert [r for r in visit.requests if not r.startswith(subpath_url)] == []
    shot(visit, "nginx-home.png")


def test_worker_page_with_its_portrait(browser: object, subpath_url: str) -> None:
    visit = Visit(browser).open(subpath_url + "workers/yao-hongfei/")
    assert visit.errors == []
    assert "姚红飞" in visit.page.inner_text("h1")
    width = visit.page.eval_on_selector("img.sc-portrait", "i => i.complete && i.naturalWidth")
    assert width and width > 0
    # a link to another page resolves under the subpath
    visit.page.click("article a[href$='studios/yao-hongfei-studio/']")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url.startswith(subpath_url + "studios/")
    assert header_colour(visit) == RED


def test_search_answers_from_pagefind_through_nginx(browser: object, subpath_url: str) -> None:
    visit = Visit(browser).open(subpath_url)
    assert subpath_url + "workers/yao-hongfei/" in visit.search("姚红飞")
    fragments = [r for r in visit.requests if r.endswith(".pf_fragment")]
    assert fragments, "Pagefind's fragments were not fetched"
    assert visit.errors == []


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with its search index forced into shards of at most three pages."""
    root = copy_sample(tmp_path_factory.mktemp("sharded"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(searchindex.SHARD_PAGES_ENV, "3")
        result = run(root, "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def shard_of_page(site: Path) -> dict[str, str]:
    """Each indexed page's URL (as Pagefind gives it) → the shard folder holding it, read
    from the shards' fragments (gzip, Pagefind's marker, then JSON)."""
    found = {}
    shards = json.loads((site / searchindex.MANIFEST).read_text("utf-8"))["shards"]
    for shard in shards:
        for fragment in (site / shard / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
            found[json.loads(data)["url"]] = shard
    return found


def test_search_ranks_every_shard_together_under_a_subpath(
    browser: object, sharded_site: Path
) -> None:
    """A worker, a studio and a book chapter in three different shards are all found, from
    the site served under /yunzhan/: showcase.js merges every shard listed in shards.json."""
    shards = json.loads((sharded_site / searchindex.MANIFEST).read_text("utf-8"))["shards"]
    assert len(shards) >= 3 and shards[0] == "pagefind/"
    where = shard_of_page(sharded_site)
    worker, chapter = "/workers/yao-hongfei/", "/books/hongxin-jiangyi/01-sample-article-facts/"
    studios = {
        "/studios/nanhu-jinchui/": "南湖金锤劳模工匠技术服务队",
        "/studios/yao-hongfei-studio/": "姚红飞劳模创新工作室",
        "/studios/zhou-gang-studio/": "周刚劳模创新工作室",
    }
    apart = [u for u in studios if where[u] not in (where[worker], where[chapter])]
    assert where[worker] != where[chapter] and apart, where
    studio = apart[0]
    with nginx(sharded_site, SUBPATH) as host:
        base = host + SUBPATH
        visit = Visit(browser).open(base)
        for query, url in [
            ("姚红飞", worker),
            (studios[studio], studio),
            ("五位劳模工匠", chapter),
        ]:
            assert base + url.lstrip("/") in results_for(visit, query), (query, where[url])
        fetched = {r.removeprefix(base) for r in visit.requests if r.startswith(base)}
        for shard in shards:  # every shard's entry was asked for, under the subpath
            assert any(r.startswith(shard + "pagefind-entry.json") for r in fetched), shard
        assert not any(r.startswith("pagefind/s") and "wasm" in r for r in fetched)
        assert visit.errors == []


def results_for(visit: Visit, query: str) -> list[str]:
    """Type a query and wait for showcase.js's answer to this query (not the last one)."""
    visit.page.evaluate(
        """q => { const i = document.querySelector('.md-search__input');
                  i.focus(); i.value = q; i.dispatchEvent(new KeyboardEvent('keyup', {key: 'a'})); }""",
        query,
    )
    visit.page.wait_for_function(
        "q => (document.querySelector('.md-search-result__list') || {}).dataset?.resultsFor === q",
        arg=query,
        timeout=10_000,
    )
    hrefs = visit.page.eval_on_selector_all(
        ".md-search-result__item > a", "els => els.map(e => e.href)"
    )
    return [h.split("?")[0] for h in hrefs]


def test_epub_download_has_its_mime_type(subpath_url: str) -> None:
    status, _, html = get(subpath_url + "books/hongxin-jiangyi/")
    assert status == 200
    link = re.search(r'href="([^"]+\.epub)"', html.decode())
    assert link, "the book page links no EPUB"
    status, headers, body = get(subpath_url + "books/hongxin-jiangyi/" + link.group(1))
    assert status == 200
    assert headers["Content-Type"] == "application/epub+zip"
    assert body[:2] == b"PK" and b"application/epub+zip" in body[:100]


def test_unknown_url_is_the_styled_404_page_with_search(browser: object, subpath_url: str) -> None:
    status, headers, _ = get(subpath_url + "no/such/page/")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    visit = Visit(browser)
    response = visit.page.goto(subpath_url + "no/such/page/")
    visit.page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 404
    assert header_colour(visit) == RED
    assert "找不到这个页面" in visit.page.inner_text("article h1")
    assert visit.page.eval_on_selector("a.sc-home-link", "a => a.href") == subpath_url
    shot(visit, "nginx-404.png")
    assert subpath_url + "workers/yao-hongfei/" in visit.search("姚红飞")
    # the navigation leads back into the site
    for href in visit.page.eval_on_selector_all("nav a[href]", "els => els.map(e => e.href)"):
        if href.startswith("http://127.0.0.1"):
            assert href.startswith(subpath_url), href
            assert get(href)[0] == 200, href


def test_cache_headers_and_compression(sample_site: Path, subpath_url: str) -> None:
    site = sample_site / "site"
    html = get(subpath_url)[1]
    assert html["Cache-Control"] == "no-cache"
    bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    hashed = get(subpath_url + "assets/javascripts/" + bundle)[1]
    assert hashed["Cache-Control"] == "public, max-age=31536000, immutable"
    picture = next((site / "workers" / "yao-hongfei").glob("*.webp")).name
    assert "immutable" in get(subpath_url + "workers/yao-hongfei/" + picture)[1]["Cache-Control"]
    assert get(subpath_url + "assets/showcase.js")[1]["Cache-Control"] == "no-cache"
    # Pagefind: its script is gzipped by Nginx; its fragments are gzip already
    status, script, body = get(subpath_url + "pagefind/pagefind.js", **{"Accept-Encoding": "gzip"})
    assert status == 200 and script["Content-Encoding"] == "gzip"
    assert script["Content-Type"].startswith("application/javascript")
    assert gzip.decompress(body) == (site / "pagefind" / "pagefind.js").read_bytes()
    entry = get(subpath_url + "pagefind/pagefind-entry.json")[1]
    assert entry["Content-Type"].startswith("application/json")
    assert entry["Cache-Control"] == "no-cache"
    fragment = next((site / "pagefind" / "fragment").glob("*.pf_fragment")).name
    status, headers, body = get(
        subpath_url + "pagefind/fragment/" + fragment, **{"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Type"] == "application/octet-stream"
    assert "Content-Encoding" not in headers and body[:2] == b"\x1f\x8b"
    assert "immutable" in headers["Cache-Control"]
    wasm = next((site / "pagefind").glob("wasm.*.pagefind")).name
    assert get(subpath_url + "pagefind/" + wasm)[1]["Content-Type"] == "application/octet-stream"


# -- at the root of a host, with a draft -----------------------------------------------


def test_site_at_the_root_of_a_host(browser: object, root_site: Path) -> None:
    with nginx(root_site / "site", "") as host:
        visit = Visit(browser).open(host)
        assert header_colour(visit) == RED and visit.errors == []
        assert host + "workers/yao-hongfei/" in visit.search("姚红飞")
        visit = Visit(browser)
        response = visit.page.goto(host + "workers/" + DRAFT + "/")
        visit.page.wait_for_load_state("networkidle")
        assert response is not None and response.status == 404  # never published
        assert header_colour(visit) == RED
        assert visit.page.eval_on_selector("a.sc-home-link", "a => a.href") == host
        assert host + "workers/yao-hongfei/" in visit.search("姚红飞")


def sitemap(site: Path) -> list[str]:
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text or "" for loc in tree.getroot().findall("s:url/s:loc", ns)]


def pages(site: Path) -> set[str]:
    """Every page of the built site, as its directory URL relative to the site."""
    found = set()
    for path in site.rglob("index.html"):
        rel = path.parent.relative_to(site).as_posix()
        if not rel.startswith("pagefind"):
            found.add("" if rel == "." else rel + "/")
    return found


@pytest.mark.parametrize(
    ("fixture", "site_url"),
    [("sample_site", "https://example.org/yunzhan/"), ("root_site", "https://example.org/")],
)
def test_sitemap_lists_every_public_page_absolute(
    request: pytest.FixtureRequest, fixture: str, site_url: str
) -> None:
    site = request.getfixturevalue(fixture) / "site"
    locs = sitemap(site)
    assert len(locs) == len(set(locs))
    assert {site_url + p for p in pages(site)} == set(locs)
    assert site_url + "workers/yao-hongfei/" in locs
    with gzip.open(site / "sitemap.xml.gz") as packed:
        assert packed.read() == (site / "sitemap.xml").read_bytes()


def test_sitemap_has_no_draft(root_site: Path) -> None:
    site = root_site / "site"
    assert not (site / "workers" / DRAFT).exists()
    assert not [loc for loc in sitemap(site) if DRAFT in loc]
    assert "https://example.org/workers/xu-huifen/" in sitemap(site)


def test_the_guide_shows_the_tested_config() -> None:
    blocks = re.findall(r"```nginx\n(.*?)```", GUIDE.read_text("utf-8"), re.DOTALL)
    assert blocks == [CONF.read_text("utf-8")]
