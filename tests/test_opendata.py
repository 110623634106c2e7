"""Open data (data/*.json, data/*.csv) and the Atom feed (feed.xml), from real builds:
public fields only, stable order, documented shape, no unpublished entry, every private
value caught by the privacy guard in memory and in the built folder."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from showcase import privacy
from showcase.build import inspect
from showcase.render.opendata import inert

from conftest import FIXTURES, REPO, all_text, copy_sample, copy_tree, run, site_url

ATOM = "{http://www.w3.org/2005/Atom}"
SECRETS = ("13912345678", "110101199003077777", "示例路88号秘密住址")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + text + "\n", "utf-8")


@pytest.fixture
def dated(tmp_path: Path) -> Path:
    """The mini exhibition with dates, and an unpublished studio that has one too."""
    root = copy_tree(FIXTURES / "mini", tmp_path / "mini")
    append(root / "workers/zhang-san/profile.yml", "exhibited: 2024-05\nupdated: 2025-03")
    append(root / "workers/li-si/profile.yml", "exhibited: 2023")
    append(root / "workers/hidden-one/profile.yml", "exhibited: 2025-12")
    append(root / "studios/alpha-studio/studio.yml", "exhibited: 2022-01-15")
    draft = root / "studios/draft-studio"
    draft.mkdir()
    (draft / "studio.yml").write_text(
        "name: 草稿工作室\nsummary: 还没公开。\nexhibited: 2025-11\npublish: false\n", "utf-8"
    )
    return root


def schema(name: str) -> dict[str, Any]:
    return json.loads((REPO / "schemas" / f"opendata-{name}.schema.json").read_text("utf-8"))


def conforms(value: Any, rule: dict[str, Any]) -> bool:
    """The few JSON Schema keywords our schemas use (no validator in the dependencies)."""
    if "anyOf" in rule:
        return any(conforms(value, r) for r in rule["anyOf"])
    kinds = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
    py = {"string": str, "null": type(None), "array": list, "object": dict}
    if not any(isinstance(value, py[k]) for k in kinds):
        return False
    if isinstance(value, str) and "pattern" in rule and not re.match(rule["pattern"], value):
        return False
    if isinstance(value, list):
        return all(conforms(v, rule["items"]) for v in value)
    if isinstance(value, dict):
        props = rule["properties"]
        return sorted(value) == sorted(props) == sorted(rule["required"]) and all(
            conforms(value[k], props[k]) for k in props
        )
    return True


def test_open_data_is_public_sorted_documented_and_linked(dated: Path) -> None:
    done = run(dated, "site")
    assert done.returncode == 0, done.stderr
    site, base = dated / "site", site_url(dated)
    for kind, slugs in (("workers", ["li-si", "zhang-san"]), ("studios", ["alpha-studio"])):
        records = json.loads((site / "data" / f"{kind}.json").read_text("utf-8"))
        assert [r["slug"] for r in records] == slugs  # by slug; publish: false absent
        items = schema(kind)["items"]
        assert all(conforms(r, items) for r in records), records
        assert (site / "data" / f"opendata-{kind}.schema.json").read_text("utf-8") == json.dumps(
            schema(kind), ensure_ascii=False, indent=2
        ) + "\n"
        for r in records:
            assert r["url"] == f"{base}{kind}/{r['slug']}/"
            assert (site / kind / r["slug"] / "index.html").is_file()
        raw = (site / "data" / f"{kind}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert list(rows[0]) == list(items["properties"])
        assert [(row["slug"], row["name"], row["url"]) for row in rows] == [
            (r["slug"], r["name"], r["url"]) for r in records
        ]
    workers = json.loads((site / "data/workers.json").read_text("utf-8"))
    zhang = next(w for w in workers if w["slug"] == "zhang-san")
    assert zhang["top_honor"] == "全国劳动模范" and zhang["exhibited"] == "2024-05"
    assert [h["title"] for h in zhang["honors"]] == ["全国劳动模范", "市五一劳动奖章"]
    assert zhang["portrait"].startswith(base)
    assert (site / zhang["portrait"][len(base) :]).is_file()
    studio = json.loads((site / "data/studios.json").read_text("utf-8"))[0]
    assert studio["members"] == ["li-si"]  # hidden-one is not published
    text = all_text(site / "data")
    for absent in (*SECRETS, "隐藏者", "hidden-one", "草稿工作室", "draft-studio"):
        assert absent not in text
    stats = (site / "stats/index.html").read_text("utf-8")
    for name in ("workers.json", "workers.csv", "studios.json", "studios.csv"):
        assert f'href="../data/{name}"' in stats
    assert "开放数据" in stats


def test_the_guard_scans_the_data_files_in_memory_and_in_the_folder(dated: Path) -> None:
    # In memory: a private value pasted into a public field is found in the data files
    # themselves (not only in the pages), and the build refuses, located at the field.
    profile = dated / "workers/li-si/profile.yml"
    profile.write_text(
        profile.read_text("utf-8").replace(
            "district: 西区", "district: 西区\nposition: 139 1234 5678"
        ),
        "utf-8",
    )
    inspected = inspect(dated)
    guard = privacy.Guard(privacy.secrets(inspected.checked.loaded.workers, privacy.Problems()))
    data = [a for a in inspected.artifacts if a.path.startswith("data/")]
    hits = privacy.scan_artifacts(guard, data)
    assert sorted(f for files in hits.outputs.values() for f in files) == [
        "data/workers.csv",
        "data/workers.json",
    ]
    done = run(dated, "build")
    assert done.returncode == 1
    assert "workers/li-si/profile.yml" in done.stderr and "private.phone" in done.stderr

    # In the built folder: a clean site, then a private value planted in each data file.
    profile.write_text(profile.read_text("utf-8").replace("\nposition: 139 1234 5678", ""), "utf-8")
    assert run(dated, "site").returncode == 0
    site = dated / "site"
    assert not privacy.scan_folder(dated, site)
    planted = {
        "data/workers.csv": lambda t: t.replace("西区", "西区 一三九一二三四五六七八"),
        "data/studios.json": lambda t: t.replace("示例工作室。", "\\u0031\\u0033912345678"),
    }
    for name, change in planted.items():
        path = site / name
        path.write_text(change(path.read_text("utf-8-sig")), "utf-8")
        found = privacy.scan_folder(dated, site)
        assert found, f"{name}: planted phone not found"
        assert name in found.report() or "private.phone" in found.report()


def entries(feed: ET.Element) -> list[dict[str, str]]:
    out = []
    for e in feed.findall(f"{ATOM}entry"):
        link = e.find(f"{ATOM}link")
        assert link is not None
        out.append(
            {
                **{
                    t: (e.findtext(f"{ATOM}{t}") or "")
                    for t in ("id", "title", "updated", "published")
                },
                "href": link.get("href") or "",
            }
        )
    return out


def test_the_feed_is_valid_atom_from_the_data_dates(dated: Path) -> None:
    done = run(dated, "site")
    assert done.returncode == 0, done.stderr
    raw = (dated / "site/feed.xml").read_bytes()
    feed = ET.fromstring(raw)
    base = site_url(dated)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}"), required
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "示例市劳模协会"
    assert feed.findtext(f"{ATOM}updated") == "2025-03-01T00:00:00Z"  # the newest data date
    self_link = [x.get("href") for x in feed.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert self_link == [base + "feed.xml"]
    got = entries(feed)
    assert [(e["href"], e["published"], e["updated"]) for e in got] == [
        (base + "workers/zhang-san/", "2024-05-01T00:00:00Z", "2025-03-01T00:00:00Z"),
        (base + "workers/li-si/", "2023-01-01T00:00:00Z", "2023-01-01T00:00:00Z"),
        (base + "studios/alpha-studio/", "2022-01-15T00:00:00Z", "2022-01-15T00:00:00Z"),
    ]
    assert all(e["id"] == e["href"] and e["title"] for e in got)
    for absent in (*SECRETS, "隐藏者", "草稿工作室"):
        assert absent not in raw.decode("utf-8")
    assert run(dated, "site").returncode == 0
    assert (dated / "site/feed.xml").read_bytes() == raw  # deterministic
    home = (dated / "site/index.html").read_text("utf-8")
    assert '<a href="feed.xml">订阅更新</a>' in home
    assert (
        f'<link rel="alternate feed" type="application/atom+xml" title="示例云展" href="{base}feed.xml">'
        in home
    )


def test_halls_books_and_chapters_reach_the_feed(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    for entry in root.glob("**/*.yml"):  # only the hall and the book dated here
        text = entry.read_text("utf-8")
        entry.write_text(re.sub(r"(?m)^exhibited: .*\n", "", text), "utf-8")
    hall = next((root / "content/halls").glob("*/hall.yml"))
    book = next((root / "content/books").glob("*/book.yml"))
    append(hall, "exhibited: 2025-06")
    append(book, "year: 2022-04")
    done = run(root, "build")
    assert done.returncode == 0, done.stderr
    feed = ET.fromstring((root / "build/docs/feed.xml").read_bytes())
    hrefs = [e["href"] for e in entries(feed)]
    base = site_url(root)
    assert hrefs[0] == f"{base}halls/{hall.parent.name}/"
    assert hrefs[1] == f"{base}books/{book.parent.name}/"
    chapters = [h for h in hrefs[2:] if h.startswith(f"{base}books/{book.parent.name}/")]
    assert chapters and len(chapters) == len(hrefs) - 2


FORMULA_STARTS = set("=+-@＝＋－＠\t\r")
HOSTILE_CELLS = {
    "name": '=HYPERLINK("http://x","y")',
    "summary": "+1",
    "employer": "-1+1",
    "position": "@SUM(1)",
}


def test_csv_cells_never_start_a_formula(mini: Path) -> None:
    """A public value that a spreadsheet would evaluate (Excel, WPS, LibreOffice) is written
    to the CSV with a leading ' so it stays text; the JSON twin keeps it as written."""
    profile = mini / "workers/zhang-san/profile.yml"
    text = profile.read_text("utf-8")
    for field, value in HOSTILE_CELLS.items():
        text = re.sub(rf"(?m)^{field}: .*$", f"{field}: {json.dumps(value)}", text)
    profile.write_text(text + "tags: ['  =1+1', '＝1', '＠A1']\n", "utf-8")
    studio = mini / "studios/alpha-studio/studio.yml"
    studio.write_text(
        re.sub(r"(?m)^host: .*$", "host: \"@cmd|' /C calc'!A0\"", studio.read_text("utf-8")),
        "utf-8",
    )
    done = inspect(mini)
    assert not done.checked.problems, done.checked.problems.report()
    files = {a.path: a.data for a in done.artifacts if a.path.startswith("data/")}
    for kind in ("workers", "studios"):
        raw = files[f"data/{kind}.csv"]
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        for cell in (c for row in rows for c in row):
            assert cell[:1] not in FORMULA_STARTS, cell
            assert cell.lstrip()[:1] not in FORMULA_STARTS or cell.startswith("'"), cell
    workers = json.loads(files["data/workers.json"])
    zhang = next(w for w in workers if w["slug"] == "zhang-san")
    rows = csv.DictReader(io.StringIO(files["data/workers.csv"].decode("utf-8-sig")))
    row = next(r for r in rows if r["slug"] == "zhang-san")
    for field, value in HOSTILE_CELLS.items():
        assert zhang[field] == value  # JSON: as written
        assert row[field] == "'" + value  # CSV: text for the spreadsheet
    assert zhang["tags"] == ["=1+1", "＝1", "＠A1"]  # (the loader strips the spaces)
    assert row["tags"] == "'=1+1；＝1；＠A1"  # the cell, not each item, is what is evaluated
    studio_row = next(csv.DictReader(io.StringIO(files["data/studios.csv"].decode("utf-8-sig"))))
    assert studio_row["host"] == "'@cmd|' /C calc'!A0"
    assert row["slug"] == "zhang-san" and not row["url"].startswith("'")  # others untouched
    # Values that reach a cell some other way (white space first, a tab, a carriage return)
    for value in (" =1", "\u3000＋1", "\t1", "\r1", "\n=1"):
        assert inert(value) == "'" + value
    assert [inert(v) for v in ("1-2", "李四", "", "—1")] == ["1-2", "李四", "", "—1"]
