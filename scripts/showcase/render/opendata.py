"""Open data: data/workers.json, data/studios.json and their CSV twins.

Public fields only, each named here (never a whole profile copied), published entries only,
sorted by slug, with the page's absolute address. The CSV files are UTF-8 with a BOM so
Excel opens them in Chinese; lists are joined with 「；」. schemas/opendata-*.schema.json
document both shapes (written by `showcase schema` from FIELDS, with Chinese help).

CSV formula injection: a cell that starts with = + - @ (or their full-width forms ＝＋－＠,
which spreadsheet programs may normalise), after any leading white space, or with a tab or
a carriage return, is a live formula when the file is opened in Excel, WPS or LibreOffice
(a summary `=HYPERLINK(…)` becomes a link, `@SUM(…)` a calculation). Such a cell is
written with a leading `'` (OWASP's CSV injection advice), which the spreadsheet shows as
text; the JSON twin keeps the value as written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from showcase.artifact import Artifact
from showcase.exhibition import Exhibition, pinyin_of
from showcase.model import Studio, Worker
from showcase.render.paths import absolute_url, studio_page, worker_page

DATA_DIR = "data"
LIST_SEP = "；"
FORMULA = re.compile(r"[\t\r]|\s*[=+\-@＝＋－＠]")  # at a cell's start: a live formula

# name: (JSON type, Chinese description); the order of the CSV columns
WORKER_FIELDS: dict[str, tuple[str, str]] = {
    "slug": ("string", "网址标识（文件夹名），唯一"),
    "name": ("string", "姓名"),
    "pinyin": ("string", "姓名拼音"),
    "gender": ("string|null", "性别"),
    "employer": ("string|null", "工作单位"),
    "position": ("string|null", "职务或岗位"),
    "industry": ("string|null", "行业"),
    "district": ("string|null", "所在县（市、区）"),
    "top_honor": ("string|null", "最高荣誉"),
    "honors": ("honors", "荣誉列表：称号、级别、获得年份"),
    "studios": ("strings", "领衔或参加的工作室（网址标识）"),
    "summary": ("string|null", "一句话简介"),
    "tags": ("strings", "标签"),
    "exhibited": ("date|null", "上展日期"),
    "updated": ("date|null", "最近更新日期"),
    "url": ("string", "档案页面的完整网址"),
    "portrait": ("string|null", "肖像图片的完整网址（本人同意公开肖像时）"),
}
STUDIO_FIELDS: dict[str, tuple[str, str]] = {
    "slug": ("string", "网址标识（文件夹名），唯一"),
    "name": ("string", "工作室或服务队名称"),
    "kind": ("string", "类型"),
    "level": ("string|null", "级别"),
    "leader": ("string|null", "领衔人（劳模的网址标识）"),
    "members": ("strings", "成员（劳模的网址标识）"),
    "host": ("string|null", "依托单位"),
    "industry": ("string|null", "行业"),
    "district": ("string|null", "所在县（市、区）"),
    "founded": ("date|null", "成立时间"),
    "recognitions": ("strings", "命名与表彰"),
    "summary": ("string|null", "一句话简介"),
    "tags": ("strings", "标签"),
    "exhibited": ("date|null", "上展日期"),
    "updated": ("date|null", "最近更新日期"),
    "url": ("string", "页面的完整网址"),
}


def worker_record(ex: Exhibition, w: Worker) -> dict[str, Any]:
    s = ex.settings
    top = ex.top_honor(w)
    portrait = None
    result = ex.media.get(f"workers/{w.slug}/{w.portrait}", "portrait") if w.portrait else None
    if result and result.outputs and w.shows("portrait"):
        portrait = absolute_url(s.site_url, f"workers/{w.slug}/{result.outputs[0].files[1]}")
    return {
        "slug": w.slug,
        "name": w.name,
        "pinyin": pinyin_of(w),
        "gender": w.gender,
        "employer": w.employer,
        "position": w.position,
        "industry": w.industry,
        "district": w.district,
        "top_honor": top.title if top else None,
        "honors": [
            {
                "title": h.title,
                "level": s.honor_level(h.title).name,
                "year": h.year.iso() if h.year else None,
            }
            for h in sorted(w.honors, key=lambda h: s.honor_rank(h.title))
        ],
        "studios": [st.slug for st in ex.studios_of(w) if st.publish],
        "summary": w.summary,
        "tags": list(w.tags),
        "exhibited": w.exhibited.iso() if w.exhibited else None,
        "updated": w.updated.iso() if w.updated else None,
        "url": absolute_url(s.site_url, worker_page(w.slug)),
        "portrait": portrait,
    }


def studio_record(ex: Exhibition, st: Studio) -> dict[str, Any]:
    leader = ex.worker(st.leader)
    return {
        "slug": st.slug,
        "name": st.name,
        "kind": st.kind,
        "level": st.level,
        "leader": leader.slug if leader and leader.publish else None,
        "members": [w.slug for w in ex.members_of(st) if w.publish],
        "host": st.host,
        "industry": st.industry,
        "district": st.district,
        "founded": st.founded.iso() if st.founded else None,
        "recognitions": [r.title for r in st.recognitions],
        "summary": st.summary,
        "tags": list(st.tags),
        "exhibited": st.exhibited.iso() if st.exhibited else None,
        "updated": st.updated.iso() if st.updated else None,
        "url": absolute_url(ex.settings.site_url, studio_page(st.slug)),
    }


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEP.join(cell(v) for v in value)
    if isinstance(value, dict):  # an honour: 全国劳动模范（2015）
        return f"{value['title']}（{value['year']}）" if value.get("year") else str(value["title"])
    return str(value)


def inert(text: str) -> str:
    """The cell as text a spreadsheet never evaluates (see the module's docstring)."""
    return "'" + text if FORMULA.match(text) else text


def as_csv(records: list[dict[str, Any]], fields: dict[str, tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([inert(cell(record[name])) for name in fields])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_json(records: list[dict[str, Any]]) -> bytes:
    """One record per line: as easy to read and to diff as an indented file, and written
    by json's C encoder (indent= falls back to pure Python, 0.8 s at 5,000 workers)."""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return f"[\n{lines}\n]\n".encode() if records else b"[]\n"


def open_data(ex: Exhibition) -> list[Artifact]:
    """The four files; drafts (a preview's `publish: false` entries) are never in them."""
    workers = [worker_record(ex, w) for w in sorted(ex.workers, key=lambda w: w.slug) if w.publish]
    studios = [studio_record(ex, s) for s in sorted(ex.studios, key=lambda s: s.slug) if s.publish]
    schemas = [Artifact(f"{DATA_DIR}/{name}", data) for name, data in open_data_schemas().items()]
    return [
        *schemas,
        Artifact(f"{DATA_DIR}/workers.json", as_json(workers)),
        Artifact(f"{DATA_DIR}/workers.csv", as_csv(workers, WORKER_FIELDS)),
        Artifact(f"{DATA_DIR}/studios.json", as_json(studios)),
        Artifact(f"{DATA_DIR}/studios.csv", as_csv(studios, STUDIO_FIELDS)),
    ]


def _type(kind: str) -> dict[str, Any]:
    date = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
    types: dict[str, dict[str, Any]] = {
        "string": {"type": "string"},
        "string|null": {"type": ["string", "null"]},
        "date|null": {"anyOf": [date, {"type": "null"}]},
        "strings": {"type": "array", "items": {"type": "string"}},
        "honors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "description": "荣誉称号"},
                    "level": {"type": "string", "description": "级别"},
                    "year": {"anyOf": [date, {"type": "null"}], "description": "获得年份"},
                },
                "required": ["title", "level", "year"],
                "additionalProperties": False,
            },
        },
    }
    return dict(types[kind])


def open_data_schemas() -> dict[str, bytes]:
    """schemas/opendata-workers.schema.json and …-studios: the records' shape, in Chinese."""
    out = {}
    for name, title, fields in (
        ("workers", "劳模工匠开放数据（data/workers.json）", WORKER_FIELDS),
        ("studios", "创新工作室开放数据（data/studios.json）", STUDIO_FIELDS),
    ):
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            "description": (
                "只含公开字段，按 slug 排序；CSV 版本列名相同，列表用「；」连接，UTF-8 带 BOM；"
                "CSV 中以 = + - @（含全角 ＝＋－＠）、制表符或回车开头的单元格前加一个英文单引号 '，"
                "防止电子表格把它当公式执行（JSON 保留原文）"
            ),
            "type": "array",
            "items": {
                "type": "object",
                "properties": {k: {**_type(t), "description": d} for k, (t, d) in fields.items()},
                "required": list(fields),
                "additionalProperties": False,
            },
        }
        text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        out[f"opendata-{name}.schema.json"] = text.encode("utf-8")
    return out
