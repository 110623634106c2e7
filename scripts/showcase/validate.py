"""Validate stage: checks across fields and files, after every file has been loaded."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from showcase.links import link_problems
from showcase.load import Loaded
from showcase.model import Entity, Studio, Worker
from showcase.problems import Problems
from showcase.settings import Settings
from showcase.unfilled import check_unfilled
from showcase.walk import walked

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".webm", ".mkv"}  # remuxed to .mp4 or .webm


def validate(root: Path, loaded: Loaded, problems: Problems) -> None:
    if loaded.settings is None:
        return
    check_settings(loaded.settings, problems)
    worker_slugs = {w.slug for w in loaded.workers}
    studio_slugs = {s.slug for s in loaded.studios}
    check_entrance(root, loaded, problems)
    for worker in loaded.workers:
        check_media(root, "workers", worker, problems)
        check_basis(worker, problems)
        check_refs(worker, "studios", studio_slugs, "工作室", problems)
        check_unfilled(worker, problems)
        check_videos(worker, problems)
        check_alt(worker, problems)
        check_links(worker, problems)
    for studio in loaded.studios:
        check_media(root, "studios", studio, problems)
        check_links(studio, problems)
        check_alt(studio, problems)
        check_refs(studio, "leader", worker_slugs, "劳模", problems)
        check_refs(studio, "members", worker_slugs, "劳模", problems)
        check_unfilled(studio, problems)


ENTRANCE = "content/entrance"  # the home page's hero image (through the media pipeline)


def check_entrance(root: Path, loaded: Loaded, problems: Problems) -> None:
    """exhibition.yml's hero image is a safe file in content/entrance/; featured workers
    exist and are published."""
    settings = loaded.settings
    assert settings is not None
    if settings.hero_image:
        problem = media_problem(root / ENTRANCE, settings.hero_image)
        if problem:
            problems.add(*settings.loc.at("hero_image"), "hero_image", *problem)
    published = {w.slug: w.publish for w in loaded.workers}
    for i, slug in enumerate(settings.featured):
        key = f"featured[{i}]"
        if slug not in published:
            hint = slug_hint(slug, published, "workers")
            problems.add(*settings.loc.at(key), key, f"找不到劳模「{slug}」", hint)
        elif not published[slug]:
            hint = "先公开档案（publish: true），或删掉这一项"
            problems.add(*settings.loc.at(key), key, f"劳模「{slug}」的档案没有公开", hint)


def check_links(entry: Entity, problems: Problems) -> None:
    """Markdown fields link only to absolute http(s) URLs and hold no images; each problem
    at its own line when the field is a literal block (`bio: |`), else at the field."""
    for owner, key, full, value, sp in walked(entry):
        if not sp.links:
            continue
        path, line, col = owner.loc.at(key)
        body = owner.loc.fields.get(f"{key}:body")
        for p in link_problems(value):
            where = (body[0] + p.line - 1, body[1] + p.col - 1) if body else (line, col)
            problems.add(path, *where, full, p.message, p.hint)


def check_settings(settings: Settings, problems: Problems) -> None:
    studio_levels = {level.name for level in settings.studio_levels}
    for i, reported in enumerate(settings.reported_studios):
        if reported.level not in studio_levels:
            path, line, col = reported.loc.at("level")
            message = f"未知的工作室级别「{reported.level}」"
            problems.add(
                path,
                line,
                col,
                f"reported_studios[{i}].level",
                message,
                "可选：" + "、".join(studio_levels),
            )
    levels = {level.name for level in settings.honor_levels}
    for i, honor in enumerate(settings.honors):
        if honor.level not in levels:
            path, line, col = honor.loc.at("level")
            problems.add(
                path,
                line,
                col,
                f"honors[{i}].level",
                f"未知的荣誉级别「{honor.level}」",
                "可选：" + "、".join(sorted(levels)),
            )


def closest_slug(slug: str, known: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(slug, sorted(known), n=1, cutoff=0.6)
    return found[0] if found else None


def slug_hint(slug: str, known: Iterable[str], folder: str) -> str:
    """「是否指…？」 for a misspelt folder name, else where the name should come from."""
    found = closest_slug(slug, known)
    return f"是否指「{found}」？" if found else f"应是 {folder}/ 下已有的文件夹名"


def check_refs(
    entry: Worker | Studio, name: str, known: set[str], what: str, problems: Problems
) -> None:
    value = getattr(entry, name)
    slugs = value if isinstance(value, tuple) else ((value,) if value else ())
    for i, slug in enumerate(slugs):
        if slug not in known:
            key = f"{name}[{i}]" if isinstance(value, tuple) else name
            path, line, col = entry.loc.at(key)
            folder = "studios" if what == "工作室" else "workers"
            hint = slug_hint(slug, known, folder)
            problems.add(path, line, col, key, f"找不到{what}「{slug}」", hint)


def check_basis(worker: Worker, problems: Problems) -> None:
    if not worker.publish:
        return
    path, line, col = worker.loc.at("publish")
    if worker.consent is None and not worker.sources:
        problems.add(
            path,
            line,
            col,
            "publish",
            "公开发布在世人物的档案需要依据",
            "添加 consent（本人书面同意）或 sources（公开出处），或写 publish: false",
        )
    elif worker.consent is not None and "profile" not in worker.consent.scope:
        path, line, col = worker.consent.loc.at("scope")
        problems.add(
            path,
            line,
            col,
            "consent.scope",
            "同意范围不含 profile，不能公开档案",
            "在 scope 中加入 profile，或写 publish: false",
        )


def check_videos(worker: Worker, problems: Problems) -> None:
    for i, video in enumerate(worker.videos):
        path, line, col = video.loc.path, video.loc.line, video.loc.col
        if bool(video.file) == bool(video.url):
            problems.add(
                path,
                line,
                col,
                f"videos[{i}]",
                "视频须填 file 或 url 之一（只填一个）",
                "本地视频写 file，外部视频写 https 网址 url",
            )
        if video.url and not video.url.startswith("https://"):
            problems.add(
                *video.loc.at("url"),
                f"videos[{i}].url",
                "外部视频只接受 https 网址",
                "以 https:// 开头",
            )
        if video.file and not video.poster:
            problems.add(
                path,
                line,
                col,
                f"videos[{i}].poster",
                "本地视频需要封面图片",
                "添加 poster: 封面文件名",
            )


def check_media(root: Path, kind: str, entry: Worker | Studio, problems: Problems) -> None:
    folder = root / kind / entry.slug
    for owner, key, full, value, sp in walked(entry):
        if not sp.media:
            continue
        path, line, col = owner.loc.at(key)
        problem = media_problem(
            folder, value, video=full.endswith(".file") and ".videos[" in f".{full}"
        )
        if problem:
            problems.add(path, line, col, full, *problem)


def media_problem(
    folder: Path, name: str, *, video: bool = False, shown: str = ""
) -> tuple[str, str] | None:
    """Why a media reference is not a safe, existing file in the entry's own folder."""
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        return f"「{name}」必须是本文件夹中的文件名", "只写文件名，如 portrait.jpg；不要写路径或 .."
    allowed = VIDEO_SUFFIXES if video else IMAGE_SUFFIXES
    if Path(name).suffix.lower() not in allowed:
        return f"「{name}」的格式不受支持", "可用格式：" + "、".join(sorted(allowed))
    target = folder / name
    if target.is_symlink():
        return f"「{name}」是符号链接，不能使用", "把真实文件复制到本文件夹"
    if not target.is_file():
        return (
            f"找不到文件「{name}」",
            f"把文件放进 {folder.parent.name}/{folder.name}/，注意大小写",
        )
    return None


def check_alt(entry: Worker | Studio, problems: Problems) -> None:
    """A gallery image needs words for readers who cannot see it."""
    for i, pic in enumerate(entry.gallery):
        if not pic.alt:
            path, line, col = pic.loc.path, pic.loc.line, pic.loc.col
            hint = (
                "添加 alt: 一句话描述图片内容（目前用图片说明代替）"
                if pic.caption
                else "添加 alt: 一句话描述图片内容"
            )
            problems.add(
                path,
                line,
                col,
                f"gallery[{i}].alt",
                f"图片「{pic.file}」缺少替代文字",
                hint,
                warning=True,
            )
