"""`livingsys site`: the registry as a static site for the people who never open a terminal.

:func:`build_site` gathers everything from the core, once: the report
(:mod:`livingsys.ritual.report`:
owners, lint, checklist, indicators), the reviews due with their reasons
(:mod:`livingsys.ritual.review_due`), the next meeting's agenda (:mod:`livingsys.ritual.agenda`),
each
automation's and shared rule's significant changes from git (:mod:`livingsys.ritual.changelog`) and
its flow (:mod:`livingsys.render.graph`); :mod:`livingsys.site.pages` turns that into pages with
Jinja2 templates (every value escaped by default), and the assets are copied beside them.

The site is a folder of plain files with relative links: it opens from ``file://``, offline,
and is published as is by GitHub or GitLab Pages. For the same registry (same commit, same
working tree) and the same ``as_of`` day, it is byte-for-byte the same: no time of the build
is written anywhere, everything is listed in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from livingsys.reading.registry import Registry, as_registry

#: The file that marks a folder as a site livingsys built (so it may be replaced).
MARKER = ".livingsys-site"
MARKER_TEXT = "This folder was built by `livingsys site`; the next build replaces it.\n"
ASSETS = Path(__file__).parent / "assets"


class SiteError(Exception):
    """The site cannot be written where asked; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class SiteResult:
    output: Path
    #: Every file written, relative to ``output``, sorted.
    files: list[str] = field(default_factory=list)
    #: Why git history was not read, when it was not (then no changes are shown).
    history_note: str | None = None

    @property
    def pages(self) -> list[str]:
        return [f for f in self.files if f.endswith(".html")]


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise SiteError(f"'{output}' is a file, not a folder",
                        "choose a folder for the site, e.g. --output public")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise SiteError(f"'{output}' already holds files that livingsys did not write; "
                        "nothing was changed",
                        "choose an empty or new folder (e.g. --output public), or remove it "
                        "first")


def _write_tree(files: dict[str, bytes], output: Path) -> None:
    """Write the site next to ``output``, then put it in place in one rename (a reader sees
    the old site or the new one); the previous site, if any, is removed after."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for folder in [staging, *sorted(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)
        for path in staging.rglob("*"):
            if path.is_file():
                os.chmod(path, 0o644)
        old = None
        if output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old.", dir=output.parent))
            os.replace(output, old / "site")
        os.replace(staging, output)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build_site(registry: Registry | Path | str, output: Path | str,
               as_of: dt.date | None = None) -> SiteResult:
    """Build the site of ``registry`` as of ``as_of`` (default today) into ``output``.

    ``output`` must be missing, empty, or a site built before (it is then replaced whole).
    Raises :class:`SiteError` otherwise; a registry git cannot read is not an error (the
    site says the changes are not shown, and why)."""
    from livingsys.site.data import collect
    from livingsys.site.pages import render

    output = Path(output)
    _check_output(output)
    registry = as_registry(registry)
    data = collect(registry, as_of or dt.date.today())
    files = render(data)
    for path in sorted(ASSETS.rglob("*")):
        if path.is_file():
            files[f"assets/{path.relative_to(ASSETS).as_posix()}"] = path.read_bytes()
    files[MARKER] = MARKER_TEXT.encode()
    _write_tree(files, output)
    return SiteResult(output, sorted(files), data.history_note)


__all__ = ["SiteError", "SiteResult", "build_site"]
