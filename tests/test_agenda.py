"""`livingsys agenda`: the monthly review meeting, from review-due's ranking."""

from __future__ import annotations

import json
import re
import shlex
import shutil

import pytest

from livingsys.ritual.agenda import split_time
from registryrepo import NATHALIE, company, incident, minutes, registry, reminders, threshold_rule

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

AS_OF = "2024-02-01"
QUESTIONS = ["Have the business rules changed?", "Were there incidents or negative feedback?",
             "Can a step be simplified or a special case removed?"]


def simple(ident: str, owner: str = "b.owner", maintainer: str = "t.tech",
           key: bool = False) -> str:
    return (f"id: {ident}\nname: {ident.title()} automation\nowner: {owner}\n"
            f"maintainer: {maintainer}\nkey: {'true' if key else 'false'}\n"
            "steps: [{id: s, kind: automatic, does: Does it}]\n"
            "exceptions: [{id: e, if: unsure, then: a person takes over, handled_by: b.owner}]\n")


@pytest.fixture
def meeting(tmp_path):
    """Four automations due for different reasons, one more not due."""
    repo = company(tmp_path, {
        "automations/reminders.yaml": reminders(),
        "rules/threshold.yaml": threshold_rule(),
        "people.yaml": """\
            people:
              - {id: b.owner, name: Bea Owner, kind: business}
              - {id: f.fin, name: Fanny Finance, kind: business}
              - {id: t.tech, name: Tom Tech, kind: technical}
              - {id: m.boss, name: Max Boss, kind: manager}
            """,
        "automations/triage.yaml": simple("triage", key=True),
        "automations/docs.yaml": simple("docs"),
        "automations/calm.yaml": simple("calm"),
        "automations/extra.yaml": simple("extra"),
        "indicators.csv": "automation,period,volume,exceptions,time_saved_hours,satisfaction\n"
                          "reminders,2023-12,100,8,10,4\nreminders,2024-01,120,12,11.5,3.5\n",
    })
    repo.write("registry/rules/threshold.yaml",
               threshold_rule().replace("parameters", "owner: f.fin\nparameters"))
    repo.write("registry/reviews/2024-01-20.yaml",
               minutes("2024-01-20", "reminders", "calm", "docs"))
    repo.commit("Review of 2024-01-20; the threshold rule is owned by finance")
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000).replace(
        "parameters", "owner: f.fin\nparameters"))
    repo.commit("Threshold 3,000 EUR", author=NATHALIE)
    repo.write("registry/incidents/2024-01-25-docs.yaml",
               incident("2024-01-25", "docs", "high", "Wrong certificate sent"))
    repo.commit("Incident on docs")
    return repo


