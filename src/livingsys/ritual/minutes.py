"""What the article asks of a review meeting, checked on its minutes (reviews/<date>.yaml).

"A short meeting ... with a business representative, the person who configured the
automations, possibly a manager if the perimeter is sensitive. Review 2 to 3 key automations,
no more, and always ask the same questions." Both `livingsys review record` (which refuses to
write minutes that break it) and lint (G027, G028, for minutes written by hand) ask it. What
the files alone answer lives in :mod:`livingsys.reading.reviews`, below the checks, so that
lint reads it without the ritual: at most ``review.max_items`` automations (``item_limit``,
``too_many``), each automation's business owner and maintainer present or excused
(``missing_people``). This module adds:

- :func:`expected_now`: who owns and maintains each automation reviewed, as its file says
  today;
- :func:`rules_change_denied`: "rules changed? no" when git history shows a significant change
  of the automation or of a shared rule it uses since its previous review. That one needs git,
  so only `review record` asks it (lint stays fast and git-free); the agenda's first question
  already lists those changes, so the meeting sees them before answering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from livingsys.i18n import _
from livingsys.reading.reviews import roles

if TYPE_CHECKING:
    from livingsys.reading.registry import Registry

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
            out.append(DeniedChange(item.automation, denied[item.automation],
                                    [_denied_line(c) for c in changes]))
    return out


def _denied_line(change) -> str:
    """A change a bare "no" contradicts: where, what, who (and whether it is committed)."""
    text = f"{change.path}: {change.text}" + (f" ({change.by})" if change.by else "")
    if change.uncommitted:
        text = _("{change} (not committed yet)").format(change=text)
    return text
