"""Renames: an automation renamed with `git mv` keeps its past, for every command alike.

Built as a team does it: a real repository, minutes, an incident and figures under the old id,
`git mv`, then `formerly: [old-id]` in the renamed file (docs/reviews.md, "Renamed
automations"). lint (G021, I003), review-due, agenda, report and export all ask the one
resolver of livingsys/reading/renames.py.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap

import pytest

from conftest import MINIMAL
from registryrepo import company, incident, minutes, registry

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

AS_OF = "2024-02-05"
OLD, NEW = "reminders", "payment-reminders"
FIGURES = ("automation,period,volume,exceptions\n"
           "reminders,2023-12,100,5\n"
           "reminders,2024-01,100,30\n")


def renamed(tmp_path, *, formerly: bool):
    """Reviewed, an incident and figures under the old id; then `git mv` (and formerly)."""
    repo = company(tmp_path)
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    repo.write("registry/incidents/2024-01-25-twice.yaml",
               incident("2024-01-25", severity="high", summary="Reminder sent twice"))
    repo.write("registry/indicators.csv", FIGURES)
    repo.commit("Review, incident, figures")
    repo.mv(f"registry/automations/{OLD}.yaml", f"registry/automations/{NEW}.yaml")
    text = textwrap.dedent(MINIMAL["automations/reminders.yaml"]).replace(
        f"id: {OLD}\n", f"id: {NEW}\n" + (f"formerly: [{OLD}]\n" if formerly else ""))
    repo.write(f"registry/automations/{NEW}.yaml", text)
    repo.commit("Rename reminders to payment-reminders")
    return repo


def run(cli, repo, *args):
    return cli(*args, "-r", registry(repo))


def lint(cli, repo):
    result = run(cli, repo, "lint", "--format", "json", "--today", AS_OF)
    return result.exit_code, json.loads(result.stdout)["findings"]


def item(data: dict, automation: str = NEW) -> dict:
    return next(i for i in data["due"] + data["not_due"] if i["automation"] == automation)


def test_git_mv_without_formerly_lint_says_where_and_what_to_add(cli, tmp_path):
    repo = renamed(tmp_path, formerly=False)
    code, findings = lint(cli, repo)
    assert code == 1
    got = sorted((f["code"], f["path"].split("registry/", 1)[1], f["line"]) for f in findings)
    assert got == [("G021", "incidents/2024-01-25-twice.yaml", 2),
                   ("G021", "reviews/2024-01-20.yaml", 4),
                   ("I003", "indicators.csv", 2), ("I003", "indicators.csv", 3)]
    assert all(f"add `formerly: [{OLD}]`" in f["hint"] for f in findings)


def test_review_due_follows_git_and_says_formerly_is_missing(cli, tmp_path):
    repo = renamed(tmp_path, formerly=False)
    result = run(cli, repo, "review-due", "--as-of", AS_OF, "--format", "json")
    got = item(json.loads(result.stdout))
    assert got["last_review"] == "2024-01-20" and got["reviewed_as"] == OLD
    assert any(n.startswith(f"git shows its file was named '{OLD}' before, but it does not say "
                            f"`formerly: [{OLD}]`: add that to automations/{NEW}.yaml")
               for n in got["notes"])


def test_with_formerly_every_command_follows_the_rename(cli, tmp_path):
    repo = renamed(tmp_path, formerly=True)
    assert lint(cli, repo) == (0, [])  # past minutes, incident and rows stay as written
    for extra in ((), ("--no-history",)):  # the same with and without git
        result = run(cli, repo, "review-due", "--as-of", AS_OF, "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        got = item(json.loads(result.stdout))
        assert got["last_review"] == "2024-01-20"
        kinds = {r["kind"]: r for r in got["reasons"]}
        assert kinds["incidents"]["incidents"][0]["summary"] == "Reminder sent twice"
        assert kinds["indicators"]["text"].startswith("exception rate 30.0% in 2024-01")
        assert "never_reviewed" not in kinds
        assert not any("git shows its file" in n for n in got["notes"])
    result = run(cli, repo, "agenda", "--date", AS_OF, "--format", "json")
    [agenda_item] = json.loads(result.stdout)["items"]
    assert agenda_item["automation"] == NEW
    assert [i["summary"] for i in agenda_item["incidents"]] == ["Reminder sent twice"]
    assert agenda_item["indicators"]["period"] == "2024-01"
    report = json.loads(run(cli, repo, "report", "--as-of", AS_OF, "--format", "json").stdout)
    [figures] = report["indicators"]["automations"]
    assert figures["automation"] == NEW and figures["last"]["volume"] == 100
    assert report["indicators"]["without_figures"] == []
    [schedule] = [s for s in report["reviews_upcoming"] + [d["schedule"]
                                                           for d in report["reviews_due"]]
                  if s["automation"] == NEW]
    assert schedule["last_review"] == "2024-01-20"
    [row] = csv.DictReader(io.StringIO(run(cli, repo, "export", "--as-of", AS_OF).stdout))
    assert (row["id"], row["last_review"], row["period"]) == (NEW, "2024-01-20", "2024-01")


def test_a_row_under_the_old_id_and_one_under_the_new_for_one_month_is_a_duplicate(
        cli, tmp_path):
    repo = renamed(tmp_path, formerly=True)
    repo.write("registry/indicators.csv", FIGURES + f"{NEW},2024-01,100,7\n")
    code, findings = lint(cli, repo)
    assert code == 1
    [finding] = findings
    assert (finding["code"], finding["line"]) == ("I009", 4)
    assert finding["message"].startswith(f"{NEW} already has figures for 2024-01 on row 3")


def test_review_record_with_the_old_id_says_the_new_one(cli, tmp_path):
    repo = renamed(tmp_path, formerly=True)
    result = run(cli, repo, "review", "record", "--date", "2024-02-01", "--automation", OLD,
                 "--attendee", "b.owner", "--rules-changed", "no", "--incidents", "no",
                 "--simplify", "no", "--no-input")
    assert result.exit_code == 2
    assert f"automation '{OLD}' was renamed '{NEW}'" in result.output
    assert f"--automation {NEW}" in result.output


def test_rules_page_of_g021_suggests_formerly_not_a_waiver_g019_refuses(cli):
    result = cli("rules", "G021")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "formerly: [reminders]" in text and "add `formerly: [old-id]`" in text
    assert "waivers:" not in text
    assert "a waiver in an automation file cannot silence it" in text
