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

Ranking: :data:`WEIGHTS` in one place; ``agenda`` uses the same order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from livingsys.history.model import CommitRef
from livingsys.history.semantic_diff import Change, diff_automation, diff_shared_rule
from livingsys.models.common import CADENCE_MONTHS
from livingsys.reading.registry import Registry, load_registry
from livingsys.reading.renames import names
from livingsys.ritual.schedule import ScheduleItem, add_months, review_schedule
from livingsys.wording import plural

if TYPE_CHECKING:
    from livingsys.history import FileVersion, History, HistoryError
    from livingsys.models import Automation, Review
    from livingsys.reading.indicator_policy import RateAlert

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

_AREA_WORDS = {
    "rule": "rules", "exception": "exceptions", "guardrail": "guardrails",
    "owner": "owner", "status": "status", "trigger": "trigger", "perimeter": "perimeter",
    "step": "steps", "content": "content", "fact": "facts", "review": "review cadence",
    "uses_rules": "shared rules used", "identity": "identity", "waiver": "waivers",
    "other": "other fields", "shared_rule": "shared rule",
}
_AREA_ORDER = list(_AREA_WORDS)

_SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


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
        text = f"{self.date.isoformat()} {self.severity} ({self.status}): {self.summary}"
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
            return f"registry at {self.commit.short} (the commit the minutes name)"
        if self.source == "review_commit" and self.commit:
            return f"registry at {self.commit.short} (the commit that added the minutes)"
        if self.source == "start" and self.commit:
            return f"registry's first commit {self.commit.short}"
        return f"registry as it was on {_iso(self.rev)}"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source,
                "commit": self.commit.sha if self.commit else None,
                "date": self.rev.isoformat() if isinstance(self.rev, dt.date) else None,
                "description": self.describe()}


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
            return "nobody"
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
            return "cadence, incidents, indicators and git history"
        return "cadence, incidents and indicators only, git history not read"

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


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


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
    return ", ".join(_AREA_WORDS.get(a, a) for a in seen)


def _key(change: Change) -> tuple:
    return (change.area, change.item, change.field)


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


# --------------------------------------------------------------------------------------------
# the history part


