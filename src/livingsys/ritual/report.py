"""`report`: what a manager reads in a minute about the company's automations.

:func:`build_report` gathers, from one reading of the registry: the automations by status and by
business owner, the lint state, the reviews due (:func:`livingsys.ritual.review_due.review_due`: by
cadence, incidents, exception rate, and the rule changes read from git when it can be read), each
automation's three indicators with their trend over the last months, and
its score on the article's checklist, worst first. The result is a plain :class:`Report`
object; render/report_text.py, render/report_markdown.py and :meth:`Report.to_dict` (JSON)
turn it into text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from livingsys import i18n
from livingsys.checks.silenced import Silenced
from livingsys.findings import Finding, Severity
from livingsys.i18n import _, ngettext, pgettext
from livingsys.models.settings import IndicatorSettings
from livingsys.reading.indicator_policy import RateAlert, exception_rate_alert, indicator_policy
from livingsys.reading.indicators import (
    METRICS,
    Indicators,
    Period,
    Point,
    Series,
    Trend,
    months,
)
from livingsys.reading.registry import INDICATORS_FILE, Registry, as_registry, with_models
from livingsys.ritual.checklist import ChecklistScore, score_registry
from livingsys.ritual.schedule import ReviewSchedule, ScheduleItem, review_schedule

if TYPE_CHECKING:
    from livingsys.ritual.review_due import ReviewDueReport

DEFAULT_MONTHS = 12
TOP_FINDINGS = 5
STATUSES = ("active", "paused", "retired")


@dataclass
class OwnedAutomation:
    id: str
    name: str
    status: str
    key: bool
    status_since: dt.date | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "status": self.status, "key": self.key,
                "status_since": self.status_since.isoformat() if self.status_since else None}


@dataclass
class OwnerGroup:
    """The automations one business owner answers for."""

    owner: str | None
    name: str
    #: False when the owner is missing or not in people.yaml.
    known: bool
    automations: list[OwnedAutomation] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"owner": self.owner, "name": self.name, "known": self.known,
                "automations": [a.to_dict() for a in self.automations]}


@dataclass
class LintSummary:
    errors: int
    warnings: int
    top: list[Finding]
    not_checked: list[str]
    unreadable: bool
    #: Checks the policy switches off, lowers or loosens, and the waivers in force.
    silenced: Silenced = field(default_factory=Silenced)

    def to_dict(self) -> dict:
        return {"errors": self.errors, "warnings": self.warnings,
                "top": [f.to_dict() for f in self.top], "not_checked": self.not_checked,
                "unreadable": self.unreadable, "silenced": self.silenced.to_dict()}


@dataclass
class DueReason:
    #: "cadence" (from the review schedule: never reviewed, elapsed, no cadence), or a kind of
    #: :mod:`livingsys.ritual.review_due`: shared_rule, changed, incidents, indicators,
    #: uncommitted...
    kind: str
    text: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass
class DueReview:
    automation: str
    name: str
    key: bool
    reasons: list[DueReason]
    schedule: ScheduleItem | None

    def to_dict(self) -> dict:
        return {"automation": self.automation, "name": self.name, "key": self.key,
                "reasons": [r.to_dict() for r in self.reasons],
                "schedule": self.schedule.to_dict() if self.schedule else None}


@dataclass
class AutomationIndicators:
    """One automation's three indicators: the last month, the trends, the recent months."""

    automation: str
    name: str
    status: str
    key: bool
    series: Series
    #: The report's months (oldest first) and this automation's point in each, or None.
    window: list[Point | None]
    alert: RateAlert | None
    #: Since when it is paused or retired.
    since: dt.date | None = None

    @property
    def last(self) -> Point | None:
        return self.series.last

    def trend(self, metric: str) -> Trend | None:
        return self.series.trend(metric)  # type: ignore[arg-type]

    @property
    def rate_last_3_months(self) -> float | None:
        return self.series.rate_last_months(3)

    def values(self, metric: str) -> list[float | None]:
        return [p.value(metric) if p else None for p in self.window]  # type: ignore[arg-type]

    def to_dict(self) -> dict:
        last = self.last
        rate3 = self.rate_last_3_months
        return {
            "automation": self.automation, "name": self.name, "status": self.status,
            "key": self.key,
            "last": last.to_dict() if last else None,
            "rate_last_3_months": round(rate3, 4) if rate3 is not None else None,
            "trends": {m: (t.to_dict() if (t := self.trend(m)) else None) for m in METRICS},
            "months": [p.to_dict() if p else None for p in self.window],
            "alert": self.alert.to_dict() if self.alert else None,
        }


