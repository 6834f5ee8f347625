"""`livingsys export`: the tracking sheet (list, owners, three indicators) as CSV or XLSX."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from livingsys.cli.common import (
    RegistryOption,
    fail,
    load,
    parse_date,
    speak_for,
    stderr,
    write_raw,
)
from livingsys.i18n import _, ngettext

ORDER = 60


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


def export(
    registry: RegistryOption = None,
    output_format: Annotated[ExportFormat | None, typer.Option(
        "--format", "-f", help="csv or xlsx (Excel workbook, needs -o). Default: xlsx when "
        "the output file ends with .xlsx, else csv.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of the screen (required for "
        "xlsx; '-' is the screen).", show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Export as of this day: reviews after it and "
        "figures of later months are left out (default: today).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the output file if it exists (a regular file only, never "
        "a link or a pipe).")] = False,
) -> None:
    """The tracking sheet (list, owners, three indicators) as CSV or XLSX.

    One row per automation with its business owner, maintainer, last and next review, whether a review is due and why (git history included when it can be read), and last month's volume, exception rate, time saved and satisfaction. The XLSX workbook adds one sheet per month of indicators.

    Examples:

      livingsys export > tracking.csv

      livingsys export -o tracking.xlsx

      livingsys export --format xlsx -o tracking.xlsx --force
    """
    speak_for(registry)  # the errors about the options, in the registry's language
    if output is not None and str(output) == "-":
        output = None  # the usual spelling of "standard output"
    if output_format is None:
        output_format = (ExportFormat.xlsx if output is not None
                         and output.suffix.lower() == ".xlsx" else ExportFormat.csv)
    if output_format is ExportFormat.xlsx and output is None:
        fail(_("an XLSX workbook is a binary file and cannot be shown on the screen"),
             _("give the file to write with -o, e.g. `livingsys export -o tracking.xlsx`"))
    if output is not None and output.is_dir():
        fail(_("'{path}' is a folder").format(path=output),
             _("give a file name, e.g. -o tracking.xlsx"))
    if output is not None and (output.exists() or output.is_symlink()) and not force:
        fail(_("'{path}' already exists; it was not changed").format(path=output),
             _("add --force to replace it, or choose another name"))
    if output is not None:
        from livingsys.reading.writing import WriteError, check_replaceable

        try:
            check_replaceable(output)
        except WriteError as exc:
            fail(str(exc), exc.hint)
    day = parse_date(as_of, "--as-of")

    from livingsys.reading.writing import WriteError, write_bytes_atomic, write_text_atomic
    from livingsys.ritual.export import build_tracking, to_csv

    loaded = load(registry)
    sheet = build_tracking(loaded, day)
    err = stderr()
    for note in (sheet.note, sheet.history_note):
        if note:
            from rich.markup import escape

            label = _("note:")
            err.print(f"[yellow]{label}[/] {escape(note)}", highlight=False)
    if output is None:
        write_raw(to_csv(sheet))
        return
    try:
        if output_format is ExportFormat.xlsx:
            from livingsys.ritual.export import to_xlsx

            write_bytes_atomic(output, to_xlsx(sheet), overwrite=force)
        else:
            write_text_atomic(output, to_csv(sheet), overwrite=force)
    except WriteError as exc:
        fail(str(exc), exc.hint)
    except OSError as exc:
        fail(_("cannot write '{path}': {reason}").format(path=output,
                                                         reason=exc.strerror or exc),
             _("check the folder exists and that you may write there"))
    months = len(sheet.months) if output_format is ExportFormat.xlsx else 0
    rows = len(sheet.rows)
    if months:
        text = ngettext("wrote {path}: {n} automation, {months_text}",
                        "wrote {path}: {n} automations, {months_text}", rows)
        months_text = ngettext("{months} monthly sheet", "{months} monthly sheets",
                               months).format(months=months)
    else:
        text = ngettext("wrote {path}: {n} automation", "wrote {path}: {n} automations", rows)
        months_text = ""
    err.print(text.format(path=output, n=rows, months_text=months_text), highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(export)
