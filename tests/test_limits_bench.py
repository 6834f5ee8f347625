"""bench/limits_bench.py keeps working: each of its timed pieces runs once, and its table
prints. No timing is asserted (timed tests flake); `python bench/limits_bench.py` measures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "limits_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("limits_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["limits_bench"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("limits_bench", None)


def test_the_refusals_it_times_are_refusals(bench):
    bench.refuse(bench.TOO_LONG, 1, "too long")
    for expression in bench.TOO_DEEP:
        bench.refuse(expression, 1, "nested too deeply")
    with pytest.raises(AssertionError, match="not refused"):
        bench.refuse("vip", 0, "too long")


def test_its_references_compile(bench):
    bench.fresh(0)
    repeat, cold = bench.cold_then_repeated(0)
    assert repeat > 0 and cold > 0


def test_table(bench):
    table = bench.format_table([("demo lint", 2.0, 1.0), ("repeated", 0.002, 0.001)])
    lines = table.splitlines()
    assert lines[0].split() == ["what", "time", "s", "ref", "s", "ratio", "target"]
    assert lines[2].split() == ["demo", "lint", "2.0000", "1.0000", "2.00", "10x", "ok"]
    assert lines[3].split() == ["repeated", "0.0020", "0.0010", "2.00", "1x", "MISS"]
