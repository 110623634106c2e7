"""An EPUB 3 of one book: zh-CN, cover, navigation in chapter order, writer credits, images.

Built with ebooklib, then re-packed so the same input gives the same bytes: ebooklib stamps
the zip entries with the current time and defaults to a random identifier, so the
identifier is derived from the book's slug (or its ISBN), `dcterms:modified` from the book's
date, and every zip entry gets a fixed timestamp, in ebooklib's own (valid) order with the
uncompressed `mimetype` first.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import uuid
import zipfile
from collections.abc import Callable

from ebooklib import epub

from showcase.books import Book, Chapter, Illustration, reading
from showcase.markup import prose

LANG = "zh-CN"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
STYLE = b"""body { font-family: serif; line-height: 1.8; }
h1 { font-size: 1.5em; margin: 1.5em 0 0.5em; }
p { text-indent: 2em; margin: 0.3em 0; }
p.byline, p.about, p.count, p.lead, .title-page p { text-indent: 0; color: #555; }
figure { margin: 1em 0; text-align: center; }
figure img { max-width: 100%; }
figcaption { font-size: 0.85em; color: #555; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-width: 100%; max-height: 100%; }
"""

MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}
# An image's bytes and a unique file name (the derivative's), by its source path.
Image = tuple[bytes, str]
ImageSource = Callable[[str], Image | None]


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def identifier(book: Book) -> str:
    if book.isbn:
        return "urn:isbn:" + "".join(c for c in book.isbn if c.isalnum()).upper()
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'showcase:book:{book.slug}')}"


def modified(book: Book) -> dt.datetime:
    if book.year is None:
        return dt.datetime(*EPOCH)
    return dt.datetime(book.year.year, book.year.month or 1, book.year.day or 1)


def build_epub(
    book: Book,
    chapters: tuple[Chapter, ...],
    worker_names: dict[str, str],
    cover: Image,
    image: ImageSource,
) -> bytes:
    """The EPUB's bytes. `image` gives the derivative of a chapter image by its source path
    (the large JPEG of the media pipeline)."""
    eb = epub.EpubBook()
    eb.set_identifier(identifier(book))
    eb.set_title(book.title)
    eb.set_language(LANG)
    credit(eb, book, chapters)
    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=STYLE)
    eb.add_item(style)

    data, name = cover
    eb.set_cover(f"images/{name}", data, create_page=False)
    cover_page = page(eb, style, "cover-page", "cover.xhtml", "封面", cover_html(book, name))
    title_page = page(
        eb, style, "title-page", "title.xhtml", book.title, title_html(book, chapters)
    )
    docs, images = [], {}
    for n, chapter in enumerate(chapters, 1):
        body = chapter_html(chapter, worker_names, images, image)
        docs.append(page(eb, style, f"c{n:03d}", f"c{n:03d}.xhtml", chapter.title, body))
    for i, (name, blob) in enumerate(images.items()):
        media_type = MEDIA_TYPES[name.rsplit(".", 1)[-1]]
        eb.add_item(
            epub.EpubImage(uid=f"img{i}", file_name=name, media_type=media_type, content=blob)
        )
    eb.toc = [epub.Link("title.xhtml", "扉页", "toc-title")] + [
        epub.Link(d.file_name, c.title, f"toc-{d.id}") for d, c in zip(docs, chapters, strict=True)
    ]
    eb.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="目录")
    eb.add_item(nav)
    eb.spine = [cover_page, title_page, nav, *docs]
    raw = io.BytesIO()
    epub.write_epub(raw, eb, {"mtime": modified(book), "epub3_pages": False})
    return repack(raw.getvalue())


def credit(eb: epub.EpubBook, book: Book, chapters: tuple[Chapter, ...]) -> None:
    """Compiler and editors as creators; every writer as a contributor with role aut."""
    people = [(book.compiler, "com")] if book.compiler else []
    people += [(name, "edt") for name in book.editors]
    for i, (name, role) in enumerate(people):
        eb.add_author(name, role=role, uid=f"creator{i}")
    writers = dict.fromkeys(name for c in chapters for name in c.info.writer)
    for i, name in enumerate(writers):
        eb.add_metadata("DC", "contributor", name, {"id": f"writer{i}"})
        eb.add_metadata(
            None,
            "meta",
            "aut",
            {"refines": f"#writer{i}", "property": "role", "scheme": "marc:relators"},
        )
    if book.publisher:
        eb.add_metadata("DC", "publisher", book.publisher)
    if book.year:
        eb.add_metadata("DC", "date", book.year.iso())
    if book.description:
        eb.add_metadata("DC", "description", book.description.strip())


def page(
    eb: epub.EpubBook, style: epub.EpubItem, uid: str, name: str, title: str, body: str
) -> epub.EpubHtml:
    doc = epub.EpubHtml(uid=uid, file_name=name, title=title, lang=LANG)
    doc.content = f"<html><body>{body}</body></html>"
    doc.add_item(style)
    eb.add_item(doc)
    return doc


def cover_html(book: Book, name: str) -> str:
    return (
        f'<div class="cover"><img src="images/{esc(name)}" alt="{esc(book.title)}（封面）"/></div>'
    )


def title_html(book: Book, chapters: tuple[Chapter, ...]) -> str:
    lines = [f"<h1>{esc(book.title)}</h1>"]
    if book.subtitle:
        lines.append(f"<p>{esc(book.subtitle)}</p>")
    rows = [
        ("编撰", book.compiler or ""),
        ("主编", "、".join(book.editors)),
        ("合作", "、".join(book.partners)),
        ("出版", book.publisher or ""),
        ("出版时间", book.year.zh() if book.year else ""),
        ("ISBN", book.isbn or ""),
        ("作者", "、".join(dict.fromkeys(n for c in chapters for n in c.info.writer))),
    ]
    lines += [f"<p>{label}：{esc(value)}</p>" for label, value in rows if value]
    if book.description:
        lines.append(prose(book.description))
    return '<div class="title-page">' + "\n".join(lines) + "</div>"


def chapter_html(
    chapter: Chapter,
    worker_names: dict[str, str],
    images: dict[str, bytes],
    image: ImageSource,
) -> str:
    info = chapter.info
    parts = [
        f"<h1>{esc(info.title)}</h1>",
        f'<p class="byline">文／{esc("、".join(info.writer))}</p>',
    ]
    about = [worker_names[s] for s in info.workers if s in worker_names]
    if about:
        parts.append(f'<p class="about">写的是：{esc("、".join(about))}</p>')
    parts.append(f'<p class="count">{esc(reading(chapter.chars))}</p>')
    if info.summary:
        parts.append(f'<p class="lead">{esc(info.summary)}</p>')
    for block in chapter.blocks:
        parts.append(
            prose(block) if isinstance(block, str) else figure(block, chapter, images, image)
        )
    return "\n".join(p for p in parts if p)


def figure(
    pic: Illustration, chapter: Chapter, images: dict[str, bytes], image: ImageSource
) -> str:
    found = image(f"{chapter.book}/{pic.file}")
    if found is None:
        return ""
    data, file_name = found
    name = f"images/{file_name}"
    images[name] = data
    caption = f"<figcaption>{esc(pic.caption)}</figcaption>" if pic.caption else ""
    return f'<figure><img src="{esc(name)}" alt="{esc(pic.caption or chapter.title)}"/>{caption}</figure>'


def repack(data: bytes) -> bytes:
    """Same entries in the same order, with fixed timestamps and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            stored = item.filename == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename), compresslevel=None if stored else 9)
    return out.getvalue()
