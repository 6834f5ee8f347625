"""The benchmark's own code keeps working (run at a tiny size)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ROOT = Path(__file__).resolve().parents[1]


def test_bench_runs_small(tmp_path: Path) -> None:
    """The benchmark builds a valid registry, runs the real `livingsys review-due` on it and
    reports what it listed (no timing assertions: only that each side ran)."""
    repo = tmp_path / "repo"
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "history_bench.py"), "--files", "5",
         "--commits", "40", "--review-every", "10", "--review-size", "3", "--rule-every", "7",
         "--repeat", "1", "--json", "--keep", str(repo)],
        capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    # the real command ran, and so did the floor and the in-process detail
    assert result["review_due_s"] > 0 and result["floor_s"] > 0 and result["ratio"] > 0
    assert result["versions"] > 40 and result["history_s"] > 0
    listed = result["review_due"]
    assert listed["history_read"] is True and listed["invalid"] == 0
    assert listed["due"] + listed["not_due"] == 5
    # reasons of several kinds: rule 3, its own changes, the cadence
    assert {"shared_rule", "changed", "cadence"} <= set(listed["reasons"])

    # the generated registry is valid: lint passes it, and review-due's JSON is sane
    registry = repo / "registry"
    lint = subprocess.run([sys.executable, "-m", "livingsys", "lint", "--registry",
                           str(registry)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert (registry / "livingsys.yaml").is_file() and (registry / "people.yaml").is_file()
    assert list((registry / "rules").glob("*.yaml"))
    assert list((registry / "reviews").glob("*.yaml"))
    report = json.loads(subprocess.run(
        [sys.executable, "-m", "livingsys", "review-due", "--registry", str(registry),
         "--format", "json", "--as-of", result["as_of"]],
        capture_output=True, text=True, check=True).stdout)
    assert report["history"]["read"] is True
    items = report["due"] + report["not_due"]
    assert {i["automation"] for i in items} == {p.stem for p in
                                                 (registry / "automations").glob("*.yaml")}
    shared = [r for i in report["due"] for r in i["reasons"] if r["kind"] == "shared_rule"]
    assert shared and all(r["rule"] in i["uses_rules"] for i in report["due"]
                          for r in i["reasons"] if r["kind"] == "shared_rule")
    assert all(r["commits"] for r in shared)
    assert all(i["last_review"] and i["last_review"] <= result["as_of"] for i in items
               if i["last_review"])
