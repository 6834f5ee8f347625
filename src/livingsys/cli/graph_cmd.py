"""`livingsys graph`: the drawn flow as a Mermaid flowchart."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from livingsys.cli.common import (
    RegistryOption,
    fail,
    format_option,
    load,
    rendered,
    valid_automation,
    write_raw,
)
from livingsys.i18n import N_, _

ORDER = 60


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    markdown = "markdown"


def graph(
    automation_id: Annotated[str | None, typer.Argument(
        metavar="ID", help="The automation to draw.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Draw every automation (Markdown).")] = False,
    registry: RegistryOption = None,
    output_format: Annotated[GraphFormat | None, format_option(
        "mermaid (the diagram alone) or markdown (a section with a ```mermaid block, ready for "
        "a README or wiki). Default: mermaid for one automation, markdown with --all.",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of the screen.")] = None,
) -> None:
    """Draw an automation's flow as a Mermaid flowchart: automatic, human and AI steps, validations, exceptions and messages to clients.

    GitHub and GitLab render ```mermaid blocks in Markdown as diagrams.

    Examples:

      livingsys graph payment-reminders

      livingsys graph payment-reminders --format markdown -o docs/payment-reminders.md

      livingsys graph --all -o docs/flows.md
    """
    from livingsys.render import graph as drawing
    if automation_id and all_:
        fail(_("name one automation, or use --all, not both"))
    reg = load(registry)
    if not automation_id and not all_:
        known = [e.model.id for e in reg.valid_automations]
        fail(_("name one automation, or use --all"),
             _("e.g. livingsys graph {first}; automations: {ids}").format(
                 first=known[0], ids=", ".join(known)) if known
             else _("the registry has no valid automation yet: add one with `livingsys new "
                    "ID`"))
    people = reg.people or {}
    if all_:
        entries = reg.valid_automations
        if not entries:
            fail(_("no valid automation to draw"), _("run `livingsys lint` to see why"))
        if output_format is GraphFormat.mermaid:
            fail(_("--all draws several diagrams: use --format markdown"))
        text = "\n".join(drawing.markdown(e.model, people) for e in entries)
    else:
        assert automation_id  # without --all, an id was required above
        entry = valid_automation(reg, automation_id, N_("drawn"))
        text = rendered(output_format or GraphFormat.mermaid, entry.model, {
            GraphFormat.mermaid: lambda automation: drawing.mermaid(automation, people),
            GraphFormat.markdown: lambda automation: drawing.markdown(automation, people)})
    if output is not None:
        from livingsys.reading.writing import WriteError, write_text_atomic

        try:
            write_text_atomic(output, text, overwrite=True)
        except (WriteError, OSError) as exc:
            fail(_("cannot write {path}: {error}").format(path=output, error=exc))
        typer.echo(_("wrote {path}").format(path=output), err=True)
    else:
        write_raw(text)


def register(app: typer.Typer) -> None:
    app.command()(graph)
