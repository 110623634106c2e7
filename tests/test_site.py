"""Real MkDocs builds: the sample exhibition and a hostile fixture, checked in the HTML."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from showcase import searchindex

from conftest import FIXTURES, all_text, copy_tree, material_index, run

PRIVATE_VALUES = ("13912345678", "110101199003077777", "示例路88号秘密住址")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]


def links_from(page: Path) -> set[Path]:
    """Local pages a built page links to, resolved to files."""
    parser = Links()
    parser.feed(page.read_text("utf-8"))
    targets = set()
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or not parts.path:
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        targets.add(target / "index.html" if href.endswith("/") else target)
    return targets


def test_worker_page_has_name_and_honours(sample_site: Path) -> None:
    html = (sample_site / "site/workers/yao-hongfei/index.html").read_text("utf-8")
    assert "<h1" in html and "姚红飞" in html
    assert "全国劳动模范" in html and "Yao Hongfei" in html


def test_studio_and_leader_link_both_ways(sample_site: Path) -> None:
    site = sample_site / "site"
    worker = site / "workers/yao-hongfei/index.html"
    studio = site / "studios/yao-hongfei-studio/index.html"
    assert studio.resolve() in links_from(worker)
    assert worker.resolve() in links_from(studio)


def test_every_local_link_resolves(sample_site: Path) -> None:
    site = sample_site / "site"
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for target in links_from(page):
            assert target.exists(), f"{page.relative_to(site)} links to missing {target}"


def test_published_site_searches_with_pagefind_not_materials_index(sample_site: Path) -> None:
    site = sample_site / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert any((site / "pagefind" / "fragment").iterdir())
    stub = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert stub["docs"] == [] and "separator" in stub["config"]


def test_published_site_lists_one_search_shard_holding_every_page(sample_site: Path) -> None:
    """Under SHARD_PAGES pages: one shard, Pagefind's usual folder, every page indexed."""
    site = sample_site / "site"
    manifest = json.loads((site / searchindex.MANIFEST).read_text("utf-8"))
    assert manifest == {"count": 1, "shards": ["pagefind/"]}
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    assert indexed == len(searchindex.pages_in(site)) > 20
    assert not any(p.name.startswith("s") and p.is_dir() for p in (site / "pagefind").iterdir())


def test_adding_pages_moves_no_page_to_another_search_shard() -> None:
    """Shards are picked by a hash of the path: while their number stays the same, a new
    page changes only its own shard; the home page is always in shard 0."""
    pages = [f"workers/w{i}/index.html" for i in range(5000)] + ["index.html"]
    before = searchindex.split(pages)
    after = searchindex.split([*pages, "workers/new/index.html", "studios/new/index.html"])
    assert len(before) == len(after) == 3  # 5,001 and 5,003 pages, at most about 2,500 a shard
    moved = {s: set(after[s]) - set(before[s]) for s in after}
    assert sum(len(m) for m in moved.values()) == 2
    assert all(set(before[s]) <= set(after[s]) for s in before)
    assert "index.html" in before[0]
    assert max(len(p) for p in before.values()) < 2100  # about SHARD_PAGES each


def test_search_index_has_names_as_whole_tokens(sample_site: Path) -> None:
    index = material_index(sample_site)
    text = "\u200b".join(doc["title"] + "\u200b" + doc["text"] for doc in index["docs"])
    tokens = set(re.split(r"[\s\u200b\-，。、：；（）“”《》「」]+", text))
    for name in ("姚红飞", "周刚", "王为明", "许惠芬", "沈明芳", "全国劳动模范"):
        assert name in tokens, f"{name} is not a whole search token"


def test_sample_figures_read_as_the_article_writes_them(sample_site: Path) -> None:
    html = (sample_site / "site/studios/zhou-gang-studio/index.html").read_text("utf-8")
    assert "累计获授权专利证书300余份" in html
    html = (sample_site / "site/studios/yao-hongfei-studio/index.html").read_text("utf-8")
    assert "年均取得专利10项以上" in html and "师带徒70名左右" in html


