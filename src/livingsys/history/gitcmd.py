"""Every git command livingsys runs, with the programs a repository can name switched off.

A repository's own configuration (``.git/config``, ``.git/info/attributes``) can name programs
that git then runs on its owner's behalf: someone who hands over a registry folder (a zip, a
shared drive, a CI cache) could make ``livingsys review-due`` run anything. livingsys only
reads history, so it needs none of them, and every git process it starts goes through
:func:`argv` (or a repository opened with :func:`open_repo`), which turns each one off:

``core.fsmonitor``               a "file system monitor" hook run by status and diff
``filter.<driver>.clean/...``    content filters (``.gitattributes``) run when status hashes
                                 a file: every driver the configuration defines is blanked
``diff.external``, textconv      external diff and text conversion (also ``--no-ext-diff``
                                 and ``--no-textconv`` where a command takes them)
``core.hooksPath``               hooks (read commands run none; set anyway)
``core.pager``, ``pager.*``      a pager (only with a terminal; set to ``cat`` anyway)
``log.showSignature``            ``gpg.program`` on every ``git log``
``credential.helper``,           a fetch (a partial clone fetches missing objects lazily,
``protocol.allow=never``         with the repository's URL and ``core.sshCommand``): no
                                 transport at all, and ``GIT_NO_LAZY_FETCH``
``gc.auto``, ``maintenance.auto``  background maintenance

``git status`` also skips submodules (``--ignore-submodules=all``: a submodule has its own
configuration). The system and user configuration (``/etc/gitconfig``, ``~/.gitconfig``) are
kept: they are the user's, not the repository's, and hold ``safe.directory`` in CI.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

_FIXED = (
    "core.fsmonitor=false",
    f"core.hooksPath={os.devnull}",
    "core.pager=cat",
    "diff.external=",
    "log.showSignature=false",
    "credential.helper=",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
    "core.quotepath=off",
)

#: The environment every git process gets on top of the user's.
ENV = {"GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat",
       "GIT_EXTERNAL_DIFF": "", "GIT_OPTIONAL_LOCKS": "0"}


def executable() -> str:
    """The git program (GitPython's choice, so one setting names it)."""
    try:
        import git

        return git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git"
    except Exception:  # pragma: no cover - GitPython refuses to import without git
        return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE", "git")


def options(repo_root: str | os.PathLike[str]) -> list[str]:
    """``-c`` options for a git process in ``repo_root``: the fixed ones, and every filter
    driver its configuration defines blanked (read now: the configuration may change)."""
    found: list[str] = []
    for item in _FIXED:
        found += ["-c", item]
    for driver in _filter_drivers(str(repo_root)):
        for part in ("clean", "smudge", "process"):
            found += ["-c", f"filter.{driver}.{part}="]
        found += ["-c", f"filter.{driver}.required=false"]
    return found


def _filter_drivers(repo_root: str) -> list[str]:
    """Names of the ``filter.<driver>`` sections in the configuration git reads there.

    ``git config --list`` runs no program. A driver name with '=' cannot be blanked with
    ``-c``; git then refuses the whole command, which is safe."""
    try:
        done = subprocess.run([executable(), "config", "--list", "-z"], cwd=repo_root,
                              capture_output=True, env=environment(), timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    drivers: list[str] = []
    for entry in done.stdout.split(b"\0"):
        key = entry.split(b"\n", 1)[0].decode("utf-8", "surrogateescape")
        if key.lower().startswith("filter.") and key.count(".") >= 2:
            name = key[len("filter."):key.rindex(".")]
            if name not in drivers:
                drivers.append(name)
    return drivers


def environment() -> dict[str, str]:
    """The user's environment with :data:`ENV` on top."""
    return {**os.environ, **ENV}


def argv(repo_root: str | os.PathLike[str], *args: str, opts: list[str] | None = None
         ) -> list[str]:
    """The full command line of ``git ARGS`` in ``repo_root``, repository programs off
    (``opts``: :func:`options` already read for that repository)."""
    return [executable(), *(options(repo_root) if opts is None else opts), *args]


def run(repo_root: str | os.PathLike[str], *args: str, opts: list[str] | None = None,
        **kwargs: Any) -> subprocess.CompletedProcess:
    """``subprocess.run`` of ``git ARGS`` in ``repo_root`` (output captured), programs off."""
    kwargs.setdefault("capture_output", True)
    return subprocess.run(argv(repo_root, *args, opts=opts), cwd=repo_root, env=environment(),
                          **kwargs)


def popen(repo_root: str | os.PathLike[str], *args: str, opts: list[str] | None = None,
          **kwargs: Any) -> subprocess.Popen:
    """``subprocess.Popen`` of ``git ARGS`` in ``repo_root``, programs off."""
    return subprocess.Popen(argv(repo_root, *args, opts=opts), cwd=repo_root,
                            env=environment(), **kwargs)


def open_repo(folder: str | os.PathLike[str]):
    """A GitPython ``Repo`` for ``folder`` (searching parent folders) whose every command
    runs with repository programs off. Raises GitPython's errors."""
    import git

    repo = git.Repo(folder, search_parent_directories=True)
    opts = options(repo.working_tree_dir or repo.git_dir)
    repo.git.set_persistent_git_options(c=opts[1::2])
    repo.git.update_environment(**ENV)
    # for commands run with :func:`argv`; our own attribute on GitPython's Repo
    repo.livingsys_git_options = opts  # type: ignore[attr-defined]
    return repo


__all__ = ["ENV", "argv", "environment", "executable", "open_repo", "options", "popen", "run"]
