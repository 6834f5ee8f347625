"""Decisions: which rules apply, which exception takes over, the guardrails, the outcome."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEMO
from livingsys.conditions import compile_condition
from livingsys.conditions.decision import OUTCOMES, CaseError, decide, rule_parameters
from livingsys.models.automation import Automation
from livingsys.reading.registry import load_registry

_DEMO = load_registry(DEMO)
PEOPLE = _DEMO.people
REMINDERS = _DEMO.automation("payment-reminders").model
DEMO_AUTOMATIONS = [e.model for e in _DEMO.valid_automations]


def params(automation):
    """The demo's shared rules' parameters, as lint and explain give them."""
    return rule_parameters(automation, _DEMO.shared_rules)


# cel-python raises the recursion limit when it loads: load it before hypothesis runs.
compile_condition("1 < 2", {})

CASE = {"days_without_reply": 8, "amount_due": 1200.0, "in_dispute": False,
        "reminders_sent": 0}


def make(**overrides) -> Automation:
    """A small automation: one rule, two exceptions, exception-only validation."""
    data = {
        "id": "reminders",
        "name": "Reminders",
        "facts": [{"name": "days", "type": "int", "unit": "days"},
                  {"name": "amount", "type": "number", "unit": "EUR"},
                  {"name": "vip", "type": "bool"}],
        "steps": [{"id": "send", "kind": "automatic", "does": "Send it"}],
        "rules": [{"id": "remind", "if": "7 days", "then": "remind", "when": "days >= 7",
                   "action": "send-reminder"}],
        "exceptions": [
            {"id": "big", "if": "big", "then": "manager", "when": "amount > 5000",
             "handled_by": "m.boss"},
            {"id": "vip", "if": "vip", "then": "account manager", "when": "vip",
             "handled_by": "a.manager"},
        ],
        "guardrails": {"human_validation": {"by": "m.boss", "scope": "exceptions"},
                       "daily_cap": 40, "notify_on_exception": {"channel": "#finance",
                                                                "to": ["m.boss"]}},
    }
    data.update(overrides)
    return Automation.model_validate(data)


def case(**values):
    return {"days": 8, "amount": 100.0, "vip": False, **values}


# --------------------------------------------------------------------------------------------
# The demo's scenarios and the article's example
# --------------------------------------------------------------------------------------------


def _scenarios():
    for automation in DEMO_AUTOMATIONS:
        for scenario in automation.scenarios:
            yield pytest.param(automation, scenario, id=f"{automation.id}: {scenario.name[:40]}")


@pytest.mark.parametrize(("automation", "scenario"), list(_scenarios()))
def test_every_demo_scenario_gets_the_outcome_it_expects(automation, scenario):
    decision = decide(automation, scenario.given, people=PEOPLE, parameters=params(automation))
    expect = scenario.expect
    assert decision.complete
    if expect.outcome is not None:
        assert decision.outcome == expect.outcome
    if expect.rules is not None:
        assert set(decision.fired_rules) == set(expect.rules)
    if expect.exception is not None:
        assert decision.exception == expect.exception
    if expect.validated_by is not None:
        assert decision.validated_by == expect.validated_by
    fast = decide(automation, scenario.given, trace=False, fast=True,
                  parameters=params(automation))
    assert (fast.outcome, fast.fired_rules, fast.held_exceptions, fast.validated_by) == (
        decision.outcome, decision.fired_rules, decision.held_exceptions, decision.validated_by)
    # lint's first pass: the same decision, already compiled conditions, without the trace
    compiled = {(kind, i): compile_condition(item.when, automation.facts, params(automation))
                for kind, items in (("rule", automation.rules),
                                    ("exception", automation.exceptions))
                for i, item in enumerate(items) if item.when is not None}
    brief = decide(automation, scenario.given, trace=False, fast=True,
                   parameters=params(automation), brief=True, compiled=compiled)
    assert brief.trace == () and decision.trace
    assert (brief.outcome, brief.fired_rules, brief.held_exceptions, brief.validated_by,
            brief.summary, brief.notes, brief.complete) == (
        fast.outcome, fast.fired_rules, fast.held_exceptions, fast.validated_by,
        fast.summary, fast.notes, fast.complete)


def test_the_article_example_6000_eur_goes_to_the_finance_manager():
    decision = decide(REMINDERS, {**CASE, "amount_due": 6000}, people=PEOPLE,
                      parameters=params(REMINDERS))
    assert decision.outcome == "needs_validation"
    assert decision.validated_by == "n.lefebvre"
    assert decision.exception == "over-threshold"
    assert decision.fired_rules == ()
    assert decision.summary == ("No automatic action: Nathalie Lefebvre (Finance manager) must "
                                "validate (exception 'over-threshold').")
    trace = "\n".join(decision.trace)
    assert "Rule 'remind-after-7-days' does not apply." in trace
    assert ("amount_due <= rules.manager_validation_threshold.amount_threshold_eur: "
            "6000 <= 3000 → false") in trace
    assert "Exception 'over-threshold' holds" in trace
    assert ("amount_due > rules.manager_validation_threshold.amount_threshold_eur: "
            "6000 > 3000 → true") in trace
    assert "in_dispute = false" in trace
    assert decision.trace[-1].startswith("Outcome: No automatic action")
    kinds = [g.kind for g in decision.guardrails]
    assert kinds == ["human_validation", "notify_on_exception"]
    assert "#finance" in decision.guardrails[1].text


def test_small_amount_goes_out_automatically():
    decision = decide(REMINDERS, CASE, people=PEOPLE, parameters=params(REMINDERS))
    assert (decision.outcome, decision.fired_rules) == ("automatic", ("remind-after-7-days",))
    assert decision.actions == ("send-standard-reminder",)
    assert decision.validated_by is None
    assert decision.summary.startswith("Automatic: rule 'remind-after-7-days' applies")
    assert "Daily cap: at most 40 actions a day (today's volume not given" in "\n".join(
        decision.trace)


# --------------------------------------------------------------------------------------------
# Precedence and guardrails
# --------------------------------------------------------------------------------------------


def test_no_rule_and_no_exception_is_nothing():
    decision = decide(make(), case(days=3))
    assert decision.outcome == "nothing"
    assert decision.summary == "Nothing happens: no rule applies and no exception holds."
    assert decision.guardrails == ()


def test_an_exception_takes_precedence_over_a_rule_that_applies():
    decision = decide(make(), case(amount=9000.0))
    assert decision.fired_rules == ("remind",)
    assert decision.outcome == "needs_validation"
    assert decision.validated_by == "m.boss"
    assert any("exceptions take precedence" in n for n in decision.notes)


def test_an_exception_holds_even_when_no_rule_applies():
    decision = decide(make(), case(days=1, vip=True))
    assert (decision.outcome, decision.exception, decision.validated_by) == (
        "needs_validation", "vip", "a.manager")


def test_several_exceptions_hold_the_first_in_the_file_decides():
    decision = decide(make(), case(amount=9000.0, vip=True))
    assert decision.held_exceptions == ("big", "vip")
    assert decision.exception == "big"
    assert decision.validated_by == "m.boss"
    assert any("'big' and 'vip' all hold" in n for n in decision.notes)


def test_an_exception_without_handler_falls_back_to_the_guardrail_validator():
    automation = make(exceptions=[{"id": "big", "if": "b", "then": "t", "when": "amount > 5"}])
    assert decide(automation, case()).validated_by == "m.boss"
    bare = make(exceptions=[{"id": "big", "if": "b", "then": "t", "when": "amount > 5"}],
                guardrails={})
    decision = decide(bare, case())
    assert decision.outcome == "needs_validation" and decision.validated_by is None
    assert "names nobody" in decision.summary


def test_validation_of_every_action_makes_a_rule_wait_for_the_validator():
    automation = make(guardrails={"human_validation": {"by": "j.agent", "scope": "all"}})
    decision = decide(automation, case())
    assert (decision.outcome, decision.validated_by) == ("needs_validation", "j.agent")
    assert "must validate it first (human validation of every action)" in decision.summary


def test_a_validation_step_in_the_flow_makes_every_action_wait():
    automation = make(steps=[{"id": "draft", "kind": "automatic", "does": "Draft"},
                             {"id": "send", "kind": "automatic", "does": "Send",
                              "validated_by": "s.admin"}])
    decision = decide(automation, case())
    assert (decision.outcome, decision.validated_by) == ("needs_validation", "s.admin")
    assert decision.guardrails[-1].kind == "step_validation"


def test_the_daily_cap_blocks_once_reached():
    below = decide(make(), case(volume_today=39))
    assert below.outcome == "automatic" and below.volume_today == 39
    assert "39 taken so far today" in below.guardrails[0].text
    reached = decide(make(), case(volume_today=40))
    assert reached.outcome == "blocked" and reached.validated_by is None
    assert reached.summary.startswith("Blocked: the daily cap of 40 actions is reached")
    # An exception case is handled by a person: the cap does not apply to it.
    assert decide(make(), case(volume_today=40, vip=True)).outcome == "needs_validation"


def test_the_daily_cap_blocks_even_a_validated_action():
    automation = make(guardrails={"human_validation": {"by": "j.agent", "scope": "all"},
                                  "daily_cap": 5})
    assert decide(automation, case(volume_today=5)).outcome == "blocked"


def test_a_paused_automation_says_nothing_runs_now():
    automation = make(status="paused", status_reason="bug", status_since="2026-11-03")
    decision = decide(automation, case())
    assert decision.outcome == "automatic"
    assert any("paused since 2026-11-03: nothing runs now" in n for n in decision.notes)


# --------------------------------------------------------------------------------------------
# What cannot be checked is said, never guessed
# --------------------------------------------------------------------------------------------


def test_a_rule_without_when_makes_an_empty_decision_incomplete():
    automation = make(rules=[{"id": "remind", "if": "7 days", "then": "remind"}])
    decision = decide(automation, case())
    assert decision.outcome == "incomplete"
    assert not decision.complete
    assert decision.rules[0].status == "no_condition"
    assert "not machine-checkable (no 'when')" in decision.summary
    assert "Rule 'remind' not machine-checkable (no 'when')." in decision.trace


def test_a_rule_without_when_beside_one_that_applies_leaves_the_list_open():
    automation = make(rules=[{"id": "remind", "if": "a", "then": "b", "when": "days >= 7",
                              "action": "x"},
                             {"id": "other", "if": "c", "then": "d", "action": "x"}])
    decision = decide(automation, case())
    assert decision.outcome == "automatic" and not decision.complete
    assert any("'other' could not be checked" in n for n in decision.notes)


def test_an_exception_that_cannot_be_checked_before_the_one_that_holds():
    automation = make(exceptions=[
        {"id": "unclear", "if": "a", "then": "b", "handled_by": "x.y"},
        {"id": "big", "if": "b", "then": "t", "when": "amount > 5000", "handled_by": "m.boss"}])
    decision = decide(automation, case(amount=9000.0))
    assert decision.outcome == "incomplete"
    assert "Cannot decide who validates" in decision.summary
    # Once it comes after the exception that holds, it changes nothing.
    automation = make(exceptions=list(reversed(automation.model_dump(by_alias=True)[
        "exceptions"])))
    assert decide(automation, case(amount=9000.0)).outcome == "needs_validation"


def test_missing_values_are_named_and_make_the_decision_incomplete():
    decision = decide(make(), {"days": 8})
    assert decision.missing == ("amount", "vip")
    assert decision.outcome == "incomplete"
    assert decision.exceptions[0].status == "missing"
    assert decision.exceptions[0].verdict == "cannot be checked: no value for amount"


def test_a_condition_that_cannot_be_computed_is_reported():
    automation = make(exceptions=[{"id": "ratio", "if": "a", "then": "b",
                                   "when": "amount / days > 10", "handled_by": "m.boss"}])
    decision = decide(automation, case(days=0))
    assert decision.exceptions[0].status == "error"
    assert "division by zero" in decision.exceptions[0].verdict
    assert decision.outcome == "incomplete"
    fast = decide(automation, case(days=0), trace=False, fast=True)
    assert fast.exceptions[0].status == "error"


def test_a_condition_with_an_error_cannot_be_checked():
    automation = make(rules=[{"id": "remind", "if": "a", "then": "b", "when": "dayz >= 7"}])
    decision = decide(automation, case(days=1))
    assert decision.rules[0].status == "invalid"
    assert "'dayz' is not a declared fact" in decision.rules[0].verdict


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


def test_an_undeclared_fact_is_refused_with_a_suggestion():
    with pytest.raises(CaseError) as caught:
        decide(make(), case(amout=3.0))
    problem = caught.value.problems[0]
    assert problem.message == "'amout' is not a fact of automation 'reminders'"
    assert problem.hint.startswith("Did you mean 'amount'? Declared facts: days (whole "
                                   "number, days), amount (number, EUR), vip (true/false).")


def test_values_of_the_wrong_type_are_refused():
    with pytest.raises(CaseError) as caught:
        decide(make(), case(days=7.5, vip="yes", volume_today=-1))
    messages = [p.message for p in caught.value.problems]
    assert messages == ["7.5 is not a whole number for fact days (days)",
                        "'yes' is not true or false for fact vip",
                        "'-1' is not a number of actions for volume_today"]


def test_whole_numbers_are_accepted_for_number_facts():
    decision = decide(make(), case(amount=6000))
    assert decision.case["amount"] == 6000.0 and isinstance(decision.case["amount"], float)


def test_to_dict_is_json_with_the_whole_decision():
    data = decide(REMINDERS, {**CASE, "amount_due": 6000}, people=PEOPLE,
                      parameters=params(REMINDERS)).to_dict()
    json.dumps(data)
    assert data["outcome"] == "needs_validation"
    assert data["validator"] == "Nathalie Lefebvre (Finance manager)"
    assert data["held_exceptions"] == ["over-threshold"]
    over = data["exceptions"][0]
    assert over["status"] == "holds" and over["holds"] is True
    assert over["comparisons"][1]["described"] == (
        "amount_due > rules.manager_validation_threshold.amount_threshold_eur: 6000 > 3000 → true")
    assert {"rules", "exceptions", "guardrails", "summary", "trace", "complete"} <= set(data)


# --------------------------------------------------------------------------------------------
# Property: any case over the demo's facts gets a decision
# --------------------------------------------------------------------------------------------


def _value(fact):
    if fact.type == "int":
        return st.integers(min_value=-5, max_value=10_000)
    if fact.type == "number":
        return st.one_of(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
                         st.sampled_from([0.0, 0.8, 0.9, 5000.0, 5000.5]))
    if fact.type == "bool":
        return st.booleans()
    literals = ["order-status", "delivery", "angry", "sent", "signed", "revised", "kbis",
                "other", "urssaf-vigilance"]
    return st.one_of(st.sampled_from(literals), st.text(max_size=12))


@st.composite
def demo_cases(draw):
    automation = draw(st.sampled_from(DEMO_AUTOMATIONS))
    values = {}
    for fact in automation.facts:
        if draw(st.integers(0, 9)):  # now and then a fact is left out
            values[fact.name] = draw(_value(fact))
    if draw(st.booleans()):
        values["volume_today"] = draw(st.integers(0, 200))
    return automation, values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(demo_cases())
def test_any_case_over_the_demo_facts_gets_one_of_the_outcomes(drawn):
    automation, values = drawn
    decision = decide(automation, values, people=PEOPLE)
    assert decision.outcome in OUTCOMES
    assert decision.trace[-1].startswith("Outcome: ")
    json.dumps(decision.to_dict())
    if decision.outcome == "needs_validation":
        assert decision.validated_by
    if not decision.missing and decision.complete:
        assert decision.outcome != "incomplete"
    fast = decide(automation, values, trace=False, fast=True)
    assert (fast.outcome, fast.fired_rules, fast.held_exceptions) == (
        decision.outcome, decision.fired_rules, decision.held_exceptions)
