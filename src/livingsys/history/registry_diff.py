"""`livingsys diff`: what changed in the registry between two revisions, in the domain's words.

Not a text diff: each registry file is parsed on both sides and compared with
:mod:`livingsys.history.semantic_diff` — automations (rules, exceptions, guardrails, owners...),
shared
key rules (statement, parameters), and the other files field by field. A comment, a re-wrapped
paragraph or a key moved is not a change (such files are counted as "layout only"). Renames
are followed; minutes and incidents added are summed up in a line; indicators.csv by rows.

    result = registry_diff("registry", "HEAD~3", None)   # HEAD~3 vs the working tree
    for file in result.files:
        print(file.path, [c.describe() for c in file.changes])
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from livingsys import i18n
from livingsys.history.model import CommitRef
from livingsys.history.semantic_diff import Change, diff_file
from livingsys.i18n import _, ngettext
from livingsys.reading.yamlsource import TOO_LARGE

if TYPE_CHECKING:
    from livingsys.history import FileVersion, History
    from livingsys.reading.registry import Registry

FileKind = Literal["automation", "rule", "review", "incident", "settings", "people",
                   "indicators"]
Status = Literal["added", "removed", "modified", "renamed"]

WORKTREE = "working tree"
_YAML = (".yaml", ".yml")


class DiffError(Exception):
    """A usage problem (bad revision range, unknown automation), with a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def file_kind(path: str) -> FileKind | None:
    """What a registry file is, from where it lives; None for files livingsys does not read."""
    folder, _, name = path.rpartition("/")
    if folder == "" and name in ("livingsys.yaml", "livingsys.yml"):
        return "settings"
    if folder == "" and name in ("people.yaml", "people.yml"):
        return "people"
    if folder == "" and name == "indicators.csv":
        return "indicators"
    if not name.endswith(_YAML) or name.startswith("."):
        return None
    return {"automations": "automation", "rules": "rule", "reviews": "review",
            "incidents": "incident"}.get(folder)  # type: ignore[return-value]


@dataclass(frozen=True)
class Side:
    """One end of the comparison: a commit, or the working tree."""

    rev: str
    commit: CommitRef | None = None

    @property
    def worktree(self) -> bool:
        return self.rev == WORKTREE

    def describe(self) -> str:
        if self.worktree:
            return _("the working tree")
        if self.commit is None:
            return _("{rev} (before the registry's first commit)").format(rev=self.rev)
        about = _("{sha}, {date} “{subject}”").format(
            sha=self.commit.short, date=i18n.day(self.commit.date.date()),
            subject=self.commit.subject)
        if self.commit.sha.startswith(self.rev.lower()):
            return about
        return _("{rev} (registry as of {commit})").format(rev=self.rev, commit=about)

    def to_dict(self) -> dict[str, Any]:
        return {"rev": self.rev, "commit": self.commit.to_dict() if self.commit else None}


@dataclass
class FileDiff:
    path: str
    kind: FileKind
    status: Status
    old_path: str | None = None
    changes: list[Change] = field(default_factory=list)
    #: For a file added or removed whole (minutes, incidents, people...): what it is.
    summary: str | None = None
    commits: list[CommitRef] = field(default_factory=list)
    #: Part of the change is in the working tree only.
    uncommitted: bool = False
    #: For a shared rule: the automations that use it (rule 3).
    used_by: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        return self.summary is not None or any(c.significant for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old_path": self.old_path, "kind": self.kind,
                "status": self.status, "summary": self.summary,
                "significant": self.significant,
                "changes": [c.to_dict() for c in self.changes],
                "commits": [c.to_dict() for c in self.commits],
                "uncommitted": self.uncommitted, "used_by": self.used_by}


@dataclass
class RegistryDiff:
    registry: str
    old: Side
    new: Side
    files: list[FileDiff]
    #: Files whose text changed but not their content (comments, layout, key order).
    layout_only: list[str] = field(default_factory=list)
    automation: str | None = None
    shallow: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"registry": self.registry, "from": self.old.to_dict(),
                "to": self.new.to_dict(), "automation": self.automation,
                "files": [f.to_dict() for f in self.files], "layout_only": self.layout_only,
                "shallow": self.shallow}


# --------------------------------------------------------------------------------------------


