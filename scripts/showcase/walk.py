"""Walk a model object's fields: used by media checks and the privacy guard."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from showcase.fields import Spec, spec_of
from showcase.model import Entity


def walk(obj: Entity, prefix: str = "") -> Iterator[tuple[Entity, str, str, Any, Spec]]:
    """Yield (owner, field name, full field path, value, spec) for every set leaf value."""
    for f in fields(obj):
        if f.name == "loc":
            continue
        value = getattr(obj, f.name)
        path = f"{prefix}.{f.name}" if prefix else f.name
        items = list(enumerate(value)) if isinstance(value, tuple) else [(None, value)]
        for index, item in items:
            item_path = path if index is None else f"{path}[{index}]"
            key = f.name if index is None else f"{f.name}[{index}]"
            if isinstance(item, Entity):
                yield from walk(item, item_path)
            elif item is not None:
                yield obj, key, item_path, item, spec_of(f)
