"""`review-due`: which automations need a review, most urgent first, and every reason why.

The article (section 3.1) asks for a short monthly review of 2 or 3 key automations, and its
rule 3 says that "any change to a key business rule must trigger a review of the automations
concerned". :func:`review_due` puts both together, for each automation that is not retired:

- **never reviewed**, or its **cadence elapsed** since the last review (reviews/<date>.yaml);
- **its own definition changed** since the last review — rules, exceptions, guardrails, owner,
  status, steps... — read from git and compared semantically (:mod:`semantic_diff`), each
  change with the commit, author and date that brought it;
- a **shared key rule** it lists in ``uses_rules`` changed since then (rule 3);
- **incidents** logged since then (incidents/<date>-<slug>.yaml);
- its **exception rate** calls for it (:func:`livingsys.reading.indicator_policy.rate_alerts`);
- **uncommitted changes** in its file or in its shared rules;
- its file was **renamed** since the last review;
- the commit the last review looked at is **no longer in the history** (rewritten): what
  changed since cannot be told, so it is due until someone looks.

"Since the last review" means: since the registry commit the minutes name
(``registry_commit``, written by ``livingsys review record``); for minutes written by hand,
since the commit that added the minutes file; for minutes not committed yet, since the
review's date. The comparison is between that version and the newest commit; changes not
committed yet are a reason of their own, so each change is shown once, with who made it.

The history is read once per run (:func:`livingsys.history.open_history`). When it cannot be
read (not a git repository, no commit, shallow clone...) :func:`review_due` raises
:class:`~livingsys.history.HistoryError`; ``history=False`` gives the reasons that need no
git (cadence, incidents, indicators) and says so — it never reports "nothing changed" for a
history it did not read.

Ranking: :data:`WEIGHTS` in one place, with the reasons' data
(:mod:`livingsys.ritual.due_reasons`); ``agenda`` uses the same order. What is asked of git
(the baseline, the changes and their commits) is :mod:`livingsys.ritual.due_history`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livingsys import i18n
from livingsys.history.model import CommitRef
from livingsys.history.semantic_diff import Change, diff_automation, diff_shared_rule
from livingsys.i18n import _, ngettext, pgettext
from livingsys.models.common import CADENCE_MONTHS
from livingsys.reading.registry import Registry, as_registry
from livingsys.reading.renames import names
from livingsys.ritual.due_history import HistoryReader
from livingsys.ritual.due_reasons import (
    CRITICALITY_RANK,
    INCIDENT_WEIGHTS,
    INCIDENTS_CAP,
    OVERDUE_CAP,
    OVERDUE_PER_WEEK,
    WEIGHTS,
    Baseline,
    ChangeLine,
    IncidentRef,
    Reason,
    ReasonKind,
    cadence_weight,
    cadence_word,
    incidents_weight,
    severity_word,
)
from livingsys.ritual.schedule import ScheduleItem, add_months, review_schedule

if TYPE_CHECKING:
    from livingsys.history import OpeningHistory
    from livingsys.models import Automation, Review
    from livingsys.reading.indicator_policy import RateAlert


def _area_words() -> dict[str, str]:
    """What changed in an automation, by semantic_diff's area, in the language spoken."""
    return {
        "rule": pgettext("what changed", "rules"),
        "exception": pgettext("what changed", "exceptions"),
        "guardrail": pgettext("what changed", "guardrails"),
        "owner": pgettext("what changed", "owner"),
        "status": pgettext("what changed", "status"),
        "trigger": pgettext("what changed", "trigger"),
        "perimeter": pgettext("what changed", "perimeter"),
        "step": pgettext("what changed", "steps"),
        "content": pgettext("what changed", "content"),
        "fact": pgettext("what changed", "facts"),
        "review": pgettext("what changed", "review cadence"),
        "uses_rules": pgettext("what changed", "shared rules used"),
        "identity": pgettext("what changed", "identity"),
        "waiver": pgettext("what changed", "waivers"),
        "other": pgettext("what changed", "other fields"),
        "shared_rule": pgettext("what changed", "shared rule"),
    }


