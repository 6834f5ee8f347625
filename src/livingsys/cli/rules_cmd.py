"""`livingsys rules [CODE]`: the catalogue of checks, generated from the check units."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from livingsys.cli.common import as_json, fail, format_option, show

if TYPE_CHECKING:
    from livingsys.codes import Code

ORDER = 20


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    docs = "docs"


def rules(
    check: Annotated[str | None, typer.Argument(
        help="A check's code or name (G008 or exception-count) to explain it in full.",
        show_default=False)] = None,
    output_format: Annotated[RulesFormat, format_option(
        "text, markdown (the README's table), json, or docs (every check's page: "
        "docs/checks.md).")] = RulesFormat.text,
) -> None:
    """List the checks lint runs, or explain one: why it exists, how to fix, how to configure.

    Examples:

      livingsys rules

      livingsys rules G001

      livingsys rules exception-count

      livingsys rules --format docs > docs/checks.md
    """
    from livingsys.checks.base import catalogue, find
    from livingsys.cli.common import speak_for
    from livingsys.reading.validation import did_you_mean
    from livingsys.render import catalogue as catalogue_doc

    speak_for()  # the language of the registry here, if there is one

    if check is None:
        show(output_format, catalogue(), {
            RulesFormat.text: _table,
            RulesFormat.markdown: catalogue_doc.markdown_table,
            RulesFormat.docs: catalogue_doc.reference,
            RulesFormat.json: lambda checks: as_json([catalogue_doc.as_dict(c) for c in checks])})
        return
    found = find(check)
    if found is None:
        from livingsys.i18n import _

        guess = did_you_mean(check, [n for c in catalogue() for n in (c.code, c.name)])
        message = (_("there is no check '{check}' — did you mean '{guess}'?") if guess else
                   _("there is no check '{check}'")).format(check=check, guess=guess)
        fail(message, _("`livingsys rules` lists them all"))
    show(output_format, found, {
        RulesFormat.text: _page,
        RulesFormat.markdown: catalogue_doc.markdown_page,
        RulesFormat.docs: catalogue_doc.markdown_page,  # one check: its page
        RulesFormat.json: lambda one: as_json(catalogue_doc.as_dict(one))})


def _table(checks: list[Code]) -> None:
    from rich.console import Console
    from rich.table import Table

    from livingsys.codes import group_name, severity_name
    from livingsys.i18n import _, pgettext

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("code")  # the same word in French
    table.add_column(pgettext("column of the list of checks", "name"))
    table.add_column(pgettext("column of the list of checks", "severity"))
    table.add_column(pgettext("column of the list of checks", "what it checks"))
    group = None
    for c in checks:
        if c.group != group:
            group = c.group
            table.add_row(f"[dim]{group_name(group)}[/]", "", "", "")
        table.add_row(c.code, c.name, severity_name(c.severity), c.title)
    console = Console(highlight=False)
    console.print(table)
    explains = _("`livingsys rules CODE` explains one check.")
    console.print(f"\n[dim]{explains}[/]")


def _page(check: Code) -> None:
    from rich.console import Console
    from rich.markup import escape

    from livingsys.codes import group_name, severity_name
    from livingsys.i18n import _

    console = Console(highlight=False)
    console.print(f"[bold]{check.code} {check.name}[/] — {escape(check.title)}")
    severity, group = _("severity:"), _("group:")
    console.print(f"[dim]{severity}[/] {severity_name(check.severity)}    "
                  f"[dim]{group}[/] {group_name(check.group)}\n")
    why, fix = _("Why"), _("How to fix")
    console.print(f"[bold]{why}[/]\n  {escape(check.rationale)}\n")
    console.print(f"[bold]{fix}[/]\n  {escape(check.hint)}\n")
    if check.example:
        example = _("Example")
        console.print(f"[bold]{example}[/]")
        for line in check.example.splitlines():
            console.print(f"  {escape(line)}")
        console.print()
    if check.params:
        parameters = _("Parameters")
        where = escape(_("(set in livingsys.yaml under policy: checks:)"))
        console.print(f"[bold]{parameters}[/] {where}")
        for name, param in check.params.items():
            console.print(f"  {name} = {param.default!r}  [dim]{escape(param.description)}[/]")
        console.print()
    from livingsys.render.catalogue import cannot_silence, configuration_example

    note = cannot_silence(check)
    if note is None:
        configure = _("Configure or waive")
        console.print(f"[bold]{configure}[/]")
        for line in configuration_example(check).splitlines():
            console.print(f"  {escape(line)}")
    else:
        console.print(f"[dim]{escape(note)}[/]")


def register(app: typer.Typer) -> None:
    app.command()(rules)
