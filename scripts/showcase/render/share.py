"""Share previews: what a chat app or a social site shows for a link to any page.

Two halves, both computed from the model's public values only:

- `card_jobs`: the 1200×630 share card (sharecard.py) of every worker, studio, hall and
  book, and one site-wide card from the entrance's hero; the media cache draws them.
- `page_meta`: per docs page, the title, description, card and absolute URL. The build
  writes them to build/share.json (outside the docs tree); the MkDocs hook puts
  `layouts/share_meta.html`, rendered by `render_head` (autoescaped, then checked tag by
  tag), into every page's head. Material's templates are not used for these values: they
  print page data unescaped.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from showcase.artifact import Artifact
from showcase.books import Library
from showcase.exhibition import Exhibition
from showcase.fonts import cjk_font
from showcase.halls import Halls
from showcase.images import Result
from showcase.load import Loaded
from showcase.media import CACHE_DIR, CardsFor, MediaIndex
from showcase.model import Studio, Worker
from showcase.render.books import book_page, chapter_page
from showcase.render.halls import hall_page
from showcase.render.html import one_line
from showcase.render.paths import absolute_url, studio_page, worker_page
from showcase.sharecard import CardJob, card_key
from showcase.validate import ENTRANCE

HOME = "index.md"  # the site-wide card: every page without its own
SHARE_DIR = "share"  # cards are published as share/<hash>-share-1200.jpg
CENTRE = (0.5, 0.5)


@dataclass(frozen=True)
class Spec:
    """What one card says and shows (the picture: a cache file, or None)."""

    label: str
    title: str
    lines: tuple[str, ...]
    picture: tuple[str, str, str] | None = None  # (source, role, preset) in the media index


def worker_spec(ex: Exhibition, w: Worker) -> Spec:
    top = ex.top_honor(w)
    lines = tuple(t for t in (top.title if top else w.position, w.employer) if t)
    pic = (f"workers/{w.slug}/{w.portrait}", "portrait", "card")
    return Spec("劳模风采", w.name, lines, pic if w.portrait and w.shows("portrait") else None)


def studio_spec(ex: Exhibition, s: Studio) -> Spec:
    """A studio shows its first gallery picture, else its leader's portrait."""
    kind = " · ".join(t for t in (s.level, s.kind) if t)
    lines = tuple(t for t in (kind, s.host) if t)
    leader = ex.worker(s.leader)
    pic = None
    if s.gallery:
        pic = (f"studios/{s.slug}/{s.gallery[0].file}", "picture", "large")
    elif leader and leader.publish:
        pic = worker_spec(ex, leader).picture
    return Spec("创新工作室", s.name, lines, pic)


def specs(ex: Exhibition, library: Library, halls: Halls) -> dict[str, Spec]:
    """The card of every page that has one of its own, by docs page."""
    s = ex.settings
    hero = (f"{ENTRANCE}/{s.hero_image}", "picture", "large") if s.hero_image else None
    home_lines = tuple(dict.fromkeys(t for t in (s.subtitle, s.site_description) if t))
    out = {HOME: Spec(s.association, s.site_title, home_lines, hero)}
    for w in ex.workers:
        out[worker_page(w.slug)] = worker_spec(ex, w)
    for st in ex.studios:
        out[studio_page(st.slug)] = studio_spec(ex, st)
    for book in library.books:
        cover = (
            (f"content/books/{book.slug}/{book.cover}", "picture", "large") if book.cover else None
        )
        lines = tuple(t for t in (book.subtitle, book.compiler) if t)
        out[book_page(book.slug)] = Spec("书架", book.title, lines, cover)
    for hall in halls.halls:
        cover = (
            (f"content/halls/{hall.slug}/{hall.cover}", "picture", "large") if hall.cover else None
        )
        lines = (hall.subtitle,) if hall.subtitle else ()
        out[hall_page(hall.slug)] = Spec("展厅", hall.title, lines, cover)
    return out


def _picture(media: MediaIndex, cache: Path, spec: Spec) -> tuple[Path | None, str]:
    """The JPEG derivative a card shows and its recorded hash."""
    if spec.picture is None:
        return None, ""
    source, role, preset = spec.picture
    result: Result | None = media.get(source, role)
    output = next((o for o in result.outputs if o.preset == preset), None) if result else None
    if output is None:
        return None, ""
    return cache / output.files[-1], output.sha256[-1] if output.sha256 else ""


