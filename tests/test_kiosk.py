"""The offline kiosk (`showcase kiosk`): the sample opened from disk (file://) in headless
Chromium with every network request refused, its links, its zip, and the trees it must
leave alone."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ARTIFACTS, RED, Visit, all_text, copy_sample, header_colour, run

LINK = re.compile(r'(?:href|src)="([^"]*)"')
EDITORS_MAP = Path("content/downloads/route.map")  # a hand-written file named like a source map


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def kiosk_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample: `showcase site`, then `showcase kiosk`, which must leave build/docs and
    site/ as they were."""
    root = copy_sample(tmp_path_factory.mktemp("kiosk"))
    (root / EDITORS_MAP).parent.mkdir(parents=True, exist_ok=True)
    (root / EDITORS_MAP).write_bytes(b"\x89 a route map an editor published\n")
    done = run(root, "site")
    assert done.returncode == 0, done.stdout + done.stderr
    before = snapshot(root / "build" / "docs"), snapshot(root / "site")
    done = run(root, "kiosk")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "离线展台已生成" in done.stdout
    assert (snapshot(root / "build" / "docs"), snapshot(root / "site")) == before
    yield root


class Offline:
    """Pages where only file:// loads; every other request is refused and remembered."""

    def __init__(self, browser: object) -> None:
        self.browser = browser
        self.attempted: list[str] = []

    def _refuse(self, route: object) -> None:
        self.attempted.append(route.request.url)  # type: ignore[attr-defined]
        route.abort()  # type: ignore[attr-defined]

    def visit(self, path: Path) -> Visit:
        visit = Visit(self.browser)
        visit.page.route(lambda url: not url.startswith("file:"), self._refuse)
        return visit.open(path.as_uri())


@pytest.fixture
def offline(browser: object) -> Iterator[Offline]:
    net = Offline(browser)
    yield net
    assert net.attempted == [], "the kiosk tried the network"


def test_home_and_a_worker_page_from_disk(offline: Offline, kiosk_root: Path) -> None:
    kiosk = kiosk_root / "build" / "kiosk"
    visit = offline.visit(kiosk / "index.html")
    assert visit.errors == []
    assert header_colour(visit) == RED
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "kiosk-home.png"))
    # a card on the home page leads to the worker's own file, not a folder
    visit.page.click("a[href$='workers/yao-hongfei/index.html']")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url == (kiosk / "workers" / "yao-hongfei" / "index.html").as_uri()
    assert "姚红飞" in visit.page.inner_text("h1")
    width = visit.page.eval_on_selector("img.sc-portrait", "i => i.complete && i.naturalWidth")
    assert width and width > 0
    # and from there to the studio's page
    visit.page.click("article a[href$='studios/yao-hongfei-studio/index.html']")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url.endswith("studios/yao-hongfei-studio/index.html")
    assert header_colour(visit) == RED
    assert visit.errors == []
    assert all(r.startswith("file://") for r in visit.requests)


@pytest.mark.parametrize("query", ["姚红飞", "周刚"])
def test_search_finds_a_worker_by_chinese_name(
    offline: Offline, kiosk_root: Path, query: str
) -> None:
    kiosk = kiosk_root / "build" / "kiosk"
    visit = offline.visit(kiosk / "workers" / "index.html")
    slug = {"姚红飞": "yao-hongfei", "周刚": "zhou-gang"}[query]
    assert (kiosk / "workers" / slug / "index.html").as_uri() in visit.search(query)
    assert visit.errors == []
    assert any(r.endswith("search/search_index.js") for r in visit.requests)
    assert not any("pagefind" in r for r in visit.requests)


