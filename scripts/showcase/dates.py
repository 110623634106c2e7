"""Partial dates: what the editor knows (2014, 2014-11 or 2014-11-05), shown in Chinese."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
DATE_HINT = "写成 2014、2014-11 或 2014-11-05"
EARLIEST_YEAR = 1900


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ISO-like text; raise ValueError with a Chinese message."""
        m = DATE_RE.match(text.strip())
        if not m:
            raise ValueError(f"「{text}」不是日期")
        year, month, day = (int(g) if g else 0 for g in m.groups())
        latest = dt.date.today().year + 1
        if not EARLIEST_YEAR <= year <= latest:
            raise ValueError(f"年份 {year} 不在合理范围（{EARLIEST_YEAR}–{latest}）内")
        if month and not 1 <= month <= 12:
            raise ValueError(f"月份 {month} 不存在")
        if day:
            try:
                dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"{year}年{month}月没有 {day} 日") from None
        return cls(year, month, day)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{n:02d}" for n in (self.month, self.day) if n]
        return "-".join(parts)

    def zh(self) -> str:
        text = f"{self.year}年"
        if self.month:
            text += f"{self.month}月"
        if self.day:
            text += f"{self.day}日"
        return text
