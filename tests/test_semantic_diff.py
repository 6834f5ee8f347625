"""Semantic diff: domain changes between two parsed versions, not a text diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gitrepo import GitRepo
from livingsys.history import open_history
from livingsys.history.semantic_diff import (
    Change,
    diff_automation,
    diff_data,
    diff_file,
    diff_shared_rule,
    significant,
)
from livingsys.reading.yamlsource import parse

BASE = """\
# Payment reminders — owned by finance
id: reminders
name: Payment reminders
description: Reminds clients of unpaid invoices.
status: active
owner: c.moreau
maintainer: agency
tool: Make
trigger: every morning, for invoices unpaid 7 days after their due date
perimeter: first
facts:
  - {name: days_without_reply, type: int, unit: days}
  - {name: amount_due, type: number, unit: EUR}
steps:
  - id: detect
    kind: automatic
    does: list the unpaid invoices
  - id: draft
    kind: ai
    does: draft a reminder
  - id: send
    kind: automatic
    does: send the reminder
    sends:
      - {audience: internal, channel: email}
rules:
  - id: remind
    if: an invoice is unpaid for 7 days
    then: send a reminder
    when: days_without_reply >= 7 && amount_due <= 5000
    action: send-reminder
  - id: second-reminder
    if: still unpaid 14 days later
    then: send a second reminder
exceptions:
  - id: over-threshold
    if: the amount is above 5000 EUR
    then: the owner calls the client
    when: amount_due > 5000
    handled_by: c.moreau
guardrails:
  human_validation:
    by: c.moreau
    scope: all
  daily_cap: 40
  notify_on_exception:
    channel: "#finance"
    to: [c.moreau]
  kill_switch: turn off the scenario in Make
uses_rules: [payment-threshold]
content:
  - id: reminder-mail
    description: the reminder email
    valid_until: 2024-12-31
review:
  cadence: monthly
scenarios:
  - name: small invoice
    given: {days_without_reply: 8, amount_due: 100}
    expect: {outcome: needs_validation, rules: [remind]}
"""

REFORMATTED = """\
# keys reordered, comments changed, flow/block style swapped, quotes, re-wrapped text
review: {cadence: monthly}   # reviewed every month
uses_rules:
  - payment-threshold
guardrails:
  kill_switch: 'turn off the scenario in Make'
  daily_cap: 40
  human_validation: {scope: all, by: c.moreau}
  notify_on_exception: {to: [c.moreau], channel: '#finance'}
exceptions:
  - handled_by: c.moreau
    when: amount_due>5000
    then: >
      the owner calls
      the client
    if: "the amount is above 5000 EUR"
    id: over-threshold
rules:
  - id: remind
    when: "days_without_reply >= 7  &&  amount_due <= 5000"
    action: send-reminder
    then: send a reminder
    if: an invoice is unpaid for 7 days
  - {id: second-reminder, if: still unpaid 14 days later, then: send a second reminder}
steps:
  - {id: detect, does: list the unpaid invoices, kind: automatic}
  - id: draft
    does: draft a reminder
    kind: ai
  - id: send
    sends: [{channel: email, audience: internal}]
    kind: automatic
    does: send the reminder
facts:
  - {unit: days, type: int, name: days_without_reply}
  - {type: number, name: amount_due, unit: EUR}
content:
  - valid_until: 2024-12-31
    description: the reminder email
    id: reminder-mail
scenarios:
  - expect: {rules: [remind], outcome: needs_validation}
    given: {amount_due: 100, days_without_reply: 8}
    name: small invoice
perimeter: first
trigger: >-
  every morning, for invoices unpaid 7 days
  after their due date
tool: Make
maintainer: agency
owner: c.moreau
status: active
description: |
  Reminds clients of unpaid invoices.