@dataclass
class IndicatorsSection:
    #: "ok", "missing" (no indicators.csv), "unreadable", or "empty" (no usable row).
    state: str
    #: What is missing and what to do, when state is not "ok".
    message: str | None
    path: str
    #: The latest month with figures (on or before as_of), and the months shown.
    period: Period | None = None
    months: list[Period] = field(default_factory=list)
    automations: list[AutomationIndicators] = field(default_factory=list)
    #: Automations (not retired) without any figures.
    without_figures: list[str] = field(default_factory=list)
    ignored_rows: int = 0
    policy: IndicatorSettings = field(default_factory=IndicatorSettings)

    @property
    def alerts(self) -> list[RateAlert]:
        return [a.alert for a in self.automations if a.alert]

    def to_dict(self) -> dict:
        return {
            "state": self.state, "message": self.message, "path": self.path,
            "period": str(self.period) if self.period else None,
            "months": [str(m) for m in self.months],
            "exception_rate_alert": self.policy.exception_rate_alert,
            "rising_months": self.policy.rising_months,
            "ignored_rows": self.ignored_rows,
            "without_figures": self.without_figures,
            "automations": [a.to_dict() for a in self.automations],
        }


@dataclass
class OpenFriction:
    """A friction point still open (article, days 3-4), with its automation."""

    automation: str
    key: bool
    kind: str
    what: str
    step: str | None
    since: dt.date | None
    text: str

    def to_dict(self) -> dict:
        return {"automation": self.automation, "key": self.key, "kind": self.kind,
                "what": self.what, "step": self.step,
                "since": self.since.isoformat() if self.since else None, "text": self.text}


def open_frictions(registry: Registry) -> list[OpenFriction]:
    """Every open friction point of the automations that are not retired, key automations
    first, the oldest first."""
    out = [OpenFriction(a.id, a.key, f.kind, f.what, f.step, f.since, f.describe())
           for _entry, a in with_models(registry.automations) if a.status != "retired"
           for f in a.open_frictions]
    return sorted(out, key=lambda f: (not f.key, f.since or dt.date.max, f.automation))


@dataclass
class Report:
    organisation: str
    registry: str
    as_of: dt.date
    total: int
    by_status: dict[str, int]
    owners: list[OwnerGroup]
    lint: LintSummary
    schedule: ReviewSchedule
    due: list[DueReview]
    indicators: IndicatorsSection
    checklist: list[ChecklistScore]
    #: Automation files whose format errors keep them out of the report.
    invalid: list[str] = field(default_factory=list)
    #: What the reviews due were read from ("cadence, incidents, indicators and git history").
    reviews_basis: str = "cadence, incidents and indicators"
    #: Why git history was not read (not a repository, shallow clone...) and what to do.
    history_note: str | None = None
    #: Friction points still open (days 3-4), from the automation files.
    frictions: list[OpenFriction] = field(default_factory=list)

    @property
    def upcoming(self) -> list[ScheduleItem]:
        """Reviews to come by cadence, for automations not already due for another reason."""
        due = {d.automation for d in self.due}
        return [i for i in self.schedule.upcoming if i.automation not in due]

    def to_dict(self) -> dict:
        return {
            "organisation": self.organisation,
            "registry": self.registry,
            "as_of": self.as_of.isoformat(),
            "automations": {"total": self.total, "by_status": self.by_status,
                            "by_owner": [o.to_dict() for o in self.owners],
                            "invalid": self.invalid},
            "lint": self.lint.to_dict(),
            "reviews_due": [d.to_dict() for d in self.due],
            "reviews_due_basis": self.reviews_basis,
            "history_note": self.history_note,
            "reviews_upcoming": [i.to_dict() for i in self.upcoming],
            "indicators": self.indicators.to_dict(),
            "checklist": [c.to_dict() for c in self.checklist],
            "frictions": [f.to_dict() for f in self.frictions],
        }


