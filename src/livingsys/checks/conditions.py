"""Conditions: each if/then rule is really translated into a ``when`` lint can check.

The ``when`` conditions of rules and exceptions are compiled (C001-C004 and C012 report
what keeps them from compiling, at the line and column inside the expression); C013
finds a shared rule's threshold written by hand, C005 a fact declared twice. The
scenarios are checked by :mod:`livingsys.checks.scenarios`, the search over example
cases by :mod:`livingsys.checks.contradictions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from livingsys.checks.base import Check, Context, register
from livingsys.checks.condition_analysis import (
    Item,
    analysis,
    has_conditions,
    when_loc,
)
from livingsys.findings import Finding
from livingsys.i18n import N_, _

if TYPE_CHECKING:
    from livingsys.reading.registry import Entry


# --------------------------------------------------------------------------------------------
# C001-C004: conditions that do not compile
# --------------------------------------------------------------------------------------------


class _ConditionProblem(Check):
    kinds: frozenset[str] = frozenset()

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not has_conditions(entry.model):
            return
        for item in analysis(entry, ctx.registry).items:
            error = item.error
            if error is None or error.kind not in self.kinds:
                continue
            finding = self.finding(ctx, entry, when_loc(item),
                                   _("{item}: {error}").format(item=item.label,
                                                               error=error.message), error.hint)
            if error.offset is not None:
                finding.line, finding.col = _inside(entry, item, error.offset)
            excerpt = error.excerpt()
            if excerpt:
                finding.extra = {"excerpt": excerpt}
            yield finding


def _inside(entry: Entry, item: Item, offset: int) -> tuple[int, int]:
    """File line and column of ``offset`` inside the item's ``when``."""
    from livingsys.reading.yamlsource import scalar_position

    container = entry.doc.data[item.group][item.index]
    start = container.value_position("when")
    if start is None or entry.doc.text is None:  # pragma: no cover - read from this file
        return entry.position(when_loc(item)) or (1, 1)
    return scalar_position(entry.doc.text, start, item.model.when, offset)


_CONDITION_RATIONALE = N_("Article, symptom: \"nobody can explain precisely when and why "
                          "an automation fires\"; days 7-8: \"check that each if/then rule "
                          "is really translated into the automations\". A 'when' condition "
                          "says exactly when a rule applies, so that lint and `livingsys "
                          "explain` can check it; one that cannot be read checks nothing.")


@register
class ConditionSyntax(_ConditionProblem):
    code, name = "C001", "condition-syntax"
    title = N_("Conditions ('when') are written correctly")
    rationale = _CONDITION_RATIONALE
    hint = N_("write the condition with facts, values and operators, e.g. "
              "days_without_reply >= 7 && amount_due <= 5000")
    kinds = frozenset({"syntax"})
    example = """rules:
  - id: remind-after-7-days
    if: no reply for 7 days and 5,000 EUR due or less
    then: send the standard reminder
    when: days_without_reply >= 7 && amount_due <= 5000"""


@register
class UndeclaredFact(_ConditionProblem):
    code, name = "C002", "undeclared-fact"
    title = N_("Conditions use only declared facts")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Each fact a condition uses is declared under 'facts:' with "
                   "its type and unit, so that everyone reads it the same way and a typo is caught "
                   "before it silently turns a rule off.")
    hint = N_("fix the name, or declare the fact under 'facts:' with its type")
    kinds = frozenset({"undeclared"})
    example = """facts:
  - {name: days_without_reply, type: int, unit: days}
  - {name: amount_due, type: number, unit: EUR}"""


@register
class ConditionType(_ConditionProblem):
    code, name = "C003", "condition-type"
    title = N_("Conditions compare values of the right kind")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Comparing a number with a text, or using a number as "
                   "true/false, is a rule that cannot mean what its 'if' says.")
    hint = N_("compare numbers with numbers, texts (in quotes) with texts, true/false with "
              "==/!=")
    kinds = frozenset({"type"})


