"""The privacy guard: `private` values must never reach a page.

Two checks, both before anything is written:
- within each profile, no public field may contain one of its private values (the usual
  leak: an address or phone pasted into `bio`); the problem points at the public field;
- across every generated page and hand-written page, no run of digits (phone, ID number,
  written with or without spaces, dashes or full-width digits) may contain any private
  number of any profile; the problem points at the private field and names the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from showcase.artifact import Artifact
from showcase.model import Worker
from showcase.problems import Problems
from showcase.walk import walk

MIN_TEXT = 4  # shorter private text (a surname, say) is too common to police
MIN_DIGITS = 7
# A run of digits with separators between them; in generated pages a separator may be a
# numeric character reference (markup.text writes "-" as "&#45;").
DIGIT_RUN = re.compile(r"\d(?:(?:[\d\s\-–—.·/]|&#\d{1,5};)*\d)?")
NOT_DIGIT = re.compile(r"&#\d{1,5};|\D")
# Full-width digits, space, hyphen and full stop, as a Chinese keyboard types them.
FOLD = {0xFF10 + i: 0x30 + i for i in range(10)} | {0x3000: 0x20, 0xFF0D: 0x2D, 0xFF0E: 0x2E}
HINT = "从公开字段中删除这段内容；电话、证件号、住址只能写在 private 下"


def normal(text: str) -> str:
    """Full-width digits and separators folded to ASCII."""
    return text.translate(FOLD)


def digits(text: str) -> str:
    return re.sub(r"\D", "", normal(text))


def digit_runs(text: str) -> Iterable[str]:
    for match in DIGIT_RUN.finditer(normal(text)):
        run = NOT_DIGIT.sub("", match.group())
        if len(run) >= MIN_DIGITS:
            yield run


def _secrets(worker: Worker) -> list[tuple[str, str, str, str]]:
    """(field, text, digits, location key) of each private value worth guarding."""
    if worker.private is None:
        return []
    out = []
    for _owner, key, full, value, _ in walk(worker.private, "private"):
        out.append((full, normal(str(value)).strip(), digits(str(value)), key))
    return out


def check_profiles(workers: Iterable[Worker], problems: Problems) -> set[tuple[str, str]]:
    """Check each profile's public fields; return the (slug, private field) pairs found."""
    found: set[tuple[str, str]] = set()
    for worker in workers:
        secrets = _secrets(worker)
        if not secrets:
            continue
        for owner, key, full, value, _ in walk(worker):
            if full.startswith("private") or not isinstance(value, str):
                continue
            text, runs = normal(value), set(digit_runs(value))
            for name, secret, number, _ in secrets:
                leaked = (len(secret) >= MIN_TEXT and secret in text) or (
                    len(number) >= MIN_DIGITS and any(number in run for run in runs)
                )
                if leaked:
                    found.add((worker.slug, name))
                    path, line, col = owner.loc.at(key)
                    problems.add(path, line, col, full, f"含有存档信息（{name}），不能公开", HINT)
    return found


def check_pages(
    workers: Iterable[Worker],
    artifacts: Iterable[Artifact],
    problems: Problems,
    known: set[tuple[str, str]],
) -> None:
    """Scan every page once for the digits of every private number (`known`: already reported)."""
    numbers: dict[str, tuple[Worker, str, str]] = {}
    for worker in workers:
        for name, _, number, key in _secrets(worker):
            if len(number) >= MIN_DIGITS and (worker.slug, name) not in known:
                numbers[number] = (worker, name, key)
    if not numbers:
        return
    lengths = sorted({len(n) for n in numbers})
    reported: set[tuple[str, str]] = set()
    for artifact in artifacts:
        if not artifact.path.endswith((".md", ".svg", ".txt", ".html")):
            continue
        for run in digit_runs(artifact.content().decode("utf-8", "replace")):
            for size in lengths:
                for i in range(len(run) - size + 1):
                    hit = numbers.get(run[i : i + size])
                    if hit and (hit[1], artifact.path) not in reported:
                        reported.add((hit[1], artifact.path))
                        worker, name, key = hit
                        assert worker.private is not None
                        path, line, col = worker.private.loc.at(key)
                        message = f"私密号码出现在公开页面 {artifact.path} 中"
                        problems.add(path, line, col, name, message, HINT)
