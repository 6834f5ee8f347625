"""Shared fixtures: real registries in temporary folders, and the CLI runner."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "registry"


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """Output is not a terminal in tests: no $COLUMNS from the shell running them (a test
    that wants a width sets it)."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def demo_registry(tmp_path: Path) -> Path:
    """A copy of the bundled demo registry, safe to modify."""
    target = tmp_path / "registry"
    shutil.copytree(DEMO, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner):
    """Run `livingsys ARGS...` in-process; returns the click Result."""
    from livingsys.cli.main import app

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


MINIMAL = {
    "livingsys.yaml": """\
        organisation: Test SARL
        incident_channel: {kind: chat, where: "#incidents"}
        review: {default_cadence: monthly, chair: m.boss}
        """,
    "people.yaml": """\
        people:
          - {id: b.owner, name: Bea Owner, kind: business}
          - {id: t.tech, name: Tom Tech, kind: technical}
          - {id: m.boss, name: Max Boss, kind: manager}
        """,
    "rules/threshold.yaml": """\
        id: threshold
        name: Validation threshold
        statement: If the amount is over 5,000 EUR, then a manager validates.
        parameters: {amount_threshold_eur: 5000}
        """,
    "automations/reminders.yaml": """\
        id: reminders
        name: Payment reminders
        owner: b.owner
        maintainer: t.tech
        perimeter: first
        trigger: Every morning for unpaid invoices
        steps:
          - {id: detect, kind: automatic, does: List unpaid invoices}
          - {id: check, kind: human, does: Check the reminder, by: b.owner}
          - id: send
            kind: automatic
            does: Send the reminder
            sends: [{audience: client, channel: email, content: reminder-email}]
        rules:
          - id: remind
            if: no reply after 7 days
            then: send a reminder
        exceptions:
          - id: big
            if: amount over 5,000 EUR
            then: the manager validates
            handled_by: m.boss
        guardrails:
          daily_cap: 40
          notify_on_exception: {channel: "#finance"}
          kill_switch: Turn off the scenario 'Reminders' in Make
        uses_rules: [threshold]
        content:
          - {id: reminder-email, description: Standard reminder, valid_until: 2099-12-31}
        review: {cadence: monthly}
        tool: Make
        location: Make › Finance › scenario 'Reminders'
        """,
}


def write_files(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write ``files`` (path -> text, dedented; bytes as is; None deletes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def make_registry(tmp_path: Path):
    """Build a small valid registry, with some files replaced: make_registry({path: text})."""

    def make(overrides: dict[str, str | bytes | None] | None = None,
             name: str = "registry") -> Path:
        root = tmp_path / name
        write_files(root, {**MINIMAL, **(overrides or {})})
        return root

    return make
