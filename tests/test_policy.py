"""The policy in livingsys.yaml (off, severity, parameters) and waivers in automation files."""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import MINIMAL

TODAY = "2026-11-25"
SETTINGS = textwrap.dedent(MINIMAL["livingsys.yaml"])
REMINDERS = textwrap.dedent(MINIMAL["automations/reminders.yaml"])

EXTRA_EXCEPTIONS = """\
  - id: dispute
    if: the client disputes the invoice
    then: the owner calls the client
    handled_by: b.owner
  - id: key-account
    if: the client is a key account
    then: the owner writes personally
    handled_by: b.owner
  - id: public-body
    if: the client is a public body
    then: the manager follows the public payment rules
    handled_by: m.boss
"""
# MINIMAL's automation with four exceptions (one more than G008 allows by default)
FOUR_EXCEPTIONS = REMINDERS.replace("guardrails:\n", EXTRA_EXCEPTIONS + "guardrails:\n", 1)
TWO_EXCEPTIONS = REMINDERS.replace("guardrails:\n", EXTRA_EXCEPTIONS.split("  - id: key")[0]
                                   + "guardrails:\n", 1)


def settings_with(policy: str) -> str:
    """livingsys.yaml of MINIMAL with a `policy:` block (given with 4-space indentation)."""
    return SETTINGS + "policy:\n  checks:\n" + textwrap.indent(textwrap.dedent(policy), "    ")


@pytest.fixture
def lint(cli, make_registry, tmp_path, monkeypatch):
    """Lint MINIMAL with some files replaced; returns (exit code, JSON report)."""
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str | None]):
        root = make_registry(files)
        result = cli("lint", "-r", root.name, "--format", "json", "--today", TODAY)
        assert "Traceback" not in result.output
        return result.exit_code, json.loads(result.output)

    return run


def codes(report: dict, severity: str | None = None) -> list[str]:
    return [f["code"] for f in report["findings"]
            if severity is None or f["severity"] == severity]


def only(report: dict, code: str) -> dict:
    found = [f for f in report["findings"] if f["code"] == code]
    assert len(found) == 1, report["findings"]
    return found[0]


# ------------------------------------------------------------------------------------------
# policy


def test_default_policy_reports_four_exceptions(lint):
    code, report = lint({"automations/reminders.yaml": FOUR_EXCEPTIONS})
    assert code == 1
    assert codes(report) == ["G008"]


@pytest.mark.parametrize("setting", ["G008: off", "exception-count: off", "G008: false",
                                     "G008: {enabled: false}", "g008: off"])
def test_a_check_switched_off(lint, setting):
    code, report = lint({"automations/reminders.yaml": FOUR_EXCEPTIONS,
                         "livingsys.yaml": settings_with(setting)})
    assert (code, codes(report)) == (0, [])


@pytest.mark.parametrize("setting", ["G008: warning", "exception-count: {severity: warning}"])
def test_severity_changed_to_warning(lint, setting):
    code, report = lint({"automations/reminders.yaml": FOUR_EXCEPTIONS,
                         "livingsys.yaml": settings_with(setting)})
    assert code == 0
    assert codes(report, "warning") == ["G008"] and codes(report, "error") == []
    assert report["summary"]["warnings"] == 1


def test_warning_check_raised_to_error(lint):
    automation = REMINDERS.replace("valid_until: 2099-12-31", "valid_until: 2026-12-10")
    code, report = lint({"automations/reminders.yaml": automation})
    assert (code, codes(report, "warning")) == (0, ["G014"])
    code, report = lint({"automations/reminders.yaml": automation,
                         "livingsys.yaml": settings_with("content-expiring-soon: error")})
    assert (code, codes(report, "error")) == (1, ["G014"])


def test_parameter_changed(lint):
    code, report = lint({"automations/reminders.yaml": TWO_EXCEPTIONS})
    assert (code, codes(report)) == (0, [])
    code, report = lint({"automations/reminders.yaml": TWO_EXCEPTIONS,
                         "livingsys.yaml": settings_with("exception-count: {max: 1}")})
    assert code == 1
    assert "defines 2 exceptions; at most 1" in only(report, "G008")["message"]