_AREA_ORDER = ["rule", "exception", "guardrail", "owner", "status", "trigger", "perimeter",
               "step", "content", "fact", "review", "uses_rules", "identity", "waiver",
               "other", "shared_rule"]

_SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


# --------------------------------------------------------------------------------------------
# data


@dataclass
class DueItem:
    """One automation: its schedule, and every reason it needs a review (none: not due)."""

    automation: str
    name: str
    status: str
    key: bool
    criticality: str | None
    owner: str | None
    maintainer: str | None
    client_facing: bool
    path: str
    uses_rules: list[str]
    schedule: ScheduleItem
    #: The id the last minutes used, when it was another (the file was renamed since).
    reviewed_as: str | None = None
    baseline: Baseline | None = None
    reasons: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def due(self) -> bool:
        return bool(self.reasons)

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)

    @property
    def last_review(self) -> dt.date | None:
        return self.schedule.last_review

    @property
    def last_review_file(self) -> str | None:
        return self.schedule.last_review_file

    @property
    def sensitive(self) -> bool:
        """Key, highly critical or client-facing: a manager attends its review."""
        return self.key or self.criticality == "high" or self.client_facing

    def reason(self, kind: str) -> Reason | None:
        return next((r for r in self.reasons if r.kind == kind), None)

    def rank_key(self) -> tuple:
        return (-self.score, not self.key, CRITICALITY_RANK.get(self.criticality, 3),
                -self.schedule.days_overdue, self.automation)

    def summary(self) -> str:
        """The reasons in one line (for tables and the report)."""
        return "; ".join(r.text for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        s = self.schedule
        return {
            "automation": self.automation, "name": self.name, "status": self.status,
            "key": self.key, "criticality": self.criticality, "owner": self.owner,
            "maintainer": self.maintainer, "client_facing": self.client_facing,
            "path": self.path, "uses_rules": self.uses_rules,
            "cadence": s.cadence,
            "last_review": s.last_review.isoformat() if s.last_review else None,
            "last_review_file": s.last_review_file, "reviewed_as": self.reviewed_as,
            "next_due": s.next_due.isoformat() if s.next_due else None,
            "days_overdue": s.days_overdue,
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "due": self.due, "score": self.score,
            "reasons": [r.to_dict() for r in self.reasons], "notes": self.notes,
        }


@dataclass
class HistoryInfo:
    """Whether git history was read, and up to which commit."""

    read: bool
    head: str | None = None
    #: Why it was not read (``--no-history``), in plain words.
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "head": self.head, "note": self.note}


@dataclass
class ReviewDueReport:
    organisation: str
    registry: str
    as_of: dt.date
    history: HistoryInfo
    #: Every automation that is not retired, most urgent first; those not due after.
    items: list[DueItem]
    retired: list[str] = field(default_factory=list)
    #: Automation files whose format errors keep them out (run `livingsys lint`).
    invalid: list[str] = field(default_factory=list)
    #: Registry files not committed yet (relative path -> modified, added, deleted, untracked).
    uncommitted: dict[str, str] = field(default_factory=dict)
    #: People's names by id (from people.yaml), to show names rather than ids.
    names: dict[str, str] = field(default_factory=dict)

    def name_of(self, person: str | None) -> str:
        if not person:
            return _("nobody")
        return self.names.get(person, person)

    @property
    def due(self) -> list[DueItem]:
        return [i for i in self.items if i.due]

    @property
    def not_due(self) -> list[DueItem]:
        return [i for i in self.items if not i.due]

    def get(self, automation_id: str) -> DueItem | None:
        return next((i for i in self.items if i.automation == automation_id), None)

    @property
    def basis(self) -> str:
        """What the reasons were read from, in words."""
        if self.history.read:
            return _("cadence, incidents, indicators and git history")
        return _("cadence, incidents and indicators only, git history not read")

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "registry": self.registry,
            "as_of": self.as_of.isoformat(), "basis": self.basis,
            "history": self.history.to_dict(),
            "due": [i.to_dict() for i in self.due],
            "not_due": [i.to_dict() for i in self.not_due],
            "retired": self.retired, "invalid": self.invalid,
            "uncommitted": self.uncommitted,
            "weights": {**WEIGHTS, "incidents": INCIDENT_WEIGHTS,
                        "incidents_cap": INCIDENTS_CAP, "overdue_per_week": OVERDUE_PER_WEEK,
                        "overdue_cap": OVERDUE_CAP},
        }


