"""Decisions: what an automation does for one case, and why.

A *case* gives a value to the automation's facts (``days_without_reply = 8``,
``amount_due = 6000``...). :func:`decide` runs it through the automation's rules, exceptions
and guardrails and returns a :class:`Decision`: which rules apply, which exceptions hold, the
guardrails that come into play, the outcome, who must validate, and a trace in plain words.

The semantics (documented for users in docs/decisions.md)
---------------------------------------------------------
1. Every rule and every exception is looked at, in file order. Its ``when`` condition
   *holds* or *does not hold* for the case. Without a ``when`` it cannot be checked ("not
   machine-checkable"); a condition with an error, a missing fact value or a value it cannot
   compute (division by zero) cannot be checked either.
2. Exceptions take precedence over rules. If an exception holds, the automation does not act
   on its own: the outcome is ``needs_validation``, by the exception's ``handled_by`` (or, when
   it names nobody, the person of ``guardrails.human_validation``). When several exceptions
   hold they are all listed, and the first one in file order decides who validates. The rules
   that apply too are listed, but their actions are not taken automatically.
3. Otherwise, if no rule applies, the outcome is ``nothing``.
4. Otherwise the rules that apply act (all of them; see lint's C008 for rules that contradict
   each other), under the guardrails:

   - ``blocked`` when the daily cap is reached: the case gives ``volume_today`` (actions already
     taken today) and it is at least ``guardrails.daily_cap``; the automation stops and alerts;
   - ``needs_validation`` when a person validates the actions before anything goes out, as
     :func:`livingsys.conditions.guards.action_validation` decides (the same function lint's G001
     reads,
     so explain and rule 1 never disagree): ``guardrails.human_validation`` with ``scope:
     all``, or, for an automation that sends to clients, every sending step validated (by
     itself being human, its ``validated_by``, or an earlier validating or human step; an
     earlier human step does not count when ``scope: exceptions`` says people validate only
     the exceptions); for one that sends nothing to clients, a step with ``validated_by``;
   - ``automatic`` otherwise.
5. A decision that depends on something that could not be checked is ``incomplete`` rather
   than a guess: when an exception cannot be checked and none before it holds, or when no rule
   applies and a rule cannot be checked. When an exception before the first one that holds
   cannot be checked, who validates is uncertain: incomplete too. A rule that cannot be checked
   while another applies leaves the outcome known but the list of rules possibly short
   (``complete`` is false).

``volume_today`` is a reserved name: any case may give it (a whole number, 0 or more) without
declaring it as a fact. The status of the automation (paused, retired) does not change the
decision: the trace says that nothing runs now and shows what it would decide.

Pure: no file is read; names of people come from the ``people`` mapping given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from livingsys import i18n
from livingsys.conditions import (
    MAX_EXACT_INT,
    PARAMETER_ROOT,
    Condition,
    ConditionError,
    Evaluation,
    FactSpec,
    ParameterSpec,
    RuleParameters,
    check_fact_value,
    compile_condition,
    format_value,
    parse_fact_value,
    rule_key,
)
from livingsys.conditions.guards import action_validation
from livingsys.conditions.values import shown_value
from livingsys.conditions.wording import compared_in_words
from livingsys.i18n import N_, _, ngettext, pgettext

if TYPE_CHECKING:
    from livingsys.models.automation import Automation, Rule, RuleException
    from livingsys.models.people import Person

__all__ = [
    "EXPECTED_OUTCOMES",
    "OUTCOMES",
    "VOLUME_TODAY",
    "AppliedGuardrail",
    "CaseError",
    "Decision",
    "ItemResult",
    "check_case",
    "decide",
    "fact_label",
    "fact_specs",
    "parse_case",
    "parameters_line",
    "person_label",
    "rule_parameters",
]

Outcome = Literal["automatic", "needs_validation", "blocked", "nothing", "incomplete"]
OUTCOMES: tuple[str, ...] = ("automatic", "needs_validation", "blocked", "nothing", "incomplete")
EXPECTED_OUTCOMES: tuple[str, ...] = OUTCOMES[:4]
"""The outcomes a scenario may expect (``incomplete`` is never an expectation)."""

VOLUME_TODAY = "volume_today"
"""Reserved case value: how many actions the automation has already taken today."""

Status = Literal["holds", "does_not_hold", "no_condition", "invalid", "missing", "error"]
_KNOWN: frozenset[str] = frozenset({"holds", "does_not_hold"})

_TYPE_NAMES = {"int": N_("whole number"), "number": N_("number"), "bool": N_("true/false"),
               "string": N_("text")}


class CaseError(ValueError):
    """A case that cannot be decided: unknown facts or values of the wrong type."""

    def __init__(self, problems: list[ConditionError]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# --------------------------------------------------------------------------------------------
# Facts and cases
# --------------------------------------------------------------------------------------------


def fact_specs(automation: Automation) -> dict[str, FactSpec]:
    """The declared facts by name (a fact declared twice: the last declaration counts, as in
    conditions; lint's C005 reports it)."""
    return {f.name: FactSpec(f.name, f.type, f.unit, f.description)
            for f in automation.facts}


def _parameter_type(value: Any) -> tuple[str | None, str | None]:
    """(the type conditions give a parameter's value, or why it cannot be used)."""
    if isinstance(value, bool):
        return "bool", None
    if isinstance(value, int):
        if abs(value) > MAX_EXACT_INT:
            return None, _("{value} is too large (whole numbers go up to {most})").format(
                value=value, most=i18n.number(MAX_EXACT_INT))
        return "int", None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, _("{value} is not an ordinary number").format(value=value)
        return "number", None
    if isinstance(value, str):
        return "string", None
    return None, _("its value is not a number, a text or true/false")


def rule_parameters(automation: Automation, shared_rules: Iterable[Any]) -> RuleParameters:
    """The shared rules' parameters ``automation``'s conditions may read, with their current
    values: those of the rules in its ``uses_rules`` (``shared_rules`` are the registry's
    rule entries, each with ``model`` — None when the file is invalid — and ``stem``).

    A rule is read as ``rules.<key>.<parameter>``, its key being its id with '_' for '-'
    (:func:`livingsys.conditions.rule_key`). Reading a rule the automation does not list in
    ``uses_rules`` is refused: review-due follows ``uses_rules`` to make the automation due
    when the rule changes (rule 3), so a condition must not depend on a rule it does not
    declare."""
    uses = list(dict.fromkeys(automation.uses_rules))
    models: dict[str, Any] = {}
    for entry in shared_rules:
        model = entry.model
        models.setdefault(model.id if model is not None else entry.stem, model)
    by_key: dict[str, list[str]] = {}
    for rule_id in [*uses, *models]:
        ids = by_key.setdefault(rule_key(rule_id), [])
        if rule_id not in ids:
            ids.append(rule_id)
    available: list[ParameterSpec] = []
    used: list[tuple[str, str]] = []
    unavailable: list[tuple[str, str, str, str]] = []
    unusable: list[tuple[str, str]] = []
    for key, ids in by_key.items():
        if len(ids) > 1:
            word = pgettext("between two items", "or")
            quoted = f" {word} ".join(f"'{i}'" for i in ids)
            unavailable.append((key, ids[0], _("{name} could be shared rule {rules}").format(
                name=f"{PARAMETER_ROOT}.{key}", rules=quoted), _(
                "Rename one of these rules (and their files) so that each reads differently "
                "with '_' for '-'.")))
            continue
        (rule_id,) = ids
        if rule_id not in uses:
            listed = ", ".join([*uses, rule_id])
            unavailable.append((key, rule_id, _(
                "shared rule '{rule}' is not in this automation's uses_rules").format(
                    rule=rule_id), _(
                "Add it: uses_rules: [{listed}] (review-due then makes this automation due "
                "for review when the rule changes, rule 3).").format(listed=listed)))
            continue
        if rule_id not in models:
            unavailable.append((key, rule_id, _(
                "shared rule '{rule}' is in uses_rules but there is no rules/{rule}.yaml"
            ).format(rule=rule_id), _("Create the rule's file, or fix the id in uses_rules.")))
            continue
        model = models[rule_id]
        if model is None:
            unavailable.append((key, rule_id, _(
                "shared rule '{rule}' cannot be read: rules/{rule}.yaml has format errors"
            ).format(rule=rule_id), _(
                "Fix the errors lint reports in rules/{rule}.yaml (a parameter's value is a "
                "number, a text or true/false, never a list or a mapping).").format(
                    rule=rule_id)))
            continue
        used.append((key, rule_id))
        for name, value in model.parameters.items():
            qualified = f"{PARAMETER_ROOT}.{key}.{name}"
            type_, why = _parameter_type(value)
            if type_ is None:
                unusable.append((qualified, why or ""))
            else:
                available.append(ParameterSpec(qualified, rule_id, name, type_,  # type: ignore
                                               value))
    return RuleParameters(tuple(available), tuple(used), tuple(unavailable), tuple(unusable))


def fact_label(spec: FactSpec) -> str:
    """``amount_due (number, EUR)``."""
    extra = _(_TYPE_NAMES[spec.type]) if spec.type in _TYPE_NAMES else spec.type
    if spec.unit:
        extra += f", {spec.unit}"
    return f"{spec.name} ({extra})"


def _unknown_fact(name: str, automation: Automation,
                  specs: Mapping[str, FactSpec]) -> ConditionError:
    from livingsys.reading.validation import did_you_mean

    guess = did_you_mean(name, [*specs, VOLUME_TODAY])
    declared = (", ".join(fact_label(s) for s in specs.values())
                or pgettext("no fact declared", "none"))
    hint = _("Declared facts: {facts}.").format(facts=declared)
    if guess:
        hint = _("Did you mean '{guess}'? {hint}").format(guess=guess, hint=hint)
    return ConditionError("value", _("'{name}' is not a fact of automation '{id}'").format(
        name=name, id=automation.id), fact=name, hint=hint)


def _volume(value: Any, *, text: bool) -> int:
    if text:
        raw = str(value).strip()
        if re.fullmatch(r"\+?[0-9]{1,18}", raw):  # ASCII digits, an ordinary count
            return int(raw)
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    shown = value if text else format_value(value)
    raise ConditionError("value", _("'{value}' is not a number of actions for {name}").format(
        value=shown, name=VOLUME_TODAY), fact=VOLUME_TODAY, hint=_(
        "Give how many actions were already taken today: a whole number, 0 or more, e.g. 12."))


def _read_case(automation: Automation, case: Mapping[str, Any], *, text: bool
               ) -> tuple[dict[str, Any], list[ConditionError]]:
    specs = fact_specs(automation)
    values: dict[str, Any] = {}
    problems: list[ConditionError] = []
    for name, value in case.items():
        try:
            spec = specs.get(name)
            if spec is None:
                if name != VOLUME_TODAY:
                    raise _unknown_fact(name, automation, specs)
                values[name] = _volume(value, text=text)
                continue
            values[name] = (parse_fact_value(spec, value) if text
                            else check_fact_value(spec, value))
            if name == VOLUME_TODAY:
                _volume(values[name], text=False)
        except ConditionError as problem:
            problems.append(problem)
    return values, problems


def check_case(automation: Automation, case: Mapping[str, Any]
               ) -> tuple[dict[str, Any], list[ConditionError]]:
    """Check values read from YAML (a scenario's ``given``): the values, normalised, and the
    problems (undeclared facts, values of the wrong type), each a ConditionError."""
    return _read_case(automation, case, text=False)


def parse_case(automation: Automation, case: Mapping[str, str]
               ) -> tuple[dict[str, Any], list[ConditionError]]:
    """Like :func:`check_case` for texts typed on the command line (``"6000"``, ``"true"``)."""
    return _read_case(automation, case, text=True)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    """One rule or exception, as looked at for the case."""

    kind: Literal["rule", "exception"]
    id: str
    index: int
    if_: str | None
    then: str | None
    when: str | None
    status: Status
    action: str | None = None
    handled_by: str | None = None
    evaluation: Evaluation | None = None
    problem: str | None = None
    missing: tuple[str, ...] = ()
    parameters: Mapping[str, ParameterSpec] = field(default_factory=dict)
    """The shared rules' parameters its condition reads, with the values used."""
    units: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """The units of the facts its condition reads (``amount_due``: ``EUR``), for the trace."""

    @property
    def holds(self) -> bool | None:
        """True or False, or None when it could not be checked."""
        if self.status == "holds":
            return True
        if self.status == "does_not_hold":
            return False
        return None

    @property
    def known(self) -> bool:
        return self.status in _KNOWN

    @property
    def label(self) -> str:
        return f"{self.kind} '{self.id}'"

    @property
    def verdict(self) -> str:
        """``applies`` / ``does not apply`` for rules, ``holds`` / ``does not hold`` for
        exceptions, or why it could not be checked."""
        if self.status == "holds":
            return _("applies") if self.kind == "rule" else _("holds")
        if self.status == "does_not_hold":
            return _("does not apply") if self.kind == "rule" else _("does not hold")
        if self.status == "no_condition":
            return _("not machine-checkable (no 'when')")
        if self.status == "invalid":
            return _("cannot be checked: its condition has an error ({problem})").format(
                problem=self.problem)
        if self.status == "missing":
            return _("cannot be checked: no value for {facts}").format(
                facts=", ".join(self.missing))
        return _("cannot be checked: {problem}").format(problem=self.problem)

    def details(self) -> list[str]:
        """What was compared: ``days_without_reply >= 7: 8 >= 7 → true``, then the values
        of the facts used outside any comparison (``in_dispute = false``). Without the trace
        (``decide(..., trace=False)``), the values of every fact used."""
        if self.evaluation is None:
            return []
        english = i18n.language() == "en"
        lines = [c.describe() if english else compared_in_words(c, self.units, self.parameters)
                 for c in self.evaluation.comparisons]
        compared = " ".join(c.text for c in self.evaluation.comparisons)
        for name, value in self.evaluation.values.items():
            if not re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", compared):
                shown = format_value(value) if english else shown_value(value, self.units.get(name))
                lines.append(f"{name} = {shown}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id, "if": self.if_,
                                "then": self.then, "when": self.when}
        if self.kind == "rule":
            data["action"] = self.action
        else:
            data["handled_by"] = self.handled_by
        data.update({"status": self.status, "holds": self.holds, "verdict": self.verdict})
        if self.evaluation is not None:
            data["values"] = dict(self.evaluation.values)
            data["comparisons"] = [
                {"text": c.text, "left": c.left, "op": c.op, "right": c.right,
                 "result": c.result, "line": c.line, "col": c.col, "error": c.error,
                 "described": c.describe()}
                for c in self.evaluation.comparisons]
        if self.problem:
            data["problem"] = self.problem
        if self.missing:
            data["missing"] = list(self.missing)
        if self.parameters:
            data["parameters"] = {n: p.value for n, p in self.parameters.items()}
        return data


@dataclass(frozen=True)
class AppliedGuardrail:
    """A guardrail that comes into play for the case."""

    kind: Literal["human_validation", "step_validation", "daily_cap", "notify_on_exception"]
    text: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, **self.data}


