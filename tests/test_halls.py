"""Curated halls (展厅): golden pages, located errors, the guided tour in Chromium.

The fixture `halls-mini` is laid over `books-mini` (two workers, a hidden one, a book of
three chapters): it adds a studio, a hidden studio, and three halls — `first-hall` (items
and a section, with a cover), `second-hall` (no cover: the stand-in), `draft-hall`
(unpublished). `shi-li-jia` and `shi-li-yi` are in both published halls. Its expected
pages (the halls and the tour blocks of the exhibited pages) live in `halls-expected/`;
regenerate with `UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_halls.py` and
review the diff. Each folder under `halls-bad/` is laid over the fixture and names, in
`expected.txt`, the exact start of every error line `showcase check` must print.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, closed_after_test, copy_tree, run
from test_golden import check_golden, tree

HALLS = FIXTURES / "halls-mini"
GOLDEN = FIXTURES / "halls-expected"
BAD = FIXTURES / "halls-bad"
FIRST = [  # first-hall in visiting order: its items, then its section's
    "workers/shi-li-jia/",
    "studios/shi-li-studio/",
    "books/sample-book/a-summer/",
    "workers/shi-li-yi/",
]
SECOND = ["books/sample-book/b-spring/", "workers/shi-li-yi/", "workers/shi-li-jia/"]
TOUR = re.compile(r'<div class="sc-tours">.*?\n</div>\n', re.S)


def make_root(parent: Path) -> Path:
    root = copy_tree(FIXTURES / "books-mini", parent / "halls")
    shutil.copytree(HALLS, root, dirs_exist_ok=True)
    return root


@pytest.fixture
def halls(tmp_path: Path) -> Path:
    return make_root(tmp_path)


def built(root: Path) -> Path:
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "build" / "docs"


def page(docs: Path, path: str) -> str:
    return (docs / path).read_text("utf-8")


# -- golden pages -----------------------------------------------------------------------------


def hall_tree(docs: Path) -> dict[str, bytes]:
    """The halls' files, and for each exhibited page its tour block alone."""
    out = {path: data for path, data in tree(docs).items() if path.startswith("halls/")}
    for path, data in tree(docs).items():
        if path.endswith("index.md") and not path.startswith("halls/"):
            found = TOUR.search(data.decode("utf-8"))
            if found:
                out[path.replace("index.md", "tour.md")] = found.group().encode("utf-8")
    return out


def test_hall_pages_match_golden(halls: Path) -> None:
    check_golden(GOLDEN, hall_tree(built(halls)))


def test_hall_page_lists_items_then_sections_with_hall_context(halls: Path) -> None:
    text = page(built(halls), "halls/first-hall/index.md")
    links = re.findall(r'<strong><a href="\.\./\.\./([^"?]+)\?hall=first-hall">', text)
    assert links == FIRST
    assert text.index('<h2 id="书中的故事">') > text.index("工作室的说明。")
    assert "&lt;b&gt;不会生效的标签&lt;/b&gt;" in text and "<b>" not in text  # notes are text
    assert "<em>强调</em>" in text and 'href="https://example.org/"' in text  # intro: Markdown
    assert text.startswith("---\n") and "hide:\n  - navigation\n  - toc\n" in text


def test_halls_index_in_order_with_counts(halls: Path) -> None:
    text = page(built(halls), "halls/index.md")
    assert text.index("第一展厅") < text.index("第二展厅")
    assert "4 件展品" in text and "3 件展品" in text
    assert 'src="second-hall/cover.svg"' in text  # no cover: the stand-in


