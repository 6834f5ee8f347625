"""Conditions and scenarios: each if/then rule is really translated, and proved by examples.

The ``when`` conditions of rules and exceptions are compiled (C001-C004 report what keeps
them from compiling, at the line and column inside the expression), the scenarios are run
through :func:`livingsys.conditions.decision.decide` (C006, C007), and a search over example cases
looks
for rules that contradict each other and exceptions that cannot hold or never decide
(C008-C010; see :mod:`livingsys.conditions.witness`). C011 asks for a scenario per rule and
exception.

Automations without any ``when`` and without scenarios are skipped before anything is
imported; cel-python is loaded by the first condition compiled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding, Severity

if TYPE_CHECKING:
    from livingsys.conditions import Condition, ConditionError, RuleParameters
    from livingsys.conditions.decision import Decision
    from livingsys.models import Automation
    from livingsys.reading.registry import Entry, Registry

_SYMPTOM = ("Article, symptom: \"nobody can explain precisely when and why an automation "
            "fires\"")
_DAYS_7_8 = ("days 7-8: \"check that each if/then rule is really translated into the "
             "automations\"")
_ARTICLE = f"{_SYMPTOM}; {_DAYS_7_8}."


# --------------------------------------------------------------------------------------------
# What every check of this module shares: one analysis per automation file
# --------------------------------------------------------------------------------------------


def _has_conditions(automation: Automation) -> bool:
    return any(i.when is not None for i in (*automation.rules, *automation.exceptions))


@dataclass
class _Item:
    """A rule or an exception, with its compiled condition or the error compiling it."""

    kind: str  # "rule" or "exception"
    index: int
    model: Any
    condition: Condition | None = None
    error: ConditionError | None = None

    @property
    def group(self) -> str:
        return "rules" if self.kind == "rule" else "exceptions"

    @property
    def label(self) -> str:
        return f"{self.kind} '{self.model.id}'"


@dataclass
class _ScenarioRun:
    index: int
    scenario: Any
    values: dict[str, Any]
    problems: list[ConditionError]
    missing: dict[str, list[str]] = field(default_factory=dict)
    """Facts the conditions use that ``given`` leaves out, with who uses them."""
    decision: Decision | None = None


@dataclass
class _Joint:
    """Example cases over the facts of several items, and where each item holds: bit ``k``
    of ``masks[key]`` is set when the item holds for ``cases[k]``. Two items hold together
    for the cases of ``masks[a] & masks[b]``, in the search's order (scenarios first)."""

    names: list[str]
    cases: list[dict[str, Any]]
    masks: dict[tuple[str, int], int]
    sampled: bool
    """Whether the cases are a selection of the combinations (too many to try them all)."""

    def together(self, keys: Sequence[tuple[str, int]]) -> Iterable[dict[str, Any]]:
        """The cases where every item of ``keys`` holds, first found first."""
        common = -1
        for key in keys:
            common &= self.masks[key]
        while common:
            low = common & -common
            yield self.cases[low.bit_length() - 1]
            common ^= low


