"""indicators.csv: every bad row reported at its row and column; series, rates, trends, alerts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from livingsys.reading import indicators as ind
from livingsys.reading.indicator_policy import exception_rate_alert
from livingsys.reading.indicators import Period, Point, Series
from livingsys.render.sparkline import sparkline

TODAY = dt.date(2026, 11, 25)
KNOWN = {"reminders", "triage"}
HEADER = "automation,period,volume,exceptions,time_saved_hours,satisfaction\n"


def parse(body: str, header: str = HEADER, today: dt.date = TODAY):
    return ind.parse(header + body, KNOWN, today=today)


def only(findings):
    assert len(findings) == 1, [f"{f.location} {f.code} {f.message}" for f in findings]
    return findings[0]


# -- reading ---------------------------------------------------------------------------------


def test_valid_file_gives_series_sorted_by_month():
    indicators, findings = parse("reminders,2026-02,120,12,10.5,4\n"
                                 "reminders,2026-01,100,8,9,\n"
                                 "triage,2026-01,600,180,20,3.5\n")
    assert findings == []
    series = indicators.series["reminders"]
    assert [str(p.period) for p in series.points] == ["2026-01", "2026-02"]
    first = series.points[0]
    assert (first.volume, first.exceptions, first.time_saved_hours, first.satisfaction) == (
        100, 8, 9.0, None)
    assert first.line == 3
    assert indicators.rows == 3 and indicators.ignored_rows == 0
    assert [str(p) for p in indicators.periods] == ["2026-01", "2026-02"]


@pytest.mark.parametrize("row, code, col, words", [
    ("remiders,2026-01,100,8,9,4", "I003", 1, "automation 'remiders' does not exist in "
     "automations/ — did you mean 'reminders'?"),
    ("reminders,2026-01,abc,8,9,4", "I004", 3, "volume should be a whole number, not 'abc'"),
    ("reminders,2026-01,10.5,8,9,4", "I004", 3, "volume should be a whole number, not '10.5'"),
    ("reminders,2026-01,100,8,lots,4", "I004", 5, "time_saved_hours should be a number of "
     "hours, not 'lots'"),
    ("reminders,2026-01,-3,0,9,4", "I005", 3, "volume cannot be negative (-3)"),
    ("reminders,2026-01,100,8,-2,4", "I005", 5, "time_saved_hours cannot be negative (-2)"),
    ("reminders,2026-01,100,120,9,4", "I006", 4, "exceptions (120) are more than the volume "
     "(100): the exception rate would be 120%"),
    ("reminders,2026-01,100,8,9,6", "I007", 6, "satisfaction 6 is not between 1 and 5"),
    ("reminders,2026-01,100,8,9,0", "I007", 6, "satisfaction 0 is not between 1 and 5"),
    ("reminders,2026-13,100,8,9,4", "I008", 2, "period '2026-13' is not a month written YYYY-MM"),
    ("reminders,janv-26,100,8,9,4", "I008", 2, "period 'janv-26' is not a month"),
    ("reminders,2026-12,100,8,9,4", "I008", 2, "period 2026-12 is in the future (today is "
     "2026-11-25)"),
    ("reminders,2026-01,,8,9,4", "I010", 3, "volume is missing"),
    (",2026-01,100,8,9,4", "I010", 1, "the automation is missing"),
    ("reminders,,100,8,9,4", "I010", 2, "the period (month YYYY-MM, or week YYYY-Www) is missing"),
])
def test_each_bad_row_is_reported_at_its_row_and_column(row, code, col, words):
    indicators, findings = parse("triage,2026-01,600,180,20,3.5\n" + row + "\n")
    finding = only(findings)
    assert (finding.code, finding.line, finding.col) == (code, 3, col)
    assert words in finding.message
    assert finding.message.endswith(f"(cell {'ABCDEF'[col - 1]}3)")
    assert finding.path == "indicators.csv"
    assert finding.hint and finding.name.startswith("indicators-")
    assert indicators.ignored_rows == 1  # the bad row is left out, the good one kept
    assert indicators.rows == 1


def test_duplicate_month_points_at_the_first_row():
    indicators, findings = parse("reminders,2026-01,100,8,9,4\n"
                                 "triage,2026-01,600,180,20,3.5\n"
                                 "reminders,2026-01,110,9,9,4\n")
    finding = only(findings)
    assert (finding.code, finding.line, finding.col) == ("I009", 4, 2)
    assert "reminders already has figures for 2026-01 on row 2" in finding.message
    assert indicators.series["reminders"].points[0].volume == 100


def test_several_problems_on_one_row_are_all_reported():
    _, findings = parse("nobody,2030-01,x,-1,,9\n")
    assert [(f.code, f.col) for f in findings] == [
        ("I003", 1), ("I008", 2), ("I004", 3), ("I005", 4), ("I007", 6)]


def test_empty_optional_cells_are_allowed_and_volume_zero_has_no_rate():
    indicators, findings = parse("reminders,2026-01,0,0,,\n")
    assert findings == []
    point = indicators.series["reminders"].last
    assert point.exception_rate is None and point.satisfaction is None


def test_semicolons_decimal_commas_and_bom_as_excel_in_france_writes_them():
    raw = ("\ufeffautomation;period;volume;exceptions;time_saved_hours;satisfaction\r\n"
           "reminders;2026-01;1 200;80;12,5;4,5\r\n"
           "triage;2026-02;600;180;20;\r\n"
           ";;;;;\r\n").encode("utf-8")
    text, findings = ind.decode(raw, "indicators.csv")
    indicators, more = ind.parse(text, KNOWN, today=TODAY)
    assert findings + more == []
    assert indicators.delimiter == ";"
    point = indicators.series["reminders"].last
    assert (point.volume, point.time_saved_hours, point.satisfaction) == (1200, 12.5, 4.5)


def test_excel_sep_line_and_windows_1252_are_accepted():
    raw = ("sep=;\nautomation;period;volume;exceptions;notes\n"
           "reminders;2026-01;100;8;relancé\n").encode("cp1252")
    text, findings = ind.decode(raw, "indicators.csv")
    indicators, more = ind.parse(text, KNOWN, today=TODAY)
    assert [f.code for f in findings + more] == ["I011"]  # only the notes column, a warning
    assert more[0].line == 2 and more[0].severity.value == "warning"
    assert indicators.series["reminders"].last.volume == 100


def test_excel_unicode_text_utf16_with_tabs():
    raw = ("automation\tperiod\tvolume\texceptions\r\n"
           "triage\t2026-03\t640\t200\r\n").encode("utf-16")
    text, findings = ind.decode(raw, "indicators.csv")
    indicators, more = ind.parse(text, KNOWN, today=TODAY)
    assert findings + more == [] and indicators.delimiter == "\t"
    assert indicators.series["triage"].last.exceptions == 200


def test_decimal_comma_in_a_comma_separated_file_is_explained():
    _, findings = parse("reminders,2026-01,100,8,12,5,4\n")
    finding = only(findings)
    assert finding.code == "I002" and finding.line == 2
    assert "7 cells but the first row names 6 columns" in finding.message
    assert "decimal comma" in finding.hint


def test_missing_column_stops_reading_rows():
    indicators, findings = ind.parse("automation,period,volume\nreminders,2026-01,100\n",
                                     KNOWN, today=TODAY)
    finding = only(findings)
    assert finding.code == "I002" and finding.line == 1
    assert "no 'exceptions' column" in finding.message
    assert indicators.ignored_rows == 1 and indicators.rows == 0


def test_misspelt_column_gets_did_you_mean():
    _, findings = ind.parse("automation,period,volume,exeptions\nreminders,2026-01,100,8\n",
                            KNOWN, today=TODAY)
    codes = {(f.code, f.col): f.message for f in findings}
    assert "did you mean 'exceptions'?" in codes[("I002", 4)]
    assert "no 'exceptions' column" in codes[("I002", 1)]


def test_optional_columns_may_be_left_out():
    indicators, findings = ind.parse("Automation,Period,Volume,Exceptions\n"
                                     "reminders,2026-01,100,8\n", KNOWN, today=TODAY)
    assert findings == []
    assert indicators.series["reminders"].last.time_saved_hours is None


def test_a_file_without_header_says_so():
    _, findings = ind.parse("reminders,2026-01,100,8\n", KNOWN, today=TODAY)
    assert "the first row should name the columns; it reads 'reminders, 2026-01" in \
        only(findings).message


def test_duplicate_column():
    _, findings = ind.parse("automation,period,volume,exceptions,volume\n", KNOWN, today=TODAY)
    assert "column 'volume' appears twice (columns C and E)" in only(findings).message


def test_workbook_instead_of_csv_is_unreadable():
    text, findings = ind.decode(b"PK\x03\x04rest-of-a-zip", "indicators.csv")
    assert text is None
    assert findings[0].code == "I001" and findings[0].unreadable
    assert "Excel workbook" in findings[0].message


def test_unclosed_quote_is_reported_where_it_opens():
    # csv (not strict) would read every following row into that one cell, silently
    indicators, findings = parse("reminders,\"2026-01,100,8,9,4\n"
                                 "reminders,2026-02,100,8,9,4\n")
    finding = only(findings)
    assert (finding.code, finding.line, finding.col) == ("I001", 2, 2)
    assert "the quote that opens cell B2 is never closed" in finding.message
    assert finding.unreadable and not indicators.readable


def test_a_quoted_cell_on_several_lines_is_fine():
    indicators, findings = ind.parse("automation,period,volume,exceptions,notes\n"
                                     "reminders,\"2026-01\",100,8,\"two\nlines\"\n"
                                     "triage,2026-01,600,180,\n", KNOWN, today=TODAY)
    assert [f.code for f in findings] == ["I011"]  # the notes column, a warning
    assert indicators.rows == 2 and indicators.series["triage"].last.line == 4


def test_a_cell_too_long_for_csv_points_at_the_row_it_starts_on():
    body = "reminders,2026-01,100,8,9,\"4\n" + "reminders,2026-02,100,8,9,4\n" * 6000
    _, findings = parse(body)
    finding = only(findings)
    assert (finding.code, finding.line) == ("I001", 2)
    assert "the row that starts on line 2 is not valid CSV" in finding.message


def test_empty_file():
    indicators, findings = ind.parse("\n\n", KNOWN, today=TODAY)
    finding = only(findings)
    assert (finding.code, finding.line, finding.col) == ("I001", 1, 1)  # as Y004 for YAML
    assert indicators.rows == 0


# -- through the registry and lint ---------------------------------------------------------


def test_lint_reports_bad_rows_with_file_line_and_column(cli, make_registry):
    root = make_registry({"indicators.csv": "automation;period;volume;exceptions\n"
                                            "reminders;2026-01;100;8\n"
                                            "reminders;2026-02;100;180\n"})
    result = cli("lint", "-r", root, "--format", "json", "--today", "2026-11-25")
    assert result.exit_code == 1
    data = json.loads(result.output)
    [finding] = data["findings"]
    assert (finding["code"], finding["line"], finding["col"]) == ("I006", 3, 4)
    assert finding["path"].endswith("indicators.csv")
    assert data["summary"]["files"] == 5


def test_lint_text_shows_the_csv_location(cli, make_registry):
    root = make_registry({"indicators.csv": HEADER + "remindres,2026-01,100,8,9,4\n"})
    result = cli("lint", "-r", root, "--today", "2026-11-25")
    assert result.exit_code == 1
    assert "indicators.csv" in result.output and "I003" in result.output
    assert "did you mean 'reminders'?" in result.output


def test_unreadable_indicators_make_lint_exit_2(cli, make_registry):
    root = make_registry({"indicators.csv": b"PK\x03\x04...."})
    assert cli("lint", "-r", root).exit_code == 2


def test_registry_without_indicators_has_none(make_registry):
    from livingsys.reading.registry import load_registry

    assert load_registry(make_registry()).indicators is None


def test_future_period_follows_lint_today(cli, make_registry):
    root = make_registry({"indicators.csv": HEADER + "reminders,2026-06,100,8,9,4\n"})
    assert cli("lint", "-r", root, "--today", "2026-06-01").exit_code == 0
    result = cli("lint", "-r", root, "--today", "2026-05-31")
    assert result.exit_code == 1 and "in the future" in result.output


def test_indicator_checks_cannot_be_switched_off(cli, make_registry):
    root = make_registry({"livingsys.yaml": """\
        organisation: Test SARL
        incident_channel: {kind: chat, where: "#incidents"}
        review: {default_cadence: monthly}
        policy: {checks: {I006: off}}
        """})
    result = cli("lint", "-r", root)
    assert result.exit_code == 1 and "cannot be switched off" in result.output


def test_rules_explains_indicator_checks(cli):
    result = cli("rules", "I006")
    assert result.exit_code == 0 and "exceptions / volume" in result.output


def test_demo_indicators_lint_clean_and_cover_the_demo(demo_registry):
    from livingsys.reading.registry import load_registry

    registry = load_registry(demo_registry, today=TODAY)
    assert not [f for f in registry.findings if f.code.startswith("I")]
    series = registry.indicators.series
    assert set(series) == {e.model.id for e in registry.valid_automations}
    assert str(series["payment-reminders"].last.period) == "2026-11"
    assert str(series["quote-follow-up"].last.period) == "2026-11"
    # quote-follow-up was paused on 2026-11-03: a few days of figures, then nothing
    assert series["quote-follow-up"].last.volume < 30


def test_settings_indicators_section_is_validated(cli, make_registry):
    root = make_registry({"livingsys.yaml": """\
        organisation: Test SARL
        incident_channel: {kind: chat, where: "#incidents"}
        review: {default_cadence: monthly}
        indicators: {exception_rate_alert: 20, rising_month: 2}
        """})
    result = cli("lint", "-r", root, "--format", "json")
    messages = [f["message"] for f in json.loads(result.output)["findings"]]
    assert any("exception_rate_alert" in m and "too large" in m for m in messages)
    assert any("did you mean 'rising_months'" in m for m in messages)


# -- the model -------------------------------------------------------------------------------


def series(*rows, name="reminders") -> Series:
    """rows: (period, volume, exceptions)"""
    return Series(name, [Point(name, Period.parse(p), v, e) for p, v, e in rows])


def test_exception_rate_and_last_three_months():
    s = series(("2026-01", 100, 10), ("2026-02", 200, 30), ("2026-03", 100, 20),
               ("2026-04", 100, 5))
    assert s.points[1].exception_rate == pytest.approx(0.15)
    # weighted by volume: (30 + 20 + 5) / (200 + 100 + 100)
    assert s.rate_last_months(3) == pytest.approx(55 / 400)


def test_month_over_month_trend_in_points():
    s = series(("2026-01", 100, 10), ("2026-02", 100, 13))
    trend = s.trend("exception_rate")
    assert trend.direction == "up" and trend.arrow == "↑"
    assert trend.delta_points == pytest.approx(3.0)
    assert trend.describe() == "+3.0 pt"
    assert str(trend.previous_period) == "2026-01" and str(trend.period) == "2026-02"
    flat = series(("2026-01", 1000, 100), ("2026-02", 1000, 104)).trend("exception_rate")
    assert flat.direction == "flat"  # +0.4 point
    down = series(("2026-01", 100, 20), ("2026-02", 100, 10)).trend("exception_rate")
    assert (down.direction, down.describe()) == ("down", "-10.0 pt")


def test_volume_trend_is_relative():
    trend = series(("2026-01", 100, 1), ("2026-02", 112, 1)).trend("volume")
    assert trend.direction == "up" and trend.describe() == "+12%"
    assert series(("2026-01", 100, 1), ("2026-02", 103, 1)).trend("volume").direction == "flat"


def test_one_month_has_no_trend():
    s = series(("2026-01", 100, 10))
    assert s.trend("exception_rate") is None and s.trend("volume") is None


def test_trend_needs_the_last_month_to_have_the_figure():
    s = Series("r", [Point("r", Period(2026, 1), 10, 1, satisfaction=4.0),
                     Point("r", Period(2026, 2), 10, 1, satisfaction=None)])
    assert s.trend("satisfaction") is None


def test_window_keeps_missing_months_as_gaps():
    s = series(("2026-01", 100, 10), ("2026-03", 100, 30))
    values = s.values("exception_rate", Period(2026, 3), 4)
    assert values == [None, pytest.approx(0.1), None, pytest.approx(0.3)]
    assert sparkline(values) == "·▁·█"


def test_sparkline():
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 5, 5]) == "▄▄▄"
    assert sparkline([None, None]) == "··"
    assert sparkline([]) == ""


def test_alert_above_threshold():
    alert = exception_rate_alert(series(("2026-01", 100, 10), ("2026-02", 100, 25)), 0.2, 2)
    assert alert.above_threshold and not alert.rising
    assert alert.message == "exception rate 25.0% in 2026-02 is above the 20% alert threshold"


def test_alert_rising_months_in_a_row():
    s = series(("2026-01", 100, 9), ("2026-02", 100, 8), ("2026-03", 100, 10),
               ("2026-04", 100, 12), ("2026-05", 100, 15))
    alert = exception_rate_alert(s, 0.2, 2)
    assert alert.rising and not alert.above_threshold
    assert [str(p) for p, _ in alert.run] == ["2026-02", "2026-03", "2026-04", "2026-05"]
    assert "rose 3 months in a row" in alert.message and "8.0% → 10.0% → 12.0% → 15.0%" in \
        alert.message
    assert exception_rate_alert(s, 0.2, 4) is None  # rose 3 months, not 4


def test_no_alert_when_flat_or_below():
    s = series(("2026-01", 1000, 100), ("2026-02", 1000, 102), ("2026-03", 1000, 104))
    assert exception_rate_alert(s, 0.2, 2) is None  # +0.2 point is not a rise
    assert exception_rate_alert(series(), 0.2, 2) is None
    assert exception_rate_alert(series(("2026-01", 0, 0)), 0.2, 2) is None


def test_period_arithmetic():
    assert str(Period(2026, 1).shift(-1)) == "2025-12"
    assert str(Period(2025, 12).shift(1)) == "2026-01"
    assert Period.parse("2026-3") == Period(2026, 3)
    assert Period.parse("2026-03-01") == Period(2026, 3)
    with pytest.raises(ValueError):
        Period.parse("2026-02-30")
    assert [str(p) for p in ind.months(Period(2026, 2), 3)] == ["2025-12", "2026-01", "2026-02"]


def test_column_letters():
    assert [ind.column_letter(i) for i in (1, 6, 26, 27)] == ["A", "F", "Z", "AA"]


def test_rate_alerts_for_review_due(make_registry):
    from livingsys.reading.indicator_policy import rate_alerts
    from livingsys.reading.registry import load_registry

    root = make_registry({"indicators.csv": HEADER + "reminders,2026-09,100,5,1,4\n"
                                                     "reminders,2026-10,100,8,1,4\n"
                                                     "reminders,2026-11,100,12,1,4\n"})
    registry = load_registry(root, today=TODAY)
    alerts = rate_alerts(registry, TODAY)
    assert list(alerts) == ["reminders"] and alerts["reminders"].rising
    assert rate_alerts(registry, dt.date(2026, 10, 31)) == {}  # one rise only by then
    assert rate_alerts(load_registry(make_registry(name="other")), TODAY) == {}
