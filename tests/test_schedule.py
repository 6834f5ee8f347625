"""schedule.py: last review, cadence and next review date of each automation, without git."""

from __future__ import annotations

import datetime as dt
import textwrap

from conftest import MINIMAL

from livingsys.registry import load_registry
from livingsys.schedule import add_months, review_schedule

D = dt.date


def review(date: str, *ids: str) -> str:
    items = "".join(f"  - id: {i}\n    answers: {{rules_changed: 'no', incidents: none, "
                    "simplify: not yet}\n" for i in ids)
    return f"date: {date}\nattendees: [b.owner, t.tech]\nautomations:\n{items}"


def triage(extra: str = "") -> str:
    """A second automation, quarterly unless ``extra`` says otherwise."""
    text = textwrap.dedent(MINIMAL["automations/reminders.yaml"])
    return text.replace("id: reminders", "id: triage").replace(
        "review: {cadence: monthly}", extra or "review: {cadence: quarterly}")


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)


def test_never_reviewed_is_due_now(make_registry):
    schedule = review_schedule(load_registry(make_registry()), D(2026, 11, 25))
    item = schedule.get("reminders")
    assert item.never_reviewed and item.due and not item.overdue
    assert item.next_due == D(2026, 11, 25) and item.days_overdue == 0
    assert item.state == "never-reviewed"
    assert item.describe() == "never reviewed — due now"
    assert [i.automation for i in schedule.due] == ["reminders"]


def test_overdue_after_the_cadence(make_registry):
    root = make_registry({"reviews/2026-09-15.yaml": review("2026-09-15", "reminders")})
    item = review_schedule(load_registry(root), D(2026, 11, 25)).get("reminders")
    assert item.last_review == D(2026, 9, 15)
    assert item.last_review_file.endswith("reviews/2026-09-15.yaml")
    assert (item.cadence, item.cadence_source) == ("monthly", "automation")
    assert item.next_due == D(2026, 10, 15)
    assert item.overdue and item.days_overdue == 41
    assert item.describe() == ("last reviewed 2026-09-15, due 2026-10-15 — 41 days overdue")


def test_latest_review_counts_and_later_reviews_are_ignored_as_of(make_registry):
    root = make_registry({
        "reviews/2026-09-15.yaml": review("2026-09-15", "reminders"),
        "reviews/2026-11-10.yaml": review("2026-11-10", "reminders"),
    })
    registry = load_registry(root)
    item = review_schedule(registry, D(2026, 11, 25)).get("reminders")
    assert item.last_review == D(2026, 11, 10) and item.next_due == D(2026, 12, 10)
    assert not item.due and item.state == "ok" and item.days_until_due == 15
    earlier = review_schedule(registry, D(2026, 10, 1)).get("reminders")
    assert earlier.last_review == D(2026, 9, 15) and earlier.next_due == D(2026, 10, 15)


def test_due_today_is_due_but_not_overdue(make_registry):
    root = make_registry({"reviews/2026-10-25.yaml": review("2026-10-25", "reminders")})
    item = review_schedule(load_registry(root), D(2026, 11, 25)).get("reminders")
    assert item.due and not item.overdue and item.state == "due"


def test_quarterly_and_upcoming(make_registry):
    root = make_registry({
        "automations/triage.yaml": triage(),
        "reviews/2026-10-01.yaml": review("2026-10-01", "reminders", "triage"),
    })
    schedule = review_schedule(load_registry(root), D(2026, 11, 25))
    triage_item = schedule.get("triage")
    assert triage_item.next_due == D(2027, 1, 1) and not triage_item.due
    assert [i.automation for i in schedule.due] == ["reminders"]
    assert [i.automation for i in schedule.upcoming] == ["triage"]


def test_default_cadence_from_settings(make_registry):
    root = make_registry({"automations/triage.yaml": triage("key: false")})
    item = review_schedule(load_registry(root), D(2026, 11, 25)).get("triage")
    assert (item.cadence, item.cadence_source) == ("monthly", "default")


def test_no_cadence_anywhere(make_registry):
    root = make_registry({
        "automations/triage.yaml": triage("key: false"),
        "livingsys.yaml": "organisation: Test SARL\n",
    })
    schedule = review_schedule(load_registry(root), D(2026, 11, 25))
    item = schedule.get("triage")
    assert item.cadence is None and item.next_due is None and not item.due
    assert item.state == "no-cadence"
    assert [i.automation for i in schedule.without_cadence] == ["triage"]


def test_retired_is_never_due(make_registry):
    text = triage().replace("owner: b.owner", "status: retired\nstatus_reason: replaced\n"
                            "status_since: 2026-01-01\nowner: b.owner")
    root = make_registry({"automations/triage.yaml": text})
    item = review_schedule(load_registry(root), D(2026, 11, 25)).get("triage")
    assert item.state == "retired" and not item.due and item.next_due is None


def test_invalid_review_file_is_not_counted(make_registry):
    root = make_registry({"reviews/2026-11-01.yaml": "date: 2026-11-01\nattendees: []\n"})
    item = review_schedule(load_registry(root), D(2026, 11, 25)).get("reminders")
    assert item.never_reviewed


def test_due_order_never_reviewed_then_most_overdue(make_registry):
    root = make_registry({
        "automations/triage.yaml": triage("review: {cadence: monthly}"),
        "automations/certs.yaml": triage().replace("id: triage", "id: certs"),
        "reviews/2026-08-01.yaml": review("2026-08-01", "triage"),
        "reviews/2026-10-01.yaml": review("2026-10-01", "reminders"),
    })
    schedule = review_schedule(load_registry(root), D(2026, 11, 25))
    assert [i.automation for i in schedule.due] == ["certs", "triage", "reminders"]
    assert schedule.to_dict()["items"][0]["state"]


def test_empty_registry(make_registry):
    root = make_registry({"automations/reminders.yaml": None})
    schedule = review_schedule(load_registry(root), D(2026, 11, 25))
    assert schedule.items == () and schedule.due == []
