"""`livingsys explain`: the decision trace a business owner reads, and clear errors."""

from __future__ import annotations

import json

import pytest

from conftest import DEMO

CASE_6000 = ["--case", "days_without_reply=8", "--case", "amount_due=6000",
             "--case", "in_dispute=false", "--case", "reminders_sent=0"]


def explain(cli, *args):
    result = cli("explain", *args, "-r", DEMO)
    assert "Traceback" not in result.output
    return result


def test_the_article_example_in_plain_words(cli):
    result = explain(cli, "payment-reminders", *CASE_6000)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("payment-reminders — Payment reminders for unpaid invoices\n")
    assert "Case: days_without_reply = 8 days, amount_due = 6000 EUR, in_dispute = false" in out
    assert "✗ remind-after-7-days — does not apply" in out
    assert "if the client has not replied for 7 days" in out
    assert ("amount_due <= rules.manager_validation_threshold.amount_threshold_eur: "
            "6000 <= 3000 → false") in " ".join(out.split())
    assert ("✓ over-threshold — holds → handled by Nathalie Lefebvre (Finance manager)"
            in out)
    assert ("amount_due > rules.manager_validation_threshold.amount_threshold_eur: "
            "6000 > 3000 → true") in " ".join(out.split())
    assert "✗ client-in-dispute — does not hold" in out
    # the threshold is read from the shared rule, as it is now
    assert ("Shared rules: rules.manager_validation_threshold.amount_threshold_eur = 3000 "
            "(rule 'manager-validation-threshold')") in " ".join(out.split())
    assert "Notification of the exception in #finance" in out
    assert ("Outcome: No automatic action: Nathalie Lefebvre (Finance manager) must validate "
            "(exception 'over-threshold').") in " ".join(out.split())


def test_values_may_be_given_together_separated_by_commas(cli):
    result = explain(cli, "payment-reminders", "-c",
                     "days_without_reply=8,amount_due=1200,in_dispute=false,reminders_sent=0")
    assert result.exit_code == 0, result.output
    assert "✓ remind-after-7-days — applies → send-standard-reminder" in result.output
    assert "Outcome: Automatic: rule 'remind-after-7-days' applies" in result.output


def test_a_text_value_with_a_comma_stays_whole(cli):
    result = explain(cli, "support-triage", "-c", "category=order-status, or delivery",
                     "-c", "ai_confidence=0.93,sentiment=neutral",
                     "-c", "mentions_legal_action=false,asks_refund=false", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["case"]["category"] == "order-status, or delivery"


def test_the_daily_cap(cli):
    result = explain(cli, "payment-reminders", "-c",
                     "days_without_reply=8,amount_due=1200,in_dispute=false,reminders_sent=0",
                     "--volume-today", "40")
    assert result.exit_code == 0
    out = " ".join(result.output.split())
    assert "Daily cap: at most 40 actions a day, and 40 were already taken today" in out
    assert "Outcome: Blocked: the daily cap of 40 actions is reached (40 today)" in out


def test_json_is_the_decision(cli):
    result = explain(cli, "payment-reminders", *CASE_6000, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["outcome"] == "needs_validation"
    assert data["validated_by"] == "n.lefebvre"
    assert data["exception"] == "over-threshold"
    assert data["case"] == {"days_without_reply": 8, "amount_due": 6000.0,
                            "in_dispute": False, "reminders_sent": 0}
    assert [r["id"] for r in data["rules"]] == ["remind-after-7-days", "second-reminder"]
    assert data["rules"][0]["holds"] is False
    comparison = data["rules"][0]["comparisons"][2]
    assert (comparison["left"], comparison["op"], comparison["right"], comparison["result"]) == (
        6000, "<=", 3000, False)  # the shared rule's current value
    assert [g["kind"] for g in data["guardrails"]] == ["human_validation",
                                                       "notify_on_exception"]
    assert data["trace"][-1].startswith("Outcome: ")
    assert data["parameters"] == {"rules.manager_validation_threshold.amount_threshold_eur": {
        "value": 3000, "rule": "manager-validation-threshold",
        "parameter": "amount_threshold_eur"}}


def test_an_unknown_fact_suggests_the_right_one_and_lists_the_facts(cli):
    result = explain(cli, "payment-reminders", "--case", "days_without_reply=8",
                     "--case", "amout_due=6000")
    assert result.exit_code == 2
    out = " ".join(result.output.split())
    assert "error: 'amout_due' is not a fact of automation 'payment-reminders'" in out
    assert "Did you mean 'amount_due'?" in out
    assert ("Declared facts: days_without_reply (whole number, days), amount_due (number, "
            "EUR), in_dispute (true/false), reminders_sent (whole number).") in out


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ("amount_due=6000,50", "'6000,50' is not a number for fact amount_due (EUR)",
         "Use a dot for decimals: 6000.50."),
        ("days_without_reply=8.5", "'8.5' is not a whole number for fact days_without_reply",
         "counts whole units"),
        ("in_dispute=yes", "'yes' is not true or false for fact in_dispute",
         "Write true or false."),
    ],
)
def test_a_bad_value_is_a_clear_error(cli, value, message, hint):
    result = explain(cli, "payment-reminders", "--case", value)
    assert result.exit_code == 2
    assert message in result.output and hint in result.output


