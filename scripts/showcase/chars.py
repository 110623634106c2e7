"""Characters no value may contain, after YAML has undone its escapes.

A double-quoted YAML string can spell any code point (`"\\0"`, `"\\x01"`, `"\\uFFFE"`), and a
chapter's body is read as it is: control characters, noncharacters and lone surrogates
break XML (the EPUB) and terminals; the bidi embedding, override and isolate controls
let text display in another order than it is stored (a spoofing vector Chinese text never
needs). Zero-width characters, the BOM as ZWNBSP and LRM/RLM stay allowed.
"""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1, DEL; tab and newline decided below
_BIDI = "\u202a-\u202e\u2066-\u2069"
_INVALID = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_MULTILINE = re.compile(f"[{_CONTROLS}{_BIDI}{_INVALID}]")  # tab and newline allowed
_ONE_LINE = re.compile(f"[\t{_CONTROLS}{_BIDI}{_INVALID}]")  # a newline: 「只能写一行」
HINT = "删除这个字符，或从别处重新粘贴为纯文本"


def bad_char(text: str, *, multiline: bool = False) -> re.Match[str] | None:
    """The first character that may not appear in a value (tab and newline only in
    Markdown text), or None."""
    return (_MULTILINE if multiline else _ONE_LINE).search(text)


def describe(char: str) -> str:
    """「含有不可见的控制字符 U+0000」, said for editors."""
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"含有改变文字方向的控制字符 {code}"
    if ord(char) <= 0x9F:
        return f"含有不可见的控制字符 {code}"
    return f"含有无效的字符 {code}"
