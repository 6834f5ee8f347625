"""Shared rules' parameters in conditions (rule 3): written once, read everywhere, typed,
evaluated with the rule's current value; thresholds copied by hand are reported (C013)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from livingsys.checks.conditions import about_parameter
from livingsys.conditions import (
    ConditionError,
    FactSpec,
    ParameterSpec,
    compile_condition,
    rule_key,
)
from livingsys.conditions.decision import decide, rule_parameters
from livingsys.conditions.witness import candidate_values, exact_case
from livingsys.models.automation import Automation
from livingsys.models.shared_rule import SharedRule

THRESHOLD = "rules.manager_validation_threshold.amount_threshold_eur"


def rule(id_: str, **parameters) -> SimpleNamespace:
    """A registry entry of a shared rule (model None: a file with format errors)."""
    model = SharedRule(id=id_, name=id_, statement="If .. then ..", parameters=parameters)
    return SimpleNamespace(model=model, stem=id_)


def broken(id_: str) -> SimpleNamespace:
    return SimpleNamespace(model=None, stem=id_)


def automation(uses=("manager-validation-threshold",), **extra) -> Automation:
    data = {"id": "reminders", "name": "Reminders", "uses_rules": list(uses),
            "facts": [{"name": "amount_due", "type": "number", "unit": "EUR"},
                      {"name": "days", "type": "int", "unit": "days"}]}
    data.update(extra)
    return Automation.model_validate(data)


RULES = [rule("manager-validation-threshold", amount_threshold_eur=3000, ratio=0.5,
              eu_only=True, region="EU"),
         rule("ai-client-data", retention_days=30)]


def params(auto=None, rules=RULES):
    return rule_parameters(auto or automation(), rules)


def compile_(expression: str, auto=None, rules=RULES):
    auto = auto or automation()
    return compile_condition(expression, auto.facts, params(auto, rules))


# --------------------------------------------------------------------------------------------
# naming and types


@pytest.mark.parametrize(("rule_id", "key"), [
    ("manager-validation-threshold", "manager_validation_threshold"), ("plain", "plain"),
    ("a_b-c", "a_b_c"), ("2025-prices", "_2025_prices")])
def test_a_rule_is_named_by_its_id_with_underscores(rule_id, key):
    assert rule_key(rule_id) == key


def test_each_parameter_is_typed_from_its_value():
    types = {p.key: (p.type, p.value) for p in params().available}
    assert types == {"amount_threshold_eur": ("int", 3000), "ratio": ("number", 0.5),
                     "eu_only": ("bool", True), "region": ("string", "EU")}


def test_a_condition_reads_the_current_value():
    condition = compile_(f"amount_due > {THRESHOLD}")
    assert condition.evaluate({"amount_due": 3000.5}).value is True
    assert condition.evaluate({"amount_due": 3000.0}).value is False  # the boundary itself
    assert condition.evaluate({"amount_due": 3000.0}).trace() == [
        f"amount_due > {THRESHOLD}: 3000 > 3000 → false"]
    lowered = [rule("manager-validation-threshold", amount_threshold_eur=2000)]
    assert compile_(f"amount_due > {THRESHOLD}", rules=lowered).evaluate(
        {"amount_due": 3000.0}).value is True


@pytest.mark.parametrize(("expression", "holds"), [
    ("rules.manager_validation_threshold.eu_only", True),
    ("rules.manager_validation_threshold.region == 'EU'", True),
    ("rules.manager_validation_threshold.region.startsWith('E')", True),
    ("amount_due * rules.manager_validation_threshold.ratio > 1000", True),
    (f"amount_due in [{THRESHOLD}, 1.0]", False),
    (f"-{THRESHOLD} < 0", True),
])
def test_parameters_of_every_type_work_in_conditions(expression, holds):
    assert compile_(expression).evaluate({"amount_due": 2500.0, "days": 3}).value is holds


def test_the_type_check_treats_a_parameter_like_a_fact():
    with pytest.raises(ConditionError) as caught:
        compile_(f"{THRESHOLD} == 'a'")
    assert caught.value.kind == "type"
    assert "a whole number" in caught.value.message


# --------------------------------------------------------------------------------------------
# what cannot be read, and why


def problem(expression, auto=None, rules=RULES) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        compile_(expression, auto, rules)
    return caught.value


def test_an_unknown_parameter_gets_a_did_you_mean_and_the_list():
    error = problem("amount_due > rules.manager_validation_threshold.amount_threshold")
    assert (error.kind, error.col) == ("parameter", 14)
    assert error.message == ("'rules.manager_validation_threshold.amount_threshold': shared "
                             "rule 'manager-validation-threshold' has no parameter "
                             "'amount_threshold'")
    assert error.hint.startswith(f"Did you mean '{THRESHOLD}'? Its parameters: {THRESHOLD} "
                                 "(3000)")


def test_an_unknown_rule_gets_a_did_you_mean():
    error = problem("amount_due > rules.manager_validation_treshold.amount_threshold_eur")
    assert "there is no shared rule 'manager-validation-treshold'" in error.message
    assert error.hint.startswith(f"Did you mean '{THRESHOLD}'?")


def test_a_rule_not_in_uses_rules_cannot_be_read():
    error = problem("days > rules.ai_client_data.retention_days")
    assert error.message == ("'rules.ai_client_data.retention_days': shared rule "
                             "'ai-client-data' is not in this automation's uses_rules")
    assert error.hint.startswith("Add it: uses_rules: [manager-validation-threshold, "
                                 "ai-client-data]")
    auto = automation(uses=["manager-validation-threshold", "ai-client-data"])
    assert compile_("days > rules.ai_client_data.retention_days", auto).evaluate(
        {"days": 31}).value is True


def test_a_rule_whose_file_has_errors_cannot_be_read():
    error = problem(f"amount_due > {THRESHOLD}", rules=[broken("manager-validation-threshold")])
    assert "rules/manager-validation-threshold.yaml has format errors" in error.message


def test_a_rule_in_uses_rules_without_a_file():
    error = problem(f"amount_due > {THRESHOLD}", rules=[])
    assert "is in uses_rules but there is no rules/manager-validation-threshold.yaml" in \
        error.message


def test_two_ids_that_read_the_same_are_refused():
    rules = [rule("a-b", x=1), rule("a_b", x=2)]
    error = problem("amount_due > rules.a_b.x", automation(uses=["a-b"]), rules)
    assert "rules.a_b could be shared rule 'a-b' or 'a_b'" in error.message


@pytest.mark.parametrize(("value", "ok"), [(2**53, True), (2**53 + 1, False),
                                           (float("inf"), False), (1e308, True)])
def test_a_value_conditions_cannot_compute_with_is_said(value, ok):
    rules = [rule("manager-validation-threshold", amount_threshold_eur=value)]
    expression = f"amount_due > {THRESHOLD}"
    if ok:
        compile_(expression, rules=rules)
    else:
        assert "cannot be used in a condition" in problem(expression, rules=rules).message


@pytest.mark.parametrize("expression", ["amount_due > rules.x", "amount_due > rules.a.b.c"])
def test_a_parameter_is_always_three_names(expression):
    error = problem(expression)
    assert error.kind == "parameter"
    assert "write rules.<rule>.<parameter>" in error.message


def test_a_fact_named_rules_and_a_parameter_do_not_mix():
    auto = automation(facts=[{"name": "rules", "type": "int"},
                             {"name": "amount_due", "type": "number", "unit": "EUR"}])
    assert compile_("rules > 1", auto).evaluate({"rules": 2}).value is True
    assert compile_(f"amount_due > {THRESHOLD}", auto).evaluate({"amount_due": 1.0}).value \
        is False
    for expression in (f"rules > 1 && amount_due > {THRESHOLD}",
                       f"amount_due > {THRESHOLD} && rules > 1"):
        assert "Rename the fact" in problem(expression, auto).hint


# --------------------------------------------------------------------------------------------
# the searches and the decisions use the value too


def test_the_exact_search_knows_the_value():
    never = compile_(f"amount_due > {THRESHOLD} && amount_due < 2000")
    assert exact_case([never]) == (False, None)
    possible = compile_(f"amount_due > {THRESHOLD} && amount_due < 4000")
    ok, case = exact_case([possible])
    assert ok and 3000 < case["amount_due"] < 4000
    values = candidate_values([possible], {"amount_due": FactSpec("amount_due", "number")})
    assert {2999.0, 3000.0, 3001.0} <= set(values["amount_due"])


def test_decide_and_the_fast_evaluator_agree_with_the_value():
    auto = automation(
        rules=[{"id": "remind", "if": "i", "then": "t", "when": f"amount_due <= {THRESHOLD}"}],
        exceptions=[{"id": "big", "if": "i", "then": "t", "when": f"amount_due > {THRESHOLD}",
                     "handled_by": "m.boss"}])
    for amount, outcome in ((3000.0, "automatic"), (3000.01, "needs_validation")):
        slow = decide(auto, {"amount_due": amount}, parameters=params(auto))
        fast = decide(auto, {"amount_due": amount}, parameters=params(auto), fast=True,
                      trace=False)
        assert slow.outcome == fast.outcome == outcome
    decision = decide(auto, {"amount_due": 10.0}, parameters=params(auto))
    assert decision.trace[1] == (f"Shared rules: {THRESHOLD} = 3000 (rule "
                                 "'manager-validation-threshold').")
    # without the parameters, a condition that reads one cannot be checked: never a guess
    assert decide(auto, {"amount_due": 10.0}).outcome == "incomplete"


# --------------------------------------------------------------------------------------------
# C013: when is a number about a parameter?


def fact(name, unit, type_="number"):
    return FactSpec(name, type_, unit)


def parameter(key, value=3000, type_="int"):
    return ParameterSpec(f"rules.r.{key}", "r", key, type_, value)


@pytest.mark.parametrize(("fact_", "parameter_", "about"), [
    (fact("amount_due", "EUR"), parameter("amount_threshold_eur"), True),
    (fact("quote_amount", "eur"), parameter("amount_threshold_eur"), True),
    (fact("amount_due", None), parameter("amount_threshold_eur"), False),  # no unit
    (fact("amount_due", "USD"), parameter("amount_threshold_eur"), False),  # another unit
    (fact("invoice_total", "EUR"), parameter("amount_threshold_eur"), False),  # other words
    (fact("days_without_reply", "days", "int"), parameter("retention_days", 7), False),
    (fact("retention_days", "days", "int"), parameter("retention_days", 30), True),
    (fact("days_open", "day", "int"), parameter("max_days", 30), False),  # only "limit" words
    (fact("amount_due", "EUR"), parameter("amount_threshold_eur", True, "bool"), False),
    (fact("amount_due", "EUR"), parameter("eur", 1), False),  # a unit and nothing else
])
def test_a_number_is_about_a_parameter_only_with_the_same_unit_and_quantity(
        fact_, parameter_, about):
    assert about_parameter(fact_, parameter_) is about


TEXT = """\
    id: reminders
    name: Payment reminders
    owner: b.owner
    maintainer: t.tech
    perimeter: first
    trigger: Every morning for unpaid invoices
    facts:
      - {name: days_without_reply, type: int, unit: days}
      - {name: amount_due, type: number, unit: EUR}
    steps:
      - {id: check, kind: human, does: Check the reminder, by: b.owner}
      - id: send
        kind: automatic
        does: Send the reminder
        sends: [{audience: client, channel: email, content: reminder-email}]
    rules:
      - {id: remind, if: 7 days, then: remind, when: "days_without_reply >= 7 && WHEN"}
    exceptions:
      - {id: big, if: big, then: manager, when: "amount_due > rules.threshold.amount_threshold_eur",
         handled_by: m.boss}
    guardrails:
      daily_cap: 40
      notify_on_exception: {channel: "#finance"}
      kill_switch: Turn off the scenario 'Reminders' in Make
    uses_rules: [threshold]
    content:
      - {id: reminder-email, description: Standard reminder, valid_until: 2099-12-31}
    review: {cadence: monthly}
    tool: Make
    location: Make › Finance › scenario 'Reminders'
    scenarios:
      - name: small
        given: {days_without_reply: 8, amount_due: 100}
        expect: {outcome: needs_validation, rules: [remind], validated_by: b.owner}
      - name: big
        given: {days_without_reply: 8, amount_due: 9000}
        expect: {outcome: needs_validation, exception: big, validated_by: m.boss}