# --------------------------------------------------------------------------------------------
# helpers


def sends_to_clients(automation: Automation) -> bool:
    return any(message.audience == "client" for step in automation.steps
               for message in (step.sends or []))


def _rule_paths(registry: Registry) -> dict[str, str]:
    """Shared rule id -> its file, relative to the registry."""
    out: dict[str, str] = {}
    for entry in registry.shared_rules:
        out.setdefault(entry.model.id if entry.model else entry.stem, entry.rel)
    return out


def _areas(changes: list[Change]) -> str:
    seen = sorted({c.area for c in changes},
                  key=lambda a: _AREA_ORDER.index(a) if a in _AREA_ORDER else 99)
    words = _area_words()
    return ", ".join(words.get(a, a) for a in seen)


class _Reviews:
    """The minutes (on or before as_of) by the automation ids they list."""

    def __init__(self, registry: Registry, as_of: dt.date) -> None:
        self.by_id: dict[str, list[tuple[dt.date, Any]]] = {}
        for entry in registry.reviews:
            review = entry.model
            if review is None or review.date > as_of:
                continue
            for item in review.automations:
                self.by_id.setdefault(item.id, []).append((review.date, entry))

    def last(self, ids: list[str]) -> tuple[str, Any] | None:
        """(the id used, the entry) of the latest minutes listing one of ``ids``."""
        best: tuple[dt.date, str, Any] | None = None
        for ident in ids:
            for day, entry in self.by_id.get(ident, []):
                if best is None or day > best[0]:
                    best = (day, ident, entry)
        return (best[1], best[2]) if best else None


def _short(change: Change) -> str:
    """A minor change in a few words: "scenario 'x' added", "name reworded"."""
    if change.area == "scenario" and change.field is None:
        if change.kind == "added":
            return _("scenario '{item}' added").format(item=change.item)
        if change.kind == "removed":
            return _("scenario '{item}' removed").format(item=change.item)
        return _("scenario '{item}' changed").format(item=change.item)
    text = change.describe()
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


# --------------------------------------------------------------------------------------------
# shared rule parameters still written in the automation


_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[ ,\u202f\u00a0]\d{3})+(?:\.\d+)?(?![\w])|"
                     r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")


def _numbers(text: str) -> set[float]:
    out = set()
    for match in _NUMBER.finditer(text):
        raw = re.sub(r"[ ,\u202f\u00a0]", "", match.group(0))
        try:
            out.add(float(raw))
        except ValueError:  # pragma: no cover
            continue
    return out


def stale_values(automation: Automation, changes: list[Change]) -> list[str]:
    """Where the automation still writes a shared rule parameter's old value.

    For each numeric parameter that changed (5000 -> 3000), the rules, exceptions and steps
    whose if, then, condition or description still name 5000."""
    out: list[str] = []
    for change in changes:
        field_name = change.field or ""
        if not field_name.startswith("parameters.") or change.kind != "changed":
            continue
        old = change.old
        if isinstance(old, bool) or not isinstance(old, (int, float)):
            continue
        places: list[str] = []
        for template, items, fields in (
                (_("rule '{id}' ({fields})"), automation.rules, ("if_", "then", "when")),
                (_("exception '{id}' ({fields})"), automation.exceptions,
                 ("if_", "then", "when")),
                (_("step '{id}' ({fields})"), automation.steps, ("does",))):
            for item in items:
                found = [_field_word(f) for f in fields
                         if isinstance(getattr(item, f, None), str)
                         and float(old) in _numbers(getattr(item, f))]
                if found:
                    places.append(template.format(id=item.id, fields=", ".join(found)))
        if places:
            name = field_name.split(".", 1)[1]
            out.append(_("still written with the old {name} {value} in: {places}").format(
                name=name, value=i18n.plain_number(old), places="; ".join(places)))
    return out


