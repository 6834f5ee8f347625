"""The significant changes of one registry file over its whole git history, newest first.

``review-due`` and ``diff`` compare two points in time; the site (and anyone who wants "what
happened to this automation since it was written down") needs the whole story: each main-line
version of the file compared with the one before
(:func:`livingsys.history.semantic_diff.diff_file`),
keeping the versions that changed behaviour (rules, thresholds, owners, guardrails, status...)
with the commit that wrote them. Rewording and example cases are counted, not listed. A
version that is not valid YAML is named as such and the next one is compared with the last
readable one.

    with open_history("registry") as history:
        for entry in changelog(history, "automations/payment-reminders.yaml"):
            print(entry.commit.describe(), [c.describe() for c in entry.changes])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from livingsys.history.model import CommitRef
from livingsys.history.semantic_diff import Change, diff_file

if TYPE_CHECKING:
    from livingsys.history import History


@dataclass(frozen=True)
class ChangelogEntry:
    """One version of a file that changed something that matters (or created, renamed,
    deleted the file, or could not be read)."""

    commit: CommitRef
    #: The file's path at this version (relative to the registry) and how git saw it:
    #: added, modified, renamed (from ``old_path``) or deleted.
    path: str
    change: str
    old_path: str | None = None
    #: The significant changes, in domain words.
    changes: list[Change] = field(default_factory=list)
    #: How many rewordings and example cases changed in the same version.
    minor: int = 0
    #: False when this version is not valid YAML (so it was not compared).
    readable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"commit": self.commit.to_dict(), "path": self.path, "change": self.change,
                "old_path": self.old_path, "changes": [c.to_dict() for c in self.changes],
                "minor": self.minor, "readable": self.readable}


def changelog(history: History, path: str, *, head_data: Any = None) -> list[ChangelogEntry]:
    """The versions of ``path`` (through renames) that matter, newest first.

    ``head_data``: the file's data as already read from the working tree, when the working
    copy is the newest commit's (no uncommitted change): that version is then not read from
    git and parsed again."""
    versions = history.versions(path)
    out: list[ChangelogEntry] = []
    previous: Any = None
    for index, version in enumerate(versions):
        commit = CommitRef.of_version(version)
        old_path = version.old_path if version.change == "renamed" else None
        if not version.exists:
            out.append(ChangelogEntry(commit, version.path, "deleted"))
            previous = None
            continue
        data = head_data if head_data is not None and index == len(versions) - 1 \
            else version.data
        if data is None:
            out.append(ChangelogEntry(commit, version.path, version.change, old_path,
                                      readable=False))
            continue
        changes = diff_file(version.path, previous, data)
        significant = [c for c in changes if c.significant]
        previous = data
        if significant or old_path is not None:
            out.append(ChangelogEntry(commit, version.path, version.change, old_path,
                                      significant, len(changes) - len(significant)))
    out.reverse()
    return out


def changelogs(history: History, files: dict[str, Any]) -> dict[str, list[ChangelogEntry]]:
    """:func:`changelog` of many files (path -> its data as read from the working tree, or
    None), the texts of their older versions read from git in one go."""
    uncommitted = history.uncommitted()
    heads = {path: data for path, data in files.items()
             if data is not None and path not in uncommitted}
    history.prefetch(v for path in files for v in
                     (history.versions(path)[:-1] if path in heads else history.versions(path)))
    return {path: changelog(history, path, head_data=heads.get(path)) for path in files}


__all__ = ["ChangelogEntry", "changelog", "changelogs"]
