"""The book collection's pages: the shelf, each book, each chapter, the writers index, the
stories listed on a worker's page, the covers and images, and each book's EPUB."""

from __future__ import annotations

import hashlib
from pathlib import Path

from showcase.artifact import Artifact, page
from showcase.books import Book, Chapter, Illustration, Library, reading, round_chars
from showcase.epub import build_epub
from showcase.exhibition import Exhibition
from showcase.images import Result
from showcase.markup import attr, prose, text
from showcase.media import CACHE_DIR
from showcase.model import Worker
from showcase.render.common import cards, facts, join, section, sources, worker_card, worker_link
from showcase.render.paths import rel, worker_page
from showcase.render.pictures import lightbox, picture
from showcase.search_words import FREQUENCY

SHELF = "books/index.md"
WRITERS = "books/writers/index.md"
COVER_SIZES = "(max-width: 600px) 60vw, 240px"
FIGURE_SIZES = "(max-width: 800px) 100vw, 720px"
SOURCE = "content/books/{}/{}"  # where a book's images are, for the media index


def book_page(slug: str) -> str:
    return f"books/{slug}/index.md"


def chapter_page(chapter: Chapter) -> str:
    return f"books/{chapter.book}/{chapter.stem}/index.md"


def epub_file(book: Book) -> str:
    return f"books/{book.slug}/{book.slug}.epub"


def render_books(root: Path, ex: Exhibition, library: Library) -> list[Artifact]:
    """Every page and file of the collection; the shelf and writers index always exist."""
    out = [page(SHELF, shelf(ex, library)), page(WRITERS, writers(library))]
    for book in library.books:
        out.append(page(book_page(book.slug), render_book(ex, library, book), book.title))
        for chapter in library.of(book):
            title = f"{chapter.title} · {book.title}"
            out.append(page(chapter_page(chapter), render_chapter(ex, library, chapter), title))
        out += book_files(root, ex, library, book)
    return out


# -- the shelf and the writers index --------------------------------------------------------


def shelf(ex: Exhibition, library: Library) -> str:
    here = SHELF
    count = sum(len(library.of(b)) for b in library.books)
    if not library.books:
        return "# 书架\n\n暂无图书。\n"
    items = []
    for book in library.books:
        line = "，".join(x for x in (byline(book), f"{len(library.of(book))} 篇") if x)
        subtitle = f"\n\n    {text(book.subtitle)}" if book.subtitle else ""
        items.append(
            f"-   {cover(here, ex, book)}\n\n"
            f"    **[《{text(book.title)}》]({rel(here, book_page(book.slug))})**{subtitle}\n\n"
            f"    {line}\n"
        )
    intro = (
        f"共 {len(library.books)} 本书、{count} 篇文章。按作者查看：[作者索引](writers/index.md)。"
    )
    return f"# 书架\n\n{intro}\n\n{cards(items)}"


