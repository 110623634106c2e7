"""Hostile values in every public text field, through the newer outputs: the Atom feed,
the open data (JSON, CSV), the share meta in the head, the QR SVGs, the printable boards
(WeasyPrint PDFs) and the offline kiosk. Real builds of the mini exhibition.

What the loader refuses (control characters, bidi overrides, over-long values, links that
are not http(s)) is checked to be refused, located; everything it accepts must come out
as the same text, never as markup, an XML entity, a formula, a fetched URL or a script.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from showcase.pdf import load_weasyprint, render_pdf
from showcase.render.boards import Board

from conftest import FIXTURES, copy_tree, run

NAME = "</title><script>x</script>]]>"  # 29 of the 30 characters a name may have
EMPLOYER = '&xxe;<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
POSITION = '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
SUMMARY = 'url(file:///etc/passwd) <img src="file:///etc/hostname">\u2028第二行 ]]>'
CAPTION = "]]><script>alert(1)</script>&xxe;&amp;&#x3C;"
HONOR = "</title>&xxe;]]>奖"
STUDIO = '<style>@import url("http://127.0.0.1:9/");</style>工作室'
TAG = "url(file:///x)"
LONG = "长" * 9_999 + "。"  # a bio paragraph of 10,000 characters
BIO = f'<script>alert(1)</script> <a href="javascript:alert(2)">x</a> &xxe;\n\n{LONG}\n'
VALUES = (NAME, EMPLOYER, POSITION, SUMMARY, CAPTION, HONOR, STUDIO)
# What must never appear as such in markup (HTML, XML, SVG): each would be live there.
LIVE = (
    "</title><script>",
    "<script>x</script>",
    "<script>alert(",
    "<!DOCTYPE x",
    "<!ENTITY xxe",
    '<link rel="stylesheet" href="http://127.0.0.1',
    "<style>@import",
    '<img src="file:',
    "&xxe;",
    '<a href="javascript:',
)


URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "data", "poster", "style"}


class Attrs(HTMLParser):
    """The attribute values of a page where a URL from data would be live."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values += [v for k, v in attrs if v and k in URL_ATTRS]


def live_urls(text: str) -> list[str]:
    parser = Attrs()
    parser.feed(text)
    bad = ("javascript:", "file:", "127.0.0.1")
    return [v for v in parser.values if any(b in v.lower() for b in bad)]


def yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def set_field(path: Path, field: str, value: str) -> None:
    text = path.read_text("utf-8")
    line = f"{field}: {value}"
    text, found = re.subn(rf"(?m)^{field}: .*$", lambda _: line, text)
    path.write_text(text if found else text.rstrip("\n") + f"\n{line}\n", "utf-8")


def make_hostile(root: Path) -> Path:
    settings = root / "exhibition.yml"
    text = settings.read_text("utf-8").replace(
        "  - {title: 市五一劳动奖章, level: 市级}",
        f"  - {{title: 市五一劳动奖章, level: 市级}}\n  - {{title: {yaml_str(HONOR)}, level: 市级}}",
    )
    settings.write_text(text, "utf-8")
    profile = root / "workers/zhang-san/profile.yml"
    for field, value in (
        ("name", NAME),
        ("employer", EMPLOYER),
        ("position", POSITION),
        ("summary", SUMMARY),
        ("exhibited", "2024-05"),
    ):
        set_field(profile, field, yaml_str(value) if field != "exhibited" else value)
    text = profile.read_text("utf-8")
    text = text.replace("caption: 工作照", f"caption: {yaml_str(CAPTION)}")
    text = text.replace("- {title: 市五一劳动奖章, year: 2012}", f"- {{title: {yaml_str(HONOR)}}}")
    text = re.sub(r"(?m)^bio: \|\n(  .*\n|\n)*", "", text)
    bio = "".join(f"  {line}\n" if line else "\n" for line in BIO.splitlines())
    text += f"tags: [{yaml_str(TAG)}]\nbio: |\n{bio}"
    profile.write_text(text, "utf-8")
    studio = root / "studios/alpha-studio/studio.yml"
    set_field(studio, "name", yaml_str(STUDIO))
    set_field(studio, "summary", yaml_str(SUMMARY))
    set_field(studio, "exhibited", "2023-01")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_hostile(copy_tree(FIXTURES / "mini", tmp_path_factory.mktemp("h") / "mini"))
    done = run(root, "site")
    assert done.returncode == 0, done.stdout + done.stderr
    done = run(root, "boards")
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def markup_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.suffix in (".html", ".xml", ".svg")]


def test_the_feed_keeps_hostile_values_as_text(hostile: Path) -> None:
    raw = (hostile / "site/feed.xml").read_text("utf-8")
    for live in LIVE:
        assert live not in raw, live
    feed = ET.fromstring(raw)  # well-formed, no DTD: nothing for an entity to expand
    atom = "{http://www.w3.org/2005/Atom}"
    texts = [
        e.findtext(f"{atom}{t}") or ""
        for e in feed.iter(f"{atom}entry")
        for t in ("title", "summary")
    ]
    assert any(NAME in t for t in texts), texts
    assert any(STUDIO in t for t in texts), texts
    assert any(SUMMARY.replace("\u2028", " ") in t or SUMMARY in t for t in texts), texts


