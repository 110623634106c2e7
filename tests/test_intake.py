"""The input side: every value bounded, no invisible characters, no symlinks, safe links.

Each attack is built inside the test (symlinks, FIFOs, huge or binary content are never
committed) and run through the real command line: the exact located message, exit 1, no
traceback. Each test first checks that the attack is real (the target is readable, the
file is as big as claimed), so it fails if the generator lets it through.
"""

from __future__ import annotations

import os
import shutil
import typing
from dataclasses import is_dataclass
from pathlib import Path

import pytest
from PIL import Image

from showcase.books import Book, ChapterInfo
from showcase.convert import model_fields
from showcase.fields import spec_of
from showcase.halls import Hall
from showcase.model import Studio, Worker
from showcase.settings import Settings
from showcase.tree import hand_written_files

from conftest import FIXTURES, REPO, copy_tree, run

PROFILE = "workers/li-si/profile.yml"
CHAPTER = "content/books/sample-book/a-summer.md"
SYMLINK = "符号链接不能发布（提示：把真实文件复制到这里）"
CHARS_HINT = "（提示：删除这个字符，或从别处重新粘贴为纯文本）"


def fails_with(root: Path, *expected: str, command: str = "check") -> str:
    """Run `showcase <command>`: exit 1, and each expected line printed exactly."""
    result = run(root, command)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    for line in expected:
        assert line in lines, f"missing {line!r} in:\n{result.stderr}"
    return result.stderr


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def lines_of(path: Path) -> int:
    return path.read_text("utf-8").count("\n")


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return copy_tree(FIXTURES / "books-mini", tmp_path / "books")


# -- 1. bounds ------------------------------------------------------------------------------


def text_fields(cls: typing.Any, seen: set[typing.Any]) -> typing.Iterator[tuple[typing.Any, str]]:
    """Every str field of a model class and of the classes it contains."""
    if cls in seen:
        return
    seen.add(cls)
    for name, f in model_fields(cls).items():
        if name == "loc":  # where it was written, not a value
            continue
        args = [f.type, *typing.get_args(f.type)]
        for arg in [*args, *(a for t in args for a in typing.get_args(t))]:
            if is_dataclass(arg):
                yield from text_fields(arg, seen)
        if str in args or any(str in typing.get_args(a) for a in args):
            yield cls, name


def test_every_text_field_has_a_maximum_in_the_model_and_the_schema() -> None:
    seen: set[typing.Any] = set()
    found = [
        (cls, name)
        for top in (Worker, Studio, Settings, Book, ChapterInfo, Hall)
        for cls, name in text_fields(top, seen)
    ]
    names = {f"{cls.__name__}.{name}" for cls, name in found}
    assert {"Worker.name", "Picture.alt", "Private.notes", "ChapterInfo.writer"} <= names
    assert {"Hall.title", "HallItem.note", "HallSection.intro"} <= names
    unbounded = [
        f"{cls.__name__}.{name}"
        for cls, name in found
        if spec_of(model_fields(cls)[name]).max_length is None
    ]
    assert unbounded == []
    schema = (REPO / "schemas/worker.schema.json").read_text("utf-8")
    assert '"maxLength": 20000' in schema and '"maxLength": 30' in schema


def test_too_long_values_are_located(mini: Path) -> None:
    profile = mini / PROFILE
    line = lines_of(profile) + 1
    append(profile, "employer: " + "长" * 81 + "\nbio: |\n  " + "文" * 20_001 + "\n")
    fails_with(
        mini,
        f"{PROFILE}:{line}:11: employer: 太长了（最多 80 个字，现在 81 个）"
        "（提示：删减到 80 个字以内）",
        f"{PROFILE}:{line + 1}:6: bio: 太长了（最多 20000 个字，现在 20001 个）"
        "（提示：删减到 20000 个字以内）",
    )


def test_a_file_over_the_size_limit_is_refused_unread(mini: Path) -> None:
    profile = mini / PROFILE
    append(profile, ("# " + "填充" * 100 + "\n") * 1000)
    assert profile.stat().st_size > 512 * 1024
    fails_with(
        mini,
        f"{PROFILE}:1:1: 文件太大了（最多 512 KB）（提示：检查是否误粘贴了大量内容，或把文件拆小）",
    )