def parse_range(spec: str | None) -> tuple[str, str | None]:
    """'A..B' -> (A, B); 'A..' -> (A, HEAD); '..B' -> (HEAD, B); 'A' -> (A, working tree);
    nothing -> (HEAD, working tree). None stands for the working tree."""
    if spec is None or spec == "":
        return "HEAD", None
    if "..." in spec:
        raise DiffError(_("'{range}': three dots (A...B) are not supported").format(
            range=spec), _("compare two revisions with A..B, or one revision with the working "
                           "tree with A"))
    if ".." in spec:
        old, new = spec.split("..", 1)
        return old or "HEAD", new or "HEAD"
    return spec, None


def _summary(kind: FileKind, data: Any) -> str:
    if not isinstance(data, dict):
        return _("file")
    if kind == "review":
        ids = [str(a.get("id")) for a in data.get("automations") or [] if isinstance(a, dict)]
        return _("minutes of the review of {date}: {automations}").format(
            date=_date(data.get("date")), automations=", ".join(ids) if ids
            else _("no automation"))
    if kind == "incident":
        summary = " ".join(str(data.get("summary", "")).split())
        return _("incident of {date} on {automation} ({severity}): {summary}").format(
            date=_date(data.get("date")), automation=data.get("automation"),
            severity=data.get("severity", "medium"), summary=summary)
    if kind == "people":
        count = len(data.get("people") or [])
        if i18n.language() == "en":
            return f"{count} people"
        return ngettext("{n} person", "{n} people", count).format(n=count)
    if kind == "settings":
        return _("settings of {organisation}").format(organisation=data.get("organisation"))
    return _("file")


def _date(value: Any) -> Any:
    """A date read from YAML as a sentence writes it ('2026-11-18' / '18 novembre 2026')."""
    import datetime as dt

    if i18n.language() == "en":  # as the file says it, as always
        return value
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return i18n.day(value)
    return value


def _csv_rows(raw: bytes | None) -> dict[tuple[str, str], tuple[str, ...]]:
    if raw is None:
        return {}
    from livingsys.reading.indicators import decode

    text, _ = decode(raw, "indicators.csv")
    if text is None:
        return {}
    lines = text.lstrip("\ufeff").splitlines()
    if lines and lines[0].lower().startswith("sep="):
        lines = lines[1:]
    header = lines[0] if lines else ""
    delimiter = max((",", ";", "\t"), key=header.count)
    rows: dict[tuple[str, str], tuple[str, ...]] = {}
    for cells in list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))[1:]:
        cells = [c.strip() for c in cells]
        if len(cells) >= 2 and any(cells):
            rows[(cells[0], cells[1])] = tuple(cells[2:])
    return rows


def _why_unreadable(version: FileVersion | None) -> str | None:
    """What keeps a version read from git from being compared (too large, not UTF-8...)."""
    doc = version.document if version is not None else None
    if doc is None:  # no version, or a deletion
        return None
    found = next((f for f in doc.findings if f.code == TOO_LARGE), None)
    return f"{found.message} ({found.code})" if found else None


def _indicator_changes(old: bytes | None, new: bytes | None) -> str | None:
    """'4 rows added (2026-11); 1 row changed (2026-10)', or None when no figure changed."""
    before, after = _csv_rows(old), _csv_rows(new)
    parts = []
    for label, keys in (("added", [k for k in after if k not in before]),
                        ("changed", [k for k in after if k in before and after[k] != before[k]]),
                        ("removed", [k for k in before if k not in after])):
        if keys:
            periods = sorted({k[1] for k in keys})
            span = periods[0] if len(periods) == 1 else _("{first} to {last}").format(
                first=periods[0], last=periods[-1])
            n = len(keys)
            if i18n.language() == "en":  # English has always said '0 rows', '1 row'
                text = f"{n} row{'s' if n != 1 else ''} of figures {label} ({span})"
            else:
                text = {"added": ngettext("{n} row of figures added ({span})",
                                          "{n} rows of figures added ({span})", n),
                        "changed": ngettext("{n} row of figures changed ({span})",
                                            "{n} rows of figures changed ({span})", n),
                        "removed": ngettext("{n} row of figures removed ({span})",
                                            "{n} rows of figures removed ({span})", n),
                        }[label].format(n=n, span=span)
            parts.append(text)
    return "; ".join(parts) or None