@dataclass(frozen=True)
class Decision:
    """What the automation does for one case, and why."""

    automation: str
    case: Mapping[str, Any]
    rules: tuple[ItemResult, ...]
    exceptions: tuple[ItemResult, ...]
    outcome: Outcome
    validated_by: str | None
    exception: str | None
    """The exception that decides (the first in file order that holds), if any."""
    guardrails: tuple[AppliedGuardrail, ...]
    summary: str
    """The outcome in one sentence."""
    trace: tuple[str, ...]
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    """Facts some condition uses that the case gives no value for."""
    volume_today: int | None = None
    validator: str | None = None
    """Who validates, as people read it: 'Nathalie Lefebvre (Finance manager)'."""

    @property
    def parameters(self) -> dict[str, ParameterSpec]:
        """The shared rules' parameters the conditions read, with the values used."""
        return {n: p for i in (*self.rules, *self.exceptions) for n, p in i.parameters.items()}

    @property
    def fired_rules(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules if r.status == "holds")

    @property
    def held_exceptions(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.exceptions if e.status == "holds")

    @property
    def actions(self) -> tuple[str, ...]:
        """The actions of the rules that apply (taken only when no exception holds)."""
        return tuple(dict.fromkeys(r.action for r in self.rules
                                   if r.status == "holds" and r.action))

    @property
    def complete(self) -> bool:
        """Every rule and exception could be checked."""
        return all(i.known for i in (*self.rules, *self.exceptions))

    def to_dict(self) -> dict[str, Any]:
        return {
            "automation": self.automation,
            "case": dict(self.case),
            "outcome": self.outcome,
            "validated_by": self.validated_by,
            "validator": self.validator,
            "exception": self.exception,
            "fired_rules": list(self.fired_rules),
            "held_exceptions": list(self.held_exceptions),
            "actions": list(self.actions),
            "complete": self.complete,
            "missing": list(self.missing),
            "volume_today": self.volume_today,
            "parameters": {n: {"value": p.value, "rule": p.rule, "parameter": p.key}
                           for n, p in self.parameters.items()},
            "rules": [r.to_dict() for r in self.rules],
            "exceptions": [e.to_dict() for e in self.exceptions],
            "guardrails": [g.to_dict() for g in self.guardrails],
            "notes": list(self.notes),
            "summary": self.summary,
            "trace": list(self.trace),
        }


