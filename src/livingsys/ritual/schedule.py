"""When each automation was last reviewed and when its next review is due, by cadence.

This reads only the registry's files (reviews/<date>.yaml and each automation's cadence), not
git: `review-due` adds the reasons found in history (rules changed since the last review...)
on top of this schedule.

    schedule = review_schedule(registry, as_of=dt.date(2026, 11, 25))
    for item in schedule.due:
        print(item.automation, item.state, item.next_due, item.days_overdue)
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from livingsys import i18n
from livingsys.i18n import _, ngettext
from livingsys.models.common import CADENCE_MONTHS
from livingsys.reading.reviews import MAX_CADENCE, default_cadence, judge_cadence

if TYPE_CHECKING:
    from livingsys.reading.registry import Registry

State = Literal["retired", "no-cadence", "never-reviewed", "overdue", "due", "ok"]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ScheduleItem:
    """One automation's review schedule, as of a date."""

    automation: str
    name: str
    status: str
    key: bool
    #: monthly, quarterly... — the automation's own, else the settings' default_cadence, held
    #: to the longest cadence allowed (see :class:`CadenceJudgement`).
    cadence: str | None
    #: Where the cadence comes from: "automation", "default" (livingsys.yaml) or None.
    cadence_source: Literal["automation", "default"] | None
    #: Date of the latest review minutes listing it (on or before as_of), and their file.
    last_review: dt.date | None
    last_review_file: str | None
    #: last_review + cadence; as_of when never reviewed ("due now"); None when retired or
    #: without a cadence.
    next_due: dt.date | None
    as_of: dt.date
    #: The cadence written, when it is longer than allowed and ``cadence`` holds it to the
    #: limit (a yearly default reviewed quarterly); None otherwise.
    cadence_set: str | None = None

    @property
    def never_reviewed(self) -> bool:
        return self.last_review is None

    @property
    def due(self) -> bool:
        """The review should happen now: its date has come (never reviewed: due now)."""
        return self.next_due is not None and self.next_due <= self.as_of

    @property
    def overdue(self) -> bool:
        """The review date has passed (a never-reviewed automation is due, not overdue)."""
        return self.next_due is not None and self.next_due < self.as_of

    @property
    def days_overdue(self) -> int:
        if self.next_due is None or not self.overdue:
            return 0
        return (self.as_of - self.next_due).days

    @property
    def days_until_due(self) -> int | None:
        return (self.next_due - self.as_of).days if self.next_due else None

    @property
    def state(self) -> State:
        if self.status == "retired":
            return "retired"
        if self.cadence is None:
            return "no-cadence"
        if self.never_reviewed:
            return "never-reviewed"
        if self.overdue:
            return "overdue"
        return "due" if self.due else "ok"

    def describe(self) -> str:
        """The schedule in plain words: 'never reviewed — due now', '12 days overdue'..."""
        state = self.state
        if state == "retired":
            return _("retired: no review needed")
        if state == "no-cadence":
            if self.last_review:
                return _("last reviewed {day}; no review cadence set").format(
                    day=i18n.day(self.last_review))
            return _("no review cadence set")
        if state == "never-reviewed":
            return _("never reviewed — due now")
        # reviewed and scheduled: both dates are known from here on
        assert self.last_review is not None and self.next_due is not None
        last, due = i18n.day(self.last_review), i18n.day(self.next_due)
        if state == "overdue":
            days = self.days_overdue
            text = ngettext("last reviewed {last}, due {due} — {n} day overdue",
                            "last reviewed {last}, due {due} — {n} days overdue", days).format(
                last=last, due=due, n=days)
        elif state == "due":
            text = _("last reviewed {last} — due today").format(last=last)
        else:
            text = _("last reviewed {last}, next {due}").format(last=last, due=due)
        return self._held(text)

    def _held(self, text: str) -> str:
        """``text``, and the cadence written when it is held to the longest allowed."""
        if self.cadence_set is None:
            return text
        from livingsys.ritual.due_reasons import cadence_word

        written, held = cadence_word(self.cadence_set), cadence_word(self.cadence)
        if self.cadence_source == "default":
            return _("{text} (livingsys.yaml's default says {written}, longer than allowed: "
                     "reviewed {held})").format(text=text, written=written, held=held)
        return _("{text} (its file says {written}, longer than allowed: reviewed {held})"
                 ).format(text=text, written=written, held=held)

    def to_dict(self) -> dict:
        return {
            "automation": self.automation, "name": self.name, "status": self.status,
            "key": self.key, "cadence": self.cadence, "cadence_source": self.cadence_source,
            "cadence_set": self.cadence_set,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "last_review_file": self.last_review_file,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "state": self.state, "due": self.due, "overdue": self.overdue,
            "days_overdue": self.days_overdue, "description": self.describe(),
        }


