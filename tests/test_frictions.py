"""Friction points (article, days 3-4): in the format, under the agenda's third question, in
the report; and a key the format does not know no longer stops the governance checks."""

from __future__ import annotations

import json
import textwrap

from conftest import MINIMAL

AS_OF = "2026-11-25"
REMINDERS = textwrap.dedent(MINIMAL["automations/reminders.yaml"])
FRICTIONS = """\
frictions:
  - what: Reminders wait two days when Bea is away
    kind: delay
    step: check
    since: 2026-10-01
  - {what: Clients misread the amount due, kind: misunderstanding}
  - {what: Sent twice after a retry, kind: error, step: send, status: solved}
"""


def with_frictions(text: str = FRICTIONS) -> dict[str, str]:
    return {"automations/reminders.yaml": REMINDERS + text}


def test_frictions_are_part_of_the_format_and_lint_clean(cli, make_registry):
    root = make_registry(with_frictions())
    result = cli("lint", "-r", root, "--today", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []


def test_the_agenda_lists_open_frictions_under_the_third_question(cli, make_registry):
    root = make_registry(with_frictions())
    result = cli("agenda", "-r", root, "--date", AS_OF, "--no-history", "-f", "json")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)["items"]
    simplify = item["questions"][2]
    assert simplify["question"] == "Can a step be simplified or a special case removed?"
    context = simplify["context"]
    assert ("Open friction points (days 3-4): delay at step check: Reminders wait two days "
            "when Bea is away (since 2026-10-01); misunderstanding: Clients misread the amount "
            "due.") in context
    assert "Sent twice" not in context  # solved
    assert all("friction" not in q["context"] for q in item["questions"][:2])


def test_the_agenda_shows_three_frictions_and_counts_the_rest(cli, make_registry):
    many = "frictions:\n" + "".join(
        f"  - {{what: Friction {n}, kind: error}}\n" for n in range(1, 6))
    root = make_registry(with_frictions(many))
    result = cli("agenda", "-r", root, "--date", AS_OF, "--no-history", "-f", "markdown")
    out = " ".join(result.stdout.split())
    assert "error: Friction 3; and 2 more." in out and "Friction 4" not in out


def test_no_frictions_no_mention(cli, make_registry):
    root = make_registry()
    result = cli("agenda", "-r", root, "--date", AS_OF, "--no-history", "-f", "markdown")
    assert "friction point" not in result.stdout.lower()
    report = cli("report", "-r", root, "--as-of", AS_OF)
    assert "FRICTION" not in report.stdout


def test_the_report_lists_open_frictions(cli, make_registry):
    root = make_registry(with_frictions())
    data = json.loads(cli("report", "-r", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [(f["automation"], f["kind"], f["step"], f["since"]) for f in data["frictions"]] == [
        ("reminders", "delay", "check", "2026-10-01"),
        ("reminders", "misunderstanding", None, None)]
    text = " ".join(cli("report", "-r", root, "--as-of", AS_OF).stdout.split())
    assert "FRICTION POINTS 2 open" in text
    assert "reminders delay at step check: Reminders wait two days when Bea is away" in text
    markdown = cli("report", "-r", root, "--as-of", AS_OF, "-f", "markdown").stdout
    assert "## Open friction points" in markdown
    assert "| `reminders` | misunderstanding: Clients misread the amount due |" in markdown


def test_a_retired_automation_s_frictions_are_not_reported(cli, make_registry):
    retired = REMINDERS.replace("perimeter: first", "perimeter: first\nstatus: retired\n"
                                "status_reason: Replaced by the ERP\nstatus_since: 2026-11-01")
    root = make_registry({"automations/reminders.yaml": retired + FRICTIONS})
    data = json.loads(cli("report", "-r", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert data["frictions"] == []


def test_an_unknown_key_is_reported_and_the_rest_still_checked(cli, make_registry):
    # before: S001 alone, and "not checked" — a missing kill switch went unseen
    text = REMINDERS.replace("  kill_switch: Turn off the scenario 'Reminders' in Make\n", "")
    root = make_registry({"automations/reminders.yaml": text + "our_notes: ask Bea\n"})
    result = cli("lint", "-r", root, "--today", AS_OF, "-f", "json")
    data = json.loads(result.stdout)
    assert {f["code"] for f in data["findings"]} == {"S001", "G039"}
    assert data["summary"]["not_checked"] == []
    assert result.exit_code == 1
    # other errors than unknown keys still keep the file out of the checks
    bad = text.replace("daily_cap: 40", "daily_cap: forty") + "our_notes: ask Bea\n"
    root = make_registry({"automations/reminders.yaml": bad}, name="other")
    data = json.loads(cli("lint", "-r", root, "--today", AS_OF, "-f", "json").stdout)
    assert {f["code"] for f in data["findings"]} == {"S001", "S002"}
    (not_checked,) = data["summary"]["not_checked"]
    assert not_checked.endswith("other/automations/reminders.yaml")
