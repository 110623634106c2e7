"""The content report as a standalone HTML page (build/report.html, never in site/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from showcase.render.html import render

if TYPE_CHECKING:
    from showcase.contentreport import ContentReport


def report_page(report: ContentReport) -> str:
    """A whole HTML document through the autoescaping layouts: every value is data."""
    return str(render("report.html", report=report))
