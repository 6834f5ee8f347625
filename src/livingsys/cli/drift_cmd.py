"""`livingsys drift`: the registry compared with the tools' exports."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from livingsys.cli.common import RegistryOption, format_option, load, show

ORDER = 12


class DriftFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def drift(
    automations: Annotated[list[str] | None, typer.Argument(
        metavar="[ID]...", help="Compare only these automations (default: every one with a "
        "`source`).", show_default=False)] = None,
    registry: RegistryOption = None,
    output_format: Annotated[DriftFormat, format_option(
        "text, json or github (GitHub Actions annotations).")] = DriftFormat.text,
) -> None:
    """Compare each automation with its tool's export: steps, messages sent, thresholds.

    For every automation with `source: {kind: n8n|make, export: PATH}`: nodes added, removed
    or renamed, a node that sends a message the registry does not declare, and the tool's
    conditions against the rules' `when` (e.g. the export compares amount > 6000, the
    registry says > 5000). Every difference points at the registry's file and line.

    Exit code 0 when in sync, 1 when they differ, 2 when an export cannot be read.

    Examples:

      livingsys drift

      livingsys drift payment-reminders

      livingsys drift --format github
    """
    from livingsys.checks.drift import drift as run_drift
    from livingsys.cli.common import fail
    from livingsys.render import drift as render

    loaded = load(registry)
    if automations:
        known = {e.model.id for e in loaded.valid_automations}
        unknown = [a for a in automations if a not in known]
        if unknown:
            from livingsys.i18n import _, pgettext
            from livingsys.reading.validation import did_you_mean

            guess = did_you_mean(unknown[0], known)
            message = (_("there is no automation '{id}' — did you mean '{guess}'?") if guess
                       else _("there is no automation '{id}'"))
            fail(message.format(id=unknown[0], guess=guess),
                 _("automations: {ids}").format(
                     ids=", ".join(sorted(known)) or pgettext("no automation", "none")))
    report = run_drift(loaded, automations or None)
    show(output_format, report, {DriftFormat.text: render.text, DriftFormat.json: render.to_json,
                                 DriftFormat.github: render.github})
    raise typer.Exit(report.exit_code)


def register(app: typer.Typer) -> None:
    app.command()(drift)