class _Analysis:
    """Conditions, scenarios and example cases of one automation, computed once for all the
    checks of this module."""

    def __init__(self, entry: Entry, registry: Registry) -> None:
        self.entry = entry
        self.registry = registry
        self.automation: Automation = entry.model

    @cached_property
    def parameters(self) -> RuleParameters:
        """The shared rules' parameters its conditions may read, with their current values."""
        from livingsys.conditions.decision import rule_parameters

        return rule_parameters(self.automation, self.registry.shared_rules)

    @cached_property
    def items(self) -> list[_Item]:
        from livingsys.conditions import ConditionError, compile_condition

        automation = self.automation
        items = [_Item("rule", i, r) for i, r in enumerate(automation.rules)]
        items += [_Item("exception", i, e) for i, e in enumerate(automation.exceptions)]
        for item in items:
            if item.model.when is None:
                continue
            try:
                item.condition = compile_condition(item.model.when, automation.facts,
                                                   self.parameters)
            except ConditionError as error:
                item.error = error
        return items

    @cached_property
    def invalid(self) -> bool:
        """Some condition does not compile (C001-C004 say why; the rest waits for it)."""
        return any(i.error is not None for i in self.items)

    @cached_property
    def runs(self) -> list[_ScenarioRun]:
        from livingsys.conditions.decision import check_case, decide

        runs = []
        used: dict[str, list[str]] = {}
        for item in self.items if _has_conditions(self.automation) else ():
            if item.condition is not None:
                for name in item.condition.facts_used:
                    used.setdefault(name, []).append(item.label)
        for index, scenario in enumerate(self.automation.scenarios):
            values, problems = check_case(self.automation, scenario.given)
            run = _ScenarioRun(index, scenario, values, problems)
            run.missing = {n: who for n, who in used.items() if n not in scenario.given}
            if not problems and not run.missing and not self.invalid:
                run.decision = decide(self.automation, values, trace=False, fast=True,
                                      parameters=self.parameters)
            runs.append(run)
        return runs

    def traced(self, run: _ScenarioRun, people: Any) -> Decision:
        from livingsys.conditions.decision import decide

        return decide(self.automation, run.values, people=people, parameters=self.parameters)

    # -- example cases ------------------------------------------------------------------------

    @cached_property
    def candidates(self) -> dict[str, list[Any]]:
        from livingsys.conditions.decision import fact_specs
        from livingsys.conditions.witness import candidate_values

        return candidate_values([i.condition for i in self.items if i.condition is not None],
                                fact_specs(self.automation))

    @cached_property
    def scenario_cases(self) -> list[dict[str, Any]]:
        return [run.values for run in self.runs if not run.problems]

    def predicate(self, item: _Item):
        from livingsys.conditions.witness import predicate

        cache = self.__dict__.setdefault("_predicates", {})
        key = (item.kind, item.index)
        if key not in cache:
            cache[key] = predicate(item.condition)
        return cache[key]

    def search(self, items: list[_Item]):
        """Cases over the facts ``items`` use, with their predicates' results."""
        from livingsys.conditions.witness import cases

        names: list[str] = []
        for item in items:
            names += [n for n in item.condition.facts_used if n not in names]
        tests = [(item, self.predicate(item)) for item in items]
        for case in cases(self.candidates, names, extra=self.scenario_cases):
            yield case, {(item.kind, item.index): test(case) for item, test in tests}

    def joint(self, items: list[_Item]) -> _Joint:
        """One pass of the search over the facts all ``items`` use, each case tried on every
        item (see :class:`_Joint`); computed once per list of items."""
        import math

        from livingsys.conditions.witness import MAX_CASES, cases, holding

        memo = self.__dict__.setdefault("_joint", {})
        key = tuple((i.kind, i.index) for i in items)
        if key in memo:
            return memo[key]
        names: list[str] = []
        for item in items:
            names += [n for n in item.condition.facts_used if n not in names]
        found = list(cases(self.candidates, names, extra=self.scenario_cases))
        masks = dict(zip(key, holding([i.condition for i in items], found), strict=False))
        total = math.prod(len(self.candidates[n]) for n in names if n in self.candidates)
        memo[key] = _Joint(names, found, masks, sampled=total > MAX_CASES)
        return memo[key]

    def exact(self, items: list[_Item], negated: Sequence[_Item] = ()
              ) -> tuple[bool, dict[str, Any] | None] | None:
        """Whether some case makes all ``items`` hold and none of ``negated``, decided
        exactly when their conditions are conjunctions of comparisons with literals (see
        :func:`livingsys.conditions.witness.exact_case`); None when the sampled search must
        decide."""
        from livingsys.conditions.witness import exact_case

        memo = self.__dict__.setdefault("_exact", {})
        key = (tuple((i.kind, i.index) for i in items),
               tuple((i.kind, i.index) for i in negated))
        if key not in memo:
            memo[key] = exact_case([i.condition for i in items],
                                   [i.condition for i in negated])
        return memo[key]

    def can_hold(self, item: _Item) -> tuple[bool, int]:
        """(whether some example case makes ``item`` hold, how many cases were tried);
        computed once per item and shared by C009 and C011. Decided exactly when the fast
        path applies (the count, only shown when it cannot hold, is still the search's)."""
        memo = self.__dict__.setdefault("_can_hold", {})
        key = (item.kind, item.index)
        if key not in memo:
            fast = self.exact([item])
            if fast is not None and fast[0]:
                memo[key] = (True, 0)
                return memo[key]
            tried = 0
            found = False
            for _case, results in self.search([item]):
                tried += 1
                if results[key]:
                    found = True
                    break
            memo[key] = (found, tried)
        return memo[key]

    def holds_with_cel(self, item: _Item, case: dict[str, Any]) -> bool:
        """Whether ``item`` holds for ``case`` according to cel-python (computed once per
        item and case: C008 checks the same example against many rules)."""
        from livingsys.conditions import ConditionError

        memo = self.__dict__.setdefault("_cel", {})
        key = (item.kind, item.index, tuple(case.items()))
        if key not in memo:
            try:
                memo[key] = bool(item.condition.evaluate(case, trace=False).value)
            except ConditionError:
                memo[key] = False
        return memo[key]


