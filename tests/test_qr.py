"""QR codes: every worker, studio and hall page of the built sample has a `qr.svg` beside it
that decodes (drawn by Chromium, read by zxing-cpp) to the page's exact absolute address;
the print view shows the code and the address and hides the navigation; the SVG holds
nothing but the code; an unchanged code is not rewritten.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
import zxingcpp
from PIL import Image

from showcase.build import build
from showcase.localkey import mac
from showcase.render import qr
from showcase.render.html import UnsafeHtml
from showcase.render.qr import CACHE_FILE, _make, check_qr_svg, qr_svg
from showcase.settings import Settings

from conftest import ARTIFACTS, Visit

KINDS = ("workers", "studios", "halls")


def site_url(root: Path) -> str:
    return yaml.safe_load((root / "exhibition.yml").read_text("utf-8"))["site_url"]


def cached(cache: Path) -> dict:  # type: ignore[type-arg]
    """build/qr-cache.json's codes (after its signature line)."""
    return json.loads(cache.read_bytes().partition(b"\n")[2])  # type: ignore[no-any-return]


def decode(png: bytes) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def entry_pages(site: Path) -> list[str]:
    """Folders (relative to the site) of every worker, studio and hall page."""
    return sorted(
        p.parent.relative_to(site).as_posix()
        for kind in KINDS
        for p in (site / kind).glob("*/index.html")
    )


def published(root: Path) -> int:
    """How many worker, studio and hall pages the sample's sources ask for."""
    count = 0
    for folder, name in (
        ("workers", "profile.yml"),
        ("studios", "studio.yml"),
        ("content/halls", "hall.yml"),
    ):
        for file in (root / folder).glob(f"*/{name}"):
            data = yaml.safe_load(file.read_text("utf-8"))
            count += data.get("publish", True) is not False
    return count


def test_every_page_qr_decodes_to_its_exact_address(
    sample_site: Path, base_url: str, browser: object
) -> None:
    site, url = sample_site / "site", site_url(sample_site)
    pages = entry_pages(site)
    assert len(pages) == published(sample_site) > 0
    visit = Visit(browser, width=400)
    visit.page.set_viewport_size({"width": 400, "height": 400})
    decoded = 0
    for folder in pages:
        check_qr_svg((site / folder / "qr.svg").read_bytes(), folder)
        visit.open(f"{base_url}{folder}/qr.svg")
        if decode(visit.page.screenshot()) == [f"{url}{folder}/"]:
            decoded += 1
    print(f"\nQR decode success: {decoded}/{len(pages)} pages")
    assert decoded == len(pages)


def test_print_view_shows_code_and_address_and_hides_navigation(
    sample_site: Path, base_url: str, browser: object
) -> None:
    url = site_url(sample_site)
    for folder in ("workers/zhou-gang", "studios/nanhu-jinchui", "halls/baodao-laomo"):
        visit = Visit(browser).open(f"{base_url}{folder}/")
        page = visit.page
        code, address = page.locator(".sc-qr-code"), page.locator(".sc-qr-url")
        download = page.get_by_role("link", name="下载二维码")
        assert not code.is_visible() and not address.is_visible()
        assert download.is_visible()
        href = download.get_attribute("href")
        assert (
            href == "qr.svg"
            and download.get_attribute("download") == f"{folder.split('/')[1]}-qr.svg"
        )
        assert page.request.get(f"{base_url}{folder}/{href}").ok
        page.emulate_media(media="print")
        assert code.is_visible() and address.is_visible() and not download.is_visible()
        assert f"{url}{folder}/" in address.inner_text()
        for chrome in (".md-header", ".md-search", ".md-sidebar--primary", ".md-footer"):
            assert all(not el.is_visible() for el in page.locator(chrome).all()), chrome
        shot = code.screenshot()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"print-qr-{folder.replace('/', '-')}.png").write_bytes(shot)
        assert decode(shot) == [f"{url}{folder}/"]
        page.close()
        assert visit.errors == []


def test_qr_svg_holds_only_the_code() -> None:
    data = qr_svg("https://example.org/x/workers/a/")
    check_qr_svg(data, "ok")
    text = data.decode()
    for bad in (
        text.replace("</svg>", "<script>alert(1)</script></svg>"),
        text.replace("</svg>", "<text>13912345678</text></svg>"),
        text.replace('class="qr"', 'class="qr" onload="x()"'),
        text.replace('stroke="#000"', 'stroke="url(https://example.org/a)"'),
    ):
        with pytest.raises(UnsafeHtml):
            check_qr_svg(bad.encode(), "tampered")