def test_every_link_names_a_file_in_the_kiosk(kiosk_root: Path) -> None:
    kiosk = kiosk_root / "build" / "kiosk"
    pages = sorted(kiosk.rglob("*.html"))
    assert len(pages) > 20
    broken, remote = [], []
    for page in pages:
        for url in LINK.findall(page.read_text("utf-8")):
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and 'src="' + url in page.read_text("utf-8"):
                remote.append(url)  # a script, style or picture from the network
            if parts.scheme or not parts.path:
                continue
            if not (page.parent / unquote(parts.path)).is_file():
                broken.append(f"{page.relative_to(kiosk)}: {url}")
    assert broken == []
    assert remote == []
    assert not (kiosk / "pagefind").exists() and not (kiosk / "404.html").exists()


def test_zip_holds_the_kiosk_folder(kiosk_root: Path) -> None:
    kiosk = kiosk_root / "build" / "kiosk"
    with zipfile.ZipFile(kiosk_root / "build" / "kiosk.zip") as z:
        assert z.testzip() is None
        names = {n.removeprefix("kiosk/"): z.read(n) for n in z.namelist()}
    assert names == snapshot(kiosk)
    # the QR codes serve the print view; share cards only links shared from the web site
    assert "workers/zhou-gang/qr.svg" in names
    assert (kiosk_root / "site/share").is_dir() and not (kiosk / "share").exists()


def test_hall_slideshow_walks_the_tour_on_its_own(offline: Offline, kiosk_root: Path) -> None:
    """?play=SECONDS: the hall's page goes to its first exhibit, each exhibit to the next."""
    kiosk = kiosk_root / "build" / "kiosk"
    hall = kiosk / "halls" / "baodao-laomo" / "index.html"
    visit = offline.visit(hall)
    first = visit.page.eval_on_selector("a.sc-hall-start", "a => a.href")
    visit.page.goto(hall.as_uri() + "?play=1")
    visit.page.wait_for_url(lambda url: url.startswith(first.split("?")[0]), timeout=5000)
    assert "hall=baodao-laomo" in visit.page.url and "play=1" in visit.page.url
    following = visit.page.eval_on_selector(".sc-tour:not([hidden]) a.sc-tour-next", "a => a.href")
    visit.page.wait_for_url(lambda url: url.startswith(following.split("?")[0]), timeout=5000)
    assert "play=1" in visit.page.url
    # without ?play= a page stays where it is
    visit.page.goto(hall.as_uri())
    visit.page.wait_for_timeout(1500)
    assert visit.page.url == hall.as_uri()
    assert visit.errors == []


def test_content_problems_keep_the_previous_kiosk(mini: Path) -> None:
    """A profile with an error: exit 1, a Chinese summary, build/kiosk/ and the zip as they
    were; a hidden (`publish: false`) worker is never in the kiosk."""
    done = run(mini, "kiosk")
    assert done.returncode == 0, done.stdout + done.stderr
    kiosk = mini / "build" / "kiosk"
    assert (kiosk / "workers" / "zhang-san" / "index.html").is_file()
    assert not (kiosk / "workers" / "hidden-one").exists()
    assert "隐藏者" not in all_text(kiosk)
    before = snapshot(kiosk), (mini / "build" / "kiosk.zip").read_bytes()
    profile = mini / "workers" / "zhang-san" / "profile.yml"
    profile.write_text(profile.read_text("utf-8").replace("name: ", "name:\n  - ", 1), "utf-8")
    done = run(mini, "kiosk")
    assert done.returncode == 1
    assert "离线展台没有更新" in done.stderr
    assert (snapshot(kiosk), (mini / "build" / "kiosk.zip").read_bytes()) == before


def test_the_themes_source_maps_are_left_out_and_an_editors_map_file_is_kept(
    kiosk_root: Path,
) -> None:
    kiosk, site = kiosk_root / "build" / "kiosk", kiosk_root / "site"
    published = EDITORS_MAP.relative_to("content").as_posix()
    assert (kiosk / published).read_bytes() == (kiosk_root / EDITORS_MAP).read_bytes()
    theirs = {p.relative_to(site).as_posix() for p in site.rglob("*.map")} - {published}
    assert theirs  # the theme ships source maps to the web site
    assert [p for p in kiosk.rglob("*.map") if p.relative_to(kiosk).as_posix() != published] == []
