"""One place for what a finding code means (livingsys.codes): every code the source can emit is
in the catalogue, so `livingsys rules`, SARIF and docs/checks.md know it; the readers take
their codes' names and hints from it."""

from __future__ import annotations

import ast
import json
import re

from conftest import REPO

SOURCE = REPO / "src" / "livingsys"
CODE_LITERAL = re.compile(r"[A-Z]\d{3}")


def _code_literals() -> dict[str, list[str]]:
    """Every string in the source that is a code (G008, Y002, X001...), with where it is: a
    finding's code, a check's ``code =``, a reader's code constant."""
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and CODE_LITERAL.fullmatch(node.value)):
                found.setdefault(node.value, []).append(
                    f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_every_code_the_source_can_emit_is_in_the_catalogue():
    from livingsys.checks.base import catalogue

    literals = _code_literals()
    assert {"X001", "S005", "Y002", "I007", "G008"} <= set(literals)  # the scan sees them
    known = {c.code for c in catalogue()}
    missing = {code: where for code, where in literals.items() if code not in known}
    assert not missing, ("codes written in the source but in no catalogue; define them in "
                         f"src/livingsys/codes.py (or as a check class): {missing}")


def test_the_code_scan_would_see_a_code_outside_the_catalogue(tmp_path, monkeypatch):
    # the test above can only fail if the scan finds codes in a Finding(...) call
    import test_codes

    (tmp_path / "new.py").write_text('Finding(code="Q999", message="m")\n', encoding="utf-8")
    monkeypatch.setattr(test_codes, "SOURCE", tmp_path)
    monkeypatch.setattr(test_codes, "REPO", tmp_path)
    assert _code_literals() == {"Q999": ["new.py:1"]}


def test_rules_lists_and_explains_x001(cli):
    listing = cli("rules")
    assert listing.exit_code == 0
    assert re.search(r"X001\s+internal-error\s+error", listing.output)
    page = cli("rules", "X001")
    assert page.exit_code == 0, page.output
    assert "X001 internal-error" in page.output
    assert "please report it with the file" in page.output
    assert "cannot be switched off or waived" in page.output
    assert cli("rules", "internal-error").output == page.output


def _broken_check(monkeypatch):
    """Make one governance check crash, as a bug in it would."""
    from livingsys.checks.base import checks

    check = next(c for c in checks() if c.code == "G001")

    def crash(self, entry, ctx):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(check, "check_automation", crash)


def test_a_crashing_check_is_reported_as_x001_with_its_name_and_hint(cli, make_registry,
                                                                     monkeypatch):
    root = make_registry()
    _broken_check(monkeypatch)
    result = cli("lint", "-r", root, "--today", "2026-12-02")
    assert result.exit_code == 1, result.output
    assert "error X001 check G001 failed on this file (ZeroDivisionError: division by zero)" \
        in result.output
    assert "(internal-error)" in result.output
    assert "fix: this is a bug in livingsys; please report it with the file" in result.output


def test_sarif_gives_every_result_a_rule_index_x001_included(cli, make_registry, monkeypatch):
    root = make_registry({"stray.yaml": "id: stray\n"})  # and an S005 warning
    _broken_check(monkeypatch)
    result = cli("lint", "-r", root, "--format", "sarif", "--today", "2026-12-02")
    [run] = json.loads(result.output)["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {r["ruleId"] for r in run["results"]} >= {"X001", "S005"}
    for item in run["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"], item


def test_s005_says_the_same_fix_in_lint_and_in_rules(cli, make_registry):
    from livingsys import codes

    root = make_registry({"automations/notes.txt": "to do\n"})
    lint = cli("lint", "-r", root, "--format", "json", "--today", "2026-12-02")
    [finding] = [f for f in json.loads(lint.output)["findings"] if f["code"] == "S005"]
    assert finding["name"] == "misplaced-file"
    assert finding["hint"] == codes.get("S005").hint
    assert codes.get("S005").hint in " ".join(cli("rules", "S005").output.split())


def test_the_readers_findings_are_named_from_the_catalogue():
    from livingsys import codes
    from livingsys.reading import indicators
    from livingsys.reading.yamlsource import parse

    doc = parse("a: 1\na: 2\n", "x.yaml")
    [duplicate] = doc.findings
    assert (duplicate.code, duplicate.name) == ("Y003", codes.get("Y003").name)
    _, findings = indicators.parse("automation,period\nreminders,2026-13\n", ["reminders"])
    assert findings and all(f.name == codes.get(f.code).name for f in findings)


def test_docs_checks_page_is_generated_from_the_catalogue(cli):
    from livingsys.render.catalogue import DOCS_COMMAND

    page = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    generated = cli("rules", "--format", "docs").output
    assert page == generated, f"docs/checks.md is out of date: run `{DOCS_COMMAND}`"


def test_docs_checks_page_has_one_section_per_code(cli):
    from livingsys.checks.base import catalogue

    page = cli("rules", "--format", "docs").output
    sections = re.findall(r"^### ([A-Z]\d{3}) ", page, re.M)
    assert sections == [c.code for c in catalogue()]
    g008 = page.split("### G008 ", 1)[1].split("\n### ", 1)[0]
    assert "Parameters" in g008 and "Configure or waive:" in g008 and "waivers:" in g008


def test_the_policy_and_a_waiver_naming_x001_say_it_is_a_crash(cli, make_registry):
    root = make_registry({
        "livingsys.yaml": """\
            organisation: Test SARL
            incident_channel: {kind: chat, where: "#incidents"}
            review: {default_cadence: monthly, chair: m.boss}
            policy:
              checks: {X001: off}
            """})
    automation = root / "automations" / "reminders.yaml"
    automation.write_text(automation.read_text(encoding="utf-8") + (
        "waivers:\n  - {check: X001, reason: flaky, approved_by: m.boss, expires: 2026-12-20}\n"),
        encoding="utf-8")
    result = cli("lint", "-r", root, "--format", "json", "--today", "2026-12-02")
    messages = {f["code"]: f["message"] for f in json.loads(result.output)["findings"]}
    crash = "X001 (internal-error) is a crash of a check (a bug in livingsys)"
    assert messages["S002"] == crash + "; it cannot be switched off or changed"
    assert messages["G019"] == crash + " and cannot be waived"
