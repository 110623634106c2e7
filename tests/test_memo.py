"""build/memo.bin: what the generator remembers between runs (showcase/memo.py).

It must change nothing a build produces (tests/test_incremental.py compares whole sites
built with and without it), hold nothing private or unpublished, and never be trusted
when anything but this user's generator wrote it."""

from __future__ import annotations

import marshal
import re
import shutil
import subprocess
import sys
from pathlib import Path

from showcase.build import build
from showcase.localkey import mac_of_pieces
from showcase.memo import MEMO_FILE, Memo, memo, unpack
from showcase.pinyin import name_pinyin

from conftest import run

HIDDEN = ("隐藏者", "hidden-one", "不公开的档案", "秘密传记", "secret.example.net")
PRIVATE = ("13912345678", "110101199003077777", "示例路88号秘密住址")


def stored(root: Path) -> dict[str, dict[str, str]]:
    """What build/memo.bin holds (its signature is checked by the tests that need it)."""
    body = (root / MEMO_FILE).read_bytes().partition(b"\n")[2]
    return unpack(body.partition(b"\n")[2])


def docs(root: Path) -> dict[str, bytes]:
    folder = root / "build" / "docs"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}


def test_memo_holds_nothing_private_or_unpublished_even_after_a_drafts_preview(
    mini: Path,
) -> None:
    # The preview keeps the memo in memory between rebuilds, drafts included; a build
    # without drafts in the same process must still write none of them to build/.
    hidden = mini / "workers/hidden-one/profile.yml"
    hidden.write_text(
        hidden.read_text("utf-8")
        + "bio: |\n  秘密传记，见 [报道](https://secret.example.net/story)。\n",
        "utf-8",
    )
    preview = build(mini, drafts=True)
    assert not preview.problems
    assert "秘密传记" in (mini / "build/docs/workers/hidden-one/index.md").read_text("utf-8")
    result = build(mini)
    assert not result.problems
    raw = (mini / MEMO_FILE).read_bytes().decode("utf-8", "replace")  # marshal: UTF-8 strings
    layouts = stored(mini)["layouts"]
    assert layouts, "the build remembered no layout"
    hidden_pinyin = name_pinyin("隐藏者")  # remembered for published names only
    assert hidden_pinyin == "Yin Cangzhe"
    for value in (*HIDDEN, *PRIVATE, hidden_pinyin):
        assert value not in raw, value
    assert stored(mini)["pinyin"], "no published name's pinyin kept"
    # what was remembered is what was published: every layout is part of an output
    outputs = [p for p in (mini / "build/docs").rglob("*") if p.is_file()]
    published = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in outputs)
    assert all(html.strip() in published for html in layouts.values())


def test_a_memo_changed_by_anything_but_the_generator_is_ignored(mini: Path) -> None:
    first = run(mini, "build")
    assert first.returncode == 0, first.stderr
    path = mini / MEMO_FILE
    signature, _, body = path.read_bytes().partition(b"\n")
    stamp = body.partition(b"\n")[0]
    data = stored(mini)
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    chunks = [marshal.dumps((t, [(k, hostile) for k in data[t]]), 2) for t in ("layouts", "prose")]
    forged = b"".join(len(c).to_bytes(8, "little") + c for c in chunks)
    path.write_bytes(signature + b"\n" + stamp + b"\n" + forged)  # the old signature

    twin = mini.parent / "twin"
    shutil.copytree(mini, twin, ignore=shutil.ignore_patterns("build"))
    for root in (mini, twin):  # the same edit in both; twin has no memo at all
        profile = root / "workers/li-si/profile.yml"
        text = profile.read_text("utf-8")
        profile.write_text(re.sub(r"(?m)^summary: .*$", "summary: 改过的简介", text), "utf-8")
        again = run(root, "build")
        assert again.returncode == 0, again.stderr
    built = docs(mini)
    assert not any("<script" in text.decode("utf-8") for text in built.values())
    assert built == docs(twin)
    # and the forged file was replaced by a signed one of the generator's own
    assert b"alert(" not in path.read_bytes()


