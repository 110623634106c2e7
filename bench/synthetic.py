"""Synthetic exhibitions for benchmarks: a complete repository root of any size.

Every name is obviously artificial (示例劳模0001, 示例工作室0001), every source is
「合成测试数据」. Output depends only on the arguments: each entry draws from its own
random generator seeded by a fixed seed and its slug, so worker-0001 is the same file
whatever the size of the exhibition.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from showcase.convert import model_fields
from showcase.fields import NOTES, spec_of
from showcase.load import load_object
from showcase.model import Studio, Worker
from showcase.placeholders import portrait
from showcase.problems import Problems
from showcase.settings import Settings

REPO = Path(__file__).resolve().parent.parent
HOOK = REPO / "scripts" / "showcase" / "mkdocs_hook.py"
SEED = "showcase-bench-v1"
SOURCES = [{"title": "合成测试数据"}]
MEMBERS_PER_STUDIO = 3
PORTRAIT_SIZE = (480, 640)  # the media pipeline warns below 480 pixels wide

INDEX_MD = """# 劳模工匠云展（合成测试）

本站内容全部由基准测试程序自动生成，人物、单位和工作室均为虚构，仅用于测量生成速度。

!!! note "关于本站内容"
    这是合成测试数据，不代表任何真实人物或单位。
"""

ABOUT_MD = """# 关于

本云展为基准测试而生成：每份档案都由固定随机种子合成，重复运行得到完全相同的文件。

## 资料来源

- 合成测试数据
"""

# Sentence patterns for bios and descriptions; {…} are filled per entry.
SENTENCES = (
    "{year}年，{name}进入{employer}，从一线学徒做起，始终扎根{industry}生产岗位。",
    "多年来，{name}坚持“干一行、爱一行、钻一行”，先后攻克技术难题{n}项。",
    "在{district}开展的技能比武中，{name}多次取得优异成绩，带动身边职工学技术、练本领。",
    "针对现场设备故障频发的问题，{name}带领班组反复试验，形成了一套可推广的作业方法。",
    "{name}牵头完成的技术改进项目，每年为单位节约成本约{n}万元。",
    "{year}年起，{name}担任技能导师，累计带徒{n}名，其中多人成长为技术骨干。",
    "面对急难险重任务，{name}总是冲在前面，连续{n}天坚守在抢修现场。",
    "{name}注重把经验写成教材，编写的操作手册在{industry}行业内部广泛使用。",
    "工作之余，{name}积极参加志愿服务，走进社区和学校宣讲劳模精神。",
    "{name}常说：“岗位就是舞台，把每一件小事做到极致，就是创新。”",
    "依托创新工作室，{name}与高校合作开展课题研究，取得了一批实用成果。",
    "{year}年，{name}主持的攻关小组完成关键工艺改进，产品合格率明显提升。",
    "在安全生产方面，{name}提出的改进建议被单位采纳，有效消除了多处隐患。",
    "{name}热心传帮带，定期举办技术讲座，受益职工超过{n}人次。",
    "凭借扎实的技能和无私的奉献，{name}赢得了同事和群众的广泛赞誉。",
)
STUDIO_SENTENCES = (
    "{name}成立以来，围绕{industry}生产中的关键问题开展技术攻关，完成课题{n}项。",
    "{year}年，{name}在{district}牵头组建技能人才培养基地，累计培训职工{n}人次。",
    "工作室坚持“传帮带”，形成了以劳模领衔、骨干支撑、青年参与的梯队结构。",
    "{name}与院校和企业合作开展联合攻关，多项成果已在行业内推广应用。",
    "工作室定期组织技术交流和现场服务，为一线解决实际难题{n}个。",
    "{year}年起，{name}把创新成果整理成案例，在全市范围内分享交流。",
)
POSITIONS = ("高级技师", "技师", "班组长", "车间主任", "总工程师", "技术员", "首席技师")
TAGS = ("技能传承", "技术创新", "志愿服务", "安全生产", "师带徒", "绿色发展")
PROJECTS = ("示例大桥", "示例电站", "示例隧道", "示例港区", "示例园区", "示例高铁站")
STANDARD_KINDS = ("行业标准", "团体标准", "企业标准", "地方标准")
FIGURES = (
    ("累计获", "授权专利", "项"),
    ("", "师带徒", "名"),
    ("", "培训职工", "人次"),
    ("发表", "论文", "篇"),
    ("获", "省部级奖励", "项"),
)
QUALIFIERS = ("", "余", "多", "以上", "左右", "近", "超过")


@dataclass(frozen=True)
class Vocab:
    """The settings' vocabularies the generator draws from."""

    districts: tuple[str, ...]
    industries: tuple[str, ...]
    honors: tuple[str, ...]
    studio_levels: tuple[str, ...]
    studio_kinds: tuple[str, ...]
    achievement_kinds: tuple[str, ...]


