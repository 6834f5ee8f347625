"""`livingsys agenda`: the monthly review meeting, ready to hold."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from livingsys.cli.common import (
    RegistryOption,
    fail,
    format_option,
    history_fail,
    load,
    parse_date,
    show,
    stderr,
    to_json,
)
from livingsys.cli.review_due_cmd import ByDateOption, NoHistoryOption

if TYPE_CHECKING:
    from livingsys.ritual.agenda import Agenda

ORDER = 35


class AgendaFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    ics = "ics"


def agenda(
    registry: RegistryOption = None,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", help="Day of the meeting (default: today); what is due "
        "is counted as of that day.", show_default=False)] = None,
    max_items: Annotated[int | None, typer.Option(
        "--max", min=1, max=10, help="Most automations on the agenda (default: review.max_items "
        "in livingsys.yaml, else 3; the article says 2 or 3).", show_default=False)] = None,
    output_format: Annotated[AgendaFormat, format_option(
        "text (for the terminal), markdown (to paste into a calendar invite or a wiki), json, "
        "or ics (a calendar invite for the meeting, to import or send: the --date at --at, "
        "attendees with an email in people.yaml, the agenda as its description).")
    ] = AgendaFormat.text,
    at: Annotated[str, typer.Option(
        "--at", metavar="HH:MM", help="Start time of the meeting, for --format ics (local "
        "time), e.g. 14:30.")] = "10:00",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of the screen (e.g. next.ics).",
        show_default=False)] = None,
    no_history: NoHistoryOption = False,
    by_date: ByDateOption = False,
) -> None:
    """The monthly review meeting: 2-3 automations, 45 minutes, who attends, what to ask.

    Takes the most due automations (the ranking of review-due), splits the meeting's time between them, and lists the attendees: each business owner and maintainer, the owner of a shared rule that changed, the chair, and a manager when an automation is key or sends messages to clients. For each automation: why it is on the agenda, the rule changes since its last review, incidents since, its three indicators with their trend, and the three standing questions. It ends with the command that records the minutes.

    Examples:

      livingsys agenda

      livingsys agenda --format markdown > agenda.md

      livingsys agenda --date 2026-12-16 --max 2

      livingsys agenda --date 2026-12-16 --at 14:00 --format ics -o next.ics
    """

    from livingsys.history import HistoryError
    from livingsys.i18n import _
    from livingsys.ritual.agenda import build_agenda

    day = parse_date(date, "--date")
    start = _time(at)
    loaded = load(registry)
    flag = "" if loaded.display_root in ("registry", "registry/") else loaded.display_root
    try:
        result = build_agenda(loaded, day, max_items=max_items, history=not no_history,
                              by_date=by_date, registry_flag=flag)
    except HistoryError as exc:
        history_fail(exc, _("run `livingsys agenda --no-history` for an agenda without the "
                            "rule changes (cadence, incidents and indicators only)"))
    from livingsys.render.agenda import markdown, render_text

    people = loaded.people or {}
    show(output_format, result, {
        AgendaFormat.text: render_text,
        AgendaFormat.markdown: markdown,
        AgendaFormat.json: to_json,
        AgendaFormat.ics: lambda meeting: _invite(meeting, people, start, output)})


def _invite(result: Agenda, people: dict[str, Any], start: dt.time, output: Path | None
            ) -> None:
    """``--format ics``: the invite, written to ``output`` (or standard output, as bytes), and
    on standard error who is not invited for want of an email address."""
    from livingsys.i18n import _
    from livingsys.neutral import for_terminal
    from livingsys.render.agenda_ics import ics, uninvited

    data = ics(result, people, start)
    if output is not None:
        from livingsys.reading.writing import WriteError, write_bytes_atomic

        try:
            write_bytes_atomic(output, data, overwrite=True)
        except (WriteError, OSError) as exc:
            fail(_("cannot write {file}: {error}").format(file=output, error=exc))
        stderr().print(_("wrote {file}").format(file=for_terminal(output)))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    missing = uninvited(result, people)
    if missing:
        stderr().print(_("[dim]note:[/] not invited (no email address as their contact in "
                         "people.yaml): {names}").format(names=for_terminal(", ".join(missing))))


_HH_MM = r"(\d{1,2}):(\d{2})"


def _time(value: str):
    """``--at``: H:MM or HH:MM, 0:00 to 23:59."""
    import datetime as dt
    import re

    from livingsys.i18n import _

    match = re.fullmatch(_HH_MM, value.strip())
    try:
        if match is None:
            raise ValueError
        return dt.time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        fail(_("--at '{value}' is not a time of day").format(value=value),
             _("write it HH:MM, from 00:00 to 23:59, e.g. 10:00 or 14:30"))


def register(app: typer.Typer) -> None:
    app.command()(agenda)
