"""Every value of every command's --format reaches a renderer (cli.common.show): each gives
an output, JSON and SARIF parse, a calendar invite is one, and JSON only where asked."""

from __future__ import annotations

import json
from enum import Enum

import pytest

from livingsys.cli.agenda_cmd import AgendaFormat
from livingsys.cli.drift_cmd import DriftFormat
from livingsys.cli.lint_cmd import LintFormat
from livingsys.cli.report_cmd import ReportFormat
from livingsys.cli.review_due_cmd import DueFormat
from livingsys.cli.rules_cmd import RulesFormat

DAY = "2026-12-02"
COMMANDS: list[tuple[str, type[Enum], list[str]]] = [
    ("lint", LintFormat, ["--today", DAY]),
    ("rules", RulesFormat, []),
    ("report", ReportFormat, ["--as-of", DAY]),
    ("review-due", DueFormat, ["--as-of", DAY, "--no-history"]),
    ("agenda", AgendaFormat, ["--date", DAY, "--no-history"]),
    ("drift", DriftFormat, []),
]


@pytest.mark.parametrize(("command", "formats", "extra"), COMMANDS,
                         ids=[c for c, _, _ in COMMANDS])
def test_each_format_has_its_own_output(cli, demo_registry, command, formats, extra):
    where = [] if command == "rules" else ["--registry", str(demo_registry)]
    outputs = {}
    for fmt in formats:
        result = cli(command, *where, "--format", fmt.value, *extra)
        assert result.exit_code in (0, 1), result.output
        outputs[fmt.value] = result.stdout
        assert result.stdout.strip(), fmt.value
    for fmt, out in outputs.items():
        if fmt in ("json", "sarif"):
            json.loads(out)
        if fmt == "ics":
            assert out.startswith("BEGIN:VCALENDAR")
    # JSON is only where it was asked for
    assert all(out.lstrip()[:1] not in "{[" for fmt, out in outputs.items()
               if fmt not in ("json", "sarif"))
