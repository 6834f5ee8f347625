"""ISO weeks in indicators.csv, and key automations without figures (G033).

The article counts the volume "per week or per month": a row's period may be an ISO week
(2026-W48), added up into the month of its Thursday, so that trends, alerts, report, agenda
and export read months (docs/indicators.md, "Weeks").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import textwrap

import pytest

from conftest import MINIMAL
from livingsys.reading import indicators as ind
from livingsys.reading.indicator_policy import exception_rate_alert
from livingsys.reading.indicators import Period, Week

TODAY = dt.date(2026, 11, 25)
HEADER = "automation,period,volume,exceptions,time_saved_hours,satisfaction\n"


def parse(body: str, today: dt.date = TODAY):
    return ind.parse(HEADER + body, {"reminders", "triage"}, today=today)


# -- reading weeks ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,week,month", [
    ("2026-W48", Week(2026, 48), Period(2026, 11)),   # Thursday 26 November
    ("2026W48", Week(2026, 48), Period(2026, 11)),
    ("2026-w5", Week(2026, 5), Period(2026, 1)),      # Thursday 29 January
    ("2026-W44", Week(2026, 44), Period(2026, 10)),   # 26 Oct - 1 Nov: Thursday 29 October
    ("2026-W53", Week(2026, 53), Period(2026, 12)),   # 2026 has 53 weeks (Thursday 31 Dec)
    ("2027-W01", Week(2027, 1), Period(2027, 1)),     # starts Monday 4 January 2027
    ("2020-W01", Week(2020, 1), Period(2020, 1)),     # starts Monday 30 December 2019
])
def test_an_iso_week_counts_for_the_month_of_its_thursday(text, week, month):
    assert ind.parse_period(text) == week
    assert week.month == month
    assert str(week) == f"{week.year}-W{week.week:02d}"


@pytest.mark.parametrize("text", ["2025-W53", "2026-W54", "2026-W00", "2026-W", "W48-2026"])
def test_a_week_that_does_not_exist_is_i008(text):
    _, findings = parse(f"reminders,{text},10,1,,\n")
    [finding] = findings
    assert (finding.code, finding.line, finding.col) == ("I008", 2, 2)
    assert "nor an ISO week written YYYY-Www" in finding.message


@pytest.mark.parametrize("week,future", [
    ("2026-W48", False),  # Monday 23 November: started before 25 November
    ("2026-W49", True),   # Monday 30 November: still to come
])
def test_a_week_in_the_future_on_each_side_of_today(week, future):
    _, findings = parse(f"reminders,{week},10,1,,\n")
    assert [f.code for f in findings] == (["I008"] if future else [])
    if future:
        assert findings[0].message.startswith(
            "week 2026-W49 is in the future (it starts on 2026-11-30, today is 2026-11-25)")


def test_weeks_add_up_into_their_month():
    indicators, findings = parse("reminders,2026-W45,100,10,4,4\n"
                                 "reminders,2026-W46,300,30,6,3\n"
                                 "reminders,2026-W47,100,20,,\n"
                                 "reminders,2026-10,500,40,20,4\n")
    assert findings == []
    october, november = indicators.series["reminders"].points
    assert (october.period, october.weeks) == (Period(2026, 10), ())
    assert november.period == Period(2026, 11)
    assert (november.volume, november.exceptions) == (500, 60)
    assert november.time_saved_hours == 10  # the weeks that give it
    assert november.satisfaction == pytest.approx((4 * 100 + 3 * 300) / 400)  # by volume
    assert november.exception_rate == pytest.approx(0.12)
    assert november.label == "2026-11 (weeks 2026-W45 to 2026-W47)"
    assert november.line == 2
    assert november.to_dict()["weeks"] == ["2026-W45", "2026-W46", "2026-W47"]
    assert indicators.rows == 2 and indicators.ignored_rows == 0


def test_the_same_week_twice_is_i009():
    indicators, findings = parse("reminders,2026-W45,100,10,,\nreminders,2026-w45,90,9,,\n")
    [finding] = findings
    assert (finding.code, finding.line) == ("I009", 3)
    assert finding.message.startswith("reminders already has figures for 2026-W45 on row 2")
    assert indicators.series["reminders"].points[0].volume == 100


def test_a_week_and_its_month_are_i012_and_neither_is_used():
    indicators, findings = parse("reminders,2026-11,500,40,,\nreminders,2026-W45,100,10,,\n"
                                 "reminders,2026-10,400,20,,\ntriage,2026-W45,50,5,,\n")
    [finding] = findings
    assert (finding.code, finding.line, finding.col) == ("I012", 3, 2)
    assert [str(p.period) for p in indicators.series["reminders"].points] == ["2026-10"]
    assert indicators.series["triage"].points[0].weeks == (Week(2026, 45),)  # another one
    assert indicators.ignored_rows == 2


def test_alerts_read_the_month_of_weeks():
    indicators, _ = parse("reminders,2026-W44,100,10,,\nreminders,2026-W45,100,25,,\n"
                          "reminders,2026-W46,100,25,,\n")
    # W44 counts for October (10%); W45 and W46 for November (25%): above 20%
    alert = exception_rate_alert(indicators.series["reminders"], 0.2, 2)
    assert alert is not None and alert.period == Period(2026, 11)
    assert alert.message == "exception rate 25.0% in 2026-11 is above the 20% alert threshold"


# -- the commands, on a registry with weekly figures --------------------------------------------

WEEKLY = ("automation,period,volume,exceptions,time_saved_hours\n"
          "reminders,2026-10,400,20,10\n"
          "reminders,2026-W45,100,30,2\n"
          "reminders,2026-W46,100,30,3\n")


def test_report_agenda_export_and_review_due_read_weeks_as_their_month(cli, make_registry):
    root = make_registry({"indicators.csv": WEEKLY})
    assert cli("lint", "-r", root, "--today", "2026-11-25").exit_code == 0
    report = json.loads(cli("report", "-r", root, "--as-of", "2026-11-25", "--format",
                            "json").stdout)
    [figures] = report["indicators"]["automations"]
    assert figures["last"]["period"] == "2026-11" and figures["last"]["volume"] == 200
    assert figures["last"]["weeks"] == ["2026-W45", "2026-W46"]
    assert figures["alert"]["period"] == "2026-11"
    assert figures["trends"]["exception_rate"]["from"] == "2026-10"
    text = cli("report", "-r", root, "--as-of", "2026-11-25").stdout
    assert "reminders" in text
    due = json.loads(cli("review-due", "-r", root, "--no-history", "--as-of", "2026-11-25",
                         "--format", "json").stdout)
    [item] = due["due"]
    assert any(r["kind"] == "indicators" and "30.0% in 2026-11" in r["text"]
               for r in item["reasons"])
    agenda = json.loads(cli("agenda", "-r", root, "--no-history", "--date", "2026-11-25",
                            "--format", "json").stdout)
    assert agenda["items"][0]["indicators"]["period"] == "2026-11 (weeks 2026-W45 to 2026-W46)"
    [row] = csv.DictReader(io.StringIO(cli("export", "-r", root, "--as-of",
                                           "2026-11-25").stdout))
    assert (row["period"], row["volume"], row["exception_rate"]) == ("2026-11", "200", "0.3")


# -- G033: a key automation without figures ---------------------------------------------------


def key_reminders(extra: str = "key: true\n") -> str:
    return textwrap.dedent(MINIMAL["automations/reminders.yaml"]).replace(
        "maintainer: t.tech\n", "maintainer: t.tech\n" + extra)


def lint_codes(cli, root, today: str = "2026-11-25") -> list[str]:
    result = cli("lint", "-r", root, "--format", "json", "--today", today)
    return [f["code"] for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize("last,flagged", [
    ("2026-11", False),  # the current month: figures already in
    ("2026-10", False),  # last month
    ("2026-08", False),  # September and October silent: 2 months, the most allowed
    ("2026-07", True),   # August to October: 3 months
])
def test_key_automation_silence_on_each_side_of_the_limit(cli, make_registry, last, flagged):
    root = make_registry({"automations/reminders.yaml": key_reminders(),
                          "indicators.csv": f"automation,period,volume,exceptions\n"
                                            f"reminders,{last},100,5\n"})
    assert lint_codes(cli, root) == (["G033"] if flagged else [])


@pytest.mark.parametrize("allowed,flagged", [(3, False), (2, True)])
def test_max_silent_months_is_a_policy_parameter(cli, make_registry, allowed, flagged):
    settings = textwrap.dedent(MINIMAL["livingsys.yaml"]) + (
        f"policy:\n  checks:\n    G033: {{max_silent_months: {allowed}}}\n")
    root = make_registry({"automations/reminders.yaml": key_reminders(),
                          "livingsys.yaml": settings,
                          "indicators.csv": "automation,period,volume,exceptions\n"
                                            "reminders,2026-07,100,5\n"})
    assert lint_codes(cli, root) == (["G033"] if flagged else [])


@pytest.mark.parametrize("extra,flagged", [
    ("key: true\n", True), ("criticality: high\n", True), ("criticality: medium\n", False),
    ("key: true\nstatus: paused\nstatus_reason: Fixing it\nstatus_since: 2026-10-01\n", False),
])
def test_which_automations_must_have_figures(cli, make_registry, extra, flagged):
    root = make_registry({"automations/reminders.yaml": key_reminders(extra),
                          "indicators.csv": "automation,period,volume,exceptions\n"})
    assert lint_codes(cli, root) == (["G033"] if flagged else [])


def test_weekly_figures_count_for_g033(cli, make_registry):
    root = make_registry({"automations/reminders.yaml": key_reminders(),
                          "indicators.csv": "automation,period,volume,exceptions\n"
                                            "reminders,2026-W36,100,5\n"})  # Thursday 3 Sept
    assert lint_codes(cli, root) == []
    assert lint_codes(cli, root, today="2026-12-25") == []  # October, November: 2 months
    assert lint_codes(cli, root, today="2027-01-05") == ["G033"]  # to December: 3 months