name: "Payment reminders"
id: reminders
"""


def data(text: str):
    doc = parse(text, "automations/reminders.yaml")
    assert doc.ok, doc.findings
    return doc.data


def changed(text: str) -> list[Change]:
    return diff_automation(data(BASE), data(text))


def described(changes: list[Change]) -> list[str]:
    return [c.describe() for c in changes]


# ------------------------------------------------------------------------ what is not a change


def test_reorder_comments_and_formatting_are_no_change() -> None:
    assert BASE.splitlines()[1:] != REFORMATTED.splitlines()[1:]  # other text, same meaning
    assert diff_automation(data(BASE), data(REFORMATTED)) == []


def test_identical_versions_and_missing_files() -> None:
    assert diff_automation(data(BASE), data(BASE)) == []
    assert diff_automation(None, None) == []


# ------------------------------------------------------------------------ exceptions and rules


def test_threshold_change_is_detected_with_old_and_new() -> None:
    changes = changed(BASE.replace("amount_due > 5000", "amount_due > 3000"))
    assert len(changes) == 1
    change = changes[0]
    assert (change.area, change.kind, change.item, change.field) == (
        "exception", "changed", "over-threshold", "when")
    assert (change.old, change.new) == ("amount_due > 5000", "amount_due > 3000")
    assert change.significant
    assert change.describe() == ("exception 'over-threshold': condition changed from "
                                 "'amount_due > 5000' to 'amount_due > 3000'")


def test_exception_handled_by_added_and_removed() -> None:
    text = BASE.replace("    handled_by: c.moreau\n", "    handled_by: j.dupont\n")
    text = text.replace("guardrails:", """  - id: disputed
    if: the client disputes the invoice
    then: stop and hand over
    handled_by: j.dupont
guardrails:""")
    changes = changed(text)
    assert described(changes) == [
        "exception 'disputed' added: if the client disputes the invoice, then stop and hand "
        "over, handled by j.dupont",
        "exception 'over-threshold': handled by changed from 'c.moreau' to 'j.dupont'",
    ]
    back = diff_automation(data(text), data(BASE))
    assert [(c.area, c.kind, c.item) for c in back] == [
        ("exception", "removed", "disputed"), ("exception", "changed", "over-threshold")]


def test_rule_changes_say_which_part_changed() -> None:
    text = BASE.replace("then: send a reminder", "then: send a reminder by SMS")
    text = text.replace("action: send-reminder", "action: send-sms")
    text = text.replace("""  - id: second-reminder
    if: still unpaid 14 days later
    then: send a second reminder
""", "")
    changes = changed(text)
    assert [(c.area, c.kind, c.item, c.field) for c in changes] == [
        ("rule", "removed", "second-reminder", None),
        ("rule", "changed", "remind", "then"),
        ("rule", "changed", "remind", "action"),
    ]
    assert changes[1].describe() == ("rule 'remind': 'then' changed from 'send a reminder' to "
                                     "'send a reminder by SMS'")
    assert changes[0].describe().startswith("rule 'second-reminder' removed (was: if still")


def test_rule_order_matters_but_a_condition_spacing_does_not() -> None:
    swapped = BASE.replace("""  - id: remind
    if: an invoice is unpaid for 7 days
    then: send a reminder
    when: days_without_reply >= 7 && amount_due <= 5000
    action: send-reminder
  - id: second-reminder
    if: still unpaid 14 days later
    then: send a second reminder
""", """  - id: second-reminder
    if: still unpaid 14 days later
    then: send a second reminder
  - id: remind
    if: an invoice is unpaid for 7 days
    then: send a reminder
    when: days_without_reply>=7&&amount_due<=5000
    action: send-reminder
""")
    changes = changed(swapped)
    assert [(c.area, c.field) for c in changes] == [("rule", "order")]
    assert changes[0].describe() == ("order of the rules changed from remind, second-reminder "
                                     "to second-reminder, remind")


def test_a_space_inside_quotes_of_a_condition_is_a_change() -> None:
    a = BASE.replace("when: amount_due > 5000", "when: 'tier == \"a b\"'")
    b = BASE.replace("when: amount_due > 5000", "when: 'tier == \"ab\"'")
    assert [c.field for c in diff_automation(data(a), data(b))] == ["when"]


# ------------------------------------------------------------------------ guardrails


def test_guardrail_removed() -> None:
    text = BASE.replace("""  human_validation:
    by: c.moreau
    scope: all