def _field_word(field_name: str) -> str:
    """A field of a rule, an exception or a step, as a sentence names it: the YAML key (if,
    then, does), or "condition" for `when`."""
    if field_name == "when":
        return pgettext("the field when: of a rule", "condition")
    return field_name.rstrip("_")


# --------------------------------------------------------------------------------------------
# the reasons of one automation


def _schedule_reasons(item: DueItem) -> None:
    s = item.schedule
    state = s.state
    if state == "never-reviewed":
        item.reasons.append(Reason(
            "never_reviewed", _("never reviewed ({cadence} cadence)").format(
                cadence=cadence_word(s.cadence)), WEIGHTS["never_reviewed"]))
    elif state in ("overdue", "due"):
        assert s.next_due is not None and s.last_review is not None  # a cadence that elapsed
        weight = cadence_weight(s.days_overdue)
        when = (ngettext("{n} day overdue", "{n} days overdue", s.days_overdue).format(
            n=s.days_overdue) if s.overdue else _("due today"))
        item.reasons.append(Reason(
            "cadence", _("{cadence} review due since {due} ({when}; last reviewed {last})")
            .format(cadence=cadence_word(s.cadence), due=i18n.day(s.next_due), when=when,
                    last=i18n.day(s.last_review)), weight))
    elif state == "no-cadence":
        item.reasons.append(Reason(
            "no_cadence", _("no review cadence set (the article: at least quarterly) — set "
                            "review.cadence, or review.default_cadence in livingsys.yaml"),
            WEIGHTS["no_cadence"]))


def _incident_reason(item: DueItem, registry: Registry, ids: list[str], as_of: dt.date,
                     review: Review | None,
                     in_review_commit: Callable[[str], bool | None] | None) -> None:
    """The incidents logged after the last review (:func:`livingsys.ritual.timeline.incident_order`
    puts those of the review's own day before or after the meeting)."""
    from livingsys.ritual.timeline import describe_order, incident_order

    found: list[IncidentRef] = []
    for entry in registry.incidents:
        incident = entry.model
        if incident is None or incident.automation not in ids or incident.date > as_of:
            continue
        order = None
        if review is not None:
            after, basis = incident_order(incident, entry.rel, review, in_review_commit)
            if not after:
                continue
            order = describe_order(after, basis)
        found.append(IncidentRef(incident.date, incident.severity, incident.status,
                                 " ".join(incident.summary.split()), entry.rel,
                                 incident.action_taken, order))
    if not found:
        return
    found.sort(key=lambda i: (_SEVERITY_ORDER.get(i.severity, 9), i.date))
    weight = incidents_weight([i.severity for i in found])
    worst = severity_word(found[0].severity)
    opened = sum(1 for i in found if i.status == "open")
    if review is not None:
        text = (_("{n} incidents logged since the last review, the worst {worst}")
                if len(found) > 1 else _("{worst} incident logged since the last review"))
    else:
        text = (_("{n} incidents logged (never reviewed since), the worst {worst}")
                if len(found) > 1 else _("{worst} incident logged (never reviewed since)"))
    text = text.format(n=len(found), worst=worst)
    if opened:
        text = ngettext("{text} ({n} still open)", "{text} ({n} still open)", opened).format(
            text=text, n=opened)
    item.reasons.append(Reason("incidents", text, weight,
                               details=[i.describe() for i in found], incidents=found))


def _unlisted_note(item: DueItem, unlisted: list[str]) -> str:
    """git knows ids of the file that its ``formerly`` does not list."""
    olds = ", ".join(f"'{i}'" for i in unlisted)
    listed = ", ".join(unlisted)
    return _("git shows its file was named {olds} before, but it does not say `formerly: "
             "[{listed}]`: add that to {path} so that lint, report and agenda follow the "
             "rename as review-due does (minutes, incidents and figures under the old id)"
             ).format(olds=olds, listed=listed, path=item.path)