def test_open_data_round_trips_hostile_values(hostile: Path) -> None:
    workers = json.loads((hostile / "site/data/workers.json").read_text("utf-8"))
    zhang = next(w for w in workers if w["slug"] == "zhang-san")
    assert (zhang["name"], zhang["employer"], zhang["position"]) == (NAME, EMPLOYER, POSITION)
    assert zhang["summary"] == SUMMARY and zhang["tags"] == [TAG]
    assert HONOR in [h["title"] for h in zhang["honors"]]
    studios = json.loads((hostile / "site/data/studios.json").read_text("utf-8"))
    assert studios[0]["name"] == STUDIO
    raw = (hostile / "site/data/workers.csv").read_bytes().decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(raw, newline="")) if r["slug"] == "zhang-san")
    assert (row["name"], row["employer"], row["summary"]) == (NAME, EMPLOYER, SUMMARY)


class Head(HTMLParser):
    """The elements of a page's <head>, and its <meta> values."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.tags, self.meta, self.title = True, [], {}, ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.inside = False
        if not self.inside:
            return
        self.tags.append(tag)
        self.in_title = tag == "title"
        a = dict(attrs)
        key = a.get("property") or a.get("name")
        if tag == "meta" and key:
            self.meta[key] = a.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        self.in_title = self.in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def test_share_meta_and_titles_keep_hostile_values_as_text(hostile: Path) -> None:
    page = "workers/zhang-san/index.html"
    head = Head()
    head.feed((hostile / "site" / page).read_text("utf-8"))
    assert NAME in head.title
    assert NAME in head.meta["og:title"] and NAME in head.meta["twitter:title"]
    assert (
        SUMMARY in head.meta["og:description"]
        or "url(file:///etc/passwd)" in head.meta["og:description"]
    )
    for path in markup_files(hostile / "site"):
        text = path.read_text("utf-8")
        for live in LIVE:
            assert live not in text, (path, live)
        if path.suffix == ".html":
            assert not live_urls(text), (path, live_urls(text))


def test_qr_svgs_are_plain_drawings(hostile: Path) -> None:
    svgs = list((hostile / "site").rglob("*.svg"))
    qrs = [p for p in svgs if "qr" in p.name]
    assert qrs, svgs
    for path in qrs:
        tree = ET.fromstring(path.read_bytes())
        tags = {el.tag.split("}")[-1] for el in tree.iter()}
        assert tags <= {"svg", "path", "rect", "title", "desc", "g"}, (path, tags)
        assert not any(k.endswith("href") for el in tree.iter() for k in el.attrib), path


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def pdf_pages(pdf: Path) -> int:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    return int(re.search(r"Pages:\s+(\d+)", done.stdout)[1])  # type: ignore[index]


def words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Each word of a PDF's text layer with its box (pdftotext -bbox)."""
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True)
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
        done.stdout,
    )
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in found]


def overlapping(pdf: Path) -> list[tuple[str, str]]:
    """Pairs of words printed over each other (by more than a fifth of the smaller box:
    the ascenders of a large name may touch the line above)."""
    out = []
    boxes = words(pdf)
    for i, p in enumerate(boxes):
        for q in boxes[i + 1 :]:
            w = min(p[2], q[2]) - max(p[0], q[0])
            h = min(p[3], q[3]) - max(p[1], q[1])
            small = min((p[2] - p[0]) * (p[3] - p[1]), (q[2] - q[0]) * (q[3] - q[1]))
            if w > 0 and h > 0 and w * h > 0.2 * small:
                out.append((p[4], q[4]))
    return out


def test_boards_print_hostile_values_as_text(hostile: Path) -> None:
    worker = pdf_text(hostile / "build/boards/workers/zhang-san.pdf")
    flat = re.sub(r"\s+", "", worker)
    assert NAME in flat  # printed as written, not taken for markup
    assert "url(file:///etc/passwd)" in flat or "file:///etc/passwd" in flat
    studio = re.sub(r"\s+", "", pdf_text(hostile / "build/boards/studios/alpha-studio.pdf"))
    assert STUDIO.replace(" ", "") in studio
    for pdf in (hostile / "build/boards").rglob("*.pdf"):
        assert not overlapping(pdf), (pdf.name, overlapping(pdf))  # a long name wraps
        assert pdf_pages(pdf) == 1


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/hostname">',
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        '<p style="background: url(file:///etc/passwd)">x</p>',
        "<style>@import url(http://127.0.0.1:9/);</style>",
        '<img src="../../../etc/hostname">',
        '<object data="file:///etc/passwd"></object>',
    ],
)
def test_a_board_may_not_fetch_anything_but_its_own_files(html: str) -> None:
    """Defence in depth: were data ever to reach a board's HTML as markup, WeasyPrint still
    fetches nothing outside the board's own files."""
    load_weasyprint()
    from weasyprint.urls import FatalURLFetchingError  # a BaseException: WeasyPrint lets it out

    board = Board("worker", "x", "x", f"<!DOCTYPE html><html><body>{html}</body></html>")
    with pytest.raises(FatalURLFetchingError, match="may not load"):
        render_pdf(board)