def test_tour_counts_and_neighbours(halls: Path) -> None:
    docs = built(halls)
    yi = page(docs, "workers/shi-li-yi/index.md")
    navs = re.findall(r'<nav class="sc-tour" data-hall="([a-z-]+)"[^>]*?( hidden)?>', yi)
    assert navs == [("first-hall", ""), ("second-hall", " hidden")]  # the first hall's shown
    assert "第 4 / 4 件" in yi and "第 2 / 3 件" in yi
    assert 'href="../../books/sample-book/a-summer/?hall=first-hall"' in yi  # before, first
    assert 'href="../shi-li-jia/?hall=second-hall"' in yi  # after, second
    assert yi.index('<div class="sc-tours">') < yi.index('<div class="sc-page sc-wide sc-worker">')
    assert '<div class="sc-tours">' not in page(docs, "books/sample-book/c-autumn/index.md")


def test_unpublished_hall_is_shown_nowhere(halls: Path) -> None:
    docs = built(halls)
    assert not (docs / "halls/draft-hall").exists()
    assert "草稿展厅" not in "".join(p.read_text("utf-8") for p in docs.rglob("*.md"))
    assert not list(docs.rglob("*.yml"))  # content/halls is rendered, never copied raw


# -- located errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir()))
def test_bad_hall_input_gives_located_error(case: str, halls: Path) -> None:
    shutil.copytree(BAD / case, halls, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.txt"))
    expected = (BAD / case / "expected.txt").read_text("utf-8").splitlines()
    result = run(halls, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [
        line for line in result.stderr.splitlines() if re.match(r"^\S+:\d+:\d+: (?!警告)", line)
    ]
    assert len(errors) == len(expected), result.stderr
    for want, line in zip(expected, errors, strict=True):
        assert line.startswith(want), f"{line!r} does not start with {want!r}"


def test_symlinked_hall_file_is_refused(halls: Path, tmp_path: Path) -> None:
    hall = halls / "content/halls/second-hall/hall.yml"
    outside = tmp_path / "outside.yml"
    shutil.move(hall, outside)
    hall.symlink_to(outside)
    result = run(halls, "check")
    assert result.returncode == 1
    errors = [
        line for line in result.stderr.splitlines() if re.match(r"^\S+:\d+:\d+: (?!警告)", line)
    ]
    assert errors == [
        "content/halls/second-hall/hall.yml:1:1: 符号链接不能发布（提示：把真实文件复制到这里）"
    ]


def test_failed_hall_check_writes_nothing(halls: Path) -> None:
    docs = built(halls)
    before = tree(docs)
    shutil.copytree(BAD / "unknown-worker", halls, dirs_exist_ok=True)
    assert run(halls, "build").returncode == 1
    assert tree(docs) == before


def test_new_hall_from_template_checks_clean(halls: Path) -> None:
    made = run(halls, "new", "hall", "third-hall")
    assert made.returncode == 0, made.stderr
    text = (halls / "content/halls/third-hall/hall.yml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/hall.schema.json")
    assert re.search(r"^order: 4 ", text, re.M)  # after the existing halls (1, 2, 3)
    checked = run(halls, "check")
    assert checked.returncode == 0, checked.stderr
    assert run(halls, "new", "hall", "third-hall").returncode == 2  # exists
    assert run(halls, "new", "hall", "Bad_Name").returncode == 2


# -- the real site in Chromium ----------------------------------------------------------------


def serve(folder: Path) -> Iterator[str]:
    from conftest import QuietHandler

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_root(tmp_path_factory.mktemp("halls-site"))
    result = run(root, "site")
    assert result.returncode == 0, result.stdout + result.stderr
    yield from serve(root / "site")


@pytest.fixture(scope="module")
def sample_url(sample_site: Path) -> Iterator[str]:
    yield from serve(sample_site / "site")


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    import playwright.sync_api as playwright_api

    from conftest import CHROMIUM, FLAGS

    assert CHROMIUM.exists(), "make test installs Debian's chromium"
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


def open_page(chromium: object, url: str, width: int = 1280, **options: object) -> object:
    context = chromium.new_context(viewport={"width": width, "height": 900}, **options)  # type: ignore[attr-defined]
    tab = closed_after_test(context).new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.errors = errors
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    return tab


def where(tab: object, base: str) -> tuple[str, str]:
    """(path below the site, ?hall=) of the page the tab shows."""
    parts = urlsplit(tab.url)  # type: ignore[attr-defined]
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    return parts.path.removeprefix(urlsplit(base).path), query.get("hall", "")


def shown_tour(tab: object) -> str:
    return tab.eval_on_selector_all(  # type: ignore[attr-defined]
        ".sc-tour", "els => els.filter(e => !e.hidden).map(e => e.dataset.hall).join(',')"
    )


def follow(tab: object, selector: str) -> None:
    with tab.expect_navigation():  # type: ignore[attr-defined]
        tab.click(f".sc-tour:not([hidden]) {selector}")  # type: ignore[attr-defined]
    tab.wait_for_load_state("networkidle")  # type: ignore[attr-defined]


def test_tour_links_walk_the_hall_in_order_and_carry_the_hall(
    chromium: object, site_url: str
) -> None:
    tab = open_page(chromium, site_url + "halls/first-hall/")
    with tab.expect_navigation():  # type: ignore[attr-defined]
        tab.click("a.sc-hall-start")  # type: ignore[attr-defined]
    walked = [where(tab, site_url)]
    while tab.query_selector(".sc-tour:not([hidden]) a.sc-tour-next[rel=next]"):  # type: ignore[attr-defined]
        follow(tab, "a.sc-tour-next")
        walked.append(where(tab, site_url))
    assert walked == [(path, "first-hall") for path in FIRST]
    assert "第 4 / 4 件" in tab.inner_text(".sc-tour:not([hidden])")  # type: ignore[attr-defined]
    back = []
    while tab.query_selector(".sc-tour:not([hidden]) a.sc-tour-prev[rel=prev]"):  # type: ignore[attr-defined]
        follow(tab, "a.sc-tour-prev")
        back.append(where(tab, site_url))
    assert back == [(path, "first-hall") for path in reversed(FIRST[:-1])]
    follow(tab, "a.sc-tour-prev")  # at the first exhibit, back to the hall
    assert where(tab, site_url) == ("halls/first-hall/", "")
    assert tab.errors == []  # type: ignore[attr-defined]


def test_arrow_keys_walk_the_tour_unless_typing(chromium: object, site_url: str) -> None:
    tab = open_page(chromium, site_url + "studios/shi-li-studio/?hall=first-hall")
    with tab.expect_navigation():  # type: ignore[attr-defined]
        tab.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    assert where(tab, site_url) == ("books/sample-book/a-summer/", "first-hall")
    with tab.expect_navigation():  # type: ignore[attr-defined]
        tab.keyboard.press("ArrowLeft")  # type: ignore[attr-defined]
    tab.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert where(tab, site_url) == ("studios/shi-li-studio/", "first-hall")
    tab.focus(".md-search__input")  # type: ignore[attr-defined]
    tab.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    tab.wait_for_timeout(300)  # type: ignore[attr-defined]
    assert where(tab, site_url) == ("studios/shi-li-studio/", "first-hall")


def test_swipe_walks_the_tour_and_vertical_scroll_does_not(chromium: object, site_url: str) -> None:
    tab = open_page(chromium, site_url + "workers/shi-li-jia/?hall=first-hall", 390, has_touch=True)
    swipe = """([dx, dy]) => {
        const touch = (x, y) => new Touch({identifier: 1, target: document.body, clientX: x, clientY: y});
        document.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(200, 300)], changedTouches: [touch(200, 300)]}));
        document.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(200 + dx, 300 + dy)]}));
    }"""
    tab.evaluate(swipe, [-20, 200])  # type: ignore[attr-defined]  # a scroll
    tab.evaluate(swipe, [-40, 0])  # type: ignore[attr-defined]  # too short
    tab.wait_for_timeout(300)  # type: ignore[attr-defined]
    assert where(tab, site_url) == ("workers/shi-li-jia/", "first-hall")
    with tab.expect_navigation():  # type: ignore[attr-defined]
        tab.evaluate(swipe, [-120, 10])  # type: ignore[attr-defined]
    assert where(tab, site_url) == ("studios/shi-li-studio/", "first-hall")


def test_item_in_two_halls_shows_the_tour_of_the_hall_asked_for(
    chromium: object, site_url: str
) -> None:
    tab = open_page(chromium, site_url + "workers/shi-li-yi/")
    assert shown_tour(tab) == "first-hall"
    tab = open_page(chromium, site_url + "workers/shi-li-yi/?hall=second-hall")
    assert shown_tour(tab) == "second-hall"
    assert "第 2 / 3 件" in tab.inner_text(".sc-tour:not([hidden])")  # type: ignore[attr-defined]
    follow(tab, "a.sc-tour-next")
    assert where(tab, site_url) == ("workers/shi-li-jia/", "second-hall")
    assert shown_tour(tab) == "second-hall"
    tab = open_page(chromium, site_url + "workers/shi-li-yi/?hall=no-such-hall")
    assert shown_tour(tab) == "first-hall"


def test_without_javascript_the_first_halls_tour_works(chromium: object, site_url: str) -> None:
    tab = open_page(
        chromium, site_url + "workers/shi-li-yi/?hall=second-hall", java_script_enabled=False
    )
    assert shown_tour(tab) == "first-hall"  # hidden attributes as written
    assert tab.is_visible('.sc-tour[data-hall="first-hall"]')  # type: ignore[attr-defined]
    assert not tab.is_visible('.sc-tour[data-hall="second-hall"]')  # type: ignore[attr-defined]
    follow(tab, "a.sc-tour-prev")
    assert where(tab, site_url) == ("books/sample-book/a-summer/", "first-hall")


@pytest.mark.parametrize("path", ["halls/", "halls/first-hall/", "workers/shi-li-yi/"])
def test_no_horizontal_scroll_on_a_phone(chromium: object, site_url: str, path: str) -> None:
    tab = open_page(chromium, site_url + path, 390)
    overflow = tab.evaluate(  # type: ignore[attr-defined]
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize(
    "path", ["halls/", "halls/baodao-laomo/", "workers/zhou-gang/?hall=baodao-laomo"]
)
def test_sample_hall_has_no_serious_accessibility_violations(
    chromium: object, sample_url: str, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(open_page(chromium, sample_url + path))
    serious = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("halls-index", "halls/"),
        ("hall", "halls/baodao-laomo/"),
        ("tour", "studios/zhou-gang-studio/?hall=baodao-laomo"),
    ],
)
@pytest.mark.parametrize("width", [390, 1280])
def test_sample_hall_screenshots(
    chromium: object, sample_url: str, name: str, path: str, width: int
) -> None:
    from conftest import ARTIFACTS

    tab = open_page(chromium, sample_url + path, width)
    overflow = tab.evaluate(  # type: ignore[attr-defined]
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert tab.errors == []  # type: ignore[attr-defined]
    # a full-page screenshot does not load them (the print-only QR code is not shown)
    for img in tab.query_selector_all("img[loading=lazy]:not(.sc-qr-code)"):  # type: ignore[attr-defined]
        img.scroll_into_view_if_needed()
    tab.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    tab.evaluate("window.scrollTo(0, 0)")  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]


def test_sample_hall_states_the_articles_facts(sample_site: Path) -> None:
    text = (sample_site / "site/halls/baodao-laomo/index.html").read_text("utf-8")
    assert "示例" in text and "共 9 件展品" in text
    assert "年均取得专利10项以上、师带徒70名左右、培训职工1000人次以上" in text
    for slug in ("yao-hongfei", "zhou-gang", "wang-weiming", "xu-huifen", "shen-mingfang"):
        assert f"workers/{slug}/?hall=baodao-laomo" in text
    for slug in ("yao-hongfei-studio", "zhou-gang-studio", "nanhu-jinchui"):
        assert f"studios/{slug}/?hall=baodao-laomo" in text
