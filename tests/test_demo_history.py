"""This repository's own registry/ history is the example of rule 3 at work.

Its commits log the quote follow-up incident, record the review of 18 November, then lower the
shared validation threshold (5,000 -> 3,000 EUR) without touching the automations, then make
the two automations read the shared threshold instead of repeating it: review-due must list
the two automations that use the rule. Skipped only where the clone is shallow (its old
commits are not there); any other failure to read the history fails.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import DEMO, shallow_clone_reason

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
AS_OF = "2026-11-25"


@pytest.fixture
def due(cli):
    if reason := shallow_clone_reason():
        pytest.skip(reason)
    result = cli("review-due", "-r", DEMO, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rule_3_the_threshold_change_makes_its_automations_due(due):
    by_id = {i["automation"]: i for i in due["due"]}
    for automation in ("payment-reminders", "quote-follow-up"):
        item = by_id[automation]
        assert item["last_review"] == "2026-11-18"
        assert item["baseline"]["source"] == "registry_commit"
        reason = next(r for r in item["reasons"] if r["kind"] == "shared_rule")
        assert reason["text"] == ("shared key rule 'manager-validation-threshold' changed "
                                  "since the last review (rule 3)")
        change = next(c for c in reason["changes"]
                      if c["field"] == "parameters.amount_threshold_eur")
        assert (change["old"], change["new"]) == (5000, 3000)
        # Since the commit "finance: ... read the shared threshold" the automations read
        # rules.manager_validation_threshold.amount_threshold_eur: nothing still writes the
        # old 5000, and that edit is a change of their own since the review.
        assert not any(d.startswith("still written") for d in reason["details"])
        own = next(r for r in item["reasons"] if r["kind"] == "changed")
        assert any("rules.manager_validation_threshold.amount_threshold_eur" in str(c["new"])
                   for c in own["changes"])
    # support-triage was reviewed the same day and does not use the rule
    triage = next(i for i in due["due"] + due["not_due"] if i["automation"] == "support-triage")
    assert all(r["kind"] != "shared_rule" for r in triage["reasons"])


def test_the_agenda_of_the_demo(cli, due):
    result = cli("agenda", "-r", DEMO, "--date", AS_OF, "-f", "markdown")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# Automation review — 2026-11-25")
    assert "## 1. `payment-reminders`" in out and "## 2. `quote-follow-up`" in out
    assert "**Opening** — actions decided at the review of 2026-11-18:" in out
    assert "parameter 'amount_threshold_eur' changed from 5000 to 3000" in out
    assert out.count("1. Have the business rules changed?") >= 3
    assert "```bash\nlivingsys review record " in out and "--date 2026-11-25" in out
