"""The book collection: golden pages, located errors, the EPUB read back, deletion.

The fixture `books-mini` is a synthetic exhibition with one book of three chapters whose
`order` differs from their file names. Its expected pages (the collection and the worker
pages that link back) live in `books-expected/`; regenerate with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_books.py` and review the diff.
Each folder under `books-bad/` is laid over the fixture and names, in `expected.txt`, the
exact start of every error line `showcase check` must print.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from showcase.books import reading
from showcase.build import build

from conftest import FIXTURES, copy_tree, material_index, run
from test_golden import check_golden, tree

BOOKS = FIXTURES / "books-mini"
GOLDEN = FIXTURES / "books-expected"
BAD = FIXTURES / "books-bad"
BOOK = "books/sample-book"
EPUB = f"{BOOK}/sample-book.epub"
TOC = ["b-spring", "a-summer", "c-autumn"]  # order 1, order 2, no order
TITLES = {"b-spring": "春天的工作室", "a-summer": "夏天的车间", "c-autumn": "秋天的服务队"}
TEXTS = {
    "b-spring": "示例劳模甲的工作室在春天成立。",
    "a-summer": "第一段：示例劳模甲和示例劳模乙在车间里。",
    "c-autumn": "示例劳模乙带领服务队上门服务。",
}
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
}
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return copy_tree(BOOKS, tmp_path / "books")


def built(root: Path) -> Path:
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "build" / "docs"


def page(docs: Path, path: str) -> str:
    return (docs / path).read_text("utf-8")


# -- golden pages -----------------------------------------------------------------------------


def stories_section(markdown: bytes) -> bytes:
    """A worker page's 「书中的故事」 section alone: the rest of the page is not ours to pin."""
    text = markdown.decode("utf-8")
    start = text.find('<h2 id="书中的故事">')
    if start < 0:
        return b""
    end = text.find("\n<h2 ", start + 1)
    return text[start : end if end > 0 else None].encode("utf-8")


def book_tree(docs: Path) -> dict[str, bytes]:
    """The collection's files (EPUB by name only) and, for each worker page, its back-links."""
    out = {path: data for path, data in tree(docs).items() if path.startswith("books/")}
    out = {path: b"" if path.endswith(".epub") else data for path, data in out.items()}
    for path, data in tree(docs).items():
        if re.fullmatch(r"workers/[^/]+/index\.md", path):
            out[path.replace("index.md", "stories.md")] = stories_section(data)
    return out


def test_book_pages_match_golden(books: Path) -> None:
    check_golden(GOLDEN, book_tree(built(books)))


def test_contents_follow_order_then_file_name(books: Path) -> None:
    text = page(built(books), f"{BOOK}/index.md")
    found = re.findall(r'^<li><a href="([a-z-]+)/">', text, re.M)
    assert found == TOC


def test_previous_and_next_chapter(books: Path) -> None:
    docs = built(books)
    middle = page(docs, f"{BOOK}/a-summer/index.md")
    assert '上一篇：<a href="../b-spring/">春天的工作室</a>' in middle
    assert '下一篇：<a href="../c-autumn/">秋天的服务队</a>' in middle
    first, last = page(docs, f"{BOOK}/b-spring/index.md"), page(docs, f"{BOOK}/c-autumn/index.md")
    assert "上一篇" not in first and '下一篇：<a href="../a-summer/">夏天的车间' in first
    assert "下一篇" not in last and '上一篇：<a href="../a-summer/">夏天的车间' in last


def test_worker_and_chapter_link_both_ways(books: Path) -> None:
    docs = built(books)
    chapter = page(docs, f"{BOOK}/a-summer/index.md")
    assert 'href="../../../workers/shi-li-jia/"' in chapter
    assert 'href="../../../workers/shi-li-yi/"' in chapter
    jia = page(docs, "workers/shi-li-jia/index.md")
    stories = jia.split('<h2 id="书中的故事">', 1)[1].split("\n<h2 ", 1)[0]
    links = re.findall(r'href="\.\./\.\./books/sample-book/([a-z-]+)/"', stories)
    assert links == ["b-spring", "a-summer"]  # in reading order
    yi = page(docs, "workers/shi-li-yi/index.md")
    assert 'href="../../books/sample-book/c-autumn/"' in yi


def test_writers_index_and_shelf(books: Path) -> None:
    docs = built(books)
    writers = page(docs, "books/writers/index.md")
    assert writers.index(">示例作家甲</h2>") < writers.index(">示例作家乙</h2>")
    assert writers.count("夏天的车间") == 2  # written by both
    shelf = page(docs, "books/index.md")
    assert 'href="sample-book/"' in shelf and "sc-book-cover" in shelf


