"""The benchmark's own code keeps working (run at a tiny size)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_bench_runs_small(tmp_path: Path) -> None:
    """The benchmark's own code stays working (tiny size)."""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, str(root / "bench" / "history_bench.py"), "--files", "5",
         "--commits", "40", "--review-every", "10", "--repeat", "1", "--json"],
        capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["versions"] > 40 and result["ratio"] > 0
