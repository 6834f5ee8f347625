"""Lint results for a person at a terminal: grouped by file, with hints."""

from __future__ import annotations

from itertools import groupby

from livingsys.checks.lint import LintReport
from livingsys.codes import severity_name
from livingsys.findings import Severity
from livingsys.i18n import _, ngettext, pgettext

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
    fix, why = _("fix:"), _("why:")
    # Each finding starts with path:line:col, which editors and terminals turn into a link;
    # a blank line separates files.
    for _path, group in groupby(report.findings, key=lambda f: f.path or "registry"):
        for finding in group:
            sev = severity_name(finding.severity)
            name = f"  [dim]({finding.name})[/]" if finding.name else ""
            console.print(f"[bold]{escape(finding.location)}[/]: "
                          f"[{_STYLE[finding.severity]}]{sev}[/] [bold]{finding.code}[/] "
                          f"{escape(indent(finding.message, 4))}{name}")
            if finding.hint:
                console.print(f"    [green]{fix}[/] "
                              f"{escape(indent(finding.hint, 5 + len(fix)))}")
            if explain and finding.code in rationale and finding.code not in explained:
                explained.add(finding.code)
                console.print(f"    [blue]{why}[/] {escape(rationale[finding.code])}")
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
    heading = _("silenced governance")
    why = _("(switched off, lowered or loosened in livingsys.yaml's policy, or waived: not "
            "checked as the article asks)")
    out = [f"[bold yellow]{heading}[/] [dim]{escape(why)}[/]"]
    out += [f"  [yellow]•[/] {escape(line)}" for line in lines]
    return out + [""]


def indent(text: str, width: int) -> str:
    """Continuation lines of a multi-line message or hint, aligned under its first line."""
    return text.replace("\n", "\n" + " " * width)


def summary(report: LintReport) -> str:
    """The one-line summary, with rich markup."""
    automations = report.automation_count
    scope = _("{files}, {automations}").format(
        files=ngettext("{n} file", "{n} files", report.files).format(n=report.files),
        automations=ngettext("{n} automation", "{n} automations", automations).format(
            n=automations))
    parts = []
    if report.waived:
        parts.append(ngettext("{n} waived", "{n} waived", len(report.waived)).format(
            n=len(report.waived)))
    if report.silenced:
        parts.append(_("silenced: {summary}").format(summary=report.silenced.summary()))
    if report.not_shown:
        parts.append(ngettext(
            "{count} finding in other files not shown: `livingsys lint` without file names "
            "shows it", "{count} findings in other files not shown: `livingsys lint` without "
            "file names shows them", report.not_shown).format(count=report.not_shown))
    if report.not_checked:
        parts.append(ngettext(
            "{n} automation(s) not checked for governance until their format errors are fixed",
            "{n} automation(s) not checked for governance until their format errors are fixed",
            len(report.not_checked)).format(n=len(report.not_checked)))
    between = pgettext("between the parts of a list", "; ")
    extra = f" ({between.join(parts)})" if parts else ""
    errors, warnings = report.errors, report.warnings
    if report.exit_code == 2:
        head = _("some files could not be read")
        counts = _("{errors}, {warnings} in {scope}").format(
            errors=ngettext("{n} error(s)", "{n} error(s)", errors).format(n=errors),
            warnings=ngettext("{n} warning(s)", "{n} warning(s)", warnings).format(n=warnings),
            scope=scope)
        return _("{failed}: {counts}").format(failed=f"[bold red]✗ {head}[/]",
                                              counts=counts) + extra
    warned = ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)
    if errors:
        failed = ngettext("{n} error", "{n} errors", errors).format(n=errors)
        return _("{errors}, {warnings} in {scope}").format(
            errors=f"[bold red]✗ {failed}[/]", warnings=warned, scope=scope) + extra
    if warnings:
        clean = _("no errors")
        return _("{errors}, {warnings} in {scope}").format(
            errors=f"[yellow]✓ {clean}[/]", warnings=warned, scope=scope) + extra
    checked = _("{scope} checked: no problems").format(scope=scope)
    if report.silenced:
        return f"[green]✓ {checked}[/] [yellow]{extra.strip()}[/]"
    return f"[green]✓ {checked}[/]{extra}"
