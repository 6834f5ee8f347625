"""`livingsys review record`: minutes validated, written atomically, never overwritten."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from livingsys.models import Review
from livingsys.reading.validation import validate
from livingsys.reading.yamlsource import parse
from registryrepo import company, registry, reminders, threshold_rule

ANSWERS = ("--rules-changed", "no", "--incidents", "none", "--simplify", "not yet")
#: MINIMAL's reminders: its business owner and its maintainer, with the manager.
TEAM = ("--attendee", "m.boss", "--attendee", "b.owner", "--attendee", "t.tech")
git_only = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def read_minutes(path):
    text = path.read_text("utf-8")
    doc = parse(text, str(path))
    assert not doc.findings
    model, findings = validate(Review, doc.data, str(path))
    assert model is not None, findings
    return text, model


def test_records_minutes_with_answers_decisions_actions(cli, make_registry):
    root = make_registry()
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "reminders",
                 "--attendee", "m.boss", "--attendee", "b.owner", "--attendee", "t.tech",
                 "--rules-changed", "Yes: the threshold shared rule is now 3,000 EUR",
                 "--incidents", "no", "--simplify", "The second reminder could become a call",
                 "--decision", "Align the exception on 3,000 EUR",
                 "--action", "Update the Make scenario|t.tech|2024-02-01",
                 "--action", "Tell the finance team|b.owner",
                 "--notes", "Short meeting.", "--no-input")
    assert result.exit_code == 0, result.output
    path = root / "reviews" / "2024-01-20.yaml"
    text, review = read_minutes(path)
    assert text.startswith("# Minutes of the automation review of 2024-01-20")
    assert review.date == dt.date(2024, 1, 20)
    assert review.attendees == ["m.boss", "b.owner", "t.tech"]
    [item] = review.automations
    assert item.answers.rules_changed == "Yes: the threshold shared rule is now 3,000 EUR"
    assert item.answers.incidents == "no"  # quoted: never read back as false
    assert item.decisions == ["Align the exception on 3,000 EUR"]
    assert [(a.what, a.who, a.due) for a in item.actions] == [
        ("Update the Make scenario", "t.tech", dt.date(2024, 2, 1)),
        ("Tell the finance team", "b.owner", None)]
    assert review.notes == "Short meeting."
    assert review.registry_commit is None  # not a git repository
    assert "Recorded" in result.stdout and "reviews/2024-01-20.yaml" in result.stdout
    assert "git add" in result.stdout and "git commit -m" in result.stdout
    assert "not in a git repository" in result.stderr


def test_answers_per_automation(cli, make_registry):
    root = make_registry({"automations/triage.yaml":
                          "id: triage\nname: Triage\nowner: b.owner\n"})
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "reminders",
                 "-a", "triage", "--attendee", "m.boss", "--attendee", "b.owner",
                 "--absent", "t.tech: on leave, answered by email",
                 "--rules-changed", "no", "--rules-changed", "triage: yes, a new category",
                 "--incidents", "none", "--simplify", "reminders: drop the second reminder",
                 "--simplify", "triage: no",
                 "--decision", "triage: extend to support@", "--no-input")
    assert result.exit_code == 0, result.output
    _, review = read_minutes(root / "reviews" / "2024-01-20.yaml")
    answers = {a.id: a.answers for a in review.automations}
    assert answers["reminders"].rules_changed == "no"
    assert answers["triage"].rules_changed == "yes, a new category"
    assert answers["reminders"].simplify == "drop the second reminder"
    assert {a.id: a.decisions for a in review.automations} == {
        "reminders": [], "triage": ["extend to support@"]}


def test_long_answers_are_folded_and_read_back_exactly(cli, make_registry):
    root = make_registry()
    long = ("The reminder threshold changed from 5,000 to 3,000 EUR: the finance manager "
            "validates every reminder above it, and the scenarios were updated accordingly.")
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "reminders",
                 "--attendee", "m.boss", "--attendee", "b.owner", "--attendee", "t.tech",
                 "--rules-changed", long, "--incidents",
                 'yes: "two # reminders" sent', "--simplify", "true", "--no-input")
    assert result.exit_code == 0, result.output
    text, review = read_minutes(root / "reviews" / "2024-01-20.yaml")
    assert "rules_changed: >-" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    answers = review.automations[0].answers
    assert answers.rules_changed == long
    assert answers.incidents == 'yes: "two # reminders" sent'
    assert answers.simplify == "true"


def test_missing_answers_with_no_input_say_which(cli, make_registry):
    root = make_registry()
    result = cli("review", "record", "-r", root, "-a", "reminders", "--attendee", "m.boss",
                 "--rules-changed", "no", "--no-input")
    assert result.exit_code == 2
    assert ("missing: reminders: Were there incidents or negative feedback?; reminders: Can a "
            "step be simplified") in result.stderr
    assert "--incidents, --simplify" in result.stderr
    assert not (root / "reviews").exists() or not any((root / "reviews").iterdir())


def test_interactive_asks_for_what_is_missing(cli, make_registry):
    root = make_registry()
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "--interactive",
                 input="reminders\nm.boss, b.owner\non leave\nno\nnone\nnot yet\nKeep it\n\n")
    assert result.exit_code == 0, result.output
    # the maintainer was not named: asked whether they were there, and why not
    assert "t.tech (Tom Tech), maintainer of reminders: not among the attendees" in result.output
    _, review = read_minutes(root / "reviews" / "2024-01-20.yaml")
    assert review.attendees == ["m.boss", "b.owner"]
    assert [(a.person, a.reason) for a in review.absent] == [("t.tech", "on leave")]
    assert review.automations[0].answers.simplify == "not yet"
    assert review.automations[0].decisions == ["Keep it"]


@pytest.mark.parametrize("args, message", [
    (("-a", "remindrs", "--attendee", "m.boss"), "automation 'remindrs' is not in the registry "
     "— did you mean 'reminders'?"),
    (("-a", "reminders", "--attendee", "m.bos"), "attendee 'm.bos' is not in people.yaml — did "
     "you mean 'm.boss'?"),
    (("-a", "reminders"), "no attendee given"),
    (("--attendee", "m.boss"), "no automation given"),
    (("-a", "reminders", "--attendee", "m.boss", "--action", "just do it"),
     "is not 'what|who|YYYY-MM-DD'"),
    (("-a", "reminders", "--attendee", "m.boss", "--action", "x|nobody|2024-01-01"),
     "action owner 'nobody' is not in people.yaml"),
    (("-a", "reminders", "--attendee", "m.boss", "--action", "x|m.boss|soon"),
     "the due date 'soon' of action 'x' is not a date"),
    (("-a", "reminders", "--attendee", "m.boss", "--date", "2999-01-01"),
     "the review date 2999-01-01 is in the future"),
    (("-a", "reminders", "--attendee", "m.boss", "--date", "20/01/2024"),
     "--date '20/01/2024' is not a date"),
])
def test_bad_input_is_refused_plainly(cli, make_registry, args, message):
    root = make_registry()
    result = cli("review", "record", "-r", root, *args, *ANSWERS, "--no-input")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_never_overwrites_minutes_of_the_same_day(cli, make_registry):
    root = make_registry({"reviews/2024-01-20.yaml": "date: 2024-01-20\n# hand-written\n"})
    before = (root / "reviews" / "2024-01-20.yaml").read_text()
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "reminders",
                 "--attendee", "m.boss", *ANSWERS, "--no-input")
    assert result.exit_code == 2
    assert "minutes for 2024-01-20 already exist" in result.stderr
    assert "--date" in result.stderr
    assert (root / "reviews" / "2024-01-20.yaml").read_text() == before


def test_several_automations_need_a_target_for_each_decision(cli, make_registry):
    root = make_registry({"automations/triage.yaml":
                          "id: triage\nname: Triage\nowner: b.owner\n"})
    result = cli("review", "record", "-r", root, "-a", "reminders", "-a", "triage",
                 "--attendee", "m.boss", *ANSWERS, "--decision", "Keep it", "--no-input")
    assert result.exit_code == 2
    assert "start it with the automation's id: --decision 'reminders: Keep it'" in result.stderr


@git_only
def test_registry_commit_is_head_and_review_due_starts_again(cli, tmp_path):
    repo = company(tmp_path, {"automations/reminders.yaml": reminders(),
                              "rules/threshold.yaml": threshold_rule()})
    head = repo.head()
    root = registry(repo)
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "reminders",
                 *TEAM, *ANSWERS, "--no-input")
    assert result.exit_code == 0, result.output
    _, review = read_minutes(root / "reviews" / "2024-01-20.yaml")
    assert review.registry_commit == head
    assert f"commit {head[:10]} (HEAD)" in result.stdout
    repo.commit("Minutes of 2024-01-20")
    due = cli("review-due", "-r", root, "--as-of", "2024-02-01", "--fail-on-due")
    assert due.exit_code == 0, due.output
    # rule 3: the shared rule changes after the review
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.commit("Threshold 3,000")
    due = cli("review-due", "-r", root, "--as-of", "2024-02-01", "--fail-on-due")
    assert due.exit_code == 1
    assert "shared key rule 'threshold' changed since the last review (rule 3)" in due.stdout


@git_only
def test_uncommitted_changes_when_recording_are_mentioned(cli, tmp_path):
    repo = company(tmp_path, {"automations/reminders.yaml": reminders()})
    repo.write("registry/automations/reminders.yaml", reminders(cap=10))
    result = cli("review", "record", "-r", registry(repo), "--date", "2024-01-20", "-a",
                 "reminders", *TEAM, *ANSWERS, "--no-input")
    assert result.exit_code == 0, result.output
    assert "changes not committed yet (automations/reminders.yaml)" in result.stderr
