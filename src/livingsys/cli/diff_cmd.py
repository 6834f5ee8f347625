"""`livingsys diff [REV[..REV]]`: the semantic change of the registry between revisions."""

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
    show,
    to_json,
)

ORDER = 32


class DiffFormat(str, Enum):
    text = "text"
    json = "json"


def diff(
    revisions: Annotated[str | None, typer.Argument(
        metavar="[REV[..REV]]", help="REV: from that commit to the working tree; A..B: from "
        "A to B (A.. means A..HEAD). Default: the last commit (HEAD) to the working tree.",
        show_default=False)] = None,
    registry: RegistryOption = None,
    automation: Annotated[str | None, typer.Option(
        "--automation", "-a", metavar="ID", help="Only this automation: its file (through "
        "renames), the shared rules it uses, its minutes and incidents.",
        show_default=False)] = None,
    output_format: Annotated[DiffFormat, format_option(
        "text (grouped by file) or json.")] = DiffFormat.text,
) -> None:
    """What changed in the registry: rules, exceptions, guardrails, owners — not lines.

    Each file is read on both sides and compared field by field: a comment, a re-wrapped paragraph or a key moved is not a change; a threshold from 5000 to 3000 is. Renames are followed; each file lists the commits (author, date) that changed it.

    Examples:

      livingsys diff                       # uncommitted changes

      livingsys diff HEAD~5..HEAD

      livingsys diff v1.0 --automation payment-reminders --format json
    """
    from livingsys.history import HistoryError
    from livingsys.history.registry_diff import DiffError, parse_range, registry_diff

    try:
        old, new = parse_range(revisions)
    except DiffError as exc:
        fail(str(exc), exc.hint)
    loaded = load(registry)
    try:
        result = registry_diff(loaded, old, new, automation=automation)
    except HistoryError as exc:
        history_fail(exc)
    except DiffError as exc:
        fail(str(exc), exc.hint)
    from livingsys.render.diff import render

    show(output_format, result, {DiffFormat.text: render, DiffFormat.json: to_json})


def register(app: typer.Typer) -> None:
    app.command()(diff)