def test_parameter_and_severity_together(lint):
    code, report = lint({"automations/reminders.yaml": TWO_EXCEPTIONS,
                         "livingsys.yaml": settings_with("""\
                             G008:
                               severity: warning
                               max: 1
                             """)})
    assert code == 0
    assert only(report, "G008")["severity"] == "warning"


def test_list_parameter_from_yaml(lint):
    """A list read from YAML is a list (it used to be refused as 'not like ['first']')."""
    automation = REMINDERS.replace("{id: check, kind: human, does: Check the reminder, by: "
                                   "b.owner}", "{id: check, kind: automatic, does: Check}")
    automation = automation.replace("perimeter: first", "perimeter: extended")
    code, report = lint({"automations/reminders.yaml": automation})
    assert (code, codes(report)) == (0, [])
    code, report = lint({"automations/reminders.yaml": automation, "livingsys.yaml":
                         settings_with("G001: {perimeters: [first, extended]}")})
    assert (code, codes(report)) == (1, ["G001"])


@pytest.mark.parametrize("setting, message", [
    ("G08: off", "the policy names 'G08', which is not a check — did you mean 'G008'?"),
    ("exception-cout: off", "did you mean 'exception-count'?"),
    ("exception-count: {maxx: 1}", "G008 has no parameter 'maxx' — did you mean 'max'?"),
    ("exception-count: {max: three}", "'max' should be a whole number, like 3, not three"),
    ("exception-count: {max: true}", "'max' should be a whole number, like 3, not true"),
    ("review-cadence: {max_cadence: quartely}", "did you mean 'quarterly'?"),
    ("guardrails: {required: [daily_cap, notify]}", "cannot be 'notify'"),
    ("guardrails: {required: daily_cap}", "should be a list of text"),
    ("G008: fatal", "the policy for 'G008' cannot be 'fatal'"),
    ("G008: {severity: fatal}", "'severity' cannot be 'fatal': use one of error, warning"),
])
def test_policy_mistakes_are_reported_where_written(lint, setting, message):
    code, report = lint({"livingsys.yaml": settings_with(setting)})
    assert code == 1
    finding = only(report, "S002")
    assert message in finding["message"]
    assert finding["path"].endswith("livingsys.yaml")
    assert finding["line"] == 6  # the policy's only line
    assert finding["hint"]


@pytest.mark.parametrize("code_", ["Y003", "S001", "duplicate-key", "misplaced-file"])
def test_input_and_schema_checks_cannot_be_changed(lint, code_):
    code, report = lint({"livingsys.yaml": settings_with(f"{code_}: off")})
    assert code == 1
    assert "cannot be switched off or changed" in only(report, "S002")["message"]


def test_a_bad_policy_entry_does_not_disable_the_rest(lint):
    code, report = lint({"automations/reminders.yaml": FOUR_EXCEPTIONS,
                         "livingsys.yaml": settings_with("G999: off\nG008: warning\n")})
    assert sorted(codes(report)) == ["G008", "S002"]
    assert only(report, "G008")["severity"] == "warning"


# ------------------------------------------------------------------------------------------
# waivers


def waiver(check: str, expires: str = "2027-01-31") -> str:
    return (f"waivers:\n  - check: {check}\n    reason: the finance channel is being set up\n"
            f"    approved_by: m.boss\n    expires: {expires}\n")


NO_NOTIFICATION = REMINDERS.replace('  notify_on_exception: {channel: "#finance"}\n', "")
OTHER = NO_NOTIFICATION.replace("id: reminders", "id: dunning").replace(
    "name: Payment reminders", "name: Dunning letters")


