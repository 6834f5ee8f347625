"""lint's output formats: json, github annotations, SARIF 2.1.0, concise, text, --output.

No copy of the official SARIF 2.1.0 JSON schema ships in an installed package (the
schemas vendored by check-jsonschema do not include it), so SARIF is checked against
SARIF_SUBSET below: the parts of the official schema this output uses, with the same
property names, required properties, types and enums, validated with jsonschema.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import MINIMAL

TODAY = "2026-11-25"
REMINDERS = textwrap.dedent(MINIMAL["automations/reminders.yaml"])

# Two errors (G010: daily_cap on line 24; G004 on line 27) and a warning (G014, line 29).
BROKEN = (REMINDERS.replace("  daily_cap: 40\n  notify_on_exception: {channel: \"#finance\"}\n",
                            "  notify_on_exception: {channel: \"#finance\"}\n  # no cap yet\n")
          .replace("uses_rules: [threshold]", "uses_rules: [treshold]")
          .replace("valid_until: 2099-12-31", "valid_until: 2026-12-10"))


@pytest.fixture
def registry(make_registry, tmp_path, monkeypatch):
    """A registry with two errors and a warning; the current folder is its parent."""
    monkeypatch.chdir(tmp_path)
    make_registry({"automations/reminders.yaml": BROKEN})
    return "registry"


def lint(cli, *args):
    result = cli("lint", "-r", "registry", "--today", TODAY, *args)
    assert "Traceback" not in result.output
    return result


# ------------------------------------------------------------------------------------------
# json


def test_json_structure(cli, registry):
    result = lint(cli, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"registry", "date", "summary", "findings", "waived", "silenced"}
    assert data["registry"] == "registry" and data["date"] == TODAY
    assert data["summary"] == {"files": 4, "automations": 1, "errors": 2, "warnings": 1,
                               "waived": 0, "silenced": 0, "not_checked": []}
    assert data["silenced"] == {"policy": [], "waivers": []}
    assert [(f["code"], f["severity"], f["line"]) for f in data["findings"]] == [
        ("G010", "error", 24), ("G004", "error", 27), ("G014", "warning", 29)]
    for finding in data["findings"]:
        assert set(finding) >= {"code", "name", "severity", "message", "path", "line", "col",
                                "hint"}
        assert finding["path"] == "registry/automations/reminders.yaml"
        assert finding["col"] >= 1 and finding["name"] and finding["hint"]


def test_json_lists_automations_not_checked(cli, make_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # a bad value keeps the file out of the governance checks (an unknown key alone does not)
    make_registry({"automations/reminders.yaml": REMINDERS.replace("daily_cap: 40",
                                                                   "daily_cap: forty")})
    data = json.loads(lint(cli, "-f", "json").stdout)
    assert data["summary"]["not_checked"] == ["registry/automations/reminders.yaml"]


def test_json_of_a_clean_registry(cli, make_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_registry()
    result = lint(cli, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []


# ------------------------------------------------------------------------------------------
# github


def test_github_annotations(cli, registry):
    result = lint(cli, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 3
    first = annotations[0]
    assert first.startswith("::error file=registry/automations/reminders.yaml,line=24,col=3,"
                            "title=G010 guardrails::")
    message = first.split("::", 2)[2]
    assert "\n" not in message and "%0Afix: " in message  # the hint, on its own line
    assert annotations[2].startswith("::warning ") and "title=G014 content-expiring-soon" in \
        annotations[2]
    assert not lines[-1].startswith("::")  # a plain summary closes the log


def test_github_escapes_properties_and_data(cli, make_registry, tmp_path, monkeypatch):
    """Commas and colons in properties, and %, CR, LF anywhere, are escaped as GitHub asks."""
    monkeypatch.chdir(tmp_path)
    text = REMINDERS.replace("id: reminders", "id: x")  # id differs from the odd file name
    make_registry({"automations/reminders.yaml": None, "automations/a,b:c.yaml": text})
    annotations = [line for line in lint(cli, "-f", "github").stdout.splitlines()
                   if line.startswith("::error")]
    assert annotations
    assert all("file=registry/automations/a%2Cb%3Ac.yaml," in a for a in annotations)


def test_github_escape_functions():
    from livingsys.render.lint_machine import _escape_data, _escape_property

    assert _escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert _escape_property("a,b:c\nd") == "a%2Cb%3Ac%0Ad"


# ------------------------------------------------------------------------------------------
# sarif

_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"},
                                                                 "markdown": {"type": "string"}}}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
SARIF_SUBSET = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {
                    "driver": {"type": "object", "required": ["name"], "properties": {
                        "name": {"type": "string"},
                        "version": {"type": "string"},
                        "semanticVersion": {"type": "string"},
                        "informationUri": {"type": "string", "format": "uri"},
                        "rules": {"type": "array", "uniqueItems": True, "items": {
                            "type": "object",
                            "required": ["id"],
                            "properties": {
                                "id": {"type": "string"},
                                "name": {"type": "string"},
                                "shortDescription": _TEXT,
                                "fullDescription": _TEXT,
                                "help": _TEXT,
                                "defaultConfiguration": {"type": "object", "properties": {
                                    "level": _LEVEL}},
                                "properties": {"type": "object"},
                            }}},
                    }}}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "ruleIndex": {"type": "integer", "minimum": -1},
                        "level": _LEVEL,
                        "message": _TEXT,
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "properties": {
                                "artifactLocation": {"type": "object", "properties": {
                                    "uri": {"type": "string", "format": "uri-reference"}}},
                                "region": {"type": "object", "properties": {
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 1},
                                }},
                            }}}}},
                        "suppressions": {"type": "array", "items": {
                            "type": "object", "required": ["kind"], "properties": {
                                "kind": {"enum": ["inSource", "external"]},
                                "status": {"enum": ["accepted", "underReview", "rejected"]},
                                "justification": {"type": "string"}}}},
                    }}},
            }}},
    },
}


def sarif_of(cli) -> dict:
    return json.loads(lint(cli, "--format", "sarif").stdout)


def test_sarif_matches_the_schema_subset(cli, registry):
    jsonschema = pytest.importorskip("jsonschema")
    document = sarif_of(cli)
    jsonschema.validate(document, SARIF_SUBSET,
                        format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_sarif_header_and_rules(cli, registry):
    from livingsys.checks.base import catalogue

    document = sarif_of(cli)
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-2.1.0.json")
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "livingsys" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [c.code for c in catalogue()]
    for rule, check in zip(rules, catalogue(), strict=False):
        assert rule["shortDescription"]["text"] == check.title
        assert rule["fullDescription"]["text"] == check.rationale
        assert check.hint in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == check.severity.value


def test_sarif_results(cli, registry):
    [run] = sarif_of(cli)["runs"]
    rules, results = run["tool"]["driver"]["rules"], run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("G010", "error"), ("G004", "error"), ("G014", "warning")]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "registry/automations/reminders.yaml"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 24, "startColumn": 3}


def test_sarif_whole_file_findings_still_have_a_region(cli, make_registry, tmp_path,
                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_registry({"people.yaml": None, "automations/notes.txt": "not yaml\n"})
    [run] = sarif_of(cli)["runs"]
    for result in run["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert {r["ruleId"] for r in run["results"]} == {"S004", "S005"}


def test_sarif_uri_is_encoded(cli, make_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_registry({"automations/my notes.txt": "x\n"})
    [run] = sarif_of(cli)["runs"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]]
    assert uris == ["registry/automations/my%20notes.txt"]


def test_sarif_uri_of_a_registry_elsewhere_is_a_file_uri(cli, make_registry, tmp_path,
                                                         monkeypatch):
    root = make_registry({"automations/notes.txt": "x\n"})
    elsewhere = tmp_path / "elsewhere"  # the registry is shown as an absolute path from here
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = cli("lint", "-r", root, "-f", "sarif", "--today", TODAY)
    [run] = json.loads(result.stdout)["runs"]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (root / "automations" / "notes.txt").as_uri()


# ------------------------------------------------------------------------------------------
# concise, text, --output


def test_concise_is_one_line_per_finding(cli, registry):
    result = lint(cli, "--format", "concise")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "registry/automations/reminders.yaml:24:3: error G010 automation 'reminders' sends "
        "messages to clients but has no daily volume cap ('daily_cap:')",
        "registry/automations/reminders.yaml:27:14: error G004 shared rule 'treshold' does not "
        "exist in rules/ — did you mean 'threshold'?",
        "registry/automations/reminders.yaml:29:71: warning G014 content 'reminder-email' "
        "expires in 15 day(s), on 2026-12-10",
    ]
    assert len(lines) == 4 and "2 errors, 1 warning" in lines[3]


def test_text_has_location_hint_and_summary(cli, registry):
    result = lint(cli)
    assert result.exit_code == 1
    out = result.stdout
    assert "registry/automations/reminders.yaml:27:14: error G004 shared rule 'treshold'" in out
    assert "fix: create rules/<id>.yaml or fix the id in 'uses_rules:'" in out
    assert "2 errors, 1 warning in 4 files, 1 automation" in out


def test_text_explain_shows_the_rationale_once_per_check(cli, make_registry, tmp_path,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_registry({"automations/reminders.yaml": REMINDERS.replace(
        '  daily_cap: 40\n  notify_on_exception: {channel: "#finance"}\n',
        "  kill_switch: turn it off\n")})
    out = lint(cli, "--explain").stdout
    assert out.count("G010") == 2 and out.count("why: Article, days 7-8") == 1


@pytest.mark.parametrize("fmt", ["sarif", "json", "github", "concise", "text"])
def test_output_file_keeps_stdout_clean(cli, registry, tmp_path, fmt):
    target = tmp_path / "reports" / f"lint.{fmt}"
    result = lint(cli, "--format", fmt, "--output", target)
    assert result.exit_code == 1  # the exit code does not depend on where the report goes
    assert result.stdout == ""
    written = target.read_text("utf-8")
    if fmt in ("sarif", "json"):
        json.loads(written)
    if fmt == "text":  # plain text, no colour codes
        assert "\x1b[" not in written
        assert "registry/automations/reminders.yaml:24:3: error G010" in written


def test_output_into_a_folder_is_a_usage_error(cli, registry, tmp_path):
    result = lint(cli, "--format", "sarif", "--output", tmp_path)
    assert result.exit_code == 2
    assert "is a folder" in result.output


def test_bad_today_is_a_usage_error(cli, registry):
    result = cli("lint", "-r", "registry", "--today", "25/11/2026")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output and "Traceback" not in result.output