def test_chapter_markdown_has_no_raw_html_and_counts_characters(books: Path) -> None:
    text = page(built(books), f"{BOOK}/a-summer/index.md")
    assert "&lt;b&gt;不会生效的标签&lt;/b&gt;" in text and "<b>" not in text
    assert "车间里。这一行" in text  # a line break between Chinese characters is no space
    assert re.search(r'<p class="sc-reading">约\d+字 · 阅读约1分钟</p>', text)


def test_reading_time_reads_as_chinese() -> None:
    assert reading(3200) == "约3,200字 · 阅读约8分钟"
    assert reading(3249) == "约3,200字 · 阅读约9分钟"
    assert reading(57) == "约57字 · 阅读约1分钟"


def test_book_sources_are_not_copied_raw(books: Path) -> None:
    docs = built(books)
    assert not list(docs.rglob("*.yml"))
    assert not (docs / "books/sample-book/a-summer.md").exists()
    assert not (docs / "books/sample-book/cover.jpg").exists()


# -- located errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir()))
def test_bad_book_input_gives_located_error(case: str, books: Path) -> None:
    shutil.copytree(BAD / case, books, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.txt"))
    expected = (BAD / case / "expected.txt").read_text("utf-8").splitlines()
    result = run(books, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [
        line for line in result.stderr.splitlines() if re.match(r"^\S+:\d+:\d+: (?!警告)", line)
    ]
    assert len(errors) == len(expected), result.stderr
    for want, line in zip(expected, errors, strict=True):
        assert line.startswith(want), f"{line!r} does not start with {want!r}"


def test_failed_book_check_writes_nothing(books: Path) -> None:
    docs = built(books)
    before = tree(docs)
    shutil.copytree(BAD / "unknown-worker", books, dirs_exist_ok=True)
    assert run(books, "build").returncode == 1
    assert tree(docs) == before


# -- the EPUB ---------------------------------------------------------------------------------


def read_epub(data: bytes) -> dict[str, object]:
    """Container, OPF, spine, nav and chapter texts, parsed as XML (so, well-formed)."""
    import io

    z = zipfile.ZipFile(io.BytesIO(data))
    first = z.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert z.read("mimetype") == b"application/epub+zip"
    container = etree.fromstring(z.read("META-INF/container.xml"))
    opf_path = container.find(".//c:rootfile", NS).get("full-path")
    base = PurePosixPath(opf_path).parent
    opf = etree.fromstring(z.read(opf_path))
    items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
    spine = [
        items[r.get("idref")].get("href") for r in opf.iterfind(".//opf:spine/opf:itemref", NS)
    ]
    nav_href = next(i.get("href") for i in items.values() if "nav" in (i.get("properties") or ""))
    nav = etree.fromstring(z.read(str(base / nav_href)))
    docs = {
        href: etree.fromstring(z.read(str(base / href)))
        for href in spine
        if href.endswith(".xhtml")
    }
    cover = next(i for i in items.values() if "cover-image" in (i.get("properties") or ""))
    return {
        "zip": z,
        "opf": opf,
        "spine": spine,
        "nav": [(a.get("href"), a.text) for a in nav.iterfind(".//x:nav//x:a", NS)],
        "text": {href: "".join(doc.itertext()) for href, doc in docs.items()},
        "titles": {href: doc.findtext(".//x:h1", namespaces=NS) for href, doc in docs.items()},
        "cover": str(base / cover.get("href")),
    }


def test_epub_reads_back_in_chapter_order(books: Path) -> None:
    docs = built(books)
    book = read_epub((docs / EPUB).read_bytes())
    opf = book["opf"]
    assert opf.findtext(".//dc:language", namespaces=NS) == "zh-CN"
    assert opf.findtext(".//dc:title", namespaces=NS) == "示例文集——作家眼中的示例劳模"
    contributors = [e.text for e in opf.iterfind(".//dc:contributor", NS)]
    assert contributors == ["示例作家甲", "示例作家乙"]
    assert book["zip"].read(book["cover"])[:3] == b"\xff\xd8\xff"  # the cover, as JPEG
    chapters = [h for h in book["spine"] if h.startswith("c")]
    assert [book["titles"][h] for h in chapters if h != "cover.xhtml"] == [TITLES[s] for s in TOC]
    nav_titles = [title for _href, title in book["nav"]]
    assert nav_titles == ["扉页", *(TITLES[s] for s in TOC)]
    for stem in TOC:
        href = book["spine"][book["spine"].index("nav.xhtml") + 1 + TOC.index(stem)]
        assert TEXTS[stem] in book["text"][href]
    assert "示例作家甲、示例作家乙" in book["text"][book["spine"][-2]]  # writer credit
    images = [n for n in book["zip"].namelist() if n.startswith("EPUB/images/")]
    assert len(images) == 2  # the cover and the chapter's picture, from the media pipeline


def test_epub_is_byte_identical_for_the_same_input(books: Path, tmp_path: Path) -> None:
    twin = copy_tree(BOOKS, tmp_path / "twin")
    assert (built(books) / EPUB).read_bytes() == (built(twin) / EPUB).read_bytes()


@pytest.mark.skipif(not EPUBCHECK_JAR.is_file(), reason="epubcheck is not installed (apt)")
def test_epubcheck_finds_no_problem(books: Path) -> None:
    docs = built(books)
    result = subprocess.run(
        ["java", "-jar", str(EPUBCHECK_JAR), str(docs / EPUB)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr


# -- changes ----------------------------------------------------------------------------------


def test_deleting_a_chapter_removes_its_page_links_and_epub_entry(books: Path) -> None:
    build(books)
    (books / "content/books/sample-book/a-summer.md").unlink()
    result = build(books)
    assert result.report is not None
    assert f"{BOOK}/a-summer/index.md" in result.report.deleted
    docs = books / "build/docs"
    assert not (docs / f"{BOOK}/a-summer").exists()
    assert "夏天的车间" not in page(docs, "workers/shi-li-yi/index.md")
    assert "夏天的车间" not in page(docs, "workers/shi-li-jia/index.md")
    assert '下一篇：<a href="../c-autumn/">秋天的服务队</a>' in page(
        docs, f"{BOOK}/b-spring/index.md"
    )
    epub = read_epub((docs / EPUB).read_bytes())
    assert [t for _h, t in epub["nav"]] == ["扉页", "春天的工作室", "秋天的服务队"]
    assert not any("第一段" in text for text in epub["text"].values())
    # the chapter's picture is gone with it
    assert not any("949041369b99e836" in n for n in epub["zip"].namelist())


def test_unpublished_chapter_is_shown_nowhere(books: Path) -> None:
    chapter = books / "content/books/sample-book/c-autumn.md"
    chapter.write_text(
        chapter.read_text("utf-8").replace(
            "workers: [shi-li-yi]", "workers: [shi-li-yi]\npublish: false"
        ),
        "utf-8",
    )
    docs = built(books)
    assert not (docs / f"{BOOK}/c-autumn").exists()
    text = "".join(
        page(docs, p) for p in ("books/index.md", f"{BOOK}/index.md", "workers/shi-li-yi/index.md")
    )
    assert "秋天的服务队" not in text


def test_second_build_writes_nothing(books: Path) -> None:
    assert build(books).report is not None
    again = build(books).report
    assert again is not None and again.written == [] and again.deleted == []


def test_new_book_and_chapter_from_templates_check_clean(books: Path) -> None:
    assert run(books, "new", "book", "another-book").returncode == 0
    made = run(books, "new", "chapter", "--book", "another-book", "--worker", "shi-li-jia")
    assert made.returncode == 0, made.stderr
    assert (books / "content/books/another-book/01-shi-li-jia.md").is_file()
    checked = run(books, "check")
    assert checked.returncode == 0, checked.stderr
    assert run(books, "new", "chapter", "--book", "no-such-book").returncode == 2
    assert (
        run(books, "new", "chapter", "--book", "another-book", "--worker", "nobody").returncode == 2
    )


# -- the real site ----------------------------------------------------------------------------


def test_search_finds_chapter_text_with_the_book_as_context(books: Path) -> None:
    result = run(books, "site")
    assert result.returncode == 0, result.stdout + result.stderr
    index = material_index(books)
    docs = [d for d in index["docs"] if d["location"].startswith(f"{BOOK}/c-autumn/")]
    assert docs, "the chapter is not in the search index"
    page_entry = docs[0]
    assert "示例文集" in html.unescape(page_entry["title"]).replace("\u200b", "")
    body = "\u200b".join(d["text"] for d in docs)
    assert "\u200b带领\u200b" in body  # segmented by jieba
    assert "\u200b示例作家乙\u200b" in body  # the writer's name is one word (user dictionary)
    assert "示例文集" in body.replace("\u200b", "")  # the byline names the book
    assert (books / f"site/{EPUB}").is_file()


def test_sample_book_states_the_articles_facts(sample_site: Path) -> None:
    site = sample_site / "site/books/hongxin-jiangyi"
    text = (site / "index.html").read_text("utf-8")
    assert "红心·匠艺的追梦人——作家眼中的劳模工匠" in text
    assert "31名劳模、工匠代表" in text and "嘉兴市作家协会" in text
    assert (site / "hongxin-jiangyi.epub").is_file()
    chapter = (site / "01-sample-article-facts/index.html").read_text("utf-8")
    assert "示例" in chapter and "不是书中的原文" in chapter
    worker = (sample_site / "site/workers/yao-hongfei/index.html").read_text("utf-8")
    assert "书中的故事" in worker and "01-sample-article-facts" in worker
