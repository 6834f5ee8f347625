"""Lint results for a person at a terminal: grouped by file, with hints."""

from __future__ import annotations

from itertools import groupby

from livingsys.checks.lint import LintReport
from livingsys.findings import Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def render(report: LintReport, *, explain: bool = False, console=None) -> None:
    from livingsys.neutral import console as neutral_console
    from livingsys.neutral import for_terminal as escape

    # soft_wrap: one finding per line in CI logs and pipes, whatever the terminal width.
    console = console or neutral_console(soft_wrap=True)
    rationale = {}
    if explain:
        from livingsys.checks.base import catalogue

        rationale = {c.code: c.rationale for c in catalogue()}
    explained: set[str] = set()
    # Each finding starts with path:line:col, which editors and terminals turn into a link;
    # a blank line separates files.
    for _path, group in groupby(report.findings, key=lambda f: f.path or "registry"):
        for finding in group:
            sev = finding.severity.value
            name = f"  [dim]({finding.name})[/]" if finding.name else ""
            console.print(f"[bold]{escape(finding.location)}[/]: "
                          f"[{_STYLE[finding.severity]}]{sev}[/] [bold]{finding.code}[/] "
                          f"{escape(indent(finding.message, 4))}{name}")
            if finding.hint:
                console.print(f"    [green]fix:[/] {escape(indent(finding.hint, 9))}")
            if explain and finding.code in rationale and finding.code not in explained:
                explained.add(finding.code)
                console.print(f"    [blue]why:[/] {escape(rationale[finding.code])}")
        console.print()
    for line in silenced_lines(report):
        console.print(line, highlight=False)
    console.print(summary(report), highlight=False)


def silenced_lines(report: LintReport) -> list[str]:
    """The silenced governance, one line each (rich markup), then a blank line; nothing when
    every check runs as the article asks."""
    from rich.markup import escape

    lines = report.silenced.lines()
    if not lines:
        return []
    out = ["[bold yellow]silenced governance[/] [dim](switched off, lowered or loosened in "
           "livingsys.yaml's policy, or waived: not checked as the article asks)[/]"]
    out += [f"  [yellow]•[/] {escape(line)}" for line in lines]
    return out + [""]


def indent(text: str, width: int) -> str:
    """Continuation lines of a multi-line message or hint, aligned under its first line."""
    return text.replace("\n", "\n" + " " * width)


def summary(report: LintReport) -> str:
    """The one-line summary, with rich markup."""
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    automations = len(report.registry.automations)
    scope = f"{files}, {automations} automation{'s' if automations != 1 else ''}"
    parts = []
    if report.waived:
        parts.append(f"{len(report.waived)} waived")
    if report.silenced:
        parts.append(f"silenced: {report.silenced.summary()}")
    if report.not_checked:
        parts.append(f"{len(report.not_checked)} automation(s) not checked for governance "
                     "until their format errors are fixed")
    extra = f" ({'; '.join(parts)})" if parts else ""
    if report.exit_code == 2:
        head = "[bold red]✗ some files could not be read[/]"
        return f"{head}: {report.errors} error(s), {report.warnings} warning(s) in {scope}{extra}"
    if report.errors:
        return (f"[bold red]✗ {report.errors} error{'s' if report.errors != 1 else ''}[/], "
                f"{report.warnings} warning{'s' if report.warnings != 1 else ''} in {scope}{extra}")
    if report.warnings:
        return (f"[yellow]✓ no errors[/], {report.warnings} warning"
                f"{'s' if report.warnings != 1 else ''} in {scope}{extra}")
    if report.silenced:
        return f"[green]✓ {scope} checked: no problems[/] [yellow]{extra.strip()}[/]"
    return f"[green]✓ {scope} checked: no problems[/]{extra}"
