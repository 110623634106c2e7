"""Walk a model object's fields: used by media checks and the privacy guard."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from showcase.fields import Spec, spec_of
from showcase.model import Entity


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Spec], ...]:
    """A model class's fields but `loc`, with their specs (looked up once per class)."""
    return tuple((f.name, spec_of(f)) for f in fields(cls) if f.name != "loc")


def walk(obj: Entity, prefix: str = "") -> Iterator[tuple[Entity, str, str, Any, Spec]]:
    """Yield (owner, field name, full field path, value, spec) for every set leaf value."""
    for name, spec in _fields(type(obj)):
        value = getattr(obj, name)
        path = f"{prefix}.{name}" if prefix else name
        items = list(enumerate(value)) if isinstance(value, tuple) else [(None, value)]
        for index, item in items:
            item_path = path if index is None else f"{path}[{index}]"
            key = name if index is None else f"{name}[{index}]"
            if isinstance(item, Entity):
                yield from walk(item, item_path)
            elif item is not None:
                yield obj, key, item_path, item, spec


Leaf = tuple[Entity, str, str, Any, Spec]
_WALKED: dict[int, tuple[Entity, tuple[Leaf, ...]]] = {}  # this run's
_BEFORE: dict[int, tuple[Entity, tuple[Leaf, ...]]] = {}  # the last run's


def walked(obj: Entity) -> tuple[Leaf, ...]:
    """walk(obj) as a tuple, made once per object: validation, the media checks and the
    privacy guard each go through every profile's fields (model objects are never
    changed after loading, and the preview's next run reuses unchanged ones)."""
    hit = _WALKED.get(id(obj)) or _BEFORE.get(id(obj))
    if hit is not None and hit[0] is obj:
        _WALKED[id(obj)] = hit
        return hit[1]
    leaves = tuple(walk(obj))
    _WALKED[id(obj)] = (obj, leaves)
    return leaves


def forget_walked() -> None:
    """A new run: keep the last run's walks until this one has taken what it reuses."""
    global _WALKED, _BEFORE
    _BEFORE, _WALKED = _WALKED, {}
