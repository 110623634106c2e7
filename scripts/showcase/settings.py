"""The association's settings and vocabularies: the only place a city is named."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from showcase.fields import (
    CAPTION,
    FILE,
    NAME,
    SITE_TITLE,
    SLUG,
    SUMMARY,
    TERM,
    URL,
    spec,
)
from showcase.model import Entity, model


@model
class Level(Entity):
    key: str = spec("英文键，用于网址和样式，如 national", slug=True, max_length=SLUG)
    name: str = spec("显示名称，如 国家级；编辑在档案中写这个名称", max_length=TERM)


@model
class HonorTitle(Entity):
    SHORTHAND = "title"
    title: str = spec("荣誉称号全称，如 全国劳动模范", max_length=TERM)
    level: str = spec("级别（honor_levels 中的名称）", vocab="honor_levels", max_length=TERM)
    aliases: tuple[str, ...] = spec(
        "常见简称，如 全国劳模（写简称会提示改为全称）", (), max_length=TERM
    )


@model
class LevelCount(Entity):
    level: str = spec(
        "工作室级别（studio_levels 中的名称）", vocab="studio_levels", max_length=TERM
    )
    count: int = spec("数量", minimum=0)


SITE_URL_PATTERN = r"^https?://[^\s?#/]+(/[^\s?#]*)?/$"

RosterField = Literal[
    "name", "gender", "employer", "position", "district", "industry", "honor", "honor_year",
    "studio", "phone", "id_number", "address", "notes", "pinyin", "skip",
]  # fmt: skip


@model
class RosterColumn(Entity):
    header: str = spec("花名册的列标题，如 手机号码", max_length=TERM)
    field: RosterField = spec(
        "导入到哪个字段：name 姓名、gender 性别、employer 工作单位、position 职务、district 地区、"
        "industry 行业、honor 荣誉称号、honor_year 获得年份、studio 工作室、phone 电话、"
        "id_number 身份证号、address 住址、notes 备注、pinyin 拼音、skip 不导入（如 序号）"
    )


@model
class Settings(Entity):
    association: str = spec("协会名称，如 嘉兴市劳模协会", max_length=TERM)
    city: str = spec("城市，如 嘉兴", max_length=NAME)
    site_title: str = spec("网站标题", "劳模工匠云展", max_length=SITE_TITLE)
    site_description: str = spec("网站简介（一句话）", "", max_length=CAPTION)
    site_url: str = spec(
        "网站的正式地址（以 / 结尾），如 https://example.org/exhibition/：二维码、分享卡片、"
        "订阅和网站地图里的完整网址都由它生成；网站放在子路径下也可以",
        url=True,
        pattern=SITE_URL_PATTERN,
        pattern_hint="以 http:// 或 https:// 开头、以 / 结尾的完整网址，不带 ? 和 #，"
        "如 https://example.org/exhibition/",
        max_length=URL,
    )
    districts: tuple[str, ...] = spec("县（市、区）词表", (), max_length=TERM)
    industries: tuple[str, ...] = spec("行业词表", (), max_length=TERM)
    honor_levels: tuple[Level, ...] = spec("荣誉级别，从高到低", ())
    honors: tuple[HonorTitle, ...] = spec("荣誉称号词表，按显示顺序", ())
    studio_levels: tuple[Level, ...] = spec("工作室级别，从高到低", ())
    studio_kinds: tuple[str, ...] = spec("组织类型词表", ("创新工作室",), max_length=TERM)
    achievement_kinds: tuple[str, ...] = spec("成果类型词表", (), max_length=TERM)
    reported_studios: tuple[LevelCount, ...] = spec(
        "协会公布的各级工作室总数（统计页的金字塔图）", ()
    )
    reported_studios_note: str = spec("上述总数的出处与说明", "", max_length=CAPTION)
    subtitle: str = spec("首页大标题下的一句话", "", max_length=SUMMARY)
    hero_image: str | None = spec(
        "首页大图：content/ 文件夹中的图片文件名（经过图片处理，不原样发布）",
        None,
        media=True,
        max_length=FILE,
    )
    hero_alt: str = spec("首页大图的替代文字：给看不见图片的读者的描述", "", max_length=CAPTION)
    featured: tuple[str, ...] = spec(
        "首页推荐的劳模（workers/ 下的文件夹名，按显示顺序）", (), slug=True, max_length=SLUG
    )

    boards: bool = spec(
        "网站是否附带可打印的展板 PDF（每位劳模、每个工作室一张 A4，每个展厅一张 A3），"
        "页面上出现「下载展板」链接：true 或 false，默认 false（展板多时生成网站会慢一些）",
        False,
    )

    roster_columns: tuple[RosterColumn, ...] = spec(
        "花名册导入（showcase import roster）的列标题；写在这里的补充或替换内置的列标题", ()
    )

    def vocab(self, name: str) -> tuple[str, ...]:
        return self._vocabs.get(name, ())

    @cached_property
    def _vocabs(self) -> dict[str, tuple[str, ...]]:
        return {
            "districts": self.districts,
            "industries": self.industries,
            "honor_levels": tuple(level.name for level in self.honor_levels),
            "honors": tuple(h.title for h in self.honors),
            "studio_levels": tuple(level.name for level in self.studio_levels),
            "studio_kinds": self.studio_kinds,
            "achievement_kinds": self.achievement_kinds,
        }

    def alias(self, vocab: str, value: str) -> str | None:
        """The full title an editor meant by a known short form."""
        if vocab != "honors":
            return None
        return next((h.title for h in self.honors if value in h.aliases), None)

    def honor(self, title: str) -> HonorTitle:
        return self._honors[title][0]

    def honor_level(self, title: str) -> Level:
        return self._honors[title][1]

    def honor_rank(self, title: str) -> int:
        """Sort key: level first (highest first), then the vocabulary's display order."""
        return self._honors[title][2]

    @cached_property
    def _honors(self) -> dict[str, tuple[HonorTitle, Level, int]]:
        """Each title's entry, level and rank (looked up for every honour of every page)."""
        levels = {v.name: (rank, v) for rank, v in reversed(list(enumerate(self.honor_levels)))}
        out: dict[str, tuple[HonorTitle, Level, int]] = {}
        for order, h in enumerate(self.honors):
            if h.title not in out and h.level in levels:  # the first entry of a title wins
                rank, level = levels[h.level]
                out[h.title] = (h, level, rank * 1000 + order)
        return out