def _in_review_commit(reader: HistoryReader | None, baseline: Baseline | None
                      ) -> Callable[[str], bool | None] | None:
    """Whether a file was in the registry commit the last review looked at (None: the
    minutes name no commit git knows, e.g. not committed yet)."""
    if reader is None or baseline is None or baseline.source not in ("registry_commit",
                                                                     "review_commit"):
        return None
    history, rev = reader.history, baseline.rev

    def was_there(rel: str) -> bool | None:
        version = history.version_at(rel, rev)
        return version is not None and version.exists

    return was_there


def _indicator_reason(item: DueItem, alert: RateAlert | None) -> None:
    from livingsys.ritual.timeline import seen_by_review

    if alert is None:
        return
    if seen_by_review(alert.period, item.last_review):
        assert item.last_review is not None  # seen by a review: there was one
        item.notes.append(
            _("exception rate alert of {period} already seen by the review of {day} (not a "
              "reason to review again): {message}").format(
                period=alert.period, day=i18n.day(item.last_review), message=alert.message))
        return
    reasons = list(alert.reasons)
    text, details = reasons[0], reasons[1:]
    if alert.above_threshold and alert.rising:
        months = len(alert.run) - 1
        text = ngettext("{reason}, and rising {n} month in a row",
                        "{reason}, and rising {n} months in a row", months).format(
            reason=reasons[0], n=months)
    item.reasons.append(Reason("indicators", text, WEIGHTS["indicators"], details=details))


def _history_reasons(item: DueItem, automation: Automation, reader: HistoryReader,
                     review: tuple[str, Any] | None, rule_paths: dict[str, str]) -> None:
    if review is not None:
        used_id, review_entry = review
        reviewed = review_entry.model.date  # the item's last review
        baseline, fault = reader.baseline(review_entry.model, review_entry.rel)
        if fault is not None:
            item.reasons.append(fault)
        if baseline is not None:
            item.baseline = baseline
            if baseline.source == "start":
                item.notes.append(
                    _("the review of {day} is older than the registry's first commit: "
                      "changes are counted from that commit").format(day=i18n.day(reviewed)))
            elif baseline.source == "date":
                if review_entry.model.registry_commit:
                    item.notes.append(
                        _("compared by date (--by-date): with the registry as it was on {day}")
                        .format(day=i18n.day(reviewed)))
                else:
                    item.notes.append(
                        _("{file} is not committed yet: compared with the registry as it was "
                          "on {day}").format(file=review_entry.rel, day=i18n.day(reviewed)))
            _own_changes(item, reader, baseline, used_id)
            _shared_rule_changes(item, automation, reader, baseline, rule_paths)
            mine = [item.path] + [rule_paths.get(r, f"rules/{r}.yaml")
                                  for r in automation.uses_rules]
            broken = [rel for rel in mine if rel in reader.unreadable]
            if broken:
                item.reasons.append(Reason(
                    "unknown_baseline", _("cannot tell what changed in {files} since the last "
                                          "review: a version of it is not valid YAML").format(
                        files=", ".join(broken)),
                    WEIGHTS["unknown_baseline"], path=broken[0],
                    hint=_("run `livingsys lint` and fix the file, then commit it")))
    _uncommitted(item, automation, reader, rule_paths)


