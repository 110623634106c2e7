"""The privacy guard: a private value, however disguised and wherever pasted, fails `check`
and `site` with a problem at the source line that holds it; a built site folder (HTML
attributes, Pagefind's compressed fragments, EPUB members) is scanned too.

The `mini` fixture's worker zhang-san keeps, under `private` (lines 29–31),
phone 13912345678, id_number 110101199003077777 and address 示例路88号秘密住址.
"""

from __future__ import annotations

import base64
import bz2
import gzip
import hashlib
import io
import json
import lzma
import quopri
import shutil
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from showcase import searchindex
from showcase.privacy import SCANNED, _column, normalise, scan_folder, scannable

from conftest import FIXTURES, all_text, copy_sample, copy_tree, run

PHONE, ID_NUMBER, ADDRESS = "13912345678", "110101199003077777", "示例路88号秘密住址"
NOTES = "家属要求不公开住址。孩子在示例第一中学读书！"
NOTE_SENTENCE = "孩子在示例第一中学读书"
ZHANG = "workers/zhang-san/profile.yml"
BIO_LINE = "第一段事迹。"  # line 13 of zhang-san's profile, at column 3


def message(field: str, slug: str = "zhang-san") -> str:
    return f"含有劳模 {slug} 的存档信息（{field}），不能公开"


def errors(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if ": 警告: " not in line and not line.startswith(("共", "检查通过"))
    ]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def add_notes(root: Path) -> None:
    """Give zhang-san private notes, at line 32."""
    edit(root / ZHANG, f"  address: {ADDRESS}\n", f"  address: {ADDRESS}\n  notes: {NOTES}\n")


def fails_at(root: Path, *expected: str, command: str = "check") -> list[str]:
    result = run(root, command)
    assert result.returncode == 1, result.stdout + result.stderr
    found = errors(result.stderr)
    for line in expected:
        assert any(e.startswith(line) for e in found), f"{line}\nnot in:\n{result.stderr}"
    return found


def one_error_for(root: Path, name: str, data: bytes, expected: str) -> str:
    """Put `data` in content/contacts/`name`: `check` reports one error, starting so."""
    contacts = root / "content" / "contacts"
    contacts.mkdir(parents=True)
    (contacts / name).write_bytes(data)
    found = fails_at(root, f"content/contacts/{name}:{expected}")
    assert len(found) == 1, found
    return found[0]


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "139-1234-5678",
        "139**1234**5678",
        "139_1234，5678",
        "１３９ １２３４ ５６７８",
        "139\u200b1234\u200b5678",
        "139\ufeff1234\u2060 5678",
        "一三九 一二三四 五六七八",
        "`139` `1234` `5678`",
    ],
)
def test_disguised_phone_normalises_to_its_digits(written: str) -> None:
    assert PHONE not in written
    assert normalise(written) == PHONE


def test_address_normalises_to_letters_and_digits() -> None:
    assert normalise("嘉兴市 南湖区，某某路 12 号") == "嘉兴市南湖区某某路12号"
    assert normalise("ＡＢ-3３") == "ab33"


# --- disguised numbers in the worker's own bio ---------------------------------------------

DISGUISES = [
    ("bold", lambda d: f"{d[:3]}**{d[3:7]}**{d[7:]}", 0),
    ("zero-width", lambda d: "\u200b".join((d[:3], d[3:7], d[7:])), 0),
    ("underscore-comma", lambda d: f"{d[:3]}_{d[3:7]}，{d[7:]}", 0),
    ("full-width", lambda d: " ".join((d[:3], d[3:7], d[7:])).translate(FULL_WIDTH), 0),
    ("code-spans", lambda d: f"`{d[:3]}` `{d[3:7]}` `{d[7:]}`", 1),
    ("chinese-numerals", lambda d: d.translate(CHINESE), 0),
]
FULL_WIDTH = {ord(str(i)): 0xFF10 + i for i in range(10)}
CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")