def agenda_json(cli, repo, *extra) -> dict:
    result = cli("agenda", "-r", registry(repo), "--date", AS_OF, "-f", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_most_due_automations_in_review_due_order(cli, meeting):
    data = agenda_json(cli, meeting)
    due = json.loads(cli("review-due", "-r", registry(meeting), "--as-of", AS_OF,
                         "-f", "json").stdout)["due"]
    ranked = [d["automation"] for d in due]
    assert [i["automation"] for i in data["items"]] == ranked[:3]
    assert ranked[:2] == ["reminders", "triage"]  # rule 3 (100) > never reviewed, key
    assert [d["automation"] for d in data["later"]] == ranked[3:]
    assert len(data["items"]) == 3  # the settings' max_items (the article: 2 or 3)


def test_max_items(cli, meeting):
    assert len(agenda_json(cli, meeting, "--max", "2")["items"]) == 2
    assert cli("agenda", "-r", registry(meeting), "--max", "0").exit_code == 2


def test_45_minutes_split_across_the_items(cli, meeting):
    data = agenda_json(cli, meeting)
    slots = data["slots"]
    assert sum(s["minutes"] for s in slots) == 45 == data["duration_minutes"]
    assert slots[0]["what"].startswith("Opening") and slots[-1]["what"].startswith("Decisions")
    starts = [s["start_minute"] for s in slots]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(s["start_minute"] + s["minutes"] == n["start_minute"]
               for s, n in zip(slots, slots[1:], strict=False))
    items = data["items"]
    assert items[0]["minutes"] >= items[-1]["minutes"] >= 10


@pytest.mark.parametrize("duration, scores, expected", [
    (45, [180, 80, 50], (5, [15, 10, 10], 5)),
    (45, [100], (5, [35], 5)),
    (45, [100, 100], (5, [20, 15], 5)),
    (60, [100, 50, 50], (5, [20, 15, 15], 5)),
    (20, [10, 10], (0, [10, 10], 0)),
    (10, [10, 10, 10], (0, [3, 3, 3], 1)),
    (47, [10, 10, 10], (5, [15, 10, 10], 7)),
])
def test_split_time(duration, scores, expected):
    opening, minutes, closing = split_time(duration, scores)
    assert (opening, minutes, closing) == expected
    assert opening + sum(minutes) + closing == duration


def test_attendees_owners_maintainers_rule_owner_and_manager(cli, meeting):
    data = agenda_json(cli, meeting)
    people = {a["id"]: a for a in data["attendees"]}
    assert data["attendees"][0]["id"] == "m.boss"  # the chair first
    assert people["m.boss"]["roles"][0] == "chairs the review"
    assert any(r.startswith("manager: ") and "key or client-facing" in r
               for r in people["m.boss"]["roles"])
    assert "business owner of reminders" in people["b.owner"]["roles"]
    assert "configured reminders (maintainer)" in people["t.tech"]["roles"]
    assert people["f.fin"]["roles"] == ["owner of the shared rule 'threshold' that changed"]


def test_a_manager_is_added_for_a_key_automation_when_nobody_chairs(cli, tmp_path):
    repo = company(tmp_path, {
        "livingsys.yaml": "organisation: Test SARL\n"
                          "incident_channel: {kind: chat, where: '#incidents'}\n",
        "automations/reminders.yaml": None,
        "automations/triage.yaml": simple("triage", key=True)})
    data = agenda_json(cli, repo)
    assert data["chair"] is None
    ids = [a["id"] for a in data["attendees"]]
    assert ids == ["b.owner", "t.tech", "m.boss"]
    assert data["attendees"][-1]["roles"] == ["manager: triage is key or client-facing"]


def test_no_manager_when_nothing_is_sensitive(cli, tmp_path):
    repo = company(tmp_path, {
        "livingsys.yaml": "organisation: Test SARL\n",
        "automations/reminders.yaml": None, "automations/calm.yaml": simple("calm")})
    data = agenda_json(cli, repo)
    assert [a["id"] for a in data["attendees"]] == ["b.owner", "t.tech"]


def test_each_item_why_changes_incidents_indicators_questions(cli, meeting):
    data = agenda_json(cli, meeting)
    items = {i["automation"]: i for i in data["items"]}
    reminders_item = items["reminders"]
    assert reminders_item["why"][0] == ("shared key rule 'threshold' changed since the last "
                                        "review (rule 3)")
    texts = [c["text"] for c in reminders_item["changes"]]
    assert "parameter 'amount_threshold_eur' changed from 5000 to 3000" in texts
    assert all(c["by"].startswith("Nathalie Lefebvre, ") for c in reminders_item["changes"])
    assert reminders_item["change_notes"] == [
        "still written with the old amount_threshold_eur 5000 in: exception 'big' (if, "
        "condition)"]
    values = {v["label"]: v for v in reminders_item["indicators"]["values"]}
    assert reminders_item["indicators"]["period"] == "2024-01"
    assert values["Volume"]["value"] == "120 cases"
    assert values["Volume"]["trend"] == "↑ +20% vs 2023-12"
    assert values["Exception rate"]["value"] == "10.0%"
    assert values["Exception rate"]["trend"] == "↑ +2.0 pt vs 2023-12"
    assert values["Satisfaction"]["value"] == "3.5 / 5"
    for item in data["items"]:
        assert [q["question"] for q in item["questions"]] == QUESTIONS
        assert all(q["context"] for q in item["questions"])
    assert reminders_item["questions"][0]["context"].startswith(
        "Yes, in the registry: 2 changes to the shared rule 'threshold'")
    docs = {i["automation"]: i for i in agenda_json(cli, meeting, "--max", "4")["items"]}["docs"]
    assert docs["why"] == ["high incident logged since the last review (1 still open)"]
    assert docs["incidents"][0]["summary"] == "Wrong certificate sent"
    assert docs["questions"][1]["context"].startswith("1 incident logged since the review "
                                                      "of 2024-01-20")
    assert data["standing_questions"] == QUESTIONS


def test_markdown_ready_to_paste(cli, meeting):
    result = cli("agenda", "-r", registry(meeting), "--date", AS_OF, "-f", "markdown")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# Automation review — 2024-02-01\n")
    assert "**Test SARL** · 45 minutes · chaired by Max Boss" in out
    for title in ("## Attendees", "## Agenda", "## 1. `reminders`", "**Why it is on the agenda**",
                  "**Rule changes since the last review**", "**Incidents since the last review**",
                  "**Indicators (2024-01)**", "**The three questions**", "## After the meeting"):
        assert title in out
    assert "| 0:00 | 5 | Opening: actions decided last time, the figures at a glance |" in out
    assert "| Exception rate | 10.0% | ↑ +2.0 pt vs 2023-12 |" in out
    # amount_threshold_eur is not mangled by escaping
    assert "parameter 'amount_threshold_eur' changed from 5000 to 3000" in out
    # it ends with the command to record the minutes
    tail = out[out.index("## After the meeting"):]
    assert "```bash\nlivingsys review record" in tail
    assert out.rstrip().endswith("review-due starts again from this meeting.")


def test_text(cli, meeting, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    result = cli("agenda", "-r", registry(meeting), "--date", AS_OF)
    assert result.exit_code == 0
    out = result.stdout
    assert "Automation review — 2024-02-01" in out and "ATTENDEES" in out and "AGENDA" in out
    assert re.search(r"0:05\s+\d+ min\s+1\. reminders", out)
    assert "AFTER THE MEETING record the minutes:" in out
    # every line fits 100 columns (but the command to copy, which holds a long tmp path here)
    assert max(len(line) for line in out.splitlines()
               if "review record -r" not in line) <= 100


def test_the_record_command_records_the_meeting(cli, meeting):
    data = agenda_json(cli, meeting)
    args = shlex.split(data["record_command"])
    assert args[:3] == ["livingsys", "review", "record"]
    assert "--automation" in args and "--attendee" in args
    result = cli(*args[1:], "-r", registry(meeting), "--rules-changed", "reminders: yes, 3000",
                 "--rules-changed", "no", "--incidents", "none", "--simplify", "no",
                 "--no-input")
    assert result.exit_code == 0, result.output
    meeting.commit("Minutes of 2024-02-01")
    after = json.loads(cli("review-due", "-r", registry(meeting), "--as-of", AS_OF,
                           "-f", "json").stdout)
    still = {i["automation"]: [r["kind"] for r in i["reasons"]] for i in after["due"]}
    # every automation of the meeting starts again from it, but the reminders' text still
    # says 5,000 EUR: recording the review does not make rule 3 hold
    assert {a: k for a, k in still.items() if a in {i["automation"] for i in data["items"]}
            } == {"reminders": ["old_value"]}


def test_nothing_due_no_meeting(cli, tmp_path):
    repo = company(tmp_path)
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    repo.commit("Review")
    result = cli("agenda", "-r", registry(repo), "--date", AS_OF)
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "No automation needs a review as of 2024-02-01" in out
    assert "The next review is due on 2024-02-20 (reminders)." in out


def test_history_faults_and_no_history(cli, make_registry):
    root = make_registry()
    result = cli("agenda", "-r", root)
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr and "--no-history" in result.stderr
    result = cli("agenda", "-r", root, "--no-history", "-f", "markdown")
    assert result.exit_code == 0
    assert "> Note: changes to the automations and to the shared rules they use are not " \
           "shown (--no-history)." in result.stdout


def test_demo_registry_agenda_without_git(cli, demo_registry):
    result = cli("agenda", "-r", demo_registry, "--no-history", "-f", "markdown",
                 "--date", "2026-11-25")
    assert result.exit_code == 0
    out = result.stdout
    assert "chaired by Claire Moreau" in out
    assert out.count("\n## ") >= 4


def test_opening_lists_the_actions_of_the_last_review(cli, meeting):
    meeting.write("registry/reviews/2024-01-27.yaml", """\
date: 2024-01-27
attendees: [m.boss]
automations:
  - id: calm
    answers: {rules_changed: "no", incidents: none, simplify: "no"}
    actions:
      - {what: Check the template, who: t.tech, due: 2024-01-30}
      - {what: Ask the team, who: b.owner}
""")
    meeting.commit("Review of 2024-01-27")
    data = agenda_json(cli, meeting)
    assert data["previous_review"] == "2024-01-27"
    assert data["previous_actions"] == [
        {"automation": "calm", "what": "Check the template", "who": "t.tech",
         "due": "2024-01-30", "late": True},
        {"automation": "calm", "what": "Ask the team", "who": "b.owner", "due": None,
         "late": False}]
    out = cli("agenda", "-r", registry(meeting), "--date", AS_OF, "-f", "markdown").stdout
    assert "**Opening** — actions decided at the review of 2024-01-27:" in out
    assert ("- [ ] calm: Check the template (Tom Tech, by 2024-01-30) — past its date: done?"
            in out)


def test_incidents_still_open_from_before_the_last_review(cli, tmp_path):
    repo = company(tmp_path, {
        "incidents/2024-01-05-x.yaml": incident("2024-01-05", severity="high",
                                                summary="Sent twice"),
        "automations/reminders.yaml": reminders(), "rules/threshold.yaml": threshold_rule()})
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    repo.commit("Review")
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.commit("Threshold 3,000")
    [item] = agenda_json(cli, repo)["items"]
    assert item["incidents"] == []  # discussed at the last review
    assert [i["summary"] for i in item["still_open"]] == ["Sent twice"]
    assert "Still open from before: 1 incident (2024-01-05)" in item["questions"][1]["context"]