def test_codes_made_on_every_core_are_the_codes_made_one_by_one() -> None:
    """A first build makes its many new codes in worker processes (qr.prepare): each is
    filed under its own address, byte for byte what one process makes."""
    settings = Settings(
        association="协会", city="嘉兴", site_url="https://example.org/prepare-test/"
    )
    pages = [f"workers/w{i:03}/index.md" for i in range(3 * qr.PER_WORKER)]
    urls = [f"https://example.org/prepare-test/workers/w{i:03}/" for i in range(len(pages))]
    assert not any(url in qr._made for url in urls)
    qr.prepare(settings, pages, cores=2)
    assert all(url in qr._made for url in urls)  # made ahead, not by qr_svg as it goes
    for url in urls[:: qr.PER_WORKER // 2]:  # some from every chunk
        assert qr._made[url] == _make(url)


def test_unchanged_code_is_not_rewritten_and_a_new_address_is(mini: Path) -> None:
    first = build(mini)
    assert "workers/zhang-san/qr.svg" in first.report.written  # type: ignore[union-attr]
    again = build(mini)
    assert not any(p.endswith("qr.svg") for p in again.report.written)  # type: ignore[union-attr]
    settings = mini / "exhibition.yml"
    old = site_url(mini)
    settings.write_text(
        settings.read_text("utf-8").replace(old, "https://example.net/other/"), "utf-8"
    )
    moved = build(mini)
    assert "workers/zhang-san/qr.svg" in moved.report.written  # type: ignore[union-attr]
    svg = (mini / "build/docs/workers/zhang-san/qr.svg").read_bytes()
    assert svg != qr_svg(f"{old}workers/zhang-san/")
    assert svg == qr_svg("https://example.net/other/workers/zhang-san/")
    assert not (mini / "build/docs/workers/hidden-one").exists()


def test_codes_come_from_the_cache_only_when_they_are_still_only_codes(mini: Path) -> None:
    """build/qr-cache.json spares the encoder's work on the next build; an entry that is more
    than a code (a tampered file) is made again, and removed pages' codes leave it."""
    build(mini)
    cache = mini / CACHE_FILE
    saved = cached(cache)
    url = f"{site_url(mini)}workers/zhang-san/"
    assert saved["codes"][url] == _make(url).decode()
    assert not any("hidden-one" in u for u in saved["codes"])  # publish: false
    tampered = saved["codes"][url].replace("</svg>", "<script>alert(1)</script></svg>")
    saved["codes"][url] = tampered
    saved["codes"]["https://example.org/gone/"] = _make("https://example.org/gone/").decode()
    body = json.dumps(saved).encode()  # signed: the check of each code is the next defence
    cache.write_bytes(mac(b"qr-cache", body).encode() + b"\n" + body)
    page = mini / "build/docs/workers/zhang-san/qr.svg"
    page.unlink()
    subprocess.run(  # a new process: nothing remembered in memory
        [sys.executable, "-m", "showcase", "--root", str(mini), "build"], check=True
    )
    assert page.read_bytes() == _make(url)
    after = cached(cache)["codes"]
    assert after[url] == _make(url).decode() and "https://example.org/gone/" not in after


def test_a_cache_written_by_anything_but_the_generator_is_ignored(mini: Path) -> None:
    """A code is only paths, so the shape check cannot tell whose address it encodes: a
    build/qr-cache.json holding another page's code (well formed, checked clean) must not
    put it on this page. Like build/memo.bin, the file is signed with the user's key."""
    build(mini)
    cache = mini / CACHE_FILE
    signature, _, body = cache.read_bytes().partition(b"\n")
    saved = json.loads(body)
    url = f"{site_url(mini)}workers/zhang-san/"
    evil = _make("https://evil.example/").decode()
    check_qr_svg(evil.encode(), "evil")  # a code like any other
    saved["codes"][url] = evil
    cache.write_bytes(signature + b"\n" + json.dumps(saved, ensure_ascii=False).encode())
    page = mini / "build/docs/workers/zhang-san/qr.svg"
    page.unlink()
    subprocess.run(  # a new process: nothing remembered in memory
        [sys.executable, "-m", "showcase", "--root", str(mini), "build"], check=True
    )
    assert page.read_bytes() == _make(url)


def raster(svg: bytes, scale: int = 6) -> Image.Image:
    """The SVG's dark runs (`M<x> <y>.5h<run>`) drawn as pixels: what a reader's camera sees."""
    match = re.search(rb'viewBox="0 0 (\d+) \1"', svg)
    assert match is not None
    side = int(match[1])
    image = Image.new("L", (side * scale, side * scale), 255)
    for x, y, run in re.findall(rb"M(\d+) (\d+)\.5h(\d+)", svg):
        left, top = int(x) * scale, int(y) * scale
        image.paste(0, (left, top, left + int(run) * scale, top + scale))
    return image


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/workers/worker-00001/",  # Q needs a bigger symbol than M
        "https://example.org/workers/a/",  # Q fits in M's symbol, H does not
        "https://a.cn/",  # version 1 with M (H, which would need half M's room, never
        # fits in M's symbol: a symbol one size smaller already holds more at M than at H)
        "https://jxlmgj.example.cn/studios/zhang-qun-chuangxin/",
        "https://例子.中国/劳模/姚红飞/",
    ],
)
def test_code_reads_back_at_the_highest_level_that_keeps_the_size(url: str) -> None:
    svg = _make(url)
    (read,) = zxingcpp.read_barcodes(raster(svg))
    assert read.text == url
    size = {
        level: zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
        .to_image(scale=1, add_quiet_zones=False)
        .shape
        for level in "MQH"
    }
    best = [level for level in "MQH" if size[level] == size["M"]][-1]
    assert read.ec_level == best
