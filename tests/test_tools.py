"""`livingsys import n8n|make` and `livingsys drift`, on exports written in the tools' formats.

The exports under tests/exports/ are our own, in the real formats (n8n IF v1 and v2, Switch v1
and v3, Filter v2, AI agent and sub-nodes, Wait; Make filters with AND/OR groups, a router,
error handlers, connections). Each test imports into a real registry folder, then runs drift
through the command line, as a user would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

EXPORTS = Path(__file__).parent / "exports"
FIXTURES = sorted(EXPORTS.glob("*.json"))


def _kind(path: Path) -> str:
    return path.name.split("-", 1)[0]


@pytest.fixture
def repo(make_registry, tmp_path):
    """A registry in tmp_path/registry, and tmp_path/exports for the tools' exports (the
    repository's top folder is tmp_path: it has no .git, so it is the registry's parent)."""
    root = make_registry()
    (tmp_path / "exports").mkdir()
    return root


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / "exports" / name
    shutil.copy(EXPORTS / name, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _import(cli, repo: Path, export: Path, automation_id: str):
    return cli("import", _kind(export), str(export), "-r", str(repo), "--id", automation_id)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_import_names_every_working_node_and_drift_is_quiet_right_after(fixture, cli, repo,
                                                                        tmp_path):
    from livingsys.tools import read_export

    export = _copy(tmp_path, fixture.name)
    result = _import(cli, repo, export, "imported")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    draft = (repo / "automations" / "imported.yaml").read_text("utf-8")
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(draft)
    workflow = read_export(_kind(fixture), export)
    assert [s["node"]["name"] for s in data["steps"]] == [s.name for s in workflow.steps]
    assert data["source"] == {"kind": _kind(fixture), "export": f"exports/{fixture.name}"}
    assert data["owner"] is None and data["exceptions"] == []
    drift = cli("drift", "-r", str(repo))
    assert drift.exit_code == 0, drift.output
    assert "in sync: 1 automation compared with its export" in drift.output


def test_n8n_draft_guesses_kinds_sends_and_rules_and_copies_no_credentials(cli, repo, tmp_path):
    export = _copy(tmp_path, "n8n-reminders-if-v2.json")
    result = _import(cli, repo, export, "n8n-reminders")
    assert result.exit_code == 0, result.output
    assert "3 credential reference(s) were left out" in result.output
    # lint lists what is left for a person: the owner, the exceptions
    assert "has no business owner" in result.output and "G008" in result.output
    text = (repo / "automations" / "n8n-reminders.yaml").read_text("utf-8")
    assert "Gmail compta" not in text and "Sellsy API" not in text and "Xy12" not in text
    assert "Sticky Note" not in text.split("steps:")[1].split("rules:")[0].replace(
        "# Left out: sticky note 'Sticky Note'", "")
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(text)
    steps = {s["id"]: s for s in data["steps"]}
    assert steps["ask-the-finance-manager"]["kind"] == "human"          # sendAndWait
    assert steps["send-the-reminder"]["sends"] == [{"audience": "client", "channel": "email"}]
    assert steps["log-it"]["kind"] == "automatic"
    assert "# TODO: runs code" in text
    assert data["facts"] == [
        {"name": "amount_due", "type": "number", "field": "$json.amount_due"},
        {"name": "days_late", "type": "number", "field": "$json.daysLate"}]
    assert data["rules"][0]["when"] == "amount_due > 5000 && days_late >= 7"


def test_untranslatable_conditions_are_said_plainly_never_guessed(cli, repo, tmp_path):
    export = _copy(tmp_path, "make-leads-or.json")
    assert _import(cli, repo, export, "leads").exit_code == 0
    text = (repo / "automations" / "leads.yaml").read_text("utf-8")
    assert "TODO: not translated: filter 'Hot or VIP', condition 2 of group 2: the test 'exist'" \
        in text
    assert "is an expression, not a plain field" in text
    assert "when: score >= 80 || segment == 'vip'" in text
    assert "__IMTCONN__" not in text and "555" not in text


def test_import_never_overwrites_and_refuses_a_taken_id(cli, repo, tmp_path):
    export = _copy(tmp_path, "make-reminders.json")
    assert _import(cli, repo, export, "make-reminders").exit_code == 0
    before = (repo / "automations" / "make-reminders.yaml").read_bytes()
    again = _import(cli, repo, export, "make-reminders")
    assert again.exit_code == 2
    assert "is already used by" in again.output
    (repo / "automations" / "other.yml").write_text("id: something-else\n", "utf-8")
    clash = _import(cli, repo, export, "other")
    assert clash.exit_code == 2 and "already" in clash.output
    assert (repo / "automations" / "make-reminders.yaml").read_bytes() == before
    taken = _import(cli, repo, export, "reminders")
    assert taken.exit_code == 2 and "already used" in taken.output


def test_import_takes_the_id_from_the_workflow_name(cli, repo, tmp_path):
    export = _copy(tmp_path, "make-reminders.json")
    result = cli("import", "make", str(export), "-r", str(repo))
    assert result.exit_code == 0, result.output
    assert (repo / "automations" / "payment-reminders-v3.yaml").is_file()


def test_an_export_outside_the_repository_is_imported_without_a_link(cli, repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "flow.json"
    shutil.copy(EXPORTS / "make-reminders.json", outside)
    result = cli("import", "make", str(outside), "-r", str(repo), "--id", "elsewhere")
    assert result.exit_code == 0, result.output
    assert "outside the repository" in result.output
    assert "source:" not in (repo / "automations" / "elsewhere.yaml").read_text("utf-8")


# --------------------------------------------------------------------------------------------
# drift


@pytest.fixture
def linked(cli, repo, tmp_path):
    """Both reminder exports imported and linked; returns their paths."""
    n8n = _copy(tmp_path, "n8n-reminders-if-v2.json")
    make = _copy(tmp_path, "make-reminders.json")
    assert _import(cli, repo, n8n, "n8n-reminders").exit_code == 0
    assert _import(cli, repo, make, "make-reminders").exit_code == 0
    return n8n, make


def _drift(cli, repo, *args):
    result = cli("drift", "-r", str(repo), "--format", "json", *args)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.output)


def test_a_changed_threshold_shows_the_new_number_beside_the_registrys(cli, repo, linked):
    n8n, make = linked
    _edit(make, '"o": "number:greater", "b": "5000"', '"o": "number:greater", "b": "6000"')
    _edit(n8n, '"rightValue": 5000,', '"rightValue": 5001,')
    code, report = _drift(cli, repo)
    assert code == 1
    by_file = {f["path"].rsplit("/", 1)[-1]: f for f in report["findings"]}
    make_finding = by_file["make-reminders.yaml"]
    assert make_finding["code"] == "D006"
    assert make_finding["message"].startswith(
        "Make filter 'Over the threshold' on module 3 compares amount_due > 6000; the registry "
        "says amount_due > 5000 (rule over-the-threshold)")
    n8n_finding = by_file["n8n-reminders.yaml"]
    assert "compares amount_due > 5001; the registry says amount_due > 5000" in \
        n8n_finding["message"]
    # file:line:col of the registry's own value
    text = (repo / "automations" / "n8n-reminders.yaml").read_text("utf-8").splitlines()
    line = text[n8n_finding["line"] - 1]
    assert line[n8n_finding["col"] - 1:].startswith("5000")


def test_the_same_value_with_another_boundary_is_a_drift_and_the_complement_is_not(
        cli, repo, linked):
    n8n, _make = linked
    _edit(n8n, '"operation": "gte"}', '"operation": "lt"}')      # days_late < 7: same line
    code, report = _drift(cli, repo, "n8n-reminders")
    assert (code, report["findings"]) == (0, [])
    _edit(n8n, '"operation": "lt"}', '"operation": "gt"}')       # days_late > 7: moved by one
    code, report = _drift(cli, repo, "n8n-reminders")
    assert code == 1
    assert [f["code"] for f in report["findings"]] == ["D007"]
    assert "the case of exactly 7 is not handled the same way" in report["findings"][0]["message"]


def test_steps_added_removed_renamed_and_an_undeclared_send(cli, repo, linked):
    _n8n, make = linked
    _edit(make, '"id": 7, "module": "google-sheets:addRow"',
          '"id": 8, "module": "google-sheets:addRow"')
    _edit(make, '"name": "Send the reminder"}}', '"name": "Send reminder email"}}')
    _edit(make, '"module": "slack:CreateMessage"', '"module": "gmail:ActionSendEmail"')
    code, report = _drift(cli, repo, "make-reminders")
    assert code == 1
    codes = sorted(f["code"] for f in report["findings"])
    # module 3 has no label of its own: its name follows its type, so it is renamed too
    assert codes == ["D002", "D003", "D004", "D004", "D005"], report["findings"]
    messages = {f["code"]: f["message"] for f in report["findings"]}
    assert messages["D002"].startswith("Make module 8 'Google sheets › add row' (Google sheets "
                                       "› add row, in the route 2 of module 2) is in the export")
    assert any("now named 'Send reminder email'" in f["message"] for f in report["findings"])
    assert messages["D005"] == ("Make module 3 'Gmail › send email' sends an email, but step "
                                "'slack-create-message' declares no email in `sends`")


def test_a_condition_the_registry_does_not_have(cli, repo, linked):
    n8n, _make = linked
    _edit(n8n, '"leftValue": "={{ $json.daysLate }}"', '"leftValue": "={{ $json.dueInDays }}"')
    code, report = _drift(cli, repo, "n8n-reminders")
    assert code == 1
    assert [f["code"] for f in report["findings"]] == ["D008"]
    assert "declares no fact read from $json.dueInDays" in report["findings"][0]["message"]


def test_a_declared_fact_the_registry_never_compares(cli, repo, linked):
    entry = repo / "automations" / "n8n-reminders.yaml"
    _edit(entry, "when: amount_due > 5000 && days_late >= 7", "when: amount_due > 5000")
    code, report = _drift(cli, repo, "n8n-reminders")
    assert [f["code"] for f in report["findings"]] == ["D008"]
    assert "no rule or exception of the registry compares days_late" in \
        report["findings"][0]["message"]


def test_drift_formats_and_an_unreadable_export(cli, repo, linked):
    n8n, _make = linked
    n8n.write_text("{not json", "utf-8")
    result = cli("drift", "-r", str(repo), "--format", "github")
    assert result.exit_code == 2
    assert result.output.startswith("::error file=")
    assert "title=D001 export-unreadable" in result.output and "is not JSON" in result.output
    n8n.unlink()
    text = cli("drift", "-r", str(repo))
    assert text.exit_code == 2 and "does not exist" in text.output


def test_drift_with_nothing_linked_says_how_to_link(cli, repo):
    result = cli("drift", "-r", str(repo))
    assert result.exit_code == 0
    assert "no automation is linked to a tool export" in result.output
    unknown = cli("drift", "-r", str(repo), "remindrs")
    assert unknown.exit_code == 2 and "did you mean 'reminders'" in unknown.output


def test_lint_checks_the_link(cli, repo, linked):
    n8n, _make = linked
    assert cli("lint", "-r", str(repo)).exit_code == 1  # drafts: owner missing...
    n8n.unlink()
    result = cli("lint", "-r", str(repo), "--format", "concise")
    assert "G044" in result.output and "does not exist" in result.output


def test_every_drift_code_is_described_and_tested_here():
    from livingsys.checks.drift import DRIFT_CHECKS

    source = Path(__file__).read_text("utf-8")
    assert sorted(DRIFT_CHECKS) == [f"D00{i}" for i in range(1, 9)]
    for code in DRIFT_CHECKS:
        assert f'"{code}"' in source or f"D{code[1:]}" in source


# --------------------------------------------------------------------------------------------
# bad input: a clear message, exit 2, nothing written, never a traceback


def _bad(cli, repo, tmp_path, kind: str, content: str | bytes, name: str = "bad.json"):
    path = tmp_path / "exports" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    result = cli("import", kind, str(path), "-r", str(repo), "--id", "bad")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not (repo / "automations" / "bad.yaml").exists()
    return " ".join(result.output.split())


def test_not_json(cli, repo, tmp_path):
    assert "is not JSON: Expecting" in _bad(cli, repo, tmp_path, "n8n", "name: yaml\n")


def test_not_utf8(cli, repo, tmp_path):
    assert "is not UTF-8 text" in _bad(cli, repo, tmp_path, "n8n", b"\xff\xfe{\x00}")


def test_the_other_tools_export_says_which_command_to_run(cli, repo, tmp_path):
    blueprint = (EXPORTS / "make-reminders.json").read_text("utf-8")
    out = _bad(cli, repo, tmp_path, "n8n", blueprint)
    assert "is a Make export, not an n8n export" in out
    assert "livingsys import make" in out
    workflow = (EXPORTS / "n8n-quotes-if-v1.json").read_text("utf-8")
    assert "is an n8n export, not a Make export" in _bad(cli, repo, tmp_path, "make", workflow)


def test_json_of_another_kind(cli, repo, tmp_path):
    out = _bad(cli, repo, tmp_path, "make", json.dumps({"openapi": "3.0.0", "paths": {}}))
    assert "neither an n8n workflow" in out and "Export Blueprint" in out


def test_newer_versions_are_refused_plainly(cli, repo, tmp_path):
    workflow = json.loads((EXPORTS / "n8n-reminders-if-v2.json").read_text("utf-8"))
    workflow["nodes"][2]["typeVersion"] = 3
    out = _bad(cli, repo, tmp_path, "n8n", json.dumps(workflow))
    assert "is an IF node of version 3, newer than livingsys knows" in out
    workflow["nodes"][2]["typeVersion"] = 2.9  # the newest minor versions are read
    path = tmp_path / "exports" / "ok.json"
    path.write_text(json.dumps(workflow), "utf-8")
    assert cli("import", "n8n", str(path), "-r", str(repo), "--id", "ok").exit_code == 0
    blueprint = json.loads((EXPORTS / "make-reminders.json").read_text("utf-8"))
    blueprint["metadata"]["version"] = 2
    assert "format version 2, newer than livingsys knows" in _bad(
        cli, repo, tmp_path, "make", json.dumps(blueprint))


def test_a_huge_file_is_refused_before_it_is_read(cli, repo, tmp_path):
    from livingsys.tools import MAX_EXPORT_BYTES

    path = tmp_path / "exports" / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_EXPORT_BYTES + 1)
    result = cli("import", "n8n", str(path), "-r", str(repo))
    assert result.exit_code == 2
    assert f"more than the {MAX_EXPORT_BYTES:,}" in " ".join(result.output.split())


def test_a_file_at_the_size_cap_is_read(tmp_path):
    from livingsys.tools import MAX_EXPORT_BYTES
    from livingsys.tools.model import load_json

    path = tmp_path / "cap.json"
    text = '{"nodes": [], "pad": "' + "x" * (MAX_EXPORT_BYTES - 24) + '"}'
    path.write_text(text, "ascii")
    assert path.stat().st_size == MAX_EXPORT_BYTES
    assert load_json(path)["nodes"] == []


def test_deeply_nested_json_is_refused_plainly(cli, repo, tmp_path):
    assert "nested too deeply" in _bad(cli, repo, tmp_path, "n8n", "[" * 100_000)


@pytest.mark.parametrize("where", ["header", "parameter", "make"])
def test_a_secret_in_clear_is_refused_and_never_copied(where, cli, repo, tmp_path):
    if where == "make":
        data = json.loads((EXPORTS / "make-reminders.json").read_text("utf-8"))
        data["flow"][0]["mapper"] = {"headers": [{"name": "Authorization",
                                                  "value": "Bearer abcdefghijklmnopqrstuvwxyz"}]}
        kind = "make"
    else:
        data = json.loads((EXPORTS / "n8n-reminders-if-v2.json").read_text("utf-8"))
        node = data["nodes"][1]["parameters"]
        if where == "header":
            node["headerParameters"] = {"parameters": [{"name": "X-API-Key",
                                                        "value": "9f8e7d6c5b4a39281706"}]}
        else:
            node["apiKey"] = "9f8e7d6c5b4a39281706"
        kind = "n8n"
    out = _bad(cli, repo, tmp_path, kind, json.dumps(data))
    assert "looks like a secret written in clear" in out
    assert "9f8e7d6c5b4a39281706" not in out and "abcdefghijklmnop" not in out


def test_placeholders_and_expressions_are_not_secrets():
    from livingsys.tools.model import find_secrets

    assert find_secrets({"apiKey": "YOUR_API_KEY", "token": "={{ $env.TOKEN }}",
                         "headers": [{"name": "Authorization", "value": "{{1.token}}"}],
                         "credentials": {"x": {"id": "1", "name": "secret store"}}}) == []


def test_several_workflows_in_one_file(cli, repo, tmp_path):
    one = json.loads((EXPORTS / "n8n-quotes-if-v1.json").read_text("utf-8"))
    assert "holds 2 workflows" in _bad(cli, repo, tmp_path, "n8n", json.dumps([one, one]))


def test_a_node_without_a_type(cli, repo, tmp_path):
    out = _bad(cli, repo, tmp_path, "n8n", json.dumps({"nodes": [{"name": "x"}],
                                                       "connections": {}}))
    assert "node 1 has no name or no type" in out


def test_hostile_node_names_stay_text(cli, repo, tmp_path):
    data = json.loads((EXPORTS / "n8n-reminders-if-v2.json").read_text("utf-8"))
    old = data["nodes"][4]["name"]
    hostile = "Send [bold red]now[/]\n# owner: m.boss\x1b[31m 'quoted' \"twice\""
    data["nodes"][4]["name"] = hostile
    data["connections"]["Over 5000 EUR?"]["main"][1][0]["node"] = hostile
    data["connections"][hostile] = data["connections"].pop(old)
    path = tmp_path / "exports" / "hostile.json"
    path.write_text(json.dumps(data), "utf-8")
    assert cli("import", "n8n", str(path), "-r", str(repo), "--id", "hostile").exit_code == 0
    text = (repo / "automations" / "hostile.yaml").read_text("utf-8")
    assert "\x1b" not in text and "\nowner: m.boss" not in text
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(text)
    assert data["owner"] is None
    names = [s["node"]["name"] for s in data["steps"]]
    assert "Send [bold red]now[/] # owner: m.boss [31m 'quoted' \"twice\"" in names
    assert cli("drift", "-r", str(repo), "hostile").exit_code == 0


# --------------------------------------------------------------------------------------------
# the pieces


def test_literal_comparisons_read_the_registrys_values_with_the_fact_on_the_left():
    from livingsys.conditions import literal_comparisons

    found = literal_comparisons("5000 < amount && s in ['a', 'b'] || !vip || x.startsWith('F')")
    assert [(c.fact, c.op, c.value) for c in found] == [
        ("amount", ">", 5000.0), ("s", "==", "a"), ("s", "==", "b"), ("vip", "==", False),
        ("x", "startsWith", "F")]
    assert found[0].offset == 0 and found[1].offset == 23
    assert literal_comparisons("amount >") == ()


def test_fact_names_from_fields():
    from livingsys.tools.model import fact_name

    assert fact_name("$json.invoice.amountDue") == "invoice_amount_due"
    assert fact_name("$json[\"amount\"]") == "amount"
    assert fact_name("$('Get invoice').item.json.total") == "total"
    assert fact_name("1.amount") == "amount"
    assert fact_name("3.items[].price") == "items_price"
    assert fact_name("$json.2024") is None


def test_a_drift_is_a_reason_to_review(cli, repo, linked):
    from livingsys.ritual.review_due import review_due

    _n8n, make = linked
    report = review_due(repo, history=False)
    item = next(i for i in report.items if i.automation == "make-reminders")
    assert item.reason("drift") is None
    _edit(make, '"o": "number:greater", "b": "5000"', '"o": "number:greater", "b": "6000"')
    report = review_due(repo, history=False)
    item = next(i for i in report.items if i.automation == "make-reminders")
    reason = item.reason("drift")
    assert reason.text == ("the Make export differs from the registry (1 difference: "
                           "`livingsys drift`)")
    assert "compares amount_due > 6000" in reason.details[0]


def test_make_if_else_branches_are_steps_and_their_conditions_rules(cli, repo, tmp_path):
    blueprint = {"name": "Orders", "metadata": {"version": 1}, "flow": [
        {"id": 1, "module": "gateway:CustomWebHook", "version": 1},
        {"id": 2, "module": "builtin:BasicIfElse", "version": 1, "branches": [
            {"type": "condition", "label": "High priority", "flow": [
                {"id": 3, "module": "util:ComposeTransformer", "version": 1}],
             "conditions": [[{"a": "{{1.priority}}", "o": "text:equal", "b": "high"}]]},
            {"type": "else", "flow": [{"id": 4, "module": "util:ComposeTransformer",
                                       "version": 1}]}]}]}
    path = tmp_path / "exports" / "orders.json"
    path.write_text(json.dumps(blueprint), "utf-8")
    assert cli("import", "make", str(path), "-r", str(repo), "--id", "orders").exit_code == 0
    text = (repo / "automations" / "orders.yaml").read_text("utf-8")
    assert "Make module 4" in text and "when: priority == 'high'" in text
    _edit(path, '"b": "high"', '"b": "urgent"')
    code, report = _drift(cli, repo, "orders")
    assert code == 1
    assert report["findings"][0]["message"].startswith(
        "Make filter 'High priority' of module 2 compares priority == 'urgent'; the registry "
        "says priority == 'high'")


def test_filter_v1_or_and_switch_v2_named_outputs(tmp_path):
    from livingsys.tools import read_export

    workflow = {"name": "v1 and v2", "connections": {}, "nodes": [
        {"name": "Keep", "type": "n8n-nodes-base.filter", "typeVersion": 1, "parameters": {
            "conditions": {"number": [{"value1": "={{ $json.id }}", "operation": "larger",
                                       "value2": 1},
                                      {"value1": "={{ $json.id }}", "value2": 10}]},
            "combineConditions": "OR"}},
        {"name": "Route", "type": "n8n-nodes-base.switch", "typeVersion": 2, "parameters": {
            "dataType": "string", "value1": "={{ $json.output }}",
            "rules": {"rules": [{"value2": "first", "outputKey": "First Output"}]}}}]}
    path = tmp_path / "w.json"
    path.write_text(json.dumps(workflow), "utf-8")
    keep, route = read_export("n8n", path).steps
    assert [[c.text() for c in g] for g in keep.conditions[0].groups] == [["id > 1"], ["id < 10"]]
    assert route.conditions[0].label == "output 'First Output'"
    assert route.comparisons[0].text() == "output == 'first'"


def test_an_if_of_version_2_written_in_the_version_1_shape_is_read(tmp_path):
    from livingsys.tools import read_export

    workflow = {"name": "old shape", "connections": {}, "nodes": [
        {"name": "Big", "type": "n8n-nodes-base.if", "typeVersion": 2, "parameters": {
            "conditions": {"number": [{"value1": "={{ $json.total }}", "operation": "larger",
                                       "value2": 100}]}}}]}
    path = tmp_path / "w.json"
    path.write_text(json.dumps(workflow), "utf-8")
    (step,) = read_export("n8n", path).steps
    assert [c.text() for c in step.comparisons] == ["total > 100"]


def test_a_threshold_that_a_shared_rule_holds_is_named(cli, repo, linked):
    """The minimal registry's shared rule `threshold` says amount_threshold_eur: 5000."""
    _n8n, make = linked
    entry = repo / "automations" / "make-reminders.yaml"
    _edit(entry, "exceptions: []", "exceptions: []\nuses_rules: [threshold]")
    _edit(entry, "when: amount_due > 5000", "when: amount_due > 3000")
    _edit(entry, "when: amount_due <= 5000", "when: amount_due <= 3000")
    code, report = _drift(cli, repo, "make-reminders")
    assert code == 1
    message = next(f["message"] for f in report["findings"] if "module 3" in f["message"])
    assert message == (
        "Make filter 'Over the threshold' on module 3 compares amount_due > 5000; the registry "
        "says amount_due > 3000 (rule over-the-threshold), amount_due <= 3000 (rule "
        "standard-reminder); shared rule threshold says amount_threshold_eur = 5000")


def test_rules_explains_a_drift_code(cli):
    result = cli("rules", "D006")
    assert result.exit_code == 0
    assert "threshold-changed" in result.output and "`livingsys drift` reports it" in result.output
