"""Reading git's output: ``git log --raw -z`` parsed into commits and changes, and one
persistent ``git cat-file --batch`` for the texts.

Both run through :mod:`livingsys.history.gitcmd` (the repository's own programs switched off).
"""

from __future__ import annotations

import datetime as dt
import queue
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from livingsys.history import gitcmd
from livingsys.history.errors import HistoryError
from livingsys.history.model import Commit
from livingsys.i18n import _

REGULAR_MODES = (b"100644", b"100755")
"""File modes of plain files (symlinks and submodules are not registry files)."""

#: One record per commit; fields are NUL-separated (-z), the record starts with \x01.
FORMAT = "%x01%H%x00%P%x00%aN%x00%aE%x00%aI%x00%cI%x00%s"
HEADER_FIELDS = 6  # after the sha token: parents, name, email, author date, commit date, subject


class ByteStream(Protocol):
    """A pipe read as it fills (a process's buffered stdout)."""

    def read1(self, size: int = ..., /) -> bytes: ...


@dataclass(slots=True)
class Change:
    """One line of ``git log --raw`` for one commit (paths relative to the registry)."""

    status: str  # A M D R T (C is read as A)
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None

class CatFile:
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
                        raise HistoryError("git_failed", _(
                            "git cat-file stopped unexpectedly"), _(
                            "check that the repository is not corrupted (`git fsck`)"))
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


def tokens(stream: ByteStream) -> Iterator[bytes]:
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


def when(raw: bytes) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(raw.decode("ascii"))
    except ValueError:  # pragma: no cover - git always writes strict ISO 8601 here
        return dt.datetime.fromtimestamp(0, dt.UTC)


def parse_log(stream: ByteStream, strip: int, commits: dict[str, Commit],
              changes: dict[str, list[Change]]) -> list[str]:
    """Read the output of ``git log`` run with :data:`FORMAT` (``--raw -M -z --parents``) into
    ``commits`` and ``changes`` (each commit once, paths with their first ``strip`` characters
    cut: relative to the registry) and return the commits' shas, newest first."""
    order: list[str] = []
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

    it = tokens(stream)
    tok = next(it, None)
    while tok is not None:
        if tok[:1] != b"\x01":
            tok = next(it, None)
            continue
        sha = tok[1:].decode("ascii")
        parents, an, ae, ad, cd, subject = (next(it, b"") for _ in range(HEADER_FIELDS))
        repeated = sha in commits
        mine: list[Change] = []
        if not repeated:
            commits[sha] = Commit(
                sha, tuple(parents.decode("ascii").split()), name(an), name(ae),
                when(ad), when(cd), subject.decode("utf-8", "replace"))
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
            old_ok = meta[0] in REGULAR_MODES
            new_ok = meta[1] in REGULAR_MODES
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
                mine.append(Change("A", None, new_path, None, meta[3].decode("ascii")))
            elif status == "D":
                mine.append(Change("D", old_path, None, meta[2].decode("ascii"), None))
            else:
                mine.append(Change(status, old_path, new_path, meta[2].decode("ascii"),
                                    meta[3].decode("ascii")))
    return order
