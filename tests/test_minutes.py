"""The minutes are the article's meeting (issue 8, point 5): at most review.max_items
automations, the business owner and the maintainer of each present or absent with a reason,
and no bare "no" to "have the rules changed?" against the registry's history.

`review record` refuses such minutes (exit 2, nothing written); lint reports them in minutes
written by hand (G027, G028). The agenda's time per item, with very uneven scores."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from conftest import MINIMAL
from livingsys.ritual.agenda import split_time
from registryrepo import company, minutes, registry, reminders, threshold_rule

TODAY = "2026-11-25"
REMINDERS = textwrap.dedent(MINIMAL["automations/reminders.yaml"])
SETTINGS = textwrap.dedent(MINIMAL["livingsys.yaml"])
ANSWERS = ("--rules-changed", "no", "--incidents", "none", "--simplify", "not yet")
TEAM = ("--attendee", "m.boss", "--attendee", "b.owner", "--attendee", "t.tech")
git_only = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def automation(ident: str, owner: str = "b.owner", maintainer: str = "t.tech") -> str:
    return (REMINDERS.replace("id: reminders", f"id: {ident}")
            .replace("owner: b.owner", f"owner: {owner}")
            .replace("maintainer: t.tech", f"maintainer: {maintainer}"))


def four(make_registry, max_items: int | None = None):
    settings = SETTINGS if max_items is None else SETTINGS.replace(
        "chair: m.boss}", f"chair: m.boss, max_items: {max_items}}}")
    return make_registry({"livingsys.yaml": settings, **{
        f"automations/{i}.yaml": automation(i) for i in ("dunning", "triage", "quotes")}})


def record(cli, root, *args):
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", *args, "--no-input")
    assert "Traceback" not in result.output
    return result


def written(root) -> list[str]:
    folder = root / "reviews"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ------------------------------------------------------------------------------------------
# how many automations


def test_four_automations_in_one_meeting_are_refused(cli, make_registry):
    root = four(make_registry)
    ids = [p for i in ("reminders", "dunning", "triage", "quotes") for p in ("-a", i)]
    result = record(cli, root, *ids, *TEAM, *ANSWERS)
    assert result.exit_code == 2
    assert ("4 automations for one meeting: a review covers at most 3 (review.max_items in "
            "livingsys.yaml; the article: 2 or 3, no more)") in " ".join(result.stderr.split())
    assert "Also due" in result.stderr
    assert written(root) == []
    # three is the limit, not beyond it
    result = record(cli, root, *ids[:6], *TEAM, *ANSWERS)
    assert result.exit_code == 0, result.output


def test_the_limit_is_review_max_items(cli, make_registry):
    root = four(make_registry, max_items=2)
    result = record(cli, root, "-a", "reminders", "-a", "dunning", "-a", "triage", *TEAM,
                    *ANSWERS)
    assert result.exit_code == 2 and "at most 2" in result.stderr
    assert record(cli, root, "-a", "reminders", "-a", "dunning", *TEAM, *ANSWERS).exit_code == 0


def test_lint_counts_the_automations_of_hand_written_minutes(cli, make_registry, tmp_path,
                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    four(make_registry)
    for count, codes in ((3, []), (4, ["G027"])):
        ids = ("reminders", "dunning", "triage", "quotes")[:count]
        (tmp_path / "registry" / "reviews").mkdir(exist_ok=True)
        (tmp_path / "registry" / "reviews" / "2026-11-18.yaml").write_text(
            minutes("2026-11-18", *ids, attendees=("m.boss", "b.owner", "t.tech")))
        data = json.loads(cli("lint", "-r", "registry", "--today", TODAY, "-f", "json").stdout)
        assert [f["code"] for f in data["findings"]] == codes, count


def test_max_items_above_the_article_shows_as_silenced(cli, make_registry, tmp_path,
                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    for limit, listed in ((3, []), (4, ["G027 loosened in livingsys.yaml: review.max_items "
                                        "3 → 4"])):
        four(make_registry, max_items=limit)
        data = json.loads(cli("lint", "-r", "registry", "--today", TODAY, "-f", "json").stdout)
        assert [f"{c['code']} {c['detail']}" for c in data["silenced"]["policy"]] == listed


# ------------------------------------------------------------------------------------------
# who was there


def test_a_meeting_with_only_the_technician_is_refused(cli, make_registry):
    root = make_registry()
    result = record(cli, root, "-a", "reminders", "--attendee", "t.tech", *ANSWERS)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert ("the business owner and the maintainer of each automation attend its review, or "
            "their absence is recorded with a reason; not there: b.owner (Bea Owner), business "
            "owner of reminders") in message
    assert "--attendee b.owner if they were there, or --absent 'b.owner: why" in message
    assert written(root) == []


def test_an_absence_with_its_reason_is_recorded_and_lints_clean(cli, make_registry):
    root = make_registry()
    result = record(cli, root, "-a", "reminders", "--attendee", "t.tech", "--attendee",
                    "m.boss", "--absent", "b.owner: on leave; answered the questions by email",
                    *ANSWERS)
    assert result.exit_code == 0, result.output
    text = (root / "reviews" / "2024-01-20.yaml").read_text()
    assert ("absent:\n  - person: b.owner\n    reason: on leave; answered the questions by "
            "email\n") in text
    lint = cli("lint", "-r", root, "--today", TODAY)
    assert lint.exit_code == 0, lint.output


def test_one_person_owner_of_two_automations_is_named_once(cli, make_registry):
    root = four(make_registry)
    result = record(cli, root, "-a", "reminders", "-a", "dunning", "--attendee", "m.boss",
                    "--attendee", "t.tech", *ANSWERS)
    assert result.exit_code == 2
    assert "b.owner (Bea Owner), business owner of reminders, dunning" in \
        " ".join(result.stderr.split())


@pytest.mark.parametrize("absent, message", [
    ("b.owner", "absence 'b.owner' is not 'PERSON: reason'"),
    ("b.owner:  ", "absence 'b.owner:  ' is not 'PERSON: reason'"),
    ("b.ownr: on leave", "absent person 'b.ownr' is not in people.yaml — did you mean "
                         "'b.owner'?"),
    ("t.tech: on leave", "t.tech given both as attendee and as absent"),
])
def test_bad_absences_are_refused(cli, make_registry, absent, message):
    root = make_registry()
    result = record(cli, root, "-a", "reminders", *TEAM, "--absent", absent, *ANSWERS)
    assert result.exit_code == 2
    assert message in result.stderr
    assert written(root) == []


def test_lint_absent_and_attendee_both(cli, make_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = minutes("2026-11-18", attendees=("m.boss", "b.owner", "t.tech")).replace(
        "automations:", "absent: [{person: t.tech, reason: on leave}]\nautomations:")
    make_registry({"reviews/2026-11-18.yaml": text})
    data = json.loads(cli("lint", "-r", "registry", "--today", TODAY, "-f", "json").stdout)
    [finding] = data["findings"]
    assert (finding["code"], finding["line"]) == ("G028", 3)
    assert finding["message"] == "t.tech is both among the attendees and absent"


def test_lint_checks_attendance_at_each_automation_s_latest_review_only(
        cli, make_registry, tmp_path, monkeypatch):
    """Owners change; older minutes are history and never need rewriting."""
    monkeypatch.chdir(tmp_path)
    team = ("m.boss", "b.owner", "t.tech")
    old = minutes("2026-10-14", attendees=("m.boss", "j.former"))
    people = textwrap.dedent(MINIMAL["people.yaml"]) + \
        "  - {id: j.former, name: Jo Former, kind: business}\n"
    make_registry({"people.yaml": people, "reviews/2026-10-14.yaml": old,
                   "reviews/2026-11-18.yaml": minutes("2026-11-18", attendees=team)})
    data = json.loads(cli("lint", "-r", "registry", "--today", TODAY, "-f", "json").stdout)
    assert data["findings"] == []
    # without the newer minutes, the October ones are the latest and are checked
    (tmp_path / "registry" / "reviews" / "2026-11-18.yaml").unlink()
    data = json.loads(cli("lint", "-r", "registry", "--today", TODAY, "-f", "json").stdout)
    messages = [f["message"] for f in data["findings"] if f["code"] == "G028"]
    assert len(messages) == len(data["findings"]) == 2
    assert "b.owner (Bea Owner), business owner of reminders was there" in messages[0]
    assert "t.tech (Tom Tech), maintainer of reminders was there" in messages[1]


# ------------------------------------------------------------------------------------------
# "have the rules changed?" against git history


@pytest.fixture
def reviewed(tmp_path):
    """A registry reviewed on 2024-01-20 (minutes committed), then the shared threshold lowered
    to 3,000 EUR."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders(),
                              "rules/threshold.yaml": threshold_rule()})
    repo.write("registry/reviews/2024-01-20.yaml",
               minutes("2024-01-20", attendees=("m.boss", "b.owner", "t.tech")))
    repo.commit("Review of 2024-01-20")
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.commit("Threshold 3,000")
    return repo