@register
class ConditionUnsupported(_ConditionProblem):
    code, name = "C004", "condition-unsupported"
    title = N_("Conditions stay simple: supported constructs, limited size")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Conditions are a small, safe language a business owner can "
                   "read; function calls, lists of facts or a page-long condition are beyond what "
                   "the rule's 'if' can explain.")
    hint = N_("use facts, values, comparisons, in [..], &&, ||, !, + - * / %, startsWith, "
              "endsWith, contains; split a long condition into several rules")
    kinds = frozenset({"unsupported", "too_complex"})


@register
class RuleParameter(_ConditionProblem):
    code, name = "C012", "rule-parameter"
    title = N_("Conditions read only parameters of the shared rules the automation uses")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Rule 3: \"a change to a key business rule triggers a review "
                   "of the automations concerned\". A condition reads a shared rule's parameter as "
                   "rules.<rule>.<parameter> (the threshold is written once, in rules/); the rule "
                   "must exist, be listed in 'uses_rules' (review-due follows that list) and have "
                   "that parameter, with a plain value.")
    hint = N_("write rules.<rule>.<parameter>, the rule's id with '_' for '-', and list the "
              "rule under 'uses_rules:'")
    kinds = frozenset({"parameter"})
    example = """uses_rules: [manager-validation-threshold]
rules:
  - id: remind-after-7-days
    if: no reply for 7 days and at most the validation threshold due
    then: send the standard reminder
    when: >-
      days_without_reply >= 7
      && amount_due <= rules.manager_validation_threshold.amount_threshold_eur"""


# --------------------------------------------------------------------------------------------
# C013: a shared rule's threshold written by hand in a condition
# --------------------------------------------------------------------------------------------

#: Words of a parameter's name that say it is a limit, not what it limits.
_LIMIT_WORDS = frozenset({"threshold", "limit", "max", "maximum", "min", "minimum", "cap",
                          "ceiling", "floor", "level", "value", "alert"})
_NUMBER_KINDS = ("int", "number")


def _unit_word(text: str) -> str:
    word = text.strip().lower()
    return word[:-1] if len(word) > 1 and word.endswith("s") else word  # days, day


def about_parameter(fact: Any, parameter: Any) -> bool:
    """Whether comparing ``fact`` with a number is comparing it with what ``parameter`` sets.

    Both must hold (docs/decisions.md, "A threshold written by hand"):

    - **the same unit**: the parameter is a number whose name ends with the fact's unit
      (``amount_threshold_eur`` and a fact in ``EUR``; ``retention_days`` and a fact in
      ``days``; singular and plural alike, any case);
    - **the same quantity**: the fact's name shares a word with the parameter's name, other
      than the unit and the words that only say "limit" (threshold, limit, max, min, cap...):
      ``amount_due`` and ``quote_amount`` share "amount" with ``amount_threshold_eur``;
      ``days_without_reply`` shares nothing with ``retention_days``.
    """
    if parameter.type not in _NUMBER_KINDS or fact.type not in _NUMBER_KINDS or not fact.unit:
        return False
    words = parameter.key.lower().split("_")
    if len(words) < 2 or _unit_word(words[-1]) != _unit_word(fact.unit):
        return False
    subject = set(words[:-1]) - _LIMIT_WORDS
    return bool(subject & (set(fact.name.lower().split("_")) - {words[-1]}))


def _number(node: Any) -> float | None:
    if node.kind in _NUMBER_KINDS:
        return float(node.value)
    if node.kind == "neg" and node.children[0].kind in _NUMBER_KINDS:
        return -float(node.children[0].value)
    return None


