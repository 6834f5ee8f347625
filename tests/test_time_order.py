"""Time order: an incident on the review's day, figures the meeting already looked at, the
exception-rate threshold and the caps of review-due's ranking (docs/reviews.md, "Incidents and
figures on the review's day"; docs/indicators.md, "Alert").

Each boundary has a test on each side, on real git repositories built by running git.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from livingsys.reading.indicator_policy import exception_rate_alert
from livingsys.reading.indicators import Period, Point, Series
from livingsys.ritual.timeline import seen_by_review
from registryrepo import company, incident, minutes, registry, reminders, threshold_rule

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DAY = "2024-01-20"


def due(cli, repo, *extra, as_of=DAY) -> dict:
    result = cli("review-due", "-r", registry(repo), "--as-of", as_of, "--format", "json",
                 *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def kinds(data: dict, automation: str = "reminders") -> dict[str, dict]:
    item = next(i for i in data["due"] + data["not_due"] if i["automation"] == automation)
    return {r["kind"]: r for r in item["reasons"]}


def notes(data: dict, automation: str = "reminders") -> list[str]:
    item = next(i for i in data["due"] + data["not_due"] if i["automation"] == automation)
    return item["notes"]


def base(tmp_path):
    return company(tmp_path, {"automations/reminders.yaml": reminders(),
                              "rules/threshold.yaml": threshold_rule()})


def timed(text: str, time: str) -> str:
    return text.replace("\n", f"\ntime: {time}\n", 1)


# ------------------------------------------------------------ an incident on the review's day


def test_incident_of_the_review_day_committed_before_the_minutes_was_seen(cli, tmp_path):
    repo = base(tmp_path)
    repo.write(f"registry/incidents/{DAY}-x.yaml", incident(DAY, severity="high"))
    repo.commit("Incident of the morning")
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY))
    repo.commit("Review of the afternoon")
    data = due(cli, repo)
    assert "incidents" not in kinds(data)
    assert data["not_due"][0]["automation"] == "reminders"


def test_incident_of_the_review_day_committed_after_the_minutes_is_new(cli, tmp_path):
    repo = base(tmp_path)
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY))
    repo.commit("Review of the morning")
    repo.write(f"registry/incidents/{DAY}-x.yaml", incident(DAY, severity="high"))
    repo.commit("Incident of the afternoon")
    reason = kinds(due(cli, repo))["incidents"]
    assert reason["text"] == "high incident logged since the last review (1 still open)"
    assert reason["incidents"][0]["order"] == (
        "by git: the incident file was not in the registry commit the meeting looked at")
    # the minutes' registry_commit, when they name one, is what the meeting looked at
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY, commit=repo.head()))
    repo.commit("Minutes name the commit the meeting looked at, incident included")
    assert "incidents" not in kinds(due(cli, repo))


@pytest.mark.parametrize("incident_time,review_time,after", [
    ("09:59", "10:00", False),  # a minute before the meeting: known to it
    ("10:00", "10:00", True),   # the same minute: after (shown again rather than lost)
    ("10:01", "10:00", True),
    ("9:30", "10:00", False),   # H:MM is read as 09:30, not as text after "10:00"
])
def test_times_written_in_both_order_them_before_git(cli, tmp_path, incident_time,
                                                     review_time, after):
    repo = base(tmp_path)
    # committed after the minutes: git alone would say "after"; the times decide first
    repo.write(f"registry/reviews/{DAY}.yaml", timed(minutes(DAY), review_time))
    repo.commit("Review")
    repo.write(f"registry/incidents/{DAY}-x.yaml", timed(incident(DAY), incident_time))
    repo.commit("Incident")
    got = kinds(due(cli, repo))
    assert ("incidents" in got) is after
    if after:
        assert got["incidents"]["incidents"][0]["order"] == (
            "by the times written in the incident and in the minutes")


def test_without_history_or_times_an_incident_of_the_review_day_counts_after(cli, tmp_path):
    repo = base(tmp_path)
    repo.write(f"registry/incidents/{DAY}-x.yaml", incident(DAY))
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY))
    repo.commit("Incident and review")
    assert "incidents" not in kinds(due(cli, repo))  # git: in the commit that added minutes
    got = kinds(due(cli, repo, "--no-history"))
    assert got["incidents"]["incidents"][0]["order"] == (
        "logged on the review's day, without times to tell: counted as after it")


def test_incidents_the_day_before_and_after_the_review(cli, tmp_path):
    repo = base(tmp_path)
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY))
    repo.commit("Review")
    repo.write("registry/incidents/2024-01-19-x.yaml", incident("2024-01-19"))
    repo.write("registry/incidents/2024-01-21-y.yaml", incident("2024-01-21"))
    repo.commit("Two incidents")
    reason = kinds(due(cli, repo, as_of="2024-01-25"))["incidents"]
    assert [i["date"] for i in reason["incidents"]] == ["2024-01-21"]
    assert reason["incidents"][0]["order"] is None


def test_report_and_agenda_show_the_incident_logged_after_the_review(cli, tmp_path):
    repo = base(tmp_path)
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY))
    repo.commit("Review")
    repo.write(f"registry/incidents/{DAY}-x.yaml",
               incident(DAY, summary="Reminder sent twice after the meeting"))
    repo.commit("Incident")
    result = cli("report", "-r", registry(repo), "--as-of", DAY, "--format", "json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)["reviews_due"]
    assert [r["kind"] for r in item["reasons"]] == ["incidents"]
    result = cli("agenda", "-r", registry(repo), "--date", DAY)
    assert result.exit_code == 0, result.output
    assert "Reminder sent twice after the meeting" in result.stdout
    assert "Still open from before" not in result.stdout


def test_incident_time_is_validated(cli, make_registry):
    root = make_registry({"incidents/2026-11-02-x.yaml": timed(incident("2026-11-02"), "25:00")})
    result = cli("lint", "-r", root, "--format", "json", "--today", "2026-11-25")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["path"].endswith("incidents/2026-11-02-x.yaml") and finding["line"] == 2


# ------------------------------------------------------------ figures the meeting looked at


FIGURES = ("automation,period,volume,exceptions\nreminders,2023-11,100,5\n"
           "reminders,2023-12,100,30\n")


@pytest.mark.parametrize("review_day,seen", [
    ("2023-12-31", False),  # December was not over: its figures are new
    ("2024-01-01", True),   # the first day after it: December was looked at
])
def test_an_alert_of_a_month_the_review_has_seen_is_not_a_reason(cli, tmp_path, review_day,
                                                                 seen):
    repo = base(tmp_path)
    repo.write("registry/indicators.csv", FIGURES)
    repo.write(f"registry/reviews/{review_day}.yaml", minutes(review_day))
    repo.commit("Figures and review")
    data = due(cli, repo, "--no-history", as_of=review_day)  # reviewed today
    assert ("indicators" in kinds(data)) is not seen
    if seen:
        assert data["due"] == []
        assert any(n.startswith(f"exception rate alert of 2023-12 already seen by the review "
                                f"of {review_day}") for n in notes(data))


def test_a_month_the_review_has_not_seen_alerts_again(cli, tmp_path):
    repo = base(tmp_path)
    repo.write("registry/indicators.csv", FIGURES + "reminders,2024-01,100,31\n")
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY))
    repo.commit("Figures and review")
    reason = kinds(due(cli, repo, "--no-history", as_of="2024-02-05"))["indicators"]
    assert reason["text"].startswith("exception rate 31.0% in 2024-01 is above")


def test_seen_by_review_on_each_side_of_the_month_end():
    assert seen_by_review(Period(2026, 10), dt.date(2026, 11, 18))
    assert not seen_by_review(Period(2026, 11), dt.date(2026, 11, 30))
    assert seen_by_review(Period(2026, 11), dt.date(2026, 12, 1))
    assert not seen_by_review(Period(2026, 10), None)


# ------------------------------------------------------------ the threshold: "above" is >


def series(*rows: tuple[int, int]) -> Series:
    return Series("reminders", [Point("reminders", Period(2026, i + 1), v, e)
                                for i, (v, e) in enumerate(rows)])


@pytest.mark.parametrize("exceptions,alert", [(19, False), (20, False), (21, True)])
def test_exception_rate_exactly_at_the_threshold_does_not_alert(exceptions, alert):
    got = exception_rate_alert(series((100, exceptions)), 0.2, 2)
    assert (got is not None) is alert
    if alert:
        assert got.message == "exception rate 21.0% in 2026-01 is above the 20% alert threshold"


@pytest.mark.parametrize("threshold", [0.07, 0.1, 0.15, 0.3])
def test_at_the_threshold_for_other_thresholds_too(threshold):
    exceptions = round(threshold * 100)
    assert exception_rate_alert(series((100, exceptions)), threshold, 5) is None
    assert exception_rate_alert(series((100, exceptions + 1)), threshold, 5) is not None


@pytest.mark.parametrize("second,rising", [(105, False), (106, True)])  # 0.4 pt / 0.5 pt
def test_a_rise_is_half_a_point_or_more(second, rising):
    got = exception_rate_alert(series((1000, 100), (1000, second)), 0.9, 1)
    assert (got is not None and got.rising) is rising


# ------------------------------------------------------------ the caps of the ranking weights


@pytest.mark.parametrize("severities,weight", [
    (("critical", "high"), 100),          # under the cap
    (("critical", "critical"), 120),      # exactly the cap
    (("critical", "critical", "low"), 120),  # over it: capped
])
def test_incident_weights_are_capped_at_120(cli, tmp_path, severities, weight):
    repo = base(tmp_path)
    for i, severity in enumerate(severities):
        repo.write(f"registry/incidents/2024-01-1{i}-x.yaml",
                   incident(f"2024-01-1{i}", severity=severity))
    repo.commit("Incidents")
    assert kinds(due(cli, repo))["incidents"]["weight"] == weight


@pytest.mark.parametrize("as_of,weight", [
    ("2024-02-26", 20),       # 6 days overdue: no full week
    ("2024-02-27", 20 + 5),   # 7 days: one full week
    ("2024-04-09", 20 + 35),  # 49 days: 7 full weeks, under the cap
    ("2024-04-16", 20 + 40),  # 56 days, 8 weeks: exactly the cap
    ("2024-04-23", 20 + 40),  # 9 weeks: still the cap
])
def test_overdue_weeks_are_capped_at_40(cli, tmp_path, as_of, weight):
    repo = base(tmp_path)
    repo.write(f"registry/reviews/{DAY}.yaml", minutes(DAY))  # monthly: due 2024-02-20
    repo.commit("Review")
    assert kinds(due(cli, repo, "--no-history", as_of=as_of))["cadence"]["weight"] == weight


def test_incident_add_writes_the_time_and_refuses_a_wrong_one(cli, make_registry):
    root = make_registry()
    result = cli("incident", "add", "-r", root, "-a", "reminders", "-s", "Sent twice",
                 "--date", "2026-11-18", "--time", "9:05", "--no-input")
    assert result.exit_code == 0, result.output
    [written] = (root / "incidents").glob("2026-11-18-*.yaml")
    assert "\ntime: 09:05\n" in written.read_text("utf-8")
    result = cli("incident", "add", "-r", root, "-a", "reminders", "-s", "Sent again",
                 "--date", "2026-11-18", "--time", "9h05", "--no-input")
    assert result.exit_code == 2
    assert "the time '9h05' is not a time of day HH:MM" in result.output
