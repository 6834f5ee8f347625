"""The report as Markdown, to paste in a wiki page, an email or a pull request."""

from __future__ import annotations

from livingsys import i18n
from livingsys.i18n import _, ngettext, pgettext
from livingsys.neutral import code_span, for_markdown
from livingsys.render.sparkline import sparkline
from livingsys.render.text import (
    count,
    decimal,
    missing_item,
    month,
    percent,
    silenced_item,
    status_counts,
    threshold,
    with_status,
)
from livingsys.ritual.report import Report, describe_change


def _cell(text: object) -> str:
    return for_markdown(text, cell=True)


def _named(automation: str, key: bool) -> str:
    """`id`, with '(key)' after a key automation."""
    return _("{id} (key)").format(id=f"`{automation}`") if key else f"`{automation}`"


def render(report: Report) -> str:
    out = ["# " + _("{organisation} — automations report").format(
               organisation=for_markdown(report.organisation, heading=True)), "",
           _("As of {day}, registry {registry}.").format(day=i18n.day(report.as_of),
                                                        registry=code_span(report.registry)),
           ""]
    statuses = status_counts(report.by_status)
    line = _("- **Automations:** {total} ({statuses})").format(total=report.total,
                                                              statuses=statuses)
    if report.invalid:
        n = len(report.invalid)
        line = ngettext("{line}, {n} unreadable", "{line}, {n} unreadable", n).format(
            line=line, n=n)
    out.append(line)
    lint = report.lint
    out.append(_("- **Lint:** {errors} error(s), {warnings} warning(s)").format(
        errors=lint.errors, warnings=lint.warnings)
               if lint.errors or lint.warnings else _("- **Lint:** ✓ no problems"))
    if lint.silenced:
        n = lint.silenced.count
        out[-1] = ngettext("{line} — **{n} silenced** (see below)",
                           "{line} — **{n} silenced** (see below)", n).format(line=out[-1], n=n)
    out.append(_("- **Reviews due:** {n}").format(n=len(report.due)))
    section = report.indicators
    out.append(_("- **Figures up to:** {month}").format(month=month(section.period))
               if section.period
               else _("- **Indicators:** {message}").format(message=section.message))
    out.append("")
    if report.total == 0:
        out += [_("No automations yet: add one file per automation in {folder}.").format(
            folder=code_span(report.registry + "/automations/<id>.yaml")), ""]
    else:
        out += _owners(report)
    if lint.top:
        out += ["## " + pgettext("a heading of the report", "Lint"), "",
                _("Run `livingsys lint` for every finding and how to fix it."), ""]
        out += [f"- {code_span(f.location)} **{f.code}** {_cell(f.message)}" for f in lint.top]
        more = lint.errors + lint.warnings - len(lint.top)
        if more > 0:
            out.append("- " + ngettext("… and {n} more", "… and {n} more", more).format(n=more))
        out.append("")
    if lint.silenced:
        out += ["## " + _("Silenced governance"), "",
                _("Checks the policy switches off, lowers or loosens, and waivers in force: "
                  "lint does not check these as the article asks."), ""]
        out += [f"- {_cell(line)}" for line in lint.silenced.lines()]
        out.append("")
    if report.total:
        out += _reviews(report)
        out += _frictions(report)
        out += _indicators(report)
        out += _checklist(report)
    return "\n".join(out).rstrip() + "\n"


def _owners(report: Report) -> list[str]:
    out = ["## " + _("Automations by business owner"), "",
           "| {} | {} |".format(pgettext("a column of the report", "owner"),
                                pgettext("a column of the report", "automations")),
           "| --- | --- |"]
    for group in report.owners:
        items = []
        for a in group.automations:
            text = f"`{a.id}`"
            if a.key:
                text = _("{id} (key)").format(id=text)
            if a.status != "active":
                text = with_status(text, a.status, a.status_since)
            items.append(text)
        name = group.name
        if not group.known and group.owner is not None:
            name = _("{name} (not in people.yaml)").format(name=name)
        out.append(f"| {_cell(name)} | {', '.join(items)} |")
    return out + [""]


def _reviews(report: Report) -> list[str]:
    basis = _("By {basis}.").format(basis=_cell(report.reviews_basis))
    if report.history_note:
        basis = _("{basis} Note: {note}.").format(basis=basis, note=_cell(report.history_note))
    out = ["## " + _("Reviews due"), "", basis, ""]
    if not report.due:
        out.append(_("None."))
    else:
        out += ["| {} | {} |".format(pgettext("a column of the report", "automation"),
                                     pgettext("a column of the report", "why")),
                "| --- | --- |"]
        for due in report.due:
            why = "<br>".join(_cell(r.text) for r in due.reasons)
            out.append(f"| {_named(due.automation, due.key)} | {why} |")
    upcoming = report.upcoming
    if upcoming:
        out += ["", _("Next: {reviews}").format(reviews=", ".join(
            f"`{i.automation}` {i18n.day(i.next_due)}" for i in upcoming if i.next_due))]
    return out + [""]


