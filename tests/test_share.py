"""Share previews: og:/twitter: tags on every page of a real MkDocs build, and 1200×630
share cards drawn with Pillow and Noto Sans CJK, decoded for real, cached like derivatives.
Cards are copied to test-artifacts/ as PNG for a person to look at."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from showcase.build import build, check_all
from showcase.folders import SIDECAR
from showcase.media import CACHE_DIR
from showcase.render.html import UnsafeHtml, check_head, render_head
from showcase.render.paths import url_of

from conftest import ARTIFACTS, FIXTURES, copy_tree, run, site_url

SHARE_KEYS = (
    *("og:title", "og:description", "og:image", "og:url", "og:type", "og:site_name"),
    *("twitter:card", "twitter:title", "twitter:description", "twitter:image"),
)
GREEN, BLUE = (20, 160, 60), (20, 60, 160)


class Head(HTMLParser):
    """Every meta property/name with its content, the feed links, and any script tag."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.feeds: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        key = a.get("property") or a.get("name")
        if tag == "meta" and key and key.startswith(("og:", "twitter:")):
            self.meta[key] = a.get("content") or ""
        if tag == "link" and "alternate" in (a.get("rel") or "").split():
            # rel="alternate" alone would make Material fetch a sitemap.xml beside the href
            assert a.get("rel") == "alternate feed" and a.get("type") == "application/atom+xml"
            self.feeds.append(a.get("href") or "")


def head_of(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text("utf-8"))
    return parser


def card_of(root: Path, url: str) -> Image.Image:
    base = site_url(root)
    assert url.startswith(base), url
    path = root / "site" / url[len(base) :]
    assert path.is_file(), f"og:image {url} is not a file of the site"
    im = Image.open(path)
    im.load()
    return im


