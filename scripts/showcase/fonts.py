"""The CJK font for outputs drawn here rather than by a browser: share cards (Pillow) and
printable boards (WeasyPrint). Debian's fonts-noto-cjk, installed by `make site`; never
downloaded at build time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Literal

Weight = Literal["regular", "bold"]
FONT_ENV = "SHOWCASE_CJK_FONT"  # a .ttc/.otf to use instead (its bold is the same file)
NOTO = Path("/usr/share/fonts/opentype/noto")
FILES: dict[Weight, tuple[str, ...]] = {
    "regular": ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
    "bold": ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansCJK-Regular.ttc"),
}
MISSING = (
    "找不到中文字体（Noto Sans CJK）：分享卡片和展板需要它。"
    "Debian/Ubuntu 上运行 sudo apt-get install fonts-noto-cjk（make site 会自动安装），"
    f"或用环境变量 {FONT_ENV} 指定一个中文字体文件"
)


class MissingFont(Exception):
    """No CJK font on this machine: an environment problem (exit 2), not a content one."""

    def __init__(self) -> None:
        super().__init__(MISSING)


@cache
def cjk_font(weight: Weight = "regular") -> Path:
    """The font file, or MissingFont with the Chinese advice."""
    chosen = os.environ.get(FONT_ENV)
    if chosen:
        if Path(chosen).is_file():
            return Path(chosen)
        raise MissingFont
    for name in FILES[weight]:
        if (NOTO / name).is_file():
            return NOTO / name
    found = _fontconfig(weight)
    if found is None:
        raise MissingFont
    return found


def _fontconfig(weight: Weight) -> Path | None:
    """Ask fontconfig for a Simplified Chinese Noto Sans CJK elsewhere on the machine."""
    if shutil.which("fc-match") is None:
        return None
    style = "Bold" if weight == "bold" else "Regular"
    done = subprocess.run(
        ["fc-match", "-f", "%{family}\n%{file}", f"Noto Sans CJK SC:style={style}"],
        capture_output=True,
        text=True,
    )
    family, _, file = done.stdout.partition("\n")
    if done.returncode != 0 or "CJK" not in family or not Path(file).is_file():
        return None
    return Path(file)