@dataclass(frozen=True)
class StudioPlan:
    slug: str
    leader: str
    members: tuple[str, ...]


class _Dumper(yaml.SafeDumper):
    """Plain YAML the strict loader accepts: no anchors, block style for long text."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def load_vocab() -> Vocab:
    """Read the repository's own settings with the project's loader."""
    problems = Problems()
    settings = load_object(REPO, "exhibition.yml", Settings, problems, None)
    if settings is None:
        raise RuntimeError(problems.report())
    return Vocab(
        districts=settings.districts,
        industries=settings.industries,
        honors=tuple(h.title for h in settings.honors),
        studio_levels=tuple(level.name for level in settings.studio_levels),
        studio_kinds=settings.studio_kinds,
        achievement_kinds=settings.achievement_kinds,
    )


def rng_for(slug: str) -> random.Random:
    return random.Random(f"{SEED}/{slug}")


def worker_slug(i: int) -> str:
    return f"worker-{i:04d}"


def studio_slug(k: int) -> str:
    return f"studio-{k:04d}"


def worker_name(i: int) -> str:
    return f"示例劳模{i:04d}"


def employer(rng: random.Random, industry: str) -> str:
    return f"合成测试{industry}单位{rng.randint(1, 40):02d}"


def year(rng: random.Random, first: int = 2000, last: int = 2024) -> int | str:
    """A year, sometimes with a month (the loader reads both as a partial date)."""
    y = rng.randint(first, last)
    return f"{y}-{rng.randint(1, 12):02d}" if rng.random() < 0.3 else y


def prose(
    rng: random.Random, pool: tuple[str, ...], fill: dict[str, str], low: int, high: int
) -> str:
    """Paragraphs of 2–5 sentences, about `low`–`high` characters, each sentence once per round."""
    target = rng.randint(low, high)
    sentences: list[str] = []
    while sum(map(len, sentences)) < target:
        for pattern in rng.sample(pool, len(pool)):
            n, y = rng.randint(3, 300), rng.randint(2000, 2024)
            sentences.append(pattern.format(**fill, year=y, n=n))
            if sum(map(len, sentences)) >= target:
                break
    paragraphs: list[str] = []
    while sentences:
        size = rng.randint(2, 5)
        paragraphs.append("".join(sentences[:size]))
        del sentences[:size]
    return "\n\n".join(paragraphs) + "\n"


def honors(rng: random.Random, vocab: Vocab) -> list[dict[str, Any]]:
    titles = rng.sample(vocab.honors, rng.randint(0, 3))
    items = []
    for title in titles:
        item: dict[str, Any] = {"title": title, "year": year(rng)}
        if rng.random() < 0.3:
            item["body"] = "合成测试授予单位"
        items.append(item)
    return items


def achievements(rng: random.Random, vocab: Vocab, i: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": rng.choice(vocab.achievement_kinds),
            "title": f"一种合成测试用装置（{i:04d}之{j}）",
            "year": year(rng, 2005),
            "detail": "合成数据，仅用于基准测试。",
        }
        for j in range(1, rng.randint(1, 4) + 1)
    ]


def worker_profile(i: int, vocab: Vocab, studios: list[str], photo: bool) -> dict[str, Any]:
    rng = rng_for(worker_slug(i))
    name, industry = worker_name(i), rng.choice(vocab.industries)
    district = rng.choice(vocab.districts)
    unit = employer(rng, industry)
    fill = {"name": name, "employer": unit, "industry": industry, "district": district}
    data: dict[str, Any] = {"name": name, "gender": rng.choice(("男", "女"))}
    if photo:
        data["portrait"] = "portrait.jpg"
    data |= {
        "employer": unit,
        "position": rng.choice(POSITIONS),
        "industry": industry,
        "district": district,
        "honors": honors(rng, vocab),
        "summary": f"{name}，{industry}行业的合成测试劳模。",
        "bio": prose(rng, SENTENCES, fill, 400, 800),
        "achievements": achievements(rng, vocab, i),
        "studios": studios,
        "services": [{"title": "合成测试志愿服务", "year": year(rng, 2015)}],
        "tags": rng.sample(TAGS, rng.randint(0, 2)),
        "sources": SOURCES,
        "private": {  # every kind of private value, so the privacy guard has work to do
            "phone": f"139{i:08d}",
            "id_number": f"33040219{i:010d}",
            "address": f"合成测试地址第{i:04d}号",
            "notes": f"第{i}号合成劳模的内部备注。家访记录编号{i:06d}。",
        },
        "publish": True,
        **dates(i),
    }
    return {key: value for key, value in data.items() if value != []}


def figures(rng: random.Random) -> list[dict[str, Any]]:
    picks = rng.sample(FIGURES, rng.randint(2, 4))
    items = []
    for prefix, label, unit in picks:
        item: dict[str, Any] = {"label": label, "value": rng.randint(5, 500), "unit": unit}
        if prefix:
            item["prefix"] = prefix
        if qualifier := rng.choice(QUALIFIERS):
            item["qualifier"] = qualifier
        items.append(item)
    return items


def studio_profile(k: int, plan: StudioPlan, vocab: Vocab) -> dict[str, Any]:
    rng = rng_for(plan.slug)
    name = f"示例工作室{k:04d}"
    industry, district = rng.choice(vocab.industries), rng.choice(vocab.districts)
    fill = {"name": name, "industry": industry, "district": district}
    data: dict[str, Any] = {
        "name": name,
        "kind": rng.choice(vocab.studio_kinds),
        "level": rng.choice(vocab.studio_levels),
        "leader": plan.leader,
        "members": list(plan.members),
        "host": employer(rng, industry),
        "district": district,
        "industry": industry,
        "founded": f"{rng.randint(2005, 2022)}-{rng.randint(1, 12):02d}",
        "summary": f"{name}，合成测试用工作室。",
        "description": prose(rng, STUDIO_SENTENCES, fill, 150, 300),
        "figures": figures(rng),
        "standards": [
            {"title": f"《合成测试标准{k:04d}之{j}》", "kind": rng.choice(STANDARD_KINDS)}
            for j in range(1, rng.randint(0, 2) + 1)
        ],
        "projects": rng.sample(PROJECTS, rng.randint(0, 3)),
        "sources": SOURCES,
        "publish": True,
        **dates(k),
    }
    return {key: value for key, value in data.items() if value != []}


def dates(i: int) -> dict[str, str]:
    """Exhibited over six years, every third entry updated since (for the feed)."""
    out = {"exhibited": f"{2019 + i % 6}-{1 + i % 12:02d}"}
    if i % 3 == 0:
        out["updated"] = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
    return out


def plan_studios(workers: int, studios: int) -> list[StudioPlan]:
    """Leaders spread evenly over the workers; members drawn from the rest."""
    plans = []
    for k in range(1, studios + 1):
        lead = (k - 1) * workers // studios + 1
        rng = rng_for(studio_slug(k))
        drawn = rng.sample(range(1, workers + 1), min(MEMBERS_PER_STUDIO + 1, workers))
        picks = sorted([i for i in drawn if i != lead][:MEMBERS_PER_STUDIO])
        plans.append(StudioPlan(studio_slug(k), worker_slug(lead), tuple(map(worker_slug, picks))))
    return plans


def studios_listed(plans: list[StudioPlan]) -> dict[str, list[str]]:
    """Studios each worker's own profile lists: the one they lead, and every other membership."""
    listed: dict[str, list[str]] = {}
    for plan in plans:
        listed.setdefault(plan.leader, []).append(plan.slug)
        for member in plan.members[::2]:
            listed.setdefault(member, []).append(plan.slug)
    return listed