class _HistoryReader:
    """Everything review-due asks git, from one History."""

    def __init__(self, history: History, registry: Registry, by_date: bool) -> None:
        self.history = history
        self.registry = registry
        self.by_date = by_date
        self.uncommitted = history.uncommitted()
        #: Files with a version that is not valid YAML: not compared (said in a note).
        self.unreadable: set[str] = set()
        self.first = history.mainline[0] if history.mainline else None
        self.top = _TopLevel(history)

    # -- ids the file had
    def former_ids(self, rel: str) -> list[str]:
        ids: list[str] = []
        for version in self.history.versions(rel):
            for path in (version.path, version.old_path):
                if path and path.startswith("automations/"):
                    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                    if stem not in ids:
                        ids.append(stem)
        return ids

    # -- the baseline
    def baseline(self, review: Review, review_rel: str) -> tuple[Baseline | None, Reason | None]:
        from livingsys.history import HistoryError

        history = self.history
        if review.registry_commit:
            try:
                sha = history.resolve(review.registry_commit)
            except HistoryError as exc:
                if self.by_date:
                    return self._by_date(review.date), None
                return None, _rewritten(review, review_rel, exc)
            if sha is None:
                return self._start(), None
            commit = history.require_commit(sha)
            return Baseline("registry_commit", sha, CommitRef.of_commit(commit)), None
        first = history.first_commit_touching(review_rel)
        if first is not None:
            return Baseline("review_commit", first.sha, CommitRef.of_commit(first)), None
        return self._by_date(review.date), None

    def _start(self) -> Baseline:
        assert self.first is not None
        return Baseline("start", self.first.sha, CommitRef.of_commit(self.first))

    def _by_date(self, day: dt.date) -> Baseline:
        if self.first is not None and day < self.first.committed.date():
            return self._start()
        return Baseline("date", day)

    # -- what changed in one file since the baseline
    def changes(self, rel: str, baseline: Baseline, differ) -> tuple[
            FileVersion | None, FileVersion | None, list[ChangeLine], list[Change],
            list[CommitRef]]:
        """The version at the baseline, the newest commit's, and the changes between them
        (none when a side cannot be read as YAML: ``self.unreadable`` then names the file)."""
        history = self.history
        base = history.version_at(rel, baseline.rev)
        head = history.current(rel)
        if head is None:
            return base, None, [], [], []
        if base is not None and base.blob == head.blob:
            return base, head, [], [], []
        # Automations: put together from their top-level entries when that is sure (the same
        # values; see _TopLevel), most entries then parsed already.
        top = self.top if differ is diff_automation else None
        old = _data(base, top)
        new = _data(head, top)
        if (head.exists and new is None) or (base is not None and base.exists and old is None):
            self.unreadable.add(rel)
            return base, head, [], [], []
        changes = differ(old, new)
        significant = [c for c in changes if c.significant]
        minor = [c for c in changes if not c.significant]
        if not changes:
            return base, head, [], [], []
        since = base
        versions = history.versions_between(rel, since) if since is not None \
            else history.versions(rel)
        commits = [CommitRef.of_commit(c) for c in
                   history.commits_touching(rel, since)] if since is not None else \
            [CommitRef.of_commit(c) for v in versions for c in v.contributors]
        lines = self._attribute(versions, base, significant, differ, history, self.top)
        return base, head, lines, minor, _unique(commits)

    #: Versions whose texts are read in one round trip while walking back (see _attribute).
    PREFETCH = 32

    @classmethod
    def _attribute(cls, versions: list[FileVersion], base: FileVersion | None,
                   changes: list[Change], differ, history: History | None = None,
                   top: _TopLevel | None = None) -> list[ChangeLine]:
        """Each change with the newest commit that touched the same item and field.

        Walks from the newest version back and stops once every change has its commit: the
        older versions are then neither parsed nor compared. Their texts are read a window
        at a time (one ``git cat-file`` round trip per window instead of one per version).
        Two versions whose parts the changes still without a commit live in are the same (the
        same text, see :class:`_TopLevel`, or the same data) are not compared."""
        wanted = {_key(c) for c in changes}
        found: dict[tuple, CommitRef] = {}
        sections = _sections(wanted) if differ is diff_automation else None
        fetched = len(versions)
        for i in range(len(versions) - 1, -1, -1):
            if len(found) == len(wanted):
                break
            if history is not None and i < fetched:
                fetched = max(0, i + 1 - cls.PREFETCH)
                window = versions[max(0, fetched - 1):i + 1]
                history.prefetch(window + [base] if base is not None and fetched == 0
                                 else window)
            before = versions[i - 1] if i > 0 else base
            if top is not None and sections is not None and before is not None:
                old_parts, new_parts = top.parts(before), top.parts(versions[i])
                if old_parts is not None and new_parts is not None and all(
                        old_parts.get(k) == new_parts.get(k) for k in sections):
                    continue  # the same text in those parts: the same data, nothing found
            previous = _data(before, top)
            data = _data(versions[i], top)
            if sections is not None and isinstance(previous, dict) and isinstance(data, dict) \
                    and _identical({k: previous[k] for k in sections if k in previous},
                                   {k: data[k] for k in sections if k in data}):
                continue  # the parts the wanted changes live in are the same: nothing found
            touched = {_key(c) for c in differ(previous, data)}
            new_found = (wanted & touched) - found.keys()
            for key in new_found:
                found[key] = CommitRef.of_version(versions[i])
            if new_found and sections is not None:
                sections = _sections(wanted - found.keys())  # only where the rest lives
        return [ChangeLine(change, found.get(_key(change))) for change in changes]

    def automation(self, automation_id: str) -> Any:
        """``registry.automation(automation_id)`` from an index built once (that one searches
        the list: once per automation, quadratic)."""
        index = self.__dict__.get("_automations")
        if index is None:
            by_id: dict[str, Any] = {}
            by_stem: dict[str, Any] = {}
            for entry in self.registry.automations:
                if entry.model is not None:
                    by_id.setdefault(entry.model.id, entry)
                by_stem.setdefault(entry.stem, entry)
            index = self.__dict__["_automations"] = (by_id, by_stem)
        found = index[0].get(automation_id)
        return found if found is not None else index[1].get(automation_id)

    def head_data(self, rel: str) -> Any:
        head = self.history.current(rel)
        return head.data if head is not None and head.exists else None


def _data(version: FileVersion | None, top: _TopLevel | None) -> Any:
    """A version's data, from its top-level entries when that is sure (see _TopLevel)."""
    if version is None or not version.exists:
        return None
    if top is not None:
        data = top.data(version)
        if data is not None:
            return data
    return version.data


