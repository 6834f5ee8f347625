"""`livingsys schema [KIND]`: the JSON Schema of each file kind, for editor completion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from livingsys.cli.common import fail, stdout, write_raw
from livingsys.i18n import _, pgettext

ORDER = 90


def schema(
    kind: Annotated[str | None, typer.Argument(
        metavar="KIND", help="A file kind: settings, people, rule, automation, review or incident. "
        "Without it, the list of kinds.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write <kind>.json into this folder (every kind, or only KIND) "
        "instead of printing. Files there with those names are replaced: they are generated.",
        show_default=False)] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a file kind, or write them all.

    Editors use them to complete field names and check values as you type.

    In VS Code, install the YAML extension (Red Hat) and start a file with:

      # yaml-language-server: $schema=../.livingsys/schema/automation.json

    `livingsys init` writes the schemas and these lines for you.

    Examples:

      livingsys schema

      livingsys schema automation > automation.json

      livingsys schema --output registry/.livingsys/schema
    """
    from livingsys.reading import schema as core
    if kind is not None and kind not in core.KINDS:
        error = core.UnknownKind(kind)
        fail(str(error), _("`livingsys schema` lists the kinds: {kinds}").format(
            kinds=", ".join(core.kind_names())))
    if output is not None:
        from livingsys.reading.writing import WriteError

        try:
            written = core.write_schemas(output, [kind] if kind else None)
        except WriteError as exc:
            fail(str(exc), exc.hint)
        except OSError as exc:
            fail(_("cannot write the schemas into '{folder}': {why}").format(
                folder=output, why=exc.strerror or exc),
                 _("check that the folder exists or can be created, and that you may write "
                   "there"))
        console = stdout()
        # Translators: both words are padded to the same width, so that the paths line up.
        states = {True: _("written  "), False: _("unchanged")}
        for path, changed in written:
            console.print(f"{states[changed]}  {path}")
        return
    if kind is not None:
        write_raw(core.schema_text(kind), "json")
        return
    _index(core)


def _index(core) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column(pgettext("a column of the list of file kinds", "kind"))
    table.add_column(pgettext("a column of the list of file kinds", "file"), no_wrap=True)
    table.add_column(pgettext("a column of the list of file kinds", "what it holds"))
    for info in core.KINDS.values():
        table.add_row(info.name, escape(info.files), escape(_(info.what)))
    console = stdout()
    console.print(table)
    note = _("`livingsys schema KIND` prints one schema; `livingsys schema --output DIR` "
             "writes them all (DIR/<kind>.json).")
    console.print(f"\n[dim]{escape(note)}[/]")


def register(app: typer.Typer) -> None:
    app.command()(schema)
