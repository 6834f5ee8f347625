"""`livingsys review-due` on real git repositories with scripted histories.

Each reason (never reviewed, cadence, own changes, shared rule changed, incidents, exception
rate, uncommitted, renamed) and each fault (no repository, no commit, shallow clone, the last
review's commit rewritten away) is shown here on a repository built by running git.
"""

from __future__ import annotations

import json
import shutil

import pytest

from gitrepo import GitRepo
from registryrepo import (
    NATHALIE,
    THOMAS,
    company,
    incident,
    minutes,
    registry,
    reminders,
    threshold_rule,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

AS_OF = "2024-02-01"  # a fortnight after the reviews below: nothing due by cadence


def due_json(cli, repo: GitRepo, *extra: str, as_of: str = AS_OF) -> dict:
    result = cli("review-due", "-r", registry(repo), "--as-of", as_of, "--format", "json",
                 *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def due_text(cli, repo: GitRepo, *extra: str, as_of: str = AS_OF) -> str:
    result = cli("review-due", "-r", registry(repo), "--as-of", as_of, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def reasons(data: dict, automation: str = "reminders") -> dict[str, dict]:
    item = next(i for i in data["due"] + data["not_due"] if i["automation"] == automation)
    return {r["kind"]: r for r in item["reasons"]}


def reviewed(tmp_path, day: str = "2024-01-20", **kwargs) -> GitRepo:
    """The MINIMAL registry, then hand-written minutes of a review, committed."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders(),
                              "rules/threshold.yaml": threshold_rule()}, **kwargs)
    repo.write(f"registry/reviews/{day}.yaml", minutes(day))
    repo.commit(f"Review of {day}")
    return repo


# ----------------------------------------------------------------------------- cadence


def test_never_reviewed_is_due_now(cli, tmp_path):
    repo = company(tmp_path)
    data = due_json(cli, repo)
    [item] = data["due"]
    assert item["automation"] == "reminders" and item["last_review"] is None
    assert list(reasons(data)) == ["never_reviewed"]
    assert reasons(data)["never_reviewed"]["text"] == "never reviewed (monthly cadence)"
    assert data["history"]["read"] is True and len(data["history"]["head"]) == 40
    assert data["basis"] == "cadence, incidents, indicators and git history"


def test_cadence_elapsed_since_the_last_review(cli, tmp_path):
    repo = reviewed(tmp_path, "2024-01-10")
    data = due_json(cli, repo, as_of="2024-03-01")
    reason = reasons(data)["cadence"]
    assert reason["text"] == ("monthly review due since 2024-02-10 (20 days overdue; last "
                              "reviewed 2024-01-10)")
    assert reason["weight"] == 20 + 5 * 2  # two full weeks overdue
    # a fortnight after the review, nothing is due
    data = due_json(cli, repo, as_of="2024-01-24")
    assert data["due"] == [] and data["not_due"][0]["next_due"] == "2024-02-10"


# ----------------------------------------------------------------------------- own changes


def test_own_rules_exceptions_guardrails_owner_changed_since_the_review(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/automations/reminders.yaml", reminders(threshold=3000))
    first = repo.commit("Reminders: exceptions from 3,000 EUR", author=NATHALIE)
    repo.write("registry/automations/reminders.yaml",
               reminders(threshold=3000, cap=20, owner="m.boss"))
    second = repo.commit("Reminders: daily cap 20, owned by Max", author=THOMAS)
    data = due_json(cli, repo)
    reason = reasons(data)["changed"]
    assert reason["text"] == ("its own exceptions, guardrails, owner changed since the last "
                              "review (4 changes, 2 commits)")
    texts = [c["description"] for c in reason["changes"]]
    assert "exception 'big': condition changed from 'amount_due > 5000' to " \
           "'amount_due > 3000'" in texts
    assert "guardrail 'daily cap' changed from 40 per day to 20 per day" in texts
    assert "owner changed from 'b.owner' to 'm.boss'" in texts
    # each change with the commit that made it
    by = {c["description"]: c["commit"]["sha"] for c in reason["changes"]}
    assert by["guardrail 'daily cap' changed from 40 per day to 20 per day"] == second
    assert by["exception 'big': condition changed from 'amount_due > 5000' to "
              "'amount_due > 3000'"] == first
    assert [(c["sha"], c["author"], c["subject"]) for c in reason["commits"]] == [
        (first, "Nathalie Lefebvre", "Reminders: exceptions from 3,000 EUR"),
        (second, "Thomas Nguyen", "Reminders: daily cap 20, owned by Max")]
    item = data["due"][0]
    assert item["baseline"]["source"] == "review_commit"
    text = due_text(cli, repo)
    assert "its own exceptions, guardrails, owner changed since the last review" in text
    assert f"{second[:10]} Thomas Nguyen" in text
    assert "[" + first[:10] + "]" in text  # several commits: each change says which


def test_rewording_and_comments_alone_do_not_make_it_due(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/automations/reminders.yaml",
               reminders(description="Reminds clients of unpaid invoices.",
                         comment="# Owned by finance.\n"))
    repo.commit("Reminders: a description and a comment")
    data = due_json(cli, repo)
    assert data["due"] == []
    [note] = data["not_due"][0]["notes"]
    assert note == ("edited since the last review without a change of behaviour (not a "
                    "reason to review it): description set to 'Reminds clients of unpaid "
                    "invoices.'")


def test_uncommitted_edits_that_change_no_behaviour_are_a_note(cli, tmp_path):
    repo = reviewed(tmp_path)
    text = reminders().replace("review: {cadence: monthly}",
                               "review: {cadence: monthly}\nscenarios:\n  - name: a case\n"
                               "    given: {amount_due: 10}\n    expect: {outcome: nothing}")
    repo.write("registry/automations/reminders.yaml", "# edited\n" + text)
    data = due_json(cli, repo)
    assert data["due"] == []
    assert data["not_due"][0]["notes"] == [
        "automations/reminders.yaml: edits not committed yet that change no behaviour (layout, "
        "comments, wording or example cases) — commit them"]


def test_registry_commit_of_the_minutes_is_the_baseline(cli, tmp_path):
    """Changes the meeting saw (before registry_commit) are not reasons; later ones are."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders()})
    repo.write("registry/automations/reminders.yaml", reminders(cap=30))
    seen = repo.commit("Daily cap 30, looked at in the meeting")
    repo.write("registry/automations/reminders.yaml", reminders(cap=25))
    repo.commit("Daily cap 25, after the meeting but before the minutes were committed")
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20", commit=seen))
    repo.commit("Minutes of 2024-01-20")
    data = due_json(cli, repo)
    reason = reasons(data)["changed"]
    assert [c["description"] for c in reason["changes"]] == [
        "guardrail 'daily cap' changed from 30 per day to 25 per day"]
    assert data["due"][0]["baseline"] == {
        "source": "registry_commit", "commit": seen, "date": None,
        "description": f"registry at {seen[:10]} (the commit the minutes name)"}


# ----------------------------------------------------------------------------- shared rules


def test_shared_key_rule_changed_since_the_review_rule_3(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000, since="2024-01-25"))
    sha = repo.commit("Threshold: 3,000 EUR from now on", author=NATHALIE)
    data = due_json(cli, repo)
    reason = reasons(data)["shared_rule"]
    assert reason["text"] == ("shared key rule 'threshold' changed since the last review "
                              "(rule 3)")
    assert reason["rule"] == "threshold" and reason["path"] == "rules/threshold.yaml"
    changes = {c["field"]: c for c in reason["changes"]}
    assert changes["parameters.amount_threshold_eur"]["old"] == 5000
    assert changes["parameters.amount_threshold_eur"]["new"] == 3000
    assert "since" not in changes  # bookkeeping, not a change of behaviour
    assert reason["commits"][0]["sha"] == sha
    assert reason["commits"][0]["author"] == "Nathalie Lefebvre"
    # where the automation still writes the old value
    assert reason["details"] == ["still written with the old amount_threshold_eur 5000 in: "
                                 "exception 'big' (if, condition)"]
    assert reason["weight"] == 100
    text = due_text(cli, repo)
    assert "shared key rule 'threshold' changed since the last review (rule 3)" in text
    assert "parameter 'amount_threshold_eur' changed from 5000 to 3000" in text


def test_an_old_value_still_written_after_the_review_stays_a_reason(cli, tmp_path):
    """The threshold moved to 3,000 EUR, a review was recorded, and the automation still says
    5,000 EUR: the review is over but rule 3 still does not hold, so it stays due."""
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000, since="2024-01-22"))
    sha = repo.commit("Threshold: 3,000 EUR from now on", author=NATHALIE)
    repo.write("registry/reviews/2024-01-25.yaml", minutes("2024-01-25"))
    repo.commit("Review of 2024-01-25")
    data = due_json(cli, repo)
    found = reasons(data)
    assert "shared_rule" not in found  # the meeting looked at the change
    reason = found["old_value"]
    assert reason["text"] == ("still writes an old value of shared key rule 'threshold' "
                              "(rule 3): it changed before the last review, the text did not "
                              "follow")
    assert reason["details"] == ["still written with the old amount_threshold_eur 5000 in: "
                                 "exception 'big' (if, condition)"]
    assert reason["commits"][0]["sha"] == sha
    assert [i["automation"] for i in data["due"]] == ["reminders"]
    assert "rules.threshold.<parameter>" in due_text(cli, repo)
    # the text follows the rule: nothing left to say
    repo.write("registry/automations/reminders.yaml", reminders(threshold=3000))
    repo.commit("Reminders say 3,000 EUR")
    assert "old_value" not in reasons(due_json(cli, repo))


