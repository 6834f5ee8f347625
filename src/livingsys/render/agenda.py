"""The review meeting's agenda: for the terminal, and Markdown to paste into an invite or a wiki."""

from __future__ import annotations

import datetime as dt
import shlex

from livingsys import i18n
from livingsys.i18n import N_, _, pgettext
from livingsys.neutral import code_span
from livingsys.neutral import for_terminal as _esc
from livingsys.render.review_due import item_facts
from livingsys.render.text import md, wrap
from livingsys.render.width import current, fit, show
from livingsys.ritual.agenda import Agenda, AgendaItem, clock
from livingsys.ritual.due_reasons import person_kind_word


def _facts(item: AgendaItem, agenda: Agenda) -> str:
    facts = item_facts(item.due, agenda.report)
    if item.due.client_facing:
        facts += " · " + _("sends messages to clients")
    return facts


def roles(attendee) -> str:
    """Why an attendee comes, each role after the other: 'chairs the review; ...'."""
    return pgettext("between two roles of an attendee", "; ").join(attendee.roles)


def title_day(day: dt.date) -> str:
    """The meeting's day in a title: '2026-12-02' / 'mercredi 2 décembre 2026'."""
    if i18n.language() == "en":
        return day.isoformat()
    return f"{i18n.weekday(day)} {i18n.day(day)}"


def nothing_due_text(agenda: Agenda) -> str:
    """What the agenda says when no automation is due, with the next review date (text,
    Markdown and the site's agenda page)."""
    upcoming = [i for i in agenda.report.not_due if i.schedule.next_due]
    text = _("No automation needs a review as of {day}: no meeting is needed yet.").format(
        day=i18n.day(agenda.date))
    if upcoming:
        first = min(upcoming, key=lambda i: i.schedule.next_due or dt.date.max)
        assert first.schedule.next_due is not None  # upcoming: those with a date
        text += " " + _("The next review is due on {day} ({id}).").format(
            day=i18n.day(first.schedule.next_due), id=first.automation)
    return text


def record_help(agenda: Agenda) -> str:
    """How to record the meeting's minutes once it is over, said under the command."""
    return _("Answer the three questions for each automation when asked, or add "
             "--rules-changed, --incidents and --simplify ('ID: answer' for one automation), "
             "--decision 'ID: ...' and --action 'ID: what|who|YYYY-MM-DD'. Remove those who "
             "did not come and give --absent 'ID: why' for an owner or maintainer. Then commit "
             "the minutes: review-due starts again from this meeting.")


# --------------------------------------------------------------------------------------------
# text


def text_lines(agenda: Agenda) -> list[str]:
    if agenda.chair:
        title = _("[bold]Automation review — {day}[/]  {organisation} · {minutes} minutes · "
                  "chaired by {chair}").format(chair=_esc(agenda.chair.name),
                                               day=title_day(agenda.date),
                                               organisation=_esc(agenda.organisation),
                                               minutes=agenda.duration)
    else:
        title = _("[bold]Automation review — {day}[/]  {organisation} · {minutes} minutes"
                  ).format(day=title_day(agenda.date), organisation=_esc(agenda.organisation),
                           minutes=agenda.duration)
    out = fit(title, 2)
    if not agenda.report.history.read:
        out += wrap(_("note: {note}").format(note=agenda.report.history.note), 6, "", "yellow")
    out.append("")
    if not agenda.items:
        out += wrap(nothing_due_text(agenda), 0, "")
        silenced = _silenced_text(agenda)
        return out + ([""] + silenced if silenced else [])
    out.append(_("[bold]ATTENDEES[/]"))
    for attendee in agenda.attendees:
        kind = f" ({person_kind_word(attendee.kind)})" if attendee.kind else ""
        out += wrap(f"{attendee.name}{kind} — {roles(attendee)}", 4, "  • ")
    out.append("")
    out.append(_("[bold]AGENDA[/]"))
    for start, minutes, what in agenda.slots():
        out += wrap(what, 18, f"  {clock(start):>5}  {minutes:>3} min  ")
    if agenda.previous_actions and agenda.previous_review:  # actions come from those minutes
        out.append("")
        out += fit(_("[bold]OPENING[/] actions decided at the review of {day}:").format(
            day=i18n.day(agenda.previous_review)), 2)
        for action in agenda.previous_actions:
            out += wrap(action_text(action), 4, "  • ")
    silenced = _silenced_text(agenda)
    if silenced:
        out.append("")
        out += silenced
    for number, item in enumerate(agenda.items, 1):
        out.append("")
        out += item_lines(item, agenda, number)
    if agenda.later:
        out.append("")
        out += fit(_("[bold]ALSO DUE[/] [dim](next meeting: the article says 2 or 3 per "
                     "meeting, no more)[/]"), 2)
        for due in agenda.later:
            out += wrap(f"{due.automation}: {due.summary()}", 4, "  • ")
    out.append("")
    out.append(_("[bold]AFTER THE MEETING[/] record the minutes:"))
    for line in _command_lines(agenda):
        out.append(f"  [bold]{_esc(line)}[/]")
    out += wrap(record_help(agenda), 2, "  ", "dim")
    return out


