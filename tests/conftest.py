"""Shared fixtures: real registries in temporary folders, and the CLI runner."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "registry"

# --------------------------------------------------------------------------------------------
# In CI (LIVINGSYS_CI=1, set by .ci/run) a skipped test is a failure, except these skips, which
# depend on the platform and not on a missing install step. Each pattern is matched against the
# start of the skip's reason.
ALLOWED_CI_SKIPS: dict[str, str] = {
    # tests/test_writing.py: Windows has no POSIX permission bits to keep.
    r"POSIX permissions": "Windows has no POSIX file modes",
    # tests/test_cases.py: named pipes (os.mkfifo) do not exist on Windows.
    r"no named pipes on this system": "Windows has no named pipes",
    # tests/test_site_browser.py: Chromium comes from Debian's package, which .ci/run installs
    # only as root with apt-get; it says so in LIVINGSYS_BROWSER_NOTE. A failed apt-get install
    # is not in this list: there the tests should have run.
    r"Chromium is not installed: .*\(not installed by \.ci/run: ": "no root or no apt-get",
}


def in_ci() -> bool:
    """True under .ci/run (LIVINGSYS_CI=1): skips outside ALLOWED_CI_SKIPS then fail."""
    return os.environ.get("LIVINGSYS_CI") == "1"


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under LIVINGSYS_CI=1, a test skipped for a cause not in ALLOWED_CI_SKIPS fails, so CI
    cannot go green with a test that never ran."""
    outcome = yield
    report = outcome.get_result()
    if not (in_ci() and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = _skip_reason(report)
    if any(re.match(pattern, reason) for pattern in ALLOWED_CI_SKIPS):
        return
    report.outcome = "failed"
    report.longrepr = (f"skipped in CI (LIVINGSYS_CI=1), which must run this test: {reason}\n"
                       "Install what it needs in .ci/run, or, if the skip depends on the "
                       "platform only, add its reason to ALLOWED_CI_SKIPS in tests/conftest.py.")


def shallow_clone_reason() -> str | None:
    """Why the demo registry's git history cannot be read here, if the one legitimate cause
    holds: this checkout is a shallow clone (git clone --depth), whose old commits are missing.
    Any other failure to read the history is a bug and its tests fail."""
    if shutil.which("git") is None:
        return None  # the tests that need git are skipped for that, by their own mark
    probe = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--is-shallow-repository"],
                           capture_output=True, text=True, check=False)
    if probe.stdout.strip() == "true":
        return ("this checkout is a shallow clone: the demo registry's history is cut "
                "(`git fetch --unshallow` brings it back)")
    return None


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """Output is not a terminal in tests: no $COLUMNS from the shell running them (a test
    that wants a width sets it)."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch):
    """Every test starts in English, whatever the shell's $LIVINGSYS_LANG, and leaves English
    behind (a test run in French does not make the next one French)."""
    from livingsys import i18n

    monkeypatch.delenv("LIVINGSYS_LANG", raising=False)
    i18n.use(None)
    yield
    i18n.use(None)


@pytest.fixture(autouse=True)
def _own_lint_cache(monkeypatch, tmp_path_factory):
    """Each test has a lint cache of its own, empty at first: never the user's ~/.cache, and
    no result kept from another test."""
    monkeypatch.setenv("LIVINGSYS_CACHE_DIR", str(tmp_path_factory.mktemp("lint-cache")))


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
