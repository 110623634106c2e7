"""The built sample exhibition in headless Chromium (Debian's chromium, driven by Playwright).

Screenshots go to test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ARTIFACTS, FIXTURES, QuietHandler, Visit, copy_tree, run


@pytest.mark.parametrize("query", ["姚红飞", "红飞", "yaohongfei", "yao hongfei", "yhf"])
def test_name_and_pinyin_search_finds_the_worker_first(
    browser: object, base_url: str, query: str
) -> None:
    visit = Visit(browser).open(base_url)
    assert visit.search(query)[0] == base_url + "workers/yao-hongfei/"


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("周刚劳模创新工作室", "studios/zhou-gang-studio/"),
        ("桐乡市治安管理大队", "workers/xu-huifen/"),
        ("全国劳动模范", "workers/wang-weiming/"),
        ("港珠澳大桥", "studios/yao-hongfei-studio/"),
    ],
)
def test_studios_employers_and_honours_are_found(
    browser: object, base_url: str, query: str, page: str
) -> None:
    visit = Visit(browser).open(base_url)
    assert base_url + page in visit.search(query)


def test_gallery_shows_thumbnails(browser: object, base_url: str) -> None:
    visit = Visit(browser).open(base_url + "workers/")
    images = visit.page.eval_on_selector_all(
        ".sc-cards img", "els => els.map(e => [e.currentSrc, e.naturalWidth, e.complete])"
    )
    assert len(images) == 5
    for src, width, complete in images:
        assert complete and width > 0, src
    assert any(src.endswith(".webp") for src, _, _ in images)  # the derivative, not the original
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "gallery-1280.png"), full_page=True)


def test_lightbox_opens_with_caption(browser: object, base_url: str) -> None:
    visit = Visit(browser).open(base_url + "workers/yao-hongfei/")
    visit.page.click("a.glightbox")
    visit.page.wait_for_selector(
        ".glightbox-container .gslide-image img", state="visible", timeout=5000
    )
    assert "传授技能" in visit.page.inner_text(".glightbox-container .gslide-desc")
    visit.page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "lightbox-1280.png"))


@pytest.mark.parametrize(
    "path", ["", "workers/", "workers/yao-hongfei/", "studios/zhou-gang-studio/"]
)
@pytest.mark.parametrize("width", [390, 1280])
def test_pages_work_offline_without_errors(
    browser: object, base_url: str, path: str, width: int
) -> None:
    visit = Visit(browser, width).open(base_url + path)
    assert visit.errors == []
    assert [r for r in visit.requests if not r.startswith(base_url)] == []
    ARTIFACTS.mkdir(exist_ok=True)
    name = (path.strip("/").replace("/", "-") or "home") + f"-{width}.png"
    visit.page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_filter_changes_cards_and_url_and_survives_reload(browser: object, base_url: str) -> None:
    visit = Visit(browser).open(base_url + "workers/")
    visible = "els => els.filter(e => !e.closest('li').hidden).length"
    assert visit.page.eval_on_selector_all(".sc-facets", visible) == 5
    visit.page.select_option("form.sc-filter select[name=level]", "国家级")
    assert visit.page.eval_on_selector_all(".sc-facets", visible) == 2
    assert "level=" in visit.page.url
    visit.page.reload()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.eval_on_selector_all(".sc-facets", visible) == 2
    assert visit.page.input_value("form.sc-filter select[name=level]") == "国家级"
    names = visit.page.eval_on_selector_all(
        ".sc-cards li:not([hidden]) strong a", "els => els.map(e => e.textContent.trim())"
    )
    assert sorted(names) == ["姚红飞", "王为明"]
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "gallery-filtered-1280.png"), full_page=True)


def test_gallery_without_javascript_hides_the_filter(browser: object, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base_url + "workers/")
    assert not page.is_visible("form.sc-filter")
    assert page.eval_on_selector_all(".sc-cards li", "els => els.length") == 5
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "",
        "workers/",
        "workers/yao-hongfei/",
        "studios/",
        "studios/yao-hongfei-studio/",
        "halls/baodao-laomo/",
        "stats/",
    ],
)
def test_no_serious_accessibility_violations(browser: object, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    visit = Visit(browser).open(base_url + path)
    result = Axe().run(visit.page)
    serious = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_hostile_caption_stays_text_in_the_lightbox(browser: object, tmp_path: Path) -> None:
    """GLightbox puts descriptions in as HTML: the caption must arrive escaped twice."""
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    profile = root / "workers/zhang-san/profile.yml"
    hostile = "<img src=x onerror=window.__xss=1>图注"
    text = profile.read_text("utf-8").replace("caption: 工作照", f'caption: "{hostile}"')
    profile.write_text(text, "utf-8")
    assert run(root, "site").returncode == 0
    handler = functools.partial(QuietHandler, directory=str(root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        visit = Visit(browser).open(
            f"http://127.0.0.1:{server.server_address[1]}/workers/zhang-san/"
        )
        visit.page.click("a.glightbox")
        visit.page.wait_for_selector(
            ".glightbox-container .gslide-desc", state="visible", timeout=5000
        )
        visit.page.wait_for_timeout(300)
        assert visit.page.evaluate("window.__xss") is None
        assert hostile in visit.page.inner_text(".glightbox-container .gslide-desc")
    finally:
        server.shutdown()


def test_hostile_profile_stays_text_in_search_results(browser: object, tmp_path: Path) -> None:
    """Pagefind's titles and excerpts come from page text: they must not become markup."""
    root = copy_tree(FIXTURES / "hostile", tmp_path / "hostile")
    assert run(root, "site").returncode == 0
    handler = functools.partial(QuietHandler, directory=str(root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        visit = Visit(browser).open(f"http://127.0.0.1:{server.server_address[1]}/")
        dialogs: list[str] = []
        visit.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for query in ("alert", "XSS6", "缩进代码块"):
            visit.search(query)
            visit.page.wait_for_timeout(300)
        titles = visit.page.eval_on_selector_all(
            ".md-search-result__item h1", "els => els.map(e => e.textContent)"
        )
        assert dialogs == []
        assert (
            visit.page.eval_on_selector_all(
                ".md-search-result__list script, .md-search-result__list img", "e => e.length"
            )
            == 0
        )
        assert "</title><script>XSS1</script>恶" in titles  # the name, as text
    finally:
        server.shutdown()