@pytest.mark.parametrize(("name", "disguise", "lead"), DISGUISES, ids=[d[0] for d in DISGUISES])
@pytest.mark.parametrize(("field", "value"), [("phone", PHONE), ("id_number", ID_NUMBER)])
def test_disguised_number_in_bio_fails_check_at_its_line(
    mini: Path, name: str, disguise: object, lead: int, field: str, value: str
) -> None:
    written = disguise(value)  # type: ignore[operator]
    assert value not in written and normalise(written) == value
    edit(mini / ZHANG, BIO_LINE, f"电话{written}。")
    # "  电话" takes columns 1–4: the number starts at 5 (6 after a backtick)
    found = fails_at(mini, f"{ZHANG}:13:{5 + lead}: bio: {message(f'private.{field}')}")
    assert len(found) == 1, found
    assert not (mini / "build/docs").exists()  # check writes nothing


def test_leak_is_reported_in_the_same_run_as_other_problems(mini: Path) -> None:
    """A new editor's file with several mistakes: the pasted phone is listed with them, not
    only after everything else is fixed."""
    edit(mini / ZHANG, BIO_LINE, "电话139-1234-5678。")
    edit(mini / ZHANG, "name: 张三", "nmae: 张三")
    result = run(mini, "check")
    assert result.returncode == 1
    assert "nmae: 未知的字段「nmae」" in result.stderr
    assert f"{ZHANG}:13:5: bio: {message('private.phone')}" in result.stderr


def test_disguised_number_fails_site_too_and_keeps_the_old_site(mini: Path) -> None:
    result = run(mini, "site")
    assert result.returncode == 0, result.stderr
    before = tree_hash(mini / "site")
    edit(mini / ZHANG, BIO_LINE, "电话`139``1234`<!-- -->5678。")
    edit(mini / ZHANG, "第二段，", "证件号１１０１０１\u200b１９９００３０７\u200b７７７７，")
    fails_at(
        mini,
        f"{ZHANG}:13:6: bio: {message('private.phone')}",
        f"{ZHANG}:17:6: bio: {message('private.id_number')}",
        command="site",
    )
    assert tree_hash(mini / "site") == before
    text = normalise(all_text(mini / "site"))
    assert PHONE not in text and ID_NUMBER not in text
    assert not scan_folder(mini, mini / "site")


def test_site_scans_the_built_folder_before_it_is_published(mini: Path) -> None:
    """A leak that only MkDocs makes (a nav label in mkdocs.yml, which no data file holds)
    is caught by the scan of the finished folder; site/ stays the old one."""
    result = run(mini, "site")
    assert result.returncode == 0, result.stderr
    before = tree_hash(mini / "site")
    edit(mini / "mkdocs.yml", "  - 关于: about.md", "  - 关于 139-1234-5678: about.md")
    assert run(mini, "check").returncode == 0  # no data file holds it: only the site does
    result = run(mini, "site")
    assert result.returncode == 1, result.stderr
    assert "private.phone" in result.stderr and "index.html" in result.stderr
    assert "旧网站保持不变" in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(mini / "site") == before


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


# --- address and notes, wherever they are pasted ------------------------------------------


def test_address_with_spaces_in_own_bio(mini: Path) -> None:
    edit(mini / ZHANG, BIO_LINE, "家住示例路 88 号 秘密住址。")
    fails_at(mini, f"{ZHANG}:13:5: bio: {message('private.address')}")
    fails_at(mini, f"{ZHANG}:13:5: bio: {message('private.address')}", command="site")


def test_notes_sentence_in_another_workers_profile(mini: Path) -> None:
    add_notes(mini)
    other = mini / "workers/li-si/profile.yml"
    edit(other, "summary: 只有文字档案的示例。", "summary: 孩子在示例第一中学 读书。")
    expected = f"workers/li-si/profile.yml:5:10: summary: {message('private.notes')}"
    found = fails_at(mini, expected)
    assert len(found) == 1, found
    fails_at(mini, expected, command="site")


