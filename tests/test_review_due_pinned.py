"""review-due's JSON on a small generated history, pinned: speeding up how git is read, parsed
and compared must not move one change, commit, baseline, weight or rank.

The repository is bench/history_bench.py's, at a small size (6 automations, 300 commits:
shared rules changed, own changes, renames, old values, cadence); its commits have fixed
authors and dates, so their ids are the same on every machine. The sentences (reasons'
texts, details, notes, hints, descriptions) are left out of the pin: their wording is free to
change (and to be translated); what they are computed from is not. To accept a deliberate
change, run ``LIVINGSYS_PIN_UPDATE=1 pytest tests/test_review_due_pinned.py`` and read the
diff of tests/pinned/review_due_bench.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ROOT = Path(__file__).resolve().parents[1]
PIN = Path(__file__).parent / "pinned" / "review_due_bench.json"
#: Keys whose values are sentences for people, not data.
WORDS = {"basis", "description", "text", "details", "notes", "hint", "note"}
AS_OF = "2023-07-16"


def _bench():
    spec = importlib.util.spec_from_file_location("history_bench_pinned",
                                                  ROOT / "bench" / "history_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    return module


def _without_words(value, root: str):
    if isinstance(value, dict):
        return {k: _without_words(v, root) for k, v in value.items() if k not in WORDS}
    if isinstance(value, list):
        return [_without_words(v, root) for v in value]
    if isinstance(value, str):
        return value.replace(root, "<repo>")
    return value


def test_review_due_json_of_a_small_history_is_pinned(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "repo"
    _bench().build(repo, argparse.Namespace(files=6, commits=300, review_every=25,
                                            review_size=3, rule_every=20, days=200, seed=7))
    result = cli("review-due", "-r", repo / "registry", "-f", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    got = _without_words(json.loads(result.stdout), str(repo))
    if os.environ.get("LIVINGSYS_PIN_UPDATE"):
        PIN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    pinned = json.loads(PIN.read_text(encoding="utf-8"))
    # every reason kind the bench makes is in the pin
    kinds = {r["kind"] for item in pinned["due"] for r in item["reasons"]}
    assert {"shared_rule", "changed", "renamed", "old_value", "cadence"} <= kinds
    assert got == pinned