@pytest.mark.parametrize("levels", [10_000, 100_000])
def test_deep_nesting_is_a_located_error(mini: Path, levels: int) -> None:
    profile = mini / PROFILE
    line = lines_of(profile) + 1
    append(profile, "tags: " + "[" * levels + "]" * levels + "\n")
    # The root mapping is level 1 and `tags` level 2: the 12th bracket opens level 13.
    fails_with(
        mini,
        f"{PROFILE}:{line}:18: 嵌套层次太深（最多 12 层）（提示：检查括号是否成对，参照模板减少嵌套）",
    )


def test_a_chapter_over_the_size_limit_is_refused(books: Path) -> None:
    append(books / CHAPTER, ("很长的一段文字。" * 100 + "\n\n") * 260)
    size = len((books / CHAPTER).read_text("utf-8"))
    assert size > 200_000
    fails_with(
        books,
        f"{CHAPTER}:1:1: 文章太长了（最多 200000 个字符，现在 {size} 个）（提示：把文章分成几篇）",
    )


def test_search_dictionary_takes_only_short_words(mini: Path) -> None:
    profile = mini / "workers/zhang-san/profile.yml"
    long_employer = "示" * 80
    text = profile.read_text("utf-8")
    profile.write_text(text.replace("employer: 示例电力公司", f"employer: {long_employer}"))
    assert run(mini, "build").returncode == 0
    words = (mini / "build/search/jieba_user.txt").read_text("utf-8")
    assert "张三 " in words and long_employer not in words


# -- 2. control characters and noncharacters -------------------------------------------------


@pytest.mark.parametrize(
    ("escape", "shown"),
    [
        ("\\0", "含有不可见的控制字符 U+0000"),
        ("\\x01", "含有不可见的控制字符 U+0001"),
        ("\\t", "含有不可见的控制字符 U+0009"),
        ("\\N", "含有不可见的控制字符 U+0085"),
        ("\\x9b", "含有不可见的控制字符 U+009B"),
        ("\\uFFFE", "含有无效的字符 U+FFFE"),
        ("\\uFDD0", "含有无效的字符 U+FDD0"),
        ("\\U0001FFFF", "含有无效的字符 U+1FFFF"),
        ("\\uD800", "含有无效的字符 U+D800"),
        ("\\u202E", "含有改变文字方向的控制字符 U+202E"),
        ("\\u2066", "含有改变文字方向的控制字符 U+2066"),
    ],
)
def test_escaped_control_characters_are_refused(mini: Path, escape: str, shown: str) -> None:
    profile = mini / PROFILE
    line = lines_of(profile) + 1
    append(profile, f'position: "技{escape}师"\n')
    fails_with(mini, f"{PROFILE}:{line}:11: position: {shown}{CHARS_HINT}")


def test_zero_width_characters_and_marks_stay_allowed(mini: Path) -> None:
    append(mini / PROFILE, 'position: "技\\u200b师\\u200d\\u2060\\ufeff\\u200e\\u200f"\n')
    result = run(mini, "check")
    assert result.returncode == 0, result.stderr


def test_control_character_in_a_book_title_and_markdown(books: Path) -> None:
    book = books / "content/books/sample-book/book.yml"
    text = book.read_text("utf-8").replace("title: 示例文集", 'title: "示例\\0文集')
    text = text.replace("——作家眼中的示例劳模", '——作家眼中的示例劳模"', 1)
    book.write_text(text + 'publisher: "出版社\\u202e"\n', "utf-8")
    fails_with(
        books,
        f"content/books/sample-book/book.yml:2:8: title: 含有不可见的控制字符 U+0000{CHARS_HINT}",
        "content/books/sample-book/book.yml:12:12: publisher: "
        f"含有改变文字方向的控制字符 U+202E{CHARS_HINT}",
    )


