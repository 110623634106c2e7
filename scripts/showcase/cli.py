"""Command line: showcase check | build | site | kiosk | serve | new | schema.

Exit 0 fine, 1 content problems, 2 usage or environment (another build running,
permissions, disk full…: a Chinese line, never a traceback)."""

from __future__ import annotations

import atexit
import contextlib
import errno
import functools
import os
import socket
import sys
import threading
from importlib import resources
from pathlib import Path
from typing import NoReturn

import click

from showcase import envproblems, privacy
from showcase.bookload import new_chapter
from showcase.build import DOCS_DIR, KIOSK_DOCS, BuildResult, build, check_all, inspect
from showcase.fields import SLUG_HINT, SLUG_RE
from showcase.fonts import MissingFont
from showcase.hallload import new_hall
from showcase.lock import LockHeld, build_lock
from showcase.media import MediaIndex
from showcase.pdf import MissingPango
from showcase.pinyin import suggest_slug
from showcase.problems import Problems
from showcase.schema import write_schemas

ROOT = click.Path(file_okay=False, exists=True, path_type=Path)
TEMPLATES = {
    "worker": ("workers", "profile.yml"),
    "studio": ("studios", "studio.yml"),
    "book": ("content/books", "book.yml"),
}


def report(problems: Problems, outcome: str = "网站没有更新") -> None:
    text = problems.report()
    if text:
        click.echo(text, err=True)
    if problems:
        click.echo(f"共 {len(problems.errors)} 个错误：{outcome}，请修改后重试。", err=True)
        sys.exit(1)


def refuse(message: str) -> NoReturn:
    """A command used the wrong way: one Chinese line (no English usage text), exit 2."""
    click.echo(f"无法执行：{message}", err=True)
    sys.exit(2)


def notes(media: MediaIndex | None) -> None:
    for note in media.notes if media else ():
        click.echo(f"注意：{note}", err=True)


