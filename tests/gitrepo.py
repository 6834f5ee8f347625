"""Build real git repositories in tests, by running git: no mocks.

    repo = GitRepo(tmp_path / "company")
    repo.write("registry/automations/reminders.yaml", "id: reminders\\n...")
    first = repo.commit("Add the reminders automation", author="Claire Moreau <c@x.fr>")
    repo.branch("threshold")
    ...
    repo.checkout("main")
    repo.merge("threshold")

Every commit gets a distinct, increasing date (one day apart from 2024-01-08 09:00 +01:00)
unless ``date=`` says otherwise, so histories are reproducible. The user's git configuration
is ignored (``GIT_CONFIG_GLOBAL``/``GIT_CONFIG_SYSTEM`` point nowhere).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

DEFAULT_AUTHOR = "Claire Moreau <claire.moreau@example.com>"
START = dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

_ISOLATED = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    # an identity for the commands that commit on their own (merge, revert...)
    "GIT_AUTHOR_NAME": "Test Runner", "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Test Runner", "GIT_COMMITTER_EMAIL": "tests@example.com",
}


def _split_author(author: str | bytes) -> tuple[bytes, bytes]:
    raw = author.encode("utf-8") if isinstance(author, str) else author
    if b"<" in raw:
        name, _, rest = raw.partition(b"<")
        return name.strip(), rest.rstrip(b">").strip()
    return raw.strip(), b"someone@example.com"


def _git_date(when: str | dt.date | dt.datetime) -> str:
    if isinstance(when, str):
        return when
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day, 12, 0, tzinfo=START.tzinfo)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.isoformat()


class GitRepo:
    """A git repository under ``root`` driven by the ``git`` command."""

    def __init__(self, root: Path, *, branch: str = "main", init: bool = True) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._count = 0
        if init:
            self.git("init", "-q", "-b", branch)

    # ------------------------------------------------------------------ plumbing
    def env(self, extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(_ISOLATED)
        if extra:
            env.update(extra)
        return env

    def git(self, *args: str, env: dict | None = None, input: bytes | None = None,
            check: bool = True) -> str:
        """Run git in the repository; returns stdout as text."""
        proc = subprocess.run(["git", *args], cwd=self.root, env=self.env(env), input=input,
                              capture_output=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({proc.returncode}):\n"
                                 f"{proc.stderr.decode('utf-8', 'replace')}")
        return proc.stdout.decode("utf-8", "replace").strip()

    def next_date(self) -> dt.datetime:
        self._count += 1
        return START + dt.timedelta(days=self._count - 1)

    # ------------------------------------------------------------------ files
    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, text: str | bytes) -> Path:
        file = self.path(rel)
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            file.write_bytes(text)
        else:
            file.write_text(text, encoding="utf-8")
        return file

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def delete(self, rel: str) -> None:
        self.git("rm", "-q", "--", rel)

    def mv(self, src: str, dst: str) -> None:
        self.path(dst).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", "--", src, dst)

    def add(self, *paths: str) -> None:
        self.git("add", "-A", "--", *(paths or (".",)))

    # ------------------------------------------------------------------ commits
    def commit(self, message: str | bytes, *, author: str | bytes = DEFAULT_AUTHOR,
               date: str | dt.date | dt.datetime | None = None, add: bool = True,
               encoding: str | None = None, allow_empty: bool = False) -> str:
        """Commit everything (``add=False``: only what is staged); returns the full sha.

        ``message`` and ``author`` may be bytes, written as is (e.g. Latin-1); ``encoding``
        sets ``i18n.commitEncoding`` so git records it in the commit."""
        if add:
            self.add()
        name, email = _split_author(author)
        when = _git_date(date if date is not None else self.next_date())
        if date is not None:
            self._count += 1
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
               "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
               "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        env_bytes = {k.encode(): (v if isinstance(v, bytes) else v.encode())
                     for k, v in self.env(env).items()}
        raw = message.encode("utf-8") if isinstance(message, str) else message
        args = ["git"]
        if encoding:
            args += ["-c", f"i18n.commitEncoding={encoding}"]
        args += ["commit", "-q", "--no-verify", "--cleanup=verbatim", "-F", "-"]
        if allow_empty:
            args.append("--allow-empty")
        proc = subprocess.run(args, cwd=self.root, env=env_bytes, input=raw,
                              capture_output=True)
        if proc.returncode != 0:
            raise AssertionError("git commit failed:\n"
                                 + proc.stderr.decode("utf-8", "replace")
                                 + proc.stdout.decode("utf-8", "replace"))
        return self.head()

    def commit_raw(self, message: bytes, *, author: bytes = b"Raw <raw@example.com>",
                   encoding: bytes | None = None) -> str:
        """Write a commit object byte for byte (git commit would repair invalid UTF-8):
        the staged tree, HEAD as parent, ``author`` and ``message`` as given."""
        self.add()
        tree = self.git("write-tree")
        parent = self.git("rev-parse", "--verify", "-q", "HEAD", check=False)
        when = int(self.next_date().timestamp())
        raw = b"tree " + tree.encode() + b"\n"
        if parent:
            raw += b"parent " + parent.encode() + b"\n"
        raw += b"author %s %d +0100\ncommitter %s %d +0100\n" % (author, when, author, when)
        if encoding:
            raw += b"encoding " + encoding + b"\n"
        raw += b"\n" + message + b"\n"
        sha = self.git("hash-object", "-t", "commit", "-w", "--stdin", "--literally",
                       input=raw)
        self.git("update-ref", "HEAD", sha)
        return sha

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str, start: str | None = None, *, checkout: bool = True) -> None:
        if checkout:
            self.git("checkout", "-q", "-b", name, *([start] if start else []))
        else:
            self.git("branch", name, *([start] if start else []))

    def checkout(self, name: str) -> None:
        self.git("checkout", "-q", name)

    def merge(self, name: str, message: str | None = None, *, ff: bool = False,
              date: str | dt.date | dt.datetime | None = None,
              author: str = DEFAULT_AUTHOR, unrelated: bool = False) -> str:
        """Merge branch ``name`` into the current one (a merge commit unless ``ff``).

        When git reports a conflict, the test resolves it (write + add) and calls
        :meth:`commit`; use :meth:`merge_no_commit` for that."""
        name_, email = _split_author(author)
        when = _git_date(date if date is not None else self.next_date())
        env = {"GIT_AUTHOR_NAME": name_.decode(), "GIT_AUTHOR_EMAIL": email.decode(),
               "GIT_COMMITTER_NAME": name_.decode(), "GIT_COMMITTER_EMAIL": email.decode(),
               "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        self.git("merge", "-q", "--ff" if ff else "--no-ff", "--no-edit",
                 *(["--allow-unrelated-histories"] if unrelated else []),
                 "-m", message or f"Merge branch '{name}'", name, env=env)
        return self.head()

    def merge_no_commit(self, name: str) -> bool:
        """Start a merge without committing; returns False on conflicts."""
        proc = subprocess.run(["git", "merge", "--no-ff", "--no-commit", name], cwd=self.root,
                              env=self.env(), capture_output=True)
        return proc.returncode == 0

    def clone(self, dest: Path, *, depth: int | None = None) -> GitRepo:
        """Clone through file:// (so that --depth really makes a shallow clone)."""
        args = ["clone", "-q"]
        if depth:
            args += ["--depth", str(depth)]
        subprocess.run(["git", *args, self.root.resolve().as_uri(), str(dest)],
                       env=self.env(), check=True, capture_output=True)
        clone = GitRepo(dest, init=False)
        clone._count = self._count
        return clone