""", "")
    changes = changed(text)
    assert [(c.area, c.kind, c.item) for c in changes] == [
        ("guardrail", "removed", "human_validation")]
    assert changes[0].describe() == ("guardrail 'human validation' removed (was: validation by "
                                     "c.moreau (every action))")
    assert changes[0].old == {"by": "c.moreau", "scope": "all"}


def test_guardrail_values_and_parts_changed() -> None:
    text = BASE.replace("daily_cap: 40", "daily_cap: 20").replace("scope: all",
                                                                  "scope: exceptions")
    text = text.replace("  kill_switch: turn off the scenario in Make\n", "")
    changes = changed(text)
    assert described(changes) == [
        "guardrail 'human validation': scope changed from 'all' to 'exceptions'",
        "guardrail 'daily cap' changed from 40 per day to 20 per day",
        "guardrail 'kill switch' removed (was: 'turn off the scenario in Make')",
    ]
    daily = changes[1]
    assert (daily.item, daily.old, daily.new) == ("daily_cap", 40, 20)
    added = diff_automation(data(text), data(BASE))
    assert "guardrail 'kill switch' added: 'turn off the scenario in Make'" in described(added)


def test_notification_and_validation_details() -> None:
    text = BASE.replace("to: [c.moreau]", "to: [c.moreau, j.dupont]").replace(
        "    by: c.moreau\n    scope: all", "    by: j.dupont\n    scope: all")
    assert described(changed(text)) == [
        "guardrail 'human validation': done by changed from 'c.moreau' to 'j.dupont'",
        "guardrail 'notification on exception': notified people changed from "
        "[c.moreau] to [c.moreau, j.dupont]",
    ]


# ------------------------------------------------------------------------ owner and status


def test_owner_changed() -> None:
    changes = changed(BASE.replace("owner: c.moreau", "owner: j.dupont"))
    assert len(changes) == 1
    assert (changes[0].area, changes[0].item, changes[0].old, changes[0].new) == (
        "owner", "owner", "c.moreau", "j.dupont")
    assert changes[0].describe() == "owner changed from 'c.moreau' to 'j.dupont'"
    assert described(changed(BASE.replace("maintainer: agency\n", ""))) == [
        "maintainer removed (was 'agency')"]


def test_status_paused_with_its_reason() -> None:
    text = BASE.replace("status: active", "status: paused\nstatus_reason: reminders went to "
                        "the wrong clients\nstatus_since: 2024-03-02")
    changes = changed(text)
    assert len(changes) == 1
    change = changes[0]
    assert (change.area, change.old, change.new) == ("status", "active", "paused")
    assert change.describe() == ("status changed from active to paused (reason: reminders "
                                 "went to the wrong clients; since 2024-03-02)")
    assert change.significant
    reason = text.replace("the wrong clients", "clients twice")
    assert described(diff_automation(data(text), data(reason))) == [
        "status reason changed from 'reminders went to the wrong clients' to "
        "'reminders went to clients twice'"]


def test_missing_status_means_active() -> None:
    assert changed(BASE.replace("status: active\n", "")) == []


# ------------------------------------------------------------------------ steps and content


def test_steps_added_removed_kind_changed_and_client_messages() -> None:
    text = BASE.replace("""  - id: draft
    kind: ai
    does: draft a reminder
""", """  - id: draft
    kind: human
    does: draft a reminder
  - id: validate
    kind: human
    does: check the draft
    by: c.moreau
""").replace("{audience: internal, channel: email}", "{audience: client, channel: email, "
             "content: reminder-mail}")
    changes = changed(text)
    assert described(changes) == [
        "step 'validate' added: human step: check the draft",
        "step 'draft': kind changed from 'ai' to 'human'",
        "step 'send': messages sent changed from internal by email to client by email "
        "(reminder-mail)",
        "now sends messages to clients",
    ]
    removed = changed(BASE.replace("""  - id: detect
    kind: automatic
    does: list the unpaid invoices