def record_again(cli, repo, answer: str):
    result = cli("review", "record", "-r", registry(repo), "--date", "2024-02-20", "-a",
                 "reminders", *TEAM, "--rules-changed", answer, "--incidents", "none",
                 "--simplify", "no", "--no-input")
    assert "Traceback" not in result.output
    return result


@git_only
@pytest.mark.parametrize("answer", ["no", "No.", "none", "  NO CHANGE ! ", "non", "rien"])
def test_a_bare_no_while_a_shared_rule_changed_is_refused(cli, reviewed, answer):
    result = record_again(cli, reviewed, answer)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "\"have the business rules changed?\" answered no, but the registry's history " \
           "shows changes" in message
    assert "reminders: answered" in message and "since its previous review" in message
    assert "parameter 'amount_threshold_eur' changed from 5000 to 3000" in message
    assert "rules/threshold.yaml: parameter" in message  # where, and who made it:
    assert "(Claire Moreau, " in message
    assert not (registry(reviewed) / "reviews" / "2024-02-20.yaml").exists()


@git_only
@pytest.mark.parametrize("answer", ["yes, the shared threshold is now 3,000 EUR",
                                    "No: only the statement's wording, the team decided",
                                    "not yet applied"])
def test_an_answer_that_says_more_than_no_is_the_meeting_s_judgement(cli, reviewed, answer):
    assert record_again(cli, reviewed, answer).exit_code == 0


