"""Lint's conditions and scenarios checks (C001-C011): what they find, and exactly where."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import DEMO

HEAD = """\
id: reminders
name: Payment reminders
owner: b.owner
maintainer: t.tech
perimeter: first
trigger: Every morning for unpaid invoices
steps:
  - {id: detect, kind: automatic, does: List unpaid invoices}
  - {id: check, kind: human, does: Check the reminder, by: b.owner}
  - id: send
    kind: automatic
    does: Send the reminder
    sends: [{audience: client, channel: email, content: reminder-email}]
guardrails: {daily_cap: 40, notify_on_exception: {channel: "#finance"}, kill_switch: Off in Make}
tool: Make
location: Make › Finance › scenario 'Reminders'
uses_rules: []  # the conditions below write their numbers (C013 is tested elsewhere)
content:
  - {id: reminder-email, description: Standard reminder, valid_until: 2099-12-31}
review: {cadence: monthly}
facts:
  - {name: days, type: int, unit: days}
  - {name: amount, type: number, unit: EUR}
  - {name: vip, type: bool}
"""
# HEAD has 24 lines: what follows starts on line 25.

RULE = """\
rules:
  - id: remind
    if: no reply after 7 days
    then: send a reminder
"""
# RULE ends on line 28: its 'when' is on line 29.

EXCEPTION = """\
exceptions:
  - id: big
    if: amount over 5,000 EUR
    then: the manager validates
    when: amount > 5000
    handled_by: m.boss
"""

SCENARIOS = """\
scenarios:
  - name: small amount, 8 days
    given: {days: 8, amount: 1200, vip: false}
    expect: {outcome: needs_validation, rules: [remind], validated_by: b.owner}
  - name: big amount
    given: {days: 8, amount: 6000, vip: false}
    expect: {outcome: needs_validation, exception: big, validated_by: m.boss}
"""


def lint(cli, root) -> list[dict]:
    result = cli("lint", "-r", root, "--format", "json")
    assert "Traceback" not in result.output
    return json.loads(result.output)["findings"]


def only(findings: list[dict], code: str) -> list[dict]:
    return [f for f in findings if f["code"] == code]


def registry(make_registry, text: str):
    return make_registry({"automations/reminders.yaml": text})


# --------------------------------------------------------------------------------------------
# C001-C004: positions inside the expression
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "line", "col"),
    [
        pytest.param("    when: days >= 7 && amount <= = 5000\n", 29, 34, id="plain"),
        pytest.param("    when: days >= 7 &&\n      amount <= = 5000\n", 30, 17,
                     id="plain-two-lines"),
        pytest.param('    when: "days >= 7 && amount <= = 5000"\n', 29, 35, id="double-quoted"),
        pytest.param("    when: 'vip == false && days >= ''7'' && amount <= = 5000'\n", 29, 55,
                     id="single-quoted-with-escapes"),
        pytest.param("    when: |\n      days >= 7\n        && amount <= = 5000\n", 31, 22,
                     id="literal-block"),
        pytest.param("    when: >-\n      days >= 7\n      && amount <= = 5000\n", 31, 20,
                     id="folded-block"),
        pytest.param("    when: &cond days >= 7 && amount <= = 5000\n", 29, 40, id="anchored"),
    ],
)
def test_a_syntax_error_points_inside_the_expression(cli, make_registry, when, line, col):
    root = registry(make_registry, HEAD + RULE + when + EXCEPTION + SCENARIOS)
    findings = only(lint(cli, root), "C001")
    assert len(findings) == 1, findings
    finding = findings[0]
    assert (finding["line"], finding["col"]) == (line, col)
    assert finding["message"] == "rule 'remind': unexpected character '='"
    assert finding["hint"] == "Remove this '=': <= already compares, e.g. amount_due <= 5000."
    text = (root / "automations" / "reminders.yaml").read_text().splitlines()
    assert text[line - 1][col - 1] == "=" and text[line - 1][col - 2] == " "
    assert finding["excerpt"].endswith("^")


def test_an_undeclared_fact_is_pointed_at_with_a_suggestion(cli, make_registry):
    root = registry(make_registry, HEAD + RULE + "    when: days >= 7 && amout <= 5000\n"
                    + EXCEPTION)
    (finding,) = only(lint(cli, root), "C002")
    assert (finding["line"], finding["col"]) == (29, 24)
    assert finding["message"] == ("rule 'remind': 'amout' is not a declared fact of this "
                                  "automation")
    assert finding["hint"].startswith("Did you mean 'amount'?")
    assert finding["severity"] == "error" and finding["name"] == "undeclared-fact"


def test_a_type_mismatch_is_pointed_at_with_a_hint(cli, make_registry):
    root = registry(make_registry, HEAD + RULE + "    when: days >= '7'\n" + EXCEPTION)
    (finding,) = only(lint(cli, root), "C003")
    assert (finding["line"], finding["col"]) == (29, 16)
    assert "cannot compare 'days' (a whole number) with '7' (a text)" in finding["message"]
    assert finding["hint"] == "Write 7 without quotes: it is a number."


def test_unsupported_constructs_and_long_conditions(cli, make_registry):
    exception = EXCEPTION.replace("when: amount > 5000",
                                  "when: " + " || ".join(f"days == {i}" for i in range(120)))
    root = registry(make_registry, HEAD + RULE + "    when: size(days) > 1\n" + exception)
    findings = only(lint(cli, root), "C004")
    assert [f["message"].split(":")[0] for f in findings] == ["rule 'remind'",
                                                              "exception 'big'"]
    assert "conditions cannot call functions" in findings[0]["message"]
    assert (findings[0]["line"], findings[0]["col"]) == (29, 11)
    assert "too long" in findings[1]["message"]


def test_a_fact_declared_twice(cli, make_registry):
    text = HEAD + "  - {name: days, type: number}\n" + RULE + "    when: days >= 7\n"
    (finding,) = only(lint(cli, registry(make_registry, text)), "C005")
    assert (finding["line"], finding["message"]) == (
        25, "fact 'days' is declared twice (first on line 22)")


# --------------------------------------------------------------------------------------------
# C006-C007: scenarios
# --------------------------------------------------------------------------------------------


def test_scenarios_that_pass_give_no_finding(cli, make_registry):
    root = registry(make_registry, HEAD + RULE + "    when: days >= 7\n    action: send\n"
                    + EXCEPTION + SCENARIOS)
    result = cli("lint", "-r", root)
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_scenario_facts_undeclared_wrong_type_or_missing(cli, make_registry):
    scenarios = """\
