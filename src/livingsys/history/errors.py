"""The one error of the history reader: what went wrong, in plain words, and what to do.

Every problem reading git (no git, no repository, a shallow clone, an unknown commit, git
failing) is a :class:`HistoryError` with a ``kind`` the commands can test and a ``hint``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from livingsys.i18n import N_, _

ErrorKind = Literal["no_git", "not_found", "no_repo", "no_commits", "shallow", "missing_commit",
                    "not_in_history", "git_failed"]

#: What to do about a shallow clone (also said for a commit a shallow clone lacks).
FETCH_HINT = N_("fetch the whole history: run `git fetch --unshallow`, or in CI check out "
                "with full history (GitHub Actions: `actions/checkout` with `fetch-depth: 0`; "
                "GitLab: `GIT_DEPTH: 0`)")


class HistoryError(Exception):
    """The history cannot be read, said plainly: ``kind``, ``message`` and what to do."""

    def __init__(self, kind: ErrorKind, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message, "hint": self.hint}



def shallow_error() -> HistoryError:
    """The ``shallow`` error: a shallow clone cannot tell a change from a creation."""
    return HistoryError(
        "shallow", _("this is a shallow clone: only the last commits are there, so changes "
                     "since the last review cannot be told apart from the creation of the "
                     "files"), _(FETCH_HINT))


def no_git() -> HistoryError:
    """The ``no_git`` error: git is not installed."""
    return HistoryError("no_git", _("git is not installed (or not on the PATH)"),
                        _("install git (https://git-scm.com) and try again"))


def bare_repository(folder: Path) -> HistoryError:
    """The ``no_repo`` error of a folder inside a bare repository."""
    return HistoryError("no_repo", _("'{folder}' is inside a bare git repository").format(
        folder=folder), _("work in a clone that has a working tree"))


def no_folder(folder: Path, hint: str) -> HistoryError:
    """The ``not_found`` error: the registry's folder does not exist."""
    return HistoryError("not_found", _("the registry folder '{folder}' does not exist").format(
        folder=folder), hint)


def git_failed(exc: Exception, root: Path) -> HistoryError:
    """A git command failed: its own fatal line, and what to do (a word on `safe.directory`
    when git refuses a repository owned by someone else)."""
    stderr = getattr(exc, "stderr", "") or str(exc)
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    lines = [ln.strip() for ln in str(stderr).splitlines() if ln.strip()]
    detail = next((ln.removeprefix("stderr: ").strip("' ") for ln in lines
                   if "fatal" in ln or "error" in ln), lines[-1] if lines else "unknown error")
    hint = _("run `git status` in the repository to see what git says")
    if "dubious ownership" in str(stderr):
        hint = _("mark the repository as safe: `git config --global --add safe.directory "
                 "{root}`").format(root=root)
    return HistoryError("git_failed", _("git could not read the history: {detail}").format(
        detail=detail), hint)