def test_several_problems_are_listed_together(cli):
    result = explain(cli, "payment-reminders", "-c", "amount_due=lots,in_dispute=maybe")
    assert result.exit_code == 2
    assert "the case has problems:" in result.output
    assert "'lots' is not a number" in result.output and "'maybe'" in result.output


def test_missing_facts_are_named(cli):
    result = explain(cli, "payment-reminders", "--case", "days_without_reply=8")
    assert result.exit_code == 2
    out = " ".join(result.output.split())
    assert ("the case gives no value for amount_due (number, EUR), in_dispute (true/false), "
            "reminders_sent (whole number), which the conditions use") in out
    assert "--case amount_due=5000" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["payment-remnders", "-c", "x=1"], "did you mean 'payment-reminders'"),
        (["payment-reminders", "-c", "days_without_reply"], "is not of the form fact=value"),
        (["payment-reminders", "-c", "days_without_reply=8", "-c", "days_without_reply=9"],
         "days_without_reply is given twice"),
        (["payment-reminders", "-c", "volume_today=3", "--volume-today", "4"],
         "volume_today is given twice"),
    ],
)
def test_usage_errors(cli, args, expected):
    result = explain(cli, *args)
    assert result.exit_code == 2
    assert expected in result.output


def test_an_automation_with_format_errors_or_no_facts(cli, make_registry):
    root = make_registry({"automations/broken.yaml": "id: broken\nname: [unclosed\n"})
    result = cli("explain", "broken", "-c", "a=1", "-r", root)
    assert result.exit_code == 2 and "livingsys lint" in result.output
    result = cli("explain", "reminders", "-c", "a=1", "-r", root)
    assert result.exit_code == 2
    assert "declares no facts" in result.output
    assert "Traceback" not in result.output


def test_an_incomplete_decision_says_so(cli, make_registry):
    from test_condition_checks import EXCEPTION, HEAD, RULE

    root = make_registry({"automations/reminders.yaml": HEAD + RULE + EXCEPTION})
    result = cli("explain", "reminders", "-c", "days=8,amount=100,vip=false", "-r", root)
    assert result.exit_code == 0
    assert "? remind — not machine-checkable (no 'when')" in result.output
    assert "Outcome: Cannot decide" in result.output


def test_explain_follows_the_shared_rule_when_its_number_changes(cli, tmp_path):
    """Rule 3: change the threshold in the shared rule only; explain decides with the new
    number, on both sides of it."""
    import shutil

    registry = tmp_path / "registry"
    shutil.copytree(DEMO, registry)
    rule = registry / "rules/manager-validation-threshold.yaml"
    rule.write_text(rule.read_text("utf-8").replace("amount_threshold_eur: 3000",
                                                    "amount_threshold_eur: 4000"), "utf-8")
    case = ["-c", "days_without_reply=8,in_dispute=false,reminders_sent=0"]

    def outcome(amount: int) -> str:
        result = cli("explain", "payment-reminders", *case, "-c", f"amount_due={amount}",
                     "-r", registry, "-f", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["outcome"]

    assert outcome(4000) == "automatic"          # "over 4,000": exactly 4,000 stays automatic
    assert outcome(4001) == "needs_validation"
    assert outcome(3500) == "automatic"          # validated under the old 3,000 threshold
