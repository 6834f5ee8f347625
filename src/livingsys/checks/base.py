"""What a check is, and the catalogue of every code.

A check is one small class: its stable ``code`` (G008), its ``name`` (exception-count), a
one-line ``title``, a default ``severity``, the ``rationale`` quoting the article, a ``hint``
saying how to fix, its parameters with defaults, and the function that looks. Registering the
class defines its code's metadata in livingsys.codes, where the codes of the file readers (Y, S,
I) and X001 are defined too: :func:`catalogue` lists them all, and `livingsys rules`, the
README's table, docs/checks.md and SARIF's rule metadata are generated from it.

The texts a user reads (``title``, ``rationale``, ``hint``, the parameters' descriptions,
``not_waivable``, and the comments of ``example`` if it has any) are written in English and
marked with ``N_()``, so that the catalog has them; :func:`livingsys.codes.translated` gives
them in the language spoken where they are read (:func:`catalogue` and :func:`find` already do),
and a finding's default hint is translated the same way::

    from livingsys.i18n import N_

    @register
    class OwnerDeclared(Check):
        code = "G001"
        title = N_("Every automation has a business owner")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from livingsys import codes
from livingsys.codes import Code, Param
from livingsys.findings import Finding, Severity
from livingsys.i18n import _, pgettext

if TYPE_CHECKING:
    from livingsys.models import Automation
    from livingsys.reading.registry import Entry, Registry


class Check:
    """Base class of every check. Subclasses set the class attributes and override one of
    :meth:`check_automation` (called once per valid automation) or :meth:`check_registry`."""

    # The metadata (see livingsys.codes.Code, which :func:`register` builds from them).
    code: ClassVar[str]
    name: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    rationale: ClassVar[str]
    hint: ClassVar[str]
    params: ClassVar[dict[str, Param]] = {}
    #: "governance" for the article's rules, "drift" for `livingsys drift` (livingsys.codes.GROUPS).
    group: ClassVar[str] = "governance"
    #: A short YAML example that passes the check, shown by `livingsys rules CODE`.
    example: ClassVar[str] = ""
    #: Why a waiver in an automation file cannot silence this check (None: it can).
    not_waivable: ClassVar[str | None] = None
    #: The article's numbered rule (1, 2 or 3) this check enforces, if any: a waiver of it
    #: needs an approver of the kind G026 asks for (a manager by default).
    article_rule: ClassVar[int | None] = None
    #: True when the check reads files outside the registry (the tool's export): lint's cache
    #: runs it every time instead of keeping its findings.
    reads_files: ClassVar[bool] = False

    def check_automation(self, entry: Entry[Automation], ctx: Context) -> Iterable[Finding]:
        return ()

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        return ()

    # -- helpers for subclasses -------------------------------------------------------------

    def finding(self, ctx: Context, entry: Entry | None, loc: tuple, message: str,
                hint: str | None = None, *, key: bool = False) -> Finding:
        """A finding of this check at ``loc`` inside ``entry``'s file; without ``hint``, with the
        check's own, in the language spoken."""
        line = col = None
        path = None
        if entry is not None:
            path = entry.path
            position = entry.position(loc, key=key)
            if position:
                line, col = position
        return Finding(code=self.code, severity=ctx.severity, message=message, path=path,
                       line=line, col=col, hint=hint or _(self.hint), name=self.name)


def either(items: Iterable[str]) -> str:
    """'business or manager' / 'business ou manager': choices a value may take, in the
    language spoken."""
    word = pgettext("between two choices", "or")
    return f" {word} ".join(items)


@dataclass
class Context:
    """What a check sees: the registry, today's date and its own parameters."""

    registry: Registry
    today: dt.date
    severity: Severity = Severity.ERROR
    params: dict[str, Any] = field(default_factory=dict)


_CHECKS: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator adding a check to the catalogue, and its code to livingsys.codes."""
    codes.define(Code(code=cls.code, name=cls.name, title=cls.title, rationale=cls.rationale,
                      hint=cls.hint, severity=cls.severity, group=cls.group, params=cls.params,
                      example=cls.example, not_waivable=cls.not_waivable,
                      article_rule=cls.article_rule))
    _CHECKS[cls.code] = cls
    return cls


def catalogue() -> list[Code]:
    """Every code lint and drift can report, by group (livingsys.codes.GROUPS) then code, with
    its texts in the language spoken."""
    from livingsys.checks import load_all

    load_all()
    return codes.defined()


def checks(group: str = "governance") -> list[type[Check]]:
    """The check classes of ``group``, sorted by code."""
    from livingsys.checks import load_all

    load_all()
    return sorted((c for c in _CHECKS.values() if c.group == group), key=lambda c: c.code)


def find(code_or_name: str) -> Code | None:
    """A code by itself (G008, case-insensitive) or by its name (exception-count)."""
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

    candidates = [c for c in catalogue() if c.group in groups]
    short = re.fullmatch(r"\s*([A-Za-z])0*(\d{1,3})\s*", word)
    if short:
        padded = f"{short.group(1).upper()}{int(short.group(2)):03d}"
        if any(c.code == padded for c in candidates):
            return padded
    return did_you_mean(word, [n for c in candidates for n in (c.code, c.name)])


def names() -> Iterator[str]:
    for check in catalogue():
        yield check.code
        yield check.name