def writers(library: Library) -> str:
    here = WRITERS
    people = library.writers()
    count = f"共 {len(people)} 位作者，按姓名拼音排列。" if people else "暂无作者。"
    out = ["# 作者索引\n", f"{count}回到[书架](../index.md)。\n"]
    for name, chapters in people:
        lines = [
            f"- {chapter_link(here, c)}（《{text(library.book(c.book).title)}》）" for c in chapters
        ]
        out.append(f"## {text(name)}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(out)


# -- a book -----------------------------------------------------------------------------------


def byline(book: Book) -> str:
    people = book.compiler or "、".join(book.editors)
    role = "编" if book.compiler else "主编"
    when = book.year.zh() if book.year else ""
    return "，".join(x for x in (f"{text(people)} {role}" if people else "", when) if x)


def render_book(ex: Exhibition, library: Library, book: Book) -> str:
    here = book_page(book.slug)
    chapters = library.of(book)
    about = {slug for c in chapters for slug in c.info.workers}
    rows = [
        ("编撰", text(book.compiler or "")),
        ("主编", "、".join(text(e) for e in book.editors)),
        ("合作", "、".join(text(p) for p in book.partners)),
        ("出版", text(book.publisher or "")),
        ("出版时间", book.year.zh() if book.year else ""),
        ("ISBN", text(book.isbn or "")),
        ("收录", f"{len(chapters)} 篇文章，写了本站 {len(about)} 位劳模工匠" if chapters else ""),
        ("字数", f"约{round_chars(sum(c.chars for c in chapters))}字" if chapters else ""),
    ]
    download = f"[下载电子书（EPUB）]({book.slug}.epub){{ .md-button }}"
    subtitle = f'<p class="sc-subtitle">{text(book.subtitle)}</p>' if book.subtitle else ""
    return join(
        f"# 《{text(book.title)}》",
        subtitle,
        '<div class="sc-book" markdown>\n\n'
        f"{cover(here, ex, book, lazy=False)}\n\n"
        f'<div class="sc-facts" markdown>\n\n{facts(rows)}\n{download}\n\n</div>\n\n</div>\n',
        section("简介", prose(book.description) if book.description else ""),
        section("目录", contents(here, ex, chapters)),
        f"回到[书架]({rel(here, SHELF)})；[作者索引]({rel(here, WRITERS)})。",
        sources(book.sources),
    )


def contents(here: str, ex: Exhibition, chapters: tuple[Chapter, ...]) -> str:
    lines = []
    for n, c in enumerate(chapters, 1):
        about = "、".join(worker_link(here, w) for w in workers_of(ex, c))
        detail = "　".join(
            x
            for x in (f"文／{writer_names(c)}", f"写{about}" if about else "", reading(c.chars))
            if x
        )
        lines.append(f"{n}.  {chapter_link(here, c)}  \n    {detail}")
    return "\n".join(lines) + "\n" if lines else "还没有文章。\n"


def cover(here: str, ex: Exhibition, book: Book, *, lazy: bool = True) -> str:
    folder = f"books/{book.slug}"
    result = cover_result(ex, book)
    alt = f"《{book.title}》封面"
    if result:
        return picture(
            here,
            folder,
            result,
            ("thumb", "large"),
            alt,
            sizes=COVER_SIZES,
            lazy=lazy,
            css="sc-book-cover",
        )
    loading = ' loading="lazy"' if lazy else ""
    return (
        f'<img src="{rel(here, f"{folder}/cover.svg")}" width="300" height="420"'
        f' alt="{attr(alt)}（示意封面）" class="sc-book-cover"{loading}>'
    )


def cover_result(ex: Exhibition, book: Book) -> Result | None:
    result = ex.media.get(SOURCE.format(book.slug, book.cover), "picture") if book.cover else None
    return result if result and result.outputs else None


def cover_svg(book: Book) -> bytes:
    """A designed stand-in cover: the title on a colour derived from the slug."""
    hue = int(hashlib.sha256(book.slug.encode()).hexdigest()[:4], 16) % 360
    lines = [book.title[i : i + 8] for i in range(0, min(len(book.title), 48), 8)]
    words = "".join(
        f'<text x="150" y="{120 + 40 * i}" font-size="30" text-anchor="middle" fill="#fff"'
        f' font-family="serif">{attr(line)}</text>'
        for i, line in enumerate(lines)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 420" width="300" height="420"'
        f' role="img" aria-label="{attr(book.title)}（示意封面）">'
        f'<rect width="300" height="420" fill="hsl({hue},40%,35%)"/>'
        f'<rect x="16" y="16" width="268" height="388" fill="none" stroke="#fff" stroke-width="2"/>'
        f"{words}</svg>\n"
    )
    return svg.encode("utf-8")


# -- a chapter --------------------------------------------------------------------------------


def render_chapter(ex: Exhibition, library: Library, chapter: Chapter) -> str:
    here = chapter_page(chapter)
    book = library.book(chapter.book)
    number = library.of(book).index(chapter) + 1
    book_link = f"[《{text(book.title)}》]({rel(here, book_page(book.slug))})"
    summary = f'<p class="sc-lead">{text(chapter.info.summary)}</p>' if chapter.info.summary else ""
    return join(
        f"# {text(chapter.title)}",
        f'<p class="sc-byline" markdown>{book_link} 第 {number} 篇 · 文／{writer_names(chapter)}</p>',
        f'<p class="sc-reading">{reading(chapter.chars)}</p>',
        summary,
        *(body_block(here, ex, chapter, b) for b in chapter.blocks),
        section("关于劳模", cards(worker_card(here, ex, w) for w in workers_of(ex, chapter))),
        pager(here, library, chapter),
    )


def body_block(here: str, ex: Exhibition, chapter: Chapter, block: str | Illustration) -> str:
    if isinstance(block, str):
        return prose(block)
    folder = f"books/{chapter.book}"
    result = ex.media.get(SOURCE.format(chapter.book, block.file), "picture")
    if not result or not result.outputs:
        return ""
    alt = block.caption or chapter.title
    inner = picture(here, folder, result, ("thumb", "large"), alt, sizes=FIGURE_SIZES)
    caption = f"<figcaption>{text(block.caption)}</figcaption>" if block.caption else ""
    box = lightbox(here, folder, result, inner, block.caption, here)
    return f'<figure class="sc-illustration">{box}{caption}</figure>'


def pager(here: str, library: Library, chapter: Chapter) -> str:
    before, after = library.neighbours(chapter)
    parts = [f"上一篇：{chapter_link(here, before)}" if before else ""]
    parts.append(f"[目录]({rel(here, book_page(chapter.book))})")
    parts.append(f"下一篇：{chapter_link(here, after)}" if after else "")
    links = "　｜　".join(p for p in parts if p)
    return f'<nav class="sc-pager" markdown>\n\n{links}\n\n</nav>\n'


# -- pieces shared by these pages and the worker page ----------------------------------------


def chapter_link(here: str, chapter: Chapter) -> str:
    return f"[{text(chapter.title)}]({rel(here, chapter_page(chapter))})"


def writer_names(chapter: Chapter) -> str:
    return "、".join(text(name) for name in chapter.info.writer)


def workers_of(ex: Exhibition, chapter: Chapter) -> list[Worker]:
    return [w for slug in dict.fromkeys(chapter.info.workers) if (w := ex.worker(slug))]


def stories(library: Library | None, worker: Worker) -> str:
    """「书中的故事」on a worker's page: every chapter about them, with its book."""
    if library is None:
        return ""
    here = worker_page(worker.slug)
    lines = [
        f"- {chapter_link(here, c)}（《{text(library.book(c.book).title)}》，文／{writer_names(c)}）"
        for c in library.about(worker.slug)
    ]
    return section("书中的故事", "\n".join(lines))


# -- files: images, the stand-in cover, the EPUB ---------------------------------------------


def book_files(root: Path, ex: Exhibition, library: Library, book: Book) -> list[Artifact]:
    """Derivatives of the cover and the images the published chapters show, and the EPUB."""
    folder = f"books/{book.slug}"
    chapters = library.of(book)
    used = [book.cover] if book.cover else []
    used += [i.file for c in chapters for i in c.images]
    files: dict[str, Path] = {}
    for name in used:
        result = ex.media.get(SOURCE.format(book.slug, name), "picture")
        for output in result.outputs if result else ():
            for file in output.files:
                files[file] = root / CACHE_DIR / file
    out = [Artifact(f"{folder}/{name}", source=path) for name, path in sorted(files.items())]
    svg = cover_svg(book)
    if cover_result(ex, book) is None:
        out.append(Artifact(f"{folder}/cover.svg", svg))

    def large(source: str) -> tuple[bytes, str] | None:
        result = ex.media.get(source, "picture")
        output = next((o for o in result.outputs if o.preset == "large"), None) if result else None
        return (
            ((root / CACHE_DIR / output.files[1]).read_bytes(), output.files[1]) if output else None
        )

    front = large(SOURCE.format(book.slug, book.cover)) if book.cover else None
    names = {w.slug: w.name for w in ex.workers}
    data = build_epub(
        book, chapters, names, front or (svg, "cover.svg"), lambda s: large(f"content/books/{s}")
    )
    out.append(Artifact(epub_file(book), data))
    return out


def search_words(library: Library) -> bytes:
    """Writers' names for the jieba dictionary (appended to the exhibition's words)."""
    from showcase.search_words import listable  # bounded words only (jieba's memory)

    lines = [f"{word} {FREQUENCY} nr" for word in library.words() if listable(word)]
    return "".join(f"{line}\n" for line in lines).encode("utf-8")