SILENCED_HEAD = N_("governance silenced in the registry: at the opening, confirm each (who "
                   "accepts the risk, until when) or end it")


def _silenced_text(agenda: Agenda) -> list[str]:
    lines = agenda.silenced.lines()
    if not lines:
        return []
    out = fit(_("[bold yellow]SILENCED[/] [dim]{head}:[/]").format(head=_(SILENCED_HEAD)), 2)
    for line in lines:
        out += wrap(line, 4, "  • ")
    return out


def _command_lines(agenda: Agenda) -> list[str]:
    """The record command to copy, its shell continuations fitting the width (printed after
    two spaces; continuation lines indented two more)."""
    width = current()
    if width is None or not agenda.record_args:
        return agenda.record_lines()
    words: list[str] = []  # an option and its value stay on one line
    for group in agenda.record_args:
        for word in map(shlex.quote, group):
            if words and words[-1].startswith("-") and " " not in words[-1] \
                    and not word.startswith("-"):
                words[-1] += " " + word
            else:
                words.append(word)
    lines = [words[0]]
    for word in words[1:]:
        indent = 2 if len(lines) > 1 else 0
        if 2 + indent + len(lines[-1]) + 1 + len(word) + 2 > width and lines[-1].strip():
            lines[-1] += " \\"
            lines.append("  " + word)
        else:
            lines[-1] += " " + word
    return lines


def action_text(action) -> str:
    """An action decided last time, in one line: who does what, by when, late or not."""
    if action.due is None:
        template = _("{automation}: {what} ({who})")
    elif action.late:
        template = _("{automation}: {what} ({who}, by {day}) — past its date: done?")
    else:
        template = _("{automation}: {what} ({who}, by {day})")
    return template.format(automation=action.automation, what=action.what,
                           who=action.who_name,
                           day=i18n.day(action.due) if action.due else None)