def _own_changes(item: DueItem, reader: HistoryReader, baseline: Baseline,
                 used_id: str) -> None:
    rel = item.path
    reviewed = item.last_review
    assert reviewed is not None  # compared with a baseline: there was a review
    base, head, lines, minor, commits = reader.changes(rel, baseline, diff_automation)
    if head is None:
        return  # never committed: the uncommitted reason says so
    if base is None or not base.exists:
        first = reader.history.first_version(rel)
        if first is not None and first.exists:
            item.notes.append(
                _("its file was first committed on {first}, after the review of {day}: "
                  "changes before that cannot be told from git").format(
                    first=i18n.day(first.date.date()), day=i18n.day(reviewed)))
            base, head, lines, minor, commits = reader.changes(
                rel, Baseline("registry_commit", first.commit.sha), diff_automation)
            assert head is not None  # the file's newest version, whatever the baseline
            # the file's creation is not a change
            lines = [ln for ln in lines if not (ln.change.area == "identity"
                                                and ln.change.note == "automation")]
    if base is not None and base.exists and base.path != head.path:
        # the id follows the file name: the rename reason says it
        lines = [ln for ln in lines if not (ln.change.area == "identity"
                                            and ln.change.item == "id")]
        rename = next((v for v in reader.history.versions_between(rel, base)
                       if v.change == "renamed"), None)
        by = [CommitRef.of_version(rename)] if rename is not None else []
        if used_id != item.automation:
            text = _("renamed since the last review: {old} → {new} (the minutes of {day} call "
                     "it '{id}')").format(old=base.path, new=head.path,
                                          day=i18n.day(reviewed), id=used_id)
        else:
            text = _("renamed since the last review: {old} → {new}").format(
                old=base.path, new=head.path)
        item.reasons.append(Reason(
            "renamed", text, WEIGHTS["renamed"], commits=by, path=rel,
            details=[_("renamed by {commit}").format(commit=by[0].describe())] if by else [],
            hint=_("write '{id}' in the next minutes; minutes, incidents and indicators.csv "
                   "rows under '{old}' still count for it (its `formerly`)").format(
                id=item.automation, old=used_id)
            if used_id != item.automation else None))
    if lines:
        changes = ngettext("{n} change", "{n} changes", len(lines)).format(n=len(lines))
        item.reasons.append(Reason(
            "changed", ngettext(
                "its own {areas} changed since the last review ({changes}, {n} commit)",
                "its own {areas} changed since the last review ({changes}, {n} commits)",
                len(commits)).format(areas=_areas([ln.change for ln in lines]),
                                     changes=changes, n=len(commits)),
            WEIGHTS["changed"], changes=lines, minor=minor, commits=commits, path=rel))
    elif minor:
        item.notes.append(_("edited since the last review without a change of behaviour (not "
                            "a reason to review it): {changes}").format(
            changes="; ".join(_short(c) for c in minor)))


def _shared_rule_changes(item: DueItem, automation: Automation, reader: HistoryReader,
                         baseline: Baseline, rule_paths: dict[str, str]) -> None:
    for rule_id in automation.uses_rules:
        rel = rule_paths.get(rule_id, f"rules/{rule_id}.yaml")
        base, head, lines, minor, commits = reader.changes(rel, baseline, diff_shared_rule)
        if head is None:
            continue
        if not lines:
            _old_values_before_the_review(item, automation, reader, rel, rule_id)
            continue
        details = stale_values(automation, [ln.change for ln in lines])
        item.reasons.append(Reason(
            "shared_rule", _("shared key rule '{rule}' changed since the last review (rule 3)")
            .format(rule=rule_id), WEIGHTS["shared_rule"], details=details, changes=lines,
            minor=minor, commits=commits, path=rel, rule=rule_id))


def _old_values_before_the_review(item: DueItem, automation: Automation,
                                  reader: HistoryReader, rel: str, rule_id: str) -> None:
    """A shared rule's parameter changed before the last review and the automation still
    writes the old value: the review is over, the text is still wrong (rule 3).

    Compared from the rule file's first commit to now, so a value changed and changed back
    is not reported."""
    first = reader.history.first_version(rel)
    if first is None or not first.exists:
        return
    _base, head, lines, _minor, commits = reader.changes(
        rel, Baseline("registry_commit", first.commit.sha), diff_shared_rule)
    if head is None or not lines:
        return
    details = stale_values(automation, [ln.change for ln in lines])
    if not details:
        return
    item.reasons.append(Reason(
        "old_value", _("still writes an old value of shared key rule '{rule}' (rule 3): it "
                       "changed before the last review, the text did not follow").format(
            rule=rule_id), WEIGHTS["old_value"],
        details=details, commits=commits, path=item.path, rule=rule_id,
        hint=_("write the rule's current value in {path}, or better, name the shared rule in "
               "the text and read rules.{name}.<parameter> in `when:`").format(
            path=item.path, name=rule_id.replace('-', '_'))))


