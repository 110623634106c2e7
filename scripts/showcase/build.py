"""The pipeline: load → validate → model → render → guard → write. Nothing is written
unless every file is valid, so a failed run leaves the previous output intact."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from showcase import memo, privacy, sitefiles
from showcase.artifact import Artifact
from showcase.bookload import load_library
from showcase.books import Library
from showcase.exhibition import Exhibition
from showcase.folders import DOCS_DIR, DRAFTS_MARK, KIOSK_DOCS, SEARCH_DIR, SIDECAR
from showcase.hallload import load_halls
from showcase.halls import Halls
from showcase.load import Loaded, load_all
from showcase.media import CACHE_DIR, MediaIndex, Ref, image_refs, process, video_refs
from showcase.pdf import make_pdfs
from showcase.problems import Problems
from showcase.render import qr
from showcase.render.boards import all_boards, board_paths
from showcase.render.books import search_words
from showcase.render.paths import file_urls
from showcase.render.share import card_jobs, card_texts, page_meta
from showcase.render.site import kiosk_files, render_all
from showcase.search_words import jieba_dictionary
from showcase.validate import ENTRANCE, media_problem, validate
from showcase.walk import forget_walked
from showcase.write import WriteReport, atomic_write, sync


@dataclass
class BuildResult:
    problems: Problems
    report: WriteReport | None = None
    exhibition: Exhibition | None = None
    media: MediaIndex | None = None
    library: Library | None = None
    loaded: Loaded | None = None  # for privacy.scan_folder on the built site
    guard: privacy.Guard | None = None  # the secrets it guarded, for the same scan


@dataclass
class Checked:
    problems: Problems
    loaded: Loaded
    library: Library
    media: MediaIndex
    halls: Halls = field(default_factory=Halls)


def check_all(
    root: Path, *, read_only: bool = False, drafts: bool = False, background: bool = False
) -> Checked:
    """Load, validate (profiles, then books) and check every referenced image (decoding
    only new ones). read_only (showcase check): write nothing, not even the media cache.
    drafts: the library and halls keep `publish: false` books, chapters and halls (the
    problems are the same either way). background: new share cards are drawn while the
    caller goes on, and it calls media.finish() (see media.process)."""
    problems = Problems()
    loaded = load_all(root, problems, cache=True, writable=not read_only)
    validate(root, loaded, problems)
    library, book_refs = load_library(root, loaded, problems, drafts=drafts)
    halls, hall_refs = load_halls(root, loaded, library, problems, drafts=drafts)
    refs = [
        ref
        for kind, entries in (("workers", loaded.workers), ("studios", loaded.studios))
        for entry in entries
        for ref in image_refs(entry, kind)
        if media_problem(root / ref.kind / ref.slug, ref.file) is None
    ]
    hero = loaded.settings.hero_image if loaded.settings else None
    if hero and media_problem(root / ENTRANCE, hero) is None:
        assert loaded.settings is not None
        where = loaded.settings.loc.at("hero_image")
        refs.append(Ref("content", "entrance", hero, "picture", "hero_image", where))
    refs += [
        ref
        for worker in loaded.workers
        for ref in video_refs(worker)
        if media_problem(root / "workers" / worker.slug, ref.file, video=True) is None
    ]
    cards = card_jobs(root, loaded, library, halls) if loaded.settings else None
    images = refs + book_refs + hall_refs
    media = process(root, images, problems, read_only=read_only, cards=cards, background=background)
    return Checked(problems, loaded, library, media, halls)


@dataclass
class Inspected:
    """Everything a build would write, held in memory, and every problem found on the way."""

    checked: Checked
    exhibition: Exhibition | None = None
    artifacts: list[Artifact] = field(default_factory=list)
    words: bytes = b""
    share: bytes = b""  # build/share.json: every page's share preview, for the MkDocs hook
    guard: privacy.Guard | None = None

    @property
    def problems(self) -> Problems:
        return self.checked.problems


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the generator runs, on again after (as it was).

    A run builds hundreds of thousands of long-lived objects (the model, the memo, every
    page's context) and almost no cyclic garbage: 109 objects left for the collector after
    a one-edit build of 5,000 workers. Each full pass of the collector walks all the live
    ones, and the growing heap set off seven of them: 2.1 s of a 10.5 s build, the same
    peak memory without them (bench: one edit, 5,000 workers, 10.5 s → 7.5 s). Reference
    counting still frees everything else as it goes."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def inspect(root: Path, *, read_only: bool = False, drafts: bool = False) -> Inspected:
    """Load, validate, render in memory and guard. With read_only (`showcase check`)
    nothing at all is written, not even the media cache, and the problems reported are
    exactly those `showcase build` would refuse. drafts (the `showcase serve --drafts`
    preview only) includes `publish: false` workers, studios, books, chapters and halls,
    bannered."""
    with collector_paused():
        return _inspect(root, read_only=read_only, drafts=drafts)


def _inspect(root: Path, *, read_only: bool, drafts: bool) -> Inspected:
    memo.memo().start(root)
    forget_walked()
    # new share cards are drawn on the other cores while this one renders and guards the
    # pages (a first build of 5,000 workers draws 6,000, 5 ms each)
    checked = check_all(root, read_only=read_only, drafts=drafts, background=True)
    try:
        return _render(root, checked, read_only=read_only, drafts=drafts)
    finally:
        checked.media.finish()  # before anything reads a card file (sync links them)


def _render(root: Path, checked: Checked, *, read_only: bool, drafts: bool) -> Inspected:
    if checked.problems:
        if checked.loaded.settings is not None:
            privacy.check_sources(root, checked.loaded, checked.library, checked.problems)
        return Inspected(checked)
    ex = Exhibition.from_loaded(checked.loaded, checked.media, drafts=drafts)
    qr.load_cache(root)
    if not drafts:
        memo.memo().publishing_from_here()
    artifacts = render_all(root, ex, checked.library, checked.halls)
    if ex.settings.boards and not read_only:  # `showcase check` makes no PDF (it writes nothing)
        artifacts = sorted(artifacts + site_boards(root, ex, checked), key=lambda a: a.path)
    words = jieba_dictionary(ex) + search_words(checked.library)
    settings = ex.settings  # the MkDocs hook puts these into every page's head and footer
    theme = "\n".join((settings.site_title, settings.site_description, settings.association))
    pages = [a for a in artifacts if a.path.endswith(".md")]
    share = page_meta(ex, checked.library, checked.halls, pages)
    extra = [
        Artifact(f"{SEARCH_DIR}/jieba_user.txt", words),
        Artifact("theme/site-settings.txt", theme.encode()),
        Artifact(SIDECAR.as_posix(), share),
        Artifact("share/cards.txt", card_texts(ex, checked.library, checked.halls).encode()),
    ]
    # what the other builds add to the docs tree, for the clash check (the same in each)
    planned = kiosk_files()  # the kiosk's tree holds them too
    if ex.settings.boards and read_only:  # `showcase check` makes no PDF, `site` does
        planned += [Artifact(path, b"") for path in board_paths(ex, checked.halls)]
    found = guard(root, checked, artifacts, extra, planned)
    return Inspected(checked, ex, artifacts, words, share, found)


def build(
    root: Path,
    docs_dir: Path | None = None,
    *,
    drafts: bool = False,
    kiosk: bool = False,
    save_memo: bool = True,
) -> BuildResult:
    """drafts: only for the preview (`showcase serve --drafts`); `showcase build` and
    `showcase site` never pass it, and their build removes the drafts mark.
    kiosk: the offline kiosk's own docs tree (build/kiosk-docs, never drafts), whose links
    name page files (`use_directory_urls: false`, for file://).
    save_memo: False when the caller saves it later (`showcase site`, after its privacy
    guard on the built site has remembered what it found clean too)."""
    with collector_paused():
        return _build(root, docs_dir, drafts=drafts, kiosk=kiosk, save_memo=save_memo)


def _build(
    root: Path, docs_dir: Path | None, *, drafts: bool, kiosk: bool, save_memo: bool
) -> BuildResult:
    with file_urls() if kiosk else nullcontext():
        inspected = inspect(root, drafts=drafts and not kiosk)
    checked, problems = inspected.checked, inspected.problems
    if problems:
        return BuildResult(problems, media=checked.media, loaded=checked.loaded)
    target = root / (docs_dir or (KIOSK_DOCS if kiosk else DOCS_DIR))
    mark = root / DRAFTS_MARK  # says what build/docs holds, not another tree
    if drafts and not kiosk:  # marked before the tree holds drafts, unmarked only after
        atomic_write(mark, b"showcase serve --drafts\n")
    files = inspected.artifacts + (kiosk_files() if kiosk else [])
    report = sync(target, files, link_from=root / CACHE_DIR)
    sync(root / SEARCH_DIR, [Artifact("jieba_user.txt", inspected.words)])
    if not drafts:  # a drafts preview's addresses stay out of build/ files
        qr.save_cache(root)
    sidecar = root / SIDECAR
    if not sidecar.is_file() or sidecar.read_bytes() != inspected.share:
        atomic_write(sidecar, inspected.share)
    if not drafts and target == root / DOCS_DIR:
        mark.unlink(missing_ok=True)
        if save_memo:
            memo.memo().save(root)  # what this build published, for the next run
    return BuildResult(
        problems,
        report,
        inspected.exhibition,
        checked.media,
        checked.library,
        checked.loaded,
        inspected.guard,
    )


def site_boards(root: Path, ex: Exhibition, checked: Checked) -> list[Artifact]:
    """The printable boards the site offers as downloads (`boards: true`)."""
    boards = all_boards(root, ex, checked.library, checked.halls)
    return make_pdfs(root, boards, prune=True).artifacts


def guard(
    root: Path,
    checked: Checked,
    artifacts: list[Artifact],
    extra: list[Artifact],
    planned: Sequence[Artifact] = (),
) -> privacy.Guard:
    """Refuse two outputs that make one site file (`planned`: the files another build adds
    to the docs tree, checked for that alone), and any private value that reached an
    output (located at the source that holds it: see privacy.py); the privacy guard it
    used."""
    one_file_each(root, [*artifacts, *planned], checked.problems)
    return privacy.check_artifacts(
        root, checked.loaded, checked.library, artifacts + extra, checked.problems
    )


def one_file_each(root: Path, artifacts: list[Artifact], problems: Problems) -> None:
    """Every output must become a site file of its own. Two that become one (a hand-written
    `content/foo.md` beside `content/foo/index.md` or beside a generated page, or a file
    named like one MkDocs or Pagefind writes itself, such as `content/404.html`) would
    leave only one of them on the site, silently; a file where another needs a folder
    (`content/guide` beside `content/guide.md`) fails the build. Each such clash is
    reported at the hand-written file, with what to do."""
    content = root / "content"

    def shown(a: Artifact) -> str:  # a hand-written file as the editor finds it
        hand = a.source is not None and a.source.is_relative_to(content)
        return a.source.relative_to(root).as_posix() if hand and a.source else ""

    for site, which, by in sitefiles.clashes([a.path for a in artifacts]):
        hand = [shown(artifacts[i]) for i in which if shown(artifacts[i])]
        generated = [artifacts[i].path for i in which if not shown(artifacts[i])]
        where = hand[0] if hand else generated[0]
        problems.add(where, 1, 1, "", *clash_message(site, hand, generated, by))


def clash_message(site: str, hand: list[str], generated: list[str], by: str) -> tuple[str, str]:
    """What an editor reads about one clash (sitefiles.Clash), and what to do."""
    place = site.removesuffix("/")
    readme = any(h.rpartition("/")[2].startswith("README.") for h in hand)
    note = "（MkDocs 把 README.md 当作 index.md）" if readme else ""
    if len(hand) > 1 and len(set(hand)) == len(hand) and len(set(map(sitefiles.folded, hand))) < 2:
        note += "（文件名只差大小写或字符的写法：在 U 盘等地方，展台版会把它们当成同一个文件）"
    if site.endswith("/"):  # one needs it as a file, another as a folder
        if len(hand) > 1:
            return (
                f"{'、'.join(hand)} 要在网站上占同一个位置 {place}（一个作文件，一个作文件夹），"
                f"网站生成会失败{note}",
                "删除或改名其中一个",
            )
        if hand and by:
            return (
                f"网站上的 {place} 是 {by} 每次构建自己用的名字，手写文件不能占用它{note}",
                "给手写文件或文件夹换一个名字",
            )
        if hand:
            kind = "文件" if place in generated else "文件夹"
            return (
                f"与自动生成的{kind} {place} 要在网站上占同一个位置，网站生成会失败{note}",
                "给手写文件或文件夹换一个名字",
            )
        return (
            f"{'、'.join(generated)} 要在网站上占同一个位置 {place}",
            "这是生成器的错误，请报告",
        )
    page = site.endswith(".html")
    label = (
        ("首页" if site == "index.html" else f"网页 {site.removesuffix('index.html')}")
        if page
        else f"文件 {site}"
    )
    if len(hand) > 1:
        return (
            f"{'、'.join(hand)} 会生成同一个{label}{note}，网站上只会留下其中一个",
            "删除或改名其中一个",
        )
    if hand and by == sitefiles.PAGEFIND:
        return (
            f"会放进网站的 {sitefiles.SEARCH_FOLDER}/ 文件夹，但 {sitefiles.SEARCH_FOLDER}/ "
            "是站内搜索每次发布自己写的文件夹，手写的文件会被覆盖或破坏发布",
            "给它换一个名字或位置",
        )
    if hand and by:
        return (
            f"{site} 是 {by} 每次构建自己写的文件，手写的会被覆盖{note}",
            "给这个文件换一个名字",
        )
    if hand:
        home = site == "index.html"  # content/README.md: the home page's intro is index.md
        return (
            f"与自动生成的{label}{'' if home else ' '}重名{note}，手写的会被覆盖",
            "首页的介绍写在 content/index.md；别的内容请给手写页面换一个名字"
            if home
            else f"给手写{'页面' if page else '文件'}换一个名字",
        )
    return (f"{'、'.join(generated)} 会生成同一个{label}", "这是生成器的错误，请报告")
