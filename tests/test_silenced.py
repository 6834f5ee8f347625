"""Silenced governance is always visible: the policy's off / lowered / loosened checks and the
waivers in force, in lint (text, json, sarif, github), report, agenda and the checklist."""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import MINIMAL

TODAY = "2026-11-25"
SETTINGS = textwrap.dedent(MINIMAL["livingsys.yaml"])
REMINDERS = textwrap.dedent(MINIMAL["automations/reminders.yaml"])
# rule 1 broken: no human step before the client message
NO_HUMAN_STEP = REMINDERS.replace(
    "  - {id: check, kind: human, does: Check the reminder, by: b.owner}\n", "")
NO_NOTIFICATION = REMINDERS.replace('  notify_on_exception: {channel: "#finance"}\n', "")


def policy(text: str) -> str:
    return SETTINGS + "policy:\n  checks:\n" + textwrap.indent(textwrap.dedent(text), "    ")


def waiver(check: str, by: str = "m.boss", expires: str = "2027-01-31",
           reason: str = "pilot on our own addresses") -> str:
    return (f"waivers:\n  - check: {check}\n    reason: {reason}\n    approved_by: {by}\n"
            f"    expires: {expires}\n")


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(cli, *args):
    result = cli("lint", "-r", "registry", "--today", TODAY, *args)
    assert "Traceback" not in result.output
    return result


def lint_json(cli):
    result = lint(cli, "-f", "json")
    return result.exit_code, json.loads(result.stdout)


