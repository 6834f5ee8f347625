"""The benchmark's pieces at a tiny size: its registries lint clean and its table prints.

No timing is asserted (timed tests flake); `python bench/lint_bench.py` measures.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "lint_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("lint_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["lint_bench"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("lint_bench", None)


def test_generated_registry_lints_clean(bench, cli, tmp_path):
    root = bench.generate(tmp_path / "registry", 20)
    automations = sorted((root / "automations").glob("*.yaml"))
    assert len(automations) == 20
    assert len((root / "people.yaml").read_text("utf-8").split("- id: ")) - 1 == 50
    text = "".join(p.read_text("utf-8") for p in automations)
    assert text.count("when: ") >= 60  # conditions stay in, for lint's condition checks
    result = cli("lint", "--registry", root, "--format", "json", "--today", bench.TODAY)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert summary["automations"] == 20
    assert summary["errors"] == summary["warnings"] == 0


def test_generation_is_deterministic(bench, tmp_path):
    one = bench.generate(tmp_path / "one", 5)
    two = bench.generate(tmp_path / "two", 5)
    files = sorted(p.relative_to(one) for p in one.rglob("*.yaml"))
    assert files == sorted(p.relative_to(two) for p in two.rglob("*.yaml"))
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def test_table(bench):
    rows = [bench.Row(1000, 1.2, 1.0, "CBaseLoader", 4.0),
            bench.Row(10000, 16.0, 10.0, "CBaseLoader", 12.0)]
    table = bench.format_table(rows).splitlines()
    assert table[0].split() == ["size", "lint", "s", "bare", "s", "cjs", "s", "lint/bare",
                                "lint/cjs"]
    assert table[2].split() == ["1,000", "1.200", "1.000", "4.000", "1.20", "ok", "0.30", "ok"]
    assert table[3].split() == ["10,000", "16.000", "10.000", "12.000", "1.60", "MISS", "1.33",
                                "MISS"]


def test_schema_export(bench, tmp_path):
    schema = json.loads(bench.export_schema(tmp_path / "automation.json").read_text("utf-8"))
    assert "steps" in schema["properties"] and "if" in schema["$defs"]["Rule"]["properties"]


def test_whole_bench_runs_at_a_tiny_size(bench, capsys, tmp_path):
    pytest.importorskip("check_jsonschema")
    bench.main(["--sizes", "20", "--repeat", "1", "--keep", str(tmp_path / "bench")])
    out = capsys.readouterr().out
    assert "livingsys --version:" in out and "heavy: none" in out
    assert "lint: clean" in out
    header = next(i for i, line in enumerate(out.splitlines()) if line.split()[:1] == ["size"])
    assert out.splitlines()[header + 2].split()[0] == "20"
