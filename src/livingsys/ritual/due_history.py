"""What ``review-due`` asks git, from one :class:`~livingsys.history.History`: the baseline of
the last review, and what changed in a file since, each change with the commit that made it.

The texts of many versions are read a window at a time, and automation versions are compared
entry by entry when that is sure (:class:`TopLevel`): older versions are neither parsed nor
compared once every change has its commit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from livingsys import i18n
from livingsys.history.model import CommitRef
from livingsys.history.semantic_diff import Change, diff_automation, identical
from livingsys.i18n import _
from livingsys.reading.toplevel import TopLevelSplitter
from livingsys.ritual.due_reasons import WEIGHTS, Baseline, ChangeLine, Reason

if TYPE_CHECKING:
    from livingsys.history import FileVersion, History, HistoryError
    from livingsys.models import Review
    from livingsys.reading.registry import Registry
    from livingsys.reading.yamlsource import YamlDocument


def _key(change: Change) -> tuple:
    return (change.area, change.item, change.field)


class HistoryReader:
    """Everything review-due asks git, from one History."""

    def __init__(self, history: History, registry: Registry, by_date: bool) -> None:
        self.history = history
        self.registry = registry
        self.by_date = by_date
        self.uncommitted = history.uncommitted()
        #: Files with a version that is not valid YAML: not compared (said in a note).
        self.unreadable: set[str] = set()
        self.first = history.mainline[0] if history.mainline else None
        # the automations as the registry read them: their committed versions need no
        # second parse when the file is unchanged since
        self.top = TopLevel(history, {e.rel: e.doc for e in registry.automations})

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
        # values; see TopLevel), most entries then parsed already.
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
                   top: TopLevel | None = None) -> list[ChangeLine]:
        """Each change with the newest commit that touched the same item and field.

        Walks from the newest version back and stops once every change has its commit: the
        older versions are then neither parsed nor compared. Their texts are read a window
        at a time (one ``git cat-file`` round trip per window instead of one per version).
        Two versions whose parts the changes still without a commit live in are the same (the
        same text, see :class:`TopLevel`, or the same data) are not compared."""
        wanted = {_key(c) for c in changes}
        found: dict[tuple, CommitRef] = {}
        sections = area_sections(wanted) if differ is diff_automation else None
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
            if sections is not None and isinstance(previous, dict) and isinstance(data, dict):
                old_part = {k: previous[k] for k in sections if k in previous}
                new_part = {k: data[k] for k in sections if k in data}
                if identical(old_part, new_part):
                    continue  # the parts the wanted changes live in are the same: nothing found
                # the wanted changes' areas are read from those keys alone: compare only them
                previous, data = old_part, new_part
            touched = {_key(c) for c in differ(previous, data)}
            new_found = (wanted & touched) - found.keys()
            for key in new_found:
                found[key] = CommitRef.of_version(versions[i])
            if new_found and sections is not None:
                sections = area_sections(wanted - found.keys())  # only where the rest lives
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


def _data(version: FileVersion | None, top: TopLevel | None) -> Any:
    """A version's data, from its top-level entries when that is sure (see TopLevel)."""
    if version is None or not version.exists:
        return None
    if top is not None:
        data = top.data(version)
        if data is not None:
            return data
    return version.data


class TopLevel:
    """The top-level entries of each version of a file, split once per content (see
    :class:`~livingsys.reading.toplevel.TopLevelSplitter` for when the split is sure)."""

    def __init__(self, history: History, read: dict[str, YamlDocument] | None = None) -> None:
        self.history = history
        #: Files already read from the working tree (registry path -> what was read).
        self.read = read or {}
        self._by_blob: dict[str, dict[str, str] | None] = {}
        self._splitter = TopLevelSplitter()

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
        assert version.blob is not None
        raw = self.history.read_blob(version.blob)
        if raw is None:
            return None
        doc = self.read.get(version.path)
        if doc is not None and not doc.findings and doc.text is not None \
                and doc.text.encode("utf-8") == raw:
            return self._splitter.split(raw, version.path, whole=doc.data)
        return self._splitter.split(raw, version.path)

    def data(self, version: FileVersion) -> dict[str, Any] | None:
        """The version's data put together from its entries (the same values as parsing the
        whole file), or None when the split is not sure."""
        parts = self.parts(version)
        if parts is None:
            return None
        return self._splitter.data(parts)


#: The top-level keys of an automation file that diff_automation reads for each area (the
#: areas not listed — identity, wording, other — depend on the whole file).
AREA_SECTIONS: dict[str, tuple[str, ...]] = {
    "status": ("status", "status_reason", "status_since"), "owner": ("owner", "maintainer"),
    "trigger": ("trigger",), "perimeter": ("perimeter",), "uses_rules": ("uses_rules",),
    "rule": ("rules",), "exception": ("exceptions",), "guardrail": ("guardrails",),
    "step": ("steps",), "content": ("content",), "fact": ("facts",), "review": ("review",),
    "waiver": ("waivers",), "scenario": ("scenarios",),
}


def area_sections(wanted: set[tuple]) -> tuple[str, ...] | None:
    """The top-level keys the wanted changes' areas are read from (None: the whole file)."""
    out: set[str] = set()
    for area, _item, _field in wanted:
        keys = AREA_SECTIONS.get(area)
        if keys is None:
            return None
        out.update(keys)
    return tuple(sorted(out))


def _unique(commits: list[CommitRef]) -> list[CommitRef]:
    seen: dict[str, CommitRef] = {}
    for c in commits:
        seen.setdefault(c.sha, c)
    return list(seen.values())


def _rewritten(review: Review, review_rel: str, exc: HistoryError) -> Reason:
    commit = review.registry_commit or ""
    if exc.kind == "missing_commit":
        text = _("cannot tell what changed since the last review: the review of {day} refers "
                 "to commit {commit}, which is no longer in the history — someone rewrote it "
                 "(rebase, amend, force-push)")
    else:
        text = _("cannot tell what changed since the last review: the review of {day} refers "
                 "to commit {commit}, which is not in the history of the current branch — "
                 "someone rewrote it (rebase, amend, force-push)")
    day = i18n.day(review.date)
    return Reason(
        "unknown_baseline", text.format(day=day, commit=commit[:10]),
        WEIGHTS["unknown_baseline"], path=review_rel,
        hint=_("run `livingsys review-due --by-date` to compare with the registry as it was on "
               "{day} instead, or set registry_commit in {file} to the commit the meeting "
               "looked at (`git log --oneline`)").format(day=day, file=review_rel))
