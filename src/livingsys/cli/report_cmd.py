"""`livingsys report`: the one-minute summary for the manager."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from livingsys.cli.common import RegistryOption, format_option, load, parse_date, show, to_json

ORDER = 50


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def report(
    registry: RegistryOption = None,
    output_format: Annotated[ReportFormat, format_option(
        "text (for the terminal), json, or markdown (to paste in a wiki or an email).")
    ] = ReportFormat.text,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Report as of this day: reviews after it and "
        "figures of later months are left out (default: today).")] = None,
    months: Annotated[int, typer.Option(
        "--months", min=2, max=24, help="Months shown in the sparklines.")] = 12,
) -> None:
    """The one-minute summary: owners, lint, reviews due, indicators, checklist.

    Automations by status and business owner, the lint state, the reviews due (by cadence and exception rate), each automation's three indicators with a sparkline of the last months and their trend, and its score on the article's checklist, worst first.

    Examples:

      livingsys report

      livingsys report --format markdown > report.md

      livingsys report --as-of 2026-10-31 --format json
    """
    from livingsys.ritual.report import build_report

    day = parse_date(as_of, "--as-of")
    loaded = load(registry)
    result = build_report(loaded, day, months_shown=months)
    from livingsys.render.report_markdown import render as markdown
    from livingsys.render.report_text import render

    show(output_format, result, {ReportFormat.text: render, ReportFormat.json: to_json,
                                 ReportFormat.markdown: markdown})


def register(app: typer.Typer) -> None:
    app.command()(report)
