"""The report for a person at a terminal: one screen, as wide as it is, read in a minute."""

from __future__ import annotations

import re

from livingsys.neutral import for_terminal as _esc
from livingsys.reading.indicators import Trend
from livingsys.render.sparkline import sparkline
from livingsys.render.text import percent, wrap
from livingsys.render.width import fit, fits, show
from livingsys.ritual.report import AutomationIndicators, Report
from livingsys.wording import plural

NAME = 20

# Colours say good or bad: a rising exception rate is bad, a rising volume is not.
_GOOD_WHEN_UP = {"volume": None, "exception_rate": False, "time_saved_hours": True,
                 "satisfaction": True}


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _arrow(trend: Trend | None, metric: str) -> str:
    if trend is None:
        return " "
    good_when_up = _GOOD_WHEN_UP[metric]
    if trend.direction == "flat" or good_when_up is None:
        return trend.arrow
    good = (trend.direction == "up") == good_when_up
    return f"[{'green' if good else 'red'}]{trend.arrow}[/]"


def lines(report: Report) -> list[str]:
    """The report as lines of rich markup, fitting the width once displayed."""
    out: list[str] = []
    out += fit(f"[bold]{_esc(_cut(report.organisation, 60))}[/] — automations report as of "
               f"{report.as_of.isoformat()}", 2)
    out += fit(_summary(report), 2)
    out.append("")
    if report.total == 0:
        out.append("[yellow]no automations yet:[/] add one file per automation in "
                   f"{_esc(report.registry)}/automations/<id>.yaml")
        out.append("")
        out += _lint(report)
        return out
    out += _owners(report)
    out += _lint(report)
    out += _reviews(report)
    out += _frictions(report)
    out += _indicators(report)
    out += _checklist(report)
    return out


def _summary(report: Report) -> str:
    parts = [", ".join(f"{n} {s}" for s, n in report.by_status.items() if n) or "none"]
    head = (f"{plural(report.total, 'automation')}: {parts[0]}" if report.total
            else "no automations")
    if report.invalid:
        head += f", {len(report.invalid)} unreadable"
    lint = report.lint
    if lint.errors:
        lint_text = f"[red]lint ✗ {plural(lint.errors, 'error')}[/]"
    elif lint.warnings:
        lint_text = f"[yellow]lint ✓ {plural(lint.warnings, 'warning')}[/]"
    else:
        lint_text = "[green]lint ✓ clean[/]"
    if lint.silenced:
        lint_text += f" [yellow]({lint.silenced.count} silenced)[/]"
    due = len(report.due)
    due_text = f"[yellow]{plural(due, 'review')} due[/]" if due else "[green]no review due[/]"
    section = report.indicators
    figures = f"figures up to {section.period}" if section.period else "no figures"
    return " · ".join([head, lint_text, due_text, figures])


def _owners(report: Report) -> list[str]:
    out = ["[bold]AUTOMATIONS BY BUSINESS OWNER[/]"]
    for group in report.owners:
        name = _cut(group.name, NAME)
        style = "" if group.known else "[red]"
        label = f"{style}{_esc(name):<{NAME}}{'[/]' if style else ''}"
        items = []
        for a in group.automations:
            text = a.id + (" (key)" if a.key else "")
            if a.status != "active":
                since = f" since {a.status_since.isoformat()}" if a.status_since else ""
                text += f" ({a.status}{since})"
            items.append(text)
        note = "" if group.known else (" — not in people.yaml" if group.owner else "")
        out += wrap(", ".join(items) + note, 2 + NAME + 2, f"  {label}  ")
    out.append("")
    return out


def _silenced(report: Report) -> list[str]:
    """The silenced governance under LINT: a green lint means little without it."""
    lines = report.lint.silenced.lines()
    if not lines:
        return []
    out = ["  [yellow]silenced governance[/] [dim](not checked as the article asks: see "
           "livingsys.yaml's policy and the waivers)[/]"]
    prefix = report.registry.rstrip("/") + "/"
    for line in lines:
        out += wrap(line.replace(f"({prefix}", "("), 4, "  [yellow]•[/] ")
    return out


