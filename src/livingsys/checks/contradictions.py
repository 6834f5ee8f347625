"""Rules that contradict each other, exceptions that cannot hold or never decide:
found by a search over example cases built from the values the conditions compare with
(C008-C010; see :mod:`livingsys.conditions.witness`), decided exactly when the
conditions allow it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from livingsys.checks.base import Check, Context, register
from livingsys.checks.condition_analysis import (
    Analysis,
    Item,
    Joint,
    analysis,
    case_text,
    has_conditions,
    when_loc,
)
from livingsys.findings import Finding, Severity
from livingsys.i18n import N_, _, ngettext, pgettext

if TYPE_CHECKING:
    from livingsys.models import Automation


# --------------------------------------------------------------------------------------------
# C008-C010: searching example cases
# --------------------------------------------------------------------------------------------


@register
class ContradictingRules(Check):
    code, name = "C008", "contradicting-rules"
    title = N_("No two rules with different actions apply to the same case")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Two rules that apply together with different actions (say, "
                   "send the standard reminder and send the firm one) leave the automation to "
                   "pick one, and nobody can say which.")
    hint = N_("make their conditions exclude each other (e.g. reminders_sent == 0 in one, "
              "reminders_sent == 1 in the other), or merge them into one rule")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not has_conditions(entry.model):
            return
        state = analysis(entry, ctx.registry)
        rules = [i for i in state.items if i.kind == "rule" and i.condition is not None
                 and i.model.action]
        if len(rules) < 2:
            return
        # the joint search only when some pair is not proved apart by the fast path (most
        # automations' rules are conjunctions it decides): computed at most once
        def joint() -> Joint:
            return state.joint(rules)

        budget = _Budget(PAIR_SEARCH_BUDGET)
        for later_index, later in enumerate(rules):
            shown: list[tuple[Item, dict[str, Any]]] = []
            others: list[Item] = []
            for earlier in rules[:later_index]:
                if earlier.model.action == later.model.action:
                    continue
                confirm = len(shown) < SHOWN_CONFLICTS
                witness = self._witness(state, joint, earlier, later, budget, confirm)
                if witness is None:
                    continue
                if confirm:
                    shown.append((earlier, witness))
                else:
                    others.append(earlier)
            if not shown:
                continue
            finding = self.finding(ctx, entry, when_loc(later),
                                   _conflict_message(later, shown, others, entry.model))
            if len(shown) > 1:
                finding.extra = {"conflicting_rules": [
                    e.model.id for e in [*(e for e, _ in shown), *others]]}
            yield finding

    @staticmethod
    def _witness(state: Analysis, joint_of: Callable[[], Joint], first: Item, second: Item,
                 budget: _Budget, confirm: bool) -> dict[str, Any] | None:
        """A case where both rules hold (checked again with CEL when ``confirm``), or None."""
        fast = state.exact([first, second])
        if fast is not None and not fast[0]:
            return None  # proved: no case makes both hold
        joint = joint_of()
        keys = ((first.kind, first.index), (second.kind, second.index))
        if not confirm and joint.masks[keys[0]] & joint.masks[keys[1]]:
            return next(iter(joint.together(keys)))  # only counted: no need to check it
        names = [*first.compiled.facts_used,
                 *(n for n in second.compiled.facts_used if n not in first.compiled.facts_used)]

        def confirmed(case: dict[str, Any]) -> bool:
            return not confirm or (state.holds_with_cel(first, case)
                                   and state.holds_with_cel(second, case))

        # The search's example when it finds one (the scenarios' values come first), else the
        # fast path's. The joint search tried every pair already; a pair over fewer facts than
        # the rest is searched on its own too when the joint cases were only a selection, within
        # the budget.
        for tries, case in enumerate(joint.together(keys)):
            if tries >= _CEL_TRIES:
                break
            case = {n: case[n] for n in names if n in case}
            if confirmed(case):
                return case
        if joint.sampled and set(names) != set(joint.names):
            for case, results in state.search([first, second]):
                if not budget.spend():
                    break
                if all(results[k] for k in keys) and confirmed(case):
                    return case
        if fast is not None and fast[1] is not None and confirmed(fast[1]):
            return fast[1]
        return None


SHOWN_CONFLICTS = 3
"""Most rules C008 names, with an example case each, for one rule it contradicts; the others
are counted ("and 146 more")."""

PAIR_SEARCH_BUDGET = 100_000
"""Most cases C008 tries, in one automation, for pairs of rules searched on their own (beyond
the one search every pair shares): a file with hundreds of rules stays quick to lint."""

_CEL_TRIES = 20
"""Most cases checked again with CEL for one pair (the evaluator and CEL agree: tests)."""


class _Budget:
    def __init__(self, cases: int) -> None:
        self.left = cases

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _conflict_message(later: Item, shown: list[tuple[Item, dict[str, Any]]],
                      others: list[Item], automation: Automation) -> str:
    if len(shown) == 1 and not others:
        earlier, witness = shown[0]
        return _("rules '{first}' and '{second}' both apply to the same case with different "
                 "actions ({first_action}, {second_action}), e.g. {case}").format(
            first=earlier.model.id, second=later.model.id, first_action=earlier.model.action,
            second_action=later.model.action, case=case_text(witness, automation))
    count = len(shown) + len(others)
    rules = [_("'{id}' ({action})").format(id=e.model.id, action=e.model.action)
             for e, _w in shown]
    if all(w == shown[0][1] for _e, w in shown):
        listed = ", ".join(rules)
        if others:
            listed = _("{rules} and {n} more").format(rules=listed, n=len(others))
        listed = _("{rules}, e.g. {case}").format(rules=listed,
                                                 case=case_text(shown[0][1], automation))
    else:
        between = pgettext("between the parts of a list", "; ")
        listed = between.join(_("{rules}, e.g. {case}").format(rules=rule,
                                                               case=case_text(w, automation))
                              for rule, (_e, w) in zip(rules, shown, strict=True))
        if others:
            listed = _("{rules} and {n} more").format(rules=listed, n=len(others))
    return ngettext("rule '{id}' ({action}) applies to the same cases as {n} earlier rule "
                    "with another action: {listed}",
                    "rule '{id}' ({action}) applies to the same cases as {n} earlier rules "
                    "with other actions: {listed}", count).format(
        id=later.model.id, action=later.model.action, n=count, listed=listed)


@register
class ExceptionNeverHolds(Check):
    code, name = "C009", "exception-never-holds"
    title = N_("Each exception can hold for some case")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Days 5-6: \"identify 1 to 3 exceptions, handled clearly\". "
                   "An exception whose condition is never true (e.g. amount_due > 5000 && "
                   "amount_due < 3000) hands nothing over: its cases go out automatically.")
    hint = N_("check the exception's 'when:'; if it can hold, add a scenario where it does "
              "(lint tries the scenarios' values too)")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not has_conditions(entry.model):
            return
        state = analysis(entry, ctx.registry)
        for item in state.items:
            if item.kind != "exception" or item.condition is None:
                continue
            found, tried = state.can_hold(item)
            if not found:
                yield self.finding(
                    ctx, entry, when_loc(item),
                    ngettext("exception '{id}' never holds: its condition is false in all "
                             "{n} example cases tried, built from the values it compares with",
                             "exception '{id}' never holds: its condition is false in all "
                             "{n} example cases tried, built from the values it compares with",
                             tried).format(id=item.model.id, n=tried))


def _never_holds(state: Analysis, item: Item) -> bool:
    """Proved exactly: no case makes ``item`` hold (when the fast path decides for it with
    other exceptions, it decides for it alone too)."""
    alone = state.exact([item])
    return alone is not None and not alone[0]


@register
class ExceptionOvertaken(Check):
    code, name = "C010", "exception-overtaken"
    severity = Severity.WARNING
    title = N_("Each exception can decide who validates")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Days 5-6: \"decide explicitly who validates what and "
                   "when\". When exceptions hold together, the first in the file decides who "
                   "validates; an exception that only ever holds together with an earlier one, "
                   "handled by someone else, never reaches its own handler.")
    hint = N_("move it before the other exception, narrow the other's condition, or make the "
              "same person handle both")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not has_conditions(entry.model):
            return
        state = analysis(entry, ctx.registry)
        exceptions = [i for i in state.items if i.kind == "exception"]
        for position, item in enumerate(exceptions):
            earlier = exceptions[:position]
            if item.condition is None or not earlier or any(
                    e.condition is None for e in earlier):
                continue
            alone = state.exact([item], earlier)
            if alone is not None and (alone[0] or _never_holds(state, item)):
                continue  # proved: it holds alone for some case, or never (C009's finding)
            key = (item.kind, item.index)
            deciders: dict[int, dict[str, Any]] = {}
            holds_alone = holds = False
            for case, results in state.search([item, *earlier]):
                if not results[key]:
                    continue
                holds = True
                first = next((e for e in earlier if results[(e.kind, e.index)]), None)
                if first is None:
                    holds_alone = True
                    break
                deciders.setdefault(first.index, case)
            if alone is not None and not holds:
                # The search missed the cases where it holds: the fast path finds, for each
                # earlier exception, a case where it is the first to hold with this one.
                for position_, other_ in enumerate(earlier):
                    decides = state.exact([item, other_], earlier[:position_])
                    if decides is not None and decides[0] and decides[1] is not None:
                        holds = True
                        deciders.setdefault(other_.index, decides[1])
            if not holds or holds_alone:
                continue
            others = [e for e in earlier if e.index in deciders
                      and e.model.handled_by != item.model.handled_by]
            if not others:
                continue
            other = others[0]
            example = deciders[other.index]
            if not (state.holds_with_cel(item, example)
                    and state.holds_with_cel(other, example)):
                continue
            yield self.finding(
                ctx, entry, when_loc(item),
                _("exception '{id}' never decides who validates: whenever it holds, '{other}' "
                  "(earlier in the file) holds too, so {asked} is asked, never {own}; e.g. "
                  "{case}").format(
                    id=item.model.id, other=other.model.id,
                    asked=other.model.handled_by or _("its handler"),
                    own=item.model.handled_by or _("its own handler"),
                    case=case_text(example, entry.model)))