def pages(root: Path) -> list[str]:
    docs = root / "build" / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def save_for_review(im: Image.Image, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    im.save(ARTIFACTS / f"share-{name}.png")


def test_every_page_has_a_share_preview_with_a_real_card(sample_site: Path) -> None:
    base = site_url(sample_site)
    images: dict[str, str] = {}
    for rel in pages(sample_site):
        head = head_of(sample_site / "site" / url_of(rel) / "index.html")
        missing = [k for k in SHARE_KEYS if not head.meta.get(k)]
        assert missing == [], f"{rel}: no {missing}"
        assert head.meta["og:url"] == base + url_of(rel)
        assert head.meta["og:title"] == head.meta["twitter:title"]
        assert head.feeds == [base + "feed.xml"], rel
        images[rel] = head.meta["og:image"]
    for url in set(images.values()):
        im = card_of(sample_site, url)
        assert (im.format, im.size) == ("JPEG", (1200, 630))
        assert "exif" not in im.info and "icc_profile" not in im.info
    home = images["index.md"]
    own = [r for r in images if re.fullmatch(r"(workers|studios|halls|books)/[^/]+/index\.md", r)]
    own = [r for r in own if not r.startswith("books/writers/")]
    assert own and all(images[r] != home for r in own), "entity pages need cards of their own"
    assert len({images[r] for r in own}) == len(own)
    chapter = next(r for r in images if r.count("/") == 3 and r.startswith("books/"))
    assert images[chapter] == images["/".join(chapter.split("/")[:2]) + "/index.md"]
    assert images["about/index.md" if "about/index.md" in images else "about.md"] == home
    for rel in ("index.md", own[0], own[-1]):
        save_for_review(card_of(sample_site, images[rel]), rel.replace("/", "_"))


@pytest.fixture
def portrait_mini(tmp_path: Path) -> Path:
    """The mini exhibition, 张三's portrait a 600×800 photo: green above, blue below."""
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    im = Image.new("RGB", (600, 800), GREEN)
    im.paste(BLUE, (0, 400, 600, 800))
    im.save(root / "workers/zhang-san/portrait.png")
    return root


def worker_card(root: Path, slug: str = "zhang-san") -> Path:
    head = head_of(root / "site" / "workers" / slug / "index.html")
    url = head.meta["og:image"]
    return root / "site" / url[len(site_url(root)) :]


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def test_a_worker_card_shows_the_portrait_the_name_and_the_red(portrait_mini: Path) -> None:
    done = run(portrait_mini, "site")
    assert done.returncode == 0, done.stderr
    im = Image.open(worker_card(portrait_mini)).convert("RGB")
    save_for_review(im, "zhang-san")
    assert im.size == (1200, 630)
    assert near(im.getpixel((236, 100)), GREEN) and near(im.getpixel((236, 560)), BLUE)
    assert near(im.getpixel((1150, 20)), (183, 28, 28), 60)  # the site's deep red
    text = im.crop((540, 140, 1140, 280)).convert("L")  # the name, in white
    assert sum(text.histogram()[231:]) > 2000
    li_si = Image.open(worker_card(portrait_mini, "li-si")).convert("RGB")
    assert near(li_si.getpixel((236, 60)), (110, 0, 0), 30)  # no portrait: the monogram panel


def test_cards_are_cached_renewed_and_verified(portrait_mini: Path) -> None:
    first = build(portrait_mini)
    assert first.media is not None and not first.problems
    cache = portrait_mini / CACHE_DIR
    cards = sorted(p.name for p in cache.glob("*-share-*.jpg"))
    assert cards and sorted(p.name for p in (portrait_mini / "build/docs/share").iterdir()) == cards
    stamps = {name: (cache / name).stat().st_mtime_ns for name in cards}
    second = build(portrait_mini)
    assert second.report is not None and second.report.written == []
    assert {name: (cache / name).stat().st_mtime_ns for name in cards} == stamps

    profile = portrait_mini / "workers/zhang-san/profile.yml"
    profile.write_text(profile.read_text("utf-8").replace("name: 张三", "name: 张三丰"), "utf-8")
    build(portrait_mini)
    renewed = sorted(p.name for p in cache.glob("*-share-*.jpg"))
    assert len(set(renewed) - set(cards)) == 1 and len(set(cards) - set(renewed)) == 1
    assert sorted(p.name for p in (portrait_mini / "build/docs/share").iterdir()) == renewed

    victim = cache / renewed[0]
    good = victim.read_bytes()
    victim.write_bytes(b"not a jpeg")
    third = build(portrait_mini)
    assert third.media is not None and any("已损坏" in n for n in third.media.notes)
    assert victim.read_bytes() == good  # redrawn, byte for byte


def test_share_json_holds_only_public_values(portrait_mini: Path) -> None:
    assert not build(portrait_mini).problems
    text = (portrait_mini / SIDECAR).read_text("utf-8")
    for secret in ("13912345678", "110101199003077777", "秘密住址", "隐藏者"):
        assert secret not in text
    assert "hidden-one" not in text  # publish: false


def test_a_missing_cjk_font_is_an_environment_error(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOWCASE_CJK_FONT", str(mini / "no-such-font.ttc"))
    done = run(mini, "build")
    assert done.returncode == 2
    assert "找不到中文字体" in done.stderr and "fonts-noto-cjk" in done.stderr


HOSTILE = "\"><script>alert(1)</script>' onload='x &amp; <b>"


def test_the_head_block_keeps_hostile_values_as_text() -> None:
    block = render_head(
        "share_meta.html",
        title=HOSTILE,
        description=HOSTILE,
        site_name=HOSTILE,
        type="profile",
        url="https://example.org/x/workers/a/",
        image="https://example.org/x/share/a.jpg",
        feed="https://example.org/x/feed.xml",
    )
    head = Head()
    head.feed(str(block))
    assert set(head.tags) == {"meta", "link"}
    assert head.meta["og:title"] == head.meta["twitter:description"] == HOSTILE
    assert head.meta["og:site_name"] == HOSTILE


@pytest.mark.parametrize(
    "block",
    [
        '<meta property="og:title" content="a">\n<script>alert(1)</script>',
        '<meta property="og:title" content="a" onload="x">',
        '<meta property="og:url" content="javascript:alert(1)">',
        '<meta name="twitter:image" content="//evil.example/x.jpg">',
        '<link rel="alternate feed" type="application/atom+xml" title="t" href="data:x">',
        '<link rel="alternate" type="application/atom+xml" title="t" href="https://e.org/f.xml">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    ],
)
def test_check_head_refuses_anything_else(block: str) -> None:
    with pytest.raises(UnsafeHtml):
        check_head(block, "test")


def test_render_head_refuses_a_page_address_that_is_not_http() -> None:
    with pytest.raises(UnsafeHtml):
        render_head(
            "share_meta.html", title="t", description="d", site_name="s", type="article",
            url="javascript:alert(1)", image="", feed="https://example.org/feed.xml",
        )  # fmt: skip


def test_without_consent_to_the_portrait_the_card_shows_none(portrait_mini: Path) -> None:
    profile = portrait_mini / "workers/zhang-san/profile.yml"
    text = profile.read_text("utf-8")
    profile.write_text(text.replace("scope: [profile, portrait, gallery]", "scope: [profile]"))
    done = run(portrait_mini, "site")
    assert done.returncode == 0, done.stderr
    im = Image.open(worker_card(portrait_mini)).convert("RGB")
    assert near(im.getpixel((236, 60)), (110, 0, 0), 30)  # the monogram panel
    assert not any(near(im.getpixel((x, y)), GREEN, 30) for x in (50, 236, 400) for y in (50, 300))
    data = (portrait_mini / "site/data/workers.json").read_text("utf-8")
    assert '"portrait": null' in data and "-card-" not in data


def test_cards_drawn_in_the_background_are_the_ones_announced(portrait_mini: Path) -> None:
    """A first build draws its cards on the other cores while it renders the pages
    (media.process(background=True)): the names the pages were given are the files
    drawn, and the cache's index records each one's sha256 once they are."""
    checked = check_all(portrait_mini, background=True)
    assert checked.media.pending is not None, "no card was left to draw in the background"
    announced = {page: r.outputs[0].files for page, r in checked.media.cards.items()}
    checked.media.finish()
    assert checked.media.pending is None
    cache = portrait_mini / CACHE_DIR
    index = json.loads((cache / "index.json").read_text("utf-8"))
    for page, result in checked.media.cards.items():
        (name,) = result.outputs[0].files
        assert (name,) == announced[page]
        with Image.open(cache / name) as im:
            assert im.size == (1200, 630)
        digest = hashlib.sha256((cache / name).read_bytes()).hexdigest()
        assert index[result.key]["outputs"][0]["sha256"] == [digest]
    again = build(portrait_mini)  # every card found intact: nothing drawn, nothing noted
    assert not again.problems and again.media is not None and not again.media.notes
    assert again.media.pending is None
