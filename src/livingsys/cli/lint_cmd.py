"""`livingsys lint`."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from livingsys.cli.common import (
    RegistryOption,
    fail,
    format_option,
    output_kind,
    parse_date,
    registry_path,
    rendered,
    show,
)

ORDER = 10


class LintFormat(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"
    github = "github"
    sarif = "sarif"


def lint(
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="[FILES]...", show_default=False,
        help="Report only these files of the registry (pre-commit passes the files of the "
        "commit). The whole registry is still read, so that rules between files hold: a "
        "file given that clashes with another is reported, and a change to livingsys.yaml, "
        "people.yaml or a shared rule shows every file it concerns.")] = None,
    registry: RegistryOption = None,
    output_format: Annotated[LintFormat, format_option(
        "text (grouped by file), concise (one line per finding), json, github (GitHub Actions "
        "annotations) or sarif (code scanning).")] = LintFormat.text,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Show why each check exists (the article's rule) under its findings.")
    ] = False,
    today: Annotated[str | None, typer.Option(
        "--today", metavar="YYYY-MM-DD", help="Check expiry dates as of this day "
        "(default: today).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the report to this file instead of the screen "
        "(handy for SARIF).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Check every file again, without reading or writing lint's cache "
        "(kept in $LIVINGSYS_CACHE_DIR, else ~/.cache/livingsys; safe to delete).")] = False,
) -> None:
    """Check the registry: file format, then the governance rules.

    Exit code 0 when clean, 1 when there are errors, 2 when the registry or a file cannot be read.

    Examples:

      livingsys lint

      livingsys lint --registry path/to/registry --format github

      livingsys lint --format sarif -o livingsys.sarif

      livingsys lint registry/automations/payment-reminders.yaml

    A second lint of files that did not change reads its results from the cache, as ruff
    does: the report is the same, only faster. --no-cache checks everything again.
    """
    from livingsys.reading.registry import RegistryNotFound

    root = registry_path(registry)
    given = _inside(root, files) if files else None
    try:
        report = _run(root, parse_date(today, "--today"), given, cache=not no_cache)
    except RegistryNotFound as exc:
        from livingsys.i18n import _

        fail(str(exc), _("pass the folder with --registry PATH, or create one with "
                         "`livingsys init`"))
    from livingsys.render import lint_machine
    from livingsys.render.lint_text import render

    in_file = {
        LintFormat.text: lint_machine.plain,
        LintFormat.concise: lint_machine.concise,
        LintFormat.json: lint_machine.to_json,
        LintFormat.github: lint_machine.github,
        LintFormat.sarif: lint_machine.sarif,
    }
    if output is None:
        # on the screen, the text is in colour, with --explain's why
        show(output_format, report,
             {**in_file, LintFormat.text: lambda found: render(found, explain=explain)})
    else:
        _write_report(output, output_format, rendered(output_format, report, in_file))
    raise typer.Exit(report.exit_code)


def _inside(root: Path, files: list[Path]) -> list[str]:
    """The files given, as paths inside the registry (``automations/x.yaml``), or exit 2
    naming the first that does not exist or is not in the registry folder."""
    top = root.resolve()
    out = []
    for file in files:
        if not file.exists():
            fail(f"'{file}' does not exist", "give files of the registry, e.g. "
                 f"{root / 'automations' / 'payment-reminders.yaml'}")
        try:
            rel = file.resolve().relative_to(top)
        except ValueError:
            fail(f"'{file}' is not in the registry folder '{root}'",
                 "give files of that registry, or name the registry with --registry PATH")
        out.append(rel.as_posix())
    return out


def _run(root: Path, today: dt.date | None, files: list[str] | None, *, cache: bool):
    """The lint report, through the cache unless ``cache`` is False or there is no folder
    to keep it in."""
    from livingsys.checks.lint import lint as run_lint

    if cache:
        from livingsys.checks.lint_cache import default_cache_dir, lint_cached

        folder = default_cache_dir()
        if folder is not None:
            return lint_cached(root, today or dt.date.today(), folder, files)
    return run_lint(root, today, files)


def _write_report(output: Path, output_format: LintFormat, text: str) -> None:
    """``--output``: the report written to a file (atomically), or exit 2 saying why not."""
    from livingsys.i18n import _
    from livingsys.neutral import finish
    from livingsys.reading.writing import WriteError, write_text_atomic

    if output.is_dir():
        fail(_("--output '{output}' is a folder").format(output=output),
             _("give a file name, e.g. {example}").format(
                 example=output / ("livingsys." + output_format.value)))
    try:
        write_text_atomic(output, finish(text, output_kind(output_format)), overwrite=True)
    except (WriteError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        fail(_("cannot write the report to '{output}': {reason}").format(output=output,
                                                                        reason=reason),
             _("check that the folder exists and that you may write there"))


def register(app: typer.Typer) -> None:
    app.command()(lint)
