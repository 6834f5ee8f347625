"""`livingsys incident add`: log an incident against an automation."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from livingsys import i18n
from livingsys.cli.common import (
    InteractiveOption,
    RegistryOption,
    fail,
    interactive,
    load,
    parse_date,
    speak_for,
    stdout,
)
from livingsys.i18n import _, ngettext, pgettext

ORDER = 42

incident_app = typer.Typer(
    name="incident", help="Incidents: something went wrong with an automation.",
    no_args_is_help=True, rich_markup_mode="rich")


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class Status(str, Enum):
    open = "open"
    resolved = "resolved"


def add(
    automation: Annotated[str | None, typer.Option(
        "--automation", "-a", metavar="ID", help="The automation concerned.",
        show_default=False)] = None,
    summary: Annotated[str | None, typer.Option(
        "--summary", "-s", help="What happened, in a sentence (also the file name).",
        show_default=False)] = None,
    severity: Annotated[Severity, typer.Option(
        "--severity", help="How bad it was for clients or the team.")] = Severity.medium,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", help="When it happened (default: today).",
        show_default=False)] = None,
    time: Annotated[str | None, typer.Option(
        "--time", metavar="HH:MM", help="At what time (e.g. 14:30): on the day of a review, "
        "says whether it came before or after the meeting.", show_default=False)] = None,
    reported_by: Annotated[str | None, typer.Option(
        "--reported-by", metavar="PERSON", help="Who reported it (id in people.yaml).",
        show_default=False)] = None,
    action_taken: Annotated[str | None, typer.Option(
        "--action-taken", help="What was done: fixed, rule changed, paused with its kill "
        "switch...", show_default=False)] = None,
    status: Annotated[Status, typer.Option(
        "--status", help="open, or resolved when it is already dealt with.")] = Status.open,
    registry: RegistryOption = None,
    ask: InteractiveOption = None,
) -> None:
    """Log an incident: incidents/DATE-SLUG.yaml (review-due lists it until the next review).

    The file name comes from the date and the summary; a second incident with the same name gets -2, -3... — an existing file is never replaced.

    Examples:

      livingsys incident add -a payment-reminders -s "Reminder sent for an invoice already paid"

      livingsys incident add -a quote-follow-up -s "Follow-ups drafted for signed quotes" --severity high --date 2026-11-03 --time 14:30 --reported-by s.girard --action-taken "Workflow paused with its kill switch" --no-input
    """
    import datetime as dt

    from livingsys.ritual.recording import RecordError, write_incident

    speak_for(registry)  # the errors about the options, in the registry's language
    day = parse_date(date, "--date") or dt.date.today()
    loaded = load(registry)
    missing = [opt for opt, value in (("--automation", automation), ("--summary", summary))
               if not value]
    if missing:
        if not interactive(ask):
            fail(ngettext("missing value: {options}", "missing values: {options}",
                          len(missing)).format(options=", ".join(missing)),
                 _("e.g. livingsys incident add --automation payment-reminders --summary "
                   "'Reminder sent for an invoice already paid' --severity medium"))
        if automation is None:
            known = ", ".join(e.model.id if e.model else e.stem for e in loaded.automations)
            stdout().print(_("Automations: {ids}").format(ids=known), highlight=False)
            automation = typer.prompt(_("Automation concerned (id)")).strip()
        if not summary:
            summary = typer.prompt(_("What happened, in a sentence")).strip()
    try:
        path, data = write_incident(loaded, automation=automation or "", summary=summary or "",
                                    day=day, time=time, severity=severity.value,
                                    reported_by=reported_by, action_taken=action_taken,
                                    status=status.value)
    except RecordError as exc:
        fail(str(exc), exc.hint)
    except OSError as exc:
        fail(_("cannot write the incident: {reason}; nothing was written").format(
            reason=exc.strerror or exc), _("check that you may write in the registry folder"))
    import shlex

    from rich.markup import escape

    console = stdout()
    shown = loaded.display(path.relative_to(loaded.root).as_posix())
    severity_word = _severity_word(data["severity"])
    console.print(_("Logged {path}: {severity} incident on {automation} ({day}, "
                    "{status}).").format(
        path=f"[bold]{escape(shown)}[/]", severity=severity_word,
        automation=escape(data["automation"]), day=i18n.day(data["date"]),
        status=_status_word(data["status"])))
    console.print(_("`livingsys review-due` lists it for that automation until its next "
                    "review."))
    message = _("Incident on {automation} ({day}, {severity})").format(
        automation=data["automation"], day=i18n.day(data["date"]), severity=severity_word)
    console.print("\n" + _("[bold]Next:[/] commit it so that everyone sees it:"))
    console.print(f"  git add {escape(shlex.quote(shown))} && git commit -m "
                  f"{escape(shlex.quote(message))}", soft_wrap=True)


def _severity_word(severity: str) -> str:
    """An incident's severity (a value of its file) in the words of the language spoken."""
    words = {"low": pgettext("an incident's severity", "low"),
             "medium": pgettext("an incident's severity", "medium"),
             "high": pgettext("an incident's severity", "high"),
             "critical": pgettext("an incident's severity", "critical")}
    return words.get(severity, severity)


def _status_word(status: str) -> str:
    """An incident's status (a value of its file) in the words of the language spoken."""
    words = {"open": pgettext("an incident's status", "open"),
             "resolved": pgettext("an incident's status", "resolved")}
    return words.get(status, status)


def register(app: typer.Typer) -> None:
    incident_app.command("add")(add)
    app.add_typer(incident_app, name="incident")
