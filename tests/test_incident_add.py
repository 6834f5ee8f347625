"""`livingsys incident add`: incidents validated, named after the date and summary, never
overwritten."""

from __future__ import annotations

import datetime as dt

import pytest

from livingsys.models import Incident
from livingsys.reading.validation import validate
from livingsys.reading.yamlsource import parse
from livingsys.ritual.recording import slug


def read_incident(path):
    doc = parse(path.read_text("utf-8"), str(path))
    assert not doc.findings
    model, findings = validate(Incident, doc.data, str(path))
    assert model is not None, findings
    return model


def test_logs_an_incident(cli, make_registry):
    root = make_registry()
    result = cli("incident", "add", "-r", root, "--automation", "reminders",
                 "--summary", "Relances envoyées en double à 12 clients !", "--severity", "high",
                 "--date", "2024-01-15", "--reported-by", "b.owner",
                 "--action-taken", "Paused with its kill switch, duplicates apologised for")
    assert result.exit_code == 0, result.output
    path = root / "incidents" / "2024-01-15-relances-envoyees-en-double-a-12-clients.yaml"
    assert path.is_file()
    incident = read_incident(path)
    assert incident.date == dt.date(2024, 1, 15) and incident.automation == "reminders"
    assert incident.summary == "Relances envoyées en double à 12 clients !"
    assert incident.severity == "high" and incident.status == "open"
    assert incident.reported_by == "b.owner"
    assert incident.action_taken == "Paused with its kill switch, duplicates apologised for"
    assert path.read_text().startswith("# Incident on reminders")
    assert "git add" in result.stdout


def test_same_name_gets_a_number_never_overwrites(cli, make_registry):
    root = make_registry()
    args = ("incident", "add", "-r", root, "-a", "reminders", "-s", "Sent twice", "--date",
            "2024-01-15")
    for _ in range(3):
        assert cli(*args).exit_code == 0
    names = sorted(p.name for p in (root / "incidents").iterdir())
    assert names == ["2024-01-15-sent-twice-2.yaml", "2024-01-15-sent-twice-3.yaml",
                     "2024-01-15-sent-twice.yaml"]


def test_default_date_is_today_and_severity_medium(cli, make_registry):
    root = make_registry()
    assert cli("incident", "add", "-r", root, "-a", "reminders", "-s", "Odd email").exit_code == 0
    [path] = (root / "incidents").iterdir()
    incident = read_incident(path)
    assert incident.date == dt.date.today() and incident.severity == "medium"


@pytest.mark.parametrize("summary, expected", [
    ("Relances envoyées en double !", "relances-envoyees-en-double"),
    ("A very long summary that goes on and on about what happened to the reminders",
     "a-very-long-summary-that-goes-on-and-on"),
    ("Ünïcödé ✓ only", "unicode-only"),
    ("✓✓✓", "incident"),
    ("../../etc/passwd", "etc-passwd"),
    ("Supercalifragilisticexpialidocious-and-then-some-more-letters",
     "supercalifragilisticexpialidocious-and"),
])
def test_slug(summary, expected):
    assert slug(summary) == expected
    assert len(slug(summary)) <= 40


@pytest.mark.parametrize("args, message", [
    (("-a", "remindrs", "-s", "x"), "did you mean 'reminders'?"),
    (("-a", "reminders", "-s", "x", "--reported-by", "nobody"),
     "reporter 'nobody' is not in people.yaml"),
    (("-a", "reminders", "-s", "x", "--date", "2999-01-01"), "is in the future"),
    (("-a", "reminders", "-s", "   "), "the summary is empty"),
    (("-a", "reminders",), "missing value: --summary"),
    (("-a", "reminders", "-s", "x", "--severity", "huge"), "huge"),
])
def test_bad_input_is_refused_plainly(cli, make_registry, args, message):
    root = make_registry()
    result = cli("incident", "add", "-r", root, *args, "--no-input")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (root / "incidents").exists() or not any((root / "incidents").iterdir())


def test_interactive_asks_for_the_summary(cli, make_registry):
    root = make_registry()
    result = cli("incident", "add", "-r", root, "-a", "reminders", "--interactive",
                 input="Reminder sent to a client in dispute\n")
    assert result.exit_code == 0, result.output
    [path] = (root / "incidents").iterdir()
    assert read_incident(path).summary == "Reminder sent to a client in dispute"


def test_lint_accepts_what_incident_add_and_review_record_write(cli, make_registry):
    root = make_registry()
    assert cli("incident", "add", "-r", root, "-a", "reminders", "-s", "x",
               "--date", "2024-01-15").exit_code == 0
    assert cli("review", "record", "-r", root, "-a", "reminders", "--attendee", "m.boss",
               "--attendee", "b.owner", "--absent", "t.tech: on leave",
               "--rules-changed", "no", "--incidents", "one, see 2024-01-15",
               "--simplify", "no", "--date", "2024-01-20", "--no-input").exit_code == 0
    result = cli("lint", "-r", root)
    assert result.exit_code == 0, result.output
