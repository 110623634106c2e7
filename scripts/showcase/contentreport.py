"""`showcase report`: what in the exhibition still needs work, as advice.

Lists published entries that lack something a reader would miss (a portrait, a year, an
alt text, a leader, a hall, a studio…) and counts the workers by district and by honour
level; printed as a table in the terminal and written as an HTML page outside `site/`
(build/report.html). Nothing here refuses anything: that is `showcase check`'s job."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from showcase.build import Checked, check_all
from showcase.exhibition import Exhibition
from showcase.media import SMALL_PORTRAIT
from showcase.model import Studio, Worker
from showcase.write import atomic_write

REPORT_FILE = Path("build/report.html")
NONE = "（未填写）"


@dataclass(frozen=True)
class Row:
    where: str  # path:line, where to fix it
    name: str  # whose it is
    detail: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    hint: str  # what to do, in one line
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Tally:
    title: str
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ContentReport:
    sections: tuple[Section, ...]
    tallies: tuple[Tally, ...]
    totals: str  # one line: how many of each
    errors: int  # content problems `showcase check` reports

    @property
    def listed(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def _where(entry: Worker | Studio, key: str = "") -> str:
    path, line, _ = entry.loc.at(key) if key else (entry.loc.path, 1, 1)
    return f"{path}:{line}"


def build_report(checked: Checked) -> ContentReport:
    loaded, library = checked.loaded, checked.library
    assert loaded.settings is not None
    settings = loaded.settings
    ex = Exhibition.from_loaded(loaded, checked.media)
    workers, studios = ex.workers, ex.studios  # published, in display order

    def sections() -> list[Section]:
        no_portrait = [Row(_where(w), w.name) for w in workers if not w.portrait]
        no_basis = [
            Row(_where(w, "publish"), w.name) for w in workers if not w.consent and not w.sources
        ]
        no_year = [
            Row(f"{h.loc.path}:{h.loc.line}", w.name, h.title)
            for w in workers
            for h in w.honors
            if h.year is None
        ]
        small = []
        for w in workers:
            result = w.portrait and checked.media.get(f"workers/{w.slug}/{w.portrait}", "portrait")
            if result and 0 < result.width < SMALL_PORTRAIT:
                small.append(
                    Row(_where(w, "portrait"), w.name, f"{w.portrait}：{result.width} 像素宽")
                )
        no_alt = [
            Row(f"{p.loc.path}:{p.loc.line}", e.name, p.file)
            for e in (*workers, *studios)
            for p in e.gallery
            if not p.alt
        ]
        no_leader = [Row(_where(s), s.name) for s in studios if not s.leader]
        shown = {(kind, getattr(i, kind)) for h in checked.halls.halls for i in h.exhibits for kind in ("worker", "studio") if getattr(i, kind)}  # fmt: skip
        no_hall = [
            Row(_where(w), w.name, "劳模") for w in workers if ("worker", w.slug) not in shown
        ]
        no_hall += [
            Row(_where(s), s.name, "工作室") for s in studios if ("studio", s.slug) not in shown
        ]
        no_studio = [Row(_where(w), w.name) for w in workers if not ex.studios_of(w)]
        no_workers = [
            Row(f"{c.path}:1", c.info.title, book.title)
            for book in library.books
            for c in library.of(book)
            if not c.info.workers
        ]
        return [
            Section("公开的档案没有肖像", "把照片放进档案文件夹，写 portrait: 文件名", tuple(no_portrait)),
            Section("公开的档案没有公开依据", "写 consent（本人书面同意）或 sources（公开出处）", tuple(no_basis)),
            Section("荣誉没有年份", "在这项荣誉下写 year: 获得年份", tuple(no_year)),
            Section(f"肖像不到 {SMALL_PORTRAIT} 像素宽", "换一张更清晰的照片", tuple(small)),
            Section("相册图片没有替代文字", "写 alt: 一句话描述图片内容", tuple(no_alt)),
            Section("工作室没有领衔人", "写 leader: 劳模文件夹名", tuple(no_leader)),
            Section("不在任何展厅里", "策展时可以把它加进展厅的 items", tuple(no_hall)),
            Section("劳模不属于任何工作室", "在档案里写 studios，或在工作室的 members 里加上", tuple(no_studio)),
            Section("文章没有写到劳模", "在文章信息头写 workers: [劳模文件夹名]", tuple(no_workers)),
        ]  # fmt: skip

    districts = Counter(w.district or NONE for w in workers)
    district_order = [*settings.districts, NONE]
    levels: Counter[str] = Counter()
    titles = settings.vocab("honors")
    for w in workers:
        known = [h.title for h in w.honors if h.title in titles]  # a misspelt one: an error
        top = min(known, key=settings.honor_rank) if known else None
        levels[settings.honor_level(top).name if top else "无荣誉"] += 1
    level_order = [level.name for level in settings.honor_levels] + ["无荣誉"]
    tallies = (
        Tally("劳模人数：按地区", tuple((d, districts[d]) for d in district_order if districts[d])),
        Tally(
            "劳模人数：按最高荣誉级别",
            tuple((lv, levels[lv]) for lv in level_order if levels[lv]),
        ),
    )
    drafts = sum(1 for e in (*loaded.workers, *loaded.studios) if not e.publish)
    chapters = sum(len(library.of(b)) for b in library.books)
    totals = (
        f"公开的劳模 {len(workers)} 位，工作室 {len(studios)} 个，书 {len(library.books)} 本"
        f"（文章 {chapters} 篇），展厅 {len(checked.halls.halls)} 个；"
        f"未公开的档案（publish: false）{drafts} 份"
    )
    return ContentReport(tuple(sections()), tallies, totals, len(checked.problems.errors))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def table(report: ContentReport) -> str:
    """The report for a terminal: one block per kind of work, columns aligned."""
    lines = [report.totals]
    if report.errors:
        lines.append(f"另有 {report.errors} 个错误：运行 make check 查看")
    for section in report.sections:
        lines.append("")
        lines.append(f"{section.title}（{len(section.rows)}）" + ("" if section.rows else "：无"))
        if not section.rows:
            continue
        lines.append(f"  怎么改：{section.hint}")
        names = max(_width(r.name) for r in section.rows)
        details = max(_width(r.detail) for r in section.rows)
        for r in section.rows:  # in display order (workers by pinyin)
            detail = f"{_pad(r.detail, details)}  " if details else ""
            lines.append(f"  {_pad(r.name, names)}  {detail}{r.where}")
    for tally in report.tallies:
        lines.append("")
        lines.append(tally.title)
        width = max((_width(k) for k, _ in tally.counts), default=0)
        lines += [f"  {_pad(k, width)}  {n:>4}" for k, n in tally.counts]
    return "\n".join(lines)


def run_report(root: Path, *, strict: bool) -> int:
    """Print the table, write build/report.html; exit status (1 with --strict and anything
    listed, or when the settings cannot be read)."""
    import click

    from showcase.render.report import report_page

    checked = check_all(root, read_only=True)
    if checked.loaded.settings is None:
        click.echo(checked.problems.report(), err=True)
        click.echo("exhibition.yml 有错误，无法生成报告：先运行 make check。", err=True)
        return 1
    report = build_report(checked)
    click.echo(table(report))
    # A BOM says UTF-8 to a browser opening the file (layouts may hold no <meta>).
    atomic_write(root / REPORT_FILE, ("\ufeff" + report_page(report)).encode("utf-8"))
    click.echo(f"\n共 {report.listed} 处待完善；网页版：{REPORT_FILE.as_posix()}")
    return 1 if strict and (report.listed or report.errors) else 0
