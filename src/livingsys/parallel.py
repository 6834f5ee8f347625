"""Reading many files at once: in several processes when the registry is large.

Reading (decoding, parsing, building the data with positions) is most of lint's time and is
pure Python per file, so one process uses one core. For a large registry the files are shared
out between this process and ``cores - 1`` forked helpers: each claims the next chunk of
files from a shared counter, so a slow or busy process simply takes fewer chunks. Helpers send
their YamlDocuments back pickled; this process puts every document back in the files' order,
so what is read, and every finding, is the same as reading the files one after the other.

Nothing is lost when a helper fails: a chunk it could not read or send, or a helper that dies,
is read again here. Small registries, machines with one core, platforms without ``fork``, and
processes that already run threads (forking them is unsafe) read in this process only.
``LIVINGSYS_JOBS=1`` turns helpers off; ``LIVINGSYS_JOBS=N`` caps the processes at N.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from pathlib import Path
from queue import Empty
from typing import Any

from livingsys import yamlsource

#: Below this many files, starting helpers costs more than it saves.
MIN_FILES = 300
#: Files per chunk claimed at a time: large enough to keep messages few, small enough to
#: share the work evenly.
CHUNK = 24
JOBS_ENV = "LIVINGSYS_JOBS"


def processes(n_files: int) -> int:
    """How many processes (this one included) should read ``n_files`` files."""
    if n_files < MIN_FILES or not sys.platform.startswith("linux"):
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    wanted = os.environ.get(JOBS_ENV, "").strip()
    if wanted:
        try:
            cores = min(cores, max(1, int(wanted)))
        except ValueError:
            pass
    if cores <= 1 or threading.active_count() > 1:
        return 1
    import multiprocessing

    if multiprocessing.current_process().daemon:  # daemons may not start processes
        return 1
    return min(cores, 1 + n_files // (4 * CHUNK))


def read_all(jobs: list[tuple[Path, str]]) -> list[yamlsource.YamlDocument]:
    """``yamlsource.read(file, display)`` for each job, in order."""
    n = processes(len(jobs))
    if n <= 1:
        return [yamlsource.read(file, display) for file, display in jobs]
    try:
        return _read_in_processes(jobs, n - 1)
    except _NoHelpers:
        return [yamlsource.read(file, display) for file, display in jobs]


class _NoHelpers(Exception):
    """The helper processes could not be started."""


def _helper(jobs: list[tuple[Path, str]], counter: Any, results: Any) -> None:
    """A helper: claim chunks until none is left; send each chunk's documents (or None)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the main process stops us
    total = len(jobs)
    try:
        while True:
            with counter.get_lock():
                start = counter.value
                counter.value = start + CHUNK
            if start >= total:
                break
            try:
                docs = [yamlsource.read(file, display) for file, display
                        in jobs[start:start + CHUNK]]
                payload = pickle.dumps(docs, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # the main process reads this chunk itself
                payload = None
            results.put((start, payload))
    finally:
        results.close()
        results.join_thread()


def _read_in_processes(jobs: list[tuple[Path, str]], helpers: int) -> list:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)
    results = context.Queue()
    workers = []
    try:
        for _ in range(helpers):
            worker = context.Process(target=_helper, args=(jobs, counter, results),
                                     daemon=True)
            worker.start()
            workers.append(worker)
    except OSError as exc:  # cannot fork (limits, memory): read here
        for worker in workers:
            worker.kill()
        if not workers:
            raise _NoHelpers() from exc

    total = len(jobs)
    docs: list[Any] = [None] * total
    mine: set[int] = set()
    received: set[int] = set()

    def store(start: int, payload: bytes | None) -> None:
        if payload is None:
            return  # a helper could not read it: it stays missing and is read below
        try:
            chunk = pickle.loads(payload)
        except Exception:
            return
        docs[start:start + len(chunk)] = chunk
        received.add(start)

    def drain() -> None:
        while True:
            try:
                start, payload = results.get_nowait()
            except Empty:
                return
            store(start, payload)

    try:
        while True:
            drain()
            with counter.get_lock():
                start = counter.value
                counter.value = start + CHUNK
            if start >= total:
                break
            mine.add(start)
            docs[start:start + CHUNK] = [yamlsource.read(file, display) for file, display
                                         in jobs[start:start + CHUNK]]
        expected = set(range(0, total, CHUNK)) - mine
        while expected - received:
            try:
                start, payload = results.get(timeout=0.05)
            except Empty:
                if all(not worker.is_alive() for worker in workers):
                    try:  # what a finished helper sent is in the pipe already
                        start, payload = results.get(timeout=0.2)
                    except Empty:
                        break
                else:
                    continue
            store(start, payload)
    finally:
        for worker in workers:
            worker.join(timeout=1)
            if worker.is_alive():  # pragma: no cover - a stuck helper
                worker.kill()
                worker.join()
        results.close()
        results.cancel_join_thread()
    for start in sorted(set(range(0, total, CHUNK)) - mine - received):
        docs[start:start + CHUNK] = [yamlsource.read(file, display) for file, display
                                     in jobs[start:start + CHUNK]]
    return docs