def test_home_counts_come_from_the_data(sample_site: Path) -> None:
    html = (sample_site / "site/index.html").read_text("utf-8")
    workers = len(list((sample_site / "workers").glob("*/profile.yml")))
    assert re.search(
        rf'sc-figure-value">{workers}</span><span class="sc-figure-label">位劳模工匠', html
    )


def test_no_request_to_other_hosts_is_built_in(sample_site: Path) -> None:
    for page in (sample_site / "site").rglob("*.html"):
        html = page.read_text("utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_tree(FIXTURES / "hostile", tmp_path_factory.mktemp("hostile"))
    result = run(root, "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


class Live(HTMLParser):
    """Collects payloads that became markup: tags, event attributes, javascript: links."""

    PAYLOAD_TAGS = ("script", "iframe", "b", "svg", "img")

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        for key, value in attrs:
            value = value or ""
            if "XSS" in value and (key.startswith("on") or key in ("href", "src")):
                self.found.append(f"<{tag} {key}={value}>")
            if key in ("href", "src") and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {key}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if "XSS" in data and self.open and self.open[-1] in self.PAYLOAD_TAGS:
            self.found.append(f"<{self.open[-1]}>{data[:40]}")


def test_hostile_profile_renders_as_literal_text(hostile_site: Path) -> None:
    html = (hostile_site / "site/workers/evil-one/index.html").read_text("utf-8")
    live = Live()
    live.feed(html)
    assert live.found == []
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1 and unescape(h1.group(1)) == "</title><script>XSS1</script>恶"
    assert "# 不是标题 *不是强调* <b>XSS5</b>" in unescape(html)


def test_hostile_names_stay_inert_in_indexes_and_titles(hostile_site: Path) -> None:
    for page in (hostile_site / "site").rglob("*.html"):
        live = Live()
        live.feed(page.read_text("utf-8"))
        assert live.found == [], page


def test_private_values_appear_nowhere_in_a_built_site(tmp_path: Path) -> None:
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    result = run(root, "site")
    assert result.returncode == 0, result.stdout + result.stderr
    text = all_text(root / "build") + all_text(root / "site")
    for value in PRIVATE_VALUES:
        assert value not in text


def test_a_hand_written_link_into_a_generated_page_is_checked(mini: Path) -> None:
    # Generated pages skip Markdown in MkDocs (their HTML is swapped out and back); the
    # anchors MkDocs checks hand-written links against must still be theirs.
    about = mini / "content/about.md"
    text = about.read_text("utf-8")
    about.write_text(text + "\n见[张三的荣誉](workers/zhang-san/index.md#荣誉)。\n", "utf-8")
    first = run(mini, "site")
    assert first.returncode == 0, first.stdout + first.stderr
    built = (mini / "site/about/index.html").read_text("utf-8")
    assert 'href="../workers/zhang-san/#荣誉"' in built
    assert 'id="荣誉"' in (mini / "site/workers/zhang-san/index.html").read_text("utf-8")
    for label in ("edit", "no-record"):  # an edit of the published site, then a cold build
        if label == "no-record":
            (mini / "build/publish-state.json").unlink()
        about.write_text(text + f"\n见[不存在的一节](workers/zhang-san/index.md#没有{label})。\n")
        broken = run(mini, "site")
        assert broken.returncode != 0, f"{label}: a broken anchor was published"
        assert f"没有{label}" in broken.stdout + broken.stderr, label
        assert 'href="../workers/zhang-san/#荣誉"' in (mini / "site/about/index.html").read_text(
            "utf-8"
        ), f"{label}: the published site changed"


def test_only_pages_with_a_lightbox_load_it(sample_site: Path) -> None:
    site = sample_site / "site"
    pages = {p: p.read_text("utf-8") for p in site.rglob("*.html")}
    with_box = [p for p, html in pages.items() if 'class="glightbox"' in html]
    assert with_box, "the sample has no gallery"
    assert all("glightbox.min.js" in pages[p] for p in with_box)
    assert "glightbox.min.js" not in pages[site / "index.html"]
    assert "glightbox.min.js" not in pages[site / "workers/index.html"]