def card_jobs(root: Path, loaded: Loaded, library: Library, halls: Halls) -> CardsFor:
    """The media pipeline's callback: every card, by page, once the images are checked."""

    def jobs(media: MediaIndex) -> dict[str, CardJob]:
        fonts = (cjk_font("regular"), cjk_font("bold"))  # MissingFont: exit 2
        ex = Exhibition.from_loaded(loaded, media)
        footer = (ex.settings.site_title, ex.settings.association)
        cache = root / CACHE_DIR
        out = {}
        for page, spec in specs(ex, library, halls).items():
            picture, digest = _picture(media, cache, spec)
            texts = [spec.label, spec.title, *spec.lines, *footer]
            key = card_key(texts, digest or str(picture), fonts)
            focus = (0.5, 0.35) if spec.picture and spec.picture[1] == "portrait" else CENTRE
            out[page] = CardJob(
                key, cache, spec.label, spec.title, spec.lines, footer, picture, focus,
                write=not media.read_only,
            )  # fmt: skip
        return out

    return jobs


def card_texts(ex: Exhibition, library: Library, halls: Halls) -> str:
    """Every text drawn on a card, for the privacy guard (pictures cannot be scanned)."""
    footer = [ex.settings.site_title, ex.settings.association]
    lines = [
        t for sp in specs(ex, library, halls).values() for t in (sp.label, sp.title, *sp.lines)
    ]
    return "\n".join(lines + footer)


def share_files(root: Path, ex: Exhibition) -> list[Artifact]:
    """Every card, once (two pages may share one), copied from the media cache."""
    names = sorted({name for r in ex.media.cards.values() for o in r.outputs for name in o.files})
    return [Artifact(f"{SHARE_DIR}/{name}", source=root / CACHE_DIR / name) for name in names]


def card_file(ex: Exhibition, page: str) -> str | None:
    result = ex.media.cards.get(page) or ex.media.cards.get(HOME)
    return f"{SHARE_DIR}/{result.outputs[0].files[0]}" if result and result.outputs else None


def descriptions(ex: Exhibition, library: Library, halls: Halls) -> dict[str, tuple[str, str, str]]:
    """(title, description, og:type) of every page with a title of its own."""
    s = ex.settings
    out = {HOME: (s.site_title, s.subtitle or s.site_description or s.site_title, "website")}
    for w in ex.workers:
        top = ex.top_honor(w)
        said = " · ".join(t for t in (top.title if top else None, w.employer) if t)
        out[worker_page(w.slug)] = (w.name, w.summary or said or w.name, "profile")
    for st in ex.studios:
        said = " · ".join(t for t in (st.level, st.kind, st.host) if t)
        out[studio_page(st.slug)] = (st.name, st.summary or said, "article")
    for book in library.books:
        said = " · ".join(t for t in (book.subtitle, book.compiler) if t)
        out[book_page(book.slug)] = (book.title, said or book.title, "book")
        for chapter in library.of(book):
            writers = "、".join(chapter.info.writer)
            said = chapter.info.summary or f"{book.title} · {writers}"
            out[chapter_page(chapter)] = (chapter.title, said, "article")
    for hall in halls.halls:
        out[hall_page(hall.slug)] = (hall.title, hall.subtitle or hall.title, "article")
    return out


H1 = re.compile(r"<h1[^>]*>([\s\S]*?)</h1>|^# (.+)$", re.M)
TAGS = re.compile(r"<[^>]+>")


def heading(page: Artifact) -> str:
    """The first heading of a page: an index's <h1> (our escaped HTML, made text again) or
    a hand-written page's `# title`. Empty: MkDocs' title is used."""
    if page.source is not None and page.source.suffix != ".md":
        return ""
    found = H1.search(page.content().decode("utf-8", "replace"))
    if found is None:
        return ""
    return html.unescape(TAGS.sub("", found.group(1) or found.group(2))).strip()


def page_meta(ex: Exhibition, library: Library, halls: Halls, pages: list[Artifact]) -> bytes:
    """build/share.json: for every docs page, what its share preview says, from the model
    (or a page's first heading; else the hook takes MkDocs' title)."""
    s = ex.settings
    said = descriptions(ex, library, halls)
    chapters = {chapter_page(c): book_page(b.slug) for b in library.books for c in library.of(b)}
    meta = {}
    for artifact in pages:
        page = artifact.path
        title, description, kind = said.get(
            page, (heading(artifact), s.site_description or s.site_title, "article")
        )
        card = card_file(ex, chapters.get(page, page))
        meta[page] = {
            "title": one_line(title),
            "description": one_line(description),
            "type": kind,
            "url": absolute_url(s.site_url, page),
            "image": absolute_url(s.site_url, card) if card else "",
        }
    site = {"site_name": s.site_title, "feed": absolute_url(s.site_url, "feed.xml")}
    return json.dumps(
        {"site": site, "pages": meta}, ensure_ascii=False, indent=0, sort_keys=True
    ).encode()
