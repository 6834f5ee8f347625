"""The registry's git history, read in one pass.

``review-due``, ``diff`` and ``agenda`` need to know which versions each registry file had,
which commit introduced each, who wrote it and when. This module reads that from git with
**one** ``git log`` over the registry folder (``--raw -M -z``: every change with its blob ids,
renames detected) and **one** persistent ``git cat-file --batch`` process that returns the
text of a version only when someone asks for it (each distinct blob is read once, and parsed
once). It never prints: problems are raised as :class:`HistoryError` with a plain message and
a hint saying what to do.

Decisions
---------
Main line (first parent)
    A file's *versions* are the states it had **on the main line**: the first-parent chain of
    ``HEAD``. That is the only order in which "the version in effect on a date" or "the version
    at the last review" has one answer. A commit made on a branch reaches the main line when
    the branch is merged; the merge commit is then where the new version *appeared*
    (:attr:`FileVersion.commit`), but the version is *attributed* to the branch commit that
    wrote that exact content (:attr:`FileVersion.authored_by`; its author, date and message
    are the version's), and every branch commit that touched the file is listed in
    :attr:`FileVersion.contributors`. When the merge itself produced new content (a conflict
    resolved, two branches combined), the merge is the author. A fast-forward merge has no
    merge commit: the branch commits are then main-line commits themselves.

    The walk uses full history with parent rewriting (``--full-history --parents``) and merges
    diffed against their first parent (``--diff-merges=first-parent``), so the main line and
    the branches are exact even when commits in between do not touch the registry.

Renames
    A file renamed from ``automations/a.yaml`` to ``automations/b.yaml`` keeps its versions:
    both names lead to the same list, whose newest entry carries the new name. A file deleted
    and later created again under the same name continues the same list (the automation's id
    is its file name). Rename detection is git's (``-M``, 50 % similarity).

Shallow clones
    A shallow clone's oldest commit looks as if it created every file, so "changed since the
    last review" would be wrong. :func:`open_history` refuses it with a ``shallow`` error that
    says how to fetch the whole history, unless ``allow_shallow=True`` (then
    :attr:`History.shallow` is set and :meth:`History.shallow_error` gives the same message
    for a warning).

Text
    Commit messages and names are decoded as UTF-8 (git re-encodes from the commit's declared
    encoding) with replacement characters for anything invalid: a badly encoded message never
    stops the reading. A version that is not valid YAML keeps its findings
    (:attr:`FileVersion.document`); it is not an error of the history.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingsys.history import gitcmd
from livingsys.history.errors import (
    FETCH_HINT,
    ErrorKind,
    HistoryError,
    bare_repository,
    git_failed,
    no_folder,
    no_git,
    shallow_error,
)
from livingsys.history.gitlog import FORMAT, CatFile, Change, parse_log
from livingsys.history.lineage import Lineage, Walk
from livingsys.history.model import (
    ChangeKind,
    Commit,
    CommitRef,
    FileVersion,
    UncommittedKind,
    VersionSource,
)
from livingsys.i18n import _
from livingsys.reading.yamlsource import MAX_FILE_BYTES, YamlDocument, decode, parse, too_large

_SHA_RE = re.compile(r"^[0-9a-fA-F]{4,64}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")



# --------------------------------------------------------------------------------------------
# opening


def open_history(registry: str | os.PathLike[str], *, allow_shallow: bool = False,
                 rev: str = "HEAD") -> History:
    """Read the git history of the registry folder ``registry`` up to ``rev``.

    Raises :class:`HistoryError` when git is missing (``no_git``), the folder does not exist
    (``not_found``), is not in a git repository (``no_repo``), nothing of the registry is
    committed yet (``no_commits``), the clone is shallow (``shallow``, unless
    ``allow_shallow``), or git fails (``git_failed``).
    """
    folder = Path(registry)
    if not folder.is_dir():
        raise no_folder(folder, _("run the command from the folder that holds the registry, "
                                  "or give its path with --registry"))
    try:
        import git
    except ImportError as exc:  # GitPython raises ImportError when the git binary is missing
        raise no_git() from exc
    folder = folder.resolve()
    try:
        repo = gitcmd.open_repo(folder)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise HistoryError(
            "no_repo", _("the registry '{folder}' is not in a git repository, so its history "
                         "cannot be read").format(folder=folder),
            _("run `git init` in the registry's folder (or its parent), then commit the "
              "registry: `git add . && git commit -m \"Registry\"`")) from exc
    except git.GitCommandNotFound as exc:  # pragma: no cover
        raise no_git() from exc
    if repo.bare or not repo.working_tree_dir:
        raise bare_repository(folder)
    root = Path(repo.working_tree_dir).resolve()
    try:
        rel = folder.relative_to(root)
    except ValueError as exc:  # pragma: no cover - search found a repository above the folder
        raise HistoryError("no_repo", _("'{folder}' is not inside '{root}'").format(
            folder=folder, root=root), "") from exc
    prefix = "" if str(rel) == "." else rel.as_posix()
    if rev.startswith("-"):
        raise HistoryError("missing_commit", _("'{rev}' is not a commit").format(rev=rev),
                           _("give a commit id"))
    try:
        shallow_line, head = repo.git.rev_parse("--is-shallow-repository",
                                                f"{rev}^{{commit}}").split()
        shallow = shallow_line == "true"
    except git.GitCommandError as exc:
        if rev == "HEAD" and not _has_head(repo):
            raise HistoryError(
                "no_commits", _("the git repository has no commits yet"),
                _("commit the registry: `git add . && git commit -m \"Registry\"`")) from exc
        if rev != "HEAD":
            raise HistoryError("missing_commit", _("commit '{rev}' is not in this "
                                                   "repository").format(rev=rev),
                               _("check the commit id (`git log --oneline`)")) from exc
        raise git_failed(exc, root) from exc
    except ValueError as exc:  # pragma: no cover - unexpected output
        raise HistoryError("git_failed", _("cannot read HEAD: {error}").format(error=exc),
                           _("run `git status`")) from exc
    if shallow and not allow_shallow:
        raise shallow_error()
    history = History(repo, root, folder, prefix, head, shallow)
    try:
        history._load()
    except git.GitCommandError as exc:
        history.close()
        raise git_failed(exc, root) from exc
    if not history._commits:
        history.close()
        where = f"'{prefix}/'" if prefix else _("the repository")
        raise HistoryError(
            "no_commits", _("no commit contains the registry ({where}) yet").format(
                where=where),
            _("commit it: `git add {path} && git commit -m \"Registry\"`").format(
                path=prefix or "."))
    return history


class OpeningHistory:
    """:func:`open_history` running in a thread of its own: git walks the history (on another
    processor) while the caller reads the registry. :meth:`result` waits for it and gives the
    :class:`History`, or raises the :class:`HistoryError` it met, as ``open_history`` would
    have. Use :func:`open_history_soon`."""

    def __init__(self, registry: str | os.PathLike[str], allow_shallow: bool, rev: str) -> None:
        self._history: History | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._open, args=(registry, allow_shallow, rev),
                                        name="livingsys-history", daemon=True)
        self._thread.start()

    def _open(self, registry: str | os.PathLike[str], allow_shallow: bool, rev: str) -> None:
        try:
            self._history = open_history(registry, allow_shallow=allow_shallow, rev=rev)
        except BaseException as exc:  # given to the caller by result()
            self._error = exc

    def result(self) -> History:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._history is not None
        return self._history

    def close(self) -> None:
        """Stop what was opened, when the caller did not use it."""
        self._thread.join()
        if self._history is not None:
            self._history.close()


def open_history_soon(registry: str | os.PathLike[str], *, allow_shallow: bool = False,
                      rev: str = "HEAD") -> OpeningHistory:
    """Start :func:`open_history` now, in the background; ``.result()`` gives the History."""
    return OpeningHistory(registry, allow_shallow, rev)


@dataclass(frozen=True, slots=True)
class HeadState:
    """Where the registry's repository stands now, read without walking the history."""

    sha: str | None
    """HEAD's commit id; None when the repository has no commit yet."""
    uncommitted: dict[str, UncommittedKind]
    """Registry files whose working copy differs from HEAD (see :meth:`History.uncommitted`)."""


