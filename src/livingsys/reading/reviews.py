"""What the registry says about its reviews, read without git: the rules every side asks.

"Review 2 to 3 key automations, no more, and always ask the same questions", "at least
quarterly, ideally monthly": lint's checks (G011, G027, G028), the review schedule, the agenda
and `livingsys review record` all judge a cadence and a meeting's minutes here, so they never
disagree. Nothing here reads git or prints:

- :func:`judge_cadence` / :class:`CadenceJudgement`: an automation's effective cadence (its
  own, else livingsys.yaml's :func:`default_cadence`) against the longest allowed;
- :func:`item_limit` / :func:`too_many`: at most ``review.max_items`` automations a meeting;
- :func:`roles` / :func:`missing_people`: each automation's business owner and maintainer
  present, or listed under ``absent:`` with a reason;
- :data:`STANDING_QUESTIONS`: the three questions asked of every automation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from livingsys.i18n import N_, _, pgettext
from livingsys.models.common import CADENCE_MONTHS

if TYPE_CHECKING:
    from livingsys.models import Automation
    from livingsys.reading.registry import Registry

#: The three questions the article asks at every review (section 3.1), by field name. They
#: are marked for the catalog (their French is the article's, word for word): show them with
#: ``_(STANDING_QUESTIONS[name])``.
STANDING_QUESTIONS: dict[str, str] = {
    "rules_changed": N_("Have the business rules changed?"),
    "incidents": N_("Were there incidents or negative feedback?"),
    "simplify": N_("Can a step be simplified or a special case removed?"),
}

#: The article's longest review cadence: "at least quarterly, ideally monthly".
MAX_CADENCE = "quarterly"


@dataclass(frozen=True)
class CadenceJudgement:
    """An automation's effective review cadence (its own, else livingsys.yaml's default) and
    whether it is within the longest cadence allowed. G011, the checklist and the review
    schedule all judge a cadence through :func:`judge_cadence`, so they never disagree."""

    #: The cadence as written: the automation's ``review.cadence``, else the default.
    cadence: str | None
    source: Literal["automation", "default"] | None
    #: The longest cadence allowed (G011's max_cadence), or None when none is enforced.
    limit: str | None = MAX_CADENCE

    @property
    def too_long(self) -> bool:
        return (self.cadence is not None and self.limit is not None
                and CADENCE_MONTHS[self.cadence] > CADENCE_MONTHS[self.limit])

    @property
    def scheduled(self) -> str | None:
        """The cadence reviews follow: a cadence longer than allowed is held to the limit
        (a yearly default does not push a review a year away)."""
        return self.limit if self.too_long else self.cadence

    @property
    def problem(self) -> str | None:
        """What is wrong, in plain words, or None."""
        if self.cadence is None:
            return _("no review cadence")
        if self.too_long:
            if self.source == "default":
                message = _("{cadence} review (livingsys.yaml's default), longer than {limit}")
            else:
                message = _("{cadence} review, longer than {limit}")
            return message.format(cadence=_cadence(self.cadence), limit=_cadence(self.limit))
        return None


def _cadence(cadence: str | None) -> str:
    """A cadence as a sentence says it: 'monthly' / 'mensuelle' (the value as written when
    the language has no word for it)."""
    words = {"monthly": pgettext("a review cadence", "monthly"),
             "quarterly": pgettext("a review cadence", "quarterly"),
             "semiannual": pgettext("a review cadence", "semiannual"),
             "yearly": pgettext("a review cadence", "yearly")}
    return words.get(cadence or "", cadence or "")


def judge_cadence(automation: Automation, default: str | None,
                  limit: str | None = MAX_CADENCE) -> CadenceJudgement:
    """The effective cadence of ``automation`` (its own, else ``default``), judged against
    ``limit``, the longest cadence allowed (None: no limit)."""
    if limit is not None and limit not in CADENCE_MONTHS:
        limit = MAX_CADENCE
    if automation.review.cadence:
        return CadenceJudgement(automation.review.cadence, "automation", limit)
    if default:
        return CadenceJudgement(default, "default", limit)
    return CadenceJudgement(None, None, limit)


def default_cadence(registry: Registry) -> str | None:
    """livingsys.yaml's review.default_cadence: the cadence of automations that set none."""
    settings = registry.settings.model if registry.settings else None
    return settings.review.default_cadence if settings else None


DEFAULT_MAX_ITEMS = 3


def item_limit(registry: Registry) -> int:
    """The most automations one meeting reviews (review.max_items, default 3)."""
    settings = registry.settings.model if registry.settings else None
    return settings.review.max_items if settings else DEFAULT_MAX_ITEMS


def too_many(count: int, limit: int) -> bool:
    """Whether a meeting reviewing ``count`` automations reviews more than ``limit``."""
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
        roles = "; ".join(_(_ROLES[role]).format(automations=", ".join(ids))
                          for role, ids in by_role.items())
        who = f"{self.person} ({self.name})" if self.name != self.person else self.person
        return f"{who}, {roles}"


#: A person's role in the automations reviewed, as :meth:`MissingPerson.describe` says it.
_ROLES = {"business owner": N_("business owner of {automations}"),
          "maintainer": N_("maintainer of {automations}")}


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
