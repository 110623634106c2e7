"""Load stage: find every settings, worker and studio file and convert it to the model."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, TypeVar

from showcase.convert import INVALID, Converter
from showcase.fields import SLUG_HINT, SLUG_RE
from showcase.model import Studio, Worker
from showcase.modelcache import ModelCache
from showcase.problems import Problems
from showcase.settings import Settings
from showcase.tree import check_tops, folders, not_regular
from showcase.yamlload import load_file

SETTINGS_FILE = "exhibition.yml"
KINDS = {"workers": ("profile.yml", Worker), "studios": ("studio.yml", Studio)}
T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Loaded:
    settings: Settings | None
    workers: tuple[Worker, ...]
    studios: tuple[Studio, ...]


def load_object(
    root: Path, rel: str, cls: type[T], problems: Problems, settings: Settings | None, **extra: Any
) -> T | None:
    """Read one YAML file into a model object, or None with its problems recorded."""
    node = load_file(root / rel, rel, problems)
    if node is None:
        return None
    value = Converter(rel, problems, settings).obj(node, cls, "", extra)
    return None if value is INVALID else value


def entry_folders(root: Path, kind: str) -> list[Path]:
    """Real entry folders (a symlinked one is reported by the tree check, never read)."""
    return folders(root / kind)


def load_entries(
    root: Path, kind: str, problems: Problems, settings: Settings, cache: ModelCache | None = None
) -> list[Any]:
    filename, cls = KINDS[kind]
    entries = []
    for folder in entry_folders(root, kind):
        rel = f"{kind}/{folder.name}/{filename}"
        if not SLUG_RE.match(folder.name):
            problems.add(rel, 1, 1, "", f"文件夹名「{folder.name}」不能用作网址", SLUG_HINT)
            continue
        target = folder / filename
        if not_regular(target) and (target.is_symlink() or not target.is_dir()):
            continue  # a symlink or a special file: reported by the tree check
        if not target.is_file():
            problems.add(
                rel,
                1,
                1,
                "",
                f"文件夹 {kind}/{folder.name} 中缺少 {filename}",
                "用 showcase new 从模板创建",
            )
            continue
        data = target.read_bytes() if cache is not None else b""
        entry = cache.get(rel, data, cls) if cache is not None else None
        if entry is None:
            before = len(problems.items)
            entry = load_object(root, rel, cls, problems, settings, slug=folder.name)
            if cache is not None and entry is not None and len(problems.items) == before:
                cache.put(rel, data, entry)
        if entry is not None:
            entries.append(entry)
    return entries


def load_all(
    root: Path, problems: Problems, *, cache: bool = False, writable: bool = False
) -> Loaded:
    """cache: reuse profiles parsed by an earlier run when their bytes are the same
    (modelcache.py); writable: update build/model-cache.bin (the build, not a check)."""
    check_tops(root, problems)  # symlinks and special files anywhere the generator reads
    if not os.path.lexists(root / SETTINGS_FILE):
        problems.add(
            SETTINGS_FILE,
            1,
            1,
            "",
            "找不到协会设置文件",
            f"在仓库根目录（有 {SETTINGS_FILE} 和 Makefile 的文件夹）里运行；新仓库才需要创建它",
        )
        return Loaded(None, (), ())
    before = len(problems.errors)
    settings = load_object(root, SETTINGS_FILE, Settings, problems, None)
    if settings is None or len(problems.errors) > before:
        return Loaded(None, (), ())  # every other check depends on the vocabularies
    models = ModelCache(root, (root / SETTINGS_FILE).read_bytes(), writable) if cache else None
    workers = load_entries(root, "workers", problems, settings, models)
    studios = load_entries(root, "studios", problems, settings, models)
    if models is not None:
        models.save()
    return Loaded(settings, tuple(workers), tuple(studios))