_TOP_LINE = re.compile(r"^(?![ #\n])[^\n]*", re.M)
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: |$)")


class _TopLevel:
    """The texts of a version's top-level entries (``key: ...`` up to the next one), when
    that split is sure to give the same data as parsing the whole file.

    It is sure when the file is a block mapping whose every line at column 0 (other than
    comments and blank lines) starts a plain ``key:``, with no tab, carriage return or ``*``
    (so no alias: nothing refers to another entry, nothing expands), small enough that no
    limit of the reader is reached, no key twice, and when each entry parses on its own, without
    any finding, into
    a mapping of that one key: a quoted text or a bracket left open would carry on past the
    next ``key:`` line, but then its entry alone does not parse. The same entry text then
    gives the same data in both versions. Each distinct entry text is parsed once."""

    def __init__(self, history: History) -> None:
        self.history = history
        self._by_blob: dict[str, dict[str, str] | None] = {}
        #: (key, entry text) -> (its value,), or None when the entry alone is not sure.
        self._values: dict[tuple[str, str], tuple[Any] | None] = {}

    def parts(self, version: FileVersion) -> dict[str, str] | None:
        """Top-level key -> its text, or None when the split is not sure (or no file)."""
        blob = version.blob
        if blob is None or not version.exists:
            return None
        if blob in self._by_blob:
            return self._by_blob[blob]
        out = self._split(version)
        self._by_blob[blob] = out
        return out

    def _split(self, version: FileVersion) -> dict[str, str] | None:
        from livingsys.reading.yamlsource import (
            _NESTING_MARKS,
            MAX_NODES,
            SCAN_DEPTH_ABOVE,
            decode,
            parse,
        )

        assert version.blob is not None
        raw = self.history.read_blob(version.blob)
        if raw is None:
            return None
        text, findings = decode(raw, version.path)
        if text is None or findings or "\t" in text or "\r" in text or "*" in text \
                or 4 * len(text) >= MAX_NODES \
                or sum(text.count(mark) for mark in _NESTING_MARKS) > SCAN_DEPTH_ABOVE:
            return None
        starts: list[tuple[int, str]] = []
        for match in _TOP_LINE.finditer(text):
            if not match.group(0):
                continue
            key = _TOP_KEY.match(match.group(0))
            if key is None:
                return None
            starts.append((match.start(), key.group(1)))
        if not starts:
            return None
        for line in text[:starts[0][0]].split("\n"):
            if line.strip() and not line.lstrip().startswith("#"):
                return None
        out: dict[str, str] = {}
        for j, (pos, key) in enumerate(starts):
            if key in out:
                return None
            part = text[pos:starts[j + 1][0] if j + 1 < len(starts) else len(text)]
            if (key, part) not in self._values:
                doc = parse(part, version.path)
                self._values[(key, part)] = (doc.data[key],) if not doc.findings \
                    and isinstance(doc.data, dict) and list(doc.data) == [key] else None
            if self._values[(key, part)] is None:
                return None
            out[key] = part
        return out

    def data(self, version: FileVersion) -> dict[str, Any] | None:
        """The version's data put together from its entries (the same values as parsing the
        whole file), or None when the split is not sure."""
        parts = self.parts(version)
        if parts is None:
            return None
        values = self._values
        return {key: values[(key, part)][0] for key, part in parts.items()}


#: The top-level keys of an automation file that diff_automation reads for each area (the
#: areas not listed — identity, wording, other — depend on the whole file).
_AREA_SECTIONS: dict[str, tuple[str, ...]] = {
    "status": ("status", "status_reason", "status_since"), "owner": ("owner", "maintainer"),
    "trigger": ("trigger",), "perimeter": ("perimeter",), "uses_rules": ("uses_rules",),
    "rule": ("rules",), "exception": ("exceptions",), "guardrail": ("guardrails",),
    "step": ("steps",), "content": ("content",), "fact": ("facts",), "review": ("review",),
    "waiver": ("waivers",), "scenario": ("scenarios",),
}


def _sections(wanted: set[tuple]) -> tuple[str, ...] | None:
    """The top-level keys the wanted changes' areas are read from (None: the whole file)."""
    out: set[str] = set()
    for area, _item, _field in wanted:
        keys = _AREA_SECTIONS.get(area)
        if keys is None:
            return None
        out.update(keys)
    return tuple(sorted(out))


