"""Pinyin of Chinese names, for display, sorting, the A–Z directory and search."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from showcase import memo

# Surnames read differently from the same character in ordinary words.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "乐": "yue", "盖": "ge", "缪": "miao", "翟": "zhai", "覃": "qin",
    "尉": "yu", "秘": "bi", "繁": "po", "员": "yun", "召": "shao", "沈": "shen",
    "种": "chong", "宁": "ning", "万": "wan", "薄": "bo", "柏": "bai", "长孙": "zhangsun",
    "尉迟": "yuchi", "万俟": "moqi",
}  # fmt: skip
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "夏侯", "公孙",
    "长孙", "尉迟", "万俟", "司徒", "端木", "独孤", "宇文", "轩辕",
)  # fmt: skip


def split_name(name: str) -> tuple[str, str]:
    surname_len = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:surname_len], name[surname_len:]


@cache
def _syllables(text: str) -> str:
    from pypinyin import Style, lazy_pinyin  # 0.15 s to import: only when a name is new

    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))


def name_pinyin(name: str) -> str:
    """Display form, surname first and capitalised: 姚红飞 → Yao Hongfei."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name
    return memo.derived("pinyin", name, lambda: _name_pinyin(name))


def _name_pinyin(name: str) -> str:
    surname, given = split_name(name)
    family = SURNAME_READINGS.get(surname) or _syllables(surname)
    parts = [family.capitalize(), _syllables(given).capitalize()]
    return " ".join(p for p in parts if p)


def sort_key(pinyin: str, name: str) -> tuple[str, str]:
    return (pinyin.lower().replace(" ", ""), name)


def initials(pinyin: str, name: str) -> str:
    """yhf for 姚红飞, taking the given name's characters one by one."""
    return memo.derived("pinyin", f"{pinyin}\0{name}", lambda: _initials(pinyin, name))


def _initials(pinyin: str, name: str) -> str:
    from pypinyin import Style, lazy_pinyin

    family = pinyin.split(" ")[0].lower() if pinyin else ""
    heads = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return (family[:1] + "".join(heads[1:])).lower()


def letter(pinyin: str) -> str:
    first = pinyin[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def suggest_slug(text: str, taken: Callable[[str], bool] = lambda _: False) -> str | None:
    """A folder name for what an editor typed instead of one: 张三 → zhang-san (a person's
    name read as one, 单 as Shan), Zhang_San → zhang-san; the next free one (zhang-san-2)
    when `taken` says it exists. None when nothing usable is left."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        from pypinyin import lazy_pinyin

        text = name_pinyin(text) if len(text) <= 4 else " ".join(lazy_pinyin(text))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("ü", "v")).strip("-")[:50].strip("-")
    if not slug or not slug[0].isalpha():
        return None
    candidate, n = slug, 2
    while taken(candidate):
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