FILLER = "示例文字用于测量最长档案的生成时间与内存"  # what pads a value to its maximum


def fill_to(value: str, length: int) -> str:
    """`value` padded with filler text to exactly `length` characters."""
    out = value[:length]
    while len(out) < length:
        out += FILLER[: length - len(out)]
    return out


def longest(data: dict[str, Any], cls: Any, rng: random.Random) -> dict[str, Any]:
    """Every free text value of `data` at its field's maximum length (--longest).

    Values that must be a vocabulary term, a slug, a file name, a URL or match a pattern
    keep their value; Markdown fields are prose cut at the maximum."""
    out = dict(data)
    for name, f in model_fields(cls).items():
        if name not in out:
            continue
        sp, tp = spec_of(f), f.type
        item_cls = next((a for a in getattr(tp, "__args__", ()) if hasattr(a, "SHORTHAND")), None)
        if item_cls is None and hasattr(tp, "SHORTHAND"):
            item_cls = tp
        value = out[name]
        if isinstance(value, dict) and item_cls is not None:
            out[name] = longest(value, item_cls, rng)
        elif isinstance(value, list):
            out[name] = [_longest_item(v, sp, item_cls, rng) for v in value]
        elif isinstance(value, str):
            out[name] = _longest_text(value, sp, rng)
    return out