def test_address_and_notes_in_a_studio(mini: Path) -> None:
    add_notes(mini)
    studio = mini / "studios/alpha-studio/studio.yml"
    edit(
        studio,
        "summary: 示例工作室。\n",
        "summary: 示例工作室。\ndescription: |\n  第一段。\n\n  地址：示例路88号、秘密住址；\n"
        "  说起来，孩子在示例第一中学读书。\n",
    )
    found = fails_at(
        mini,
        f"studios/alpha-studio/studio.yml:13:6: description: {message('private.address')}",
        f"studios/alpha-studio/studio.yml:14:7: description: {message('private.notes')}",
    )
    assert len(found) == 2, found
    fails_at(
        mini,
        f"studios/alpha-studio/studio.yml:13:6: description: {message('private.address')}",
        command="site",
    )


def test_address_in_a_hand_written_page_and_settings(mini: Path) -> None:
    edit(
        mini / "content/about.md", "测试页面。", "测试页面。\n\n来信请寄：示例路 ８８ 号\n秘密住址"
    )
    edit(mini / "exhibition.yml", "city: ", "site_description: 示例路88号秘密住址\ncity: ")
    settings_line = next(
        i
        for i, line in enumerate((mini / "exhibition.yml").read_text("utf-8").splitlines(), 1)
        if line.startswith("site_description")
    )
    fails_at(
        mini,
        # the match ends on line 6; it started on line 5, so the column is line 6's first
        f"content/about.md:6:1: 正文: {message('private.address')}",
        f"exhibition.yml:{settings_line}:19: site_description: {message('private.address')}",
    )