def _lint(report: Report) -> list[str]:
    lint = report.lint
    if not lint.errors and not lint.warnings:
        head = "[bold]LINT[/]  [green]✓ no problems[/]"
        if lint.silenced:
            head += (f" [yellow]— but {plural(lint.silenced.count, 'check')} silenced or "
                     "waived[/]")
        return [head, *_silenced(report), ""]
    state = (f"[red]✗ {plural(lint.errors, 'error')}[/], {plural(lint.warnings, 'warning')}"
             if lint.errors else f"[yellow]✓ no errors[/], {plural(lint.warnings, 'warning')}")
    out = fit(f"[bold]LINT[/]  {state} — `livingsys lint` shows them all with how to fix", 6)
    prefix = report.registry.rstrip("/") + "/"
    for finding in lint.top:
        style = "red" if finding.severity.value == "error" else "yellow"
        where = finding.location
        where = where[len(prefix):] if where.startswith(prefix) else where
        out += wrap(f"{where}  {finding.code} {finding.message}", 4, f"  [{style}]•[/] ")
    more = lint.errors + lint.warnings - len(lint.top)
    if more > 0:
        out.append(f"  [dim]… and {more} more[/]")
    out += _silenced(report)
    out.append("")
    return out


def _reviews(report: Report) -> list[str]:
    out = wrap(report.reviews_basis, 15, "[bold]REVIEWS DUE[/]  [dim]by[/] ", "dim")
    if report.history_note:
        out += wrap(report.history_note, 8, "  [yellow]note:[/] ", "yellow")
    if not report.due:
        out.append("  [green]none[/]")
    for due in report.due:
        name = _cut(due.automation, NAME)
        first = f"  {_esc(name):<{NAME}}  {'key' if due.key else '   '}  "
        indent = 2 + NAME + 2 + 3 + 2
        for i, reason in enumerate(due.reasons):
            out += wrap(reason.text, indent, first if i == 0 else " " * indent)
    upcoming = report.upcoming
    if upcoming:
        # upcoming reviews all have a date (ScheduleReport.upcoming)
        soon = ", ".join(f"{i.automation} {i.next_due.isoformat()}" for i in upcoming[:4]
                         if i.next_due)
        out += wrap(soon, 8, "  [dim]next:[/] ")
    if report.due:
        out += fit("  [dim]`livingsys review-due` shows every reason in full; `livingsys agenda` "
                   "prepares the meeting[/]", 2)
    out.append("")
    return out


def _frictions(report: Report) -> list[str]:
    if not report.frictions:
        return []
    out = [f"[bold]FRICTION POINTS[/]  [dim]{len(report.frictions)} open (errors, delays, "
           "misunderstandings)[/]"]
    for friction in report.frictions:
        name = _cut(friction.automation, NAME)
        first = f"  {_esc(name):<{NAME}}  {'key' if friction.key else '   '}  "
        out += wrap(friction.text, 2 + NAME + 2 + 3 + 2, first)
    out += fit("  [dim]the review's third question: can a step be simplified?[/]", 2)
    out.append("")
    return out


