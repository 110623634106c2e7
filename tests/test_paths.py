"""The fast relative-link helper agrees with posixpath.relpath on docs paths."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from showcase.render.paths import rel

segment = st.sampled_from(["workers", "studios", "a", "b", "index", "books", "x"])
doc_path = st.lists(segment, min_size=0, max_size=3).map(
    lambda parts: "/".join([*parts, "index.md"])
)
file_path = st.lists(segment, min_size=0, max_size=3).map(lambda parts: "/".join([*parts, "p.jpg"]))


@given(doc_path, st.one_of(doc_path, file_path))
def test_rel_matches_relpath(here: str, target: str) -> None:
    assert rel(here, target) == posixpath.relpath(target, posixpath.dirname(here) or ".")
