"""The reasons an automation needs a review, and the weights that rank them.

:data:`WEIGHTS` (with :data:`INCIDENT_WEIGHTS` and the overdue points) is the one place the
ranking of ``review-due`` and ``agenda`` comes from; docs/reviews.md's table is checked
against it (tests/test_docs_weights.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from livingsys import i18n
from livingsys.history.model import CommitRef
from livingsys.history.semantic_diff import Change
from livingsys.i18n import _, pgettext

ReasonKind = Literal["shared_rule", "changed", "unknown_baseline", "incidents", "indicators",
                     "never_reviewed", "cadence", "uncommitted", "no_cadence", "renamed",
                     "drift", "old_value"]

# --------------------------------------------------------------------------------------------
# ranking: every weight in one place (documented in docs/reviews.md)

#: Points each reason adds to an automation's urgency score. The most urgent come first.
WEIGHTS: dict[str, int] = {
    # rule 3: a shared key rule changed and the automations using it were not looked at
    "shared_rule": 100,        # per shared rule changed
    # its own rules, exceptions, guardrails, owner, status... changed since the last review
    "changed": 80,
    # a shared rule's parameter changed before the last review, but the automation's text
    # still writes the old value: the review did not catch up with rule 3
    "old_value": 80,
    # the last review's commit is gone: what changed since cannot be told
    "unknown_baseline": 80,
    # the tool's export (source:) differs from the registry: `livingsys drift`
    "drift": 70,
    # an automation never reviewed "always ends up becoming a risk"
    "never_reviewed": 50,
    # the exception rate is above the alert threshold or keeps rising
    "indicators": 30,
    # edited but not committed: nobody else can see it yet
    "uncommitted": 25,
    # the cadence has elapsed (plus OVERDUE_PER_WEEK per full week overdue)
    "cadence": 20,
    "no_cadence": 15,
    "renamed": 10,
}
#: Incidents since the last review, by severity (added up, at most INCIDENTS_CAP).
INCIDENT_WEIGHTS: dict[str, int] = {"critical": 60, "high": 40, "medium": 20, "low": 10}
INCIDENTS_CAP = 120
OVERDUE_PER_WEEK = 5
OVERDUE_CAP = 40
#: Ties are broken by: key automation first, then criticality, then days overdue, then id.
CRITICALITY_RANK = {"high": 0, "medium": 1, "low": 2, None: 3}


def cadence_weight(days_overdue: int) -> int:
    """The cadence reason's weight: WEIGHTS["cadence"], plus OVERDUE_PER_WEEK per full week
    overdue, at most OVERDUE_CAP more."""
    weeks = days_overdue // 7
    return WEIGHTS["cadence"] + min(OVERDUE_CAP, OVERDUE_PER_WEEK * weeks)


def incidents_weight(severities: list[str]) -> int:
    """The incidents reason's weight: INCIDENT_WEIGHTS added up (20 for a severity it does not
    list), at most INCIDENTS_CAP."""
    return min(INCIDENTS_CAP, sum(INCIDENT_WEIGHTS.get(s, 20) for s in severities))


def _day(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return i18n.day(value.date()) if i18n.language() != "en" else value.isoformat()
    return i18n.day(value) if isinstance(value, dt.date) else str(value)


# --------------------------------------------------------------------------------------------
# words of the registry's values, as a sentence says them


def cadence_word(cadence: str | None) -> str:
    """A review cadence in a sentence: 'monthly' / 'mensuelle'."""
    words = {"monthly": pgettext("cadence", "monthly"),
             "quarterly": pgettext("cadence", "quarterly"),
             "semiannual": pgettext("cadence", "semiannual"),
             "yearly": pgettext("cadence", "yearly")}
    return words.get(cadence or "", str(cadence))


def severity_word(severity: str) -> str:
    """An incident's severity in a sentence: 'high' / 'grave'."""
    words = {"low": pgettext("severity", "low"), "medium": pgettext("severity", "medium"),
             "high": pgettext("severity", "high"),
             "critical": pgettext("severity", "critical")}
    return words.get(severity, severity)