# --------------------------------------------------------------------------------------------


def _owners(registry: Registry) -> list[OwnerGroup]:
    people = registry.people or {}
    groups: dict[str | None, OwnerGroup] = {}
    for _entry, automation in with_models(registry.automations):
        owner = automation.owner
        if owner not in groups:
            person = people.get(owner) if owner else None
            if owner is None:
                groups[owner] = OwnerGroup(None, _("(no owner)"), False)
            elif person is None:
                groups[owner] = OwnerGroup(owner, owner, False)
            else:
                groups[owner] = OwnerGroup(owner, person.name, True)
        groups[owner].automations.append(OwnedAutomation(
            automation.id, automation.name, automation.status, automation.key,
            automation.status_since))
    # owners with the most automations first; unknown owners last
    return sorted(groups.values(), key=lambda g: (not g.known, -len(g.automations), g.name))


def _lint(registry: Registry, as_of: dt.date) -> tuple[LintSummary, list[ChecklistScore]]:
    """The lint state and the checklist, both from one run of the checks."""
    from livingsys.checks.lint import EXIT_UNREADABLE, run_checks

    report = run_checks(registry, as_of)
    ordered = sorted(report.findings,
                     key=lambda f: (f.severity is not Severity.ERROR, f.sort_key()))
    summary = LintSummary(report.errors, report.warnings, ordered[:TOP_FINDINGS],
                          report.not_checked, report.exit_code == EXIT_UNREADABLE,
                          report.silenced)
    return summary, score_registry(registry, report)


def _indicators(registry: Registry, as_of: dt.date, count: int) -> IndicatorsSection:
    path = registry.display(INDICATORS_FILE)
    policy = indicator_policy(registry)
    source: Indicators | None = registry.indicators
    if source is None:
        return IndicatorsSection("missing", _("no indicators yet: add {path} (see "
                                               "`livingsys help indicators`)").format(
                                                   path=path), path, policy=policy)
    if not source.readable:
        return IndicatorsSection("unreadable", _("{path} cannot be read: run `livingsys lint` "
                                                 "to see why").format(path=path), path,
                                 ignored_rows=source.ignored_rows, policy=policy)
    figures = source.until(Period.of(as_of))
    period = figures.last_period()
    if period is None:
        if source.ignored_rows:
            message = ngettext("{path} has no usable row: {n} row(s) with errors "
                               "(run `livingsys lint`)",
                               "{path} has no usable row: {n} row(s) with errors "
                               "(run `livingsys lint`)", source.ignored_rows).format(
                                   path=path, n=source.ignored_rows)
        elif source.rows:
            message = _("{path} has no figures on or before {day}").format(
                path=path, day=i18n.day(as_of))
        else:
            message = _("{path} has no figures yet: add a row per automation and "
                        "month").format(path=path)
        return IndicatorsSection("empty", message, path, ignored_rows=source.ignored_rows,
                                 policy=policy)
    first = figures.periods[0]
    window = months(period, min(count, period.months_since(first) + 1))
    shown: list[AutomationIndicators] = []
    without: list[str] = []
    for _entry, automation in with_models(registry.automations):
        series = figures.for_automation(automation.id)
        if not series:
            if automation.status != "retired":
                without.append(automation.id)
            continue
        points = series.window(period, len(window))
        if automation.status == "retired" and not any(points):
            continue
        alert = exception_rate_alert(series, policy.exception_rate_alert, policy.rising_months)
        shown.append(AutomationIndicators(automation.id, automation.name, automation.status,
                                          automation.key, series, points, alert,
                                          automation.status_since))
    shown.sort(key=lambda a: (a.alert is None, not a.key, a.automation))
    return IndicatorsSection("ok", None, path, period, window, shown, without,
                             source.ignored_rows, policy)