_CACHE: dict[int, _Analysis] = {}


def analysis(entry: Entry, registry: Registry) -> _Analysis:
    """The analysis of ``entry``, shared by this module's checks during one lint."""
    cached = _CACHE.get(id(entry))
    if cached is not None and cached.entry is entry and cached.registry is registry:
        return cached
    if len(_CACHE) > 64:
        _CACHE.clear()
    result = _CACHE[id(entry)] = _Analysis(entry, registry)
    return result


def _case_text(case: dict[str, Any], automation: Automation) -> str:
    from livingsys.conditions import format_value

    units = {f.name: f.unit for f in automation.facts}
    return ", ".join(f"{n} = {format_value(v)}{' ' + units[n] if units.get(n) else ''}"
                     for n, v in case.items())


def _when_loc(item: _Item) -> tuple:
    return (item.group, item.index, "when")


# --------------------------------------------------------------------------------------------
# C001-C004: conditions that do not compile
# --------------------------------------------------------------------------------------------


class _ConditionProblem(Check):
    kinds: frozenset[str] = frozenset()

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not _has_conditions(entry.model):
            return
        for item in analysis(entry, ctx.registry).items:
            error = item.error
            if error is None or error.kind not in self.kinds:
                continue
            finding = self.finding(ctx, entry, _when_loc(item),
                                   f"{item.label}: {error.message}", error.hint)
            if error.offset is not None:
                finding.line, finding.col = _inside(entry, item, error.offset)
            excerpt = error.excerpt()
            if excerpt:
                finding.extra = {"excerpt": excerpt}
            yield finding


def _inside(entry: Entry, item: _Item, offset: int) -> tuple[int, int]:
    """File line and column of ``offset`` inside the item's ``when``."""
    from livingsys.reading.yamlsource import scalar_position

    container = entry.doc.data[item.group][item.index]
    start = container.value_position("when")
    if start is None or entry.doc.text is None:  # pragma: no cover - read from this file
        return entry.position(_when_loc(item)) or (1, 1)
    return scalar_position(entry.doc.text, start, item.model.when, offset)


_CONDITION_RATIONALE = (f"{_ARTICLE} A 'when' condition says exactly when a "
                        "rule applies, so that lint and `livingsys explain` can check it; one "
                        "that cannot be read checks nothing.")