class _Worktree:
    """The registry's files as they are on disk."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.root = Path(registry.root)
        self.files: dict[str, Any] = {}
        for entries in (registry.automations, registry.shared_rules, registry.reviews,
                        registry.incidents):
            for entry in entries:
                self.files[entry.rel] = entry.doc.data
        for single in (registry.settings, registry.people_file):
            if single is not None:
                self.files[single.rel] = single.doc.data
        if (self.root / "indicators.csv").is_file():
            self.files["indicators.csv"] = None  # read as bytes when needed

    def raw(self, rel: str) -> bytes | None:
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            return None


def registry_diff(registry: Registry | Path | str, old_rev: str = "HEAD",
                  new_rev: str | None = None, *, automation: str | None = None
                  ) -> RegistryDiff:
    """The registry's changes from ``old_rev`` to ``new_rev`` (None: the working tree).

    Raises :class:`livingsys.history.HistoryError` when the history cannot be read or a
    revision is unknown, :class:`DiffError` for an unknown automation."""
    from livingsys.history import open_history
    from livingsys.reading.registry import as_registry

    registry = as_registry(registry)
    history = open_history(registry.root, allow_shallow=True)
    try:
        return _diff(history, registry, old_rev, new_rev, automation)
    finally:
        history.close()


def _side(history: History, rev: str) -> tuple[Side, str | None]:
    sha = history.resolve(rev)
    commit = history.commit(sha) if sha else None
    return Side(rev, CommitRef.of_commit(commit) if commit else None), sha


def _diff(history: History, registry: Registry, old_rev: str, new_rev: str | None,
          automation: str | None) -> RegistryDiff:
    old_side, old_sha = _side(history, old_rev)
    if new_rev is None:
        new_side, new_sha = Side(WORKTREE), None
        worktree: _Worktree | None = _Worktree(registry)
        uncommitted = history.uncommitted()
    else:
        new_side, new_sha = _side(history, new_rev)
        worktree, uncommitted = None, {}

    def at(path: str, sha: str | None) -> FileVersion | None:
        if sha is None:
            return None
        version = history.version_at(path, sha)
        return version if version is not None and version.exists else None

    pairs: list[tuple[str | None, str | None, Any, Any, bytes | None, bytes | None,
                      FileVersion | None, FileVersion | None]] = []
    claimed: set[str] = set()
    for latest in history.files(include_deleted=True):
        old_v = at(latest, old_sha)
        if worktree is None:
            new_v = at(latest, new_sha)
            new_path = new_v.path if new_v else None
            new_data = new_v.data if new_v else None
            new_raw = new_v.raw if new_v and new_v.path == "indicators.csv" else None
        else:
            current = history.current(latest)
            new_v = None
            new_path = current.path if current is not None and current.exists else None
            if new_path is not None and new_path not in worktree.files:
                new_path = None  # deleted (or unreadable) in the working tree
            if new_path is not None:
                claimed.add(new_path)
                if new_path not in uncommitted:
                    new_v = current  # the working copy is the committed one
            new_data = worktree.files.get(new_path) if new_path else None
            new_raw = worktree.raw(new_path) if new_path == "indicators.csv" else None
        old_path = old_v.path if old_v else None
        if old_path is None and new_path is None:
            continue
        if old_v is not None and new_v is not None and old_v.blob == new_v.blob \
                and old_v.path == new_path:
            continue
        old_raw = old_v.raw if old_v and old_v.path == "indicators.csv" else None
        pairs.append((old_path, new_path, old_v.data if old_v else None, new_data,
                      old_raw, new_raw, old_v, new_v))
    if worktree is not None:
        for rel, data in worktree.files.items():
            if rel not in claimed:
                raw = worktree.raw(rel) if rel == "indicators.csv" else None
                pairs.append((None, rel, None, data, None, raw, None, None))

    used_by: dict[str, list[str]] = {}
    for entry in registry.valid_automations:
        model = entry.model
        assert model is not None  # valid_automations lists only the ones that parsed
        for rule_id in model.uses_rules:
            used_by.setdefault(rule_id, []).append(model.id)

    files: list[FileDiff] = []
    layout_only: list[str] = []
    for old_path, new_path, old_data, new_data, old_raw, new_raw, old_v, new_v in pairs:
        path = new_path or old_path
        assert path is not None
        kind = file_kind(path)
        if kind is None:
            continue
        status: Status = ("added" if old_path is None else "removed" if new_path is None
                          else "renamed" if old_path != new_path else "modified")
        result = FileDiff(path, kind, status, old_path if status == "renamed" else None)
        if kind == "indicators":
            result.summary = _indicator_changes(old_raw, new_raw)
            if not result.summary and status == "modified":
                layout_only.append(path)
                continue
        elif (old_path is not None and old_data is None) or (new_path is not None
                                                             and new_data is None):
            now = new_path is not None and new_data is None
            result.summary = (
                _("the file cannot be read as YAML now, so it is not compared (`livingsys "
                  "lint` says why)") if now else
                _("the file cannot be read as YAML in that version, so it is not compared "
                  "(`livingsys lint` says why)"))
            version = new_v if now else old_v
            why = _why_unreadable(version)
            if why:
                result.summary = (_("after the change, {why}, so it is not compared") if now
                                  else _("before the change, {why}, so it is not compared")
                                  ).format(why=why)
        elif status in ("added", "removed") and kind not in ("automation", "rule"):
            result.summary = _summary(kind, new_data if status == "added" else old_data)
        else:
            result.changes = diff_file(path, old_data, new_data)
            if not result.changes and status != "renamed":
                layout_only.append(path)
                continue
        # who changed it
        lookup = path
        until = new_sha if worktree is None else None
        versions = history.versions_between(lookup, old_v if old_v is not None else old_sha,
                                            until) if history.versions(lookup) else []
        commits: dict[str, CommitRef] = {}
        for version in versions:
            for contributor in version.contributors:
                commits.setdefault(contributor.sha, CommitRef.of_commit(contributor))
        result.commits = list(commits.values())
        if worktree is not None and (new_path in uncommitted or old_path in uncommitted):
            result.uncommitted = True
        if kind == "rule":
            rule_id = Path(path).stem
            result.used_by = used_by.get(rule_id, [])
        files.append(result)

    if automation is not None:
        files, layout_only = _only(automation, files, layout_only, registry, history, pairs)
    order = {"rule": 0, "automation": 1, "settings": 2, "people": 3, "incident": 4,
             "review": 5, "indicators": 6}
    files.sort(key=lambda f: (order[f.kind], f.path))
    return RegistryDiff(registry.display_root, old_side, new_side, files, sorted(layout_only),
                        automation, history.shallow)


def _only(automation: str, files: list[FileDiff], layout_only: list[str],
          registry: Registry, history: History, pairs) -> tuple[list[FileDiff], list[str]]:
    """Keep what concerns one automation: its file (through renames), its shared rules,
    the minutes and incidents that name it."""
    from livingsys.reading.validation import did_you_mean

    names: set[str] = {automation}
    paths: set[str] = set()
    rules: set[str] = set()
    entry = registry.automation(automation)
    if entry is not None:
        paths.add(entry.rel)
        if entry.model is not None:
            rules.update(entry.model.uses_rules)
    for rel in (f"automations/{automation}.yaml", f"automations/{automation}.yml"):
        for version in history.versions(rel):
            paths.update(p for p in (version.path, version.old_path) if p)
    if not paths:
        known = {e.model.id if e.model else e.stem for e in registry.automations}
        known |= {Path(p).stem for p in history.files(include_deleted=True, under="automations")}
        guess = did_you_mean(automation, known)
        message = (_("automation '{id}' is neither in the registry nor in its history — did "
                     "you mean '{guess}'?") if guess else
                   _("automation '{id}' is neither in the registry nor in its history"))
        raise DiffError(message.format(id=automation, guess=guess), _(
            "the ids are the file names in automations/ (`ls {folder}`)").format(
                folder=registry.display("automations")))
    names.update(Path(p).stem for p in paths)
    for old_path, new_path, old_data, new_data, *_rest in pairs:
        if any(p in paths for p in (old_path, new_path) if p):
            for data in (old_data, new_data):
                if isinstance(data, dict) and isinstance(data.get("uses_rules"), list):
                    rules.update(str(r) for r in data["uses_rules"])

    def mine(file: FileDiff, data_names: set[str]) -> bool:
        if file.kind == "automation":
            return file.path in paths or (file.old_path or "") in paths
        if file.kind == "rule":
            return Path(file.path).stem in rules
        if file.kind in ("review", "incident"):
            return bool(data_names & names)
        return False

    def named(file: FileDiff) -> set[str]:
        for old_path, new_path, old_data, new_data, *_rest in pairs:
            if (new_path or old_path) == file.path:
                found: set[str] = set()
                for data in (old_data, new_data):
                    if not isinstance(data, dict):
                        continue
                    if file.kind == "incident":
                        found.add(str(data.get("automation")))
                    for item in data.get("automations") or []:
                        if isinstance(item, dict):
                            found.add(str(item.get("id")))
                return found
        return set()

    kept = [f for f in files if mine(f, named(f) if f.kind in ("review", "incident") else set())]
    kept_layout = [p for p in layout_only if p in paths or Path(p).stem in rules
                   and p.startswith("rules/")]
    return kept, kept_layout

