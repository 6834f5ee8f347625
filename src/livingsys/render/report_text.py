"""The report for a person at a terminal: one screen, as wide as it is, read in a minute."""

from __future__ import annotations

import re

from livingsys import i18n
from livingsys.i18n import _, ngettext, pgettext
from livingsys.neutral import for_terminal as _esc
from livingsys.reading.indicators import Trend
from livingsys.render.sparkline import sparkline
from livingsys.render.text import (
    count,
    decimal,
    missing_item,
    month,
    percent,
    silenced_item,
    status_counts,
    status_word,
    threshold,
    with_status,
    wrap,
)
from livingsys.render.width import fit, fits, show
from livingsys.ritual.report import AutomationIndicators, Report, describe_change

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


def _key_mark() -> str:
    """'key' beside a key automation, in a column three characters wide."""
    word = pgettext("a key automation, in a column 3 characters wide", "key")
    return f"{word:<3}"[:3]


def lines(report: Report) -> list[str]:
    """The report as lines of rich markup, fitting the width once displayed."""
    out: list[str] = []
    organisation = f"[bold]{_esc(_cut(report.organisation, 60))}[/]"
    out += fit(_("{organisation} — automations report as of {day}").format(
        organisation=organisation, day=i18n.day(report.as_of)), 2)
    out += fit(_summary(report), 2)
    out.append("")
    if report.total == 0:
        out.append(_("[yellow]no automations yet:[/] add one file per automation in "
                     "{folder}/automations/<id>.yaml").format(folder=_esc(report.registry)))
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
    total = report.total
    head = (ngettext("{n} automation: {statuses}", "{n} automations: {statuses}", total).format(
        n=total, statuses=status_counts(report.by_status)) if total
            else _("no automations"))
    if report.invalid:
        n = len(report.invalid)
        head = ngettext("{head}, {n} unreadable", "{head}, {n} unreadable", n).format(
            head=head, n=n)
    lint = report.lint
    if lint.errors:
        lint_text = "[red]" + ngettext("lint ✗ {n} error", "lint ✗ {n} errors",
                                       lint.errors).format(n=lint.errors) + "[/]"
    elif lint.warnings:
        lint_text = "[yellow]" + ngettext("lint ✓ {n} warning", "lint ✓ {n} warnings",
                                          lint.warnings).format(n=lint.warnings) + "[/]"
    else:
        lint_text = "[green]" + _("lint ✓ clean") + "[/]"
    if lint.silenced:
        n = lint.silenced.count
        lint_text += " [yellow]" + ngettext("({n} silenced)", "({n} silenced)", n).format(
            n=n) + "[/]"
    due = len(report.due)
    due_text = ("[yellow]" + ngettext("{n} review due", "{n} reviews due", due).format(n=due)
                + "[/]" if due else "[green]" + _("no review due") + "[/]")
    section = report.indicators
    figures = (_("figures up to {month}").format(month=i18n.month(section.period.first_day))
               if section.period else _("no figures"))
    return " · ".join([head, lint_text, due_text, figures])


def _owners(report: Report) -> list[str]:
    out = ["[bold]" + _("AUTOMATIONS BY BUSINESS OWNER") + "[/]"]
    for group in report.owners:
        name = _cut(group.name, NAME)
        style = "" if group.known else "[red]"
        label = f"{style}{_esc(name):<{NAME}}{'[/]' if style else ''}"
        items = []
        for a in group.automations:
            text = _("{id} (key)").format(id=a.id) if a.key else a.id
            if a.status != "active":
                text = with_status(text, a.status, a.status_since)
            items.append(text)
        listed = ", ".join(items)
        if not group.known and group.owner:
            listed = _("{automations} — not in people.yaml").format(automations=listed)
        out += wrap(listed, 2 + NAME + 2, f"  {label}  ")
    out.append("")
    return out


def _silenced(report: Report) -> list[str]:
    """The silenced governance under LINT: a green lint means little without it."""
    lines = report.lint.silenced.lines()
    if not lines:
        return []
    out = ["  " + _("[yellow]silenced governance[/] [dim](not checked as the article asks: "
                    "see livingsys.yaml's policy and the waivers)[/]")]
    prefix = report.registry.rstrip("/") + "/"
    for line in lines:
        out += wrap(line.replace(f"({prefix}", "("), 4, "  [yellow]•[/] ")
    return out