def hand_written_files_of_every_kind(root: Path) -> None:
    """zhang-san's phone in files an editor might publish under content/: a vCard, a
    script, a Word file (the number split across two runs of text) and a ZIP of vCards."""
    contacts = root / "content" / "contacts"
    contacts.mkdir(parents=True)
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:张三\nTEL:139-1234-5678\nEND:VCARD\n"
    (contacts / "zhang.vcf").write_text(card, "utf-8")
    (root / "content" / "extra.js").write_text('const phone = "13912345678";\n', "utf-8")
    with zipfile.ZipFile(contacts / "list.docx", "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        runs = "<w:r><w:t>张三 139</w:t></w:r><w:r><w:t>1234 5678</w:t></w:r>"
        docx.writestr("word/document.xml", f"<w:document><w:p>{runs}</w:p></w:document>")
    with zipfile.ZipFile(contacts / "cards.zip", "w") as archive:
        archive.writestr("cards/zhang.vcf", card)


def test_phone_in_hand_written_files_of_any_kind_is_located(mini: Path) -> None:
    hand_written_files_of_every_kind(mini)
    phone = message("private.phone")
    found = fails_at(
        mini,
        f"content/contacts/zhang.vcf:4:5: {phone}",
        f"content/extra.js:1:16: {phone}",
        f"content/contacts/list.docx:1:1: {phone}",  # a ZIP: the file, not a line
        f"content/contacts/cards.zip:1:1: {phone}",
    )
    assert len(found) == 4, found
    before = run(mini, "site")
    assert before.returncode == 1 and not (mini / "site").exists(), before.stdout


@pytest.mark.parametrize(
    ("name", "data", "where"),
    [
        # Excel on Chinese Windows saves CSV in GBK (GB18030 reads it)
        ("roster.csv", f"姓名,住址\n张三,{ADDRESS}\n".encode("gb18030"), "2:4"),
        ("card.vcf", f"BEGIN:VCARD\nADR:{ADDRESS}\nEND:VCARD\n".encode("gb18030"), "2:5"),
        # Notepad's "Unicode": UTF-16 with its BOM
        ("notes.txt", "\ufeff电话 139 1234 5678\n".encode("utf-16-le"), "1:4"),
        ("notes.ics", "\ufeffSUMMARY:电话 139 1234 5678\n".encode("utf-16-be"), "1:12"),
        # UTF-8 with one stray byte, and a BOM
        ("mixed.ics", f"SUMMARY:{ADDRESS}\n".encode() + b"\xff\n", "1:9"),
        ("bom.md", f"\ufeff# 联系\n\n{ADDRESS}\n".encode(), "3:1"),
    ],
    ids=lambda v: v if isinstance(v, str) and "." in v else "",
)
def test_private_value_in_a_file_of_another_encoding_is_found_at_its_line(
    mini: Path, name: str, data: bytes, where: str
) -> None:
    assert "含有劳模 zhang-san 的存档信息" in one_error_for(mini, name, data, f"{where}: ")


def _zip(members: dict[str, bytes], encrypted: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    data = out.getvalue()
    if encrypted:  # the "encrypted" flag in the local and the central header
        data = data.replace(b"PK\x03\x04\x14\x00\x00", b"PK\x03\x04\x14\x00\x01", 1)
        data = data.replace(b"PK\x01\x02\x14\x03\x14\x00\x00", b"PK\x01\x02\x14\x03\x14\x00\x01", 1)
    return data


def _tar_gz(name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    return out.getvalue()


def _pdf_with_link_and_form() -> bytes:
    """A page with a link to the phone number and a form field holding the address (none
    of it in the page's text)."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_annotation(0, Link(rect=(10, 10, 100, 30), url=f"tel:{PHONE}"))
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("address"),
            NameObject("/V"): TextStringObject(ADDRESS),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        }
    )
    ref = writer._add_object(field)
    writer.pages[0][NameObject("/Annots")].append(ref)
    fields = DictionaryObject({NameObject("/Fields"): ArrayObject([ref])})
    writer._root_object[NameObject("/AcroForm")] = fields
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_s_links_and_form_fields_are_scanned(mini: Path) -> None:
    contacts = mini / "content" / "contacts"
    contacts.mkdir(parents=True)
    (contacts / "form.pdf").write_bytes(_pdf_with_link_and_form())
    found = fails_at(mini, "content/contacts/form.pdf:")
    assert len(found) == 2, found
    for field in ("private.phone", "private.address"):  # the link's, the form field's
        assert any(message(field) in line for line in found), found


def _pdf_with_attachment(body: bytes) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("card.vcf", body)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


VCARD = f"BEGIN:VCARD\nTEL:{PHONE}\nEND:VCARD\n".encode()
QP_ADDRESS = quopri.encodestring(ADDRESS.encode()).decode()
HIDDEN = [  # (name under content/contacts/, bytes): a reader can get the value out of each
    ("roster.tar.gz", _tar_gz("roster/zhang.vcf", VCARD)),
    ("roster.txt.bz2", bz2.compress(VCARD)),
    ("roster.txt.xz", lzma.compress(VCARD)),
    # Android and Outlook export Chinese contacts as vCard 2.1, quoted-printable
    ("android.vcf", f"ADR;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;{QP_ADDRESS}\r\n".encode()),
    ("mail.eml", b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(VCARD)),
    ("word.rtf", ("{\\rtf1\\ansi " + "".join(f"\\u{ord(c)}?" for c in ADDRESS) + "}").encode()),
    (
        "gbk.rtf",
        b"{\\rtf1\\ansi\\ansicpg936 "
        + "".join(f"\\'{b:02x}" for b in ADDRESS.encode("gbk")).encode()
        + b"}",
    ),
    ("places.kml", f"<kml><name>{ADDRESS[:4]}</name><name>{ADDRESS[4:]}</name></kml>".encode()),
    ("split.md", "# 联系\n\n电话 <b>139</b>1234 5678\n".encode()),
    ("card.pdf", _pdf_with_attachment(VCARD)),  # stored as it is: at its line in the file
]


@pytest.mark.parametrize(("name", "data"), HIDDEN, ids=[h[0] for h in HIDDEN])
def test_a_value_inside_an_archive_or_an_encoding_is_found_at_the_file(
    mini: Path, name: str, data: bytes
) -> None:
    """Found where it is written, the file (at its line 1 when no line shows it), not
    reported as pieces at the private field."""
    where = "38:5" if name.endswith(".pdf") else "1:1"
    assert "含有劳模 zhang-san 的存档信息" in one_error_for(mini, name, data, f"{where}: ")


UNREADABLE = [  # what the guard cannot read is refused, at the file
    ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + PHONE.encode("utf-16-le")),
    ("secret.zip", _zip({"x.txt": VCARD}, encrypted=True)),
    ("bomb.txt.gz", gzip.compress(bytes(65 * 2**20))),
    # encrypted with AES (an empty user password: readers open it without asking), made
    # by the helper that attacked the guard; pypdf needs `cryptography` to read it
    ("brochure.pdf", (FIXTURES / "hostile" / "aes-128.pdf").read_bytes()),
]


@pytest.mark.parametrize(("name", "data"), UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_a_file_the_guard_cannot_read_is_refused_at_the_file(
    mini: Path, name: str, data: bytes
) -> None:
    one_error_for(mini, name, data, "1:1: 隐私检查读不了这个文件")
    result = run(mini, "site")
    assert result.returncode == 1 and not (mini / "site").exists(), result.stdout


@given(
    st.text(alphabet="ab1２三 ,.-\u200b\u0301ﬁ示例路号ǅ\ufeff`*", max_size=30),
    st.integers(0, 30),
    st.integers(1, 10),
)
def test_column_is_the_first_character_past_the_normalised_offset(
    text: str, offset: int, floor: int
) -> None:
    """_column finds it by binary search (a minified file's one line took minutes); the
    straightforward scan it replaced is the reference."""
    expected = floor
    for i in range(max(floor - 1, 0), len(text)):
        if len(normalise(text[: i + 1])) > offset:
            expected = i + 1
            break
    assert _column(text, offset, floor) == expected


def test_pictures_under_content_are_not_read_as_text(mini: Path) -> None:
    """A picture's bytes may hold digits by chance: they are not text a reader gets, and
    are not scanned (the editor's vCard beside them is; a binary file of a kind the guard
    cannot read is refused: test_a_file_the_guard_cannot_read_is_refused_at_the_file)."""
    contacts = mini / "content" / "contacts"
    contacts.mkdir(parents=True)
    (contacts / "photo.gif").write_bytes(b"GIF89a\x00\x01" + PHONE.encode())
    (contacts / "song.mp3").write_bytes(b"ID3\x04\x00" + PHONE.encode())
    result = run(mini, "check")
    assert result.returncode == 0, result.stderr
    (contacts / "zhang.vcf").write_text(f"TEL:{PHONE}\n", "utf-8")
    found = fails_at(mini, f"content/contacts/zhang.vcf:1:5: {message('private.phone')}")
    assert len(found) == 1, found


@pytest.fixture
def books_private(tmp_path: Path) -> Path:
    """books-mini, with private values for shi-li-jia (phone at line 6, address at 7)."""
    root = copy_tree(FIXTURES / "books-mini", tmp_path / "books")
    with (root / "workers/shi-li-jia/profile.yml").open("a", encoding="utf-8") as f:
        f.write(
            'private:\n  phone: "139-8765-4321"\n  address: 示例市某某路12号三单元\n'
            "  notes: 家属要求不公开。孩子在示例第一中学读书！短句\n"
        )
    return root


CHAPTER = "content/books/sample-book/a-summer.md"


def test_address_and_notes_in_a_chapter(books_private: Path) -> None:
    edit(
        books_private / CHAPTER,
        "这一行和上一行之间的换行不算空格。",
        "他住在示例市 某某路12号 三单元，孩子在示例第一中学读书。",
    )
    found = fails_at(
        books_private,
        f"{CHAPTER}:10:4: 正文: {message('private.address', 'shi-li-jia')}",
        f"{CHAPTER}:10:19: 正文: {message('private.notes', 'shi-li-jia')}",
    )
    assert len(found) == 2, found
    fails_at(
        books_private,
        f"{CHAPTER}:10:4: 正文: {message('private.address', 'shi-li-jia')}",
        command="site",
    )


def test_phone_in_a_chapter_title(books_private: Path) -> None:
    """A title reaches the front matter \\u-escaped, the EPUB and the book page."""
    edit(books_private / CHAPTER, "title: 夏天的车间", "title: 夏天的车间 139 8765 4321")
    found = fails_at(
        books_private, f"{CHAPTER}:2:14: title: {message('private.phone', 'shi-li-jia')}"
    )
    assert len(found) == 1, found


# --- false positives and short private values ----------------------------------------------

SAMPLE_PRIVATE = (
    'private:\n  phone: "0573-8{n:03d}-6{n:03d}"\n  id_number: "33040219800101{n:03d}X"\n'
    "  address: 嘉兴市南湖区示例路{n}号{n}幢\n"
    "  notes: 本人要求不公开家庭住址。联系人是工会办公室的示例同志{n}号！\n"
)


def sample_with_private(root: Path) -> Path:
    copy_sample(root)
    for n, profile in enumerate(sorted((root / "workers").glob("*/profile.yml")), 1):
        text = profile.read_text("utf-8")
        assert "private:" not in text
        profile.write_text(text.rstrip("\n") + "\n" + SAMPLE_PRIVATE.format(n=n), "utf-8")
    return root


def test_sample_exhibition_with_private_values_checks_clean(tmp_path: Path) -> None:
    root = sample_with_private(tmp_path / "sample")
    result = run(root, "check")
    assert result.returncode == 0, result.stderr


def test_built_sample_site_scans_clean(sample_site: Path, tmp_path: Path) -> None:
    """The real site (HTML, Pagefind, EPUB) holds none of the sample's private values."""
    root = sample_with_private(tmp_path / "sample")
    assert (sample_site / "site/pagefind").is_dir()
    problems = scan_folder(root, sample_site / "site")
    assert not problems, problems.report()


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        (
            '  phone: "13912345678"',
            '  phone: "12345"',
            f"{ZHANG}:29:10: private.phone: 存档信息太短",
        ),
        (
            f"  address: {ADDRESS}",
            "  address: 东区 1 号",
            f"{ZHANG}:31:12: private.address: 存档信息太短",
        ),
    ],
)
def test_too_short_private_value_is_located(
    mini: Path, line: str, value: str, expected: str
) -> None:
    edit(mini / ZHANG, line, value)
    found = fails_at(mini, expected)
    assert len(found) == 1, found


# --- a built site folder ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "books"
    copy_tree(FIXTURES / "books-mini", root)
    with (root / "workers/shi-li-jia/profile.yml").open("a", encoding="utf-8") as f:
        f.write('private:\n  phone: "139-8765-4321"\n  address: 示例市某某路12号三单元\n')
    with pytest.MonkeyPatch.context() as patch:  # the search index in several shards
        patch.setenv(searchindex.SHARD_PAGES_ENV, "2")
        result = run(root, "site")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def site_copy(built_books: Path, tmp_path: Path) -> Path:
    root = tmp_path / "books"
    shutil.copytree(built_books, root, symlinks=True)
    assert not scan_folder(root, root / "site")
    return root


PRIVATE_AT = "workers/shi-li-jia/profile.yml:6:10: private.phone: 存档信息出现在公开文件 "


def reported(root: Path, output: str) -> None:
    problems = scan_folder(root, root / "site")
    lines = problems.report().splitlines()
    assert len(lines) == 1 and lines[0].startswith(PRIVATE_AT + output), lines


def test_scan_folder_finds_a_number_in_an_html_attribute(site_copy: Path) -> None:
    page = site_copy / "site/about/index.html"
    edit(page, "<body", '<body data-contact="139&#8203;8765 4321"')
    assert "139&#8203;8765 4321" in page.read_text("utf-8")
    reported(site_copy, "about/index.html")


def test_scan_folder_finds_a_number_split_across_tags(site_copy: Path) -> None:
    page = site_copy / "site/about/index.html"
    edit(page, "</article>", "<p><code>139</code><code>8765</code><b>4321</b></p></article>")
    reported(site_copy, "about/index.html")


@pytest.mark.parametrize("which", [0, -1])  # shard 0 (pagefind/) and the last (pagefind/sN/)
def test_scan_folder_finds_a_number_in_a_pagefind_fragment(site_copy: Path, which: int) -> None:
    shards = json.loads((site_copy / "site" / searchindex.MANIFEST).read_bytes())["shards"]
    assert len(shards) > 1
    folder = shards[which]
    fragment = sorted((site_copy / "site" / folder / "fragment").glob("*.pf_fragment"))[0]
    data = gzip.decompress(fragment.read_bytes())
    planted = data.replace(b'"content":"', '"content":"电话 139-8765-4321 '.encode(), 1)
    assert planted != data
    fragment.write_bytes(gzip.compress(planted))
    assert b"139-8765-4321" in gzip.decompress(fragment.read_bytes())
    reported(site_copy, f"{folder}fragment/{fragment.name}")


def test_scan_folder_finds_a_number_in_an_epub_member(site_copy: Path) -> None:
    epub = site_copy / "site/books/sample-book/sample-book.epub"
    source = zipfile.ZipFile(io.BytesIO(epub.read_bytes()))
    member = next(
        n for n in source.namelist() if n.endswith(".xhtml") and b"</body>" in source.read(n)
    )
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = data.replace(
                    b"</body>", "<p>１３９ ８７６５ ４３２１</p></body>".encode(), 1
                )
            target.writestr(info, data)
    epub.write_bytes(out.getvalue())
    with zipfile.ZipFile(epub) as check:
        assert "１３９ ８７６５ ４３２１" in check.read(member).decode("utf-8")
    reported(site_copy, f"books/sample-book/sample-book.epub!{member}")


def test_scan_folder_finds_a_number_in_a_qr_code_svg(site_copy: Path) -> None:
    svg = site_copy / "site/workers/shi-li-jia/qr.svg"
    edit(svg, "</svg>", "<text>139 8765 4321</text></svg>")
    reported(site_copy, "workers/shi-li-jia/qr.svg")


def test_scan_folder_finds_a_number_in_a_pdf_text_layer(site_copy: Path) -> None:
    """A board's PDF (compressed streams, CJK font subsets) is read back as its text."""
    from showcase.pdf import load_weasyprint

    board = site_copy / "site/workers/shi-li-jia/board.pdf"
    html = "<html lang='zh'><body><p>联系电话：139－8765－4321</p></body></html>"
    board.write_bytes(load_weasyprint().HTML(string=html).write_pdf())
    assert b"8765" not in board.read_bytes()  # not findable as raw bytes
    reported(site_copy, "workers/shi-li-jia/board.pdf")


@given(
    st.lists(
        st.sampled_from(["a", "b", ".", "/", "md", "MD", "svg", "json", "gz", "html", "jpg"]),
        min_size=1,
        max_size=8,
    ).map("".join)
)
def test_which_outputs_are_scanned_is_decided_by_the_suffix_as_pathlib_reads_it(
    path: str,
) -> None:
    path = path.strip("/") or "a"
    # a file's path, as the build lists them: no empty, "." or ".." part (pathlib drops
    # a trailing "/.", and "a.md/." would be the folder a.md)
    assume(all(part not in ("", ".", "..") for part in path.split("/")))
    assert scannable(path) == (PurePosixPath(path).suffix.lower() in SCANNED)