def status_word(status: str) -> str:
    """An automation's status in a sentence: 'paused' / 'en pause'."""
    words = {"active": pgettext("automation status", "active"),
             "paused": pgettext("automation status", "paused"),
             "retired": pgettext("automation status", "retired")}
    return words.get(status, status)


def person_kind_word(kind: str) -> str:
    """The kind of a person of people.yaml in a sentence: 'business' / 'métier'."""
    words = {"business": pgettext("kind of person", "business"),
             "technical": pgettext("kind of person", "technical"),
             "manager": pgettext("kind of person", "manager")}
    return words.get(kind, kind)


def incident_status_word(status: str) -> str:
    """An incident's status in a sentence: 'open' / 'ouvert'."""
    words = {"open": pgettext("incident status", "open"),
             "resolved": pgettext("incident status", "resolved")}
    return words.get(status, status)


# --------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class ChangeLine:
    """One semantic change, with the commit that last made it (None: not known)."""

    change: Change
    commit: CommitRef | None = None

    def describe(self) -> str:
        return self.change.describe()

    def to_dict(self) -> dict[str, Any]:
        return {**self.change.to_dict(),
                "commit": self.commit.to_dict() if self.commit else None}


@dataclass(frozen=True)
class IncidentRef:
    date: dt.date
    severity: str
    status: str
    summary: str
    path: str
    action_taken: str | None = None
    #: For an incident on the review's day: why it counts as after the meeting.
    order: str | None = None

    def describe(self) -> str:
        text = _("{day} {severity} ({status}): {summary}").format(
            day=i18n.day(self.date), severity=severity_word(self.severity),
            status=incident_status_word(self.status), summary=self.summary)
        return f"{text} ({self.order})" if self.order else text

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "severity": self.severity,
                "status": self.status, "summary": self.summary, "path": self.path,
                "action_taken": self.action_taken, "order": self.order}


@dataclass
class Reason:
    """One reason an automation needs a review, in plain words, with what backs it."""

    kind: ReasonKind
    text: str
    weight: int
    #: More lines in plain words (the alert's figures, a note on the comparison...).
    details: list[str] = field(default_factory=list)
    #: The significant changes (for changed, shared_rule, uncommitted).
    changes: list[ChangeLine] = field(default_factory=list)
    #: Rewording and example cases that changed too: shown, never a reason on their own.
    minor: list[Change] = field(default_factory=list)
    commits: list[CommitRef] = field(default_factory=list)
    incidents: list[IncidentRef] = field(default_factory=list)
    #: The registry file concerned (relative to the registry), and the shared rule's id.
    path: str | None = None
    rule: str | None = None
    #: What to do, for the reasons that are faults (unknown_baseline).
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "text": self.text, "weight": self.weight,
            "details": self.details, "changes": [c.to_dict() for c in self.changes],
            "minor": [c.to_dict() for c in self.minor],
            "commits": [c.to_dict() for c in self.commits],
            "incidents": [i.to_dict() for i in self.incidents],
            "path": self.path, "rule": self.rule, "hint": self.hint,
        }


@dataclass(frozen=True)
class Baseline:
    """What "since the last review" was compared with."""

    #: registry_commit (the minutes say), review_commit (the commit that added the minutes),
    #: date (the registry as it was on the review's date), start (the registry's first commit:
    #: the review predates it).
    source: Literal["registry_commit", "review_commit", "date", "start"]
    rev: str | dt.date
    commit: CommitRef | None = None

    def describe(self) -> str:
        if self.source == "registry_commit" and self.commit:
            return _("registry at {commit} (the commit the minutes name)").format(
                commit=self.commit.short)
        if self.source == "review_commit" and self.commit:
            return _("registry at {commit} (the commit that added the minutes)").format(
                commit=self.commit.short)
        if self.source == "start" and self.commit:
            return _("registry's first commit {commit}").format(commit=self.commit.short)
        return _("registry as it was on {day}").format(day=_day(self.rev))

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source,
                "commit": self.commit.sha if self.commit else None,
                "date": self.rev.isoformat() if isinstance(self.rev, dt.date) else None,
                "description": self.describe()}