def test_waiver_silences_one_check_for_one_automation(lint):
    code, report = lint({
        "automations/reminders.yaml": NO_NOTIFICATION + waiver("G010"),
        "automations/dunning.yaml": OTHER,  # same problem, no waiver
    })
    assert code == 1
    reported = only(report, "G010")
    assert reported["path"].endswith("automations/dunning.yaml")
    assert report["summary"]["waived"] == 1
    [waived] = report["waived"]
    assert waived["code"] == "G010" and waived["path"].endswith("automations/reminders.yaml")
    assert waived["waiver"] == {"reason": "the finance channel is being set up",
                                "approved_by": "m.boss", "expires": "2027-01-31"}


def test_waiver_by_name_and_only_for_its_check(lint):
    automation = NO_NOTIFICATION.replace("cadence: monthly", "cadence: yearly")
    code, report = lint({"automations/reminders.yaml": automation + waiver("guardrails")})
    assert code == 1
    assert codes(report) == ["G011"]  # the other problem of the same file stays
    assert [w["code"] for w in report["waived"]] == ["G010"]


def test_waiver_valid_on_its_last_day(lint):
    code, report = lint({"automations/reminders.yaml": NO_NOTIFICATION
                         + waiver("G010", expires=TODAY)})
    assert (code, codes(report)) == (0, [])


def test_expired_waiver_is_reported_and_no_longer_silences(lint):
    code, report = lint({"automations/reminders.yaml": NO_NOTIFICATION
                         + waiver("G010", expires="2026-11-24")})
    assert code == 1
    assert sorted(codes(report)) == ["G010", "G018"]
    assert "expired on 2026-11-24" in only(report, "G018")["message"]
    assert report["waived"] == []


def test_waiver_of_an_input_check_is_refused(lint):
    code, report = lint({"automations/reminders.yaml": REMINDERS + waiver("Y003")})
    assert code == 1
    assert "cannot be waived" in only(report, "G019")["message"]
    assert report["waived"] == []


def test_waiver_covers_a_registry_wide_check_in_its_own_file(lint):
    """G017 (id vs file name) runs over the whole registry but reports the automation's file:
    that file's waiver silences it."""
    renamed = REMINDERS.replace("id: reminders", "id: payment-reminders")
    code, report = lint({"automations/reminders.yaml": renamed + waiver("id-matches-file")})
    assert (code, codes(report)) == (0, [])
    assert [w["code"] for w in report["waived"]] == ["G017"]


def test_waiver_of_a_registry_check_is_refused(lint):
    settings = SETTINGS.replace('incident_channel: {kind: chat, where: "#incidents"}\n', "")
    code, report = lint({"livingsys.yaml": settings,
                         "automations/reminders.yaml": REMINDERS + waiver("G012")})
    assert sorted(codes(report)) == ["G012", "G019"]
    assert "G012 (incident-channel) cannot be waived in an automation file: it concerns the " \
           "whole registry" in only(report, "G019")["message"]
    assert report["waived"] == []


def test_waivers_cannot_silence_waiver_findings(lint):
    automation = NO_NOTIFICATION + waiver("G010", expires="2026-01-01") + """\
  - check: G018
    reason: we will renew it
    approved_by: m.boss
    expires: 2027-01-31
"""
    code, report = lint({"automations/reminders.yaml": automation})
    assert "G018" in codes(report)


def test_waived_findings_in_text_and_sarif(cli, make_registry, tmp_path,
                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = make_registry({"automations/reminders.yaml": NO_NOTIFICATION + waiver("G010")})
    result = cli("lint", "-r", root.name, "--today", TODAY)
    assert result.exit_code == 0
    assert "1 waived" in result.output
    sarif = json.loads(cli("lint", "-r", root.name, "-f", "sarif", "--today", TODAY).output)
    [result] = sarif["runs"][0]["results"]  # shown to code scanning as suppressed
    assert result["ruleId"] == "G010"
    assert result["suppressions"] == [{
        "kind": "inSource", "status": "accepted",
        "justification": "the finance channel is being set up (approved by m.boss, until "
                         "2027-01-31)"}]