scenarios:
  - name: typo
    given: {days: 8, amout: 1200, vip: false}
    expect: {outcome: automatic}
  - name: wrong type
    given: {days: 8.5, amount: '1200', vip: false}
    expect: {outcome: automatic}
"""
    root = registry(make_registry, HEAD + RULE + "    when: days >= 7\n" + EXCEPTION
                    + scenarios)
    findings = only(lint(cli, root), "C006")
    by_line = {(f["line"], f["col"]): f for f in findings}
    # scenarios: starts on line 36; 'given' of the first on line 38.
    typo = by_line[(38, 22)]
    assert typo["message"] == "scenario 'typo': 'amout' is not a fact of automation 'reminders'"
    assert typo["hint"].startswith("Did you mean 'amount'?")
    missing = by_line[(38, 5)]
    assert missing["message"] == ("scenario 'typo' gives no value for amount, used by "
                                  "exception 'big'")
    assert by_line[(41, 19)]["message"] == ("scenario 'wrong type': 8.5 is not a whole number "
                                            "for fact days (days)")
    assert by_line[(41, 32)]["hint"] == "Write it without quotes if it is a number."
    assert not only(findings, "C007")
    # The scenarios C006 stops may be the ones exercising the rule and the exception: C011
    # does not claim they apply in no scenario.
    assert not only(lint(cli, root), "C011")


def test_a_scenario_whose_outcome_differs_shows_expected_actual_and_trace(cli, make_registry):
    scenarios = SCENARIOS.replace("amount: 1200", "amount: 5200")
    root = registry(make_registry, HEAD + RULE + "    when: days >= 7\n" + EXCEPTION
                    + scenarios)
    result = cli("lint", "-r", root, "--format", "json")
    assert result.exit_code == 1
    (finding,) = only(json.loads(result.output)["findings"], "C007")
    assert (finding["line"], finding["col"]) == (39, 5)  # the first scenario's 'expect'
    assert finding["message"] == (
        "scenario 'small amount, 8 days' expects needs_validation by b.owner (rules: remind), "
        "but the rules give "
        "needs_validation by m.boss (exception 'big'; rules: remind)")
    assert "✓ exception 'big' holds: amount > 5000: 5200 > 5000 → true" in finding["hint"]
    assert finding["hint"].splitlines()[-1] == ("→ No automatic action: Max Boss must validate "
                                                "(exception 'big').")
    assert finding["expected"] == {"outcome": "needs_validation", "rules": ["remind"],
                                   "validated_by": "b.owner"}
    assert finding["actual"]["outcome"] == "needs_validation"
    assert finding["trace"][-1].startswith("Outcome: ")
    text = cli("lint", "-r", root).output
    assert "\n         ✓ exception 'big' holds" in text  # trace aligned under the fix


def test_scenarios_of_rules_without_when_cannot_be_checked(cli, make_registry):
    root = registry(make_registry, HEAD + RULE + SCENARIOS.replace(
        "given: {days: 8, amount: 6000, vip: false}", "given: {days: 8}"))
    (finding,) = only(lint(cli, root), "C007")
    assert finding["message"] == ("the scenarios of 'reminders' cannot be checked: no rule or "
                                  "exception has a 'when' condition")
    mixed = registry(make_registry, HEAD + RULE + EXCEPTION + SCENARIOS)
    findings = only(lint(cli, mixed), "C007")
    assert [f["message"] for f in findings] == [
        "scenario 'small amount, 8 days' cannot be checked. Cannot decide: no rule applies "
        "among those checked, but rule 'remind' not machine-checkable (no 'when')."]


# --------------------------------------------------------------------------------------------
# C008-C010: searching example cases
# --------------------------------------------------------------------------------------------


def test_two_rules_with_different_actions_for_the_same_case(cli, make_registry):
    rules = """\
