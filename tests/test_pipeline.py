"""Incremental, deterministic and private: what the generator promises about its output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from showcase.build import build, check_all
from showcase.schema import schema_files

from conftest import all_text, run
from test_golden import tree

PRIVATE_VALUES = ("13912345678", "110101199003077777", "示例路88号秘密住址")


def test_second_build_writes_nothing(mini: Path) -> None:
    first = build(mini)
    assert first.report is not None and first.report.written
    second = build(mini)
    assert second.report is not None
    assert second.report.written == [] and second.report.deleted == []
    assert second.report.unchanged == len(first.report.written)


def test_same_input_gives_identical_output(mini: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(mini, twin)
    build(mini)
    build(twin)
    assert tree(mini / "build") == tree(twin / "build")


def test_editing_one_profile_rewrites_its_page_and_indexes_only(mini: Path) -> None:
    build(mini)
    profile = mini / "workers/li-si/profile.yml"
    profile.write_text(
        profile.read_text("utf-8").replace("只有文字档案的示例。", "改过的简介。"), "utf-8"
    )
    report = build(mini).report
    assert report is not None
    assert "workers/li-si/index.md" in report.written
    assert "workers/zhang-san/index.md" not in report.written
    assert "改过的简介" in (mini / "build/docs/workers/li-si/index.md").read_text("utf-8")


def test_deleting_a_profile_removes_its_page_and_mentions(mini: Path) -> None:
    build(mini)
    assert (mini / "build/docs/workers/li-si/index.md").is_file()
    studio = mini / "studios/alpha-studio/studio.yml"
    studio.write_text(
        studio.read_text("utf-8").replace("members: [li-si, hidden-one]", "members: [hidden-one]"),
        "utf-8",
    )
    for f in (mini / "workers/li-si").iterdir():
        f.unlink()
    (mini / "workers/li-si").rmdir()
    report = build(mini).report
    assert report is not None
    assert "workers/li-si/index.md" in report.deleted
    assert not (mini / "build/docs/workers/li-si").exists()
    text = all_text(mini / "build")
    assert "李四" not in text and "li-si" not in text


def test_unpublished_profile_is_mentioned_nowhere(mini: Path) -> None:
    build(mini)
    text = all_text(mini / "build")
    assert "隐藏者" not in text and "hidden-one" not in text
    assert "阿尔法创新工作室" in text  # the studio that lists them is still published


def test_private_values_never_reach_the_build(mini: Path) -> None:
    build(mini)
    text = all_text(mini / "build")
    for value in PRIVATE_VALUES:
        assert value not in text


@pytest.mark.parametrize(
    ("field", "written", "expected"),
    [
        (
            "bio",
            "电话13912345678。",
            "workers/zhang-san/profile.yml:13:5: bio: 含有劳模 zhang-san 的存档信息（private.phone），不能公开",
        ),
        (
            "summary",
            "电话 139-1234-5678",
            "workers/zhang-san/profile.yml:11:10: summary: "
            "含有劳模 zhang-san 的存档信息（private.phone），不能公开",
        ),
        (
            "summary",
            "证件１１０１０１１９９００３０７７７７７",
            "workers/zhang-san/profile.yml:11:10: summary: "
            "含有劳模 zhang-san 的存档信息（private.id_number），不能公开",
        ),
        (
            "summary",
            "住在示例路88号秘密住址",
            "workers/zhang-san/profile.yml:11:10: summary: "
            "含有劳模 zhang-san 的存档信息（private.address），不能公开",
        ),
    ],
)
def test_private_value_copied_into_public_text_fails_the_build(
    mini: Path, field: str, written: str, expected: str
) -> None:
    profile = mini / "workers/zhang-san/profile.yml"
    text = profile.read_text("utf-8")
    old = "第一段事迹。" if field == "bio" else "示例劳模，擅长*带电作业*。"
    profile.write_text(text.replace(old, written), "utf-8")
    result = run(mini, "build")
    assert result.returncode == 1
    errors = [
        line
        for line in result.stderr.splitlines()
        if ": 警告: " not in line and not line.startswith("共")
    ]
    assert len(errors) == 1 and errors[0].startswith(expected), result.stderr
    assert not (mini / "build/docs").exists()


def test_private_number_in_another_page_fails_the_build(mini: Path) -> None:
    """Someone else's profile, or a hand-written page, is scanned too."""
    about = mini / "content/about.md"
    about.write_text(about.read_text("utf-8") + "\n联系：139 1234 5678\n", "utf-8")
    result = run(mini, "build")
    assert result.returncode == 1
    assert (
        "content/about.md:5:4: 正文: 含有劳模 zhang-san 的存档信息（private.phone），不能公开"
        in result.stderr
    )


