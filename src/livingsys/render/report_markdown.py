"""The report as Markdown, to paste in a wiki page, an email or a pull request."""

from __future__ import annotations

from livingsys.neutral import code_span, for_markdown
from livingsys.render.sparkline import sparkline
from livingsys.render.text import percent
from livingsys.ritual.report import Report


def _cell(text: object) -> str:
    return for_markdown(text, cell=True)


def render(report: Report) -> str:
    out = [f"# {for_markdown(report.organisation, heading=True)} — automations report", "",
           f"As of {report.as_of.isoformat()}, registry {code_span(report.registry)}.", ""]
    statuses = ", ".join(f"{n} {s}" for s, n in report.by_status.items() if n) or "none"
    out.append(f"- **Automations:** {report.total} ({statuses})"
               + (f", {len(report.invalid)} unreadable" if report.invalid else ""))
    lint = report.lint
    out.append(f"- **Lint:** {lint.errors} error(s), {lint.warnings} warning(s)"
               if lint.errors or lint.warnings else "- **Lint:** ✓ no problems")
    if lint.silenced:
        out[-1] += f" — **{lint.silenced.count} silenced** (see below)"
    out.append(f"- **Reviews due:** {len(report.due)}")
    section = report.indicators
    out.append(f"- **Figures up to:** {section.period}" if section.period
               else f"- **Indicators:** {section.message}")
    out.append("")
    if report.total == 0:
        out += ["No automations yet: add one file per automation in "
                f"{code_span(report.registry + '/automations/<id>.yaml')}.", ""]
    else:
        out += _owners(report)
    if lint.top:
        out += ["## Lint", "", "Run `livingsys lint` for every finding and how to fix it.", ""]
        out += [f"- {code_span(f.location)} **{f.code}** {_cell(f.message)}" for f in lint.top]
        more = lint.errors + lint.warnings - len(lint.top)
        if more > 0:
            out.append(f"- … and {more} more")
        out.append("")
    if lint.silenced:
        out += ["## Silenced governance", "",
                "Checks the policy switches off, lowers or loosens, and waivers in force: lint "
                "does not check these as the article asks.", ""]
        out += [f"- {_cell(line)}" for line in lint.silenced.lines()]
        out.append("")
    if report.total:
        out += _reviews(report)
        out += _frictions(report)
        out += _indicators(report)
        out += _checklist(report)
    return "\n".join(out).rstrip() + "\n"


def _owners(report: Report) -> list[str]:
    out = ["## Automations by business owner", "", "| owner | automations |", "| --- | --- |"]
    for group in report.owners:
        items = []
        for a in group.automations:
            text = f"`{a.id}`" + (" (key)" if a.key else "")
            if a.status != "active":
                text += f" ({a.status}" + (f" since {a.status_since.isoformat()}"
                                           if a.status_since else "") + ")"
            items.append(text)
        name = group.name + ("" if group.known or group.owner is None
                             else " (not in people.yaml)")
        out.append(f"| {_cell(name)} | {', '.join(items)} |")
    return out + [""]


def _reviews(report: Report) -> list[str]:
    out = ["## Reviews due", "", f"By {_cell(report.reviews_basis)}."
           + (f" Note: {_cell(report.history_note)}." if report.history_note else ""), ""]
    if not report.due:
        out.append("None.")
    else:
        out += ["| automation | why |", "| --- | --- |"]
        for due in report.due:
            why = "<br>".join(_cell(r.text) for r in due.reasons)
            out.append(f"| `{due.automation}`{' (key)' if due.key else ''} | {why} |")
    upcoming = report.upcoming
    if upcoming:
        out += ["", "Next: " + ", ".join(f"`{i.automation}` {i.next_due.isoformat()}"
                                        for i in upcoming if i.next_due)]
    return out + [""]


def _frictions(report: Report) -> list[str]:
    if not report.frictions:
        return []
    out = ["## Open friction points", "", "Errors, delays and misunderstandings seen in the "
           "flow (article, days 3-4).", "", "| automation | friction |", "| --- | --- |"]
    out += [f"| `{f.automation}`{' (key)' if f.key else ''} | {_cell(f.text)} |"
            for f in report.frictions]
    return out + [""]


def _arrow(item, metric: str) -> str:
    trend = item.trend(metric)
    return f" {trend.arrow}" if trend else ""


def _indicators(report: Report) -> list[str]:
    section = report.indicators
    out = ["## Indicators", ""]
    if section.state != "ok":
        return out + [_cell(section.message or ""), ""]
    out += [f"{section.period}; sparklines {section.months[0]} → {section.months[-1]}; alert "
            f"when the exception rate is above {section.policy.exception_rate_alert * 100:.0f}% "
            f"or rises {section.policy.rising_months} months in a row.", "",
            "| automation | volume | months | exception rate | months | last 3 months | time saved "
            "| satisfaction |",
            "| --- | ---: | --- | ---: | --- | ---: | ---: | ---: |"]
    for item in section.automations:
        last = item.last
        assert last is not None  # only automations with figures are shown (build_report)
        rate_trend = item.trend("exception_rate")
        delta = f" {rate_trend.describe()}" if rate_trend else ""
        alert = " ⚠" if item.alert else ""
        hours = "–" if last.time_saved_hours is None else f"{last.time_saved_hours:.1f} h"
        sat = "–" if last.satisfaction is None else f"{last.satisfaction:.1f}"
        name = f"`{item.automation}`" + ("" if item.status == "active" else f" ({item.status})")
        if last.period != section.period:
            name += f" (last figures {last.period})"
        out.append(
            f"| {name} | {last.volume}{_arrow(item, 'volume')} "
            f"| {sparkline(item.values('volume'))} "
            f"| {percent(last.exception_rate)}{_arrow(item, 'exception_rate')}{delta}{alert} "
            f"| {sparkline(item.values('exception_rate'))} "
            f"| {percent(item.rate_last_3_months)} "
            f"| {hours}{_arrow(item, 'time_saved_hours')} "
            f"| {sat}{_arrow(item, 'satisfaction')} |")
    if section.without_figures:
        out += ["", "No figures: " + ", ".join(code_span(a) for a in section.without_figures)]
    if section.ignored_rows:
        out += ["", f"{section.ignored_rows} row(s) of {code_span(section.path)} left out "
                "because of errors (`livingsys lint`)."]
    return out + [""]


def _checklist(report: Report) -> list[str]:
    out = ["## Checklist", "", "The article's 8 points per automation, worst first.", "",
           "| score | automation | missing |", "| ---: | --- | --- |"]
    for item in report.checklist:
        missing = "; ".join([f"{m.label} ({_cell(m.why)})" for m in item.missing]
                            + [f"{m.label}: {_cell(m.why)}" for m in item.silenced]) or "—"
        out.append(f"| {item.score}/{item.out_of} | `{item.automation}` | {missing} |")
    for path in report.invalid:
        out.append(f"| ?/8 | {code_span(path)} | not scored until its format errors are fixed |")
    return out + [""]
