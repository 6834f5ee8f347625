"""What a check is, and the catalogue of all of them.

A check is one small class: its stable ``code`` (G008), its ``name`` (exception-count), a
one-line ``title``, a default ``severity``, the ``rationale`` quoting the article, a ``hint``
saying how to fix, its parameters with defaults, and the function that looks. `livingsys rules`,
the README's table and SARIF's rule metadata are all generated from these classes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from livingsys.findings import Finding, Severity

if TYPE_CHECKING:
    from livingsys.models import Automation
    from livingsys.reading.registry import Entry, Registry


@dataclass(frozen=True)
class Param:
    """A parameter of a check, settable in livingsys.yaml's policy."""

    default: Any
    description: str
    #: The values allowed (for a list parameter: for each of its items), if limited.
    choices: tuple[str, ...] | None = None
    #: Which way a policy's value makes the check easier to pass, so that `lint`, `report`
    #: and `agenda` can show it as silenced governance (livingsys.checks.silenced): "higher" (a
    #: bigger number, or a later one of ``choices``), "lower", "fewer" (a list without some
    #: of the default's items) or "more" (a list with items the default does not have).
    #: None: any value other than the default is shown, as a change of unknown direction.
    looser: str | None = None


class Check:
    """Base class of every check. Subclasses set the class attributes and override one of
    :meth:`check_automation` (called once per valid automation) or :meth:`check_registry`."""

    code: ClassVar[str]
    name: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    rationale: ClassVar[str]
    hint: ClassVar[str]
    params: ClassVar[dict[str, Param]] = {}
    #: "input" for problems found while reading files (they cannot be switched off or
    #: waived), "schema" for format errors, "governance" for the article's rules.
    group: ClassVar[str] = "governance"
    #: A short YAML example that passes the check, shown by `livingsys rules CODE`.
    example: ClassVar[str] = ""
    #: Why a waiver in an automation file cannot silence this check (None: it can).
    not_waivable: ClassVar[str | None] = None
    #: The article's numbered rule (1, 2 or 3) this check enforces, if any: a waiver of it
    #: needs an approver of the kind G026 asks for (a manager by default).
    article_rule: ClassVar[int | None] = None

    def check_automation(self, entry: Entry[Automation], ctx: Context) -> Iterable[Finding]:
        return ()

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        return ()

    # -- helpers for subclasses -------------------------------------------------------------

    def finding(self, ctx: Context, entry: Entry | None, loc: tuple, message: str,
                hint: str | None = None, *, key: bool = False) -> Finding:
        """A finding of this check at ``loc`` inside ``entry``'s file."""
        line = col = None
        path = None
        if entry is not None:
            path = entry.path
            position = entry.position(loc, key=key)
            if position:
                line, col = position
        return Finding(code=self.code, severity=ctx.severity, message=message, path=path,
                       line=line, col=col, hint=hint or self.hint, name=self.name)


@dataclass
class Context:
    """What a check sees: the registry, today's date and its own parameters."""

    registry: Registry
    today: dt.date
    severity: Severity = Severity.ERROR
    params: dict[str, Any] = field(default_factory=dict)


_CATALOGUE: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator adding a check to the catalogue."""
    if cls.code in _CATALOGUE:  # pragma: no cover - programming error
        raise ValueError(f"duplicate check code {cls.code}")
    _CATALOGUE[cls.code] = cls
    return cls


def catalogue() -> list[type[Check]]:
    """Every check, sorted by code."""
    from livingsys.checks import load_all

    load_all()
    return sorted(_CATALOGUE.values(), key=lambda c: (_GROUP_ORDER[c.group], c.code))


def find(code_or_name: str) -> type[Check] | None:
    """A check by its code (G008, case-insensitive) or its name (exception-count)."""
    wanted = code_or_name.strip().lower()
    for check in catalogue():
        if check.code.lower() == wanted or check.name == wanted:
            return check
    return None


def suggest(word: str, groups: tuple[str, ...] = ("governance",)) -> str | None:
    """The check someone probably meant by ``word`` (a code or name with a typo), if any.

    A code written with too few digits (G8, G08) means that code, not the closest string
    (difflib would offer G018 for G08).
    """
    import re

    from livingsys.reading.validation import did_you_mean

    checks = [c for c in catalogue() if c.group in groups]
    short = re.fullmatch(r"\s*([A-Za-z])0*(\d{1,3})\s*", word)
    if short:
        padded = f"{short.group(1).upper()}{int(short.group(2)):03d}"
        if any(c.code == padded for c in checks):
            return padded
    return did_you_mean(word, [n for c in checks for n in (c.code, c.name)])


def names() -> Iterator[str]:
    for check in catalogue():
        yield check.code
        yield check.name


_GROUP_ORDER = {"input": 0, "schema": 1, "governance": 2, "drift": 3}