def _lint(report: Report) -> list[str]:
    lint = report.lint
    if not lint.errors and not lint.warnings:
        heading = pgettext("a heading of the report", "LINT")
        head = f"[bold]{heading}[/]  [green]✓ " + _("no problems") + "[/]"
        if lint.silenced:
            n = lint.silenced.count
            head += " [yellow]" + ngettext("— but {n} check silenced or waived",
                                           "— but {n} checks silenced or waived", n).format(
                n=n) + "[/]"
        return [head, *_silenced(report), ""]
    warnings = ngettext("{n} warning", "{n} warnings", lint.warnings).format(n=lint.warnings)
    if lint.errors:
        errors = ngettext("{n} error", "{n} errors", lint.errors).format(n=lint.errors)
        state = f"[red]✗ {errors}[/], {warnings}"
    else:
        state = "[yellow]✓ " + _("no errors") + f"[/], {warnings}"
    out = fit(_("{heading}  {state} — `livingsys lint` shows them all with how to fix").format(
        heading="[bold]" + pgettext("a heading of the report", "LINT") + "[/]", state=state), 6)
    prefix = report.registry.rstrip("/") + "/"
    for finding in lint.top:
        style = "red" if finding.severity.value == "error" else "yellow"
        where = finding.location
        where = where[len(prefix):] if where.startswith(prefix) else where
        out += wrap(f"{where}  {finding.code} {finding.message}", 4, f"  [{style}]•[/] ")
    more = lint.errors + lint.warnings - len(lint.top)
    if more > 0:
        out.append("  [dim]" + ngettext("… and {n} more", "… and {n} more", more).format(n=more)
                   + "[/]")
    out += _silenced(report)
    out.append("")
    return out


def _reviews(report: Report) -> list[str]:
    out = wrap(report.reviews_basis, 15, _("[bold]REVIEWS DUE[/]  [dim]by[/] "), "dim")
    if report.history_note:
        out += wrap(report.history_note, 8, "  [yellow]" + _("note:") + "[/] ", "yellow")
    if not report.due:
        out.append("  [green]" + pgettext("no review due", "none") + "[/]")
    key = _key_mark()
    for due in report.due:
        name = _cut(due.automation, NAME)
        first = f"  {_esc(name):<{NAME}}  {key if due.key else '   '}  "
        indent = 2 + NAME + 2 + 3 + 2
        for i, reason in enumerate(due.reasons):
            out += wrap(reason.text, indent, first if i == 0 else " " * indent)
    upcoming = report.upcoming
    if upcoming:
        # upcoming reviews all have a date (ScheduleReport.upcoming)
        soon = ", ".join(f"{i.automation} {i18n.day(i.next_due)}" for i in upcoming[:4]
                         if i.next_due)
        out += wrap(soon, 8, "  [dim]" + _("next:") + "[/] ")
    if report.due:
        out += fit("  [dim]" + _("`livingsys review-due` shows every reason in full; "
                                 "`livingsys agenda` prepares the meeting") + "[/]", 2)
    out.append("")
    return out


def _frictions(report: Report) -> list[str]:
    if not report.frictions:
        return []
    n = len(report.frictions)
    out = [ngettext("[bold]FRICTION POINTS[/]  [dim]{n} open (errors, delays, "
                    "misunderstandings)[/]",
                    "[bold]FRICTION POINTS[/]  [dim]{n} open (errors, delays, "
                    "misunderstandings)[/]", n).format(n=n)]
    key = _key_mark()
    for friction in report.frictions:
        name = _cut(friction.automation, NAME)
        first = f"  {_esc(name):<{NAME}}  {key if friction.key else '   '}  "
        out += wrap(friction.text, 2 + NAME + 2 + 3 + 2, first)
    out += fit("  [dim]" + _("the review's third question: can a step be simplified?") + "[/]",
               2)
    out.append("")
    return out


