"""Exhibition layouts in Chromium: the entrance, the gallery and entity pages at phone and
desktop widths (no sideways scrolling, cards per row), the print view of a worker page,
and the entrance's data (featured workers, newest additions, the hero image's derivatives).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ARTIFACTS, Visit, run

WIDE_PAGES = ["", "workers/", "workers/yao-hongfei/", "studios/yao-hongfei-studio/"]
ROW = """sel => { const tops = [...document.querySelectorAll(sel)].map(e => Math.round(e.getBoundingClientRect().top));
                  return tops.filter(t => t === tops[0]).length; }"""


@pytest.mark.parametrize("path", WIDE_PAGES)
@pytest.mark.parametrize("width", [390, 1280])
def test_no_sideways_scroll_and_no_documentation_sidebars(
    browser: object, base_url: str, path: str, width: int
) -> None:
    visit = Visit(browser, width).open(base_url + path)
    overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    sidebars = visit.page.eval_on_selector_all(
        ".md-sidebar--primary, .md-sidebar--secondary",
        "els => els.filter(e => !e.hidden && e.offsetWidth > 0 && getComputedStyle(e).visibility !== 'hidden').length",
    )
    assert sidebars == 0, f"{path} shows a documentation sidebar at {width}px"
    ARTIFACTS.mkdir(exist_ok=True)
    name = "layout-" + (path.strip("/").replace("/", "-") or "home") + f"-{width}.png"
    visit.page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.parametrize(("width", "per_row"), [(390, 2), (1280, 5)])
def test_gallery_cards_per_row(browser: object, base_url: str, width: int, per_row: int) -> None:
    visit = Visit(browser, width).open(base_url + "workers/")
    assert visit.page.evaluate(ROW, ".sc-cards > ul > li") == per_row


def test_reference_pages_keep_the_documentation_layout(browser: object, base_url: str) -> None:
    visit = Visit(browser, 1280).open(base_url + "honors/")
    assert visit.page.is_visible(".md-sidebar--primary")


def test_worker_page_prints_on_at_most_two_pages(browser: object, base_url: str) -> None:
    visit = Visit(browser).open(base_url + "workers/yao-hongfei/")
    pdf = visit.page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, pages
    (ARTIFACTS / "print-yao-hongfei.pdf").write_bytes(pdf)
    visit.page.emulate_media(media="print")
    assert not visit.page.is_visible(".md-header")
    assert visit.page.is_visible("h1")


def test_timeline_lists_honours_oldest_first(mini: Path) -> None:
    assert run(mini, "build").returncode == 0
    page = (mini / "build/docs/workers/zhang-san/index.md").read_text("utf-8")
    years = re.findall(r'<span class="sc-timeline-year">(\d{4})</span>', page)
    assert years == sorted(years) and len(years) == 2
    assert 'class="sc-level-national"><strong>全国劳动模范</strong>' in page


def test_entrance_features_newest_and_hero(mini: Path) -> None:
    """Featured workers in the order exhibition.yml gives; newest additions by their
    `exhibited` date (no clock, no git); the hero image only as derivatives."""
    from PIL import Image

    (mini / "content/entrance").mkdir(parents=True)
    Image.new("RGB", (1600, 700), (150, 40, 40)).save(mini / "content/entrance/hero.jpg")
    settings = mini / "exhibition.yml"
    settings.write_text(
        settings.read_text("utf-8")
        + "subtitle: 示例副标题\nhero_image: hero.jpg\nhero_alt: 示例大图\nfeatured: [zhang-san, li-si]\n",
        "utf-8",
    )
    for slug, when in (("li-si", "2025-03"), ("zhang-san", "2024-11")):
        profile = mini / f"workers/{slug}/profile.yml"
        profile.write_text(profile.read_text("utf-8") + f"exhibited: {when}\n", "utf-8")
    result = run(mini, "build")
    assert result.returncode == 0, result.stderr
    home = (mini / "build/docs/index.md").read_text("utf-8")
    featured = home.split('id="推荐劳模"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<strong><a href="workers/([a-z-]+)/">', featured) == ["zhang-san", "li-si"]
    newest = home.split('id="最新上展"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<strong><a href="workers/([a-z-]+)/">', newest) == ["li-si", "zhang-san"]
    assert "2025年3月上展" in newest
    assert "<h1>示例云展</h1>" in home or ("<h1>" in home and "示例副标题" in home)
    published = sorted(p.name for p in (mini / "build/docs/entrance").iterdir())
    assert "hero.jpg" not in published and any(n.endswith("-large-1600.webp") for n in published)


def test_featured_worker_must_exist_and_be_published(mini: Path) -> None:
    settings = mini / "exhibition.yml"
    text = settings.read_text("utf-8") + "featured: [zhang-san, wang-wu, hidden-one]\n"
    settings.write_text(text, "utf-8")
    line = len(text.splitlines())
    result = run(mini, "check")
    assert result.returncode == 1
    assert f"exhibition.yml:{line}:23: featured[1]: 找不到劳模「wang-wu」" in result.stderr
    assert (
        f"exhibition.yml:{line}:32: featured[2]: 劳模「hidden-one」的档案没有公开" in result.stderr
    )