# --------------------------------------------------------------------------------------------
# Deciding
# --------------------------------------------------------------------------------------------


_PREDICATES: dict[int, tuple[Condition, Any]] = {}


def _predicate(condition: Condition) -> Any:
    """The fast evaluator of a compiled condition (compile_condition caches conditions, so
    the same object comes back for the same expression and facts)."""
    cached = _PREDICATES.get(id(condition))
    if cached is None or cached[0] is not condition:
        from livingsys.conditions.witness import predicate

        if len(_PREDICATES) > 4096:
            _PREDICATES.clear()
        cached = _PREDICATES[id(condition)] = (condition, predicate(condition))
    return cached[1]


def _look_at(kind: Literal["rule", "exception"], index: int, item: Rule | RuleException,
             automation: Automation, values: Mapping[str, Any], trace: bool,
             fast: bool, parameters: RuleParameters | None,
             compiled: Mapping[tuple[str, int], Condition] | None = None) -> ItemResult:
    base: dict[str, Any] = {"kind": kind, "id": item.id, "index": index, "if_": item.if_,
                            "then": item.then, "when": item.when}
    if kind == "rule":
        base["action"] = getattr(item, "action", None)
    else:
        base["handled_by"] = getattr(item, "handled_by", None)
    if item.when is None:
        return ItemResult(status="no_condition", **base)
    base["units"] = {f.name: f.unit for f in automation.facts if f.unit}
    condition = (compiled or {}).get((kind, index))
    if condition is None:
        try:
            condition = compile_condition(item.when, automation.facts, parameters)
        except ConditionError as error:
            return ItemResult(status="invalid", problem=error.message, **base)
    if condition.parameters:
        base["parameters"] = condition.parameters
    missing = tuple(n for n in condition.facts_used if n not in values)
    if missing:
        return ItemResult(status="missing", missing=missing,
                          problem=_("no value for {facts}").format(facts=", ".join(missing)),
                          **base)
    if fast:
        result = _predicate(condition)(values)
        if result is not None:  # None: CEL says why below
            used = {n: values[n] for n in condition.facts_used}
            return ItemResult(status="holds" if result else "does_not_hold",
                              evaluation=Evaluation(result, (), used), **base)
    try:
        evaluation = condition.evaluate(values, trace=trace)
    except ConditionError as error:
        return ItemResult(status="error", problem=error.message, **base)
    return ItemResult(status="holds" if evaluation.value else "does_not_hold",
                      evaluation=evaluation, **base)


