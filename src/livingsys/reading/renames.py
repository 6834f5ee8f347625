"""Which automation an id refers to: its id now, or an id it had before (``formerly``).

An automation renamed with ``git mv`` keeps its past: the minutes, incidents and rows of
indicators.csv written under its old id are still about it. The automation file says so
explicitly, so that lint needs no git::

    id: payment-reminders
    formerly: [reminders]          # the ids it had before, oldest or newest first

:func:`names` gives the one :class:`Names` of a registry; lint (G021, I003), review-due,
agenda, report and export all ask it, so they follow a rename in the same way. review-due also
reads renames from git, and says when git knows an old id that ``formerly`` does not list
(docs/reviews.md, "Renamed automations"). Clashes (an old id that is another automation's id,
or listed by two automations) are lint's G032; the first automation in file order keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from livingsys.i18n import _
from livingsys.models import Automation


class AutomationFile(Protocol):
    """What :func:`build` reads of an automation's file (a livingsys.reading.registry.Entry)."""

    @property
    def stem(self) -> str: ...

    @property
    def model(self) -> Automation | None: ...


class Automations(Protocol):
    """What :func:`build` and :func:`names` read of a registry
    (livingsys.reading.registry.Registry, which loads the automations and asks this module
    which ids its rows of indicators.csv may name: written as a protocol so that this module
    does not import the loader that imports it)."""

    @property
    def automations(self) -> Sequence[AutomationFile]: ...

    def _cached(self, name: str, sources: tuple, size: int,
                compute: Callable[[], Names]) -> Names: ...


@dataclass
class Names:
    """The automations' ids now, and the ids they had before."""

    #: Each automation's id now (its ``id``, or its file name when the file is invalid).
    current: set[str] = field(default_factory=set)
    #: Old id -> the id of the automation that lists it in ``formerly``.
    former: dict[str, str] = field(default_factory=dict)
    #: Id now -> its old ids, in the order written.
    formerly: dict[str, list[str]] = field(default_factory=dict)

    def resolve(self, ident: str) -> str | None:
        """The id (now) of the automation ``ident`` refers to, or None when none does."""
        if ident in self.current:
            return ident
        return self.former.get(ident)

    def ids_of(self, automation_id: str) -> list[str]:
        """Every id the automation is known by: its id now first, then its old ids."""
        return [automation_id, *self.formerly.get(automation_id, [])]

    @property
    def aliases(self) -> dict[str, str]:
        """Every id that refers to an automation -> its id now."""
        return {**self.former, **{i: i for i in self.current}}

    def renamed_hint(self, ident: str, new_id: str | None = None) -> str:
        """What to do about a reference to an id no automation has (any more)."""
        if new_id:
            hint = _("if the automation was renamed, add `formerly: [{old}]` to {file}: "
                     "minutes, incidents and figures under the old id then count for it (past "
                     "minutes stay as they are); otherwise fix the id, or restore the "
                     "automation file (retired automations stay, with their status)")
        else:
            hint = _("if the automation was renamed, add `formerly: [{old}]` to the renamed "
                     "automation's file: minutes, incidents and figures under the old id then "
                     "count for it (past minutes stay as they are); otherwise fix the id, or "
                     "restore the automation file (retired automations stay, with their "
                     "status)")
        return hint.format(old=ident, file=f"automations/{new_id}.yaml")


def build(registry: Automations) -> Names:
    out = Names()
    entries = registry.automations
    for entry in entries:
        out.current.add(entry.model.id if entry.model else entry.stem)
    for entry in entries:
        if entry.model is None:
            continue
        own = entry.model.id
        kept = out.formerly.setdefault(own, [])
        for old in entry.model.formerly:
            if old in out.current or old in out.former:
                continue  # a clash: G032 reports it; the id keeps its first meaning
            out.former[old] = own
            kept.append(old)
    return out


def names(registry: Automations) -> Names:
    """The registry's :class:`Names`, built once while its automations stay the same."""
    entries = registry.automations
    return registry._cached("names", (entries,), len(entries), lambda: build(registry))


__all__ = ["Names", "build", "names"]
