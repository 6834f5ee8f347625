"""schedule.py: last review, cadence and next review date of each automation, without git."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from conftest import MINIMAL
from livingsys.reading.registry import load_registry
from livingsys.ritual.schedule import add_months, review_schedule

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


# ------------------------------------------------------------------------------------------
# the effective cadence is judged once (G011, the checklist, review-due): quarterly at most


def _default(make_registry, cadence: str, policy: str = ""):
    """reminders without its own cadence, following livingsys.yaml's ``cadence``, reviewed
    on 2026-07-01."""
    return make_registry({
        "livingsys.yaml": "organisation: Test SARL\n"
                          "incident_channel: {kind: chat, where: '#incidents'}\n"
                          f"review: {{default_cadence: {cadence}, chair: m.boss}}\n" + policy,
        "automations/reminders.yaml": textwrap.dedent(MINIMAL["automations/reminders.yaml"])
        .replace("review: {cadence: monthly}\n", ""),
        "reviews/2026-07-01.yaml": review("2026-07-01", "reminders"),
    })


def test_a_default_beyond_quarterly_is_reviewed_quarterly(make_registry):
    item = review_schedule(load_registry(_default(make_registry, "yearly")),
                           D(2026, 11, 25)).get("reminders")
    assert (item.cadence, item.cadence_source, item.cadence_set) == (
        "quarterly", "default", "yearly")
    assert item.next_due == D(2026, 10, 1) and item.overdue  # not 2027-07-01
    assert item.describe().endswith("(livingsys.yaml's default says yearly, longer than "
                                    "allowed: reviewed quarterly)")


def test_a_quarterly_default_is_followed_as_written(make_registry):
    item = review_schedule(load_registry(_default(make_registry, "quarterly")),
                           D(2026, 11, 25)).get("reminders")
    assert (item.cadence, item.cadence_set) == ("quarterly", None)
    assert item.next_due == D(2026, 10, 1) and "longer" not in item.describe()


def test_the_policy_limit_is_the_one_followed(make_registry):
    allowed = _default(make_registry, "semiannual",
                       "policy: {checks: {G011: {max_cadence: semiannual}}}\n")
    item = review_schedule(load_registry(allowed), D(2026, 11, 25)).get("reminders")
    assert (item.cadence, item.next_due, item.due) == ("semiannual", D(2027, 1, 1), False)


def test_the_checklist_judges_the_default_like_lint(make_registry, cli):
    from livingsys.ritual.checklist import score_registry

    for cadence, why in (("quarterly", None),
                         # the checklist says what lint says (G011 in livingsys.yaml)
                         ("semiannual", "the default review cadence 'semiannual' is longer "
                                        "than quarterly")):
        root = _default(make_registry, cadence)
        (score,) = score_registry(load_registry(root))
        item = next(i for i in score.items if i.key == "review_scheduled")
        assert item.why == why
        result = cli("lint", "-r", root, "--today", "2026-11-25", "--format", "json")
        g011 = [f for f in json.loads(result.stdout)["findings"]
                if f["code"] == "G011"]
        assert len(g011) == (0 if why is None else 1)


def test_review_due_follows_the_held_cadence(make_registry, cli):
    root = _default(make_registry, "yearly")
    result = cli("review-due", "-r", root, "--as-of", "2026-11-25", "--no-history", "-f", "json")
    (item,) = json.loads(result.stdout)["due"]
    assert item["automation"] == "reminders"
    assert any(r["kind"] == "cadence" and "quarterly review due since 2026-10-01" in r["text"]
               for r in item["reasons"])