def person_label(person_id: str | None, people: Mapping[str, Person] | None) -> str:
    """``Nathalie Lefebvre (Finance manager)``: the name and the role's first words (up to a
    comma or a parenthesis), or the id when the person is not in people.yaml."""
    if person_id is None:
        return _("nobody")
    person = (people or {}).get(person_id)
    if person is None:
        return person_id
    role = re.split(r",|\s\(", person.role or "", maxsplit=1)[0].strip()
    return f"{person.name} ({role})" if role else person.name


_person = person_label


def _names(items: list[ItemResult]) -> str:
    return i18n.join([f"'{i.id}'" for i in items])


def _rules_phrase(fired: list[ItemResult]) -> str:
    actions = list(dict.fromkeys(r.action for r in fired if r.action))
    what = f" ({', '.join(actions)})" if actions else ""
    return ngettext("rule {names} applies{actions}", "rules {names} apply{actions}",
                    len(fired)).format(names=_names(fired), actions=what)


def case_values(automation: Automation, values: Mapping[str, Any]) -> str:
    """``days_without_reply = 8 days, amount_due = 3500 EUR``: the values of a case, with
    the units of the facts (``amount_due = 3 500 €`` in French)."""
    specs = fact_specs(automation)
    return ", ".join(f"{name} = {shown_value(value, specs[name].unit if name in specs else None)}"
                     for name, value in values.items())


