"""`agenda`: the monthly review meeting of the article's section 3.1, ready to hold.

"A short meeting, for example 45 minutes a month, with a business representative, the person
who configured the automations, possibly a manager if the perimeter is sensitive. Review 2 to 3
key automations, no more, and always ask the same questions."

:func:`build_agenda` takes the 2-3 most due automations from :func:`review_due` (same ranking),
splits the meeting's time between them, derives the attendees (owners, maintainers, the owner
of a shared rule that changed, the chair, a manager for key or client-facing automations), and
gathers for each item why it is on the agenda, the rule changes since its last review, the
incidents, its three indicators with their trend, and the three standing questions with what
the registry already says about each. It ends with the command that records the minutes.
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livingsys import i18n
from livingsys.checks.silenced import ActiveWaiver, Silenced, silenced
from livingsys.i18n import N_, _, ngettext
from livingsys.reading.registry import Registry, as_registry
from livingsys.reading.renames import names
from livingsys.reading.reviews import STANDING_QUESTIONS
from livingsys.ritual.due_reasons import status_word
from livingsys.ritual.review_due import DueItem, IncidentRef, ReviewDueReport, review_due

if TYPE_CHECKING:
    from livingsys.reading.indicators import Series

OPENING = N_("Opening: actions decided last time, the figures at a glance")
CLOSING = N_("Decisions and actions: who does what, by when")
SLOT = 5  # minutes: the agenda is cut in 5-minute slots
MIN_ITEM_SLOTS = 2  # at least 10 minutes per automation when the meeting allows it


@dataclass
class Attendee:
    id: str
    name: str
    kind: str | None
    roles: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "roles": self.roles}


@dataclass
class Indicator:
    label: str
    value: str
    trend: str | None = None
    alert: bool = False
    #: Which figure it is (volume, exception_rate...), whatever the language of the label.
    metric: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "trend": self.trend,
                "alert": self.alert}


@dataclass
class Question:
    question: str
    #: What the registry already says about it, to start the discussion.
    context: str

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "context": self.context}


@dataclass
class RuleChange:
    """One change since the last review, with where and who."""

    path: str
    text: str
    by: str | None = None
    uncommitted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "text": self.text, "by": self.by,
                "uncommitted": self.uncommitted}


@dataclass
class PreviousAction:
    """An action decided at the last review, to check at the opening."""

    automation: str
    what: str
    who: str
    who_name: str
    due: dt.date | None
    late: bool

    def to_dict(self) -> dict[str, Any]:
        return {"automation": self.automation, "what": self.what, "who": self.who,
                "due": self.due.isoformat() if self.due else None, "late": self.late}


@dataclass
class AgendaItem:
    due: DueItem
    minutes: int
    start: int
    changes: list[RuleChange] = field(default_factory=list)
    #: Other lines about the changes (an old value still written in the automation...).
    change_notes: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicators_period: str | None = None
    indicators_note: str | None = None
    questions: list[Question] = field(default_factory=list)
    #: For a paused automation: since when and why.
    status_note: str | None = None
    #: Incidents logged before the last review and still open.
    still_open: list[IncidentRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "automation": self.due.automation, "name": self.due.name,
            "status_note": self.status_note,
            "start_minute": self.start, "minutes": self.minutes,
            "why": [r.text for r in self.due.reasons],
            "due": self.due.to_dict(),
            "changes": [c.to_dict() for c in self.changes],
            "change_notes": self.change_notes,
            "incidents": [i.to_dict() for r in self.due.reasons for i in r.incidents],
            "still_open": [i.to_dict() for i in self.still_open],
            "indicators": {"period": self.indicators_period, "note": self.indicators_note,
                           "values": [i.to_dict() for i in self.indicators]},
            "questions": [q.to_dict() for q in self.questions],
        }


@dataclass
class Agenda:
    organisation: str
    date: dt.date
    duration: int
    chair: Attendee | None
    attendees: list[Attendee]
    items: list[AgendaItem]
    opening: int
    closing: int
    #: Automations due but left for a later meeting (the article: 2 or 3, no more).
    later: list[DueItem]
    report: ReviewDueReport
    record_command: str
    max_items: int
    record_args: list[list[str]] = field(default_factory=list)
    incident_channel: str | None = None
    #: The actions decided at the last meeting (its date and file), checked at the opening.
    previous_actions: list[PreviousAction] = field(default_factory=list)
    previous_review: dt.date | None = None
    #: Checks the policy switches off, lowers or loosens, and the waivers in force: the
    #: meeting confirms or ends each (a waiver is a risk accepted for a while).
    silenced: Silenced = field(default_factory=Silenced)

    def waivers_of(self, automation: str) -> list[ActiveWaiver]:
        return [w for w in self.silenced.waivers if w.automation == automation]

    def slots(self) -> list[tuple[int, int, str]]:
        """(start minute, minutes, what) for each part of the meeting."""
        out = []
        if self.opening:
            out.append((0, self.opening, _(OPENING)))
        for number, item in enumerate(self.items, 1):
            out.append((item.start, item.minutes,
                        f"{number}. {item.due.automation} — {item.due.name}"))
        if self.closing:
            end = self.items[-1].start + self.items[-1].minutes if self.items else self.opening
            out.append((end, self.closing, _(CLOSING)))
        return out

    def record_lines(self) -> list[str]:
        """The record command over several lines (shell continuations), to copy."""
        lines = [" ".join(shlex.quote(p) for p in group) for group in self.record_args]
        if not lines:
            return [self.record_command]
        return [("  " if i else "") + line + (" \\" if i < len(lines) - 1 else "")
                for i, line in enumerate(lines)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "date": self.date.isoformat(),
            "duration_minutes": self.duration,
            "chair": self.chair.to_dict() if self.chair else None,
            "attendees": [a.to_dict() for a in self.attendees],
            "slots": [{"start_minute": s, "minutes": m, "what": w}
                      for s, m, w in self.slots()],
            "items": [i.to_dict() for i in self.items],
            "later": [{"automation": d.automation, "why": d.summary()} for d in self.later],
            "standing_questions": [_(q) for q in STANDING_QUESTIONS.values()],
            "history": self.report.history.to_dict(), "basis": self.report.basis,
            "record_command": self.record_command,
            "previous_review": self.previous_review.isoformat() if self.previous_review
            else None,
            "previous_actions": [a.to_dict() for a in self.previous_actions],
            "silenced": self.silenced.to_dict(),
        }


# --------------------------------------------------------------------------------------------
# time


def split_time(duration: int, scores: list[int]) -> tuple[int, list[int], int]:
    """(opening, minutes per item, closing) for a meeting of ``duration`` minutes.

    Five minutes to open and five to close when the meeting is 30 minutes or more; the rest in
    5-minute slots, at least two per item when possible, the others to the most urgent items
    (in proportion to their score). Minutes that do not fill a slot go to the closing."""
    if not scores:
        return 0, [], 0
    opening = closing = SLOT if duration >= 30 else 0
    available = duration - opening - closing
    slots = available // SLOT
    n = len(scores)
    if slots < n:  # a very short meeting: equal whole minutes
        each = max(1, available // n)
        return opening, [each] * n, max(0, duration - opening - each * n)
    base = min(MIN_ITEM_SLOTS, slots // n)
    share = [base] * n
    extra = slots - base * n
    total = sum(max(s, 1) for s in scores)
    wanted = [extra * max(s, 1) / total for s in scores]
    given = [int(w) for w in wanted]
    left = extra - sum(given)
    order = sorted(range(n), key=lambda i: (-(wanted[i] - given[i]), i))
    for i in order[:left]:
        given[i] += 1
    minutes = [(share[i] + given[i]) * SLOT for i in range(n)]
    closing += available - sum(minutes)
    return opening, minutes, closing


# --------------------------------------------------------------------------------------------
# attendees


def _attendees(registry: Registry, items: list[DueItem], chair_id: str | None
               ) -> tuple[Attendee | None, list[Attendee]]:
    people = registry.people or {}
    found: dict[str, Attendee] = {}

    def add(person: str | None, role: str) -> Attendee | None:
        if not person:
            return None
        entry = people.get(person)
        attendee = found.get(person)
        if attendee is None:
            attendee = found[person] = Attendee(person, entry.name if entry else person,
                                                entry.kind if entry else None)
        if role not in attendee.roles:
            attendee.roles.append(role)
        return attendee

    chair = add(chair_id, _("chairs the review")) if chair_id else None
    rules = {e.model.id: e.model for e in registry.shared_rules if e.model is not None}
    for item in items:
        add(item.owner, _("business owner of {id}").format(id=item.automation))
    for item in items:
        add(item.maintainer, _("configured {id} (maintainer)").format(id=item.automation))
    for item in items:
        for reason in item.reasons:
            if reason.kind == "shared_rule" and reason.rule in rules:
                add(rules[reason.rule].owner,
                    _("owner of the shared rule '{rule}' that changed").format(
                        rule=reason.rule))
    sensitive = [i.automation for i in items if i.sensitive]
    if sensitive:
        role = ngettext("manager: {ids} is key or client-facing",
                        "manager: {ids} are key or client-facing", len(sensitive)).format(
            ids=", ".join(sensitive))
        managers = [a for a in found.values() if a.kind == "manager"]
        if chair is not None and chair.kind == "manager":
            chair.roles.append(role)
        elif managers:
            managers[0].roles.append(role)
        else:
            manager = next((p for p in people.values() if p.kind == "manager"), None)
            if manager is not None:
                add(manager.id, role)
    ordered = ([chair] if chair else []) + [a for a in found.values() if a is not chair]
    return chair, ordered


# --------------------------------------------------------------------------------------------
# per item


def rule_changes(item: DueItem, report: ReviewDueReport, areas: frozenset[str] | None = None
                 ) -> tuple[list[RuleChange], list[str]]:
    """The changes since the item's last review, and notes about them: the agenda's "rule
    changes" (every area), and what `review record` compares a "rules changed? no" with
    (``areas``: only changes in these areas of :mod:`livingsys.history.semantic_diff`)."""
    from livingsys.history.semantic_diff import describe_change, shared_rule_prefix

    out: list[RuleChange] = []
    notes: list[str] = []
    for reason in item.reasons:
        if reason.kind == "old_value":  # nothing changed since; the text still lags behind
            notes += reason.details
            continue
        if reason.kind not in ("changed", "shared_rule", "uncommitted", "renamed"):
            continue
        if reason.kind == "renamed":
            notes.append(reason.text)
            continue
        single = reason.commits[0] if len(reason.commits) == 1 else None
        prefix = shared_rule_prefix(reason.rule) if reason.rule else None
        for line in reason.changes:
            if areas is not None and line.change.area not in areas:
                continue
            commit = line.commit or single
            by = (f"{commit.author}, {i18n.day(commit.date.date())}, {commit.short}"
                  if commit else None)
            out.append(RuleChange(reason.path or item.path,
                                  describe_change(line.change, prefix), by,
                                  reason.kind == "uncommitted"))
        if reason.kind == "shared_rule":
            notes += reason.details
        elif reason.kind == "uncommitted":
            notes += [d for d in reason.details]
    return out, notes


def _previous_actions(registry: Registry, day: dt.date
                      ) -> tuple[dt.date | None, list[PreviousAction]]:
    """The actions of the latest minutes dated before the meeting."""
    reviews = [e.model for e in registry.reviews if e.model is not None and e.model.date < day]
    if not reviews:
        return None, []
    last = max(reviews, key=lambda r: r.date)
    people = registry.people or {}
    resolve = names(registry).resolve
    out = []
    for item in last.automations:
        for action in item.actions:
            person = people.get(action.who)
            out.append(PreviousAction(resolve(item.id) or item.id,
                                      " ".join(action.what.split()), action.who,
                                      person.name if person else action.who, action.due,
                                      action.due is not None and action.due < day))
    return last.date, out


def _open_before(registry: Registry, due: DueItem, day: dt.date) -> list[IncidentRef]:
    """Incidents still open that were logged before the last review (already discussed)."""
    if due.last_review is None:
        return []
    reason = due.reason("incidents")
    new = {i.path for i in reason.incidents} if reason is not None else set()
    resolve = names(registry).resolve
    out = []
    for entry in registry.incidents:
        incident = entry.model
        # on the review's day, review-due decided whether the meeting saw it (timeline.py)
        if (incident is not None and resolve(incident.automation) == due.automation
                and incident.status == "open" and incident.date <= due.last_review
                and entry.rel not in new):
            out.append(IncidentRef(incident.date, incident.severity, incident.status,
                                   " ".join(incident.summary.split()), entry.rel,
                                   incident.action_taken))
    return sorted(out, key=lambda i: i.date)


def _status_note(registry: Registry, due: DueItem) -> str | None:
    entry = registry.automation(due.automation)
    automation = entry.model if entry is not None else None
    if automation is None or automation.status == "active":
        return None
    reason = " ".join((automation.status_reason or _("no reason given")).split())
    if automation.status_since:
        return _("Status: {status} since {day} — {reason}").format(
            status=status_word(automation.status), day=i18n.day(automation.status_since),
            reason=reason)
    return _("Status: {status} — {reason}").format(status=status_word(automation.status),
                                                    reason=reason)


def _indicators(registry: Registry, item: AgendaItem, day: dt.date) -> None:
    from livingsys.reading.indicators import Period

    source = registry.indicators
    if source is None or not source.readable:
        item.indicators_note = _("no indicators.csv: add the figures (`livingsys help "
                                 "indicators`)")
        return
    series: Series = source.until(Period.of(day)).for_automation(item.due.automation)
    last = series.last
    if last is None:
        item.indicators_note = _("no figures for {id} in indicators.csv yet").format(
            id=item.due.automation)
        return
    item.indicators_period = last.label  # "2026-11 (weeks 2026-W45 to 2026-W48)"
    alert = item.due.reason("indicators") is not None

    def trend(metric: str) -> str | None:
        t = series.trend(metric)  # type: ignore[arg-type]
        if t is None:
            return None
        return _("{arrow} {change} vs {period}").format(arrow=t.arrow, change=t.describe(),
                                                        period=t.previous_period)

    rate = last.exception_rate
    item.indicators.append(Indicator(_("Volume"), _("{n} cases").format(n=last.volume),
                                     trend("volume"), metric="volume"))
    rate3 = series.rate_last_months(3)
    rate_text = i18n.percent(rate)
    if rate3 is not None and len(series) >= 3:
        rate_text = _("{rate} (last 3 months: {rate3})").format(rate=rate_text,
                                                                rate3=i18n.percent(rate3))
    item.indicators.append(Indicator(_("Exception rate"), rate_text, trend("exception_rate"),
                                     alert, metric="exception_rate"))
    impact = []
    if last.time_saved_hours is not None:
        impact.append(Indicator(_("Time saved"), f"{_decimal(last.time_saved_hours)} h",
                                trend("time_saved_hours"), metric="time_saved_hours"))
    if last.satisfaction is not None:
        impact.append(Indicator(_("Satisfaction"), f"{_decimal(last.satisfaction)} / 5",
                                trend("satisfaction"), metric="satisfaction"))
    if not impact:
        impact.append(Indicator(_("Impact"), _("not measured (time saved, satisfaction)"),
                                metric="impact"))
    item.indicators += impact


def _decimal(value: float) -> str:
    """A figure with one decimal: '19.0' / '19,0' (English as the agenda always wrote it)."""
    return f"{value:.1f}" if i18n.language() == "en" else i18n.number(value, 1)


#: Open friction points listed under the third question (the rest are counted).
FRICTIONS_SHOWN = 3


def _questions(registry: Registry, item: AgendaItem, channel: str | None,
               history_read: bool) -> None:
    due = item.due
    entry = registry.automation(due.automation)
    automation = entry.model if entry is not None else None
    since = (_("since the review of {day}").format(day=i18n.day(due.last_review))
             if due.last_review else _("so far (first review)"))
    # 1. rules
    if item.changes:
        where = []
        for reason in due.reasons:
            n = len(reason.changes)
            if reason.kind == "shared_rule":
                where.append(ngettext("{n} change to the shared rule '{rule}'",
                                      "{n} changes to the shared rule '{rule}'", n).format(
                    n=n, rule=reason.rule))
            elif reason.kind == "changed":
                where.append(ngettext("{n} change to the automation itself",
                                      "{n} changes to the automation itself", n).format(n=n))
            elif reason.kind == "uncommitted" and reason.changes:
                where.append(ngettext("{n} change not committed yet",
                                      "{n} changes not committed yet", n).format(n=n))
        if due.reason("shared_rule") is not None:
            text = _("Yes, in the registry: {where} (listed above). Rule 3: check that this "
                     "automation's own rules, exceptions and scenarios follow the shared rule, "
                     "and decide who updates them.")
        else:
            text = _("Yes, in the registry: {where} (listed above).")
        text = text.format(where=", ".join(where))
    elif (stale := due.reason("old_value")) is not None:
        text = _("The shared rule '{rule}' changed before the last review, but this automation "
                 "still writes the old value (above): decide who rewrites it, or make its "
                 "conditions read rules.{name}.").format(
            rule=stale.rule, name=(stale.rule or "").replace("-", "_"))
    elif due.reason("unknown_baseline") is not None:
        text = _("Not known: the commit of the last review is gone from the history; compare "
                 "by date (`livingsys review-due --by-date`) or by hand.")
    elif not due.last_review:
        if automation is not None:
            rules = ngettext("{n} rule", "{n} rules", len(automation.rules)).format(
                n=len(automation.rules))
            text = ngettext("First review: read its {rules} and {n} exception aloud and check "
                            "each still matches what the business does.",
                            "First review: read its {rules} and {n} exceptions aloud and check "
                            "each still matches what the business does.",
                            len(automation.exceptions)).format(rules=rules,
                                                               n=len(automation.exceptions))
        else:
            text = _("First review: read its rules aloud and check each still matches what "
                     "the business does.")
    elif not history_read:
        text = _("Git history was not read for this agenda: run `livingsys diff` to see what "
                 "changed, and ask whether practice changed.")
    else:
        text = _("No change in the registry {since}: ask whether practice changed without the "
                 "registry following.").format(since=since)
    item.questions.append(Question(_(STANDING_QUESTIONS["rules_changed"]), text))
    # 2. incidents
    logged = due.reason("incidents")
    sentences = []
    if logged is not None:
        n = len(logged.incidents)
        sentences.append(ngettext("{n} incident logged {since}: {incidents}.",
                                  "{n} incidents logged {since}: {incidents}.", n).format(
            n=n, since=since, incidents="; ".join(i.describe() for i in logged.incidents[:3])))
        if any(i.status == "open" for i in logged.incidents):
            sentences.append(_("Close the open ones or decide what to do."))
    elif channel:
        sentences.append(_("None logged {since}: ask the team for negative feedback that never "
                           "reached the incident channel ({channel}).").format(
            since=since, channel=channel))
    else:
        sentences.append(_("None logged {since}: ask the team for negative feedback that never "
                           "reached the incident channel.").format(since=since))
    if item.still_open:
        n = len(item.still_open)
        sentences.append(ngettext(
            "Still open from before: {n} incident ({dates}): is it resolved? If so, set its "
            "status to resolved.",
            "Still open from before: {n} incidents ({dates}): is it resolved? If so, set its "
            "status to resolved.", n).format(
            n=n, dates=", ".join(i18n.day(i.date) for i in item.still_open)))
    item.questions.append(Question(_(STANDING_QUESTIONS["incidents"]), " ".join(sentences)))
    # 3. simplify
    parts = []
    if automation is not None:
        kinds = {k: sum(1 for s in automation.steps if s.kind == k)
                 for k in ("automatic", "human", "ai")}
        steps = ", ".join(_step_kinds(k, n) for k, n in kinds.items() if n)
        count = len(automation.steps)
        parts.append(ngettext("{n} step ({kinds})", "{n} steps ({kinds})", count).format(
            n=count, kinds=steps) if steps else _("no steps drawn"))
        parts.append(ngettext("{n} exception", "{n} exceptions", len(automation.exceptions))
                     .format(n=len(automation.exceptions)))
    rate = next((i for i in item.indicators if i.metric == "exception_rate"), None)
    sentences = [", ".join(parts) + "."] if parts else []
    if rate is not None:
        sentences.append(_("Exception rate {rate}: which case do people take over most, and "
                           "could a rule handle it or could it be dropped?").format(
            rate=rate.value.split(" (")[0]))
    else:
        sentences.append(_("Which exception comes up most, and could a step or a special case "
                           "go?"))
    frictions = automation.open_frictions if automation is not None else []
    if frictions:
        shown = "; ".join(f.describe() for f in frictions[:FRICTIONS_SHOWN])
        more = len(frictions) - FRICTIONS_SHOWN
        sentences.append(
            _("Open friction points (days 3-4): {frictions}; and {more} more. Can the step they "
              "concern be simplified? Mark each solved once it is (status: solved).")
            .format(frictions=shown, more=more) if more > 0 else
            _("Open friction points (days 3-4): {frictions}. Can the step they concern be "
              "simplified? Mark each solved once it is (status: solved).").format(
                frictions=shown))
    item.questions.append(Question(_(STANDING_QUESTIONS["simplify"]), " ".join(sentences)))


def _step_kinds(kind: str, n: int) -> str:
    """'4 automatic', '1 human', '2 AI': how many steps of a kind."""
    if kind == "automatic":
        return ngettext("{n} automatic", "{n} automatic", n).format(n=n)
    if kind == "human":
        return ngettext("{n} human", "{n} human", n).format(n=n)
    return ngettext("{n} AI", "{n} AI", n).format(n=n)


# --------------------------------------------------------------------------------------------


def record_args(day: dt.date, items: list[AgendaItem], attendees: list[Attendee],
                flag: str = "") -> list[list[str]]:
    """The `review record` command for this meeting, in groups (one per line)."""
    first = ["livingsys", "review", "record"] + (["-r", flag] if flag else []) \
        + ["--date", day.isoformat()]
    groups = [first, [p for item in items for p in ("--automation", item.due.automation)]]
    people = [p for attendee in attendees for p in ("--attendee", attendee.id)]
    for start in range(0, len(people), 8):
        groups.append(people[start:start + 8])
    return [g for g in groups if g]


def build_agenda(registry: Registry | Path | str, day: dt.date | None = None, *,
                 max_items: int | None = None, history: bool = True, by_date: bool = False,
                 registry_flag: str = "", due: ReviewDueReport | None = None) -> Agenda:
    """The meeting of ``day`` (default today): the ``max_items`` (default: the settings'
    max_items, 3) most due automations. Raises HistoryError like :func:`review_due`.
    ``due``: :func:`review_due` of the same registry and day, when the caller has it already
    (then ``history`` and ``by_date`` are those it was computed with)."""
    day = day or dt.date.today()
    registry = as_registry(registry)
    settings = registry.settings.model if registry.settings else None
    duration = settings.review.meeting_minutes if settings else 45
    limit = max_items or (settings.review.max_items if settings else 3)
    chair_id = settings.review.chair if settings else None
    channel = settings.incident_channel.where if settings and settings.incident_channel \
        else None
    report = due if due is not None else review_due(registry, day, history=history,
                                                    by_date=by_date)
    chosen = report.due[:limit]
    opening, minutes, closing = split_time(duration, [d.score for d in chosen])
    items: list[AgendaItem] = []
    start = opening
    for chosen_item, length in zip(chosen, minutes, strict=False):
        item = AgendaItem(chosen_item, length, start)
        start += length
        item.changes, item.change_notes = rule_changes(chosen_item, report)
        item.status_note = _status_note(registry, chosen_item)
        item.still_open = _open_before(registry, chosen_item, day)
        _indicators(registry, item, day)
        _questions(registry, item, channel, report.history.read)
        items.append(item)
    chair, attendees = _attendees(registry, chosen, chair_id)
    args = record_args(day, items, attendees, registry_flag)
    previous, actions = _previous_actions(registry, day)
    return Agenda(
        organisation=report.organisation, date=day, duration=duration, chair=chair,
        attendees=attendees, items=items, opening=opening, closing=closing,
        later=report.due[limit:], report=report,
        record_command=" ".join(shlex.quote(p) for group in args for p in group),
        max_items=limit, incident_channel=channel, record_args=args,
        previous_review=previous, previous_actions=actions,
        silenced=silenced(registry, day))


def clock(minute: int) -> str:
    return f"{minute // 60}:{minute % 60:02d}"


__all__ = ["Agenda", "AgendaItem", "Attendee", "build_agenda", "clock", "split_time"]
