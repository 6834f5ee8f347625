"""`livingsys review-due`: which automations need a review, and every reason why."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from livingsys.cli.common import (
    RegistryOption,
    fail,
    format_option,
    history_fail,
    load,
    parse_date,
    registry_path,
    show,
    to_json,
)

ORDER = 30


class DueFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


NoHistoryOption = Annotated[bool, typer.Option(
    "--no-history", help="Do not read git: only the cadence, incidents and exception-rate "
    "reasons (the output says the history was not read).")]

ByDateOption = Annotated[bool, typer.Option(
    "--by-date", help="When the commit named in the last minutes is no longer in the history "
    "(rewritten), compare with the registry as it was on the review's date instead.")]


def review_due(
    registry: RegistryOption = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Count cadence, incidents and figures as of this "
        "day (default: today). Changes are read from git up to now.")] = None,
    output_format: Annotated[DueFormat, format_option(
        "text (for the terminal), json, or markdown (for a wiki or an email).")
    ] = DueFormat.text,
    fail_on_due: Annotated[bool, typer.Option(
        "--fail-on-due", help="Exit with code 1 when any automation needs a review (for CI).")
    ] = False,
    no_history: NoHistoryOption = False,
    by_date: ByDateOption = False,
) -> None:
    """Which automations need a review, most urgent first, with every reason.

    Reasons: never reviewed; cadence elapsed; its rules, exceptions, guardrails, owner or status changed in git since the last review; a shared key rule it uses changed (rule 3); incidents logged since; exception rate up; uncommitted changes; file renamed. Each change comes with its commit, author and date.

    Exit code 0, or 1 with --fail-on-due when a review is due; 2 when the registry or its git history cannot be read, or with --fail-on-due when an automation file has format errors (the message says what to do).

    Examples:

      livingsys review-due

      livingsys review-due --format markdown > reviews-due.md

      livingsys review-due --fail-on-due        # in CI, with the full history fetched
    """
    from livingsys.history import HistoryError, open_history_soon
    from livingsys.i18n import _, ngettext
    from livingsys.ritual.review_due import review_due as build

    day = parse_date(as_of, "--as-of")
    # git walks the history on its own while the registry is read (the longest wait)
    opening = None if no_history else open_history_soon(registry_path(registry))
    try:
        loaded = load(registry)
        if loaded.settings is None and not loaded.automations:
            fail(_("'{folder}' is not a registry: it has no livingsys.yaml and no "
                   "automations/").format(folder=loaded.display_root),
                 _("give the registry folder with --registry, or create one with `livingsys "
                   "init`"))
        try:
            report = build(loaded, day, history=opening or False, by_date=by_date)
        except HistoryError as exc:
            history_fail(exc, _("run `livingsys review-due --no-history` for the reasons that "
                                "need no git (cadence, incidents, indicators)"))
    finally:
        if opening is not None:
            opening.close()
    from livingsys.render.review_due import markdown, render_text

    show(output_format, report, {DueFormat.text: render_text, DueFormat.json: to_json,
                                 DueFormat.markdown: markdown})
    if fail_on_due and report.invalid:
        fail(ngettext("cannot tell whether {files} needs a review: format errors keep it out",
                      "cannot tell whether {files} need a review: format errors keep them out",
                      len(report.invalid)).format(files=", ".join(report.invalid)),
             _("run `livingsys lint` and fix the file; --fail-on-due never passes over a file "
               "it cannot read"))
    if fail_on_due and report.due:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("review-due")(review_due)