class Guarded(click.Group):
    """Every command: an environment failure is one Chinese line and exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (LockHeld, MissingFont, MissingPango) as err:
            click.echo(str(err), err=True)
            sys.exit(2)
        except OSError as err:
            if err.errno == errno.EPIPE:  # click handles a closed pipe itself
                raise
            root = ctx.obj if isinstance(ctx.obj, Path) else None
            click.echo(envproblems.describe(err, root), err=True)
            sys.exit(2)


def built(root: Path, *, save_memo: bool = True) -> BuildResult:
    """build(), reporting media notes and content problems (exit 1)."""
    result = build(root, save_memo=save_memo)
    notes(result.media)
    report(result.problems)
    return result


@click.group(cls=Guarded)
@click.option("--root", type=ROOT, default=Path("."), help="仓库根目录（默认当前目录）")
@click.option("-v", "--verbose", is_flag=True, help="显示 MkDocs 和分词工具的全部输出")
@click.pass_context
def main(ctx: click.Context, root: Path, verbose: bool) -> None:
    """劳模工匠云展：检查档案、生成网站。"""
    ctx.obj = root.resolve()
    # Read by the MkDocs hook, in `showcase site`'s mkdocs subprocess too.
    os.environ["SHOWCASE_VERBOSE" if verbose else "SHOWCASE_QUIET"] = "1"


@main.command("check")
@click.pass_obj
def check_cmd(root: Path) -> None:
    """检查全部档案，一次列出所有问题（与生成网站时的检查相同，但不写任何文件）。"""
    inspected = inspect(root, read_only=True)
    notes(inspected.checked.media)
    report(inspected.problems, "没有写入任何文件")
    loaded, library = inspected.checked.loaded, inspected.checked.library
    chapters = sum(len(library.of(b)) for b in library.books)
    halls = len(inspected.checked.halls.halls)
    click.echo(
        f"检查通过：{len(loaded.workers)} 份劳模档案，{len(loaded.studios)} 份工作室档案，"
        f"{len(library.books)} 本公开的书（{chapters} 篇文章），{halls} 个公开的展厅。"
    )


@main.command("build")
@click.pass_obj
def build_cmd(root: Path) -> None:
    """检查并生成 Markdown 页面（build/docs）。"""
    with build_lock(root):
        result = built(root)
    assert result.report is not None
    click.echo(f"生成完成：{result.report.summary()}。")


@main.command("site")
@click.pass_obj
def site_cmd(root: Path) -> None:
    """生成页面并用 MkDocs 构建网站到 site/；失败时保留旧网站。没有改动时什么也不做，
    改动少时只重新生成改过的页面。"""
    from showcase.sitepublish import publish_site

    with build_lock(root):
        run = publish_site(root, functools.partial(built, save_memo=False), click.echo)
    if run.failure:
        click.echo(run.failure, err=True)
        sys.exit(1)
    if run.noop:
        return
    click.echo(
        f"网站已生成：{root / 'site'}（预览：python3 -m http.server -d site，或运行 make serve）"
    )


@main.command("kiosk")
@click.pass_obj
def kiosk_cmd(root: Path) -> None:
    """生成离线展台：build/kiosk/ 文件夹和 build/kiosk.zip，拷到 U 盘后双击 index.html
    即可参观（不需要网络，也不需要服务器；搜索可用）。"""
    from showcase.kiosk import KIOSK_DIR, KIOSK_ZIP, make_kiosk, size_of

    with build_lock(root):
        result = build(root, kiosk=True)
        notes(result.media)
        report(result.problems, "离线展台没有更新")

        def scan(fresh: Path) -> list[str]:
            found = privacy.scan_folder(root, fresh, result.loaded, result.library)
            return [p.format() for p in found.errors]

        failure = make_kiosk(root, root / KIOSK_DOCS, scan)
    if failure:
        click.echo(failure, err=True)
        sys.exit(1)
    folder, archive = root / KIOSK_DIR, root / KIOSK_ZIP
    mb = 1024 * 1024
    click.echo(
        f"离线展台已生成：{folder}（{size_of(folder) / mb:.1f} MB），"
        f"压缩包 {archive}（{archive.stat().st_size / mb:.1f} MB）。"
        "把文件夹（或解压后的压缩包）拷到 U 盘，用浏览器打开其中的 index.html。"
    )


@main.command("boards")
@click.option("--worker", help="只生成这位劳模的展板（workers/ 下的文件夹名）")
@click.option("--studio", help="只生成这个工作室的展板（studios/ 下的文件夹名）")
@click.option("--hall", help="只生成这个展厅的展板（content/halls/ 下的文件夹名）")
@click.pass_obj
def boards_cmd(root: Path, worker: str | None, studio: str | None, hall: str | None) -> None:
    """生成可打印的展板 PDF 到 build/boards/：每位劳模、每个工作室一张 A4，每个展厅一张 A3。"""
    from showcase.boardrun import make_boards

    chosen = [
        (kind, slug)
        for kind, slug in (("worker", worker), ("studio", studio), ("hall", hall))
        if slug
    ]
    if len(chosen) > 1:
        refuse("--worker、--studio、--hall 一次只能写一个；都不写则生成全部展板")
    with build_lock(root):
        done = make_boards(root, chosen[0] if chosen else None)
    notes(done.media)
    report(done.problems, "没有写入展板")
    if done.refused:
        refuse(done.refused)
    cached = done.count - done.rendered
    click.echo(
        f"展板已生成：{done.count} 张，在 {done.folder}"
        + (f"（其中 {cached} 张内容未变，取自缓存）。" if cached else "。")
    )


@main.command("serve")
@click.option(
    "--drafts",
    is_flag=True,
    help="预览里也显示 publish: false 的劳模和工作室（页面上有「草稿 · 未公开」）；正式网站从不包含",
)
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="预览地址")
@click.pass_obj
def serve_cmd(root: Path, drafts: bool, addr: str) -> None:
    """预览（同 make serve）：生成页面，再运行 mkdocs serve；保存档案后页面自动更新，
    有错误时页面上列出问题。"""
    host, _, port = addr.rpartition(":")
    with socket.socket() as probe:  # a port in use is a message, not MkDocs' traceback
        try:
            probe.bind((host or "127.0.0.1", int(port)))
        except (OSError, ValueError):
            click.echo(
                f"预览地址 {addr} 已被占用或写法不对：可能另一个预览还开着。"
                "关掉它，或换一个端口：make serve ADDR=127.0.0.1:8001",
                err=True,
            )
            sys.exit(2)
    with build_lock(root):
        result = build(root, drafts=drafts)
    notes(result.media)
    report(result.problems)
    env = {**os.environ, "SHOWCASE_DRAFTS": "1" if drafts else "0", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SHOWCASE_QUIET", None)  # keep MkDocs' "Serving on …" line
    # --dirty: only pages whose Markdown changed are re-rendered (the hook covers the rest)
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "-a", addr]
    os.chdir(root)
    sys.stdout.flush()
    sys.stderr.flush()
    # becomes mkdocs serve: Ctrl-C and signals reach it directly, no child is left behind
    os.execve(sys.executable, cmd, env)


@main.command("new")
@click.argument("kind", type=click.Choice(sorted([*TEMPLATES, "chapter", "hall"])))
@click.argument("slug", required=False)
@click.option("--book", help="chapter：文章所属的书（content/books 下的文件夹名）")
@click.option("--worker", "workers", multiple=True, help="chapter：文章写的劳模，可写几次")
@click.pass_obj
def new_cmd(
    root: Path, kind: str, slug: str | None, book: str | None, workers: tuple[str, ...]
) -> None:
    """从模板新建：showcase new worker zhang-san；showcase new book 书的文件夹名；
    showcase new chapter --book 书的文件夹名 --worker 劳模文件夹名；showcase new hall 展厅文件夹名"""
    if kind == "chapter":
        if not book:
            refuse("新建文章要写 --book 书的文件夹名")
        try:
            target = new_chapter(root, book, workers, slug)
        except ValueError as err:
            refuse(str(err))
        click.echo(f"已创建 {target.relative_to(root).as_posix()}：写好后运行 make check 检查。")
        return
    if slug is None:
        refuse(f"缺少文件夹名：showcase new {kind} 文件夹名")
    if kind == "hall":
        try:
            target = new_hall(root, slug)
        except ValueError as err:
            refuse(str(err) + _instead(root, kind, slug))
        click.echo(f"已创建 {target.relative_to(root).as_posix()}：填写后运行 make check 检查。")
        return
    folder_name, filename = TEMPLATES[kind]
    if not SLUG_RE.match(slug):
        refuse(f"「{slug}」不能用作文件夹名：{SLUG_HINT}" + _instead(root, kind, slug))
    target = root / folder_name / slug / filename
    if target.exists():
        other = _instead(root, kind, slug, "要新建另一份（如同名的另一个人）时")
        refuse(f"{target.relative_to(root)} 已存在" + other)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(resources.files("showcase.templates").joinpath(filename).read_bytes())
    click.echo(f"已创建 {target.relative_to(root)}：填写后运行 make check 检查。")


def _instead(root: Path, kind: str, slug: str, when: str = "") -> str:
    """（提示：…） naming a folder name that would do: the pinyin of a Chinese name, and
    the next free one when that folder exists."""
    folder = {**{k: v[0] for k, v in TEMPLATES.items()}, "hall": "content/halls"}[kind]
    meant = suggest_slug(slug, lambda s: (root / folder / s).exists())
    return f"（提示：{when}可以写 showcase new {kind} {meant}）" if meant and meant != slug else ""


@main.command("schema")
@click.pass_obj
def schema_cmd(root: Path) -> None:
    """从模型重新生成 schemas/*.json（编辑器的自动补全）。"""
    checked = check_all(root, read_only=True)
    problems, loaded = checked.problems, checked.loaded
    if loaded.settings is None:
        report(problems)
    changed = write_schemas(root, loaded.settings)
    click.echo("已更新：" + "、".join(changed) if changed else "schemas 已是最新。")


@main.command("report")
@click.option("--strict", is_flag=True, help="有待完善的内容时以状态 1 退出（用于持续集成）")
@click.pass_obj
def report_cmd(root: Path, strict: bool) -> None:
    """列出待完善的内容（缺肖像、缺年份、不在展厅里……），并写出网页版 build/report.html。"""
    from showcase.contentreport import run_report

    sys.exit(run_report(root, strict=strict))


@main.group("import")
def import_group() -> None:
    """从其他来源导入档案：showcase import roster 花名册.xlsx"""


@import_group.command("roster")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="工作表名称（默认第一个工作表）")
@click.option("--dry-run", is_flag=True, help="只列出将要做的改动，不写任何文件")
@click.option("--per-row", is_flag=True, help="有问题的行跳过，其余的行照常导入")
@click.pass_obj
def import_roster_cmd(
    root: Path, file: Path, sheet: str | None, dry_run: bool, per_row: bool
) -> None:
    """从花名册（Excel .xlsx 或 .csv）新建或更新劳模档案；一行一人。"""
    from showcase.roster import run_import

    sys.exit(run_import(root, file, sheet, dry_run=dry_run, per_row=per_row))


__all__ = ["DOCS_DIR", "main"]


def run() -> NoReturn:
    """The command line's entry point: `main`, then the process ends without freeing its
    objects one by one. A build of 5,000 workers holds millions of them (the model, the
    memo, every page's context); Python's own teardown took 1.3–1.5 s after the last line
    was printed, which the editor waited for (bench: `showcase site` after one edit).
    Exit handlers still run and both streams are flushed; an exception still ends the
    process the ordinary way, with its traceback, and so does a run that left a thread
    running (its work would be cut off) or one under a profiler or debugger (`python -m
    cProfile -o … -m showcase` writes its profile after this returns)."""
    try:
        main()
        code: int = 0
    except SystemExit as done:
        if isinstance(done.code, str):
            raise  # Python prints the message itself
        code = done.code or 0
    if threading.active_count() > 1 or sys.getprofile() or sys.gettrace():
        sys.exit(code)  # a profiler or debugger (cProfile, trace, pdb) reports after us
    atexit._run_exitfuncs()  # what an ordinary exit runs: logging, finalizers, pools
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with it closed (`>&-`): Python sets it to None
            continue
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