def test_a_value_changed_and_changed_back_is_not_an_old_value(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000, since="2024-01-21"))
    repo.commit("Threshold: 3,000 EUR")
    repo.write("registry/rules/threshold.yaml", threshold_rule(5000, since="2024-01-22"))
    repo.commit("Back to 5,000 EUR")
    repo.write("registry/reviews/2024-01-25.yaml", minutes("2024-01-25"))
    repo.commit("Review of 2024-01-25")
    assert due_json(cli, repo)["due"] == []


def test_a_shared_rule_the_automation_does_not_use_is_not_a_reason(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/other.yaml", "id: other\nname: Other\nstatement: If a, then b.\n")
    repo.commit("Another shared rule")
    assert due_json(cli, repo)["due"] == []


# ----------------------------------------------------------------------------- incidents


def test_incidents_since_the_review(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/incidents/2024-01-15-before.yaml", incident("2024-01-15"))
    repo.write("registry/incidents/2024-01-25-double.yaml",
               incident("2024-01-25", severity="high", summary="Sent twice"))
    repo.write("registry/incidents/2024-01-28-late.yaml", incident("2024-01-28",
                                                                   severity="low"))
    repo.commit("Two incidents")
    reason = reasons(due_json(cli, repo))["incidents"]
    assert reason["text"] == ("2 incidents logged since the last review, the worst high "
                              "(2 still open)")
    assert [i["date"] for i in reason["incidents"]] == ["2024-01-25", "2024-01-28"]
    assert reason["weight"] == 40 + 10
    assert reason["details"][0] == "2024-01-25 high (open): Sent twice"


def test_incidents_count_all_when_never_reviewed(cli, tmp_path):
    repo = company(tmp_path, {"incidents/2024-01-02-x.yaml": incident("2024-01-02",
                                                                      severity="critical")})
    data = due_json(cli, repo)
    assert reasons(data)["incidents"]["text"] == ("critical incident logged (never reviewed "
                                                  "since) (1 still open)")


# ----------------------------------------------------------------------------- indicators


def test_exception_rate_alert(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/indicators.csv",
               "automation,period,volume,exceptions\nreminders,2023-12,100,5\n"
               "reminders,2024-01,100,30\n")
    repo.commit("Figures")
    reason = reasons(due_json(cli, repo))["indicators"]
    assert reason["text"] == ("exception rate 30.0% in 2024-01 is above the 20% alert "
                              "threshold")


# ----------------------------------------------------------------------------- uncommitted


def test_uncommitted_changes_are_shown_not_ignored(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/automations/reminders.yaml", reminders(cap=10))
    repo.write("registry/rules/threshold.yaml", threshold_rule(4000))
    repo.write("registry/automations/triage.yaml", "id: triage\nname: Triage\nowner: b.owner\n")
    data = due_json(cli, repo)
    reason = reasons(data)["uncommitted"]
    assert reason["text"] == ("uncommitted changes in automations/reminders.yaml, "
                              "rules/threshold.yaml (not in any commit yet)")
    assert {c["description"] for c in reason["changes"]} == {
        "guardrail 'daily cap' changed from 40 per day to 10 per day",
        "shared rule 'threshold': parameter 'amount_threshold_eur' changed from 5000 to 4000",
        "shared rule 'threshold': statement changed from 'If the amount is over 5,000 EUR, "
        "then a manager validates.' to 'If the amount is over 4,000 EUR, then a manager "
        "validates.'"}
    assert "changed" not in reasons(data) and "shared_rule" not in reasons(data)
    triage = reasons(data, "triage")
    assert triage["uncommitted"]["details"] == ["automations/triage.yaml: new file, never "
                                                "committed"]
    assert data["uncommitted"] == {"automations/reminders.yaml": "modified",
                                   "automations/triage.yaml": "untracked",
                                   "rules/threshold.yaml": "modified"}


def test_minutes_not_committed_yet_are_counted_and_compared_by_date(cli, tmp_path):
    repo = company(tmp_path)
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    data = due_json(cli, repo)
    assert data["due"] == []
    item = data["not_due"][0]
    assert item["last_review"] == "2024-01-20" and item["baseline"]["source"] == "date"
    assert "is not committed yet" in item["notes"][0]
    text = due_text(cli, repo)
    assert "Not committed yet:" in text and "reviews/2024-01-20.yaml" in text


# ----------------------------------------------------------------------------- merges


def test_a_change_merged_from_a_branch_is_credited_to_its_author(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.branch("threshold")
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    on_branch = repo.commit("Threshold 3,000", author=NATHALIE)
    repo.checkout("main")
    repo.write("README.md", "# Company\n\nUnrelated.\n")
    repo.commit("Readme")
    merge = repo.merge("threshold")
    reason = reasons(due_json(cli, repo))["shared_rule"]
    [commit] = reason["commits"]
    assert commit["sha"] == on_branch and commit["author"] == "Nathalie Lefebvre"
    assert reason["changes"][0]["commit"]["via_merge"] == merge


def test_minutes_merged_from_a_branch_compare_with_what_that_branch_saw(cli, tmp_path):
    repo = company(tmp_path, {"automations/reminders.yaml": reminders()})
    repo.branch("minutes")
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    repo.commit("Minutes of the review")
    repo.checkout("main")
    repo.write("registry/automations/reminders.yaml", reminders(cap=15))
    repo.commit("Daily cap 15 (the meeting did not see it)")
    repo.merge("minutes")
    reason = reasons(due_json(cli, repo))["changed"]
    assert [c["description"] for c in reason["changes"]] == [
        "guardrail 'daily cap' changed from 40 per day to 15 per day"]


# ----------------------------------------------------------------------------- renames


def test_renamed_since_the_last_review(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.mv("registry/automations/reminders.yaml", "registry/automations/payment-reminders.yaml")
    repo.write("registry/automations/payment-reminders.yaml",
               reminders().replace("id: reminders", "id: payment-reminders"))
    repo.write("registry/incidents/2024-01-25-x.yaml", incident("2024-01-25"))  # old id
    sha = repo.commit("Rename reminders to payment-reminders")
    data = due_json(cli, repo)
    item = data["due"][0]
    assert item["automation"] == "payment-reminders"
    assert item["last_review"] == "2024-01-20" and item["reviewed_as"] == "reminders"
    got = reasons(data, "payment-reminders")
    assert got["renamed"]["text"] == (
        "renamed since the last review: automations/reminders.yaml → "
        "automations/payment-reminders.yaml (the minutes of 2024-01-20 call it 'reminders')")
    assert got["renamed"]["commits"][0]["sha"] == sha
    assert "write 'payment-reminders' in the next minutes" in got["renamed"]["hint"]
    assert "changed" not in got  # the id follows the file name: not a change to review
    assert "incidents" in got  # filed under the old id, still counted
    assert "never_reviewed" not in got


# ----------------------------------------------------------------------------- faults


def test_not_a_git_repository_is_a_plain_error_with_what_to_do(cli, make_registry):
    root = make_registry()
    result = cli("review-due", "-r", root)
    assert result.exit_code == 2
    assert "is not in a git repository, so its history cannot be read" in result.stderr
    assert "git init" in result.stderr and "--no-history" in result.stderr
    assert "Traceback" not in result.output


def test_no_history_says_so_and_never_reports_nothing_changed(cli, make_registry):
    root = make_registry()
    result = cli("review-due", "-r", root, "--no-history", "--as-of", "2024-02-01")
    assert result.exit_code == 0
    assert "git history not read" in result.stdout
    data = json.loads(cli("review-due", "-r", root, "--no-history", "-f", "json").stdout)
    assert data["history"]["read"] is False and "not shown" in data["history"]["note"]


def test_repository_without_commits(cli, tmp_path):
    repo = GitRepo(tmp_path / "empty")
    for rel, text in {"livingsys.yaml": "organisation: X\n",
                      "people.yaml": "people: []\n"}.items():
        repo.write(f"registry/{rel}", text)
    result = cli("review-due", "-r", registry(repo))
    assert result.exit_code == 2
    assert "has no commits yet" in result.stderr and "git commit" in result.stderr


def test_shallow_clone_says_to_fetch_the_whole_history(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.commit("Threshold 3,000")
    clone = repo.clone(tmp_path / "ci", depth=1)
    result = cli("review-due", "-r", registry(clone), "--fail-on-due")
    assert result.exit_code == 2
    assert "shallow clone" in result.stderr
    assert "git fetch --unshallow" in result.stderr and "fetch-depth: 0" in result.stderr
    # the report does not fail: it says the history was not read
    report = cli("report", "-r", registry(clone), "--format", "json")
    assert report.exit_code == 0
    data = json.loads(report.stdout)
    assert "shallow clone" in data["history_note"]
    assert data["reviews_due_basis"].endswith("git history not read")


def test_rewritten_history_last_review_commit_gone(cli, tmp_path):
    """The minutes name a commit that a rebase/amend removed from the branch."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders()})
    repo.write("registry/automations/reminders.yaml", reminders(cap=30))
    looked_at = repo.commit("Daily cap 30")
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20", commit=looked_at))
    repo.commit("Minutes")
    # squash the last two commits into a new one: looked_at is no longer in the history
    repo.git("reset", "-q", "--soft", "HEAD~2")
    repo.commit("Daily cap 30, and the minutes (squashed)")
    data = due_json(cli, repo)
    reason = reasons(data)["unknown_baseline"]
    assert reason["text"] == (
        f"cannot tell what changed since the last review: the review of 2024-01-20 refers to "
        f"commit {looked_at[:10]}, which is not in the history of the current branch — "
        "someone rewrote it (rebase, amend, force-push)")
    assert "--by-date" in reason["hint"]
    assert reason["weight"] == 80
    text = due_text(cli, repo)
    assert "what to do: run `livingsys review-due --by-date`" in text
    # --by-date compares with the registry as it was on the review's date instead
    data = due_json(cli, repo, "--by-date")
    assert "unknown_baseline" not in reasons(data)
    assert data["not_due"][0]["baseline"]["source"] in ("date", "start")


def test_a_version_that_is_not_valid_yaml_is_not_read_as_no_change(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", "id: threshold\nstatement: [broken\n")
    repo.commit("A broken edit of the rule")
    reason = reasons(due_json(cli, repo))["unknown_baseline"]
    assert reason["text"] == ("cannot tell what changed in rules/threshold.yaml since the last "
                              "review: a version of it is not valid YAML")
    assert "livingsys lint" in reason["hint"]


def test_minutes_naming_a_commit_git_never_had(cli, tmp_path):
    repo = company(tmp_path)
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20", commit="d" * 40))
    repo.commit("Minutes copied from another clone")
    reason = reasons(due_json(cli, repo))["unknown_baseline"]
    assert "which is no longer in the history" in reason["text"]


# ----------------------------------------------------------------------------- exit codes, order


def test_fail_on_due_exit_codes(cli, tmp_path):
    repo = reviewed(tmp_path)
    root = registry(repo)
    assert cli("review-due", "-r", root, "--as-of", AS_OF, "--fail-on-due").exit_code == 0
    assert cli("review-due", "-r", root, "--as-of", "2024-03-01",
               "--fail-on-due").exit_code == 1
    assert cli("review-due", "-r", root, "--as-of", "2024-03-01").exit_code == 0
    assert cli("review-due", "-r", root, "--as-of", "yesterday").exit_code == 2


def test_most_urgent_first_and_not_due_in_one_line(cli, tmp_path):
    repo = reviewed(tmp_path)
    for ident, key in (("alpha", "false"), ("beta", "true")):
        repo.write(f"registry/automations/{ident}.yaml",
                   f"id: {ident}\nname: {ident.title()}\nowner: b.owner\nkey: {key}\n")
    repo.write("registry/reviews/2024-01-21.yaml", minutes("2024-01-21", "alpha", "beta"))
    repo.commit("Alpha and beta, reviewed")
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.write("registry/automations/alpha.yaml",
               "id: alpha\nname: Alpha\nowner: m.boss\nkey: false\n")
    repo.write("registry/automations/beta.yaml",
               "id: beta\nname: Beta\nowner: m.boss\nkey: true\n")
    repo.commit("Threshold 3,000; alpha and beta change owner")
    data = due_json(cli, repo)
    # shared rule (100) before own changes (80); beta (key) before alpha at equal score
    assert [i["automation"] for i in data["due"]] == ["reminders", "beta", "alpha"]
    assert [i["score"] for i in data["due"]] == [100, 80, 80]
    text = due_text(cli, repo)
    assert text.index("1. reminders") < text.index("2. beta") < text.index("3. alpha")


def test_not_due_summarised_in_one_line(cli, tmp_path):
    repo = reviewed(tmp_path)
    text = due_text(cli, repo)
    assert "No automation needs a review." in text
    assert "Not due: reminders (next 2024-02-20)" in text


def test_json_shape(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.commit("Threshold 3,000")
    data = due_json(cli, repo)
    assert set(data) == {"organisation", "registry", "as_of", "basis", "history", "due",
                         "not_due", "retired", "invalid", "uncommitted", "weights"}
    item = data["due"][0]
    assert {"automation", "name", "status", "key", "owner", "maintainer", "client_facing",
            "cadence", "last_review", "last_review_file", "next_due", "baseline", "score",
            "reasons", "notes", "uses_rules"} <= set(item)
    reason = item["reasons"][0]
    assert set(reason) == {"kind", "text", "weight", "details", "changes", "minor", "commits",
                           "incidents", "path", "rule", "hint"}
    change = reason["changes"][0]
    assert {"area", "kind", "item", "field", "old", "new", "description", "significant",
            "commit"} <= set(change)
    assert data["weights"]["shared_rule"] == 100


def test_markdown(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.commit("Threshold 3,000")
    out = cli("review-due", "-r", registry(repo), "--as-of", AS_OF, "-f", "markdown").stdout
    assert out.startswith("# Reviews due — Test SARL")
    assert "## 1. `reminders` — Payment reminders" in out
    assert "- **shared key rule 'threshold' changed since the last review (rule 3)**" in out
    assert "  - parameter 'amount_threshold_eur' changed from 5000 to 3000" in out


def test_retired_automations_are_not_reviewed(cli, tmp_path):
    repo = company(tmp_path, {"automations/old.yaml": (
        "id: old\nname: Old\nowner: b.owner\nstatus: retired\nstatus_reason: replaced\n"
        "status_since: 2023-12-01\n")})
    data = due_json(cli, repo)
    assert data["retired"] == ["old"]
    assert "old" not in [i["automation"] for i in data["due"] + data["not_due"]]


def test_attribution_stops_at_the_newest_versions_it_needs() -> None:
    """Each change goes to the newest commit that touched it; older versions are not read."""
    import datetime as _dt
    from types import SimpleNamespace

    from livingsys.history.semantic_diff import diff_automation
    from livingsys.ritual.due_history import HistoryReader

    reads: list[int] = []

    class Version(SimpleNamespace):
        @property
        def data(self):
            reads.append(self.n)
            return self.doc

    def version(n: int, cap: int, owner: str) -> Version:
        doc = {"id": "a", "name": "A", "owner": owner, "guardrails": {"daily_cap": cap}}
        return Version(n=n, doc=doc, exists=True, sha=f"{n:040x}", author_name="x",
                       date=_dt.datetime(2026, 1, n + 1), subject=f"v{n}", via_merge=None)

    base = version(0, 10, "a.b")
    # v1-v3 change the owner back and forth, v4 the cap, v5 the owner for good
    versions = [version(1, 10, "c.d"), version(2, 10, "a.b"), version(3, 10, "c.d"),
                version(4, 20, "c.d"), version(5, 20, "e.f")]
    changes = [c for c in diff_automation(base.doc, versions[-1].doc) if c.significant]
    lines = HistoryReader._attribute(versions, base, changes, diff_automation)
    by = {ln.change.area: ln.commit.subject for ln in lines}
    assert by == {"owner": "v5", "guardrail": "v4"}
    assert min(reads) >= 3  # v1, v2 and the base were never read


def test_the_agenda_says_which_old_value_is_still_written(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000, since="2024-01-22"))
    repo.commit("Threshold: 3,000 EUR from now on", author=NATHALIE)
    repo.write("registry/reviews/2024-01-25.yaml", minutes("2024-01-25"))
    repo.commit("Review of 2024-01-25")
    result = cli("agenda", "-r", registry(repo), "--date", "2024-02-01")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "still writes an old value of shared key rule 'threshold'" in text
    assert "still written with the old amount_threshold_eur 5000 in: exception 'big'" in text
    assert ("The shared rule 'threshold' changed before the last review, but this automation "
            "still writes the old value") in text