def _uncommitted(item: DueItem, automation: Automation, reader: HistoryReader,
                 rule_paths: dict[str, str]) -> None:
    registry = reader.registry
    files = [(item.path, "automation", diff_automation, reader.automation(item.automation))]
    for rule_id in automation.uses_rules:
        rel = rule_paths.get(rule_id, f"rules/{rule_id}.yaml")
        entry = next((e for e in registry.shared_rules if e.rel == rel), None)
        files.append((rel, "shared_rule", diff_shared_rule, entry))
    lines: list[ChangeLine] = []
    minor: list[Change] = []
    details: list[str] = []
    paths: list[str] = []
    quiet: list[str] = []  # edited without a change of behaviour
    for rel, _what, differ, entry in files:
        state = reader.uncommitted.get(rel)
        if state is None:
            continue
        if state in ("untracked", "added"):
            paths.append(rel)
            details.append((_("{file}: new file, never committed (staged)") if state == "added"
                            else _("{file}: new file, never committed")).format(file=rel))
            continue
        if state == "deleted":
            paths.append(rel)
            details.append(_("{file}: deleted, not committed").format(file=rel))
            continue
        worktree = entry.doc.data if entry is not None else None
        changes = differ(reader.head_data(rel), worktree)
        sig = [c for c in changes if c.significant]
        if not sig:
            quiet.append(rel)
            continue
        paths.append(rel)
        lines += [ChangeLine(c) for c in sig]
        minor += [c for c in changes if not c.significant]
    if quiet:
        item.notes.append(_("{files}: edits not committed yet that change no behaviour "
                            "(layout, comments, wording or example cases) — commit them")
                          .format(files=", ".join(quiet)))
    if not paths:
        return
    item.reasons.append(Reason(
        "uncommitted", _("uncommitted changes in {files} (not in any commit yet)").format(
            files=", ".join(paths)),
        WEIGHTS["uncommitted"], details=details, changes=lines, minor=minor,
        path=paths[0]))


# --------------------------------------------------------------------------------------------
# the whole registry


