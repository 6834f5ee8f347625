"""The version walk: the main line of the registry's commits, and each file's versions along
it, following renames, each attributed to the commit that wrote it.

See the decisions in :mod:`livingsys.history` (main line, renames, merges). :class:`Walk` is
built once from the commits and changes :func:`livingsys.history.gitlog.parse_log` read.
"""

from __future__ import annotations

from livingsys.history.gitlog import Change
from livingsys.history.model import ChangeKind, Commit, FileVersion, VersionSource


class Lineage:
    """The versions of one file, following renames."""

    __slots__ = ("versions", "paths", "indices")

    def __init__(self) -> None:
        self.versions: list[FileVersion] = []
        self.paths: set[str] = set()
        self.indices: list[int] = []  # main-line index of each version's commit


class Walk:
    """The main line (first parents of ``head``), which main-line commit brought each commit,
    and the lineage of every file path, from the commits of one ``git log``."""

    def __init__(self, commits: dict[str, Commit], changes: dict[str, list[Change]],
                 head: str, source: VersionSource) -> None:
        self.commits = commits
        self.changes = changes
        self.head = head
        self.source = source
        self.mainline: list[Commit] = []
        self.main_index: dict[str, int] = {}
        self.landing: dict[str, str] = {}  # any commit -> main-line commit that brought it
        self.by_path: dict[str, Lineage] = {}
        self.current: dict[str, Lineage] = {}

    def build(self, order: list[str]) -> None:
        """Find the main line and turn each of its commits' changes into versions."""
        commits = self.commits
        # the main line: first parents from the tip
        line: list[Commit] = []
        sha: str | None = self.head if self.head in commits else None
        if sha is None:  # HEAD does not touch the registry: its nearest ancestor that does
            has_child = {p for c in commits.values() for p in c.parents}
            sha = next((s for s in order if s not in has_child), order[0])
        while sha is not None and sha in commits:
            c = commits[sha]
            line.append(c)
            sha = c.parents[0] if c.parents else None
        line.reverse()
        self.mainline = line
        self.main_index = {c.sha: i for i, c in enumerate(line)}
        position = {s: i for i, s in enumerate(order)}  # 0 = newest
        landing = self.landing
        for c in line:
            landing[c.sha] = c.sha
        for index, c in enumerate(line):
            side: list[str] = []
            if c.is_merge:
                stack = [p for p in c.parents[1:] if p in commits]
                while stack:
                    s = stack.pop()
                    if s in landing:
                        continue
                    landing[s] = c.sha
                    side.append(s)
                    stack.extend(p for p in commits[s].parents if p in commits)
                side.sort(key=position.__getitem__)  # newest first
            self._apply(c, index, side)
        for path, lineage in self.current.items():
            self.by_path[path] = lineage

    def _apply(self, commit: Commit, index: int, side: list[str]) -> None:
        """Turn one main-line commit's changes into versions."""
        current = self.current
        plan: list[tuple[Change, Lineage]] = []
        for ch in self.changes[commit.sha]:
            lineage = None
            if ch.status != "A":
                lineage = current.get(ch.old_path or "")
            if lineage is None and ch.new_path is not None:
                # re-created after a deletion (or first seen at a shallow boundary)
                lineage = self.by_path.get(ch.new_path)
                if lineage is not None and (ch.new_path in current
                                            or lineage.versions[-1].exists):
                    lineage = None
            plan.append((ch, lineage or Lineage()))
        for ch, _ in plan:
            if ch.status in ("D", "R") and current.get(ch.old_path or "") is not None:
                del current[ch.old_path]  # type: ignore[arg-type]
        for ch, lineage in plan:
            kind: ChangeKind
            if ch.status == "A" or not lineage.versions:
                kind = "added"
            elif ch.status == "D":
                kind = "deleted"
            elif ch.status == "R":
                kind = "renamed"
            elif not lineage.versions[-1].exists:
                kind = "added"
            else:
                kind = "modified"
            path = ch.new_path if ch.new_path is not None else ch.old_path or ""
            authored_by: Commit = commit
            contributors: tuple[Commit, ...] = (commit,)
            if side:
                authored_by, contributors = self._attribute(commit, ch, side)
            version = FileVersion(
                path=path, change=kind, commit=commit, blob=ch.new_blob,
                old_path=ch.old_path if ch.status == "R" else None,
                authored_by=authored_by, contributors=contributors, _history=self.source)
            lineage.versions.append(version)
            lineage.indices.append(index)
            lineage.paths.add(path)
            if ch.old_path:
                lineage.paths.add(ch.old_path)
                self.by_path.setdefault(ch.old_path, lineage)
            self.by_path[path] = lineage
            if ch.new_path is not None:
                current[ch.new_path] = lineage

    def _attribute(self, merge: Commit, ch: Change,
                   side: list[str]) -> tuple[Commit, tuple[Commit, ...]]:
        """Which branch commits a merge brought in for this file, and which wrote its content."""
        paths = {p for p in (ch.new_path, ch.old_path) if p}
        found: list[Commit] = []
        author: Commit | None = None
        for sha in side:  # newest first
            c = self.commits[sha]
            if c.is_merge:
                continue
            for sc in self.changes[sha]:
                target = sc.new_path if sc.new_path is not None else sc.old_path
                if target not in paths:
                    continue
                found.append(c)
                if author is None and sc.new_blob == ch.new_blob:
                    author = c
                if sc.status == "R" and sc.old_path:
                    paths.add(sc.old_path)
                break
        if not found:
            return merge, (merge,)
        found.reverse()
        return author or merge, tuple(found)
