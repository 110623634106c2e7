"""Property: whatever text an editor writes, the site's own Markdown makes no live markup.

Pages are rendered by the real renderers and converted with the extensions configured in
mkdocs.yml; the resulting HTML may only hold the tags our templates produce, no event
attributes, and no link or image that is not relative or http(s).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from showcase.exhibition import Exhibition
from showcase.load import Loaded, load_object
from showcase.model import Picture, Service, Worker
from showcase.problems import Problems
from showcase.render.indexes import gallery_page
from showcase.render.worker import render_worker
from showcase.settings import Settings

from conftest import REPO, site_config

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "a", "img", "ul", "ol", "li",
    "strong", "em", "br", "hr", "table", "thead", "tbody", "tr", "th", "td", "blockquote",
    "code", "pre",
    "form", "label", "select", "option", "button", "output",  # the gallery's filter form
}  # fmt: skip
NASTY = [
    *"<>&\"'`*_[](){}#:;=!/\\|-+.~ \n\t",
    "<script>", "</script>", "javascript:", "onerror=", "<img src=x ", "{: ", " }", "](", "![",
    "<!--", "-->", "&#x3C;", "&lt;", "    ", "\n\n", "# ", "1. ", "- ", "> ", "| a |", "姚红飞",
    "data:text/html,", "<a href=", "<svg onload=", "<div markdown>", "[^1]", "*[HTML]: ",
]  # fmt: skip
nasty_text = st.lists(st.sampled_from(NASTY) | st.text(max_size=3), max_size=25).map("".join)


class Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"tag <{tag}>")
        for key, value in attrs:
            if key.startswith("on") or key in ("style", "srcdoc", "formaction"):
                self.bad.append(f"attribute {key} on <{tag}>")
            if key in ("href", "src") and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in ("", "http", "https"):
                    self.bad.append(f"{key}={value!r}")


@pytest.fixture(scope="module")
def converter(tmp_path_factory: pytest.TempPathFactory) -> markdown.Markdown:
    root = tmp_path_factory.mktemp("md")
    site_config(root)
    (root / "build" / "docs").mkdir(parents=True)
    cfg = load_config(str(root / "mkdocs.yml"))
    assert {"attr_list", "md_in_html", "toc"} <= set(cfg.markdown_extensions)
    return markdown.Markdown(extensions=cfg.markdown_extensions, extension_configs=cfg.mdx_configs)


@pytest.fixture(scope="module")
def site_settings() -> Settings:
    problems = Problems()
    found = load_object(REPO, "exhibition.yml", Settings, problems, None)
    assert found is not None, problems.report()
    return found


def html_of(md: markdown.Markdown, page: str) -> str:
    md.reset()
    body, _meta = get_data(page)
    return md.convert(body)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=nasty_text, summary=nasty_text, bio=nasty_text, caption=nasty_text, other=nasty_text)
def test_data_text_never_becomes_markup(
    converter: markdown.Markdown,
    site_settings: Settings,
    name: str,
    summary: str,
    bio: str,
    caption: str,
    other: str,
) -> None:
    worker = Worker(
        slug="w",
        name=name or "名",
        summary=summary or None,
        bio=bio or None,
        employer=other or None,
        services=(Service(title=other or "服务", detail=caption or None),),
        gallery=(Picture(file="a.jpg", caption=caption or None, alt=other or None),),
        tags=(other or "标签",),
    )
    ex = Exhibition.from_loaded(Loaded(site_settings, (worker,), ()))
    for page in (render_worker(ex, worker), gallery_page(ex)):
        inspector = Inspector()
        inspector.feed(html_of(converter, page))
        assert inspector.bad == [], page


def test_inspector_catches_live_markup(converter: markdown.Markdown) -> None:
    """The check above can fail: unescaped data is caught."""
    inspector = Inspector()
    inspector.feed(html_of(converter, "<script>x</script> [a](javascript:x) <b onclick=x>y</b>"))
    assert len(inspector.bad) >= 3
