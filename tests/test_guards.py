"""Rule 1 and blank guardrails: one function decides, lint (G001, G010) and explain agree."""

from __future__ import annotations

import json

import pytest

from livingsys.conditions.guards import action_validation, client_sends, guardrail_set, is_set
from livingsys.models.automation import Automation, Guardrails

SEND = {"id": "send", "kind": "automatic", "does": "Send it",
        "sends": [{"audience": "client", "channel": "email"}]}
CHECK = {"id": "check", "kind": "human", "does": "Check it", "by": "b.owner"}


def make(steps, guardrails=None) -> Automation:
    return Automation.model_validate({"id": "a", "name": "A", "steps": steps,
                                      "guardrails": guardrails or {}})


# --------------------------------------------------------------------------------------------
# Is a guardrail set?


@pytest.mark.parametrize(("value", "expected"), [
    (None, False), ("", False), ("   ", False), ("\n\t", False), ("x", True),
    (" Turn off the scenario ", True), (40, True)])
def test_an_empty_or_blank_text_is_not_set(value, expected):
    assert is_set(value) is expected


def test_a_blank_kill_switch_is_not_a_guardrail_and_a_written_one_is():
    assert not guardrail_set(Guardrails(kill_switch="  "), "kill_switch")
    assert not guardrail_set(Guardrails(kill_switch=""), "kill_switch")
    assert guardrail_set(Guardrails(kill_switch="Switch off 'Reminders' in Make"), "kill_switch")
    assert not guardrail_set(Guardrails(), "daily_cap")
    assert guardrail_set(Guardrails(daily_cap=1), "daily_cap")


# --------------------------------------------------------------------------------------------
# Who validates a client message?


def test_nothing_validates_a_message_sent_alone():
    [(index, step, validation)] = client_sends(make([SEND]))
    assert (index, step.id, validation) == (0, "send", None)
    assert action_validation(make([SEND])) is None


def test_a_human_step_before_the_send_validates_every_message():
    automation = make([CHECK, SEND])
    [(_i, _s, validation)] = client_sends(automation)
    assert (validation.how, validation.by, validation.step) == (
        "earlier_human_step", "b.owner", "check")
    assert action_validation(automation) == validation


def test_a_human_step_after_the_send_validates_nothing():
    [(_i, _s, validation)] = client_sends(make([SEND, CHECK]))
    assert validation is None


@pytest.mark.parametrize(("scope", "how"), [("all", "human_validation"), ("exceptions", None)])
def test_scope_exceptions_validates_only_exceptions_even_after_a_human_step(scope, how):
    automation = make([CHECK, SEND], {"human_validation": {"by": "m.boss", "scope": scope}})
    [(_i, _s, validation)] = client_sends(automation)
    assert (validation.how if validation else None) == how


def test_with_scope_exceptions_only_the_sending_step_itself_can_validate():
    validated = dict(SEND, validated_by="s.admin")
    automation = make([CHECK, validated],
                      {"human_validation": {"by": "m.boss", "scope": "exceptions"}})
    [(_i, _s, validation)] = client_sends(automation)
    assert (validation.how, validation.by) == ("step_validation", "s.admin")
    human_sender = dict(SEND, kind="human", by="s.admin")
    [(_i, _s, validation)] = client_sends(make([human_sender], {"human_validation": {
        "by": "m.boss", "scope": "exceptions"}}))
    assert (validation.how, validation.by) == ("sender_is_human", "s.admin")


def test_an_earlier_validated_step_validates_what_follows():
    draft = {"id": "draft", "kind": "ai", "does": "Draft", "validated_by": "s.admin"}
    [(_i, _s, validation)] = client_sends(make([draft, SEND]))
    assert (validation.how, validation.by, validation.step) == (
        "earlier_validation", "s.admin", "draft")


def test_the_actions_wait_only_when_every_sending_step_is_validated():
    second = dict(SEND, id="send-again")
    automation = make([CHECK, SEND, second])
    assert action_validation(automation).step == "check"
    automation = make([SEND, CHECK, second])  # the first send goes out unchecked
    assert [v is None for _i, _s, v in client_sends(automation)] == [True, False]
    assert action_validation(automation) is None


def test_an_internal_automation_waits_for_a_validated_step_anywhere():
    internal = {"id": "post", "kind": "automatic", "does": "Post", "validated_by": "s.admin",
                "sends": [{"audience": "internal", "channel": "chat"}]}
    assert action_validation(make([internal])).by == "s.admin"
    assert action_validation(make([dict(internal, validated_by=None)])) is None


# --------------------------------------------------------------------------------------------
# lint and explain agree (rebuilt as a user writes it)

REMINDERS = """\
    id: reminders
    name: Payment reminders
    owner: b.owner
    maintainer: t.tech
    perimeter: first
    trigger: Every morning for unpaid invoices
    facts:
      - {name: days_without_reply, type: int, unit: days}
    steps:
      - {id: detect, kind: automatic, does: List unpaid invoices}
      - {id: check, kind: human, does: Check the reminders put on hold, by: b.owner}
      - id: send
        kind: automatic
        does: Send the reminder
        sends: [{audience: client, channel: email, content: reminder-email}]
    rules:
      - {id: remind, if: no reply after 7 days, then: send a reminder,
         when: days_without_reply >= 7, action: remind}
    exceptions:
      - {id: long, if: no reply after 60 days, then: the manager calls,
         when: days_without_reply > 60, handled_by: m.boss}
    guardrails:
      daily_cap: 40
      notify_on_exception: {channel: "#finance"}
      human_validation: {by: m.boss, scope: SCOPE}
      kill_switch: Turn off the scenario 'Reminders' in Make
    tool: Make
    location: Make › Finance › scenario 'Reminders'
    uses_rules: [threshold]
    content:
      - {id: reminder-email, description: Standard reminder, valid_until: 2099-12-31}
    review: {cadence: monthly}
    scenarios:
      - name: 8 days -> reminder
        given: {days_without_reply: 8}
        expect: {outcome: OUTCOME, rules: [remind]}
      - name: 70 days -> the manager calls
        given: {days_without_reply: 70}
        expect: {outcome: needs_validation, exception: long, validated_by: m.boss}
"""


@pytest.mark.parametrize(("scope", "outcome", "lint_exit"), [
    ("exceptions", "automatic", 1), ("all", "needs_validation", 0)])
def test_lint_and_explain_agree_on_rule_1(make_registry, cli, scope, outcome, lint_exit):
    text = REMINDERS.replace("SCOPE", scope).replace("OUTCOME", outcome)
    root = make_registry({"automations/reminders.yaml": text})
    lint = cli("lint", "-r", root, "-f", "json", "--today", "2026-11-25")
    codes = [(f["code"], f["line"]) for f in json.loads(lint.stdout)["findings"]]
    assert lint.exit_code == lint_exit, lint.stdout
    assert codes == ([("G001", 15)] if scope == "exceptions" else [])
    explained = cli("explain", "reminders", "-r", root, "-c", "days_without_reply=8",
                    "-f", "json")
    decision = json.loads(explained.stdout)
    assert decision["outcome"] == outcome
    if scope == "exceptions":
        assert decision["summary"].endswith("with no human validation.")
    else:
        assert decision["validated_by"] == "m.boss"