def _longest_item(value: Any, sp: Any, item_cls: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        return longest(value, item_cls, rng)
    if isinstance(value, str) and item_cls is not None:  # shorthand: `- 秦山核电`
        return _longest_text(value, spec_of(model_fields(item_cls)[item_cls.SHORTHAND]), rng)
    return _longest_text(value, sp, rng) if isinstance(value, str) else value


def _longest_text(value: str, sp: Any, rng: random.Random) -> str:
    fixed = sp.vocab or sp.slug or sp.media or sp.url or sp.pattern or sp.quoted
    if fixed or sp.max_length is None:
        return value
    if sp.markdown:
        fill = {"name": "示例", "employer": "示例单位", "industry": "示例", "district": "示例"}
        text = prose(rng, SENTENCES, fill, sp.max_length, sp.max_length)
        return text[: sp.max_length].rstrip() + "\n"
    return fill_to(value, sp.max_length)


def longest_worker(data: dict[str, Any], i: int) -> dict[str, Any]:
    """A worker profile with every optional text filled and every text at its maximum."""
    rng = rng_for(f"longest/{worker_slug(i)}")
    data = {**data, "pinyin": ("Shili Laomo " * 5)[:59] + "a"}
    data["honors"] = [{**h, "body": "合成测试授予单位"} for h in data.get("honors", [])]
    data["services"] = [{**s, "detail": "合成"} for s in data["services"]]
    data["private"] = {**data["private"], "notes": "合成测试备注"}
    out = longest(data, Worker, rng)
    # Private notes at their maximum, in words no public text uses: the privacy guard must
    # find nothing (the shared filler prose would put them in every bio).
    unique = "".join(f"内部存档{i:04d}第{k:04d}条。" for k in range(NOTES // 10))
    out["private"] = {**out["private"], "notes": unique[:NOTES]}
    return out


def write_config(root: Path) -> None:
    shutil.copy2(REPO / "exhibition.yml", root / "exhibition.yml")
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(
        text.replace("scripts/showcase/mkdocs_hook.py", str(HOOK)), "utf-8"
    )
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "index.md").write_text(INDEX_MD, "utf-8")
    (content / "about.md").write_text(ABOUT_MD, "utf-8")


def write_entrance(root: Path, featured: int) -> None:
    """The repository's exhibition.yml names the sample's hero image and featured workers:
    give the synthetic exhibition its own, as a real one has (the sample's placeholder
    hero image, the first workers featured)."""
    entrance = root / "content" / "entrance"
    entrance.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "content" / "entrance" / "hero.jpg", entrance / "hero.jpg")
    slugs = ", ".join(worker_slug(i) for i in range(1, featured + 1))
    settings = root / "exhibition.yml"
    lines = settings.read_text("utf-8").splitlines(keepends=True)
    lines = [f"featured: [{slugs}]\n" if s.startswith("featured:") else s for s in lines]
    settings.write_text("".join(lines), "utf-8")


HALL_WORKERS, HALL_STUDIOS = 24, 6


def write_hall(root: Path, workers: int, studios: int) -> None:
    """One curated hall over the first workers and studios, with a curator's note each
    (a synthetic exhibition is measured with the page types a real one has)."""
    folder = root / "content" / "halls" / "hall-01"
    folder.mkdir(parents=True, exist_ok=True)
    items = [
        f"  - {{worker: {worker_slug(i)}, note: 示例策展说明{i:04d}}}"
        for i in range(1, workers + 1)
    ]
    items += [
        f"  - {{studio: {studio_slug(i)}, note: 示例工作室说明{i:04d}}}"
        for i in range(1, studios + 1)
    ]
    text = "title: 示例展厅01\nsubtitle: 合成数据\norder: 1\nintro: 合成的示例展厅。\nitems:\n"
    (folder / "hall.yml").write_text(text + "\n".join(items) + "\n", "utf-8")


def write_photo(folder: Path, seed: str) -> None:
    """A labelled placeholder portrait, just wide enough not to draw a low-resolution warning."""
    portrait(seed, size=PORTRAIT_SIZE).save(folder / "portrait.jpg", quality=80)


def write_workers(
    root: Path,
    workers: int,
    vocab: Vocab,
    plans: list[StudioPlan],
    photos: bool,
    longest_text: bool = False,
) -> None:
    listed = studios_listed(plans)
    for i in range(1, workers + 1):
        slug = worker_slug(i)
        folder = root / "workers" / slug
        folder.mkdir(parents=True, exist_ok=True)
        profile = worker_profile(i, vocab, listed.get(slug, []), photos)
        if longest_text:
            profile = longest_worker(profile, i)
        (folder / "profile.yml").write_text(dump(profile), "utf-8")
        if photos:
            write_photo(folder, slug)


def write_studios(
    root: Path, vocab: Vocab, plans: list[StudioPlan], longest_text: bool = False
) -> None:
    for k, plan in enumerate(plans, start=1):
        folder = root / "studios" / plan.slug
        folder.mkdir(parents=True, exist_ok=True)
        profile = studio_profile(k, plan, vocab)
        if longest_text:
            profile = longest(profile, Studio, rng_for(f"longest/{plan.slug}"))
        (folder / "studio.yml").write_text(dump(profile), "utf-8")


def make_exhibition(
    root: Path, workers: int, studios: int, photos: bool = False, longest_text: bool = False
) -> None:
    """Write a complete synthetic repository root (settings, site config, content, entries).
    With `longest_text`, every text value is at its field's maximum length."""
    if workers < 1 or studios < 0:
        raise ValueError("need at least one worker and a non-negative number of studios")
    root.mkdir(parents=True, exist_ok=True)
    vocab = load_vocab()
    plans = plan_studios(workers, studios)
    write_config(root)
    write_entrance(root, min(workers, 3))
    write_workers(root, workers, vocab, plans, photos, longest_text)
    write_studios(root, vocab, plans, longest_text)
    write_hall(root, min(workers, HALL_WORKERS), min(studios, HALL_STUDIOS))
