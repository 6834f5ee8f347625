"""`livingsys agenda`: the monthly review meeting, ready to hold."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from livingsys.cli.common import (RegistryOption, history_fail, load, parse_date,
                                  write_raw)
from livingsys.cli.review_due_cmd import ByDateOption, NoHistoryOption

ORDER = 35


class AgendaFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def agenda(
    registry: RegistryOption = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", metavar="YYYY-MM-DD", help="Day of the meeting (default: today); what is due "
        "is counted as of that day.", show_default=False)] = None,
    max_items: Annotated[Optional[int], typer.Option(
        "--max", min=1, max=10, help="Most automations on the agenda (default: review.max_items "
        "in livingsys.yaml, else 3; the article says 2 or 3).", show_default=False)] = None,
    output_format: Annotated[AgendaFormat, typer.Option(
        "--format", "-f", help="text (for the terminal), markdown (to paste into a calendar "
        "invite or a wiki) or json.")] = AgendaFormat.text,
    no_history: NoHistoryOption = False,
    by_date: ByDateOption = False,
) -> None:
    """The monthly review meeting: 2-3 automations, 45 minutes, who attends, what to ask.

    Takes the most due automations (the ranking of review-due), splits the meeting's time between them, and lists the attendees: each business owner and maintainer, the owner of a shared rule that changed, the chair, and a manager when an automation is key or sends messages to clients. For each automation: why it is on the agenda, the rule changes since its last review, incidents since, its three indicators with their trend, and the three standing questions. It ends with the command that records the minutes.

    Examples:

      livingsys agenda

      livingsys agenda --format markdown > agenda.md

      livingsys agenda --date 2026-12-16 --max 2
    """

    from livingsys.agenda import build_agenda
    from livingsys.history import HistoryError

    day = parse_date(date, "--date")
    loaded = load(registry)
    flag = "" if loaded.display_root in ("registry", "registry/") else loaded.display_root
    try:
        result = build_agenda(loaded, day, max_items=max_items, history=not no_history,
                              by_date=by_date, registry_flag=flag)
    except HistoryError as exc:
        history_fail(exc, "run `livingsys agenda --no-history` for an agenda without the rule "
                     "changes (cadence, incidents and indicators only)")
    if output_format is AgendaFormat.json:
        import json

        write_raw(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), "json")
    elif output_format is AgendaFormat.markdown:
        from livingsys.render.agenda import markdown

        write_raw(markdown(result))
    else:
        from livingsys.render.agenda import render_text

        render_text(result)


def register(app: typer.Typer) -> None:
    app.command()(agenda)
