"""JSON Schemas exported from the model, for completion and hover help in editors."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import MISSING, is_dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from showcase.books import Book
from showcase.convert import model_fields
from showcase.dates import EARLIEST_YEAR, PartialDate
from showcase.fields import SLUG_RE, Spec, spec_of
from showcase.halls import Hall
from showcase.model import Studio, Worker
from showcase.settings import Settings

SCHEMAS = {
    "worker": Worker,
    "studio": Studio,
    "book": Book,
    "hall": Hall,
    "exhibition": Settings,
}
DATE_PATTERN = r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"


class _Writer:
    def __init__(self, settings: Settings | None) -> None:
        self.settings = settings
        self.defs: dict[str, Any] = {}

    def type_schema(self, tp: Any, sp: Spec) -> dict[str, Any]:
        origin = get_origin(tp)
        if origin in (types.UnionType, typing.Union):
            options = [a for a in get_args(tp) if a is not type(None)]
            return (
                {"type": "number"} if options == [int, float] else self.type_schema(options[0], sp)
            )
        if origin is tuple:
            return {"type": "array", "items": self.type_schema(get_args(tp)[0], sp)}
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if is_dataclass(tp) and tp is not PartialDate:
            return self.ref(tp)
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            bounds = {"minimum": sp.minimum, "maximum": sp.maximum}
            return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}
        if tp is PartialDate:
            year = {"type": "integer", "minimum": EARLIEST_YEAR, "maximum": 2100}
            return {"anyOf": [year, {"type": "string", "pattern": DATE_PATTERN}]}
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if sp.max_length is not None:
            out["maxLength"] = sp.max_length
        if sp.slug:
            out["pattern"] = SLUG_RE.pattern
        if sp.url:
            out["pattern"] = "^https?://"
        if sp.pattern:
            out["pattern"] = sp.pattern
        if sp.vocab and self.settings is not None:
            out["enum"] = list(self.settings.vocab(sp.vocab))
        return out

    def ref(self, cls: Any) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}
            self.defs[name] = self.object_schema(cls)
        ref = {"$ref": f"#/$defs/{name}"}
        if cls.SHORTHAND:
            short = spec_of(model_fields(cls)[cls.SHORTHAND]).max_length
            text = {"type": "string", "minLength": 1} | ({"maxLength": short} if short else {})
            return {"anyOf": [text, ref]}
        return ref

    def object_schema(self, cls: Any) -> dict[str, Any]:
        props: dict[str, Any] = {}
        required = []
        for name, f in model_fields(cls).items():
            if name in ("loc", "slug"):
                continue
            sp = spec_of(f)
            props[name] = {"description": sp.zh, **self.type_schema(f.type, sp)}
            if f.default is MISSING and f.default_factory is MISSING:
                required.append(name)
        out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            out["required"] = required
        return out


def schema_for(kind: str, settings: Settings | None) -> dict[str, Any]:
    writer = _Writer(settings if kind != "exhibition" else None)
    root = writer.object_schema(SCHEMAS[kind])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": {
            "worker": "劳模档案",
            "studio": "工作室档案",
            "book": "图书信息",
            "hall": "展厅",
            "exhibition": "协会设置与词表",
        }[kind],
        **root,
        "$defs": dict(sorted(writer.defs.items())),
    }


def schema_files(settings: Settings | None) -> dict[str, bytes]:
    from showcase.render.opendata import open_data_schemas  # the site's data files

    return {
        f"{kind}.schema.json": (
            json.dumps(schema_for(kind, settings), ensure_ascii=False, indent=2) + "\n"
        ).encode()
        for kind in SCHEMAS
    } | open_data_schemas()


def write_schemas(root: Path, settings: Settings | None) -> list[str]:
    from showcase.write import atomic_write

    changed = []
    for name, data in schema_files(settings).items():
        target = root / "schemas" / name
        if not target.is_file() or target.read_bytes() != data:
            atomic_write(target, data)
            changed.append(name)
    return changed
