"""lint on the demo registry and on the minimal one: clean, fast paths, exit codes."""

from __future__ import annotations

import json


def test_demo_registry_lints_clean(cli, demo_registry):
    result = cli("lint", "--registry", demo_registry)
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_minimal_registry_lints_clean(cli, make_registry):
    result = cli("lint", "-r", make_registry(), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["errors"] == 0
    assert data["summary"]["automations"] == 1


def test_missing_registry_is_a_usage_error(cli, tmp_path):
    result = cli("lint", "-r", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no registry folder" in result.output
    assert "Traceback" not in result.output


def test_version_does_not_import_heavy_modules():
    import subprocess
    import sys

    code = ("import sys; from livingsys.cli.main import app; "
            "heavy = [m for m in ('git', 'celpy', 'openpyxl', 'pydantic', 'ruamel.yaml') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