def head_state(registry: str | os.PathLike[str]) -> HeadState:
    """HEAD's commit and the registry's uncommitted files, for commands that record what
    they looked at (``review record``). Raises :class:`HistoryError` like
    :func:`open_history` (``no_repo``, ``no_git``, ``not_found``...), but not for a shallow
    clone or a repository without commits (then ``sha`` is None)."""
    folder = Path(registry)
    if not folder.is_dir():
        raise no_folder(folder, _("give its path with --registry"))
    try:
        import git
    except ImportError as exc:
        raise no_git() from exc
    folder = folder.resolve()
    try:
        repo = gitcmd.open_repo(folder)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise HistoryError("no_repo", _("the registry '{folder}' is not in a git "
                                        "repository").format(folder=folder),
                           _("run `git init` and commit the registry")) from exc
    if repo.bare or not repo.working_tree_dir:
        raise bare_repository(folder)
    root = Path(repo.working_tree_dir).resolve()
    rel = folder.relative_to(root)
    prefix = "" if str(rel) == "." else rel.as_posix()
    try:
        sha = repo.git.rev_parse("--verify", "--quiet", "HEAD^{commit}").strip() or None
    except git.GitCommandError:
        sha = None
    history = History(repo, root, folder, prefix, sha or "", False)
    try:
        changed = history.uncommitted()
    except git.GitCommandError as exc:
        raise git_failed(exc, root) from exc
    finally:
        history.close()
    return HeadState(sha, changed)