@dataclass(frozen=True)
class ReviewSchedule:
    """Every automation's schedule as of a date, in registry order."""

    as_of: dt.date
    items: tuple[ScheduleItem, ...]

    def get(self, automation_id: str) -> ScheduleItem | None:
        return self._by_id.get(automation_id)

    @cached_property
    def _by_id(self) -> dict[str, ScheduleItem]:
        """Each automation's first item, by id (asked once per automation: no search)."""
        out: dict[str, ScheduleItem] = {}
        for item in self.items:
            out.setdefault(item.automation, item)
        return out

    @property
    def due(self) -> list[ScheduleItem]:
        """Automations whose review is due, most urgent first: never reviewed, then the most
        overdue; key automations first among equals."""
        return sorted((i for i in self.items if i.due),
                      key=lambda i: (not i.never_reviewed, -i.days_overdue, not i.key,
                                     i.automation))

    @property
    def upcoming(self) -> list[ScheduleItem]:
        """Automations not yet due, the soonest first."""
        return sorted((i for i in self.items if i.next_due and not i.due),
                      key=lambda i: (i.next_due, i.automation))

    @property
    def without_cadence(self) -> list[ScheduleItem]:
        return [i for i in self.items if i.state == "no-cadence"]

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "items": [i.to_dict() for i in self.items]}


def cadence_limit(registry: Registry) -> str | None:
    """The longest cadence the registry's policy allows: G011's max_cadence (quarterly unless
    changed), or None when G011 is switched off."""
    from livingsys.checks.policy import resolve_policy

    runs, _ = resolve_policy(registry)
    run = next((r for r in runs if r.check.code == "G011"), None)
    if run is None or not run.enabled:
        return None
    return run.params.get("max_cadence", MAX_CADENCE)


def last_reviews(registry: Registry, as_of: dt.date | None = None
                 ) -> dict[str, tuple[dt.date, str]]:
    """For each automation id: (date, file) of the latest valid review minutes listing it, on
    or before ``as_of``. Minutes that list it under an old id (``formerly``) count for it."""
    from livingsys.reading.renames import names

    resolve = names(registry).resolve
    out: dict[str, tuple[dt.date, str]] = {}
    for entry in registry.reviews:
        review = entry.model
        if review is None or (as_of is not None and review.date > as_of):
            continue
        for item in review.automations:
            ident = resolve(item.id) or item.id
            known = out.get(ident)
            if known is None or review.date > known[0]:
                out[ident] = (review.date, entry.path)
    return out


def review_schedule(registry: Registry, as_of: dt.date | None = None) -> ReviewSchedule:
    """Each valid automation's last review, cadence and next review date, as of ``as_of``
    (default: today). Reviews dated after ``as_of`` are not counted."""
    as_of = as_of or dt.date.today()
    default = default_cadence(registry)
    limit = cadence_limit(registry)
    reviews = last_reviews(registry, as_of)
    items = []
    from livingsys.reading.registry import with_models

    for _entry, automation in with_models(registry.valid_automations):
        judgement = judge_cadence(automation, default, limit)
        cadence, source = judgement.scheduled, judgement.source
        last = reviews.get(automation.id)
        if automation.status == "retired" or cadence is None:
            next_due = None
        elif last is None:
            next_due = as_of
        else:
            next_due = add_months(last[0], CADENCE_MONTHS[cadence])
        items.append(ScheduleItem(
            automation=automation.id, name=automation.name, status=automation.status,
            key=automation.key, cadence=cadence, cadence_source=source,
            last_review=last[0] if last else None, last_review_file=last[1] if last else None,
            next_due=next_due, as_of=as_of,
            cadence_set=judgement.cadence if judgement.too_long else None))
    return ReviewSchedule(as_of, tuple(items))
