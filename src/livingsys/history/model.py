"""What the history is made of: commits, the versions of a file, and a commit in a few words.

:class:`Commit` is one commit as git log gives it; :class:`FileVersion` one state of one
registry file on the main line, with the commit that brought it and the one that wrote it;
:class:`CommitRef` is what a report says of a commit (who, when, why).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from livingsys.reading.yamlsource import YamlDocument

ChangeKind = Literal["added", "modified", "renamed", "deleted"]
UncommittedKind = Literal["modified", "added", "deleted", "untracked"]


class VersionSource(Protocol):
    """Where a :class:`FileVersion` reads its content (the :class:`~livingsys.history.History`
    it came from)."""

    def read_blob(self, blob: str) -> bytes | None: ...

    def document(self, version: FileVersion) -> YamlDocument: ...


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit: who, when, why."""

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored: dt.datetime
    """Author date, timezone-aware (when the change was written)."""
    committed: dt.datetime
    """Committer date, timezone-aware (when it was committed, merged or rebased)."""
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def author(self) -> str:
        return f"{self.author_name} <{self.author_email}>" if self.author_email \
            else self.author_name

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha": self.sha,
            "parents": list(self.parents),
            "author_name": self.author_name,
            "author_email": self.author_email,
            "authored": self.authored.isoformat(),
            "committed": self.committed.isoformat(),
            "subject": self.subject,
        }


@dataclass(eq=False, slots=True, repr=False)
class FileVersion:
    """One version of one registry file on the main line.

    ``commit`` is the main-line commit where the version appeared (a merge commit when it came
    from a branch); ``authored_by`` the commit that wrote this content (the same commit, or the
    branch commit a merge brought in); ``contributors`` every commit that led to it, oldest
    first. The text is read from git only when :attr:`text` or :attr:`document` is used.
    """

    path: str
    """Path relative to the registry folder, at this version (after a rename: the new one)."""
    change: ChangeKind
    commit: Commit
    blob: str | None
    """Git blob id of the content; None for a deletion."""
    old_path: str | None = None
    """For a rename: the previous path."""
    authored_by: Commit = None  # type: ignore[assignment]  # set in __post_init__
    contributors: tuple[Commit, ...] = ()
    _history: VersionSource | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.authored_by is None:
            self.authored_by = self.commit
        if not self.contributors:
            self.contributors = (self.authored_by,)

    def __repr__(self) -> str:
        via = f" via {self.commit.short}" if self.commit.is_merge else ""
        blob = self.blob[:10] if self.blob else None
        return (f"FileVersion({self.path!r}, {self.change}, {self.sha[:10]}{via}, "
                f"blob={blob})")

    # who / when / why: those of the commit that wrote the content
    @property
    def sha(self) -> str:
        return self.authored_by.sha

    @property
    def author_name(self) -> str:
        return self.authored_by.author_name

    @property
    def author_email(self) -> str:
        return self.authored_by.author_email

    @property
    def date(self) -> dt.datetime:
        """When the change was written (author date of :attr:`authored_by`)."""
        return self.authored_by.authored

    @property
    def landed(self) -> dt.datetime:
        """When the version reached the main line (committer date of :attr:`commit`)."""
        return self.commit.committed

    @property
    def subject(self) -> str:
        return self.authored_by.subject

    @property
    def via_merge(self) -> str | None:
        """The merge commit that brought this version to the main line, if any."""
        return self.commit.sha if self.commit.is_merge else None

    @property
    def exists(self) -> bool:
        return self.blob is not None

    # content, read lazily
    @property
    def raw(self) -> bytes | None:
        if self.blob is None or self._history is None:
            return None
        return self._history.read_blob(self.blob)

    @property
    def text(self) -> str | None:
        """The file's text at this version (None when deleted or not UTF-8)."""
        if self.blob is None or self._history is None:
            return None
        return self._history.document(self).text

    @property
    def document(self) -> YamlDocument | None:
        """The parsed version, with its findings (cached per content); None when deleted."""
        if self.blob is None or self._history is None:
            return None
        return self._history.document(self)

    @property
    def data(self) -> Any:
        doc = self.document
        return doc.data if doc is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "change": self.change,
            "old_path": self.old_path,
            "blob": self.blob,
            "commit": self.commit.sha,
            "via_merge": self.via_merge,
            "sha": self.sha,
            "author_name": self.author_name,
            "author_email": self.author_email,
            "date": self.date.isoformat(),
            "landed": self.landed.isoformat(),
            "subject": self.subject,
            "contributors": [c.sha for c in self.contributors],
        }


@dataclass(frozen=True)
class CommitRef:
    """Who changed something, when, and why (the commit's subject)."""

    sha: str
    author: str
    date: dt.datetime
    subject: str
    via_merge: str | None = None

    @property
    def short(self) -> str:
        return self.sha[:10]

    @classmethod
    def of_commit(cls, commit: Commit) -> CommitRef:
        return cls(commit.sha, commit.author_name, commit.authored, commit.subject)

    @classmethod
    def of_version(cls, version: FileVersion) -> CommitRef:
        return cls(version.sha, version.author_name, version.date, version.subject,
                   version.via_merge)

    def describe(self) -> str:
        """'41ea9f5001 Claire Moreau, 2026-11-25: Lower the threshold' (in French, the date
        as French writes it)."""
        from livingsys import i18n

        return i18n._("{commit} {author}, {date}: {subject}").format(
            commit=self.short, author=self.author, date=i18n.day(self.date.date()),
            subject=self.subject)

    def to_dict(self) -> dict[str, Any]:
        return {"sha": self.sha, "short": self.short, "author": self.author,
                "date": self.date.isoformat(), "subject": self.subject,
                "via_merge": self.via_merge}