def _indicators(report: Report) -> list[str]:
    section = report.indicators
    out = []
    if section.state != "ok":
        out.append("[bold]" + _("INDICATORS") + "[/]")
        out += wrap(section.message or "", 2, "  ", "yellow")
        out.append("")
        return out
    months = section.months
    policy = section.policy
    rising = policy.rising_months
    out += fit(ngettext("[bold]INDICATORS[/]  {period} [dim]· sparklines {first} → {last} · "
                        "alert above {threshold} or rising {n} month[/]",
                        "[bold]INDICATORS[/]  {period} [dim]· sparklines {first} → {last} · "
                        "alert above {threshold} or rising {n} months[/]", rising).format(
        period=month(section.period), first=month(months[0]), last=month(months[-1]),
        threshold=threshold(policy.exception_rate_alert), n=rising), 12)
    spark = len(months)
    vol_w, rate_w = 6 + 1 + spark + 2, 6 + 1 + spark + 2 + 8 + 2
    # A table when it fits; narrower, each automation's figures under its name.
    table = fits(2 + NAME + 2 + vol_w + 2 + rate_w + 2 + 10 + 2 + 7)
    if table:
        headers = (pgettext("a column of the report", "automation"),
                   pgettext("a column of the report", "volume"),
                   pgettext("a column of the report", "exception rate"),
                   pgettext("a column of the report", "time saved"),
                   pgettext("a column of the report", "satisf."))
        out.append(f"  [dim]{headers[0]:<{NAME}}  {headers[1]:<{vol_w}}  "
                   f"{headers[2]:<{rate_w}}  {headers[3]:<10}  {headers[4]}[/]")
    notes = []
    for item in section.automations:
        out += _indicator_lines(item, spark, table)
        last = item.last
        if item.status != "active":
            notes.append((_("{automation} is {status} since {day}") if item.since
                          else _("{automation} is {status}")).format(
                automation=item.automation, status=status_word(item.status),
                day=i18n.day(item.since) if item.since else ""))
        if last is not None and last.period != section.period:
            notes.append(_("{automation}: no figures for {period} (last: {last})").format(
                automation=item.automation, period=month(section.period),
                last=month(last.period)))
    for note in notes:
        out += wrap(note, 4, "  [dim]·[/] ")
    if section.without_figures:
        out += wrap(", ".join(section.without_figures), 16,
                    "  [dim]" + _("no figures:") + "[/]  ")
    if section.ignored_rows:
        n = section.ignored_rows
        out.append("  [yellow]" + ngettext(
            "{n} row of {path} left out because of errors (`livingsys lint`)",
            "{n} rows of {path} left out because of errors (`livingsys lint`)", n).format(
                n=n, path=_esc(section.path)) + "[/]")
    out += fit("  [dim]" + _("arrows: change since the previous month · ! exception rate alert "
                             "(see reviews due) · · no figures") + "[/]", 4)
    out.append("")
    return out


def _indicator_lines(item: AutomationIndicators, spark: int, table: bool) -> list[str]:
    """One row of the table, or (``table`` False) the name then its figures, labelled."""
    last = item.last
    assert last is not None  # only automations with figures are shown (build_report)
    name = _cut(item.automation, NAME)
    volume = f"{count(last.volume):>6} {sparkline(item.values('volume'))} " \
             f"{_arrow(item.trend('volume'), 'volume')}"
    rate_trend = item.trend("exception_rate")
    delta = describe_change(rate_trend) if rate_trend else ""
    alert = "[red]![/]" if item.alert else " "
    rate = (f"{percent(last.exception_rate):>6} {sparkline(item.values('exception_rate'))} "
            f"{_arrow(rate_trend, 'exception_rate')} {delta:<8} {alert}")
    hours = decimal(last.time_saved_hours, "h")
    time_text = f"{hours:>8} {_arrow(item.trend('time_saved_hours'), 'time_saved_hours')}"
    satisfaction = decimal(last.satisfaction)
    sat_text = f"{satisfaction:>3} {_arrow(item.trend('satisfaction'), 'satisfaction')}"
    style = "bold" if item.key else ("dim" if item.status != "active" else "")
    if not table:
        label = f"[{style}]{_esc(item.automation)}[/]" if style else _esc(item.automation)
        figures = _("volume {volume} · exceptions {rate} · time saved {time} · satisfaction "
                    "{satisfaction}").format(volume=volume.strip(), rate=rate.strip(),
                                             time=time_text.strip(),
                                             satisfaction=sat_text.strip())
        return [f"  {label}", *fit("    " + re.sub(" {2,}", " ", figures), 6)]
    label = f"[{style}]{_esc(name):<{NAME}}[/]" if style else f"{_esc(name):<{NAME}}"
    return [f"  {label}  {volume}  {rate}  {time_text}  {sat_text}"]


def _checklist(report: Report) -> list[str]:
    out = fit(_("[bold]CHECKLIST[/]  [dim]the article's 8 points per automation, worst "
                "first[/]"), 11)
    if not report.checklist:
        out.append("  [dim]" + _("no automation to score") + "[/]")
    for item in report.checklist:
        style = "green" if item.score == item.out_of else ("yellow" if item.score >= 6
                                                          else "red")
        name = _esc(_cut(item.automation, NAME))
        first = f"  [{style}]{item.score}/{item.out_of}[/]  {name:<{NAME}}  "
        if item.score == item.out_of:
            out.append(first + "[dim]" + pgettext("a checklist with every point met",
                                                  "complete") + "[/]")
            continue
        parts = []
        if item.missing:
            parts.append(_("missing: {items}").format(items="; ".join(
                missing_item(m.label, m.why) for m in item.missing)))
        parts += [silenced_item(m.label, m.why) for m in item.silenced]
        out += wrap("; ".join(parts), 2 + 3 + 2 + NAME + 2, first)
    for path in report.invalid:
        out.append("  [red]?/8[/]  " + _("{path}: not scored until its format errors are "
                                         "fixed").format(path=_esc(path)))
    out.append("")
    return out


def render(report: Report, console=None) -> None:
    show(lambda: lines(report), console)
