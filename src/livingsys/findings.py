"""Findings: what lint and every other check report, with where and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from livingsys.i18n import pgettext


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column inside a file."""

    line: int
    col: int


@dataclass(slots=True)
class Finding:
    """One problem found in the registry.

    ``path`` is the file as the user is shown it (:meth:`Registry.display
    <livingsys.reading.registry.Registry.display>`): the registry folder relative to the
    current folder, then the file inside it (``registry/automations/reminders.yaml``), or from
    the registry's absolute path when it is outside the current folder; ``None`` for the whole
    registry. ``line`` and ``col`` are 1-based, or ``None`` when the problem concerns the whole
    file or registry.
    """

    code: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    col: int | None = None
    hint: str | None = None
    name: str = ""
    # True when the file could not be read at all (exit code 2 rather than 1).
    unreadable: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def location(self) -> str:
        """'path:line:col' as editors link it, the path alone, or the registry as a whole (in
        the language spoken)."""
        if not self.path:
            return pgettext("where a finding is", "registry")
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"

    def sort_key(self) -> tuple:
        return (self.path or "", self.line or 0, self.col or 0, self.code)

    def to_dict(self) -> dict:
        data = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "hint": self.hint,
        }
        if self.extra:
            data.update(self.extra)
        return data


def count(findings: list[Finding]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors
