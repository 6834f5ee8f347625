"""What the article asks of a review meeting, checked on its minutes (reviews/<date>.yaml).

"A short meeting ... with a business representative, the person who configured the
automations, possibly a manager if the perimeter is sensitive. Review 2 to 3 key automations,
no more, and always ask the same questions." One module says it, and both `livingsys review
record` (which refuses to write minutes that break it) and lint (G027, G028, for minutes
written by hand) ask it:

- :func:`item_limit` / :func:`too_many`: at most ``review.max_items`` automations (default 3);
- :func:`missing_people`: each automation's business owner and maintainer present, or listed
  under ``absent:`` with a reason;
- :func:`rules_change_denied`: "rules changed? no" when git history shows a significant change
  of the automation or of a shared rule it uses since its previous review. That one needs git,
  so only `review record` asks it (lint stays fast and git-free); the agenda's first question
  already lists those changes, so the meeting sees them before answering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from livingsys.reading.registry import Registry

DEFAULT_MAX_ITEMS = 3
#: Answers that say only "no" (in English or French), once lowercased and stripped of
#: punctuation: "No.", "none", "no change", "non", "rien". An explained answer ("No: the
#: incident came from the sync, not from a rule") is the meeting's own judgement and passes.
NEGATIVE_ANSWERS = frozenset({
    "no", "n", "nope", "none", "nothing", "no change", "no changes", "unchanged", "not changed",
    "no rule changed", "nothing changed", "non", "rien", "aucun", "aucune", "pas de changement",
    "inchangé", "inchangées", "-", "",
})
#: The changes that are changes of the business rules (semantic_diff's areas): the rules and
#: exceptions, their facts, the shared rules used and which ones. A new owner, a lower daily
#: cap or a reworded step is a reason to review, not a "yes" to "have the rules changed?".
RULE_AREAS = frozenset({"rule", "exception", "fact", "shared_rule", "uses_rules"})


def item_limit(registry: Registry) -> int:
    """The most automations one meeting reviews (review.max_items, default 3)."""
    settings = registry.settings.model if registry.settings else None
    return settings.review.max_items if settings else DEFAULT_MAX_ITEMS


def too_many(count: int, limit: int) -> bool:
    return count > limit


@dataclass
class MissingPerson:
    """An owner or maintainer of automations reviewed, neither present nor excused."""

    person: str
    name: str
    #: (role, automation) pairs: ("business owner", "payment-reminders").
    roles: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        """'n.lefebvre (Nathalie Lefebvre), business owner of payment-reminders'."""
        by_role: dict[str, list[str]] = {}
        for role, automation in self.roles:
            by_role.setdefault(role, []).append(automation)
        roles = "; ".join(f"{role} of {', '.join(ids)}" for role, ids in by_role.items())
        who = f"{self.person} ({self.name})" if self.name != self.person else self.person
        return f"{who}, {roles}"


def roles(registry: Registry, ident: str) -> tuple[str | None, str | None] | None:
    """(owner, maintainer) of the automation ``ident`` refers to (its id now, or an old id in
    its ``formerly``), as its file says today; None for an unknown or invalid automation."""
    from livingsys.reading.renames import names

    current = names(registry).resolve(ident)
    entry = registry.automation(current) if current else None
    if entry is None or entry.model is None:
        return None
    return entry.model.owner, entry.model.maintainer


def missing_people(registry: Registry, expected: list[tuple[str, str | None, str | None]],
                   attendees: list[str], absent: list[str]) -> list[MissingPerson]:
    """Of each automation reviewed, ``(id, owner, maintainer)``, the owner and maintainer who
    are neither in ``attendees`` nor in ``absent`` (with a reason), in the automations' order."""
    people = registry.people or {}
    there = set(attendees) | set(absent)
    out: dict[str, MissingPerson] = {}
    for ident, owner, maintainer in expected:
        for role, person in (("business owner", owner), ("maintainer", maintainer)):
            if not person or person in there:
                continue
            known = people.get(person)
            missing = out.setdefault(person, MissingPerson(
                person, known.name if known else person))
            missing.roles.append((role, ident))
    return list(out.values())


def expected_now(registry: Registry, automation_ids: list[str]
                 ) -> list[tuple[str, str | None, str | None]]:
    """``(id, owner, maintainer)`` of each automation as its file says today (unknown ones
    left out: G021 reports them)."""
    out = []
    for ident in automation_ids:
        found = roles(registry, ident)
        if found is not None:
            out.append((ident, *found))
    return out


def _bare(answer: str) -> str:
    text = " ".join(answer.lower().split())
    return re.sub(r"[\s.!,;:…]+$", "", text).strip()


def is_bare_no(answer: str) -> bool:
    """Whether an answer to "have the rules changed?" only says no."""
    return _bare(answer) in NEGATIVE_ANSWERS


@dataclass
class DeniedChange:
    """An automation whose minutes answer "no" to "have the rules changed?" while the
    registry's history shows changes since its previous review."""

    automation: str
    answer: str
    #: The changes, in the domain's words, with where and who ("rules/x.yaml: parameter
    #: 'amount_threshold_eur' changed from 5000 to 3000 (Nathalie, 2026-11-25, 41ea9f5)").
    changes: list[str]


def rules_change_denied(registry: Registry, day, answers: dict[str, str]
                        ) -> list[DeniedChange]:
    """The automations (id -> their "rules changed?" answer) whose bare "no" contradicts the
    git history since their previous review. Raises HistoryError when history cannot be read
    (the caller decides what to say)."""
    denied = {ident: a for ident, a in answers.items() if is_bare_no(a)}
    if not denied:
        return []
    from livingsys.ritual.agenda import rule_changes
    from livingsys.ritual.review_due import review_due

    report = review_due(registry, day, history=True)
    out = []
    for item in report.due:
        if item.automation not in denied:
            continue
        changes, _notes = rule_changes(item, report, RULE_AREAS)
        if changes:
            out.append(DeniedChange(item.automation, denied[item.automation], [
                f"{c.path}: {c.text}" + (f" ({c.by})" if c.by else "")
                + (" (not committed yet)" if c.uncommitted else "") for c in changes]))
    return out