def test_control_characters_in_a_chapter_body_are_located(books: Path) -> None:
    chapter = books / CHAPTER
    line = lines_of(chapter) + 1
    append(chapter, "\n第三段\ufffe结束。\n\t制表符可以，但\x01不行。\n")
    fails_with(
        books,
        f"{CHAPTER}:{line + 1}:4: 正文: 含有无效的字符 U+FFFE{CHARS_HINT}",
        f"{CHAPTER}:{line + 2}:9: 正文: 含有不可见的控制字符 U+0001{CHARS_HINT}",
    )


# -- 3. symlinks and special files -------------------------------------------------------


def make_outside(tmp_path: Path) -> Path:
    """A real folder outside the exhibition with a valid-looking profile in it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy2(FIXTURES / "mini/workers/li-si/profile.yml", outside / "profile.yml")
    (outside / "secret.md").write_text("---\ntitle: 秘密\nwriter: 某人\n---\n\n机密内容。\n")
    return outside


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("content/env.txt", "/proc/self/environ"),
        ("workers/evil", "outside"),
        ("workers/li-si/profile.yml", "outside/profile.yml"),
        ("workers/li-si/notes.txt", "outside/does-not-exist"),
        ("content/books/sample-book/z-secret.md", "outside/secret.md"),
        ("content/books/evil-book", "outside"),
        ("exhibition.yml", "outside/profile.yml"),
    ],
)
def test_symlinks_are_located_errors(books: Path, tmp_path: Path, link: str, target: str) -> None:
    outside = make_outside(tmp_path)
    source = Path(target) if target.startswith("/") else tmp_path / target
    if target.endswith("environ"):
        assert os.access(source, os.R_OK)  # the attack would have published this
    dest = books / link
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        if link == "exhibition.yml":
            shutil.copy2(dest, outside / "profile.yml")  # the real settings, behind a link
        dest.unlink()
    dest.symlink_to(source)
    assert dest.is_symlink()
    fails_with(books, f"{link}:1:1: {SYMLINK}")


def test_symlinked_top_folder(books: Path, tmp_path: Path) -> None:
    outside = make_outside(tmp_path)
    shutil.rmtree(books / "workers")
    (books / "workers").symlink_to(outside.parent)
    fails_with(books, f"workers:1:1: {SYMLINK}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_reported_and_never_opened(books: Path) -> None:
    os.mkfifo(books / "content/books/sample-book/d-pipe.md")
    os.mkfifo(books / "content/pipe.txt")
    fails_with(
        books,
        "content/books/sample-book/d-pipe.md:1:1: "
        "不是普通的文件或文件夹（管道、设备等），不能发布（提示：删除它，换成普通文件）",
        "content/pipe.txt:1:1: "
        "不是普通的文件或文件夹（管道、设备等），不能发布（提示：删除它，换成普通文件）",
    )


def test_hand_written_files_leave_out_symlinks(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "about.md").write_text("# 关于\n")
    (content / "sub/page.md").write_text("# 页\n")
    (content / "env.txt").symlink_to("/proc/self/environ")
    (content / "linked").symlink_to(content / "sub")
    (content / ".hidden.md").write_text("x")
    found = [p.relative_to(content).as_posix() for p in hand_written_files(content)]
    assert found == ["about.md", "sub/page.md"]


# -- 4. links in Markdown fields --------------------------------------------------------------

BAD_BIO = """bio: |
  好的链接 [ok](https://example.org/a) 和 [p](//other.example/x)。

  [r](/etc/passwd) 与 [x](foo.html)
  [j](javascript:alert(1)) 和 <javascript:alert(1)>，代码 `<javascript:x>` 可以。

  引用 [a][1] 和 ![图](x.png)

  [1]: /x
"""
LINK = "不是以 http:// 或 https:// 开头的完整网址（提示：写成以 https:// 开头的完整网址，或删掉链接只留文字）"


def test_links_in_bio_must_be_absolute_http(mini: Path) -> None:
    profile = mini / PROFILE
    b = lines_of(profile) + 2  # the first line of the bio's text
    append(profile, BAD_BIO)
    stderr = fails_with(
        mini,
        f"{PROFILE}:{b}:42: bio: 链接「//other.example/x」{LINK}",
        f"{PROFILE}:{b + 2}:7: bio: 链接「/etc/passwd」{LINK}",
        f"{PROFILE}:{b + 2}:26: bio: 链接「foo.html」{LINK}",
        f"{PROFILE}:{b + 3}:7: bio: 链接「javascript:alert(1)」{LINK}",
        f"{PROFILE}:{b + 3}:31: bio: 链接「javascript:alert(1)」{LINK}",
        f"{PROFILE}:{b + 5}:20: bio: 这里不能插入图片「x.png」"
        "（提示：删掉这张图片；照片请写进相册 gallery）",
        f"{PROFILE}:{b + 7}:8: bio: 链接「/x」{LINK}",
    )
    assert stderr.count(": bio: ") == 7


def test_links_in_a_studio_description_and_a_chapter(books: Path, mini: Path) -> None:
    studio = mini / "studios/alpha-studio/studio.yml"
    line = lines_of(studio) + 1
    append(studio, 'description: "见 [这里](/etc/passwd)"\n')
    fails_with(
        mini,
        f"studios/alpha-studio/studio.yml:{line}:14: description: 链接「/etc/passwd」{LINK}",
    )
    chapter = books / CHAPTER
    line = lines_of(chapter) + 1
    append(chapter, "\n详见[原文](../../../etc/passwd)。\n\n![车间](workshop.jpg)\n")
    stderr = fails_with(books, f"{CHAPTER}:{line + 1}:8: 正文: 链接「../../../etc/passwd」{LINK}")
    assert "workshop.jpg" not in stderr  # an illustration on its own line is fine


# -- 5. MPO ---------------------------------------------------------------------------------


def test_multi_picture_jpeg_is_accepted_as_jpeg(mini: Path) -> None:
    folder = mini / "workers/zhang-san"
    first = Image.new("RGB", (900, 1200), (180, 40, 40))
    second = Image.new("RGB", (900, 1200), (40, 180, 40))
    first.save(folder / "phone.jpg", "MPO", save_all=True, append_images=[second])
    with Image.open(folder / "phone.jpg") as im:
        assert im.format == "MPO" and getattr(im, "n_frames", 1) == 2
    profile = folder / "profile.yml"
    profile.write_text(profile.read_text("utf-8").replace("portrait.png", "phone.jpg"), "utf-8")
    result = run(mini, "build")  # before: 「不支持的图片格式 MPO」
    assert result.returncode == 0, result.stderr


# -- 6. new chapter stays inside the repository ----------------------------------------------


def test_new_chapter_refuses_a_path_as_book_or_worker(books: Path, tmp_path: Path) -> None:
    escape = tmp_path / "x/bk"
    escape.mkdir(parents=True)
    (escape / "book.yml").write_text("title: 外面\n")
    book = "../../../x/bk"
    assert (books / "content/books" / book / "book.yml").is_file()  # it would have been found
    result = run(books, "new", "chapter", "--book", book)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "「../../../x/bk」不是书的文件夹名" in result.stderr
    result = run(books, "new", "chapter", "--book", "sample-book", "--worker", "../../../x")
    assert result.returncode == 2
    assert "「../../../x」不是劳模的文件夹名" in result.stderr
    assert sorted(p.name for p in escape.iterdir()) == ["book.yml"]


@pytest.mark.parametrize(
    "address",
    ["example.org/x/", "https://example.org/x", "https://example.org/x/?a=1", "ftp://e.org/"],
)
def test_site_url_must_be_a_full_address_ending_in_a_slash(mini: Path, address: str) -> None:
    settings = mini / "exhibition.yml"
    text = settings.read_text("utf-8")
    line = text.splitlines().index("site_url: https://example.org/") + 1
    settings.write_text(text.replace("site_url: https://example.org/", f"site_url: {address}"))
    fails_with(
        mini,
        f"exhibition.yml:{line}:11: site_url: 「{address}」的写法不对（提示：以 http:// 或 "
        "https:// 开头、以 / 结尾的完整网址，不带 ? 和 #，如 https://example.org/exhibition/）",
    )