""", ""))
    assert described(removed) == [
        "step 'detect' removed (was: automatic step: list the unpaid invoices)"]


def test_content_valid_until_changed() -> None:
    changes = changed(BASE.replace("valid_until: 2024-12-31", "valid_until: 2025-06-30"))
    assert described(changes) == [
        "content 'reminder-mail': valid until changed from '2024-12-31' to '2025-06-30'"]


def test_uses_rules_review_cadence_trigger_perimeter_and_facts() -> None:
    text = (BASE.replace("uses_rules: [payment-threshold]", "uses_rules: [vip-clients]")
            .replace("cadence: monthly", "cadence: quarterly")
            .replace("perimeter: first", "perimeter: extended")
            .replace("unpaid 7 days after", "unpaid 10 days after")
            .replace("{name: amount_due, type: number, unit: EUR}",
                     "{name: amount_due, type: number, unit: USD}"))
    assert described(changed(text)) == [
        "trigger changed from 'every morning, for invoices unpaid 7 days after their due "
        "date' to 'every morning, for invoices unpaid 10 days after their due date'",
        "perimeter changed from 'first' to 'extended'",
        "now depends on shared rule 'vip-clients'",
        "no longer depends on shared rule 'payment-threshold'",
        "fact 'amount_due': unit changed from 'EUR' to 'USD'",
        "review cadence changed from 'monthly' to 'quarterly'",
    ]
    assert all(c.significant for c in changed(text))


# ------------------------------------------------------------------------ wording and others


def test_wording_only_changes_are_not_significant() -> None:
    text = (BASE.replace("name: Payment reminders", "name: Client payment reminders")
            .replace("description: Reminds clients of unpaid invoices.",
                     "description: Reminds clients, politely, of unpaid invoices.")
            .replace("description: the reminder email", "description: the reminder e-mail")
            .replace("name: small invoice", "name: a small invoice"))
    changes = changed(text)
    assert {c.area for c in changes} == {"wording", "scenario"}
    assert not any(c.significant for c in changes)
    assert significant(changes) == []
    assert "name reworded: 'Client payment reminders' (was 'Payment reminders')" in \
        described(changes)
    assert "content 'reminder-mail': description reworded" in described(changes)


def test_scenarios_and_waivers() -> None:
    text = BASE.replace("amount_due: 100}", "amount_due: 9000}") + """waivers:
  - check: G010
    reason: internal only
    approved_by: c.moreau
    expires: 2024-12-31
"""
    changes = changed(text)
    assert [(c.area, c.kind, c.significant) for c in changes] == [
        ("waiver", "added", True), ("scenario", "changed", False)]
    assert changes[0].describe() == ("waiver for check 'G010' added: reason: internal only, "
                                     "approved by c.moreau until 2024-12-31")


def test_created_and_deleted_automation() -> None:
    created = diff_automation(None, data(BASE))
    assert [(c.area, c.kind, c.item) for c in created] == [("identity", "added", "reminders")]
    assert created[0].describe() == "automation 'reminders' (Payment reminders) created"
    deleted = diff_automation(data(BASE), None)
    assert deleted[0].describe() == "automation 'reminders' (Payment reminders) deleted"


def test_unknown_keys_and_broken_shapes_do_not_crash() -> None:
    odd = {"id": "reminders", "rules": "not a list", "exceptions": [1, None, {"if": "x"}],
           "guardrails": ["nope"], "steps": [{"id": "a", "sends": "oops"}], "colour": "blue"}
    changes = diff_automation(data(BASE), odd)
    assert any(c.area == "other" and c.item == "colour" for c in changes)
    for c in changes:
        assert c.describe()
        json.dumps(c.to_dict())
    assert diff_automation(["a", "list"], data(BASE))[0].kind == "added"


def test_to_dict_for_json_output() -> None:
    change = changed(BASE.replace("daily_cap: 40", "daily_cap: 20"))[0]
    assert json.loads(json.dumps(change.to_dict())) == {
        "area": "guardrail", "kind": "changed", "item": "daily_cap", "field": None,
        "old": 40, "new": 20, "note": None, "significant": True,
        "description": "guardrail 'daily cap' changed from 40 per day to 20 per day"}
    assert str(change) == change.describe()


# ------------------------------------------------------------------------ shared rules


RULE = """\
id: payment-threshold
name: Payment threshold
statement: above 5000 EUR, a person calls the client instead of a reminder
owner: c.moreau
parameters:
  amount_threshold_eur: 5000
  currency: EUR