def item_lines(item: AgendaItem, agenda: Agenda, number: int) -> list[str]:
    due = item.due
    out = fit(f"[bold]{number}. {_esc(due.automation)}[/] — {_esc(due.name)}  "
              f"[dim]{clock(item.start)}, {item.minutes} min[/]", 3)
    out += wrap(_facts(item, agenda), 3, "   ", "dim")
    if item.status_note:
        out += wrap(item.status_note, 3, "   ", "yellow")
    out.append("   " + _("[bold]Why it is on the agenda[/]"))
    for reason in due.reasons:
        out += wrap(reason.text, 5, "   • ")
    for waiver in agenda.waivers_of(due.automation):
        out += wrap(_("waiver in force: {waiver}").format(waiver=waiver.describe()), 5,
                    "   • ", "yellow")
    out.append("   " + _("[bold]Rule changes since the last review[/]"))
    if item.changes:
        for change in item.changes:
            text = f"{change.path}: {change.text}"
            if change.by:
                text += f" ({change.by})"
            if change.uncommitted:
                text = _("{change} (not committed yet)").format(change=text)
            out += wrap(text, 5, "   • ")
    else:
        out += wrap(no_change_text(item, agenda), 5, "   • ", "dim")
    for note in item.change_notes:
        out += wrap(note, 5, "     ", "dim")
    incidents = [i for r in due.reasons for i in r.incidents]
    out.append("   " + _("[bold]Incidents since the last review[/]"))
    if incidents:
        for incident in incidents:
            text = incident.describe()
            if incident.action_taken:
                text = _("{incident} — done: {action}").format(incident=text,
                                                               action=incident.action_taken)
            out += wrap(text, 5, "   • ")
    else:
        out += wrap(_("none logged"), 5, "   • ", "dim")
    for incident in item.still_open:
        out += wrap(_("still open from before the last review: {incident}").format(
            incident=incident.describe()), 5, "   • ", "yellow")
    period = f" ({item.indicators_period})" if item.indicators_period else ""
    heading = _("Indicators")
    out.append(f"   [bold]{heading}{period}[/]")
    if item.indicators:
        width = max([15] + [len(ind.label) for ind in item.indicators])
        for ind in item.indicators:
            trend = f"  {ind.trend}" if ind.trend else ""
            flag = "  [red]" + _("alert") + "[/]" if ind.alert else ""
            out += fit(f"   • {_esc(ind.label):<{width}} {_esc(ind.value)}{_esc(trend)}{flag}",
                       5 + width + 1)
    else:
        out += wrap(item.indicators_note or _("no figures"), 5, "   • ", "dim")
    out.append("   " + _("[bold]The three questions[/]"))
    for q_number, question in enumerate(item.questions, 1):
        out += wrap(question.question, 6, f"   {q_number}. ")
        out += wrap(question.context, 6, "      ", "dim")
    return out


def no_change_text(item: AgendaItem, agenda: Agenda) -> str:
    """What "rules changed since the last review" says when no change is listed: none, or why
    it is not known."""
    if not agenda.report.history.read:
        return _("not known: git history was not read")
    if item.due.reason("unknown_baseline") is not None:
        return _("not known: the last review's commit is no longer in the history")
    if item.due.last_review is None:
        return _("first review: no earlier review to compare with")
    return pgettext("no rule change since the last review", "none")


def render_text(agenda: Agenda, console=None) -> None:
    show(lambda: text_lines(agenda), console)


# --------------------------------------------------------------------------------------------
# Markdown


def markdown(agenda: Agenda) -> str:
    if agenda.chair:
        facts = _("**{organisation}** · {minutes} minutes · chaired by {chair}").format(
            organisation=md(agenda.organisation), minutes=agenda.duration,
            chair=md(agenda.chair.name))
    else:
        facts = _("**{organisation}** · {minutes} minutes").format(
            organisation=md(agenda.organisation), minutes=agenda.duration)
    out = [_("# Automation review — {day}").format(day=title_day(agenda.date)), "", facts, ""]
    if not agenda.report.history.read:
        out += [_("> Note: {note}.").format(note=md(agenda.report.history.note or "")), ""]
    if not agenda.items:
        return "\n".join(out + [md(nothing_due_text(agenda)), ""] + _silenced_markdown(agenda))
    out += [_("## Attendees"), ""]
    for attendee in agenda.attendees:
        kind = f" ({person_kind_word(attendee.kind)})" if attendee.kind else ""
        out.append(f"- **{md(attendee.name)}**{kind} — {md(roles(attendee))}")
    out += ["", _("## Agenda"), "", _("| time | minutes | item |"), "| ---: | ---: | --- |"]
    for start, minutes, what in agenda.slots():
        out.append(f"| {clock(start)} | {minutes} | {md(what, cell=True)} |")
    out.append("")
    if agenda.previous_actions and agenda.previous_review:  # actions come from those minutes
        out += [_("**Opening** — actions decided at the review of {day}:").format(
            day=i18n.day(agenda.previous_review)), ""]
        out += [f"- [ ] {md(action_text(a))}" for a in agenda.previous_actions]
        out.append("")
    out += _silenced_markdown(agenda)
    out += [
        _("Each automation gets the same three questions:"), "",
        *[f"{n}. {q}" for n, q in enumerate(
            (_("Have the business rules changed?"),
             _("Were there incidents or negative feedback?"),
             _("Can a step be simplified or a special case removed?")), 1)], ""]
    for number, item in enumerate(agenda.items, 1):
        out += item_markdown(item, agenda, number)
    if agenda.later:
        out += [_("## Also due, for a later meeting"), "",
                _("The article: 2 or 3 automations per meeting, no more."), ""]
        out += [f"- `{d.automation}`: {md(d.summary())}" for d in agenda.later]
        out.append("")
    out += [_("## After the meeting"), "", _("Record the minutes:"), "", "```bash",
            *agenda.record_lines(), "```", "", md(record_help(agenda)), ""]
    return "\n".join(out).rstrip() + "\n"