rules:
  - {id: remind, if: a, then: b, when: days >= 7 && amount <= 5000, action: send-standard}
  - {id: firm, if: c, then: d, when: days >= 14, action: send-firm}
  - {id: same, if: e, then: f, when: days >= 7 && days < 14, action: send-standard}
  - {id: apart, if: g, then: h, when: days < 7, action: call}
"""
    root = registry(make_registry, HEAD + rules)
    (finding,) = only(lint(cli, root), "C008")
    assert finding["line"] == 27
    assert finding["message"].startswith(
        "rules 'remind' and 'firm' both apply to the same case with different actions "
        "(send-standard, send-firm), e.g. days = ")
    witness = dict(re.findall(r"(\w+) = ([\d.-]+)", finding["message"]))
    assert int(witness["days"]) >= 14 and float(witness["amount"]) <= 5000


def _overlapping_rules(n: int) -> str:
    """``n`` rules that all apply when days >= n, each with its own action."""
    return "rules:\n" + "".join(
        f"  - {{id: r{i}, if: a, then: b, when: days >= {i}, action: act-{i}}}\n"
        for i in range(n))


def test_a_rule_contradicting_several_earlier_ones_is_one_finding_naming_them(
        cli, make_registry):
    findings = only(lint(cli, registry(make_registry, HEAD + _overlapping_rules(5))), "C008")
    assert [f["message"].split(":")[0] for f in findings] == [
        "rules 'r0' and 'r1' both apply to the same case with different actions (act-0, "
        "act-1), e.g. days = 1 days",
        "rule 'r2' (act-2) applies to the same cases as 2 earlier rules with other actions",
        "rule 'r3' (act-3) applies to the same cases as 3 earlier rules with other actions",
        "rule 'r4' (act-4) applies to the same cases as 4 earlier rules with other actions"]
    # Up to three are named with an example; beyond, they are counted.
    assert findings[2]["message"].endswith(
        ": 'r0' (act-0), 'r1' (act-1), 'r2' (act-2), e.g. days = 3 days")
    assert findings[3]["message"].endswith(
        ": 'r0' (act-0), 'r1' (act-1), 'r2' (act-2) and 1 more, e.g. days = 4 days")
    assert findings[3]["conflicting_rules"] == ["r0", "r1", "r2", "r3"]
    assert "conflicting_rules" not in findings[0]


def test_150_rules_contradicting_each_other_give_one_finding_per_rule(cli, make_registry):
    """Issue 10: 150 overlapping rules on two facts gave 11,175 C008 findings (and 30 s)."""
    rules = "rules:\n" + "".join(
        f"  - {{id: r{i}, if: a, then: b, when: '(days > {i} || amount < 0.5) && "
        f"days < {i + 100}', action: act-{i}}}\n" for i in range(150))
    findings = only(lint(cli, registry(make_registry, HEAD + rules)), "C008")
    assert len(findings) == 149
    assert findings[-1]["message"].startswith(
        "rule 'r149' (act-149) applies to the same cases as 149 earlier rules with other "
        "actions: 'r0' (act-0), 'r1' (act-1), 'r2' (act-2) and 146 more, e.g. days = ")
    assert len(findings[-1]["conflicting_rules"]) == 149


def test_an_exception_that_never_holds(cli, make_registry):
    exception = EXCEPTION.replace("when: amount > 5000", "when: amount > 5000 && amount < 3000")
    root = registry(make_registry, HEAD + RULE + "    when: days >= 7\n" + exception)
    (finding,) = only(lint(cli, root), "C009")
    assert finding["message"].startswith("exception 'big' never holds: its condition is false "
                                         "in all ")
    assert finding["line"] == 34


def test_a_scenario_proves_an_exception_can_hold_when_the_search_misses_it(cli, make_registry):
    exception = EXCEPTION.replace("when: amount > 5000", "when: amount * amount == 1234321")
    text = HEAD + RULE + "    when: days >= 7\n" + exception
    assert only(lint(cli, registry(make_registry, text)), "C009")
    scenario = """\
