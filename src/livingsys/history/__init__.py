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
import queue
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from livingsys.history import gitcmd
from livingsys.reading.yamlsource import MAX_FILE_BYTES, YamlDocument, decode, parse, too_large

ChangeKind = Literal["added", "modified", "renamed", "deleted"]
UncommittedKind = Literal["modified", "added", "deleted", "untracked"]
ErrorKind = Literal["no_git", "not_found", "no_repo", "no_commits", "shallow", "missing_commit",
                    "not_in_history", "git_failed"]

_SHA_RE = re.compile(r"^[0-9a-fA-F]{4,64}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REGULAR_MODES = (b"100644", b"100755")

# One record per commit; fields are NUL-separated (-z), the record starts with \x01.
_FORMAT = "%x01%H%x00%P%x00%aN%x00%aE%x00%aI%x00%cI%x00%s"
_HEADER_FIELDS = 6  # after the sha token: parents, name, email, author date, commit date, subject

_FETCH_HINT = ("fetch the whole history: run `git fetch --unshallow`, or in CI check out with "
               "full history (GitHub Actions: `actions/checkout` with `fetch-depth: 0`; GitLab: "
               "`GIT_DEPTH: 0`)")


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


# --------------------------------------------------------------------------------------------
# data


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
    _history: History | None = field(default=None, repr=False)

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


@dataclass(slots=True)
class _Change:
    """One line of ``git log --raw`` for one commit (paths relative to the registry)."""

    status: str  # A M D R T (C is read as A)
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


class _Lineage:
    """The versions of one file, following renames."""

    __slots__ = ("versions", "paths", "indices")

    def __init__(self) -> None:
        self.versions: list[FileVersion] = []
        self.paths: set[str] = set()
        self.indices: list[int] = []  # main-line index of each version's commit


# --------------------------------------------------------------------------------------------
# git processes


class _CatFile:
    """One persistent ``git cat-file --batch``: each blob read once, many per round trip."""

    CHUNK = 400  # requests written before reading answers (keeps both pipes from filling up)

    def __init__(self, repo_root: Path, opts: list[str]) -> None:
        self._root = repo_root
        self._opts = opts
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _process(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = gitcmd.popen(
                self._root, "cat-file", "--batch", opts=self._opts,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self._proc

    def read(self, names: Iterable[str]) -> dict[str, bytes | None]:
        """Objects by name (a sha or ``rev:path``); None for a missing one."""
        wanted = list(dict.fromkeys(names))
        out: dict[str, bytes | None] = {}
        if not wanted:
            return out
        with self._lock:
            proc = self._process()
            stdin, stdout = proc.stdin, proc.stdout
            assert stdin is not None and stdout is not None
            for start in range(0, len(wanted), self.CHUNK):
                chunk = wanted[start:start + self.CHUNK]
                stdin.write(b"".join(name.encode("utf-8", "surrogateescape") + b"\n"
                                     for name in chunk))
                stdin.flush()
                for name in chunk:
                    header = stdout.readline()
                    if not header:
                        raise HistoryError("git_failed", "git cat-file stopped unexpectedly",
                                           "check that the repository is not corrupted "
                                           "(`git fsck`)")
                    parts = header.split()
                    if len(parts) != 3 or parts[-1] in (b"missing", b"ambiguous"):
                        out[name] = None
                        continue
                    size = int(parts[2])
                    data = stdout.read(size)
                    stdout.read(1)  # the newline after the content
                    out[name] = data if parts[1] == b"blob" else None
        return out

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=5)
        except Exception:  # pragma: no cover - best effort
            proc.kill()
        finally:
            if proc.stdout:
                proc.stdout.close()


def _tokens(stream) -> Iterator[bytes]:
    """NUL-separated tokens of a byte stream.

    A thread drains the pipe while this generator's caller parses, so git never waits for
    Python (and Python seldom waits for git)."""
    chunks: queue.SimpleQueue[bytes | BaseException | None] = queue.SimpleQueue()

    def pump() -> None:
        try:
            while True:
                chunk = stream.read1(1 << 20)
                if not chunk:
                    break
                chunks.put(chunk)
        except BaseException as exc:  # pragma: no cover - reported to the reader
            chunks.put(exc)
        finally:
            chunks.put(None)

    reader = threading.Thread(target=pump, name="livingsys-git-log", daemon=True)
    reader.start()
    rest = b""
    while True:
        chunk = chunks.get()
        if chunk is None:
            break
        if isinstance(chunk, BaseException):  # pragma: no cover
            raise chunk
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    reader.join()
    if rest:
        yield rest


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _when(raw: bytes) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(raw.decode("ascii"))
    except ValueError:  # pragma: no cover - git always writes strict ISO 8601 here
        return dt.datetime.fromtimestamp(0, dt.UTC)


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
        raise HistoryError("not_found", f"the registry folder '{folder}' does not exist",
                           "run the command from the folder that holds the registry, or give "
                           "its path with --registry")
    try:
        import git
    except ImportError as exc:  # GitPython raises ImportError when the git binary is missing
        raise HistoryError("no_git", "git is not installed (or not on the PATH)",
                           "install git (https://git-scm.com) and try again") from exc
    folder = folder.resolve()
    try:
        repo = gitcmd.open_repo(folder)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise HistoryError(
            "no_repo", f"the registry '{folder}' is not in a git repository, so its history "
            "cannot be read",
            "run `git init` in the registry's folder (or its parent), then commit the registry: "
            "`git add . && git commit -m \"Registry\"`") from exc
    except git.GitCommandNotFound as exc:  # pragma: no cover
        raise HistoryError("no_git", "git is not installed (or not on the PATH)",
                           "install git (https://git-scm.com) and try again") from exc
    if repo.bare or not repo.working_tree_dir:
        raise HistoryError("no_repo", f"'{folder}' is inside a bare git repository",
                           "work in a clone that has a working tree")
    root = Path(repo.working_tree_dir).resolve()
    try:
        rel = folder.relative_to(root)
    except ValueError as exc:  # pragma: no cover - search found a repository above the folder
        raise HistoryError("no_repo", f"'{folder}' is not inside '{root}'", "") from exc
    prefix = "" if str(rel) == "." else rel.as_posix()
    if rev.startswith("-"):
        raise HistoryError("missing_commit", f"'{rev}' is not a commit", "give a commit id")
    try:
        shallow_line, head = repo.git.rev_parse("--is-shallow-repository",
                                                f"{rev}^{{commit}}").split()
        shallow = shallow_line == "true"
    except git.GitCommandError as exc:
        if rev == "HEAD" and not _has_head(repo):
            raise HistoryError(
                "no_commits", "the git repository has no commits yet",
                "commit the registry: `git add . && git commit -m \"Registry\"`") from exc
        if rev != "HEAD":
            raise HistoryError("missing_commit", f"commit '{rev}' is not in this repository",
                               "check the commit id (`git log --oneline`)") from exc
        raise _git_failed(exc, root) from exc
    except ValueError as exc:  # pragma: no cover - unexpected output
        raise HistoryError("git_failed", f"cannot read HEAD: {exc}", "run `git status`") from exc
    if shallow and not allow_shallow:
        raise _shallow_error()
    history = History(repo, root, folder, prefix, head, shallow)
    try:
        history._load()
    except git.GitCommandError as exc:
        history.close()
        raise _git_failed(exc, root) from exc
    if not history._commits:
        history.close()
        where = f"'{prefix}/'" if prefix else "the repository"
        raise HistoryError(
            "no_commits", f"no commit contains the registry ({where}) yet",
            f"commit it: `git add {prefix or '.'} && git commit -m \"Registry\"`")
    return history


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
        raise HistoryError("not_found", f"the registry folder '{folder}' does not exist",
                           "give its path with --registry")
    try:
        import git
    except ImportError as exc:
        raise HistoryError("no_git", "git is not installed (or not on the PATH)",
                           "install git (https://git-scm.com) and try again") from exc
    folder = folder.resolve()
    try:
        repo = gitcmd.open_repo(folder)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise HistoryError("no_repo", f"the registry '{folder}' is not in a git repository",
                           "run `git init` and commit the registry") from exc
    if repo.bare or not repo.working_tree_dir:
        raise HistoryError("no_repo", f"'{folder}' is inside a bare git repository",
                           "work in a clone that has a working tree")
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
        raise _git_failed(exc, root) from exc
    finally:
        history.close()
    return HeadState(sha, changed)


def _has_head(repo: Any) -> bool:
    try:
        return bool(repo.head.is_valid())
    except Exception:  # pragma: no cover
        return False


def _shallow_error() -> HistoryError:
    return HistoryError(
        "shallow", "this is a shallow clone: only the last commits are there, so changes since "
        "the last review cannot be told apart from the creation of the files", _FETCH_HINT)


def _git_failed(exc: Exception, root: Path) -> HistoryError:
    stderr = getattr(exc, "stderr", "") or str(exc)
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    lines = [ln.strip() for ln in str(stderr).splitlines() if ln.strip()]
    detail = next((ln.removeprefix("stderr: ").strip("' ") for ln in lines
                   if "fatal" in ln or "error" in ln), lines[-1] if lines else "unknown error")
    hint = "run `git status` in the repository to see what git says"
    if "dubious ownership" in str(stderr):
        hint = f"mark the repository as safe: `git config --global --add safe.directory {root}`"
    return HistoryError("git_failed", f"git could not read the history: {detail}", hint)


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
        self._cat = _CatFile(repo_root, self._opts)
        self._commits: dict[str, Commit] = {}
        self._changes: dict[str, list[_Change]] = {}
        self._mainline: list[Commit] = []
        self._main_index: dict[str, int] = {}
        self._landing: dict[str, str] = {}  # any commit -> main-line commit that brought it
        self._by_path: dict[str, _Lineage] = {}
        self._current: dict[str, _Lineage] = {}
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
                "--full-history", "--parents", f"--format={_FORMAT}"]
        if tuple(self.repo.git.version_info[:2]) >= (2, 31):
            args.append("--diff-merges=first-parent")
        else:  # pragma: no cover - old git: one block per parent, the first is kept
            args.append("-m")
        return [*args, self.head, *self._pathspec()]

    def _load(self) -> None:
        strip = len(self.prefix) + 1 if self.prefix else 0
        order: list[str] = []
        commits = self._commits
        changes = self._changes
        names: dict[bytes, str] = {}
        paths: dict[bytes, str] = {}

        def name(raw: bytes) -> str:
            text = names.get(raw)
            if text is None:
                text = names[raw] = raw.decode("utf-8", "replace")
            return text

        def path(raw: bytes) -> str:
            text = paths.get(raw)
            if text is None:
                text = paths[raw] = raw.decode("utf-8", "replace")[strip:]
            return text

        proc = self.repo.git.execute(self._argv(*self._log_args()), as_process=True)
        it = _tokens(proc.stdout)
        tok = next(it, None)
        while tok is not None:
            if tok[:1] != b"\x01":
                tok = next(it, None)
                continue
            sha = tok[1:].decode("ascii")
            parents, an, ae, ad, cd, subject = (next(it, b"") for _ in range(_HEADER_FIELDS))
            repeated = sha in commits
            mine: list[_Change] = []
            if not repeated:
                commits[sha] = Commit(
                    sha, tuple(parents.decode("ascii").split()), name(an), name(ae),
                    _when(ad), _when(cd), subject.decode("utf-8", "replace"))
                changes[sha] = mine
                order.append(sha)
            tok = next(it, None)
            while tok is not None and tok[:1] != b"\x01":
                line = tok.lstrip(b"\n")
                if line[:1] != b":":
                    tok = next(it, None)
                    continue
                meta = line[1:].split(b" ")
                status = chr(meta[4][0]) if len(meta) > 4 and meta[4] else "M"
                first = next(it, b"")
                second = next(it, b"") if status in ("R", "C") else None
                tok = next(it, None)
                if repeated:
                    continue
                old_ok = meta[0] in _REGULAR_MODES
                new_ok = meta[1] in _REGULAR_MODES
                old_path: str | None = path(first)
                new_path: str | None = path(second) if second is not None else old_path
                if status == "C":
                    status, old_ok = "A", False
                if not old_ok and not new_ok:
                    continue  # symlinks, submodules: not registry files
                if not old_ok:
                    status = "A"
                elif not new_ok:
                    status, new_path = "D", old_path
                if status == "A":
                    mine.append(_Change("A", None, new_path, None, meta[3].decode("ascii")))
                elif status == "D":
                    mine.append(_Change("D", old_path, None, meta[2].decode("ascii"), None))
                else:
                    mine.append(_Change(status, old_path, new_path, meta[2].decode("ascii"),
                                        meta[3].decode("ascii")))
        proc.wait()  # raises GitCommandError on failure
        if order:
            self._build(order)

    def _build(self, order: list[str]) -> None:
        commits = self._commits
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
        self._mainline = line
        self._main_index = {c.sha: i for i, c in enumerate(line)}
        position = {s: i for i, s in enumerate(order)}  # 0 = newest
        landing = self._landing
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
        for path, lineage in self._current.items():
            self._by_path[path] = lineage

    def _apply(self, commit: Commit, index: int, side: list[str]) -> None:
        """Turn one main-line commit's changes into versions."""
        current = self._current
        plan: list[tuple[_Change, _Lineage]] = []
        for ch in self._changes[commit.sha]:
            lineage = None
            if ch.status != "A":
                lineage = current.get(ch.old_path or "")
            if lineage is None and ch.new_path is not None:
                # re-created after a deletion (or first seen at a shallow boundary)
                lineage = self._by_path.get(ch.new_path)
                if lineage is not None and (ch.new_path in current
                                            or lineage.versions[-1].exists):
                    lineage = None
            plan.append((ch, lineage or _Lineage()))
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
            authored_by, contributors = commit, (commit,)
            if side:
                authored_by, contributors = self._attribute(commit, ch, side)
            version = FileVersion(
                path=path, change=kind, commit=commit, blob=ch.new_blob,
                old_path=ch.old_path if ch.status == "R" else None,
                authored_by=authored_by, contributors=contributors, _history=self)
            lineage.versions.append(version)
            lineage.indices.append(index)
            lineage.paths.add(path)
            if ch.old_path:
                lineage.paths.add(ch.old_path)
                self._by_path.setdefault(ch.old_path, lineage)
            self._by_path[path] = lineage
            if ch.new_path is not None:
                current[ch.new_path] = lineage

    def _attribute(self, merge: Commit, ch: _Change,
                   side: list[str]) -> tuple[Commit, tuple[Commit, ...]]:
        """Which branch commits a merge brought in for this file, and which wrote its content."""
        paths = {p for p in (ch.new_path, ch.old_path) if p}
        found: list[Commit] = []
        author: Commit | None = None
        for sha in side:  # newest first
            c = self._commits[sha]
            if c.is_merge:
                continue
            for sc in self._changes[sha]:
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
            hint = (_FETCH_HINT if self.shallow else
                    "check the commit id (`git log --oneline`); if it comes from another clone, "
                    "run `git fetch` first")
            raise HistoryError("missing_commit",
                               f"commit '{rev}' is not in this repository's history", hint)
        if sha not in self._commits:
            if not self._in_history(sha):
                raise HistoryError(
                    "not_in_history",
                    f"commit '{rev}' is not part of the current branch's history",
                    "check out the branch that contains it, or merge it first")
            import git

            try:
                found = self.repo.git.rev_list("-1", "--first-parent", sha,
                                               *self._pathspec()).strip()
            except git.GitCommandError as exc:  # pragma: no cover
                raise _git_failed(exc, self.repo_root) from exc
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
        return _shallow_error() if self.shallow else None

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

    def _lineage(self, path: str) -> _Lineage | None:
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

    def _at_index(self, lineage: _Lineage, index: int) -> FileVersion | None:
        from bisect import bisect_right

        i = bisect_right(lineage.indices, index)
        return lineage.versions[i - 1] if i else None

    def _at_side_commit(self, lineage: _Lineage, sha: str) -> FileVersion | None:
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
        out: list[Commit] = []
        for v in self.versions_between(path, since):
            for c in v.contributors:
                if c not in out:
                    out.append(c)
        return out

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


__all__ = ["ChangeKind", "Commit", "FileVersion", "HeadState", "History", "HistoryError",
           "UncommittedKind", "head_state", "open_history"]