def _indicators(report: Report) -> list[str]:
    section = report.indicators
    out = []
    if section.state != "ok":
        out.append("[bold]INDICATORS[/]")
        out += wrap(section.message or "", 2, "  ", "yellow")
        out.append("")
        return out
    months = section.months
    policy = section.policy
    out += fit(f"[bold]INDICATORS[/]  {section.period} [dim]· sparklines {months[0]} → "
               f"{months[-1]} · alert above {policy.exception_rate_alert * 100:.0f}% or "
               f"rising {policy.rising_months} months[/]", 12)
    spark = len(months)
    vol_w, rate_w = 6 + 1 + spark + 2, 6 + 1 + spark + 2 + 8 + 2
    # A table when it fits; narrower, each automation's figures under its name.
    table = fits(2 + NAME + 2 + vol_w + 2 + rate_w + 2 + 10 + 2 + 7)
    if table:
        out.append(f"  [dim]{'automation':<{NAME}}  {'volume':<{vol_w}}  "
                   f"{'exception rate':<{rate_w}}  {'time saved':<10}  satisf.[/]")
    notes = []
    for item in section.automations:
        out += _indicator_lines(item, spark, table)
        last = item.last
        if item.status != "active":
            notes.append(f"{item.automation} is {item.status}"
                         + (f" since {item.since.isoformat()}" if item.since else ""))
        if last is not None and last.period != section.period:
            notes.append(f"{item.automation}: no figures for {section.period} "
                         f"(last: {last.period})")
    for note in notes:
        out += wrap(note, 4, "  [dim]·[/] ")
    if section.without_figures:
        out += wrap(", ".join(section.without_figures), 16, "  [dim]no figures:[/]  ")
    if section.ignored_rows:
        out.append(f"  [yellow]{plural(section.ignored_rows, 'row')} of "
                   f"{_esc(section.path)} left out because of errors (`livingsys lint`)[/]")
    out += fit("  [dim]arrows: change since the previous month · ! exception rate alert (see "
               "reviews due) · · no figures[/]", 4)
    out.append("")
    return out


def _indicator_lines(item: AutomationIndicators, spark: int, table: bool) -> list[str]:
    """One row of the table, or (``table`` False) the name then its figures, labelled."""
    last = item.last
    assert last is not None  # only automations with figures are shown (build_report)
    name = _cut(item.automation, NAME)
    volume = f"{last.volume:>6} {sparkline(item.values('volume'))} " \
             f"{_arrow(item.trend('volume'), 'volume')}"
    rate_trend = item.trend("exception_rate")
    delta = rate_trend.describe() if rate_trend else ""
    alert = "[red]![/]" if item.alert else " "
    rate = (f"{percent(last.exception_rate):>6} {sparkline(item.values('exception_rate'))} "
            f"{_arrow(rate_trend, 'exception_rate')} {delta:<8} {alert}")
    hours = "–" if last.time_saved_hours is None else f"{last.time_saved_hours:.1f} h"
    time_text = f"{hours:>8} {_arrow(item.trend('time_saved_hours'), 'time_saved_hours')}"
    satisfaction = "–" if last.satisfaction is None else f"{last.satisfaction:.1f}"
    sat_text = f"{satisfaction:>3} {_arrow(item.trend('satisfaction'), 'satisfaction')}"
    style = "bold" if item.key else ("dim" if item.status != "active" else "")
    if not table:
        label = f"[{style}]{_esc(item.automation)}[/]" if style else _esc(item.automation)
        figures = (f"volume {volume.strip()} · exceptions {rate.strip()} · time saved "
                   f"{time_text.strip()} · satisfaction {sat_text.strip()}")
        return [f"  {label}", *fit("    " + re.sub(" {2,}", " ", figures), 6)]
    label = f"[{style}]{_esc(name):<{NAME}}[/]" if style else f"{_esc(name):<{NAME}}"
    return [f"  {label}  {volume}  {rate}  {time_text}  {sat_text}"]


def _checklist(report: Report) -> list[str]:
    out = fit("[bold]CHECKLIST[/]  [dim]the article's 8 points per automation, worst first[/]",
              11)
    if not report.checklist:
        out.append("  [dim]no automation to score[/]")
    for item in report.checklist:
        style = "green" if item.score == item.out_of else ("yellow" if item.score >= 6
                                                          else "red")
        name = _esc(_cut(item.automation, NAME))
        first = f"  [{style}]{item.score}/{item.out_of}[/]  {name:<{NAME}}  "
        if item.score == item.out_of:
            out.append(first + "[dim]complete[/]")
            continue
        parts = []
        if item.missing:
            parts.append("missing: " + "; ".join(f"{m.label} ({m.why})" for m in item.missing))
        parts += [f"{m.label}: {m.why}" for m in item.silenced]
        out += wrap("; ".join(parts), 2 + 3 + 2 + NAME + 2, first)
    for path in report.invalid:
        out.append(f"  [red]?/8[/]  {_esc(path)}: not scored until its format errors are "
                   "fixed")
    out.append("")
    return out


def render(report: Report, console=None) -> None:
    show(lambda: lines(report), console)
