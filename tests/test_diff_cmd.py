"""`livingsys diff`: semantic changes between revisions, on real git repositories."""

from __future__ import annotations

import json
import shutil

import pytest

from registryrepo import NATHALIE, company, incident, minutes, registry, reminders, threshold_rule

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def diff_json(cli, repo, *args: str) -> dict:
    result = cli("diff", *args, "-r", registry(repo), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def history(tmp_path):
    """first -> threshold 3000 (Nathalie) -> cap 20 + incident + minutes."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders(),
                              "rules/threshold.yaml": threshold_rule()})
    first = repo.head()
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    second = repo.commit("Threshold 3,000", author=NATHALIE)
    repo.write("registry/automations/reminders.yaml", reminders(cap=20))
    repo.write("registry/incidents/2024-01-12-twice.yaml", incident("2024-01-12"))
    repo.write("registry/reviews/2024-01-13.yaml", minutes("2024-01-13"))
    third = repo.commit("Daily cap 20; an incident; minutes")
    return repo, first, second, third


def test_range_between_two_revisions(cli, history):
    repo, first, second, _ = history
    data = diff_json(cli, repo, f"{first}..{second}")
    assert data["from"]["commit"]["sha"] == first and data["to"]["commit"]["sha"] == second
    [rule] = data["files"]
    assert rule["path"] == "rules/threshold.yaml" and rule["kind"] == "rule"
    assert rule["used_by"] == ["reminders"]
    fields = {c["field"]: c for c in rule["changes"]}
    assert fields["parameters.amount_threshold_eur"]["old"] == 5000
    assert fields["parameters.amount_threshold_eur"]["new"] == 3000
    assert [c["author"] for c in rule["commits"]] == ["Nathalie Lefebvre"]


def test_one_revision_to_the_working_tree_and_the_text(cli, history):
    repo, first, _, third = history
    data = diff_json(cli, repo, first)
    paths = [f["path"] for f in data["files"]]
    assert paths == ["rules/threshold.yaml", "automations/reminders.yaml",
                     "incidents/2024-01-12-twice.yaml", "reviews/2024-01-13.yaml"]
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path["incidents/2024-01-12-twice.yaml"]["summary"] == (
        "incident of 2024-01-12 on reminders (medium): Reminder sent for an invoice already "
        "paid")
    assert by_path["reviews/2024-01-13.yaml"]["summary"] == (
        "minutes of the review of 2024-01-13: reminders")
    assert data["to"] == {"rev": "working tree", "commit": None}
    out = cli("diff", first, "-r", registry(repo)).stdout
    assert "rules/threshold.yaml  (shared key rule)" in out
    assert "  • parameter 'amount_threshold_eur' changed from 5000 to 3000" in out
    assert "used by reminders: `livingsys review-due` lists them for review (rule 3)" in out
    assert "automations/reminders.yaml  (automation)" in out
    assert "guardrail 'daily cap' changed from 40 per day to 20 per day" in out
    assert f"commit {third[:10]} Claire Moreau" in out


def test_default_is_the_last_commit_against_the_working_tree(cli, history):
    repo, *_ = history
    out = cli("diff", "-r", registry(repo)).stdout
    assert "No change to rules, exceptions, guardrails, owners or any other field." in out
    repo.write("registry/automations/reminders.yaml", reminders(cap=20, owner="m.boss"))
    data = diff_json(cli, repo)
    [file] = data["files"]
    assert file["uncommitted"] is True and file["commits"] == []
    assert [c["description"] for c in file["changes"]] == ["owner changed from 'b.owner' to "
                                                           "'m.boss'"]


def test_comments_and_key_order_are_not_changes(cli, history):
    repo, *_ = history
    text = reminders(cap=20)
    repo.write("registry/automations/reminders.yaml", "# a comment\n" + text.replace(
        "name: Payment reminders\n", "").replace("id: reminders\n",
                                                 "id: reminders\nname: Payment reminders\n"))
    data = diff_json(cli, repo)
    assert data["files"] == [] and data["layout_only"] == ["automations/reminders.yaml"]


def test_renames_are_shown(cli, history):
    repo, *_ = history
    before = repo.head()
    repo.mv("registry/automations/reminders.yaml", "registry/automations/payment-reminders.yaml")
    repo.write("registry/automations/payment-reminders.yaml",
               reminders(cap=20).replace("id: reminders", "id: payment-reminders"))
    repo.commit("Rename")
    data = diff_json(cli, repo, f"{before}..HEAD")
    [file] = data["files"]
    assert file["status"] == "renamed"
    assert file["old_path"] == "automations/reminders.yaml"
    assert file["path"] == "automations/payment-reminders.yaml"
    out = cli("diff", f"{before}..", "-r", registry(repo)).stdout
    assert ("automations/reminders.yaml → automations/payment-reminders.yaml  (automation, "
            "renamed)") in out


def test_automation_filter(cli, history):
    repo, first, *_ = history
    repo.write("registry/automations/other.yaml", "id: other\nname: Other\nowner: b.owner\n")
    repo.commit("Other")
    data = diff_json(cli, repo, f"{first}..HEAD", "--automation", "reminders")
    assert [f["path"] for f in data["files"]] == [
        "rules/threshold.yaml", "automations/reminders.yaml",
        "incidents/2024-01-12-twice.yaml", "reviews/2024-01-13.yaml"]
    data = diff_json(cli, repo, f"{first}..HEAD", "--automation", "other")
    assert [f["path"] for f in data["files"]] == ["automations/other.yaml"]
    result = cli("diff", "-r", registry(repo), "--automation", "remindrs")
    assert result.exit_code == 2 and "did you mean 'reminders'?" in result.stderr


def test_people_and_settings_generic_diff(cli, history):
    repo, *_ = history
    people = (repo.read("registry/people.yaml")
              .replace("Bea Owner", "Béatrice Owner"))
    repo.write("registry/people.yaml", people)
    data = diff_json(cli, repo)
    [file] = data["files"]
    assert file["kind"] == "people"
    assert file["changes"][0]["description"] == (
        "people[b.owner].name changed from 'Bea Owner' to 'Béatrice Owner'")


def test_errors_are_plain(cli, history, make_registry):
    repo, *_ = history
    result = cli("diff", "nope..HEAD", "-r", registry(repo))
    assert result.exit_code == 2 and "commit 'nope' is not in this repository" in result.stderr
    result = cli("diff", "HEAD...HEAD~1", "-r", registry(repo))
    assert result.exit_code == 2 and "three dots" in result.stderr
    result = cli("diff", "-r", make_registry())
    assert result.exit_code == 2 and "not in a git repository" in result.stderr
