"""Load and check the halls: `content/halls/<slug>/hall.yml` against the loaded workers,
studios and books. Every problem is located at the curator's line and column."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from showcase.bookload import BOOK_FILE
from showcase.books import BOOKS_DIR, Library
from showcase.fields import SLUG_HINT, SLUG_RE
from showcase.halls import HALLS_DIR, KINDS, Hall, HallItem, Halls
from showcase.load import Loaded, load_object
from showcase.media import Ref
from showcase.problems import Problems
from showcase.tree import folders, not_regular
from showcase.unfilled import check_unfilled
from showcase.validate import check_links, closest_slug, media_problem, slug_hint

HALL_FILE = "hall.yml"
ORDER_LINE = re.compile(r"^order:\s*(\d+)", re.M)


def load_halls(
    root: Path, loaded: Loaded, library: Library, problems: Problems, *, drafts: bool = False
) -> tuple[Halls, list[Ref]]:
    """Check every hall; return the published ones in `order` and their cover images.
    drafts (the `showcase serve --drafts` preview only): `publish: false` halls too; the
    problems found are the same either way."""
    if loaded.settings is None:
        return Halls(), []
    found: list[Hall] = []
    refs: list[Ref] = []
    for folder in folders(root / HALLS_DIR):  # symlinks: reported by the tree check
        hall = load_hall(root, folder, loaded, problems)
        if hall is None:
            continue
        check_links(hall, problems)
        check_unfilled(hall, problems)
        check_exhibits(root, hall, loaded, library, problems)
        if hall.cover:
            where = hall.loc.at("cover")
            problem = media_problem(root / HALLS_DIR / hall.slug, hall.cover)
            if problem:
                problems.add(*where, "cover", *problem)
            else:
                refs.append(Ref(HALLS_DIR, hall.slug, hall.cover, "picture", "cover", where))
        elif "cover" not in hall.loc.fields:
            problems.add(
                *hall.loc.at("title"),
                "cover",
                "这个展厅还没有封面，网站上先用示意封面",
                "把封面图片放进本文件夹，添加 cover: cover.jpg",
                warning=True,
            )
        found.append(hall)
    check_order(found, problems)
    published = sorted((h for h in found if h.publish or drafts), key=lambda h: (h.order, h.slug))
    return Halls(tuple(published)), refs


def load_hall(root: Path, folder: Path, loaded: Loaded, problems: Problems) -> Hall | None:
    rel = f"{HALLS_DIR}/{folder.name}/{HALL_FILE}"
    if not SLUG_RE.match(folder.name):
        problems.add(rel, 1, 1, "", f"文件夹名「{folder.name}」不能用作网址", SLUG_HINT)
        return None
    target = folder / HALL_FILE
    if not_regular(target) and (target.is_symlink() or not target.is_dir()):
        return None  # a symlink or a special file: reported by the tree check
    if not target.is_file():
        hint = f"运行 showcase new hall {folder.name} 从模板创建"
        problems.add(rel, 1, 1, "", f"文件夹 {HALLS_DIR}/{folder.name} 中缺少 {HALL_FILE}", hint)
        return None
    return load_object(root, rel, Hall, problems, loaded.settings, slug=folder.name)


def places(hall: Hall) -> list[tuple[str, HallItem]]:
    """Every exhibit with its field path, in visiting order."""
    out = [(f"items[{i}]", item) for i, item in enumerate(hall.items)]
    for j, section in enumerate(hall.sections):
        out += [(f"sections[{j}].items[{i}]", item) for i, item in enumerate(section.items)]
    return out


def check_exhibits(
    root: Path, hall: Hall, loaded: Loaded, library: Library, problems: Problems
) -> None:
    """Exactly one kind key per exhibit; each a page of the site (a published one, unless
    the hall is a draft: the drafts preview shows drafts together); none listed twice."""
    workers = {w.slug: w for w in loaded.workers}
    studios = {s.slug: s for s in loaded.studios}
    seen: dict[tuple[str, str], str] = {}
    for name, item in places(hall):
        # The keys written, even those whose value failed (already reported).
        written = [k for k in KINDS if k in item.loc.fields]
        if not written:
            problems.add(
                item.loc.path,
                item.loc.line,
                item.loc.col,
                name,
                "这一项没有写展品",
                "写 worker: 劳模文件夹名、studio: 工作室文件夹名 或 chapter: 书/文章 中的一个",
            )
            continue
        if len(written) > 1:
            problems.add(
                *item.loc.at(written[1]),
                name,
                f"一项只能写 worker、studio、chapter 中的一个（这里写了 {' 和 '.join(written)}）",
                "每件展品单独写一项，以「- 」开头",
            )
            continue
        kind = written[0]
        target = getattr(item, kind)
        if target is None:
            continue  # its value failed to convert: reported
        where = item.loc.at(kind)
        field = f"{name}.{kind}"
        if kind == "worker":
            problem = _entry_problem(target, workers, "劳模", "workers", "的档案", hall.publish)
        elif kind == "studio":
            problem = _entry_problem(target, studios, "工作室", "studios", "", hall.publish)
        else:
            problem = _chapter_problem(root, target, library, hall.publish)
        if problem:
            problems.add(*where, field, *problem)
            continue
        if (kind, target) in seen:
            problems.add(
                *where,
                field,
                f"展品重复：与 {seen[kind, target]} 相同",
                "同一展厅中每件展品只列一次，删掉这一项",
            )
        seen.setdefault((kind, target), name)
    if not hall.exhibits and not ({"items", "sections"} & hall.loc.fields.keys()):
        problems.add(
            hall.loc.path,
            hall.loc.line,
            hall.loc.col,
            "items",
            "展厅里还没有展品",
            "在 items: 下列出展品，每项写 worker、studio 或 chapter",
        )


def _entry_problem(
    slug: str, known: dict[str, object], what: str, folder: str, suffix: str, public: bool
) -> tuple[str, str] | None:
    entry = known.get(slug)
    if entry is None:
        return f"找不到{what}「{slug}」", slug_hint(slug, known, folder)
    if public and not getattr(entry, "publish", True):
        return f"{what}「{slug}」{suffix}没有公开", "先公开（publish: true），或删掉这一项"
    return None


def _chapter_problem(
    root: Path, target: str, library: Library, public: bool
) -> tuple[str, str] | None:
    book, stem = target.split("/", 1)
    if target in library.unpublished and public:
        return (
            f"文章「{target}」没有公开",
            "先公开这篇文章和它所在的书（publish: true），或删掉这一项",
        )
    if target in library.unpublished or any(c.stem == stem for c in library.chapters.get(book, ())):
        return None
    books = root / BOOKS_DIR
    if (books / book / f"{stem}.md").is_file():
        return None  # the chapter or its book has problems of its own, reported there
    if not (books / book / BOOK_FILE).is_file():
        known = [f.name for f in folders(books) if (f / BOOK_FILE).is_file()]
        return f"找不到书「{book}」", slug_hint(book, known, BOOKS_DIR)
    stems = [p.stem for p in sorted((books / book).glob("*.md"))]
    found = closest_slug(stem, stems)
    if found:
        return f"找不到文章「{target}」", f"是否指「{book}/{found}」？"
    return f"找不到文章「{target}」", f"应是 {BOOKS_DIR}/{book}/ 下的文章文件名（不带 .md）"


def check_order(halls: list[Hall], problems: Problems) -> None:
    seen: dict[int, Hall] = {}
    for hall in halls:
        if hall.order < 1:
            continue  # failed to convert: reported
        if hall.order in seen:
            problems.add(
                *hall.loc.at("order"),
                "order",
                f"顺序 {hall.order} 与展厅 {seen[hall.order].slug} 重复",
                "每个展厅的 order 要不同",
            )
        seen.setdefault(hall.order, hall)


def new_hall(root: Path, slug: str) -> Path:
    """Scaffold a hall from the template, numbered after the existing ones; raise ValueError
    (Chinese) when it cannot."""
    if not SLUG_RE.match(slug):
        raise ValueError(f"「{slug}」不能用作文件夹名：{SLUG_HINT}")
    target = root / HALLS_DIR / slug / HALL_FILE
    if target.exists():
        raise ValueError(f"{target.relative_to(root).as_posix()} 已存在")
    orders = [0]
    for folder in folders(root / HALLS_DIR):
        path = folder / HALL_FILE
        if path.is_file() and not path.is_symlink():
            orders += [int(m[1]) for m in ORDER_LINE.finditer(path.read_text("utf-8"))]
    template = resources.files("showcase.templates").joinpath(HALL_FILE).read_text("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.replace("ORDER", str(max(orders) + 1)), "utf-8")
    return target
