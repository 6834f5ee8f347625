"""`livingsys import n8n FILE` and `livingsys import make FILE`: a draft from a tool's export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from livingsys.cli.common import RegistryOption, fail, load, registry_path, stdout
from livingsys.i18n import _, ngettext, pgettext

ORDER = 6

app = typer.Typer(
    name="import", no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
    help="Draft an automation file from a real tool export (n8n workflow, Make blueprint).\n\n"
    "Examples:\n\n"
    "  livingsys import n8n exports/reminders.json\n\n"
    "  livingsys import make exports/leads.blueprint.json --id lead-intake")

IdOption = Annotated[str | None, typer.Option(
    "--id", help="The automation's id, also its file name (default: from the workflow's "
    "name).", show_default=False)]


def _run(kind: str, file: Path, registry: Path | None, automation_id: str | None) -> None:
    from rich.markup import escape

    from livingsys.checks.lint import run_checks
    from livingsys.reading.registry import display_root_for, load_registry
    from livingsys.reading.writing import WriteError
    from livingsys.tools.importer import import_export
    from livingsys.tools.model import ExportError, plain

    root = registry_path(registry)
    loaded = load(root)
    if automation_id is not None and loaded.automation(automation_id) is not None:
        fail(_("automation id '{id}' is already used by {file}").format(
            id=automation_id, file=loaded.automation(automation_id).path),
             _("choose another id with --id"))
    try:
        imported = import_export(kind, file, root, automation_id=automation_id)
    except ExportError as exc:
        fail(exc.message, exc.hint)
    except WriteError as exc:
        fail(str(exc), exc.hint)
    except OSError as exc:
        fail(_("cannot write the draft: {why}; nothing was written").format(
            why=exc.strerror or exc),
             _("check that you may write in the registry folder and that the disk is not "
               "full"))
    draft = imported.draft
    workflow = draft.workflow
    console = stdout()
    shown = display_root_for(imported.path)
    steps = ngettext("{n} step", "{n} steps", len(workflow.steps)).format(
        n=len(workflow.steps))
    rules = ngettext("{n} rule", "{n} rules", draft.rules).format(n=draft.rules)
    facts = ngettext("{n} fact", "{n} facts", draft.facts).format(n=draft.facts)
    created = _("Created the draft [bold]{file}[/] from the {tool} export '{name}': {steps}, "
                "{rules}, {facts}.")
    console.print(created.format(file=escape(shown), tool=kind,
                                 name=escape(plain(workflow.name, 80)), steps=steps,
                                 rules=rules, facts=facts))
    if workflow.credentials:
        left_out = _("{n} credential reference(s) were left out on purpose: they stay in the "
                     "tool.").format(n=len(workflow.credentials))
        console.print(f"[dim]{left_out}[/]")
    note = _("note:")
    for todo in draft.todo:
        console.print(f"[yellow]{note}[/] {escape(todo)}")
    import datetime as dt

    report = run_checks(load_registry(root), dt.date.today())
    entry = report.registry.automation(draft.automation_id)
    mine = [f for f in report.findings if entry is not None and f.path == entry.path]
    if mine:
        console.print("\n" + _("[bold]Still to fill in[/] (from livingsys lint):"))
        for finding in mine:
            where = (_("line {n}").format(n=finding.line) if finding.line
                     else pgettext("a finding about the whole file", "file"))
            console.print(f"  - {where:<8} {escape(finding.message)} [dim]{finding.code}[/]")
    if draft.export:
        after = _("[bold]Next:[/] open {file}, check every line marked TODO, then run "
                  "`livingsys lint` and `livingsys drift`.")
    else:
        after = _("[bold]Next:[/] open {file}, check every line marked TODO, then run "
                  "`livingsys lint`.")
    console.print("\n" + after.format(file=escape(shown)))


@app.command("n8n")
def import_n8n(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The workflow exported from n8n "
                                         "(⋯ › Download), a .json file.", show_default=False)],
    registry: RegistryOption = None,
    automation_id: IdOption = None,
) -> None:
    """Draft automations/ID.yaml from an n8n workflow export.

    Every working node becomes a step (sticky notes and no-ops aside), IF, Switch and Filter
    comparisons become rules with a `when`; what cannot be translated is marked TODO.
    Never overwrites a file. Credentials are never copied.

    Examples:

      livingsys import n8n exports/payment-reminders.json

      livingsys import n8n exports/triage.json --id support-triage
    """
    _run("n8n", file, registry, automation_id)


@app.command("make")
def import_make(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The scenario's blueprint exported "
                                         "from Make (⋯ › Export Blueprint), a .json file.",
                                         show_default=False)],
    registry: RegistryOption = None,
    automation_id: IdOption = None,
) -> None:
    """Draft automations/ID.yaml from a Make scenario blueprint.

    Every module becomes a step (error directives aside), filters and router routes become
    rules with a `when`; what cannot be translated is marked TODO.
    Never overwrites a file. Connections are never copied.

    Examples:

      livingsys import make exports/payment-reminders.blueprint.json

      livingsys import make exports/leads.json --id lead-intake
    """
    _run("make", file, registry, automation_id)


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="import")