def test_committed_schemas_are_current() -> None:
    root = Path(__file__).resolve().parent.parent
    checked = check_all(root)
    problems, loaded = checked.problems, checked.loaded
    assert not problems, problems.report()
    for name, data in schema_files(loaded.settings).items():
        assert (root / "schemas" / name).read_bytes() == data, f"run `make schema`: {name} is stale"


def test_schema_offers_vocabulary_and_chinese_help() -> None:
    root = Path(__file__).resolve().parent.parent
    worker = json.loads((root / "schemas/worker.schema.json").read_text("utf-8"))
    honor = worker["$defs"]["Honor"]["properties"]["title"]
    assert "全国劳动模范" in honor["enum"]
    assert worker["properties"]["name"]["description"].startswith("姓名")
    assert worker["additionalProperties"] is False


def test_new_worker_from_template_checks_clean(mini: Path) -> None:
    result = run(mini, "new", "worker", "wang-wu")
    assert result.returncode == 0, result.stderr
    created = (mini / "workers/wang-wu/profile.yml").read_text("utf-8")
    assert created.startswith("# yaml-language-server: $schema=../../schemas/worker.schema.json")
    checked = run(mini, "check")
    assert checked.returncode == 0, checked.stderr


def test_usage_errors_exit_2(mini: Path) -> None:
    assert run(mini, "new", "worker", "Wang_Wu").returncode == 2
    assert run(mini, "no-such-command").returncode == 2


def test_two_outputs_at_one_path_are_refused(mini: Path) -> None:
    (mini / "content/stats").mkdir()
    (mini / "content/stats/index.md").write_text("# 手写\n", "utf-8")
    result = run(mini, "build")
    assert result.returncode == 1
    assert (
        "content/stats/index.md:1:1: 与自动生成的网页 stats/ 重名，手写的会被覆盖" in result.stderr
    )
    assert not (mini / "build/docs").exists()