"""


@pytest.mark.parametrize(("when", "found", "literal"), [
    ("amount_due <= 5000", "5000 repeats amount_threshold_eur", "5000"),  # equal: copied
    ("amount_due <= 5000.5", "amount_due is compared with 5000.5", "5000.5"),  # just beside
    ("amount_due <= rules.threshold.amount_threshold_eur", None, None),
    ("amount_due * 1 <= 5000", None, None),  # through arithmetic: not a plain threshold
    ("amount_due < 100000 && amount_due <= rules.threshold.amount_threshold_eur",
     "amount_due is compared with 100000", "100000"),
])
def test_lint_reports_a_copied_threshold_at_its_place(make_registry, cli, when, found,
                                                      literal):
    text = TEXT.replace("WHEN", when)
    root = make_registry({"automations/reminders.yaml": text})
    result = cli("lint", "-r", root, "-f", "json", "--today", "2026-11-25")
    findings = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "C013"]
    if found is None:
        assert findings == [] and result.exit_code == 0, result.stdout
        return
    (finding,) = findings
    assert found in finding["message"]
    line = text.splitlines()[16][4:]  # dedented as written
    assert (finding["line"], finding["col"]) == (17, line.index(literal) + 1)
    assert "compare with rules.threshold.amount_threshold_eur instead of writing" in \
        finding["hint"]
