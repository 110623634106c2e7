"""showcase.mkdocsrun's warm-up: it imports ahead what a build of mkdocs.yml will import."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import yaml

from showcase.mkdocsrun import WARM

CONFIG = Path(__file__).resolve().parents[1] / "mkdocs.yml"
PYTHON_TAG = "tag:yaml.org,2002:python/"


def names(node: yaml.Node) -> list[str]:
    """The names of a list of `- name` or `- name: {options}` items."""
    assert isinstance(node, yaml.SequenceNode)
    out = []
    for item in node.value:
        key = item.value[0][0] if isinstance(item, yaml.MappingNode) else item
        out.append(key.value)
    return out


def tagged_modules(node: yaml.Node) -> set[str]:
    """Modules named by `!!python/name:` or `!!python/object/apply:` tags anywhere."""
    found = set()
    if node.tag.startswith(PYTHON_TAG):
        found.add(node.tag.split(":")[-1].rsplit(".", 1)[0])
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found |= tagged_modules(key) | tagged_modules(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found |= tagged_modules(item)
    return found


def test_the_warm_up_imports_every_plugin_extension_and_object_mkdocs_yml_names() -> None:
    """WARM mirrors mkdocs.yml by hand: a plugin, Markdown extension or Python object added
    there and not here would be imported inside the timed build instead of ahead of it."""
    config = yaml.compose(CONFIG.read_text("utf-8"))
    assert isinstance(config, yaml.MappingNode)
    top = {key.value: value for key, value in config.value}
    plugins = {ep.name: ep.value.split(":")[0] for ep in entry_points(group="mkdocs.plugins")}
    theme = next(v.value for k, v in top["theme"].value if k.value == "name")
    # MkDocs prefers the theme's own plugin of a name (material/search over search)
    wanted = {plugins.get(f"{theme}/{name}", plugins[name]) for name in names(top["plugins"])}
    wanted |= {
        name if "." in name else f"markdown.extensions.{name}"
        for name in names(top["markdown_extensions"])
    }
    wanted |= tagged_modules(config)
    assert "pymdownx.slugs" in wanted  # the walk over tags found the toc's slugify
    assert wanted - set(WARM) == set()