def _identical(a: Any, b: Any) -> bool:
    """Equal plain data with equal types all the way down (``1``, ``1.0`` and ``True`` differ,
    as they may for the semantic diff; NaN is never identical): identical parts of two
    versions give no change in the semantic diff."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in b and _identical(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_identical, a, b))
    return bool(a == b)


def _short(change: Change) -> str:
    """A minor change in a few words: "scenario 'x' added", "name reworded"."""
    if change.area == "scenario" and change.field is None:
        return f"scenario '{change.item}' {change.kind}"
    text = change.describe()
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


def _unique(commits: list[CommitRef]) -> list[CommitRef]:
    seen: dict[str, CommitRef] = {}
    for c in commits:
        seen.setdefault(c.sha, c)
    return list(seen.values())


def _rewritten(review: Review, review_rel: str, exc: HistoryError) -> Reason:
    commit = review.registry_commit or ""
    gone = ("is no longer in the history" if exc.kind == "missing_commit"
            else "is not in the history of the current branch")
    return Reason(
        "unknown_baseline",
        f"cannot tell what changed since the last review: the review of "
        f"{review.date.isoformat()} refers to commit {commit[:10]}, which {gone} — someone "
        "rewrote it (rebase, amend, force-push)",
        WEIGHTS["unknown_baseline"], path=review_rel,
        hint=(f"run `livingsys review-due --by-date` to compare with the registry as it was on "
              f"{review.date.isoformat()} instead, or set registry_commit in {review_rel} to "
              "the commit the meeting looked at (`git log --oneline`)"))


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
        if not (change.field or "").startswith("parameters.") or change.kind != "changed":
            continue
        old = change.old
        if isinstance(old, bool) or not isinstance(old, (int, float)):
            continue
        places: list[str] = []
        for kind, items, fields in (
                ("rule", automation.rules, ("if_", "then", "when")),
                ("exception", automation.exceptions, ("if_", "then", "when")),
                ("step", automation.steps, ("does",))):
            for item in items:
                found = [f.rstrip("_").replace("when", "condition") for f in fields
                         if isinstance(getattr(item, f, None), str)
                         and float(old) in _numbers(getattr(item, f))]
                if found:
                    places.append(f"{kind} '{item.id}' ({', '.join(found)})")
        if places:
            name = change.field.split(".", 1)[1]
            value = f"{old:g}" if isinstance(old, float) else str(old)
            out.append(f"still written with the old {name} {value} in: " + "; ".join(places))
    return out


# --------------------------------------------------------------------------------------------
# the reasons of one automation


def _schedule_reasons(item: DueItem) -> None:
    s = item.schedule
    state = s.state
    if state == "never-reviewed":
        item.reasons.append(Reason("never_reviewed", f"never reviewed ({s.cadence} cadence)",
                                   WEIGHTS["never_reviewed"]))
    elif state in ("overdue", "due"):
        weeks = s.days_overdue // 7
        weight = WEIGHTS["cadence"] + min(OVERDUE_CAP, OVERDUE_PER_WEEK * weeks)
        when = (f"{plural(s.days_overdue, 'day')} overdue" if s.overdue else "due today")
        item.reasons.append(Reason(
            "cadence", f"{s.cadence} review due since {s.next_due.isoformat()} ({when}; last "
            f"reviewed {s.last_review.isoformat()})", weight))
    elif state == "no-cadence":
        item.reasons.append(Reason(
            "no_cadence", "no review cadence set (the article: at least quarterly) — set "
            "review.cadence, or review.default_cadence in livingsys.yaml",
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
    weight = min(INCIDENTS_CAP, sum(INCIDENT_WEIGHTS.get(i.severity, 20) for i in found))
    worst = found[0].severity
    when = "since the last review" if review is not None else "(never reviewed since)"
    opened = sum(1 for i in found if i.status == "open")
    text = (f"{plural(len(found), 'incident')} logged {when}, the worst {worst}"
            if len(found) > 1 else f"{worst} incident logged {when}")
    if opened:
        text += f" ({opened} still open)"
    item.reasons.append(Reason("incidents", text, weight,
                               details=[i.describe() for i in found], incidents=found))


def _unlisted_note(item: DueItem, unlisted: list[str]) -> str:
    """git knows ids of the file that its ``formerly`` does not list."""
    olds = ", ".join(f"'{i}'" for i in unlisted)
    listed = ", ".join(unlisted)
    return (f"git shows its file was named {olds} before, but it does not say `formerly: "
            f"[{listed}]`: add that to {item.path} so that lint, report and agenda follow the "
            "rename as review-due does (minutes, incidents and figures under the old id)")


def _in_review_commit(reader: _HistoryReader | None, baseline: Baseline | None
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
        item.notes.append(
            f"exception rate alert of {alert.period} already seen by the review of "
            f"{item.last_review.isoformat()} (not a reason to review again): {alert.message}")
        return
    reasons = list(alert.reasons)
    text, details = reasons[0], reasons[1:]
    if alert.above_threshold and alert.rising:
        text = f"{reasons[0]}, and rising {len(alert.run) - 1} months in a row"
    item.reasons.append(Reason("indicators", text, WEIGHTS["indicators"], details=details))


def _history_reasons(item: DueItem, automation: Automation, reader: _HistoryReader,
                     review: tuple[str, Any] | None, rule_paths: dict[str, str]) -> None:
    if review is not None:
        used_id, review_entry = review
        baseline, fault = reader.baseline(review_entry.model, review_entry.rel)
        if fault is not None:
            item.reasons.append(fault)
        if baseline is not None:
            item.baseline = baseline
            if baseline.source == "start":
                item.notes.append(
                    f"the review of {item.last_review.isoformat()} is older than the "
                    "registry's first commit: changes are counted from that commit")
            elif baseline.source == "date":
                if review_entry.model.registry_commit:
                    item.notes.append(
                        f"compared by date (--by-date): with the registry as it was on "
                        f"{item.last_review.isoformat()}")
                else:
                    item.notes.append(
                        f"{review_entry.rel} is not committed yet: compared with the registry "
                        f"as it was on {item.last_review.isoformat()}")
            _own_changes(item, reader, baseline, used_id)
            _shared_rule_changes(item, automation, reader, baseline, rule_paths)
            mine = [item.path] + [rule_paths.get(r, f"rules/{r}.yaml")
                                  for r in automation.uses_rules]
            broken = [rel for rel in mine if rel in reader.unreadable]
            if broken:
                item.reasons.append(Reason(
                    "unknown_baseline", f"cannot tell what changed in {', '.join(broken)} since "
                    "the last review: a version of it is not valid YAML",
                    WEIGHTS["unknown_baseline"], path=broken[0],
                    hint="run `livingsys lint` and fix the file, then commit it"))
    _uncommitted(item, automation, reader, rule_paths)


def _own_changes(item: DueItem, reader: _HistoryReader, baseline: Baseline,
                 used_id: str) -> None:
    rel = item.path
    base, head, lines, minor, commits = reader.changes(rel, baseline, diff_automation)
    if head is None:
        return  # never committed: the uncommitted reason says so
    if base is None or not base.exists:
        first = reader.history.first_version(rel)
        if first is not None and first.exists:
            item.notes.append(
                f"its file was first committed on {first.date.date().isoformat()}, after the "
                f"review of {item.last_review.isoformat()}: changes before that cannot be told "
                "from git")
            base, head, lines, minor, commits = reader.changes(
                rel, Baseline("registry_commit", first.commit.sha), diff_automation)
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
        text = f"renamed since the last review: {base.path} → {head.path}"
        if used_id != item.automation:
            text += f" (the minutes of {item.last_review.isoformat()} call it '{used_id}')"
        item.reasons.append(Reason(
            "renamed", text, WEIGHTS["renamed"], commits=by, path=rel,
            details=[f"renamed by {by[0].describe()}"] if by else [],
            hint=f"write '{item.automation}' in the next minutes; minutes, incidents and "
            f"indicators.csv rows under '{used_id}' still count for it (its `formerly`)"
            if used_id != item.automation else None))
    if lines:
        item.reasons.append(Reason(
            "changed", f"its own {_areas([ln.change for ln in lines])} changed since the last "
            f"review ({plural(len(lines), 'change')}, {plural(len(commits), 'commit')})",
            WEIGHTS["changed"], changes=lines, minor=minor, commits=commits, path=rel))
    elif minor:
        item.notes.append("edited since the last review without a change of behaviour (not a "
                          "reason to review it): " + "; ".join(_short(c) for c in minor))


def _shared_rule_changes(item: DueItem, automation: Automation, reader: _HistoryReader,
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
            "shared_rule", f"shared key rule '{rule_id}' changed since the last review "
            "(rule 3)", WEIGHTS["shared_rule"], details=details, changes=lines, minor=minor,
            commits=commits, path=rel, rule=rule_id))


def _old_values_before_the_review(item: DueItem, automation: Automation,
                                  reader: _HistoryReader, rel: str, rule_id: str) -> None:
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
        "old_value", f"still writes an old value of shared key rule '{rule_id}' (rule 3): "
        "it changed before the last review, the text did not follow", WEIGHTS["old_value"],
        details=details, commits=commits, path=item.path, rule=rule_id,
        hint=f"write the rule's current value in {item.path}, or better, name the shared "
        f"rule in the text and read rules.{rule_id.replace('-', '_')}.<parameter> in `when:`"))


def _uncommitted(item: DueItem, automation: Automation, reader: _HistoryReader,
                 rule_paths: dict[str, str]) -> None:
    registry = reader.registry
    files = [(item.path, "automation", diff_automation, reader.automation(item.automation))]
    for rule_id in automation.uses_rules:
        rel = rule_paths.get(rule_id, f"rules/{rule_id}.yaml")
        entry = next((e for e in registry.shared_rules if e.rel == rel), None)
        files.append((rel, f"shared rule '{rule_id}'", diff_shared_rule, entry))
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
            details.append(f"{rel}: new file, never committed"
                           + (" (staged)" if state == "added" else ""))
            continue
        if state == "deleted":
            paths.append(rel)
            details.append(f"{rel}: deleted, not committed")
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
        item.notes.append(f"{', '.join(quiet)}: edits not committed yet that change no "
                          "behaviour (layout, comments, wording or example cases) — commit "
                          "them")
    if not paths:
        return
    item.reasons.append(Reason(
        "uncommitted", f"uncommitted changes in {', '.join(paths)} (not in any commit yet)",
        WEIGHTS["uncommitted"], details=details, changes=lines, minor=minor,
        path=paths[0]))


# --------------------------------------------------------------------------------------------
# the whole registry


def review_due(registry: Registry | Path | str, as_of: dt.date | None = None, *,
               history: bool = True, by_date: bool = False) -> ReviewDueReport:
    """Every automation (not retired) with its reasons to be reviewed, most urgent first.

    ``as_of`` (default: today) moves the cadence, the incidents and the figures counted;
    changes are read from git up to the newest commit, plus the working tree.
    ``history=False`` leaves git out (and says so). ``by_date`` compares with the registry as
    it was on the review's date when the commit the minutes name is no longer in the history.
    Raises :class:`livingsys.history.HistoryError` when the history cannot be read.
    """
    from livingsys.reading.indicator_policy import rate_alerts

    as_of = as_of or dt.date.today()
    if not isinstance(registry, Registry):
        registry = load_registry(registry)
    settings = registry.settings.model if registry.settings else None
    organisation = settings.organisation if settings else Path(registry.root).resolve().name
    hist = None
    if history:
        from livingsys.history import open_history

        hist = open_history(registry.root)
    try:
        reader = _HistoryReader(hist, registry, by_date) if hist is not None else None
        info = (HistoryInfo(True, hist.head) if hist is not None else
                HistoryInfo(False, note="changes to the automations and to the shared rules "
                            "they use are not shown (--no-history)"))
        schedule = review_schedule(registry, as_of)
        reviews = _Reviews(registry, as_of)
        alerts = rate_alerts(registry, as_of)
        rule_paths = _rule_paths(registry)
        known = names(registry)
        items: list[DueItem] = []
        retired: list[str] = []
        for entry in registry.valid_automations:
            automation = entry.model
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
                from livingsys.tools.drift import review_reason

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

    try:
        return review_due(registry, as_of), None
    except HistoryError as exc:
        note = f"git history not read: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")
        return review_due(registry, as_of, history=False), note


__all__ = ["Baseline", "ChangeLine", "CommitRef", "DueItem", "HistoryInfo", "INCIDENT_WEIGHTS",
           "IncidentRef", "Reason", "ReviewDueReport", "WEIGHTS", "review_due",
           "review_due_or_without_history",
           "sends_to_clients", "stale_values"]