def test_the_kiosk_keeps_hostile_values_as_text(hostile: Path) -> None:
    done = run(hostile, "kiosk")
    assert done.returncode == 0, done.stdout + done.stderr
    kiosk = hostile / "build/kiosk"
    pages = markup_files(kiosk)
    assert any(NAME in p.read_text("utf-8") for p in pages) is False  # escaped everywhere
    for path in pages:
        text = path.read_text("utf-8")
        for live in LIVE:
            assert live not in text, (path, live)
    index = (kiosk / "search/search_index.js").read_text("utf-8")
    assert "</script" not in index.lower()  # a script file: cannot end an inline script


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("summary", '"a\\x00b"', "U+0000"),
        ("summary", '"a\\x1fb"', "U+001F"),
        ("employer", '"a\\u202Eb"', "U+202E"),
        ("position", '"a\\u2067b"', "U+2067"),
        ("summary", '"a\\x85b"', "U+0085"),
        ("summary", '"a\\uFFFEb"', "U+FFFE"),
        ("summary", '"a\\nb"', "一行"),
        ("name", yaml_str("长" * 10_000), "30"),
        ("bio", yaml_str("[x](javascript:alert(1))"), "链接"),
        ("bio", yaml_str("[x](JaVaScRiPt:alert(1))"), "链接"),
        ("bio", yaml_str("[x](jav&#x61;script:alert(1))"), "链接"),
        ("bio", yaml_str("[x][r]\n\n[r]: javascript:alert(1)"), "链接"),
        ("bio", yaml_str("<javascript:alert(1)>"), "链接"),
        ("bio", yaml_str("[x]( javascript:alert(1))"), "链接"),
    ],
)
def test_what_the_loader_refuses_never_reaches_an_output(
    mini: Path, field: str, value: str, message: str
) -> None:
    profile = mini / "workers/li-si/profile.yml"
    set_field(profile, field, value)
    done = run(mini, "check")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "workers/li-si/profile.yml:" in done.stderr and message in done.stderr, done.stderr


@pytest.mark.parametrize(
    "disguised",
    [
        "１３９１２３４５６７８",
        "139 1234 5678",
        "139-1234-5678",
        "一三九一二三四五六七八",
        "１３９－１２３４－５６７８",
    ],
)
def test_a_private_phone_disguised_in_a_public_field_stops_the_build(
    mini: Path, disguised: str
) -> None:
    """The summary reaches the feed, the data files, the share meta and the boards."""
    set_field(mini / "workers/li-si/profile.yml", "summary", yaml_str(f"联系{disguised}"))
    done = run(mini, "build")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "private.phone" in done.stderr


# Beyond the Basic Multilingual Plane: an emoji, and a name character of CJK Extension B.
# JSON's \u escapes spell them as surrogate pairs, which the YAML reader of MkDocs refuses:
# MkDocs then drops the page's whole front matter (title, `generated: html`) and renders it
# as Markdown, where a title's `[text](javascript:…)` became a live link.
ASTRAL_STUDIO = "😀 [点这里](javascript:document.title=1337) 工作室"
ASTRAL_NAME = "𠮷四"


def test_a_title_beyond_the_bmp_keeps_its_front_matter(mini: Path) -> None:
    set_field(mini / "studios/alpha-studio/studio.yml", "name", yaml_str(ASTRAL_STUDIO))
    set_field(mini / "workers/li-si/profile.yml", "name", yaml_str(ASTRAL_NAME))
    done = run(mini, "site")
    assert done.returncode == 0, done.stdout + done.stderr
    for page, title in (
        ("studios/alpha-studio/index.html", ASTRAL_STUDIO),
        ("workers/li-si/index.html", ASTRAL_NAME),
    ):
        text = (mini / "site" / page).read_text("utf-8")
        head = Head()
        head.feed(text)
        assert head.title.startswith(f"{title} - "), (page, head.title)
        assert "generated: html" not in text, page  # the front matter shown as text
        assert not live_urls(text), (page, live_urls(text))
        assert '<a href="javascript:' not in text, page


def test_a_generated_page_whose_front_matter_mkdocs_cannot_read_fails_the_site(
    mini: Path,
) -> None:
    # Never rendered as Markdown instead: its title and HTML would become live Markdown.
    page = "---\ngenerated: html\ntitle: [\n---\n\n<p>x</p>\n"
    (mini / "content/unreadable.md").write_text(page, "utf-8")
    done = run(mini, "site")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unreadable.md: the front matter could not be read" in done.stdout + done.stderr