since: 2023-01-01
"""


def test_shared_rule_parameter_changed() -> None:
    old = parse(RULE, "rules/payment-threshold.yaml").data
    new = parse(RULE.replace("amount_threshold_eur: 5000", "amount_threshold_eur: 3000")
                .replace("since: 2023-01-01", "since: 2024-04-01"),
                "rules/payment-threshold.yaml").data
    changes = diff_shared_rule(old, new)
    assert [(c.area, c.item, c.field, c.old, c.new, c.significant) for c in changes] == [
        ("shared_rule", "payment-threshold", "parameters.amount_threshold_eur", 5000, 3000,
         True),
        ("shared_rule", "payment-threshold", "since", "2023-01-01", "2024-04-01", False),
    ]
    assert changes[0].describe() == ("shared rule 'payment-threshold': parameter "
                                     "'amount_threshold_eur' changed from 5000 to 3000")


def test_shared_rule_statement_owner_and_reformatting() -> None:
    old = parse(RULE, "r").data
    same = parse("# reformatted\nparameters: {currency: EUR, amount_threshold_eur: 5000.0}\n"
                 + "\n".join(line for line in RULE.splitlines()
                             if not line.startswith(("parameters", "  "))) + "\n", "r").data
    assert diff_shared_rule(old, same) == []
    new = parse(RULE.replace("a person calls", "the owner calls").replace(
        "owner: c.moreau", "owner: j.dupont").replace("name: Payment threshold",
                                                        "name: Payment limit"), "r").data
    assert described(diff_shared_rule(old, new)) == [
        "shared rule 'payment-threshold': statement changed from 'above 5000 EUR, a person "
        "calls the client instead of a reminder' to 'above 5000 EUR, the owner calls the "
        "client instead of a reminder'",
        "owner changed from 'c.moreau' to 'j.dupont'",
        "name reworded: 'Payment limit' (was 'Payment threshold')",
    ]
    assert diff_shared_rule(None, old)[0].describe().startswith(
        "shared rule 'payment-threshold' created")
    assert diff_shared_rule(old, None)[0].kind == "removed"


def test_diff_file_chooses_by_folder_and_generic_files() -> None:
    old = parse(RULE, "r").data
    new = parse(RULE.replace("5000", "3000"), "r").data
    assert diff_file("rules/payment-threshold.yaml", old, new)[0].area == "shared_rule"
    assert diff_file("automations/reminders.yaml", data(BASE), data(BASE)) == []
    people_old = {"people": [{"id": "a", "kind": "business"}, {"id": "b", "kind": "technical"}]}
    people_new = {"people": [{"id": "b", "kind": "technical"}, {"id": "a", "kind": "manager"}]}
    changes = diff_data(people_old, people_new)
    assert [(c.item, c.old, c.new) for c in changes] == [
        ("people[a].kind", "business", "manager")]
    assert diff_file("people.yaml", people_old, people_new) == changes


# ------------------------------------------------------------------------ with the history


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_semantic_changes_between_versions_in_git(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "company")
    repo.write("registry/automations/reminders.yaml", BASE)
    repo.commit("Add reminders")
    repo.write("registry/automations/reminders.yaml", REFORMATTED)
    repo.commit("Reformat")
    repo.write("registry/automations/reminders.yaml",
               REFORMATTED.replace("amount_due>5000", "amount_due > 3000"))
    repo.commit("Lower the threshold", author="Jean Dupont <jean@acme.fr>")
    with open_history(repo.root / "registry") as history:
        first, reformatted, lowered = history.versions("automations/reminders.yaml")
        assert diff_automation(first.data, reformatted.data) == []
        changes = diff_automation(reformatted.data, lowered.data)
        assert described(changes) == [
            "exception 'over-threshold': condition changed from 'amount_due>5000' to "
            "'amount_due > 3000'"]
        assert lowered.author_name == "Jean Dupont"
        # "changed since the review of the first day": compare that version with the current
        at_review = history.version_at("automations/reminders.yaml", first.commit.sha)
        current = history.current("automations/reminders.yaml")
        assert significant(diff_automation(at_review.data, current.data))