_SCHEDULE_KINDS = ("never_reviewed", "cadence", "no_cadence")


def cadence_word(cadence: str) -> str:
    """A review cadence (a value of the registry: 'monthly') in the words of the language
    spoken ('mensuelle')."""
    words = {"monthly": pgettext("a review cadence", "monthly"),
             "quarterly": pgettext("a review cadence", "quarterly")}
    return words.get(cadence, cadence)


def describe_change(trend: Trend) -> str:
    """How an indicator moved, in a few characters: '+2.8 pt', '-12%', '+0.5' in English
    (:meth:`Trend.describe`), '+2,8 pt', '-12 %', '+0,5' in French."""
    if i18n.language() == "en":
        return trend.describe()

    def signed(value: float, digits: int) -> str:
        return ("-" if value < 0 else "+") + i18n.number(abs(value), digits)

    if trend.metric == "exception_rate":
        return signed(trend.delta * 100, 1) + "\u00a0pt"
    if trend.metric == "satisfaction":
        return signed(trend.delta, 1)
    if trend.relative is None:
        return trend.describe()
    return signed(trend.relative * 100, 0) + "\u00a0%"


def _due(registry: Registry, as_of: dt.date, schedule: ReviewSchedule,
         given: tuple[ReviewDueReport, str | None] | None = None
         ) -> tuple[list[DueReview], str, str | None]:
    """The reviews due, from :func:`livingsys.ritual.review_due.review_due` with git history when it
    can be read; without it (and a note saying why) otherwise. ``given``: that result already
    computed (by a caller that needs it too), so the history is not read twice."""
    from livingsys.ritual.review_due import review_due_or_without_history

    result, note = given if given is not None else review_due_or_without_history(registry,
                                                                                 as_of)
    out = []
    for item in result.due:
        reasons: list[DueReason] = []
        for reason in item.reasons:
            if reason.kind in _SCHEDULE_KINDS:
                s = item.schedule
                reasons.append(DueReason("cadence", _("{cadence}: {schedule}").format(
                    cadence=cadence_word(s.cadence), schedule=s.describe())
                                         if s.cadence else s.describe()))
            else:
                reasons.append(DueReason(reason.kind, reason.text))
        out.append(DueReview(item.automation, item.name, item.key, reasons,
                             schedule.get(item.automation) or item.schedule))
    return out, result.basis, note


def build_report(registry: Registry | Path | str, as_of: dt.date | None = None, *,
                 months_shown: int = DEFAULT_MONTHS,
                 due: tuple[ReviewDueReport, str | None] | None = None) -> Report:
    """The report of the registry (a loaded one, or its folder) as of ``as_of`` (default
    today): indicators after as_of's month and reviews after as_of are not counted.
    ``due``: the result of :func:`~livingsys.ritual.review_due.review_due_or_without_history` for
    the same registry and day, when the caller has it already."""
    as_of = as_of or dt.date.today()
    registry = as_registry(registry)
    settings = registry.settings.model if registry.settings else None
    organisation = settings.organisation if settings else Path(registry.root).resolve().name
    valid = [a for _entry, a in with_models(registry.automations)]
    counts: Counter[str] = Counter(a.status for a in valid)
    schedule = review_schedule(registry, as_of)
    section = _indicators(registry, as_of, months_shown)
    reviews_due, basis, note = _due(registry, as_of, schedule, due)
    lint, checklist = _lint(registry, as_of)
    return Report(
        organisation=organisation,
        registry=registry.display_root,
        as_of=as_of,
        total=len(registry.automations),
        by_status={s: counts.get(s, 0) for s in STATUSES},
        owners=_owners(registry),
        lint=lint,
        schedule=schedule,
        due=reviews_due,
        indicators=section,
        checklist=checklist,
        invalid=[e.path for e in registry.automations if e.model is None],
        reviews_basis=basis,
        history_note=note,
        frictions=open_frictions(registry),
    )
