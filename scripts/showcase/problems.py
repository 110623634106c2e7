"""Problems are data: every check appends one, nothing raises on bad content."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an editor's file. Lines and columns are 1-based."""

    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""
    warning: bool = False

    def format(self) -> str:
        parts = [f"{self.path}:{self.line}:{self.col}"]
        if self.warning:
            parts.append("警告")
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + f": {self.message}"
        return text + (f"（提示：{self.hint}）" if self.hint else "")


@dataclass
class Problems:
    """Collects problems from all stages; the build stops before writing if any is an error."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: str | PurePosixPath,
        line: int,
        col: int,
        field_name: str,
        message: str,
        hint: str = "",
        *,
        warning: bool = False,
    ) -> None:
        self.items.append(Problem(str(path), line, col, field_name, message, hint, warning))

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if not p.warning)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.warning)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def report(self) -> str:
        lines = [p.format() for p in self.errors + self.warnings]
        return "\n".join(lines)
