"""What the site shows, gathered from the core once (no computation of its own).

:func:`collect` reads the reviews due once (git history when it can be read) and hands that
result to the report and to the agenda, reads each automation's and shared rule's
significant changes from the same history, and puts each page's objects together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from livingsys.reading.registry import Entry, Registry, with_models

if TYPE_CHECKING:
    from livingsys.checks.silenced import ActiveWaiver, Silenced
    from livingsys.models import Automation, Incident, Person, SharedRule
    from livingsys.models.review import ReviewedAutomation
    from livingsys.reading.renames import Names
    from livingsys.ritual.agenda import Agenda
    from livingsys.ritual.changelog import ChangelogEntry
    from livingsys.ritual.checklist import ChecklistScore
    from livingsys.ritual.report import AutomationIndicators, Report
    from livingsys.ritual.review_due import DueItem, ReviewDueReport
    from livingsys.ritual.schedule import ScheduleItem

#: Months of figures the charts show (the report's window: at most this many, ending with the
#: latest month with figures).
CHART_MONTHS = 24


@dataclass
class ReviewMention:
    """What one review meeting said about one automation."""

    date: dt.date
    path: str
    attendees: list[str]
    item: ReviewedAutomation
    #: Who was expected and absent, with why (the minutes' ``absent``).
    absent: list = field(default_factory=list)


@dataclass
class AutomationPage:
    entry: Entry
    model: Automation
    page: str
    mermaid: str
    schedule: ScheduleItem | None
    due: DueItem | None
    checklist: ChecklistScore | None
    indicators: AutomationIndicators | None
    changelog: list[ChangelogEntry]
    reviews: list[ReviewMention]
    incidents: list[tuple[Entry, Incident]]
    #: The waivers in force for it (from the report's :class:`livingsys.checks.silenced.Silenced`).
    waivers: list[ActiveWaiver]
    #: The shared rules it lists, with their page (None when the rule does not exist).
    shared_rules: list[tuple[str, RulePage | None]] = field(default_factory=list)


@dataclass
class RulePage:
    entry: Entry
    model: SharedRule
    page: str
    changelog: list[ChangelogEntry]
    used_by: list[AutomationPage] = field(default_factory=list)


@dataclass
class SiteData:
    registry: Registry
    as_of: dt.date
    organisation: str
    report: Report
    due: ReviewDueReport
    agenda: Agenda
    automations: list[AutomationPage]
    rules: list[RulePage]
    people: dict[str, Person]
    open_incidents: list[tuple[Entry, Incident]]
    history_note: str | None
    #: The newest commit the history was read up to (None: not read).
    head: str | None
    #: Registry files changed but not committed (the site shows the working tree).
    uncommitted: dict[str, str]
    #: The automations' ids now and before (renames), to find the page an old id refers to.
    ids: Names | None = None

    @property
    def silenced(self) -> Silenced:
        """Checks the policy switches off, lowers or loosens, and the waivers in force."""
        return self.report.lint.silenced

    def automation_page(self, automation_id: str | None) -> AutomationPage | None:
        """The page of the automation an id (now, or a former one) refers to."""
        if automation_id and self.ids is not None:
            automation_id = self.ids.resolve(automation_id) or automation_id
        return next((a for a in self.automations if a.model.id == automation_id), None)

    def person(self, person_id: str | None) -> Person | None:
        return self.people.get(person_id) if person_id else None


# --------------------------------------------------------------------------------------------
# page names

#: Names Windows refuses as file names whatever the extension (a site may be opened there).
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def page_name(folder: str, ident: str, taken: set[str]) -> str:
    """``folder/<id>.html`` for a registry id (ids are safe slugs: checked here again), made
    unique within ``taken``."""
    from livingsys.models.common import ID_PATTERN

    stem = ident if re.fullmatch(ID_PATTERN, ident) else "item"
    if stem in _RESERVED:
        stem += "_"
    name, n = f"{folder}/{stem}.html", 2
    while name in taken:
        name, n = f"{folder}/{stem}-{n}.html", n + 1
    taken.add(name)
    return name


# --------------------------------------------------------------------------------------------


def _changelogs(registry: Registry, due: ReviewDueReport) -> tuple[dict[str, list], str | None]:
    """Each automation's and shared rule's significant changes (by registry path)."""
    from livingsys.history import HistoryError, open_history
    from livingsys.ritual.changelog import changelogs

    if not due.history.read:
        return {}, None
    try:
        history = open_history(registry.root)
    except HistoryError as exc:  # pragma: no cover - review_due read it a moment ago
        return {}, exc.message
    with history:
        files = {e.rel: e.doc.data for e in registry.valid_automations}
        files.update({e.rel: e.doc.data for e in registry.shared_rules if e.model is not None})
        return changelogs(history, files), None


def collect(registry: Registry, as_of: dt.date) -> SiteData:
    from livingsys.reading.renames import names
    from livingsys.render.graph import mermaid
    from livingsys.ritual.agenda import build_agenda
    from livingsys.ritual.report import build_report
    from livingsys.ritual.review_due import review_due_or_without_history

    due, note = review_due_or_without_history(registry, as_of)
    report = build_report(registry, as_of, months_shown=CHART_MONTHS, due=(due, note))
    agenda = build_agenda(registry, as_of, due=due)
    changelogs, changelog_note = _changelogs(registry, due)
    people = registry.people or {}
    checklist = {c.automation: c for c in report.checklist}
    charts = {a.automation: a for a in report.indicators.automations}

    # minutes and incidents up to as_of, under the automation's id now or a former one
    ids = names(registry)
    reviews: dict[str, list[ReviewMention]] = {}
    for review_entry, review in sorted(
            ((e, m) for e, m in with_models(registry.reviews) if m.date <= as_of),
            key=lambda pair: (pair[1].date, pair[0].rel), reverse=True):
        for item in review.automations:
            reviews.setdefault(ids.resolve(item.id) or item.id, []).append(ReviewMention(
                review.date, review_entry.rel, list(review.attendees), item,
                list(review.absent)))
    incidents: dict[str, list[tuple[Entry, Incident]]] = {}
    for incident_entry, incident in sorted(
            ((e, m) for e, m in with_models(registry.incidents) if m.date <= as_of),
            key=lambda pair: (pair[1].date, pair[0].rel), reverse=True):
        target = ids.resolve(incident.automation) or incident.automation
        incidents.setdefault(target, []).append((incident_entry, incident))

    taken: set[str] = set()
    rules: list[RulePage] = []
    for rule_entry, shared_rule in sorted(with_models(registry.shared_rules),
                                          key=lambda pair: (pair[1].id, pair[0].rel)):
        rules.append(RulePage(rule_entry, shared_rule,
                              page_name("rules", shared_rule.id, taken),
                              changelogs.get(rule_entry.rel, [])))
    rule_by_id: dict[str, RulePage] = {}
    for rule_page in rules:
        rule_by_id.setdefault(rule_page.model.id, rule_page)

    pages: list[AutomationPage] = []
    for entry, automation in sorted(with_models(registry.automations),
                                    key=lambda pair: (pair[1].id, pair[0].rel)):
        page = AutomationPage(
            entry=entry, model=automation,
            page=page_name("automations", automation.id, taken),
            mermaid=mermaid(automation, people, accessible=True),
            schedule=report.schedule.get(automation.id),
            due=due.get(automation.id),
            checklist=checklist.get(automation.id),
            indicators=charts.get(automation.id),
            changelog=changelogs.get(entry.rel, []),
            reviews=reviews.get(automation.id, []),
            incidents=incidents.get(automation.id, []),
            waivers=[w for w in report.lint.silenced.waivers if w.automation == automation.id],
            shared_rules=[(rid, rule_by_id.get(rid)) for rid in automation.uses_rules])
        pages.append(page)
        for _, rule in page.shared_rules:
            if rule is not None and page not in rule.used_by:
                rule.used_by.append(page)

    open_incidents = [(e, i) for found in incidents.values() for e, i in found
                      if i.status == "open"]
    open_incidents.sort(key=lambda pair: (pair[1].date, pair[0].rel), reverse=True)
    return SiteData(
        registry=registry, as_of=as_of, organisation=report.organisation, report=report,
        due=due, agenda=agenda, automations=pages, rules=rules, people=people,
        open_incidents=open_incidents,
        history_note=note or changelog_note, head=due.history.head,
        uncommitted=dict(sorted(due.uncommitted.items())), ids=ids)


def plain(value: Any) -> str:
    """Text from YAML on one line (folded blocks keep their words, not their line breaks)."""
    return " ".join(str(value).split()) if value is not None else ""


__all__ = ["AutomationPage", "RulePage", "SiteData", "collect", "page_name"]
