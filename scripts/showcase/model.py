"""The one model layer: typed, immutable objects. Templates never see raw dicts.

Field descriptions (Chinese) are what editors see as hover help through the JSON Schemas.
Every object carries `loc`, where it was written, for located cross-file messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from showcase.dates import PartialDate
from showcase.fields import (
    BODY,
    CAPTION,
    DETAIL,
    FILE,
    MARKDOWN,
    NAME,
    NOTES,
    NOWHERE,
    NUMBER,
    PINYIN,
    SLUG,
    SUMMARY,
    TAG,
    TERM,
    TITLE,
    URL,
    Loc,
    spec,
)

model = dataclass(frozen=True, kw_only=True)

Qualifier = Literal["", "余", "多", "以上", "左右", "近", "超过"]
ConsentScope = Literal["profile", "portrait", "gallery", "videos"]
Gender = Literal["男", "女"]


@model
class Entity:
    loc: Loc = field(default=NOWHERE, compare=False, repr=False)
    # A scalar written where this object is expected fills this field (e.g. `- 秦山核电`).
    SHORTHAND: ClassVar[str | None] = None


@model
class Source(Entity):
    SHORTHAND = "title"
    title: str = spec("公开出处的标题，如报刊文章名", max_length=TITLE)
    publisher: str | None = spec("发布单位或媒体", None, max_length=BODY)
    date: PartialDate | None = spec("发表日期", None)
    url: str | None = spec("网址（只允许 http/https）", None, url=True, max_length=URL)


@model
class Consent(Entity):
    date: PartialDate = spec("本人签署公开同意书的日期")
    scope: tuple[ConsentScope, ...] = spec(
        "同意公开的范围：profile 档案文字、portrait 肖像、gallery 相册、videos 视频"
    )


@model
class Honor(Entity):
    SHORTHAND = "title"
    title: str = spec("荣誉称号，须在设置的荣誉词表中（决定级别）", vocab="honors", max_length=TERM)
    year: PartialDate | None = spec("获得年份，如 2015 或 2015-04", None)
    body: str | None = spec("授予单位", None, max_length=BODY)


@model
class Achievement(Entity):
    kind: str = spec(
        "成果类型：专利、标准、发明、产品、工艺作品、奖项、论文、项目、绝技等",
        vocab="achievement_kinds",
        max_length=TERM,
    )
    title: str = spec("成果名称", max_length=TITLE)
    year: PartialDate | None = spec("年份", None)
    detail: str | None = spec("一两句说明", None, max_length=DETAIL)
    image: str | None = spec("成果图片（本文件夹中的文件名）", None, media=True, max_length=FILE)


@model
class Service(Entity):
    SHORTHAND = "title"
    title: str = spec("志愿服务或技术服务的内容", max_length=TITLE)
    year: PartialDate | None = spec("年份", None)
    detail: str | None = spec("补充说明", None, max_length=DETAIL)


@model
class Picture(Entity):
    SHORTHAND = "file"
    file: str = spec("图片文件名（与本文件在同一文件夹）", media=True, max_length=FILE)
    caption: str | None = spec("图片说明", None, max_length=CAPTION)
    alt: str | None = spec("替代文字：给看不见图片的读者的描述", None, max_length=CAPTION)


@model
class Video(Entity):
    file: str | None = spec("本地视频文件名（MP4/WebM）", None, media=True, max_length=FILE)
    url: str | None = spec("外部视频的 https 网址", None, url=True, max_length=URL)
    poster: str | None = spec("封面图片文件名", None, media=True, max_length=FILE)
    caption: str | None = spec("视频说明", None, max_length=CAPTION)


@model
class Private(Entity):
    phone: str | None = spec(
        "联系电话（仅存档，永不公开；请加引号）", None, quoted=True, max_length=NUMBER
    )
    id_number: str | None = spec(
        "身份证号（仅存档，永不公开；请加引号）", None, quoted=True, max_length=NUMBER
    )
    address: str | None = spec("住址（仅存档，永不公开）", None, max_length=CAPTION)
    notes: str | None = spec("内部备注（仅存档，永不公开）", None, markdown=True, max_length=NOTES)


@model
class Focus(Entity):
    x: int = spec("脸部中心离左边的距离，占照片宽度的百分比（0–100）", minimum=0, maximum=100)
    y: int = spec("脸部中心离上边的距离，占照片高度的百分比（0–100）", minimum=0, maximum=100)


@model
class Worker(Entity):
    slug: str = spec("网址标识，取自文件夹名", "", max_length=SLUG)
    name: str = spec("姓名（汉字）", max_length=NAME)
    pinyin: str | None = spec(
        "姓名拼音，如 Shan Tianfang；不写则自动生成（多音字姓氏请填写）",
        None,
        pattern=r"^[A-Za-zÜü' ]+$",
        pattern_hint="只写拼音字母和空格，如 Shan Tianfang",
        max_length=PINYIN,
    )
    gender: Gender | None = spec("性别：男 或 女", None)
    portrait: str | None = spec(
        "肖像照片文件名（与本文件在同一文件夹）", None, media=True, max_length=FILE
    )
    portrait_focus: Focus | None = spec("裁成卡片时保留的脸部位置，如 {x: 50, y: 30}", None)
    employer: str | None = spec("工作单位", None, max_length=BODY)
    position: str | None = spec("职务或岗位", None, max_length=BODY)
    industry: str | None = spec(
        "行业，须在设置的行业词表中", None, vocab="industries", max_length=TERM
    )
    district: str | None = spec(
        "所在县（市、区），须在设置的地区词表中", None, vocab="districts", max_length=TERM
    )
    honors: tuple[Honor, ...] = spec("荣誉列表", ())
    summary: str | None = spec("一句话简介", None, max_length=SUMMARY)
    bio: str | None = spec(
        "事迹介绍（Markdown，可分段；不允许 HTML）",
        None,
        markdown=True,
        max_length=MARKDOWN,
        links=True,
    )
    achievements: tuple[Achievement, ...] = spec("成果列表", ())
    studios: tuple[str, ...] = spec(
        "领衔或参加的工作室（工作室文件夹名）", (), slug=True, max_length=SLUG
    )
    services: tuple[Service, ...] = spec("志愿服务、技术服务记录", ())
    gallery: tuple[Picture, ...] = spec("相册", ())
    videos: tuple[Video, ...] = spec("视频", ())
    tags: tuple[str, ...] = spec("标签", (), max_length=TAG)
    publish: bool = spec("是否公开发布（true/false），默认 true", True)
    exhibited: PartialDate | None = spec(
        "上展日期，如 2024-05；首页「最新上展」按它从新到旧排列", None
    )
    updated: PartialDate | None = spec(
        "档案最近一次重要更新的日期，如 2025-03；订阅（feed.xml）按它列出更新的档案", None
    )
    consent: Consent | None = spec("本人书面同意（《个人信息保护法》第二十五条）", None)
    sources: tuple[Source, ...] = spec("公开出处（第二十七条）：只展示出处中已公开的信息", ())
    private: Private | None = spec("仅供协会存档的信息，永不出现在网站上", None)

    def shows(self, scope: ConsentScope) -> bool:
        """Whether the publishing basis covers this part of the profile."""
        if self.consent is None:
            return bool(self.sources)
        return scope in self.consent.scope


@model
class Recognition(Entity):
    SHORTHAND = "title"
    title: str = spec("命名或表彰名称", max_length=TITLE)
    body: str | None = spec("命名单位", None, max_length=BODY)
    date: PartialDate | None = spec("日期", None)


@model
class Figure(Entity):
    label: str = spec("指标名称，如 授权专利证书、师带徒", max_length=TERM)
    value: int | float = spec("数值", minimum=0)
    unit: str = spec("单位，如 份、名、项、人次", "", max_length=TAG)
    qualifier: Qualifier = spec("修饰：余、多、以上、左右、近、超过（照原文）", "")
    prefix: str = spec("前置说明，如 累计获、年均取得", "", max_length=TAG)


@model
class Standard(Entity):
    SHORTHAND = "title"
    title: str = spec("标准名称，如 《钢板钻》", max_length=TITLE)
    kind: str | None = spec("标准类别，如 浙江制造团体标准、行业标准", None, max_length=TERM)
    role: str | None = spec("参与方式，如 主导起草", None, max_length=TERM)


@model
class Project(Entity):
    SHORTHAND = "name"
    name: str = spec("服务的重大工程或项目，如 秦山核电", max_length=TITLE)
    detail: str | None = spec("补充说明", None, max_length=DETAIL)


@model
class Studio(Entity):
    slug: str = spec("网址标识，取自文件夹名", "", max_length=SLUG)
    name: str = spec("工作室或服务队名称", max_length=TITLE)
    kind: str = spec(
        "类型：创新工作室 或 技术服务队 等，须在设置的词表中",
        "创新工作室",
        vocab="studio_kinds",
        max_length=TERM,
    )
    level: str | None = spec(
        "级别，须在设置的工作室级别词表中", None, vocab="studio_levels", max_length=TERM
    )
    leader: str | None = spec("领衔人（劳模文件夹名）", None, slug=True, max_length=SLUG)
    members: tuple[str, ...] = spec("成员（劳模文件夹名）", (), slug=True, max_length=SLUG)
    host: str | None = spec("依托单位", None, max_length=BODY)
    district: str | None = spec("所在县（市、区）", None, vocab="districts", max_length=TERM)
    industry: str | None = spec("行业", None, vocab="industries", max_length=TERM)
    founded: PartialDate | None = spec("成立时间，如 2010-01", None)
    recognitions: tuple[Recognition, ...] = spec("命名与表彰", ())
    summary: str | None = spec("一句话简介", None, max_length=SUMMARY)
    description: str | None = spec(
        "详细介绍（Markdown；不允许 HTML）", None, markdown=True, max_length=MARKDOWN, links=True
    )
    figures: tuple[Figure, ...] = spec("主要数字（照原文写修饰词，如 300余份）", ())
    standards: tuple[Standard, ...] = spec("制订的标准", ())
    projects: tuple[Project, ...] = spec("服务的重大工程", ())
    services: tuple[Service, ...] = spec("服务记录", ())
    gallery: tuple[Picture, ...] = spec("相册", ())
    tags: tuple[str, ...] = spec("标签", (), max_length=TAG)
    publish: bool = spec("是否公开发布（true/false），默认 true", True)
    exhibited: PartialDate | None = spec(
        "上展日期，如 2024-05；首页「最新上展」按它从新到旧排列", None
    )
    updated: PartialDate | None = spec(
        "档案最近一次重要更新的日期，如 2025-03；订阅（feed.xml）按它列出更新的档案", None
    )
    sources: tuple[Source, ...] = spec("公开出处", ())
