"""What reading a YAML file gives: plain data that keeps where each key and value was written
(:class:`YamlMap`, :class:`YamlList`), the :class:`YamlDocument` of one file, and the codes of
the input problems with the finding that reports one.

The rest of the YAML reading builds on this module (see :mod:`livingsys.reading.yamlsource`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from livingsys import codes
from livingsys.findings import Finding, Severity

# Codes of the input problems; their titles, rationale and hints live in livingsys.codes.
UNREADABLE = "Y001"
SYNTAX = "Y002"
DUPLICATE_KEY = "Y003"
EMPTY = "Y004"
SEVERAL_DOCUMENTS = "Y005"
ALIAS_BOMB = "Y006"
TOO_LARGE = "Y007"
OUTSIDE = "Y008"
BOM = "Y009"
TAB = "Y010"
COMMENT_CUTS_VALUE = "Y011"
INVISIBLE = "Y013"


class YamlMap(dict):
    """A mapping read from YAML, with the position of each key and value (0-based)."""

    __slots__ = ("marks", "mark")
    #: Each key's (key line, key column, value line, value column).
    marks: dict[Any, tuple[int, int, int, int]]
    #: Where the mapping starts (line, column).
    mark: tuple[int, int]

    def key_position(self, key: Any) -> tuple[int, int] | None:
        m = self.marks.get(key)
        return (m[0], m[1]) if m else None

    def value_position(self, key: Any) -> tuple[int, int] | None:
        m = self.marks.get(key)
        return (m[2], m[3]) if m else None


class YamlList(list):
    """A sequence read from YAML, with the position of each item (0-based)."""

    __slots__ = ("marks", "mark")
    #: Each item's (line, column).
    marks: list[tuple[int, int]]
    #: Where the sequence starts (line, column).
    mark: tuple[int, int]


@dataclass
class YamlDocument:
    """What reading one file gave: its data (None when unusable) and its problems."""

    path: str
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    text: str | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None


def finding(code: str, path: str, message: str, hint: str, line: int | None = None,
             col: int | None = None, severity: Severity = Severity.ERROR,
             unreadable: bool = False) -> Finding:
    """The finding of an input problem ``code`` (Y001...) in the file shown as ``path``,
    at a 1-based ``line`` and ``col`` when known, with the code's name."""
    return codes.finding(code, message, path, line=line, col=col, hint=hint, severity=severity,
                         unreadable=unreadable)