def _case_line(automation: Automation, values: Mapping[str, Any]) -> str:
    if not values:
        return _("Case: no values given.")
    return _("Case: {values}.").format(values=case_values(automation, values))


def parameters_line(read: Mapping[str, ParameterSpec]) -> str:
    """``Shared rules: rules.x.amount_threshold_eur = 3000 (rule 'x').``"""
    english = i18n.language() == "en"
    return _("Shared rules: {values}.").format(values="; ".join(
        _("{name} = {value} (rule '{rule}')").format(
            name=p.name, value=format_value(p.value) if english else shown_value(p.value),
            rule=p.rule) for p in read.values()))


def decide(automation: Automation, case: Mapping[str, Any], *,
           people: Mapping[str, Person] | None = None, trace: bool = True,
           fast: bool = False, parameters: RuleParameters | None = None,
           brief: bool = False,
           compiled: Mapping[tuple[str, int], Condition] | None = None) -> Decision:
    """Run ``case`` (fact name → value, as read from YAML or Python) through ``automation``.

    Raises :class:`CaseError` when the case names an undeclared fact or gives a value of the
    wrong type. Missing values do not raise: the conditions that need them cannot be checked,
    and the decision says so (``missing``, and ``incomplete`` when it matters). With
    ``trace=False`` conditions are evaluated without the comparisons (about twice as fast).
    With ``fast=True`` they are evaluated by :mod:`livingsys.conditions.witness`'s evaluator of the
    checked expression tree instead of cel-python: the same semantics (the tests check it
    against CEL), some hundred times faster, no comparisons. Lint runs scenarios that way and
    decides again with CEL and the trace when one seems to fail.

    ``parameters`` are the shared rules' parameters the conditions may read
    (:func:`rule_parameters`, with the rules' current values); without them a condition that
    reads one cannot be checked.

    ``brief=True`` leaves ``trace`` empty (lint's first pass; a failing scenario is decided
    again with it); ``compiled``: the conditions already compiled, by ``(kind, index)``.
    """
    values, problems = check_case(automation, case)
    if problems:
        raise CaseError(problems)
    volume = values.get(VOLUME_TODAY)
    rules = tuple(_look_at("rule", i, r, automation, values, trace, fast, parameters, compiled)
                  for i, r in enumerate(automation.rules))
    exceptions = tuple(_look_at("exception", i, e, automation, values, trace, fast, parameters,
                                compiled) for i, e in enumerate(automation.exceptions))
    guardrails = automation.guardrails
    validation = guardrails.human_validation
    fired = [r for r in rules if r.status == "holds"]
    unknown_rules = [r for r in rules if not r.known]
    held = [e for e in exceptions if e.status == "holds"]

    applied: list[AppliedGuardrail] = []
    notes: list[str] = []
    outcome: Outcome
    validated_by: str | None = None
    deciding: ItemResult | None = None

    first_unknown = next((e for e in exceptions if not e.known), None)
    if held and (first_unknown is None or first_unknown.index > held[0].index):
        deciding = held[0]
        outcome = "needs_validation"
        validated_by = deciding.handled_by or (validation.by if validation else None)
        who = _person(validated_by, people)
        if validated_by:
            summary = _("No automatic action: {who} must validate (exception '{id}').").format(
                who=who, id=deciding.id)
        else:
            summary = _("No automatic action: exception '{id}' takes over, but it names "
                        "nobody to handle it (add 'handled_by').").format(id=deciding.id)
        if validation is not None:
            guard = _person(validation.by, people)
            if validation.scope == "all":
                text = _("Human validation of every action: {who} still validates anything "
                         "sent for this case afterwards.").format(who=guard)
            elif validation.by == validated_by or validated_by is None:
                text = _("Human validation of exception cases: the case waits for "
                         "{who}.").format(who=guard)
            else:
                text = _("Human validation of exception cases: the case waits for {who}, "
                         "named by the exception (the guardrail names {guard}).").format(
                             who=who, guard=guard)
            applied.append(AppliedGuardrail(
                "human_validation", text, {"by": validation.by, "scope": validation.scope}))
        if guardrails.notify_on_exception is not None:
            notify = guardrails.notify_on_exception
            to = ", ".join(_person(p, people) for p in notify.to)
            applied.append(AppliedGuardrail(
                "notify_on_exception",
                (_("Notification of the exception in {channel}, to {who}.") if to
                 else _("Notification of the exception in {channel}.")).format(
                     channel=notify.channel, who=to),
                {"channel": notify.channel, "to": list(notify.to)}))
        if len(held) > 1:
            notes.append(_("Exceptions {names} all hold; the first in the file, '{id}', "
                           "decides who validates.").format(names=_names(held), id=deciding.id))
        if fired:
            notes.append(_("The {rules} too, but exceptions take precedence: nothing is done "
                           "automatically.").format(rules=_rules_phrase(fired)))
    elif first_unknown is not None:
        outcome = "incomplete"
        why = _("exception '{id}' {verdict}").format(id=first_unknown.id,
                                                      verdict=first_unknown.verdict)
        if held:
            summary = _("Cannot decide who validates: exception '{id}' holds, but {why}, and "
                        "it comes first in the file.").format(id=held[0].id, why=why)
        else:
            summary = _("Cannot decide: {why}, and it could take over.").format(why=why)
    elif not fired:
        if unknown_rules:
            outcome = "incomplete"
            first = unknown_rules[0]
            summary = _("Cannot decide: no rule applies among those checked, but rule '{id}' "
                        "{verdict}.").format(id=first.id, verdict=first.verdict)
        else:
            outcome = "nothing"
            summary = _("Nothing happens: no rule applies and no exception holds.")
    else:
        phrase = _rules_phrase(fired)
        phrase = phrase[0].upper() + phrase[1:]
        lowered = phrase[0].lower() + phrase[1:]
        cap = guardrails.daily_cap
        checker = action_validation(automation)
        if cap is not None:
            if volume is None:
                text = _("Daily cap: at most {cap} actions a day (today's volume not given, so "
                         "not checked).").format(cap=cap)
            elif volume >= cap:
                text = _("Daily cap: at most {cap} actions a day, and {volume} were already "
                         "taken today: the cap is reached.").format(cap=cap, volume=volume)
            else:
                text = _("Daily cap: at most {cap} actions a day; {volume} taken so far "
                         "today.").format(cap=cap, volume=volume)
            applied.append(AppliedGuardrail("daily_cap", text,
                                            {"cap": cap, "volume_today": volume}))
        if cap is not None and volume is not None and volume >= cap:
            outcome = "blocked"
            summary = _("Blocked: the daily cap of {cap} actions is reached ({volume} today); "
                        "{rules}, but the automation stops and alerts instead of "
                        "acting.").format(cap=cap, volume=volume, rules=lowered)
        elif checker is not None:
            outcome = "needs_validation"
            validated_by = checker.by
            who = _person(validated_by, people) if validated_by else _("a person")
            if checker.how == "human_validation":
                applied.append(AppliedGuardrail(
                    "human_validation",
                    _("Human validation (every action): {who} validates before anything goes "
                      "out.").format(who=who), {"by": checker.by, "scope": "all"}))
                summary = _("{rules}, but {who} must validate it first (human validation of "
                            "every action).").format(rules=phrase, who=who)
            else:
                text = {
                    "sender_is_human": _("Step '{step}' is done by a person ({who}): each "
                                         "message is checked as it is sent."),
                    "step_validation": _("Step '{step}' is validated by {who}."),
                    "earlier_validation": _("Step '{step}' is validated by {who} before "
                                            "anything is sent."),
                    "earlier_human_step": _("Step '{step}' is done by a person ({who}) before "
                                            "anything is sent."),
                }[checker.how].format(step=checker.step, who=who)
                applied.append(AppliedGuardrail(
                    "step_validation", text,
                    {"step": checker.step, "by": checker.by, "how": checker.how}))
                summary = _("{rules}, but {who} must validate it first (step "
                            "'{step}').").format(rules=phrase, who=who, step=checker.step)
                if validated_by is None:
                    notes.append(_("Step '{step}' names nobody: write who validates in its "
                                   "'by:'.").format(step=checker.step))
        else:
            outcome = "automatic"
            summary = _("Automatic: {rules}, with no human validation.").format(rules=lowered)
            if validation is not None:
                applied.append(AppliedGuardrail(
                    "human_validation",
                    _("Human validation covers exception cases only ({who}); none holds "
                      "here.").format(who=_person(validation.by, people)),
                    {"by": validation.by, "scope": validation.scope}))
        if unknown_rules:
            notes.append(_("Rule {names} could not be checked: it might apply too.").format(
                names=_names(unknown_rules)))
        actions = [r.action for r in fired if r.action]
        if len(set(actions)) > 1:
            notes.append(_("These rules have different actions: check that they do not "
                           "contradict each other (lint check C008)."))
    if automation.status != "active":
        status = automation.status
        if automation.status_since:
            since = (automation.status_since if i18n.language() == "en"
                     or not isinstance(automation.status_since, dt.date)
                     else i18n.day(automation.status_since))
            notes.append(_("The automation is {status} since {since}: nothing runs now; this "
                           "is what it would decide.").format(status=status, since=since))
        else:
            notes.append(_("The automation is {status}: nothing runs now; this is what it "
                           "would decide.").format(status=status))

    missing = tuple(dict.fromkeys(n for i in (*rules, *exceptions) for n in i.missing))
    decision = Decision(
        automation=automation.id, case=values, rules=rules, exceptions=exceptions,
        outcome=outcome, validated_by=validated_by,
        exception=deciding.id if deciding else None, guardrails=tuple(applied),
        summary=summary, trace=(), notes=tuple(notes), missing=missing,
        volume_today=volume,
        validator=_person(validated_by, people) if validated_by else None)
    if brief:
        return decision
    lines = [_case_line(automation, values)]
    read = {n: p for i in (*rules, *exceptions) for n, p in i.parameters.items()}
    if read:
        lines.append(parameters_line(read))
    for item in (*rules, *exceptions):
        if item.kind == "exception" and item.status == "holds":
            head = _("Exception '{id}' {verdict} (handled by {who}).").format(
                id=item.id, verdict=item.verdict, who=_person(item.handled_by, people))
        elif item.kind == "exception":
            head = _("Exception '{id}' {verdict}.").format(id=item.id, verdict=item.verdict)
        else:
            head = _("Rule '{id}' {verdict}.").format(id=item.id, verdict=item.verdict)
        lines.append(head)
        if item.if_:
            lines.append("  " + _("if {text}").format(text=item.if_))
        if item.then:
            lines.append("  " + _("then {text}").format(text=item.then))
        lines.extend(f"  {detail}" for detail in item.details())
    lines.extend(notes)
    lines.extend(_("Guardrail: {text}").format(text=g.text) for g in applied)
    lines.append(_("Outcome: {summary}").format(summary=summary))
    return replace(decision, trace=tuple(lines))