def test_a_remembered_clean_scan_does_not_hide_a_new_private_value(mini: Path) -> None:
    # The guard remembers outputs it found clean for one set of private values; a page
    # that was clean becomes a leak when its worker's phone number is added to the secrets.
    assert run(mini, "build").returncode == 0
    li_si = mini / "workers/li-si/profile.yml"
    # a phone number that is already on the published page (in the summary) becomes private
    text = li_si.read_text("utf-8")
    text = re.sub(r"(?m)^summary: .*$", "summary: 服务热线13800138000", text)
    li_si.write_text(text, "utf-8")
    assert run(mini, "build").returncode == 0  # not private yet: a public number
    text += '\nprivate:\n  phone: "13800138000"\n'
    li_si.write_text(text, "utf-8")
    result = run(mini, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "13800138000" not in result.stderr  # reported by where it is, not shown
    assert "workers/li-si/profile.yml" in result.stderr


def test_the_process_memo_forgets_what_a_run_did_not_use(mini: Path) -> None:
    assert not build(mini).problems
    before = set(memo().values["layouts"])
    li_si = mini / "workers/li-si/profile.yml"
    text = li_si.read_text("utf-8")
    li_si.write_text(re.sub(r"(?m)^summary: .*$", "summary: 第二个简介", text), "utf-8")
    assert not build(mini).problems
    assert not build(mini).problems  # a run starts by dropping what the last one left
    after = set(memo().values["layouts"])
    assert before - after, "the old page's layouts are still held"
    assert len(after) <= len(before)


def remembered_layouts(root: Path) -> set[str]:
    return set(stored(root)["layouts"])


def test_the_run_after_a_cold_build_finds_every_layout_it_remembered(mini: Path) -> None:
    # The cold build parses YAML; the next run reads the model cache, whose objects share
    # other parts. A layout's key must depend on its context's value alone, or the first
    # edit after a cold build renders every page again.
    cold = run(mini, "build")
    assert cold.returncode == 0, cold.stderr
    keys = remembered_layouts(mini)
    again = run(mini, "build")
    assert again.returncode == 0, again.stderr
    assert keys and remembered_layouts(mini) == keys


def test_the_run_after_a_build_reads_every_name_s_pinyin_from_the_memo(mini: Path) -> None:
    # pypinyin is imported only when a name is new to the memo (0.15 s a process, and
    # 70 µs a name at 5,000 workers)
    assert run(mini, "build").returncode == 0
    code = (
        "import sys; from pathlib import Path; from showcase.build import build; "
        f"assert not build(Path({str(mini)!r})).problems; "
        "print('pypinyin' in sys.modules)"
    )
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "False"


def test_a_signed_memo_holding_anything_but_tables_of_strings_is_ignored(mini: Path) -> None:
    # marshal reads code objects and numbers too: a chunk is taken only when it is a
    # table's name and a list of (str, str), even under this user's own signature
    assert not build(mini).problems
    path = mini / MEMO_FILE
    stamp = path.read_bytes().partition(b"\n")[2].partition(b"\n")[0]
    key = next(iter(stored(mini)["layouts"]))
    for payload in (
        ("layouts", [(key, compile("1", "x", "eval"))]),
        ("layouts", [(key, 1)]),
        ("no-such-table", [(key, "x")]),
        ["layouts"],
        ("layouts", ["ab"]),  # unpacks into two strings, but is not an entry
        ("layouts", [frozenset({key, "x"})]),
    ):
        chunk = marshal.dumps(payload, 2)
        pieces = [stamp + b"\n", len(chunk).to_bytes(8, "little") + chunk]
        path.write_bytes(mac_of_pieces(b"memo", pieces).encode() + b"\n" + b"".join(pieces))
        fresh = Memo()
        fresh.start(mini)
        assert fresh.values["layouts"] == {} and fresh.on_disk == b"", payload
    good = marshal.dumps(("layouts", [(key, "<p>x</p>")]), 2)
    pieces = [stamp + b"\n", len(good).to_bytes(8, "little") + good]
    path.write_bytes(mac_of_pieces(b"memo", pieces).encode() + b"\n" + b"".join(pieces))
    fresh = Memo()
    fresh.start(mini)
    assert fresh.values["layouts"] == {key: "<p>x</p>"}  # the same file with strings is read
