"""`livingsys report`: the content of each section, in text, JSON and Markdown."""

from __future__ import annotations

import json
import re

import pytest

from livingsys.render.sparkline import SPARK_BARS

AS_OF = "2026-11-25"
HEADER = "automation,period,volume,exceptions,time_saved_hours,satisfaction\n"

#: An automation that misses most of the checklist: no steps, no rules, no exceptions, a
#: technical owner, no guardrails.
SKETCH = """\
    id: sketch
    name: Half-written automation
    owner: t.tech
    trigger: Someday
    """


def report_json(cli, root, *extra):
    result = cli("report", "-r", root, "--format", "json", "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def report_text(cli, root, *extra):
    result = cli("report", "-r", root, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.output
    return result.output


# -- the demo registry -----------------------------------------------------------------------


def test_demo_text_report(cli, demo_registry):
    out = report_text(cli, demo_registry)
    assert "Dauphiné Fournitures SAS — automations report as of 2026-11-25" in out
    assert "4 automations: 3 active, 1 paused" in out
    assert "lint ✓ clean" in out and "figures up to 2026-11" in out
    # by owner, with names from people.yaml
    assert re.search(r"Nathalie Lefebvre\s+payment-reminders \(key\)", out)
    assert re.search(r"Marc Petit\s+quote-follow-up \(paused since 2026-11-03\)", out)
    # reviews due: by cadence and by the exception rate (the demo's review of 2026-11-18
    # reset the cadence of three automations; certificate-requests was never reviewed)
    assert re.search(r"certificate-requests\s+quarterly: never reviewed — due now", out)
    assert re.search(r"payment-reminders\s+key\s+exception rate rose 3 months in a row", out)
    assert "exception rate rose 3 months in a row" in out
    assert "exception rate 25.0% in 2026-11 is above the 20% alert threshold" in out
    # indicators: last month's figures, a sparkline and the trend
    section = out[out.index("INDICATORS"):]
    line = next(ln for ln in section.splitlines() if ln.lstrip().startswith("payment-reminders")
                and "%" in ln)
    assert "226" in line and "13.7%" in line and "+2.8 pt" in line and "19.0 h" in line
    assert re.search(f"[{SPARK_BARS}·]{{12}}", line)
    assert "↑" in line and "!" in line
    # checklist
    assert "CHECKLIST" in out and "8/8  payment-reminders" in out


def test_demo_text_fits_100_columns(cli, demo_registry, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = report_text(cli, demo_registry)
    assert max(len(line) for line in out.splitlines()) <= 100


def test_demo_json_has_the_numbers(cli, demo_registry):
    data = report_json(cli, demo_registry)
    assert data["as_of"] == AS_OF
    assert data["automations"]["by_status"] == {"active": 3, "paused": 1, "retired": 0}
    assert data["lint"] == {"errors": 0, "warnings": 0, "top": [], "not_checked": [],
                            "unreadable": False, "silenced": {"policy": [], "waivers": []}}
    section = data["indicators"]
    assert section["state"] == "ok" and section["period"] == "2026-11"
    assert section["months"][0] == "2025-12" and len(section["months"]) == 12
    by_id = {a["automation"]: a for a in section["automations"]}
    reminders = by_id["payment-reminders"]
    assert reminders["last"] == {"period": "2026-11", "volume": 226, "exceptions": 31,
                                 "exception_rate": 0.1372, "time_saved_hours": 19.0,
                                 "satisfaction": 3.5}
    assert reminders["trends"]["exception_rate"]["direction"] == "up"
    assert reminders["trends"]["exception_rate"]["delta_points"] == pytest.approx(2.79, abs=0.01)
    assert reminders["rate_last_3_months"] == pytest.approx((20 + 26 + 31) / (214 + 238 + 226),
                                                            abs=1e-4)
    assert reminders["alert"]["rising"] and not reminders["alert"]["above_threshold"]
    assert by_id["support-triage"]["alert"]["above_threshold"]
    assert by_id["certificate-requests"]["alert"] is None
    # months before support-triage started are gaps, not zeros
    assert by_id["support-triage"]["months"][:8] == [None] * 8
    due = {d["automation"]: d for d in data["reviews_due"]}
    assert set(due) == {"payment-reminders", "support-triage", "certificate-requests",
                        "quote-follow-up"}
    assert [r["kind"] for r in due["payment-reminders"]["reasons"]] == ["indicators"]
    assert due["payment-reminders"]["schedule"]["last_review"] == "2026-11-18"
    assert [r["kind"] for r in due["certificate-requests"]["reasons"]] == ["cadence"]
    assert due["certificate-requests"]["schedule"]["state"] == "never-reviewed"
    assert all(c["score"] == 8 for c in data["checklist"])


def test_demo_markdown(cli, demo_registry):
    result = cli("report", "-r", demo_registry, "--format", "markdown", "--as-of", AS_OF)
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("# Dauphiné Fournitures SAS — automations report")
    for title in ("## Automations by business owner", "## Reviews due", "## Indicators",
                  "## Checklist"):
        assert title in out
    assert "| `payment-reminders` | 226 ↓ |" in out
    assert "| 8/8 | `support-triage` | — |" in out


def test_as_of_leaves_later_months_and_reviews_out(cli, demo_registry):
    data = report_json(cli, demo_registry, "--as-of", "2026-06-30")
    assert data["as_of"] == "2026-06-30"
    section = data["indicators"]
    assert section["period"] == "2026-06" and section["months"][-1] == "2026-06"
    ids = {a["automation"] for a in section["automations"]}
    assert "support-triage" in section["without_figures"] and "support-triage" not in ids


def test_months_option(cli, demo_registry):
    data = report_json(cli, demo_registry, "--months", "6")
    assert data["indicators"]["months"] == ["2026-06", "2026-07", "2026-08", "2026-09",
                                            "2026-10", "2026-11"]


# -- edge cases ------------------------------------------------------------------------------


def test_no_indicators_says_what_is_missing(cli, make_registry):
    root = make_registry()
    out = report_text(cli, root)
    assert "no indicators yet: add" in out
    assert "indicators.csv (see `livingsys help indicators`)" in " ".join(out.split())
    data = report_json(cli, root)
    assert data["indicators"]["state"] == "missing"
    assert data["indicators"]["automations"] == []


def test_one_month_only_has_no_trend(cli, make_registry):
    root = make_registry({"indicators.csv": HEADER + "reminders,2026-11,120,18,6.5,4\n"})
    data = report_json(cli, root)
    [item] = data["indicators"]["automations"]
    assert item["last"]["exception_rate"] == 0.15
    assert item["trends"] == {"volume": None, "exception_rate": None,
                              "time_saved_hours": None, "satisfaction": None}
    assert item["alert"] is None
    out = report_text(cli, root)
    line = next(ln for ln in out.splitlines() if ln.lstrip().startswith("reminders") and "%"
                in ln)
    assert "120 ▄" in line and "15.0% ▄" in line
    assert data["indicators"]["months"] == ["2026-11"]
    assert not set("↑↓→") & set(line)


def test_never_reviewed_and_reviewed(cli, make_registry):
    root = make_registry({
        "automations/triage.yaml": """\
            id: triage
            name: Triage
            owner: b.owner
            steps: [{id: sort, kind: ai, does: Sorts emails}]
            rules: [{id: r, if: an email arrives, then: sort it}]
            exceptions: [{id: e, if: unsure, then: a person sorts it, handled_by: b.owner}]
            guardrails: {kill_switch: Turn it off in n8n}
            review: {cadence: quarterly}
            """,
        "reviews/2026-09-15.yaml": """\
            date: 2026-09-15
            attendees: [b.owner, m.boss]
            automations:
              - id: reminders
                answers: {rules_changed: "no", incidents: none, simplify: not yet}
            """,
    })
    out = report_text(cli, root)
    assert re.search(r"triage\s+quarterly: never reviewed — due now", out)
    assert re.search(r"reminders\s+key\s+monthly: last reviewed 2026-09-15, due 2026-10-15 — "
                     r"41 days overdue", out) or "41 days overdue" in out
    data = report_json(cli, root)
    due = [d["automation"] for d in data["reviews_due"]]
    assert due == ["triage", "reminders"]  # never reviewed first, then the most overdue


def test_upcoming_reviews_are_listed(cli, make_registry):
    root = make_registry({"reviews/2026-11-20.yaml": """\
        date: 2026-11-20
        attendees: [b.owner, m.boss]
        automations:
          - id: reminders
            answers: {rules_changed: "no", incidents: none, simplify: not yet}
        """})
    out = report_text(cli, root)
    assert "REVIEWS DUE" in out and "none" in out
    assert "next: reminders 2026-12-20" in out


def test_empty_registry(cli, make_registry):
    root = make_registry({"automations/reminders.yaml": None})
    out = report_text(cli, root)
    assert "no automations ·" in out and "no automations yet" in out
    data = report_json(cli, root)
    assert data["automations"]["total"] == 0 and data["checklist"] == []
    assert data["reviews_due"] == []
    md = cli("report", "-r", root, "--format", "markdown").output
    assert "No automations yet" in md


def test_checklist_worst_first_names_what_is_missing(cli, make_registry):
    root = make_registry({"automations/sketch.yaml": SKETCH})
    data = report_json(cli, root)
    first, second = data["checklist"]
    assert first["automation"] == "sketch" and second["automation"] == "reminders"
    assert second["score"] == 8 and second["missing"] == []
    # the sketch messages nobody: G010 asks no guardrail of it, and neither does the checklist
    assert first["score"] == 3 and first["out_of"] == 8
    assert first["missing"] == ["process drawn", "automatic/human steps", "if/then rules",
                                "business owner", "exceptions defined"]
    owner = next(i for i in first["items"] if i["item"] == "business_owner")
    assert owner["why"] == "owner 't.tech' (Tom Tech) is a person of kind technical, not business"
    assert owner["checks"] == ["G002", "G003"]
    out = report_text(cli, root)
    checklist = out[out.index("CHECKLIST"):]
    assert checklist.index("3/8  sketch") < checklist.index("8/8  reminders")
    assert "missing: process drawn (has no drawn flow (0 step(s)))" in checklist


def test_incident_channel_is_scored_for_every_automation(cli, make_registry):
    root = make_registry({"livingsys.yaml": "organisation: Test SARL\n"
                                            "review: {default_cadence: monthly}\n"})
    [score] = report_json(cli, root)["checklist"]
    assert score["score"] == 7 and score["missing"] == ["incident channel"]


def test_lint_state_and_top_findings(cli, make_registry):
    root = make_registry({"automations/sketch.yaml": SKETCH})
    data = report_json(cli, root)
    assert data["lint"]["errors"] > 0
    assert data["lint"]["top"][0]["severity"] == "error"
    out = report_text(cli, root)
    assert re.search(r"lint ✗ \d+ errors", out)
    assert "`livingsys lint` shows them all" in out
    assert "G002" in out or "G005" in out


def test_unusable_indicators_say_so(cli, make_registry):
    root = make_registry({"indicators.csv": HEADER + "nobody,2026-01,10,1,1,4\n"})
    out = " ".join(report_text(cli, root).split())
    assert "has no usable row: 1 row(s) with errors (run `livingsys lint`)" in out
    assert "lint ✗ 1 error" in out


def test_automation_without_figures_is_named(cli, make_registry):
    root = make_registry({"automations/sketch.yaml": SKETCH,
                          "indicators.csv": HEADER + "reminders,2026-10,100,10,5,4\n"
                                                     "reminders,2026-11,100,30,5,4\n"})
    data = report_json(cli, root)
    assert data["indicators"]["without_figures"] == ["sketch"]
    out = report_text(cli, root)
    assert "no figures:  sketch" in out
    assert "exception rate 30.0% in 2026-11 is above the 20% alert threshold" in out


def test_threshold_comes_from_the_settings(cli, make_registry):
    settings = """\
        organisation: Test SARL
        incident_channel: {kind: chat, where: "#incidents"}
        review: {default_cadence: monthly}
        indicators: {exception_rate_alert: 0.4, rising_months: 3}
        """
    root = make_registry({"livingsys.yaml": settings,
                          "indicators.csv": HEADER + "reminders,2026-10,100,10,5,4\n"
                                                     "reminders,2026-11,100,30,5,4\n"})
    data = report_json(cli, root)
    assert data["indicators"]["exception_rate_alert"] == 0.4
    assert data["indicators"]["automations"][0]["alert"] is None


def test_long_ids_still_fit(cli, make_registry, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    long_id = "a-very-long-automation-identifier-that-goes-on-and-on"
    text = SKETCH.replace("id: sketch", f"id: {long_id}")
    root = make_registry({f"automations/{long_id}.yaml": text,
                          "indicators.csv": HEADER + f"{long_id},2026-11,123456,12345,"
                                                     "1234.5,4\n"})
    out = report_text(cli, root)
    assert max(len(line) for line in out.splitlines()) <= 100


def test_missing_registry_is_a_usage_error(cli, tmp_path):
    result = cli("report", "-r", tmp_path / "nowhere")
    assert result.exit_code == 2 and "no registry folder" in result.output


def test_bad_as_of(cli, demo_registry):
    result = cli("report", "-r", demo_registry, "--as-of", "yesterday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