def report_json(cli):
    result = cli("report", "-r", "registry", "--as-of", TODAY, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------------------------------
# issue 8, point 3 as a user writes it: `G001: off`, and a waiver of G001 until 2099


def test_g001_off_is_listed_by_lint_report_and_agenda(cli, make_registry, here):
    make_registry({"livingsys.yaml": policy("G001: off\n"),
                   "automations/reminders.yaml": NO_HUMAN_STEP})
    result = lint(cli)
    assert result.exit_code == 0  # off is off: lint does not fail...
    out = " ".join(result.output.split())
    # ...but says so, with where the policy says it
    assert "silenced governance" in out
    assert "G001 off in policy (registry/livingsys.yaml:6:5)" in out
    assert "no problems (silenced: G001 off in policy)" in out
    code, data = lint_json(cli)
    assert data["summary"]["silenced"] == 1
    [change] = data["silenced"]["policy"]
    assert (change["code"], change["kind"], change["line"], change["article_rule"]) == \
        ("G001", "off", 6, 1)

    report = cli("report", "-r", "registry", "--as-of", TODAY).output
    text = " ".join(report.split())
    assert "LINT ✓ no problems — but 1 check silenced or waived" in text
    assert "G001 off in policy (livingsys.yaml:6:5)" in text
    assert "lint ✓ clean (1 silenced)" in text
    assert report_json(cli)["lint"]["silenced"]["policy"][0]["code"] == "G001"
    markdown = cli("report", "-r", "registry", "--as-of", TODAY, "-f", "markdown").output
    assert "## Silenced governance" in markdown and "- G001 off in policy" in markdown

    agenda = cli("agenda", "-r", "registry", "--date", TODAY, "--no-history").output
    assert "SILENCED" in agenda and "G001 off in policy" in " ".join(agenda.split())
    md = cli("agenda", "-r", "registry", "--date", TODAY, "--no-history", "-f",
             "markdown").output
    assert "**Silenced governance**" in md and "- [ ] G001 off in policy" in md
    data = json.loads(cli("agenda", "-r", "registry", "--date", TODAY, "--no-history", "-f",
                          "json").output)
    assert data["silenced"]["policy"][0]["code"] == "G001"


def test_waiver_of_g001_until_2099_by_the_technician(cli, make_registry, here):
    make_registry({"automations/reminders.yaml": NO_HUMAN_STEP
                   + waiver("G001", by="t.tech", expires="2099-12-31")})
    code, data = lint_json(cli)
    assert code == 1
    found = {f["code"]: f for f in data["findings"]}
    assert set(found) == {"G025", "G026"}
    assert found["G025"]["line"] == 36 and "2099-12-31, 26699 days from today" in \
        found["G025"]["message"]
    assert found["G026"]["line"] == 35 and "kind technical, not manager" in \
        found["G026"]["message"]
    [active] = data["silenced"]["waivers"]
    assert active == {
        "automation": "reminders", "code": "G001", "name": "client-message-validation",
        "reason": "pilot on our own addresses", "approved_by": "t.tech",
        "approver_name": "Tom Tech", "approver_kind": "technical", "expires": "2099-12-31",
        "days_left": 26699, "path": "registry/automations/reminders.yaml", "line": 33,
        "col": 12, "article_rule": 1}
    text = " ".join(lint(cli).output.split())
    assert ("G001 waived for reminders until 2099-12-31 by Tom Tech (technical): pilot on our "
            "own addresses (registry/automations/reminders.yaml:33:12)") in text
    report = " ".join(cli("report", "-r", "registry", "--as-of", TODAY).output.split())
    assert "G001 waived for reminders until 2099-12-31 by Tom Tech (technical)" in report


def test_waiver_in_force_is_shown_under_its_agenda_item(cli, make_registry, here):
    make_registry({"automations/reminders.yaml": NO_NOTIFICATION + waiver("G010")})
    out = " ".join(cli("agenda", "-r", "registry", "--date", TODAY, "--no-history").output
                   .split())
    assert "waiver in force: G010 waived for reminders until 2027-01-31 by Max Boss (manager)" \
        in out


def test_an_expired_waiver_is_not_in_force(cli, make_registry, here):
    make_registry({"automations/reminders.yaml": NO_NOTIFICATION
                   + waiver("G010", expires="2026-11-24")})
    _, data = lint_json(cli)
    assert data["silenced"]["waivers"] == []  # G018 reports it, and it silences nothing


def test_sarif_and_github_show_what_is_silenced(cli, make_registry, here):
    make_registry({"livingsys.yaml": policy("G010: off\nG008: warning\n"
                                            "G011: {max_cadence: yearly}\n"),
                   "automations/reminders.yaml": REMINDERS + waiver("G013")})
    sarif = json.loads(lint(cli, "-f", "sarif").stdout)
    [run] = sarif["runs"]
    overrides = run["invocations"][0]["ruleConfigurationOverrides"]
    by_code = {o["descriptor"]["id"]: o["configuration"] for o in overrides}
    assert by_code["G010"] == {"enabled": False}
    assert by_code["G008"] == {"level": "warning"}
    assert "max_cadence quarterly → yearly" in by_code["G011"]["parameters"]["livingsys"]
    assert run["properties"]["silenced"]["waivers"][0]["code"] == "G013"
    github = lint(cli, "-f", "github").stdout.splitlines()
    notices = [line for line in github if line.startswith("::notice ")]
    assert len(notices) == 4
    assert notices[0].startswith("::notice file=registry/livingsys.yaml,line=7,col=5,"
                                 "title=G008 silenced::G008 lowered from error to warning")
    assert "title=G013 waived::" in notices[-1]


# ------------------------------------------------------------------------------------------
# which policy changes count


@pytest.mark.parametrize("setting, listed", [
    ("G008: {max: 3}", None),                       # the default: nothing silenced
    ("G008: {max: 4}", "G008 loosened in policy: max 3 → 4"),
    ("G008: {max: 2}", None),                       # stricter
    ("G008: {min: 0}", "G008 loosened in policy: min 1 → 0"),
    ("G011: {max_cadence: quarterly}", None),
    ("G011: {max_cadence: semiannual}", "G011 loosened in policy: max_cadence quarterly → "
                                        "semiannual"),
    ("G011: {max_cadence: monthly}", None),
    ("G010: {required: [notify_on_exception, daily_cap]}", None),  # same items, other order
    ("G010: {required: [daily_cap]}", "G010 loosened in policy: required [daily_cap, "
                                      "notify_on_exception] → [daily_cap]"),
    ("G010: {required: [daily_cap, notify_on_exception, kill_switch]}", None),
    ("G001: {perimeters: [first, extended]}", None),  # rule 1 widened: stricter
    ("G002: {owner_kinds: [business, manager]}", "G002 loosened in policy: owner_kinds "
                                                 "[business] → [business, manager]"),
    ("G025: {max_days: 181}", "G025 loosened in policy: max_days 180 → 181"),
    ("G025: {max_days: 180}", None),
    ("G014: warning", None),                        # already a warning: nothing lowered
    ("G008: error", None),
    ("G008: warning", "G008 lowered from error to warning in policy"),
    ("G008: on", None),
    ("exception-count: off", "G008 off in policy"),
])
def test_policy_changes_listed(cli, make_registry, here, setting, listed):
    make_registry({"livingsys.yaml": policy(setting + "\n"),
                   "automations/reminders.yaml": REMINDERS})
    _, data = lint_json(cli)
    described = [f"{c['code']} {c['detail']}" for c in data["silenced"]["policy"]]
    assert described == ([listed] if listed else [])


def test_waiver_length_limit_from_the_policy(cli, make_registry, here):
    """G025's max_days: 30 days from today is allowed, 31 is not."""
    for expires, codes in (("2026-12-25", []), ("2026-12-26", ["G025"])):
        make_registry({"livingsys.yaml": policy("G025: {max_days: 30}\n"),
                       "automations/reminders.yaml": NO_NOTIFICATION
                       + waiver("G010", expires=expires)})
        _, data = lint_json(cli)
        assert [f["code"] for f in data["findings"]] == codes, expires


def test_waiver_approver_only_for_the_article_rules(cli, make_registry, here):
    """A technician may approve a waiver of G010 (not one of the article's three rules)."""
    make_registry({"automations/reminders.yaml": NO_NOTIFICATION + waiver("G010", by="t.tech")})
    code, data = lint_json(cli)
    assert (code, data["findings"]) == (0, [])
    assert data["silenced"]["waivers"][0]["approver_kind"] == "technical"


# ------------------------------------------------------------------------------------------
# the checklist (point 4): computed from lint's results, never complete when silenced


def checklist(cli) -> dict:
    [score] = report_json(cli)["checklist"]
    return score


def item(score: dict, key: str) -> dict:
    return next(i for i in score["items"] if i["item"] == key)


def test_checklist_item_of_a_check_off_is_silenced_not_met(cli, make_registry, here):
    make_registry({"livingsys.yaml": policy("G010: off\n"),
                   "automations/reminders.yaml": NO_NOTIFICATION})
    score = checklist(cli)
    assert score["score"] == 7 and score["silenced"] == ["guardrails"]
    assert item(score, "guardrails")["why"] == "silenced (G010 off in policy)"
    text = " ".join(cli("report", "-r", "registry", "--as-of", TODAY).output.split())
    assert "7/8 reminders guardrails: silenced (G010 off in policy)" in text
    assert "complete" not in text.split("CHECKLIST")[1]


def test_checklist_item_of_a_check_off_is_silenced_even_when_it_would_pass(
        cli, make_registry, here):
    make_registry({"livingsys.yaml": policy("G011: off\n")})
    assert item(checklist(cli), "review_scheduled")["why"] == "silenced (G011 off in policy)"


def test_checklist_item_waived_for_this_automation(cli, make_registry, here):
    make_registry({"automations/reminders.yaml": NO_NOTIFICATION + waiver("G010")})
    score = checklist(cli)
    assert item(score, "guardrails") == {
        "item": "guardrails", "label": "guardrails", "ok": False, "silenced": True,
        "checks": ["G010"],
        "why": "silenced (G010 waived until 2027-01-31 by Max Boss (manager))"}


def test_checklist_item_loosened_is_silenced(cli, make_registry, here):
    make_registry({"livingsys.yaml": policy("G008: {max: 5}\n")})
    assert item(checklist(cli), "exceptions_defined")["why"] == \
        "silenced (G008 loosened in policy: max 3 → 5)"


def test_checklist_item_lowered_to_warning(cli, make_registry, here):
    """A check lowered to a warning still runs: the item fails while it warns, is met when it
    has nothing to say (the lowering is listed with the silenced governance)."""
    from test_policy import FOUR_EXCEPTIONS

    make_registry({"livingsys.yaml": policy("G008: warning\n"),
                   "automations/reminders.yaml": FOUR_EXCEPTIONS})
    exceptions = item(checklist(cli), "exceptions_defined")
    assert exceptions["ok"] is False and not exceptions["silenced"]
    assert "defines 4 exceptions; at most 3" in exceptions["why"]
    make_registry({"livingsys.yaml": policy("G008: warning\n")})
    assert item(checklist(cli), "exceptions_defined")["ok"] is True


def test_checklist_agrees_with_g010_for_an_automation_that_messages_nobody(
        cli, make_registry, here):
    internal = (REMINDERS.replace("    sends: [{audience: client, channel: email, content: "
                                  "reminder-email}]\n", "")
                .replace("  daily_cap: 40\n  notify_on_exception: {channel: \"#finance\"}\n", "")
                .replace("content:\n  - {id: reminder-email, description: Standard reminder, "
                         "valid_until: 2099-12-31}\n", ""))
    make_registry({"automations/reminders.yaml": internal})
    code, data = lint_json(cli)
    assert (code, data["findings"]) == (0, [])
    score = checklist(cli)
    assert score["score"] == 8 and item(score, "guardrails")["ok"] is True


def test_checklist_follows_every_finding_of_its_checks(cli, make_registry, here):
    """Each item fails exactly when lint reports one of its checks for that automation."""
    from livingsys.ritual.checklist import ITEMS

    broken = (REMINDERS.replace("owner: b.owner", "owner: b.ownr")
              .replace("review: {cadence: monthly}", "review: {cadence: yearly}"))
    make_registry({"automations/reminders.yaml": broken})
    _, data = lint_json(cli)
    assert sorted(f["code"] for f in data["findings"]) == ["G003", "G011"]
    score = checklist(cli)
    assert score["missing"] == ["business owner", "review scheduled"]
    assert item(score, "business_owner")["why"].startswith("'b.ownr' is not in people.yaml")
    assert set(ITEMS) == {i["item"] for i in score["items"]}


def test_an_unknown_maintainer_does_not_fail_the_business_owner_item(cli, make_registry, here):
    make_registry({"automations/reminders.yaml": REMINDERS.replace("maintainer: t.tech",
                                                                   "maintainer: t.tek")})
    _, data = lint_json(cli)
    assert [f["code"] for f in data["findings"]] == ["G003"]
    assert checklist(cli)["score"] == 8


def test_checklist_default_cadence_finding_concerns_only_automations_without_their_own(
        cli, make_registry, here):
    """G011 reports a too-long default once, in livingsys.yaml: the checklist's review item
    fails for the automations that follow it, not for one with its own monthly cadence."""
    settings = SETTINGS.replace("default_cadence: monthly", "default_cadence: yearly")
    follows = (REMINDERS.replace("id: reminders", "id: dunning")
               .replace("review: {cadence: monthly}\n", ""))
    make_registry({"livingsys.yaml": settings, "automations/dunning.yaml": follows})
    scores = {s["automation"]: s for s in report_json(cli)["checklist"]}
    assert scores["dunning"]["missing"] == ["review scheduled"]
    assert scores["reminders"]["score"] == 8