def _has_head(repo: Any) -> bool:
    try:
        return bool(repo.head.is_valid())
    except Exception:  # pragma: no cover
        return False



# --------------------------------------------------------------------------------------------
# the history


class History:
    """The versions of every registry file, read from git once. Use :func:`open_history`.

    Paths are relative to the registry folder, with '/' separators. Close it (or use it as a
    context manager) to stop the ``git cat-file`` process it keeps for reading texts.
    """

    def __init__(self, repo: Any, repo_root: Path, registry: Path, prefix: str, head: str,
                 shallow: bool) -> None:
        self.repo = repo
        self.repo_root = repo_root
        self.registry = registry
        self.prefix = prefix
        """The registry folder relative to the repository root ('' when it is the root)."""
        self.head = head
        self.shallow = shallow
        self._opts: list[str] = getattr(repo, "livingsys_git_options", None) or \
            gitcmd.options(repo_root)
        self._cat = CatFile(repo_root, self._opts)
        self._commits: dict[str, Commit] = {}
        self._changes: dict[str, list[Change]] = {}
        self._mainline: list[Commit] = []
        self._main_index: dict[str, int] = {}
        self._landing: dict[str, str] = {}  # any commit -> main-line commit that brought it
        self._by_path: dict[str, Lineage] = {}
        self._current: dict[str, Lineage] = {}
        self._blobs: dict[str, bytes | None] = {}
        self._docs: dict[tuple[str, str], YamlDocument] = {}
        self._resolved: dict[str, str | None] = {}

    # ----------------------------------------------------------------------------- lifecycle
    def close(self) -> None:
        self._cat.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - best effort
        try:
            self._cat.close()
        except Exception:
            pass

    # ----------------------------------------------------------------------------- reading
    def _argv(self, *args: str) -> list[str]:
        return gitcmd.argv(self.repo_root, *args, opts=self._opts)

    def _pathspec(self) -> list[str]:
        return ["--", f":(literal){self.prefix}"] if self.prefix else []

    def _log_args(self) -> list[str]:
        args = ["log", "--no-color", "--no-show-signature", "--encoding=UTF-8", "--root",
                "--raw", "-M", "--no-abbrev", "-z", "--no-relative", "--no-ext-diff",
                "--no-textconv",
                "--full-history", "--parents", f"--format={FORMAT}"]
        if tuple(self.repo.git.version_info[:2]) >= (2, 31):
            args.append("--diff-merges=first-parent")
        else:  # pragma: no cover - old git: one block per parent, the first is kept
            args.append("-m")
        return [*args, self.head, *self._pathspec()]

    def _load(self) -> None:
        strip = len(self.prefix) + 1 if self.prefix else 0
        proc = self.repo.git.execute(self._argv(*self._log_args()), as_process=True)
        order = parse_log(proc.stdout, strip, self._commits, self._changes)
        proc.wait()  # raises GitCommandError on failure
        if order:
            walk = Walk(self._commits, self._changes, self.head, self)
            walk.build(order)
            self._mainline, self._main_index = walk.mainline, walk.main_index
            self._landing, self._by_path, self._current = walk.landing, walk.by_path, walk.current

    # ----------------------------------------------------------------------------- commits
    @property
    def mainline(self) -> list[Commit]:
        """Main-line commits that touch the registry (and merges), oldest first."""
        return list(self._mainline)

    @property
    def head_commit(self) -> Commit:
        return self._mainline[-1]

    def commit(self, rev: str) -> Commit | None:
        """The commit ``rev`` (sha, short sha, branch, tag...) if it belongs to the history."""
        sha = self.resolve(rev)
        return self._commits.get(sha) if sha else None

    def commit_exists(self, rev: str) -> bool:
        """Whether ``rev`` names a commit of this history (an ancestor of HEAD, or HEAD)."""
        if rev in self._commits:
            return True
        try:
            self.resolve(rev)  # raises unless git knows it and it is an ancestor of HEAD
        except HistoryError:
            return False
        return True

    def _rev_parse(self, rev: str) -> str | None:
        import git

        try:
            return self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options",
                                           f"{rev}^{{commit}}").strip() or None
        except git.GitCommandError:
            return None

    def _in_history(self, rev: str) -> bool:
        import git

        sha = self._rev_parse(rev)
        if sha is None:
            return False
        try:
            self.repo.git.merge_base("--is-ancestor", sha, self.head)
            return True
        except git.GitCommandError:
            return False

    def resolve(self, rev: str) -> str | None:
        """The commit of the history whose registry state is that of ``rev``.

        A full sha of a registry commit answers at once; anything else asks git. A commit that
        did not touch the registry resolves to its nearest first-parent ancestor that did.
        Returns None when ``rev`` is older than the registry's first commit; raises
        ``missing_commit`` when git does not know it (with a word on shallow clones) and
        ``not_in_history`` when it is not an ancestor of HEAD.
        """
        if rev in self._commits:
            return rev
        if rev in self._resolved:
            return self._resolved[rev]
        if _SHA_RE.match(rev):
            matches = [s for s in self._commits if s.startswith(rev.lower())]
            if len(matches) == 1:
                self._resolved[rev] = matches[0]
                return matches[0]
        sha = self._rev_parse(rev)
        if sha is None:
            hint = (_(FETCH_HINT) if self.shallow else
                    _("check the commit id (`git log --oneline`); if it comes from another "
                      "clone, run `git fetch` first"))
            raise HistoryError("missing_commit",
                               _("commit '{rev}' is not in this repository's history").format(
                                   rev=rev), hint)
        if sha not in self._commits:
            if not self._in_history(sha):
                raise HistoryError(
                    "not_in_history",
                    _("commit '{rev}' is not part of the current branch's history").format(
                        rev=rev),
                    _("check out the branch that contains it, or merge it first"))
            import git

            try:
                found = self.repo.git.rev_list("-1", "--first-parent", sha,
                                               *self._pathspec()).strip()
            except git.GitCommandError as exc:  # pragma: no cover
                raise git_failed(exc, self.repo_root) from exc
            # no registry commit at or before it: the registry did not exist yet
            sha = found if found in self._commits else None
        self._resolved[rev] = sha
        return sha

    def require_commit(self, rev: str) -> Commit:
        """Like :meth:`commit`, raising :class:`HistoryError` when ``rev`` is unknown."""
        sha = self.resolve(rev)
        if sha is None:
            raise HistoryError("missing_commit",
                               f"commit '{rev}' is older than the registry's first commit",
                               "pick a later commit")
        return self._commits[sha]

    def landing(self, rev: str) -> Commit | None:
        """The main-line commit that brought ``rev`` to the main line (itself if on it)."""
        sha = self.resolve(rev)
        return self._commits[self._landing[sha]] if sha and sha in self._landing else None

    def is_mainline(self, rev: str) -> bool:
        sha = self.resolve(rev)
        return sha is not None and sha in self._main_index

    def shallow_error(self) -> HistoryError | None:
        """The ``shallow`` error to show as a warning, when the clone is shallow."""
        return shallow_error() if self.shallow else None

    # ----------------------------------------------------------------------------- files
    def files(self, *, include_deleted: bool = False, under: str | None = None) -> list[str]:
        """Paths of the registry files that exist at HEAD (and the deleted ones if asked)."""
        if include_deleted:
            seen: dict[int, str] = {}
            for lineage in self._by_path.values():
                seen.setdefault(id(lineage), lineage.versions[-1].path)
            paths = set(seen.values()) | set(self._current)
        else:
            paths = set(self._current)
        if under:
            base = under.rstrip("/") + "/"
            paths = {p for p in paths if p.startswith(base)}
        return sorted(paths)

    def all_versions(self, under: str | None = None) -> dict[str, list[FileVersion]]:
        """Every file (by its latest path, deleted ones included) with its versions."""
        return {p: self.versions(p) for p in self.files(include_deleted=True, under=under)}

    def __iter__(self) -> Iterator[tuple[str, list[FileVersion]]]:
        return iter(self.all_versions().items())

    def _lineage(self, path: str) -> Lineage | None:
        return self._by_path.get(_norm(path))

    def versions(self, path: str) -> list[FileVersion]:
        """All main-line versions of a file, oldest first, through renames. A path the file
        had before a rename gives the same list."""
        lineage = self._lineage(path)
        return list(lineage.versions) if lineage else []

    def current(self, path: str) -> FileVersion | None:
        """The newest committed version (possibly a deletion)."""
        lineage = self._lineage(path)
        return lineage.versions[-1] if lineage else None

    def first_version(self, path: str) -> FileVersion | None:
        lineage = self._lineage(path)
        return lineage.versions[0] if lineage else None

    def first_commit_touching(self, path: str) -> Commit | None:
        """The commit that created the file (the branch commit, when it came by a merge).

        For a review's minutes this is "the review's commit": ``version_at(automation, sha)``
        then gives each automation exactly as it was at that commit."""
        first = self.first_version(path)
        return first.authored_by if first else None

    def last_commit_touching(self, path: str) -> Commit | None:
        last = self.current(path)
        return last.authored_by if last else None

    def version_at(self, path: str, when: str | dt.date | dt.datetime) -> FileVersion | None:
        """The version of ``path`` in effect at a commit or a date (None if it did not exist
        yet; a ``deleted`` version if it had been deleted).

        ``when`` may be a commit (sha or any git revision), a date (``datetime.date`` or
        'YYYY-MM-DD': versions that reached the main line that day or before, in the commit's
        own time zone) or an aware datetime.
        A commit made on a branch gives the file exactly as it was in that commit.
        """
        lineage = self._lineage(path)
        if lineage is None:
            return None
        if isinstance(when, dt.datetime):
            if when.tzinfo is None:
                raise ValueError("version_at needs a timezone-aware datetime")
            return _last(v for v in lineage.versions if v.landed <= when)
        if isinstance(when, str) and _DATE_RE.match(when):
            when = dt.date.fromisoformat(when)
        if isinstance(when, dt.date):
            return _last(v for v in lineage.versions if v.landed.date() <= when)
        sha = self.resolve(when)
        if sha is None:
            return None
        if sha in self._main_index:
            return self._at_index(lineage, self._main_index[sha])
        return self._at_side_commit(lineage, sha)

    def _at_index(self, lineage: Lineage, index: int) -> FileVersion | None:
        from bisect import bisect_right

        i = bisect_right(lineage.indices, index)
        return lineage.versions[i - 1] if i else None

    def _at_side_commit(self, lineage: Lineage, sha: str) -> FileVersion | None:
        """The file at a branch commit: walk its first parents back to a change or the main
        line."""
        sha_: str | None = sha
        while sha_ is not None and sha_ not in self._main_index:
            c = self._commits[sha_]
            for ch in self._changes[sha_]:
                target = ch.new_path if ch.new_path is not None else ch.old_path
                if target in lineage.paths:
                    kind: ChangeKind = {"A": "added", "D": "deleted", "R": "renamed"}.get(
                        ch.status, "modified")  # type: ignore[assignment]
                    return FileVersion(path=target or "", change=kind, commit=c,
                                       blob=ch.new_blob,
                                       old_path=ch.old_path if ch.status == "R" else None,
                                       _history=self)
            sha_ = c.parents[0] if c.parents and c.parents[0] in self._commits else None
        if sha_ is None:
            return None
        return self._at_index(lineage, self._main_index[sha_])

    def versions_between(self, path: str, since: FileVersion | str | dt.date | None,
                         until: str | dt.date | None = None) -> list[FileVersion]:
        """Versions that came after ``since`` (a version, commit or date; None: from the
        start) up to ``until`` (default: HEAD), oldest first."""
        versions = self.versions(path)
        if since is None:
            start = 0
        else:
            base = since if isinstance(since, FileVersion) else self.version_at(path, since)
            if base is None:
                start = 0
            else:
                base = self._mainline_twin(base, versions)
                start = next((i + 1 for i, v in enumerate(versions) if v is base), 0)
        end = len(versions)
        if until is not None:
            top = self.version_at(path, until)
            top = self._mainline_twin(top, versions) if top else None
            end = next((i + 1 for i, v in enumerate(versions) if v is top), 0)
        return versions[start:end]

    def _mainline_twin(self, version: FileVersion, versions: list[FileVersion]) -> FileVersion:
        """For a branch state, the main-line version that brought it (or the one before)."""
        if version in versions:
            return version
        merge = self._landing.get(version.commit.sha)
        if merge is None:
            return version
        index = self._main_index[merge]
        lineage = self._lineage(version.path)
        before = self._at_index(lineage, index - 1) if lineage else None
        # content already on the main line when the merge landed: the version before counts
        landed = self._at_index(lineage, index) if lineage else None
        if landed is not None and landed.blob == version.blob:
            return landed
        return before or version

    def commits_touching(self, path: str, since: FileVersion | str | dt.date | None = None
                         ) -> list[Commit]:
        """Every commit (branch commits included) that changed the file after ``since``,
        oldest first."""
        out: dict[str, Commit] = {}
        for v in self.versions_between(path, since):
            for c in v.contributors:
                out.setdefault(c.sha, c)
        return list(out.values())

    # ----------------------------------------------------------------------------- content
    def read_blob(self, blob: str) -> bytes | None:
        if blob not in self._blobs:
            self._blobs.update(self._cat.read([blob]))
        return self._blobs[blob]

    def prefetch(self, versions: Iterable[FileVersion]) -> None:
        """Read the texts of many versions in one go (each distinct blob once)."""
        wanted = [v.blob for v in versions if v.blob and v.blob not in self._blobs]
        if wanted:
            self._blobs.update(self._cat.read(wanted))

    def document(self, version: FileVersion) -> YamlDocument:
        """The parsed version (cached per content and path); never raises for bad YAML."""
        if version.blob is None:
            return YamlDocument(version.path)
        key = (version.blob, version.path)
        doc = self._docs.get(key)
        if doc is None:
            raw = self.read_blob(version.blob)
            if raw is None:
                doc = YamlDocument(version.path)
            elif len(raw) > MAX_FILE_BYTES:  # lint refuses it too (Y007): same limit
                doc = too_large(version.path, len(raw), "this version of the file")
            else:
                text, findings = decode(raw, version.path)
                if text is None:
                    doc = YamlDocument(version.path, findings=findings)
                else:
                    doc = parse(text, version.path)
                    doc.findings[:0] = findings
            self._docs[key] = doc
        return doc

    def read_at(self, rev: str, path: str) -> bytes | None:
        """The bytes of ``path`` in any revision (any branch), without following renames."""
        sha = self._rev_parse(rev)
        if sha is None:
            return None
        full = f"{self.prefix}/{_norm(path)}" if self.prefix else _norm(path)
        return self._cat.read([f"{sha}:{full}"]).get(f"{sha}:{full}")

    # ----------------------------------------------------------------------------- worktree
    def uncommitted(self) -> dict[str, UncommittedKind]:
        """Registry files whose working copy differs from HEAD: modified, added (staged),
        deleted, or untracked (new, never added). Ignored files are left out."""
        out = self.repo.git.execute(
            self._argv("--no-optional-locks", "status", "--porcelain=v1", "-z",
                       "--untracked-files=all", "--no-renames", "--ignore-submodules=all",
                       *self._pathspec()), stdout_as_string=False)
        strip = len(self.prefix) + 1 if self.prefix else 0
        result: dict[str, UncommittedKind] = {}
        for entry in out.split(b"\0"):
            if len(entry) < 4:
                continue
            x, y = chr(entry[0]), chr(entry[1])
            path = _text(entry[3:])[strip:]
            if x == "?":
                result[path] = "untracked"
                continue
            in_head = x not in ("A", "?")
            on_disk = "D" not in (x, y)
            if in_head and on_disk:
                result[path] = "modified"
            elif in_head:
                result[path] = "deleted"
            elif on_disk:
                result[path] = "added"
        return dict(sorted(result.items()))


def _norm(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _last(items: Iterable[FileVersion]) -> FileVersion | None:
    found = None
    for item in items:
        found = item
    return found


__all__ = ["ChangeKind", "Commit", "CommitRef", "ErrorKind", "FileVersion", "HeadState", "History",
           "HistoryError", "OpeningHistory", "UncommittedKind", "VersionSource", "head_state",
           "open_history", "open_history_soon"]
