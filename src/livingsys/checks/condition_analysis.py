"""What the checks of conditions and scenarios share: one analysis per automation file.

The ``when`` conditions of its rules and exceptions compiled, its scenarios run through
:func:`livingsys.conditions.decision.decide`, and the example cases searched over
(:mod:`livingsys.conditions.witness`), each computed once for all the checks of
:mod:`livingsys.checks.conditions` (C001-C005, C012, C013),
:mod:`livingsys.checks.scenarios` (C006, C007, C011) and
:mod:`livingsys.checks.contradictions` (C008-C010).

Automations without any ``when`` and without scenarios are skipped before anything is
imported; cel-python is loaded by the first condition compiled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from livingsys import i18n
from livingsys.i18n import _

if TYPE_CHECKING:
    from livingsys.conditions import Condition, ConditionError, RuleParameters
    from livingsys.conditions.decision import Decision
    from livingsys.models import Automation
    from livingsys.reading.registry import Entry, Registry

def has_conditions(automation: Automation) -> bool:
    """Whether some rule or exception of ``automation`` has a ``when`` condition."""
    return (any(r.when is not None for r in automation.rules)
            or any(e.when is not None for e in automation.exceptions))


@dataclass
class Item:
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
    def compiled(self) -> Condition:
        """Its condition, for the callers that only pass items whose condition compiled."""
        if self.condition is None:  # pragma: no cover - callers filter on condition
            raise ValueError(f"{self.label} has no compiled condition")
        return self.condition

    @property
    def label(self) -> str:
        """``rule 'remind-after-7-days'``, ``exception 'over-threshold'``: how findings name
        it."""
        text = _("rule '{id}'") if self.kind == "rule" else _("exception '{id}'")
        return text.format(id=self.model.id)


@dataclass
class ScenarioRun:
    """One scenario, its values as checked, the problems found in them, and what the rules
    decide for it (None until its values and every condition are usable)."""

    index: int
    scenario: Any
    values: dict[str, Any]
    problems: list[ConditionError]
    missing: dict[str, list[str]] = field(default_factory=dict)
    """Facts the conditions use that ``given`` leaves out, with who uses them."""
    decision: Decision | None = None


@dataclass
class Joint:
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


class Analysis:
    """Conditions, scenarios and example cases of one automation, computed once for all the
    checks of conditions, scenarios and contradictions."""

    def __init__(self, entry: Entry, registry: Registry) -> None:
        self.entry = entry
        self.registry = registry
        if entry.model is None:  # pragma: no cover - checks only see valid files
            raise ValueError(f"{entry.path} has no valid model to analyse")
        self.automation: Automation = entry.model

    @cached_property
    def parameters(self) -> RuleParameters:
        """The shared rules' parameters its conditions may read, with their current values."""
        from livingsys.conditions.decision import rule_parameters

        return rule_parameters(self.automation, self.registry.shared_rules)

    @cached_property
    def items(self) -> list[Item]:
        from livingsys.conditions import ConditionError, compile_condition

        automation = self.automation
        items = [Item("rule", i, r) for i, r in enumerate(automation.rules)]
        items += [Item("exception", i, e) for i, e in enumerate(automation.exceptions)]
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
    def compiled(self) -> dict[tuple[str, int], Condition]:
        """The compiled conditions by (kind, index), as decide takes them."""
        return {(i.kind, i.index): i.condition for i in self.items if i.condition is not None}

    @cached_property
    def invalid(self) -> bool:
        """Some condition does not compile (C001-C004 say why; the rest waits for it)."""
        return any(i.error is not None for i in self.items)

    @cached_property
    def runs(self) -> list[ScenarioRun]:
        from livingsys.conditions.decision import check_case, decide

        runs = []
        used: dict[str, list[str]] = {}
        for item in self.items if has_conditions(self.automation) else ():
            if item.condition is not None:
                for name in item.condition.facts_used:
                    used.setdefault(name, []).append(item.label)
        for index, scenario in enumerate(self.automation.scenarios):
            values, problems = check_case(self.automation, scenario.given)
            run = ScenarioRun(index, scenario, values, problems)
            run.missing = {n: who for n, who in used.items() if n not in scenario.given}
            if not problems and not run.missing and not self.invalid:
                run.decision = decide(self.automation, values, trace=False, fast=True,
                                      parameters=self.parameters, brief=True,
                                      compiled=self.compiled)
            runs.append(run)
        return runs

    def traced(self, run: ScenarioRun, people: Any) -> Decision:
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

    def predicate(self, item: Item):
        from livingsys.conditions.witness import predicate

        cache = self.__dict__.setdefault("_predicates", {})
        key = (item.kind, item.index)
        if key not in cache:
            cache[key] = predicate(item.compiled)
        return cache[key]

    def search(self, items: list[Item]):
        """Cases over the facts ``items`` use, with their predicates' results."""
        from livingsys.conditions.witness import cases

        names: list[str] = []
        for item in items:
            names += [n for n in item.compiled.facts_used if n not in names]
        tests = [(item, self.predicate(item)) for item in items]
        for case in cases(self.candidates, names, extra=self.scenario_cases):
            yield case, {(item.kind, item.index): test(case) for item, test in tests}

    def joint(self, items: list[Item]) -> Joint:
        """One pass of the search over the facts all ``items`` use, each case tried on every
        item (see :class:`Joint`); computed once per list of items."""
        import math

        from livingsys.conditions.witness import MAX_CASES, cases, holding

        memo = self.__dict__.setdefault("_joint", {})
        key = tuple((i.kind, i.index) for i in items)
        if key in memo:
            return memo[key]
        names: list[str] = []
        for item in items:
            names += [n for n in item.compiled.facts_used if n not in names]
        found = list(cases(self.candidates, names, extra=self.scenario_cases))
        masks = dict(zip(key, holding([i.compiled for i in items], found), strict=False))
        total = math.prod(len(self.candidates[n]) for n in names if n in self.candidates)
        memo[key] = Joint(names, found, masks, sampled=total > MAX_CASES)
        return memo[key]

    def exact(self, items: list[Item], negated: Sequence[Item] = ()
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
            memo[key] = exact_case([i.compiled for i in items],
                                   [i.compiled for i in negated])
        return memo[key]

    def can_hold(self, item: Item) -> tuple[bool, int]:
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

    def holds_with_cel(self, item: Item, case: dict[str, Any]) -> bool:
        """Whether ``item`` holds for ``case`` according to cel-python (computed once per
        item and case: C008 checks the same example against many rules)."""
        from livingsys.conditions import ConditionError

        memo = self.__dict__.setdefault("_cel", {})
        key = (item.kind, item.index, tuple(case.items()))
        if key not in memo:
            try:
                memo[key] = bool(item.compiled.evaluate(case, trace=False).value)
            except ConditionError:
                memo[key] = False
        return memo[key]


_CACHE: dict[int, Analysis] = {}


def analysis(entry: Entry, registry: Registry) -> Analysis:
    """The analysis of ``entry``, shared by the checks of conditions and scenarios during one
    lint."""
    cached = _CACHE.get(id(entry))
    if cached is not None and cached.entry is entry and cached.registry is registry:
        return cached
    if len(_CACHE) > 64:
        _CACHE.clear()
    result = _CACHE[id(entry)] = Analysis(entry, registry)
    return result


def case_text(case: dict[str, Any], automation: Automation) -> str:
    """An example case as findings show it: ``amount_due = 6000 EUR, vip = false``."""
    from livingsys.conditions import format_value

    units = {f.name: f.unit or "" for f in automation.facts}

    def shown(name: str, value: Any) -> str:
        unit = units.get(name)
        if unit and i18n.language() != "en" and isinstance(value, (int, float)) and not \
                isinstance(value, bool):
            return i18n.amount(value, unit)  # 6 000 €
        return f"{format_value(value)}{' ' + unit if unit else ''}"

    return ", ".join(f"{n} = {shown(n, v)}" for n, v in case.items())


def when_loc(item: Item) -> tuple:
    """Where the item's ``when`` is in its file, for a finding."""
    return (item.group, item.index, "when")