def _frictions(report: Report) -> list[str]:
    if not report.frictions:
        return []
    out = ["## " + _("Open friction points"), "",
           _("Errors, delays and misunderstandings seen in the flow (article, days 3-4)."), "",
           "| {} | {} |".format(pgettext("a column of the report", "automation"),
                                pgettext("a column of the report", "friction")),
           "| --- | --- |"]
    out += [f"| {_named(f.automation, f.key)} | {_cell(f.text)} |" for f in report.frictions]
    return out + [""]


def _arrow(item, metric: str) -> str:
    trend = item.trend(metric)
    return f" {trend.arrow}" if trend else ""


def _indicators(report: Report) -> list[str]:
    section = report.indicators
    out = ["## " + _("Indicators"), ""]
    if section.state != "ok":
        return out + [_cell(section.message or ""), ""]
    rising = section.policy.rising_months
    columns = [pgettext("a column of the report", "automation"),
               pgettext("a column of the report", "volume"),
               pgettext("a column of the report", "months"),
               pgettext("a column of the report", "exception rate"),
               pgettext("a column of the report", "months"),
               pgettext("a column of the report", "last 3 months"),
               pgettext("a column of the report", "time saved"),
               pgettext("a column of the report", "satisfaction")]
    out += [ngettext("{period}; sparklines {first} → {last}; alert when the exception rate is "
                     "above {threshold} or rises {n} month in a row.",
                     "{period}; sparklines {first} → {last}; alert when the exception rate is "
                     "above {threshold} or rises {n} months in a row.", rising).format(
                period=month(section.period), first=month(section.months[0]),
                last=month(section.months[-1]),
                threshold=threshold(section.policy.exception_rate_alert), n=rising), "",
            "| " + " | ".join(columns) + " |",
            "| --- | ---: | --- | ---: | --- | ---: | ---: | ---: |"]
    for item in section.automations:
        last = item.last
        assert last is not None  # only automations with figures are shown (build_report)
        rate_trend = item.trend("exception_rate")
        delta = f" {describe_change(rate_trend)}" if rate_trend else ""
        alert = " ⚠" if item.alert else ""
        hours = decimal(last.time_saved_hours, "h")
        sat = decimal(last.satisfaction)
        name = f"`{item.automation}`"
        if item.status != "active":
            name = with_status(name, item.status, None)
        if last.period != section.period:
            name = _("{automation} (last figures {month})").format(automation=name,
                                                                   month=month(last.period))
        out.append(
            f"| {name} | {count(last.volume)}{_arrow(item, 'volume')} "
            f"| {sparkline(item.values('volume'))} "
            f"| {percent(last.exception_rate)}{_arrow(item, 'exception_rate')}{delta}{alert} "
            f"| {sparkline(item.values('exception_rate'))} "
            f"| {percent(item.rate_last_3_months)} "
            f"| {hours}{_arrow(item, 'time_saved_hours')} "
            f"| {sat}{_arrow(item, 'satisfaction')} |")
    if section.without_figures:
        out += ["", _("No figures: {automations}").format(
            automations=", ".join(code_span(a) for a in section.without_figures))]
    if section.ignored_rows:
        n = section.ignored_rows
        out += ["", ngettext("{n} row(s) of {path} left out because of errors "
                             "(`livingsys lint`).",
                             "{n} row(s) of {path} left out because of errors "
                             "(`livingsys lint`).", n).format(n=n, path=code_span(section.path))]
    return out + [""]


def _checklist(report: Report) -> list[str]:
    out = ["## " + _("Checklist"), "", _("The article's 8 points per automation, worst first."),
           "", "| {} | {} | {} |".format(pgettext("a column of the report", "score"),
                                         pgettext("a column of the report", "automation"),
                                         pgettext("a column of the report", "missing")),
           "| ---: | --- | --- |"]
    for item in report.checklist:
        missing = "; ".join([missing_item(m.label, _cell(m.why)) for m in item.missing]
                            + [silenced_item(m.label, _cell(m.why)) for m in item.silenced]
                            ) or "—"
        out.append(f"| {item.score}/{item.out_of} | `{item.automation}` | {missing} |")
    for path in report.invalid:
        out.append(f"| ?/8 | {code_span(path)} | "
                   + _("not scored until its format errors are fixed") + " |")
    return out + [""]