def reviewed_then(tmp_path, changed: str, message: str):
    """The reminders reviewed on 2024-01-20, then its file changed to ``changed``."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders()})
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    repo.commit("Review of 2024-01-20")
    repo.write("registry/automations/reminders.yaml", changed)
    repo.commit(message)
    return repo


@git_only
def test_a_change_that_is_not_a_business_rule_does_not_contradict_no(cli, tmp_path):
    repo = reviewed_then(tmp_path, reminders(cap=10), "Daily cap 10")
    assert record_again(cli, repo, "no").exit_code == 0


@git_only
def test_an_automation_s_own_rule_changed_contradicts_no(cli, tmp_path):
    repo = reviewed_then(tmp_path, reminders(threshold=3000), "Exception at 3,000")
    result = record_again(cli, repo, "no")
    assert result.exit_code == 2 and "exception 'big'" in result.stderr


def test_without_history_the_answers_are_not_compared(cli, make_registry):
    root = make_registry()
    assert record(cli, root, "-a", "reminders", *TEAM, *ANSWERS).exit_code == 0


# ------------------------------------------------------------------------------------------
# the agenda's time per item, with very uneven scores


@pytest.mark.parametrize("duration, scores, expected", [
    # 35 minutes to share: 7 slots for 3 items, at least 2 each; the urgent one gets the extra
    (45, [1000, 1, 1], [15, 10, 10]),
    (45, [1, 1, 1000], [10, 10, 15]),
    # 40 minutes to share: 8 slots, 2 each, both extra slots to the urgent one
    (50, [10_000, 1, 1], [20, 10, 10]),
    # 30 minutes to share: 6 slots, exactly 2 each; the huge score takes nothing from the others
    (40, [10_000, 1, 1], [10, 10, 10]),
    # 25 minutes (no opening or closing under 30): 5 slots < 2 per item, 1 each, then extra
    (25, [10_000, 1, 1], [15, 5, 5]),
    # 30 minutes: 20 to share, 4 slots for 3 items: the minimum cannot hold, 5 each + extra
    (30, [10_000, 1, 1], [10, 5, 5]),
])
def test_minimum_time_per_item_with_very_uneven_scores(duration, scores, expected):
    opening, minutes_, closing = split_time(duration, scores)
    assert minutes_ == expected
    assert opening + sum(minutes_) + closing == duration


def test_minimum_time_boundary_two_slots_each():
    """The 10-minute minimum holds exactly when there are 2 slots per item."""
    # 3 items: 6 slots need 30 minutes between the opening and the closing (40 in all)
    assert min(split_time(40, [500, 1, 1])[1]) == 10
    assert min(split_time(39, [500, 1, 1])[1]) == 5


def test_minutes_under_an_old_id_count_for_the_renamed_automation(cli, make_registry, tmp_path,
                                                                 monkeypatch):
    """After a rename (formerly), the latest minutes are found under either id."""
    monkeypatch.chdir(tmp_path)
    renamed = REMINDERS.replace("id: reminders", "id: payment-reminders\nformerly: [reminders]")
    team = ("m.boss", "b.owner", "t.tech")
    make_registry({"automations/reminders.yaml": None,
                   "automations/payment-reminders.yaml": renamed,
                   "reviews/2026-10-14.yaml": minutes("2026-10-14", attendees=("m.boss",)),
                   "reviews/2026-11-18.yaml": minutes("2026-11-18", "payment-reminders",
                                                      attendees=team)})
    data = json.loads(cli("lint", "-r", "registry", "--today", TODAY, "-f", "json").stdout)
    assert data["findings"] == []
    # the old minutes under the old id are the latest once the newer ones are gone
    (tmp_path / "registry" / "reviews" / "2026-11-18.yaml").unlink()
    data = json.loads(cli("lint", "-r", "registry", "--today", TODAY, "-f", "json").stdout)
    assert sorted(f["code"] for f in data["findings"]) == ["G028", "G028"]
    assert "business owner of reminders was there" in data["findings"][0]["message"]


def test_record_writes_who_held_the_roles_and_lint_keeps_to_it(cli, make_registry):
    """The owner changes after the meeting: the minutes say who owned it then, so lint
    neither asks the new owner to have attended nor needs the minutes rewritten."""
    root = make_registry()
    assert record(cli, root, "-a", "reminders", *TEAM, *ANSWERS).exit_code == 0
    text = (root / "reviews" / "2024-01-20.yaml").read_text()
    assert "  - id: reminders\n    owner: b.owner\n    maintainer: t.tech\n" in text
    people = textwrap.dedent(MINIMAL["people.yaml"]) + \
        "  - {id: n.new, name: Noa New, kind: business}\n"
    (root / "people.yaml").write_text(people)
    automation_file = root / "automations" / "reminders.yaml"
    automation_file.write_text(automation_file.read_text().replace("owner: b.owner",
                                                                   "owner: n.new"))
    lint = cli("lint", "-r", root, "--today", TODAY)
    assert lint.exit_code == 0, lint.output
    # hand-written minutes without the roles are checked against today's owner
    (root / "reviews" / "2024-01-20.yaml").write_text(text.replace("    owner: b.owner\n", "")
                                                      .replace("    maintainer: t.tech\n", ""))
    lint = cli("lint", "-r", root, "--today", TODAY)
    assert lint.exit_code == 1 and "n.new (Noa New), business owner of reminders" in \
        " ".join(lint.output.split())