@register
class ConditionSyntax(_ConditionProblem):
    code, name = "C001", "condition-syntax"
    title = "Conditions ('when') are written correctly"
    rationale = _CONDITION_RATIONALE
    hint = ("write the condition with facts, values and operators, e.g. "
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
    title = "Conditions use only declared facts"
    rationale = (f"{_ARTICLE} Each fact a condition uses is declared under 'facts:' with its "
                 "type and unit, so that everyone reads it the same way and a typo is caught "
                 "before it silently turns a rule off.")
    hint = "fix the name, or declare the fact under 'facts:' with its type"
    kinds = frozenset({"undeclared"})
    example = """facts:
  - {name: days_without_reply, type: int, unit: days}
  - {name: amount_due, type: number, unit: EUR}"""


@register
class ConditionType(_ConditionProblem):
    code, name = "C003", "condition-type"
    title = "Conditions compare values of the right kind"
    rationale = (f"{_ARTICLE} Comparing a number with a text, or using a number as "
                 "true/false, is a rule that cannot mean what its 'if' says.")
    hint = "compare numbers with numbers, texts (in quotes) with texts, true/false with ==/!="
    kinds = frozenset({"type"})


@register
class ConditionUnsupported(_ConditionProblem):
    code, name = "C004", "condition-unsupported"
    title = "Conditions stay simple: supported constructs, limited size"
    rationale = (f"{_ARTICLE} Conditions are a small, safe language a business owner can "
                 "read; function calls, lists of facts or a page-long condition are beyond "
                 "what the rule's 'if' can explain.")
    hint = ("use facts, values, comparisons, in [..], &&, ||, !, + - * / %, startsWith, "
            "endsWith, contains; split a long condition into several rules")
    kinds = frozenset({"unsupported", "too_complex"})


@register
class RuleParameter(_ConditionProblem):
    code, name = "C012", "rule-parameter"
    title = "Conditions read only parameters of the shared rules the automation uses"
    rationale = (f"{_ARTICLE} Rule 3: \"a change to a key business rule triggers a review of "
                 "the automations concerned\". A condition reads a shared rule's parameter as "
                 "rules.<rule>.<parameter> (the threshold is written once, in rules/); the "
                 "rule must exist, be listed in 'uses_rules' (review-due follows that list) "
                 "and have that parameter, with a plain value.")
    hint = ("write rules.<rule>.<parameter>, the rule's id with '_' for '-', and list the rule "
            "under 'uses_rules:'")
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
    title = "Conditions read a shared rule's threshold instead of repeating its number"
    rationale = (f"{_ARTICLE} Rule 3: \"a change to a key business rule triggers a review of "
                 "the automations concerned\". A threshold copied into a condition by hand "
                 "(amount_due > 5000.0) stays behind when the shared rule changes (3,000 EUR): "
                 "the automation keeps following the old number while the rule says "
                 "otherwise. A comparison is taken to be about a parameter of a rule the "
                 "automation uses when the fact's unit ends the parameter's name and the fact "
                 "shares a word with it (amount_due, amount_threshold_eur); "
                 "days_without_reply >= 7 is about no parameter.")
    hint = ("compare with rules.<rule>.<parameter> instead of writing the number; if it is "
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
        if not automation.uses_rules or not _has_conditions(automation):
            return
        from livingsys.conditions import format_value
        from livingsys.conditions.parser import parse

        state = analysis(entry, ctx.registry)
        parameters = [p for p in state.parameters.available if p.type in _NUMBER_KINDS]
        if not parameters:
            return
        facts = {f.name: f for f in automation.facts}
        for item in state.items:
            if item.condition is None:
                continue
            root = parse(item.model.when).root
            for name, op, value, literal in _fact_vs_number(root):
                fact = facts.get(name)
                parameter = next((p for p in parameters
                                  if fact is not None and about_parameter(fact, p)), None)
                if parameter is None:
                    continue
                written = item.model.when[literal.start:literal.end]
                current = format_value(parameter.value)
                if value == float(parameter.value):
                    message = (f"{item.label}: {written} repeats {parameter.key} of shared rule "
                               f"'{parameter.rule}' ({current}) by hand: when the rule "
                               "changes, this condition keeps the old number")
                else:
                    message = (f"{item.label}: {name} is compared with {written}, but shared "
                               f"rule '{parameter.rule}' sets {parameter.key} to {current}")
                finding = self.finding(
                    ctx, entry, _when_loc(item), message,
                    f"compare with {parameter.name} instead of writing {written} ({name} "
                    f"{op} {parameter.name}); if {written} is another threshold on purpose, "
                    "make it a parameter of a shared rule too")
                finding.line, finding.col = _inside(entry, item, literal.start)
                yield finding


# --------------------------------------------------------------------------------------------
# C005: facts declared twice
# --------------------------------------------------------------------------------------------


@register
class DuplicateFact(Check):
    code, name = "C005", "duplicate-fact"
    title = "Each fact is declared once"
    rationale = (f"{_ARTICLE} Two declarations of the same fact (perhaps with different "
                 "types or units) leave it unclear which one the conditions use.")
    hint = "keep one declaration of the fact under 'facts:'"

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        seen: dict[str, int] = {}
        for i, fact in enumerate(entry.model.facts):
            if fact.name in seen:
                first = entry.position(("facts", seen[fact.name], "name"))
                where = f" (first on line {first[0]})" if first else ""
                yield self.finding(ctx, entry, ("facts", i, "name"),
                                   f"fact '{fact.name}' is declared twice{where}")
            else:
                seen[fact.name] = i


# --------------------------------------------------------------------------------------------
# C006-C007: scenarios
# --------------------------------------------------------------------------------------------


def _quick_skip(automation: Automation) -> bool:
    return not automation.scenarios and not _has_conditions(automation)


@register
class ScenarioFacts(Check):
    code, name = "C006", "scenario-facts"
    title = "Scenarios give a value of the right type to every fact the conditions use"
    rationale = (f"{_ARTICLE} A scenario is an example case that proves a rule is "
                 "translated correctly; it proves nothing if it names a fact that does not "
                 "exist, gives a value of the wrong kind, or leaves out a fact a condition "
                 "needs.")
    hint = "give each fact the conditions use a value of its declared type under 'given:'"
    example = """scenarios:
  - name: 8 days without reply, 6,000 EUR due -> the finance manager validates
    given: {days_without_reply: 8, amount_due: 6000, in_dispute: false, reminders_sent: 0}
    expect: {outcome: needs_validation, exception: over-threshold, validated_by: n.lefebvre}"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not entry.model.scenarios:
            return
        from livingsys.conditions.decision import VOLUME_TODAY

        declared = {f.name for f in entry.model.facts} | {VOLUME_TODAY}
        for run in analysis(entry, ctx.registry).runs:
            base = ("scenarios", run.index, "given")
            for problem in run.problems:
                # An undeclared fact: point at its name; a bad value: at the value.
                yield self.finding(ctx, entry, (*base, problem.fact),
                                   f"scenario '{run.scenario.name}': {problem.message}",
                                   problem.hint, key=problem.fact not in declared)
            if run.missing:
                names = ", ".join(run.missing)
                users = sorted({who for users in run.missing.values() for who in users})
                yield self.finding(
                    ctx, entry, base,
                    f"scenario '{run.scenario.name}' gives no value for {names}, used by "
                    f"{', '.join(users)}",
                    f"add {', '.join(n + ': <value>' for n in run.missing)} under 'given:'",
                    key=True)


def _outcome_text(outcome: str | None, validated_by: str | None, extras: list[str]) -> str:
    head = outcome or "an outcome"
    if validated_by:
        head += f" by {validated_by}"
    return head + (f" ({'; '.join(extras)})" if extras else "")


def _expected_text(expect: Any) -> str:
    extras = []
    if expect.exception is not None:
        extras.append(f"exception '{expect.exception}'")
    if expect.rules is not None:
        extras.append("rules: " + (", ".join(expect.rules) or "none"))
    return _outcome_text(expect.outcome, expect.validated_by, extras)


def _actual_text(expect: Any, decision: Decision) -> str:
    extras = []
    if decision.exception is not None:
        extras.append(f"exception '{decision.exception}'")
    elif expect.exception is not None:
        extras.append("no exception holds")
    if expect.rules is not None or decision.outcome == "automatic":
        extras.append("rules: " + (", ".join(decision.fired_rules) or "none"))
    return _outcome_text(decision.outcome, decision.validated_by, extras)


def _differs(expect: Any, decision: Decision) -> bool:
    return ((expect.outcome is not None and expect.outcome != decision.outcome)
            or (expect.rules is not None and set(expect.rules) != set(decision.fired_rules))
            or (expect.exception is not None and expect.exception != decision.exception)
            or (expect.validated_by is not None
                and expect.validated_by != decision.validated_by))


def _trace_lines(decision: Decision) -> list[str]:
    """One line per rule and exception, then the outcome: the short trace of a finding."""
    lines = []
    for item in (*decision.rules, *decision.exceptions):
        mark = {True: "✓", False: "✗", None: "?"}[item.holds]
        details = "; ".join(item.details())
        lines.append(f"{mark} {item.kind} '{item.id}' {item.verdict}"
                     + (f": {details}" if details else ""))
    lines.extend(decision.notes)
    lines.append(f"→ {decision.summary}")
    return lines


@register
class ScenarioOutcome(Check):
    code, name = "C007", "scenario-outcome"
    title = "Each scenario's expected outcome is what the rules decide"
    rationale = (f"{_ARTICLE} Scenarios are the if/then rules' "
                 "examples, in the owner's words: when a threshold or a condition changes "
                 "without them, lint shows which case now behaves differently.")
    hint = ("if the rules changed on purpose, update the scenario's 'expect:'; otherwise fix "
            "the rule or exception")
    example = """scenarios:
  - name: 8 days without reply, 1,200 EUR due -> automatic reminder
    given: {days_without_reply: 8, amount_due: 1200, in_dispute: false, reminders_sent: 0}
    expect: {outcome: automatic, rules: [remind-after-7-days]}"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if not automation.scenarios:
            return
        if not _has_conditions(automation):
            yield self.finding(
                ctx, entry, ("scenarios",),
                f"the scenarios of '{automation.id}' cannot be checked: no rule or exception "
                "has a 'when' condition",
                "add a 'when:' to each rule and exception, over the facts declared under "
                "'facts:'", key=True)
            return
        state = analysis(entry, ctx.registry)
        people = ctx.registry.people
        for run in state.runs:
            decision = run.decision
            if decision is None:
                continue  # C006 (or C001-C004) says why
            expect = run.scenario.expect
            loc = ("scenarios", run.index, "expect")
            if _differs(expect, decision) or decision.outcome == "incomplete" or (
                    not decision.complete and expect.rules is not None):
                # Decided again with cel-python itself, and the trace for the finding.
                decision = run.decision = state.traced(run, people)
            if decision.outcome == "incomplete" or (not decision.complete
                                                    and expect.rules is not None):
                traced = decision
                finding = self.finding(
                    ctx, entry, loc,
                    f"scenario '{run.scenario.name}' cannot be checked. {traced.summary}",
                    "give each rule and exception a 'when:' condition livingsys can evaluate "
                    "for this case\n" + "\n".join(_trace_lines(traced)), key=True)
                finding.extra = {"trace": list(traced.trace)}
                yield finding
                continue
            if not _differs(expect, decision):
                continue
            traced = decision
            finding = self.finding(
                ctx, entry, loc,
                f"scenario '{run.scenario.name}' expects {_expected_text(expect)}, but the "
                f"rules give {_actual_text(expect, traced)}",
                f"{self.hint}. What the rules decide for this case:\n"
                + "\n".join(_trace_lines(traced)), key=True)
            finding.extra = {
                "expected": expect.model_dump(exclude_none=True),
                "actual": {"outcome": traced.outcome, "validated_by": traced.validated_by,
                           "exception": traced.exception, "rules": list(traced.fired_rules)},
                "trace": list(traced.trace),
            }
            yield finding


# --------------------------------------------------------------------------------------------
# C008-C010: searching example cases
# --------------------------------------------------------------------------------------------


@register
class ContradictingRules(Check):
    code, name = "C008", "contradicting-rules"
    title = "No two rules with different actions apply to the same case"
    rationale = (f"{_ARTICLE} Two rules that apply together with different actions (say, "
                 "send the standard reminder and send the firm one) leave the automation to "
                 "pick one, and nobody can say which.")
    hint = ("make their conditions exclude each other (e.g. reminders_sent == 0 in one, "
            "reminders_sent == 1 in the other), or merge them into one rule")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not _has_conditions(entry.model):
            return
        state = analysis(entry, ctx.registry)
        rules = [i for i in state.items if i.kind == "rule" and i.condition is not None
                 and i.model.action]
        if len(rules) < 2:
            return
        joint = state.joint(rules)
        budget = _Budget(PAIR_SEARCH_BUDGET)
        for later_index, later in enumerate(rules):
            shown: list[tuple[_Item, dict[str, Any]]] = []
            others: list[_Item] = []
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
            finding = self.finding(ctx, entry, _when_loc(later),
                                   _conflict_message(later, shown, others, entry.model))
            if len(shown) > 1:
                finding.extra = {"conflicting_rules": [
                    e.model.id for e in [*(e for e, _ in shown), *others]]}
            yield finding

    @staticmethod
    def _witness(state: _Analysis, joint: _Joint, first: _Item, second: _Item,
                 budget: _Budget, confirm: bool) -> dict[str, Any] | None:
        """A case where both rules hold (checked again with CEL when ``confirm``), or None."""
        fast = state.exact([first, second])
        if fast is not None and not fast[0]:
            return None  # proved: no case makes both hold
        keys = ((first.kind, first.index), (second.kind, second.index))
        if not confirm and joint.masks[keys[0]] & joint.masks[keys[1]]:
            return next(iter(joint.together(keys)))  # only counted: no need to check it
        names = [*first.condition.facts_used,
                 *(n for n in second.condition.facts_used if n not in first.condition.facts_used)]

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


def _conflict_message(later: _Item, shown: list[tuple[_Item, dict[str, Any]]],
                      others: list[_Item], automation: Automation) -> str:
    if len(shown) == 1 and not others:
        earlier, witness = shown[0]
        return (f"rules '{earlier.model.id}' and '{later.model.id}' both apply to the same "
                f"case with different actions ({earlier.model.action}, "
                f"{later.model.action}), e.g. {_case_text(witness, automation)}")
    count = len(shown) + len(others)
    more = f" and {len(others)} more" if others else ""
    if all(w == shown[0][1] for _, w in shown):
        listed = ", ".join(f"'{e.model.id}' ({e.model.action})" for e, _ in shown)
        listed += f"{more}, e.g. {_case_text(shown[0][1], automation)}"
    else:
        listed = "; ".join(f"'{e.model.id}' ({e.model.action}), e.g. "
                           f"{_case_text(w, automation)}" for e, w in shown) + more
    return (f"rule '{later.model.id}' ({later.model.action}) applies to the same cases as "
            f"{count} earlier rules with other actions: {listed}")


@register
class ExceptionNeverHolds(Check):
    code, name = "C009", "exception-never-holds"
    title = "Each exception can hold for some case"
    rationale = (f"{_ARTICLE} Days 5-6: \"identify 1 to 3 exceptions, handled clearly\". "
                 "An exception whose condition is never true (e.g. amount_due > "
                 "5000 && amount_due < 3000) hands nothing over: its cases go out "
                 "automatically.")
    hint = ("check the exception's 'when:'; if it can hold, add a scenario where it does "
            "(lint tries the scenarios' values too)")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not _has_conditions(entry.model):
            return
        state = analysis(entry, ctx.registry)
        for item in state.items:
            if item.kind != "exception" or item.condition is None:
                continue
            found, tried = state.can_hold(item)
            if not found:
                yield self.finding(
                    ctx, entry, _when_loc(item),
                    f"exception '{item.model.id}' never holds: its condition is false in "
                    f"all {tried} example cases tried, built from the values it compares with")


@register
class ExceptionOvertaken(Check):
    code, name = "C010", "exception-overtaken"
    severity = Severity.WARNING
    title = "Each exception can decide who validates"
    rationale = (f"{_ARTICLE} Days 5-6: \"decide explicitly who validates what and "
                 "when\". When exceptions hold together, the first in the file decides "
                 "who validates; an exception that only ever holds together with an earlier "
                 "one, handled by someone else, never reaches its own handler.")
    hint = ("move it before the other exception, narrow the other's condition, or make the "
            "same person handle both")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not _has_conditions(entry.model):
            return
        state = analysis(entry, ctx.registry)
        exceptions = [i for i in state.items if i.kind == "exception"]
        for position, item in enumerate(exceptions):
            earlier = exceptions[:position]
            if item.condition is None or not earlier or any(
                    e.condition is None for e in earlier):
                continue
            alone = state.exact([item], earlier)
            if alone is not None and (alone[0] or not state.exact([item])[0]):
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
                    if decides is not None and decides[0]:
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
                ctx, entry, _when_loc(item),
                f"exception '{item.model.id}' never decides who validates: whenever it holds, "
                f"'{other.model.id}' (earlier in the file) holds too, so "
                f"{other.model.handled_by or 'its handler'} is asked, never "
                f"{item.model.handled_by or 'its own handler'}; e.g. "
                f"{_case_text(example, entry.model)}")



# --------------------------------------------------------------------------------------------
# C011: every rule and exception has a scenario
# --------------------------------------------------------------------------------------------


@register
class ScenarioCoverage(Check):
    code, name = "C011", "scenario-coverage"
    severity = Severity.WARNING
    title = "Each rule and exception is exercised by a scenario"
    rationale = (f"{_ARTICLE} A rule or an exception no scenario exercises is one "
                 "whose translation nobody has checked on an example.")
    hint = ("add a scenario whose 'given:' makes it apply, with the 'expect:' the business "
            "owner agrees with")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if not _has_conditions(automation):
            return
        state = analysis(entry, ctx.registry)
        if state.invalid:
            return
        if not automation.scenarios:
            loc = entry.where("scenarios", fallback="rules")
            yield self.finding(ctx, entry, loc,
                               f"automation '{automation.id}' has conditions but no "
                               "scenarios: nothing shows its rules are translated correctly",
                               key=True)
            return
        decisions = [r.decision for r in state.runs if r.decision is not None]
        fired = {rule for d in decisions for rule in d.fired_rules}
        held = {exception for d in decisions for exception in d.held_exceptions}
        # A scenario C006 stops (a misspelt or missing fact) may well be the one that
        # exercises a rule: coverage waits until every scenario runs.
        all_run = len(decisions) == len(state.runs)
        for item in state.items:
            loc = (item.group, item.index, "id")
            if item.model.when is None:
                yield self.finding(
                    ctx, entry, loc,
                    f"{item.label} has no 'when': neither lint nor the scenarios can check it",
                    "add a 'when:' condition that says the same as its 'if:'")
            elif not all_run:
                continue
            elif item.kind == "rule" and item.model.id not in fired:
                yield self.finding(ctx, entry, loc,
                                   f"rule '{item.model.id}' applies in none of the scenarios")
            elif (item.kind == "exception" and item.model.id not in held
                  and (item.condition is None or state.can_hold(item)[0])):
                # An exception that can never hold is C009's finding: no scenario can help.
                yield self.finding(ctx, entry, loc,
                                   f"exception '{item.model.id}' holds in none of the scenarios")