@pytest.mark.parametrize(
    ("files", "where", "says"),
    [
        (  # MkDocs makes both foo/index.html: the site keeps one, silently
            ("foo.md", "foo/index.md"),
            "content/foo.md",
            "content/foo.md、content/foo/index.md 会生成同一个网页 foo/，网站上只会留下其中一个",
        ),
        (("a/README.md", "a/index.md"), "content/a/README.md", "会生成同一个网页 a/"),
        (("workers.md",), "content/workers.md", "与自动生成的网页 workers/ 重名"),
        (  # the home page's intro is content/index.md: the message says so
            ("README.md",),
            "content/README.md",
            "与自动生成的首页重名（MkDocs 把 README.md 当作 index.md）",
        ),
        (("guide.md", "guide.html"), "content/guide.html", "会生成同一个网页 guide.html"),
        (("404.html",), "content/404.html", "404.html 是 MkDocs 每次构建自己写的文件"),
        (("sitemap.xml",), "content/sitemap.xml", "sitemap.xml 是 MkDocs 每次构建自己写的"),
        (  # Pagefind writes its folder after MkDocs: pagefind.js was replaced, silently
            ("pagefind/pagefind.js",),
            "content/pagefind/pagefind.js",
            "但 pagefind/ 是站内搜索每次发布自己写的文件夹",
        ),
        (  # the kiosk's offline plugin writes it: the kiosk kept only its own
            ("search/search_index.js",),
            "content/search/search_index.js",
            "search/search_index.js 是 MkDocs 每次构建自己写的文件",
        ),
        (  # the kiosk's own search worker: the kiosk kept only one of them
            ("assets/iframe-worker.js",),
            "content/assets/iframe-worker.js",
            "与自动生成的文件 assets/iframe-worker.js 重名",
        ),
        (  # a file where the site needs a folder: `site` failed with MkDocs' traceback
            ("guide", "guide.md"),
            "content/guide",
            "content/guide、content/guide.md 要在网站上占同一个位置 guide",
        ),
        (  # a folder where a generated file goes: `check` passed, `site` failed
            ("feed.xml/x.md",),
            "content/feed.xml/x.md",
            "与自动生成的文件 feed.xml 要在网站上占同一个位置",
        ),
        (  # not a web page: says 文件
            ("data/workers.json",),
            "content/data/workers.json",
            "与自动生成的文件 data/workers.json 重名",
        ),
        (  # one file on the kiosk's USB stick (FAT ignores case), two on Linux
            ("Guide.md", "guide.md"),
            "content/Guide.md",
            "会生成同一个网页 guide.html（文件名只差大小写或字符的写法",
        ),
        (  # é as one character and as e + a combining accent: one name on macOS
            ("caf\u00e9.md", "cafe\u0301.md"),
            "content/cafe\u0301.md",
            "会生成同一个网页 caf\u00e9.html（文件名只差大小写或字符的写法",
        ),
    ],
    ids=[
        "foo.md+foo/index.md",
        "README+index",
        "beside-generated",
        "README-home",
        "kiosk-html",
        "404",
        "sitemap",
        "pagefind",
        "kiosk-search-index",
        "kiosk-worker",
        "file-where-a-folder-goes",
        "folder-where-a-file-goes",
        "generated-data-file",
        "kiosk-case",
        "kiosk-unicode-form",
    ],
)
def test_files_that_make_one_site_file_are_located_errors(
    mini: Path, files: tuple[str, ...], where: str, says: str
) -> None:
    """A full build kept only one of them (the kiosk's file:// tree names pages foo.html,
    so guide.md and a hand-written guide.html clash there): now `showcase check` names
    the hand-written file, and `showcase site` publishes nothing."""
    for name in files:
        (mini / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (mini / "content" / name).write_text("# 手写\n", "utf-8")
    checked = run(mini, "check")
    assert checked.returncode == 1
    line = next(line for line in checked.stderr.splitlines() if line.startswith(f"{where}:1:1:"))
    assert says in line and "提示" in line, checked.stderr
    published = run(mini, "site")
    assert published.returncode == 1 and not (mini / "site").exists()


def test_check_refuses_a_file_where_a_printable_board_goes(mini: Path) -> None:
    """With `boards: true` the site offers workers/<slug>/board.pdf: `showcase check` (which
    makes no PDF) passed a hand-written file there, and only `showcase site` refused it."""
    settings = mini / "exhibition.yml"
    text = settings.read_text("utf-8")
    assert "boards:" not in text
    settings.write_text(text + "boards: true\n", "utf-8")
    assert run(mini, "check").returncode == 0
    board = mini / "content/workers/zhang-san/board.pdf"
    board.parent.mkdir(parents=True)
    board.write_bytes(b"%PDF-1.4\n")
    checked = run(mini, "check")
    assert checked.returncode == 1
    assert (
        "content/workers/zhang-san/board.pdf:1:1: 与自动生成的文件 workers/zhang-san/board.pdf 重名"
        in checked.stderr
    ), checked.stderr
