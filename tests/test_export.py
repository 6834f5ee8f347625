"""`livingsys export`: the tracking sheet's columns and values, in CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

AS_OF = "2026-11-25"
HEADER = "automation,period,volume,exceptions,time_saved_hours,satisfaction\n"
COLUMNS = ["id", "name", "status", "owner", "maintainer", "key", "cadence", "last_review",
           "next_review", "review_due", "review_why", "period", "volume", "exception_rate",
           "time_saved_hours", "satisfaction", "trend"]


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_demo_csv_columns_and_values(cli, demo_registry):
    result = cli("export", "-r", demo_registry, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(COLUMNS)
    rows = {r["id"]: r for r in rows_of(result.stdout)}
    assert set(rows) == {"certificate-requests", "payment-reminders", "quote-follow-up",
                         "support-triage"}
    assert rows["payment-reminders"] == {
        "id": "payment-reminders", "name": "Payment reminders for unpaid invoices",
        "status": "active", "owner": "Nathalie Lefebvre", "maintainer": "Thomas Nguyen",
        "key": "yes", "cadence": "monthly", "last_review": "2026-11-18",
        "next_review": "2026-12-18", "review_due": "yes", "review_why": "exception rate rose "
        "3 months in a row (2026-08 to 2026-11: 8.6% → 9.3% → 10.9% → 13.7%)",
        "period": "2026-11", "volume": "226", "exception_rate": "0.1372",
        "time_saved_hours": "19", "satisfaction": "3.5", "trend": "up +2.8 pt"}
    assert rows["quote-follow-up"]["status"] == "paused"
    assert rows["quote-follow-up"]["satisfaction"] == ""
    assert rows["support-triage"]["trend"] == "down -5.1 pt"


def test_csv_without_indicators_keeps_the_columns_and_says_why(cli, make_registry):
    result = cli("export", "-r", make_registry(), "--as-of", AS_OF)
    assert result.exit_code == 0
    [row] = rows_of(result.stdout)
    assert list(row) == COLUMNS
    assert row["owner"] == "Bea Owner" and row["maintainer"] == "Tom Tech"
    assert row["volume"] == row["exception_rate"] == row["period"] == ""
    assert "no indicators yet" in result.stderr


def test_csv_with_a_review_and_one_month(cli, make_registry):
    root = make_registry({
        "indicators.csv": HEADER + "reminders,2026-11,120,18,6.5,\n",
        "reviews/2026-10-02.yaml": """\
            date: 2026-10-02
            attendees: [b.owner, m.boss]
            automations:
              - id: reminders
                answers: {rules_changed: "no", incidents: none, simplify: not yet}
            """,
    })
    [row] = rows_of(cli("export", "-r", root, "--as-of", AS_OF).stdout)
    assert (row["last_review"], row["next_review"]) == ("2026-10-02", "2026-11-02")
    assert (row["volume"], row["exception_rate"], row["time_saved_hours"]) == ("120", "0.15",
                                                                               "6.5")
    assert row["trend"] == ""  # one month: no trend yet


def test_as_of_leaves_later_months_out(cli, demo_registry):
    rows = {r["id"]: r for r in rows_of(cli("export", "-r", demo_registry, "--as-of",
                                              "2026-06-30").stdout)}
    assert rows["payment-reminders"]["period"] == "2026-06"
    assert rows["support-triage"]["period"] == ""


def test_empty_registry_exports_the_header(cli, make_registry):
    result = cli("export", "-r", make_registry({"automations/reminders.yaml": None}))
    assert result.exit_code == 0
    assert result.stdout.strip() == ",".join(COLUMNS)


def test_csv_to_a_file_and_never_over_an_existing_one(cli, demo_registry, tmp_path):
    target = tmp_path / "tracking.csv"
    result = cli("export", "-r", demo_registry, "-o", target)
    assert result.exit_code == 0 and "wrote" in result.stderr
    assert target.read_text("utf-8").startswith("id,name,status")
    target.write_text("mine", encoding="utf-8")
    result = cli("export", "-r", demo_registry, "-o", target)
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert target.read_text("utf-8") == "mine"
    assert cli("export", "-r", demo_registry, "-o", target, "--force").exit_code == 0
    assert target.read_text("utf-8").startswith("id,name,status")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_xlsx_needs_a_file(cli, demo_registry):
    result = cli("export", "-r", demo_registry, "--format", "xlsx")
    assert result.exit_code == 2
    assert "binary file" in result.output and "-o tracking.xlsx" in result.output


def test_xlsx_read_back(cli, demo_registry, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "tracking.xlsx"
    result = cli("export", "-r", demo_registry, "-o", target, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "12 monthly sheets" in result.stderr
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:3] == ["Tracking", "2026-11", "2026-10"]
    assert workbook.sheetnames[-1] == "2025-12" and len(workbook.sheetnames) == 13

    tracking = workbook["Tracking"]
    header = [c.value for c in tracking[1]]
    assert header == ["Automation", "Name", "Status", "Business owner", "Maintainer", "Key",
                      "Review cadence", "Last review", "Next review due", "Review due now",
                      "Why a review is due", "Figures of",
                      "Volume", "Exception rate", "Time saved (h)", "Satisfaction (1-5)",
                      "Exception rate trend"]
    assert all(c.font.b for c in tracking[1])
    assert tracking.freeze_panes == "A2"
    assert tracking.auto_filter.ref == "A1:Q5"
    assert tracking.column_dimensions["B"].width > tracking.column_dimensions["F"].width
    rows = {r[0]: r for r in tracking.iter_rows(min_row=2, values_only=True)}
    reminders = dict(zip(header, rows["payment-reminders"], strict=False))
    assert reminders["Business owner"] == "Nathalie Lefebvre"
    assert reminders["Volume"] == 226
    assert reminders["Exception rate"] == pytest.approx(0.1372)
    assert reminders["Last review"].date() == dt.date(2026, 11, 18)
    assert reminders["Next review due"].date() == dt.date(2026, 12, 18)
    rate_cell = tracking.cell(row=2, column=header.index("Exception rate") + 1)
    assert rate_cell.number_format == "0.0%"

    november = workbook["2026-11"]
    assert november.freeze_panes == "A2"
    assert [c.value for c in november[1]] == ["Automation", "Name", "Volume", "Exceptions",
                                              "Exception rate", "Time saved (h)",
                                              "Satisfaction (1-5)"]
    month_rows = {r[0]: r for r in november.iter_rows(min_row=2, values_only=True)}
    assert month_rows["support-triage"][2:5] == (768, 192, 0.25)
    first = workbook["2025-12"]
    assert [r[0] for r in first.iter_rows(min_row=2, values_only=True)] == ["quote-follow-up"]


def test_format_follows_the_file_name(cli, demo_registry, tmp_path):
    target = tmp_path / "tracking.xlsx"
    assert cli("export", "-r", demo_registry, "-o", target).exit_code == 0
    assert target.read_bytes()[:2] == b"PK"


def test_xlsx_without_indicators_has_only_the_tracking_sheet(cli, make_registry, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "tracking.xlsx"
    assert cli("export", "-r", make_registry(), "-o", target).exit_code == 0
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Tracking"]
    assert workbook["Tracking"].max_row == 2


def test_export_does_not_import_openpyxl_for_csv():
    import subprocess
    import sys

    code = ("import sys; from livingsys.ritual.export import build_tracking, to_csv; "
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
