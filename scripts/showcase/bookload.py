"""Load and check the book collection: `book.yml`, and each chapter's front matter and text.

A chapter's front matter is parsed by the project's strict YAML loader with line numbers of
the .md file itself, so every problem points at the writer's line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from showcase import chars
from showcase.books import BOOKS_DIR, Block, Book, Chapter, ChapterInfo, Illustration, Library
from showcase.convert import INVALID, Converter
from showcase.fields import SLUG_HINT, SLUG_RE
from showcase.links import link_problems
from showcase.load import Loaded, load_object
from showcase.media import Ref
from showcase.model import Worker
from showcase.pinyin import name_pinyin, sort_key
from showcase.problems import Problems
from showcase.tree import folders, not_regular, walk
from showcase.unfilled import check_body, check_unfilled
from showcase.validate import check_links, media_problem, slug_hint
from showcase.yamlload import Mapping, Scalar, Sequence, load_text, read_text

BOOK_FILE = "book.yml"
RESERVED = {"writers"}  # generated pages under books/
STEM_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FENCE = re.compile(r"^\s*(```|~~~)")
IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\]\n]*)\]\((?P<file>[^)\s]+)\)\s*$")
IMAGE_ANYWHERE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
CODE_SPAN = re.compile(r"`[^`]*`")
FRONT_HINT = "第一行写 ---，接着写 title、writer、workers 等，再写一行 ---，下面是正文"
LISTS = ("writer", "workers")  # a single value may be written without brackets
MAX_CHARS = 200_000  # a chapter's characters, front matter included (a long story: 30,000)


def load_library(
    root: Path, loaded: Loaded, problems: Problems, *, drafts: bool = False
) -> tuple[Library, list[Ref]]:
    """Check every book and chapter against the loaded workers. Returns the published
    books and chapters, and every image any book refers to (for the media pipeline).
    drafts (the `showcase serve --drafts` preview only): every valid book and chapter,
    `publish: false` ones too; the problems found are the same either way."""
    base = root / BOOKS_DIR
    if loaded.settings is None:
        return Library(), []
    workers = {w.slug: w for w in loaded.workers}
    books, chapters, refs = [], {}, []
    hidden: set[str] = set()  # valid chapters not shown: a hall may not exhibit them
    for folder in folders(base):  # symlinks: reported by the tree check, never read
        book = load_book(root, folder, problems)
        found = []
        for info, chapter in load_chapters(root, folder, problems):
            check_unfilled(info, problems)
            public = info.publish and (book is None or book.publish)
            if chapter is None:  # its own problems are reported: check its workers too
                check_workers(info, workers, problems, public=public)
            elif check_chapter(chapter, workers, root, problems, public=public):
                found.append(chapter)
        check_order(found, problems)
        refs += [
            _ref(c.book, i.file, "正文图片", (c.path, i.line, i.col))
            for c in found
            for i in c.images
        ]
        if book is not None and book.cover:
            where = book.loc.at("cover")
            if media_check(root, book.slug, book.cover, where, "cover", problems):
                refs.append(_ref(book.slug, book.cover, "cover", where))
        if book is None:
            continue
        public = [c for c in found if book.publish and c.info.publish]
        hidden.update(f"{c.book}/{c.stem}" for c in found if c not in public)
        if book.publish or drafts:
            books.append(book)
            chapters[book.slug] = tuple(sorted(found if drafts else public, key=Chapter.sort_key))
    books.sort(
        key=lambda b: (-(b.year.year if b.year else 0), *sort_key(name_pinyin(b.title), b.title))
    )
    return Library(tuple(books), chapters, frozenset(hidden)), refs


def _ref(book: str, file: str, field: str, loc: tuple[str, int, int]) -> Ref:
    return Ref(BOOKS_DIR, book, file, "picture", field, loc)


def load_book(root: Path, folder: Path, problems: Problems) -> Book | None:
    rel = f"{BOOKS_DIR}/{folder.name}/{BOOK_FILE}"
    if not SLUG_RE.match(folder.name) or folder.name in RESERVED:
        hint = (
            f"「{folder.name}」留作网站自用，换一个名字" if folder.name in RESERVED else SLUG_HINT
        )
        problems.add(rel, 1, 1, "", f"文件夹名「{folder.name}」不能用作网址", hint)
        return None
    target = folder / BOOK_FILE
    if not_regular(target) and (target.is_symlink() or not target.is_dir()):
        return None  # a symlink or a special file: reported by the tree check
    if not target.is_file():
        hint = f"运行 showcase new book {folder.name} 从模板创建"
        problems.add(rel, 1, 1, "", f"文件夹 {BOOKS_DIR}/{folder.name} 中缺少 {BOOK_FILE}", hint)
        return None
    book = load_object(root, rel, Book, problems, None, slug=folder.name)
    if book is None:
        return None
    check_links(book, problems)
    check_unfilled(book, problems)
    if not book.editors and not book.compiler:
        problems.add(
            rel,
            book.loc.line,
            book.loc.col,
            "editors",
            "须写明主编或编撰单位",
            "添加 editors: [姓名] 或 compiler: 单位名称",
        )
    if not book.cover:
        problems.add(
            rel,
            book.loc.line,
            book.loc.col,
            "cover",
            "这本书还没有封面，网站上先用示意封面",
            "把封面图片放进本文件夹，添加 cover: cover.jpg",
            warning=True,
        )
    return book


def load_chapters(
    root: Path, folder: Path, problems: Problems
) -> Iterator[tuple[ChapterInfo, Chapter | None]]:
    """Every chapter whose front matter could be read; None for the chapter when the
    file has problems of its own (its front matter is still checked across files)."""
    for path in walk(folder):  # regular files only: symlinks are reported by the tree check
        if path.parent != folder or path.suffix != ".md":
            continue
        rel = f"{BOOKS_DIR}/{folder.name}/{path.name}"
        if not STEM_RE.match(path.stem):
            hint = "只用小写英文字母、数字和连字符，如 03-yao-hongfei.md"
            problems.add(rel, 1, 1, "", f"文件名「{path.name}」不能用作网址", hint)
            continue
        text = read_text(path, rel, problems, max_bytes=4 * MAX_CHARS)
        if text is not None and len(text) > MAX_CHARS:
            message = f"文章太长了（最多 {MAX_CHARS} 个字符，现在 {len(text)} 个）"
            problems.add(rel, 1, 1, "", message, "把文章分成几篇")
            continue
        info, chapter = parse_chapter(text, rel, folder.name, path.stem, problems)
        if info is not None:
            yield info, chapter


def parse_chapter(
    text: str | None, rel: str, book: str, stem: str, problems: Problems
) -> tuple[ChapterInfo | None, Chapter | None]:
    """Split the front matter from the text; parse it with the .md file's line numbers.
    Returns the front matter if it could be read, and the chapter if all of it is valid."""
    if not text:
        return None, None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.add(
            rel, 1, 1, "", "文章开头缺少信息头（两行 --- 之间的 title、writer 等）", FRONT_HINT
        )
        return None, None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        problems.add(rel, 1, 1, "", "信息头没有结束的 --- 行", "在信息头最后一项的下一行写 ---")
        return None, None
    if not any(line.strip() and not line.lstrip().startswith("#") for line in lines[1:end]):
        problems.add(rel, 1, 1, "", "信息头是空的", FRONT_HINT)
        return None, None
    # The opening line becomes blank, so the YAML parser counts lines as the file does.
    node = load_text("\n" + "\n".join(lines[1:end]), rel, problems)
    if node is None:
        return None, None
    converter = Converter(rel, problems, None)
    info = converter.obj(_lists(node), ChapterInfo, "")
    blocks = split_body(lines, end + 1, rel, problems)
    if info is INVALID:
        return None, None
    if info.publish:
        check_body(lines, end + 1, rel, problems)
    if not info.writer and "writer" not in converter.failed:
        problems.add(*info.loc.at("writer"), "writer", "至少写一位作者", "写成 writer: 作者姓名")
        return info, None
    return info, (None if blocks is None else Chapter(book, stem, info, blocks))


def _lists(node: Mapping) -> Mapping:
    """`writer: 张三` means a list of one: wrap such a scalar, keeping where it was written."""
    items = []
    for key, value in node.items:
        if key.text in LISTS and isinstance(value, Scalar) and not value.is_null:
            value = Sequence((value,), value.line, value.col, flow=True)
        items.append((key, value))
    return Mapping(tuple(items), node.line, node.col)


def split_body(
    lines: list[str], start: int, rel: str, problems: Problems
) -> tuple[Block, ...] | None:
    """The text after the front matter, split at images that stand on a line of their own."""
    blocks: list[Block] = []
    current: list[str] = []
    fenced, ok = False, True
    for number, line in enumerate(lines[start:], start + 1):
        if bad := chars.bad_char(line, multiline=True):
            problems.add(rel, number, bad.start() + 1, "正文", chars.describe(bad[0]), chars.HINT)
            ok = False
        if FENCE.match(line):
            fenced = not fenced
        image = None if fenced else IMAGE_LINE.match(line.strip())
        if image:
            blocks += ["\n".join(current)] if "\n".join(current).strip() else []
            col = line.index("](") + 3  # where the file name starts
            blocks.append(Illustration(image["file"], image["alt"].strip(), number, col))
            current = []
            continue
        inline = None if fenced else IMAGE_ANYWHERE.search(CODE_SPAN.sub(_blank, line))
        if inline:
            problems.add(
                rel,
                number,
                inline.start() + 1,
                "正文",
                "图片要单独写成一段",
                "把 ![说明](文件名) 单独放一行，前后各空一行",
            )
            ok = False
        current.append(line)
    if "\n".join(current).strip():
        blocks.append("\n".join(current))
    if not any(isinstance(b, str) for b in blocks):
        problems.add(rel, max(start, 1), 1, "正文", "文章正文是空的", "在第二个 --- 下面写正文")
        return None
    # Links are checked on the whole text, so reference definitions count; illustrations
    # (and inline images, refused above) are left out.
    for p in link_problems("\n" * start + "\n".join(lines[start:]), images=False):
        problems.add(rel, p.line, p.col, "正文", p.message, p.hint)
        ok = False
    return tuple(blocks) if ok else None


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def check_chapter(
    chapter: Chapter, workers: dict[str, Worker], root: Path, problems: Problems, *, public: bool
) -> bool:
    """Workers it is about must exist (and be published, if it is); its images must be
    safe files."""
    ok = check_workers(chapter.info, workers, problems, public=public)
    for image in chapter.images:
        where = (chapter.path, image.line, image.col)
        ok &= media_check(root, chapter.book, image.file, where, "正文图片", problems)
    return ok


def check_workers(
    info: ChapterInfo, workers: dict[str, Worker], problems: Problems, *, public: bool
) -> bool:
    """public: the chapter and its book are published. A draft may be about a draft
    worker (the drafts preview shows both); a published chapter only about published ones."""
    ok = True
    for i, slug in enumerate(info.workers):
        worker = workers.get(slug)
        if worker is None or (public and not worker.publish):
            message = f"找不到劳模「{slug}」" if worker is None else f"劳模「{slug}」的档案没有公开"
            hint = (
                slug_hint(slug, workers, "workers")
                if worker is None
                else "先公开档案（publish: true），或删掉这一项"
            )
            problems.add(*info.loc.at(f"workers[{i}]"), f"workers[{i}]", message, hint)
            ok = False
    return ok


def media_check(
    root: Path, book: str, name: str, where: tuple[str, int, int], field: str, problems: Problems
) -> bool:
    problem = media_problem(root / BOOKS_DIR / book, name, shown=f"{BOOKS_DIR}/{book}")
    if problem is None:
        return True
    problems.add(*where, field, *problem)
    return False


def check_order(chapters: list[Chapter], problems: Problems) -> None:
    seen: dict[int, Chapter] = {}
    for chapter in chapters:
        order = chapter.info.order
        if order is None:
            continue
        if order in seen:
            first = seen[order].stem + ".md"
            problems.add(
                *chapter.info.loc.at("order"),
                "order",
                f"顺序 {order} 与 {first} 重复",
                "每篇文章的 order 要不同；或都不写，按文件名排序",
            )
        seen.setdefault(order, chapter)


def new_chapter(root: Path, book: str, workers: tuple[str, ...], stem: str | None) -> Path:
    """Scaffold a chapter from the template; raise ValueError (Chinese) when it cannot."""
    if not SLUG_RE.match(book):
        raise ValueError(f"「{book}」不是书的文件夹名：{SLUG_HINT}")
    for slug in workers:
        if not SLUG_RE.match(slug):
            raise ValueError(f"「{slug}」不是劳模的文件夹名：{SLUG_HINT}")
    folder = root / BOOKS_DIR / book
    if not (folder / BOOK_FILE).is_file():
        raise ValueError(f"找不到书「{book}」：先运行 showcase new book {book}")
    for slug in workers:
        if not (root / "workers" / slug).is_dir():
            raise ValueError(f"找不到劳模「{slug}」：应是 workers/ 下已有的文件夹名")
    if stem is None:
        numbers = [int(m[1]) for p in folder.glob("*.md") if (m := re.match(r"(\d+)-", p.name))]
        stem = f"{max(numbers, default=0) + 1:02d}-{workers[0] if workers else 'chapter'}"
    if not STEM_RE.match(stem):
        raise ValueError(f"「{stem}」不能用作文件名：只用小写英文字母、数字和连字符")
    target = folder / f"{stem}.md"
    if target.exists():
        raise ValueError(f"{target.relative_to(root).as_posix()} 已存在")
    template = resources.files("showcase.templates").joinpath("chapter.md").read_text("utf-8")
    target.write_text(template.replace("WORKERS", ", ".join(workers)), "utf-8")
    return target