def _fact_vs_number(node: Any):
    """Each comparison ``fact op number`` (either way round) in a checked tree:
    (fact name, op, the number, the number's node)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.kind == "cmp" and current.op != "in":
            left, right = current.children
            for fact, literal in ((left, right), (right, left)):
                value = _number(literal)
                if fact.kind == "fact" and value is not None:
                    yield fact.op, current.op, value, literal
        stack.extend(reversed(current.children))


@register
class CopiedThreshold(Check):
    code, name = "C013", "copied-threshold"
    title = N_("Conditions read a shared rule's threshold instead of repeating its number")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Rule 3: \"a change to a key business rule triggers a review "
                   "of the automations concerned\". A threshold copied into a condition by hand "
                   "(amount_due > 5000.0) stays behind when the shared rule changes (3,000 EUR): "
                   "the automation keeps following the old number while the rule says otherwise. A "
                   "comparison is taken to be about a parameter of a rule the automation uses when "
                   "the fact's unit ends the parameter's name and the fact shares a word with it "
                   "(amount_due, amount_threshold_eur); days_without_reply >= 7 is about no "
                   "parameter.")
    hint = N_("compare with rules.<rule>.<parameter> instead of writing the number; if it is "
              "another threshold on purpose, make it a parameter of a shared rule too")
    example = """uses_rules: [manager-validation-threshold]
exceptions:
  - id: over-threshold
    if: the amount due is over the manager validation threshold
    then: the finance manager validates the reminder
    when: amount_due > rules.manager_validation_threshold.amount_threshold_eur
    handled_by: n.lefebvre"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if not automation.uses_rules or not has_conditions(automation):
            return
        from livingsys.conditions import format_value
        from livingsys.conditions.errors import Problem
        from livingsys.conditions.parser import parse

        state = analysis(entry, ctx.registry)
        parameters = [p for p in state.parameters.available if p.type in _NUMBER_KINDS]
        if not parameters:
            return
        facts = {f.name: f for f in automation.facts}
        for item in state.items:
            if item.condition is None:
                continue
            parsed = parse(item.model.when)
            if isinstance(parsed, Problem):  # pragma: no cover - its condition compiled
                continue
            root = parsed.root
            for name, op, value, literal in _fact_vs_number(root):
                fact = facts.get(name)
                parameter = next((p for p in parameters
                                  if fact is not None and about_parameter(fact, p)), None)
                if parameter is None:
                    continue
                written = item.model.when[literal.start:literal.end]
                current = format_value(parameter.value)
                if value == float(parameter.value):
                    message = _("{item}: {written} repeats {parameter} of shared rule "
                                "'{rule}' ({value}) by hand: when the rule changes, this "
                                "condition keeps the old number")
                else:
                    message = _("{item}: {fact} is compared with {written}, but shared rule "
                                "'{rule}' sets {parameter} to {value}")
                message = message.format(item=item.label, written=written, fact=name,
                                         parameter=parameter.key, rule=parameter.rule,
                                         value=current)
                hint = _("compare with {parameter} instead of writing {written} "
                         "({comparison}); if {written} is another threshold on purpose, make "
                         "it a parameter of a shared rule too").format(
                    parameter=parameter.name, written=written,
                    comparison=f"{name} {op} {parameter.name}")
                finding = self.finding(ctx, entry, when_loc(item), message, hint)
                finding.line, finding.col = _inside(entry, item, literal.start)
                yield finding


# --------------------------------------------------------------------------------------------
# C005: facts declared twice
# --------------------------------------------------------------------------------------------


@register
class DuplicateFact(Check):
    code, name = "C005", "duplicate-fact"
    title = N_("Each fact is declared once")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Two declarations of the same fact (perhaps with different "
                   "types or units) leave it unclear which one the conditions use.")
    hint = N_("keep one declaration of the fact under 'facts:'")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        seen: dict[str, int] = {}
        for i, fact in enumerate(entry.model.facts):
            if fact.name in seen:
                first = entry.position(("facts", seen[fact.name], "name"))
                message = (_("fact '{name}' is declared twice (first on line {line})") if first
                           else _("fact '{name}' is declared twice"))
                yield self.finding(ctx, entry, ("facts", i, "name"), message.format(
                    name=fact.name, line=first[0] if first else None))
            else:
                seen[fact.name] = i