def review_due(registry: Registry | Path | str, as_of: dt.date | None = None, *,
               history: bool | OpeningHistory = True, by_date: bool = False
               ) -> ReviewDueReport:
    """Every automation (not retired) with its reasons to be reviewed, most urgent first.

    ``as_of`` (default: today) moves the cadence, the incidents and the figures counted;
    changes are read from git up to the newest commit, plus the working tree.
    ``history=False`` leaves git out (and says so). ``by_date`` compares with the registry as
    it was on the review's date when the commit the minutes name is no longer in the history.
    ``history`` may also be the history being opened already (:func:`open_history_soon`,
    started before the registry was read, so git works meanwhile).
    Raises :class:`livingsys.history.HistoryError` when the history cannot be read.
    """
    from livingsys.reading.indicator_policy import rate_alerts

    as_of = as_of or dt.date.today()
    registry = as_registry(registry)
    settings = registry.settings.model if registry.settings else None
    organisation = settings.organisation if settings else Path(registry.root).resolve().name
    hist = None
    if not isinstance(history, bool):
        hist = history.result()
    elif history:
        from livingsys.history import open_history

        hist = open_history(registry.root)
    try:
        reader = HistoryReader(hist, registry, by_date) if hist is not None else None
        info = (HistoryInfo(True, hist.head) if hist is not None else
                HistoryInfo(False, note=_("changes to the automations and to the shared "
                                          "rules they use are not shown (--no-history)")))
        schedule = review_schedule(registry, as_of)
        reviews = _Reviews(registry, as_of)
        alerts = rate_alerts(registry, as_of)
        rule_paths = _rule_paths(registry)
        known = names(registry)
        items: list[DueItem] = []
        retired: list[str] = []
        for entry in registry.valid_automations:
            automation = entry.model
            assert automation is not None  # valid_automations lists only the ones that parsed
            if automation.status == "retired":
                retired.append(automation.id)
                continue
            ids = known.ids_of(automation.id)
            unlisted: list[str] = []
            if reader is not None:
                # git's renames, unless another automation has that id (now or formerly)
                unlisted = [i for i in reader.former_ids(entry.rel)
                            if i not in ids and known.resolve(i) is None]
                ids += unlisted
            review = reviews.last(ids)
            sched = schedule.get(automation.id)
            assert sched is not None
            if review is not None and review[1].model.date != sched.last_review:
                # reviewed under a former id (the file was renamed since)
                day = review[1].model.date
                next_due = (add_months(day, CADENCE_MONTHS[sched.cadence])
                            if sched.cadence else None)
                sched = replace(sched, last_review=day, last_review_file=review[1].path,
                                next_due=next_due)
            item = DueItem(
                automation=automation.id, name=automation.name, status=automation.status,
                key=automation.key, criticality=automation.criticality,
                owner=automation.owner, maintainer=automation.maintainer,
                client_facing=sends_to_clients(automation), path=entry.rel,
                uses_rules=list(automation.uses_rules), schedule=sched,
                reviewed_as=review[0] if review and review[0] != automation.id else None)
            if unlisted:
                item.notes.append(_unlisted_note(item, unlisted))
            if reader is not None:
                _history_reasons(item, automation, reader, review, rule_paths)
            _schedule_reasons(item)
            _incident_reason(item, registry, ids, as_of,
                             review[1].model if review is not None else None,
                             _in_review_commit(reader, item.baseline))
            _indicator_reason(item, alerts.get(automation.id))
            if automation.source is not None:
                from livingsys.checks.drift import review_reason

                found = review_reason(registry, entry)
                if found is not None:
                    item.reasons.append(Reason("drift", found[0], WEIGHTS["drift"],
                                               details=found[1], path=entry.rel))
            order = list(WEIGHTS)
            item.reasons.sort(key=lambda r: (-r.weight, order.index(r.kind)
                                             if r.kind in order else 99))
            items.append(item)
        due = sorted((i for i in items if i.due), key=DueItem.rank_key)
        rest = sorted((i for i in items if not i.due),
                      key=lambda i: (i.schedule.next_due or dt.date.max, i.automation))
        return ReviewDueReport(
            organisation=organisation, registry=registry.display_root, as_of=as_of,
            history=info, items=due + rest, retired=retired,
            invalid=[e.path for e in registry.automations if e.model is None],
            uncommitted=dict(reader.uncommitted) if reader is not None else {},
            names={pid: p.name for pid, p in (registry.people or {}).items()})
    finally:
        if hist is not None:
            hist.close()


def review_due_or_without_history(registry: Registry | Path | str,
                                  as_of: dt.date | None = None
                                  ) -> tuple[ReviewDueReport, str | None]:
    """:func:`review_due` with git history when it can be read; otherwise without it, and the
    note that says why (for report and export, which must not fail for want of git)."""
    from livingsys.history import HistoryError

    registry = as_registry(registry)  # read once, for both tries
    try:
        return review_due(registry, as_of), None
    except HistoryError as exc:
        note = (_("git history not read: {message} ({hint})") if exc.hint
                else _("git history not read: {message}")).format(message=exc.message,
                                                                  hint=exc.hint)
        return review_due(registry, as_of, history=False), note


__all__ = ["Baseline", "ChangeLine", "CommitRef", "DueItem", "HistoryInfo", "INCIDENT_WEIGHTS",
           "IncidentRef", "Reason", "ReasonKind", "ReviewDueReport", "WEIGHTS", "review_due",
           "review_due_or_without_history",
           "sends_to_clients", "stale_values"]