def _silenced_markdown(agenda: Agenda) -> list[str]:
    lines = agenda.silenced.lines()
    if not lines:
        return []
    head = _(SILENCED_HEAD)
    head = head[0].upper() + head[1:]
    return [_("**Silenced governance** — {head}:").format(head=md(head)), "",
            *[f"- [ ] {md(line)}" for line in lines], ""]


def item_markdown(item: AgendaItem, agenda: Agenda, number: int) -> list[str]:
    due = item.due
    out = [f"## {number}. `{due.automation}` — {md(due.name)} "
           f"({clock(item.start)}, {item.minutes} min)", "",
           md(_facts(item, agenda)), ""]
    if item.status_note:
        out += [f"> {md(item.status_note)}", ""]
    out += [_("**Why it is on the agenda**"), ""]
    out += [f"- {md(r.text)}" for r in due.reasons]
    out += [_("- *waiver in force: {waiver}*").format(waiver=md(w.describe()))
            for w in agenda.waivers_of(due.automation)]
    out += ["", _("**Rule changes since the last review**"), ""]
    if item.changes:
        for change in item.changes:
            text = f"{code_span(change.path)}: {md(change.text)}"
            if change.by:
                text += f" — {md(change.by)}"
            if change.uncommitted:
                text = _("{change} *(not committed yet)*").format(change=text)
            out.append(f"- {text}")
    else:
        out.append(f"- {md(no_change_text(item, agenda))}")
    out += [f"- *{md(note)}*" for note in item.change_notes]
    incidents = [i for r in due.reasons for i in r.incidents]
    out += ["", _("**Incidents since the last review**"), ""]
    if incidents:
        for incident in incidents:
            text = md(incident.describe())
            if incident.action_taken:
                text = _("{incident} — done: {action}").format(
                    incident=text, action=md(incident.action_taken))
            out.append(f"- {text}")
    else:
        out.append("- " + _("none logged"))
    for incident in item.still_open:
        out.append("- " + _("still open from before the last review: {incident}").format(
            incident=md(incident.describe())))
    period = f" ({item.indicators_period})" if item.indicators_period else ""
    heading = _("Indicators")
    out += ["", f"**{heading}{period}**", ""]
    if item.indicators:
        out += [_("| indicator | value | trend |"), "| --- | --- | --- |"]
        for ind in item.indicators:
            flag = " ⚠ " + _("alert") if ind.alert else ""
            out.append(f"| {md(ind.label, True)} | {md(ind.value, True)}{flag} "
                       f"| {md(ind.trend or '–', True)} |")
    else:
        note = item.indicators_note or _("no figures")
        out.append(f"- {md(note)}")
    out += ["", _("**The three questions**"), ""]
    for q_number, question in enumerate(item.questions, 1):
        out.append(f"{q_number}. {md(question.question)}  ")
        out.append(f"   *{md(question.context)}*")
    out.append("")
    return out