scenarios:
  - name: exactly 1,111 EUR
    given: {days: 8, amount: 1111, vip: false}
    expect: {outcome: needs_validation, exception: big}
"""
    assert not only(lint(cli, registry(make_registry, text + scenario)), "C009")


def test_an_exception_always_overtaken_by_an_earlier_one(cli, make_registry):
    exceptions = EXCEPTION + """\
  - id: very-big
    if: amount over 20,000 EUR
    then: the CEO validates
    when: amount > 20000
    handled_by: c.ceo
  - id: big-too
    if: amount over 8,000 EUR
    then: the manager validates
    when: amount > 8000
    handled_by: m.boss
"""
    root = registry(make_registry, HEAD + RULE + "    when: days >= 7\n" + exceptions)
    findings = only(lint(cli, root), "C010")
    assert len(findings) == 1  # 'big-too' has the same handler as 'big': nothing changes
    assert findings[0]["severity"] == "warning"
    assert findings[0]["message"].startswith(
        "exception 'very-big' never decides who validates: whenever it holds, 'big' (earlier "
        "in the file) holds too, so m.boss is asked, never c.ceo; e.g. amount = ")


# --------------------------------------------------------------------------------------------
# C011: coverage
# --------------------------------------------------------------------------------------------


def test_rules_and_exceptions_no_scenario_exercises(cli, make_registry):
    text = HEAD + RULE + "    when: days >= 7\n" + EXCEPTION
    (finding,) = only(lint(cli, registry(make_registry, text)), "C011")
    assert finding["message"] == ("automation 'reminders' has conditions but no scenarios: "
                                  "nothing shows its rules are translated correctly")
    scenario = SCENARIOS.split("  - name: big amount")[0]
    findings = only(lint(cli, registry(make_registry, text + scenario)), "C011")
    assert [(f["message"], f["severity"]) for f in findings] == [
        ("exception 'big' holds in none of the scenarios", "warning")]
    no_when = text + "  - {id: vip, if: a vip, then: account manager, handled_by: m.boss}\n"
    findings = only(lint(cli, registry(make_registry, no_when + SCENARIOS)), "C011")
    assert [f["message"] for f in findings] == [
        "exception 'vip' has no 'when': neither lint nor the scenarios can check it"]


# --------------------------------------------------------------------------------------------
# The demo registry, and what happens when its threshold changes
# --------------------------------------------------------------------------------------------


def test_the_demo_scenarios_all_pass_with_no_warning(cli, demo_registry):
    result = cli("lint", "-r", demo_registry, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["errors"] == data["summary"]["warnings"] == 0


def test_changing_the_shared_threshold_without_the_scenarios_fails_lint(cli, demo_registry):
    # Rule 3: the threshold is written once, in the shared rule; both automations read it,
    # and their scenarios show what now behaves differently.
    path = demo_registry / "rules" / "manager-validation-threshold.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("amount_threshold_eur: 3000") == 1
    path.write_text(text.replace("amount_threshold_eur: 3000", "amount_threshold_eur: 2000"),
                    encoding="utf-8")
    result = cli("lint", "-r", demo_registry)
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "C007 scenario '8 days without reply, exactly 3,000 EUR due" in out
    assert ("expects automatic (rules: remind-after-7-days), but the rules give "
            "needs_validation by n.lefebvre (exception 'over-threshold'; rules: none)") in out
    assert ("amount_due <= rules.manager_validation_threshold.amount_threshold_eur: "
            "3000 <= 2000 → false") in out
    assert ("amount_due > rules.manager_validation_threshold.amount_threshold_eur: "
            "3000 > 2000 → true") in out
    assert "C007 scenario 'quote of 2,400 EUR open for 12 days" in out
    assert "C013" not in out  # nothing is copied by hand


def test_registries_without_conditions_do_not_load_cel(make_registry):
    root = make_registry()
    code = ("import sys; from livingsys.checks.lint import lint; report = lint(sys.argv[1]); "
            "print(report.errors, 'celpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["0", "False"]


def test_lint_of_the_demo_in_a_new_process(tmp_path):
    # how long it takes (against the imports alone): bench/limits_bench.py
    root = tmp_path / "registry"
    shutil.copytree(DEMO, root)
    code = ("import sys; from livingsys.checks.lint import lint; "
            "print(lint(sys.argv[1]).errors)")
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["0"]
