"""`livingsys init` and `livingsys new`, with real files and a real git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

KINDS = ("settings", "people", "rule", "automation", "review", "incident")


def flat(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (outside .git) with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def temp_files(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*.tmp")]


@pytest.fixture(autouse=True)
def _git_stays_in_tmp(tmp_path, monkeypatch):
    """git must not find a repository above the test's folder (e.g. --basetemp in a repo)."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def registry(cli, tmp_path) -> Path:
    """A registry made by `livingsys init`."""
    root = tmp_path / "registry"
    result = cli("init", root, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 0, result.output
    return root


def git_top(path: Path) -> Path | None:
    out = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True)
    return Path(out.stdout.strip()).resolve() if out.returncode == 0 else None


# -- init ----------------------------------------------------------------------------------


def test_init_in_an_empty_folder_lints_clean_and_is_a_git_repo(cli, tmp_path):
    root = tmp_path / "new-registry"
    result = cli("init", root, "--organisation", "Dauphiné Fournitures", "--no-input")
    assert result.exit_code == 0, result.output
    assert "initialised a new git repository" in flat(result.output)
    assert git_top(root) == root.resolve()
    for rel in ("livingsys.yaml", "people.yaml", "rules/manager-validation-threshold.yaml",
                "automations/payment-reminders.yaml", "reviews/.gitkeep", "incidents/.gitkeep"):
        assert (root / rel).is_file(), rel
    lint = cli("lint", "-r", root)
    assert lint.exit_code == 0, lint.output
    assert "no problems" in lint.output
    strict = cli("lint", "-r", root, "--format", "json")
    assert '"warnings": 0' in strict.output


def test_init_writes_the_schemas_and_every_yaml_points_at_them(registry):
    from livingsys.reading.schema import schema_text

    for kind in KINDS:
        assert (registry / ".livingsys/schema" / f"{kind}.json").read_text("utf-8") == \
            schema_text(kind)
    yaml_files = sorted(registry.rglob("*.yaml"))
    assert len(yaml_files) == 4
    for file in yaml_files:
        first = file.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), file
        target = (file.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), (file, target)
    assert "VS Code" in (registry / "livingsys.yaml").read_text("utf-8")


def test_init_files_validate_against_the_exported_schema(registry):
    from jsonschema import Draft202012Validator

    from livingsys.reading.yamlsource import read

    for file in registry.rglob("*.yaml"):
        first = file.read_text("utf-8").splitlines()[0]
        schema = json.loads((file.parent / first.split("$schema=", 1)[1]).read_text("utf-8"))
        data = read(file, str(file)).data
        errors = list(Draft202012Validator(schema).iter_errors(data))
        assert errors == [], (file, [e.message for e in errors])


def test_init_marks_example_people_clearly(registry):
    text = (registry / "people.yaml").read_text("utf-8")
    assert "EXAMPLES" in text
    assert text.count("replace me") == 3
    for kind in ("business", "technical", "manager"):
        assert f"kind: {kind}" in text


def test_init_keeps_odd_organisation_names_exact(cli, tmp_path):
    from livingsys.models import Settings
    from livingsys.reading.registry import load_one

    name = 'ACME: "the best" #1 — yes'
    root = tmp_path / "r"
    result = cli("init", root, "--organisation", name, "--incident-channel",
                 "incidents@acme.example", "--no-input")
    assert result.exit_code == 0, result.output
    settings, findings, _ = load_one(root / "livingsys.yaml", Settings, "livingsys.yaml")
    assert findings == []
    assert settings.organisation == name
    assert settings.incident_channel.kind == "email"
    assert settings.incident_channel.where == "incidents@acme.example"


def test_init_into_an_existing_empty_folder_and_inside_a_repo(cli, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    root = repo / "registry"
    root.mkdir()
    result = cli("init", root, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 0, result.output
    assert "inside the git repository" in flat(result.output)
    assert not (root / ".git").exists()
    assert git_top(root) == repo.resolve()


def test_init_into_a_fresh_git_clone_folder(cli, tmp_path):
    root = tmp_path / "clone"
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    result = cli("init", root, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 0, result.output


def test_init_refuses_an_existing_registry_and_changes_nothing(cli, demo_registry):
    before = snapshot(demo_registry)
    result = cli("init", demo_registry, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 2
    out = flat(result.output)
    assert "livingsys.yaml" in out and "people.yaml" in out
    assert "never overwrites" in out
    assert "Traceback" not in result.output
    assert snapshot(demo_registry) == before


def test_init_refuses_a_non_empty_folder(cli, tmp_path):
    root = tmp_path / "stuff"
    root.mkdir()
    (root / "notes.txt").write_text("mine")
    result = cli("init", root, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 2
    assert "not empty" in flat(result.output) and "notes.txt" in result.output
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]


def test_init_refuses_a_file(cli, tmp_path):
    (tmp_path / "f").write_text("x")
    result = cli("init", tmp_path / "f", "--organisation", "ACME", "--no-input")
    assert result.exit_code == 2
    assert "is a file" in flat(result.output)


def test_init_without_organisation_and_no_input_names_the_option(cli, tmp_path):
    result = cli("init", tmp_path / "r", "--no-input")
    assert result.exit_code == 2
    assert "--organisation" in result.output
    assert not (tmp_path / "r").exists()


def test_init_asks_when_interactive(cli, tmp_path):
    from livingsys.models import Settings
    from livingsys.reading.registry import load_one

    root = tmp_path / "r"
    result = cli("init", root, "--interactive", input="Boulangerie Martin\n\n")
    assert result.exit_code == 0, result.output
    assert "Organisation" in result.output
    settings, _, _ = load_one(root / "livingsys.yaml", Settings, "livingsys.yaml")
    assert settings.organisation == "Boulangerie Martin"
    assert settings.incident_channel.where == "#automation-incidents"
    assert settings.incident_channel.kind == "chat"


def test_init_without_git_says_so_and_continues(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    root = tmp_path / "r"
    result = cli("init", root, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 0, result.output
    assert "git is not installed" in flat(result.output)
    assert (root / "livingsys.yaml").is_file()
    assert not (root / ".git").exists()


def test_init_leaves_no_temp_file_when_a_write_fails(cli, tmp_path, monkeypatch):
    import livingsys.reading.writing

    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(livingsys.reading.writing.os, "fsync", failing_fsync)
    root = tmp_path / "r"
    result = cli("init", root, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 2
    out = flat(result.output)
    assert "No space left on device" in out and "already written" in out
    assert temp_files(tmp_path) == []
    assert "Traceback" not in result.output


# -- new -----------------------------------------------------------------------------------


def load_automation(path: Path):
    from livingsys.models import Automation
    from livingsys.reading.registry import load_one

    model, findings, _ = load_one(path, Automation, path.name)
    assert findings == [], [f.message for f in findings]
    return model


def test_new_with_all_options(cli, registry):
    result = cli("new", "invoice-chase", "-r", registry, "--name", "Invoice chasing",
                 "--owner", "b.owner", "--maintainer", "t.maintainer",
                 "--trigger", "Every Monday: invoices unpaid for 30 days", "--perimeter",
                 "extended", "--no-input")
    assert result.exit_code == 0, result.output
    path = registry / "automations/invoice-chase.yaml"
    model = load_automation(path)
    assert (model.id, model.name, model.owner, model.maintainer, model.perimeter) == (
        "invoice-chase", "Invoice chasing", "b.owner", "t.maintainer", "extended")
    assert model.trigger == "Every Monday: invoices unpaid for 30 days"
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../.livingsys/schema/automation.json")
    assert "TODO" in text
    out = flat(result.output)
    assert "Still to fill in" in out
    for code in ("G005", "G007", "G008"):
        assert code in out
    assert "Next:" in out and "livingsys lint" in out
    # the rest of the registry is still clean: only the new file has findings
    lint = cli("lint", "-r", registry, "--format", "json")
    findings = json.loads(lint.output)["findings"]
    assert findings and all(f["path"].endswith("automations/invoice-chase.yaml")
                            for f in findings)


def test_new_says_where_it_lives_who_maintains_it_and_how_to_stop_it_are_to_fill(cli,
                                                                                   registry):
    result = cli("new", "invoice-chase", "-r", registry, "--owner", "b.owner",
                 "--trigger", "Every Monday", "--no-input")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    for code, what in (("G036", "does not say where it lives"),
                       ("G038", "does not name who maintains it"),
                       ("G039", "does not say how to stop it alone")):
        assert what in out and code in out
    assert "G037" not in out  # the trigger was given
    text = (registry / "automations/invoice-chase.yaml").read_text("utf-8")
    lines = text.splitlines()
    lint = cli("lint", "-r", registry, "--format", "json")
    by_code = {f["code"]: f for f in json.loads(lint.output)["findings"]}
    # each points at the line to fill in, marked TODO in the template
    assert lines[by_code["G036"]["line"] - 1] == "tool:"
    assert lines[by_code["G038"]["line"] - 1] == "maintainer:"
    assert lines[by_code["G039"]["line"] - 1] == "  kill_switch:"
    assert "TODO" in lines[by_code["G039"]["line"] - 2]


def test_new_defaults_name_and_perimeter(cli, registry):
    result = cli("new", "quote_follow-up", "-r", registry, "--owner", "b.owner",
                 "--trigger", "Every morning", "--no-input")
    assert result.exit_code == 0, result.output
    model = load_automation(registry / "automations/quote_follow-up.yaml")
    assert model.name == "Quote follow up"
    assert model.perimeter == "first"
    assert model.maintainer is None
    assert "perimeter: first" in result.output


def test_new_asks_for_owner_trigger_and_perimeter(cli, registry):
    result = cli("new", "support-triage", "-r", registry, "--interactive",
                 input="b.owner\n\nEach email to support@\nextended\n\n\n\n")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Business people in people.yaml" in out and "b.owner" in out
    assert "Trigger" in out and "Perimeter" in out
    model = load_automation(registry / "automations/support-triage.yaml")
    assert (model.owner, model.trigger, model.perimeter) == (
        "b.owner", "Each email to support@", "extended")


def test_new_asks_again_after_a_wrong_owner(cli, registry):
    result = cli("new", "support-triage", "-r", registry, "--interactive",
                 input="t.maintainer\nb.ownr\nb.owner\n\nEvery hour\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "kind technical" in out
    assert "did you mean 'b.owner'" in out
    model = load_automation(registry / "automations/support-triage.yaml")
    assert (model.owner, model.perimeter) == ("b.owner", "first")


def test_new_asks_only_for_what_is_missing(cli, registry):
    result = cli("new", "support-triage", "-r", registry, "--owner", "b.owner",
                 "--perimeter", "first", "--maintainer", "t.maintainer", "--tool", "Make",
                 "--location", "Support", "--description", "Triage", "--interactive",
                 input="Each email\n")
    assert result.exit_code == 0, result.output
    assert "Business people" not in result.output and "Perimeter" not in result.output
    assert "Maintainer:" not in result.output and "Tool:" not in result.output


def test_new_without_a_terminal_lists_the_needed_options(cli, registry):
    # CliRunner's stdin is not a terminal: no prompt, a clear error instead
    result = cli("new", "support-triage", "-r", registry)
    assert result.exit_code == 2
    out = flat(result.output)
    assert "--owner" in out and "--trigger" in out and "b.owner" in out
    assert not (registry / "automations/support-triage.yaml").exists()


def test_new_with_no_input_and_a_missing_trigger(cli, registry):
    result = cli("new", "support-triage", "-r", registry, "--owner", "b.owner", "--no-input")
    assert result.exit_code == 2
    assert "missing value: --trigger" in flat(result.output)


@pytest.mark.parametrize("bad", ["../x", "../../etc/passwd", "a/b", "Caps", "with space",
                                 "..", "/abs", "_under", "x" * 81, ""])
def test_new_rejects_ids_that_are_not_file_names(cli, registry, tmp_path, bad):
    before = snapshot(tmp_path)
    result = cli("new", bad, "-r", registry, "--owner", "b.owner", "--trigger", "x",
                 "--no-input")
    assert result.exit_code == 2
    out = flat(result.output)
    assert "is not allowed" in out and "hint:" in out
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_new_suggests_an_id(cli, registry):
    result = cli("new", "Relances Clients é", "-r", registry, "--no-input")
    assert result.exit_code == 2
    assert "relances-clients-e" in flat(result.output)


def test_new_rejects_an_unknown_owner_with_a_suggestion(cli, registry):
    result = cli("new", "x", "-r", registry, "--owner", "b.ownr", "--trigger", "t",
                 "--no-input")
    assert result.exit_code == 2
    out = flat(result.output)
    assert "not in people.yaml" in out and "did you mean 'b.owner'" in out
    assert not (registry / "automations/x.yaml").exists()


def test_new_rejects_a_technical_owner(cli, registry):
    result = cli("new", "x", "-r", registry, "--owner", "t.maintainer", "--trigger", "t",
                 "--no-input")
    assert result.exit_code == 2
    out = flat(result.output)
    assert "kind technical, not business" in out
    assert "b.owner" in out and "--maintainer" in out


def test_new_rejects_an_unknown_maintainer(cli, registry):
    result = cli("new", "x", "-r", registry, "--owner", "b.owner", "--maintainer",
                 "t.maintaner", "--trigger", "t", "--no-input")
    assert result.exit_code == 2
    assert "did you mean 't.maintainer'" in flat(result.output)


def test_new_demo_registry_owner_choices(cli, demo_registry):
    result = cli("new", "x", "-r", demo_registry, "--owner", "t.nguyen", "--trigger", "t",
                 "--no-input")
    assert result.exit_code == 2
    out = flat(result.output)
    for business in ("n.lefebvre", "k.benali", "s.girard", "m.petit"):
        assert business in out
    assert "c.moreau" not in out.split("hint:")[1]  # a manager is not offered as owner


@pytest.mark.parametrize("existing", ["payment-reminders.yaml", "my-thing.yml"])
def test_new_never_overwrites(cli, registry, existing):
    path = registry / "automations" / existing
    if not path.exists():
        path.write_text("id: my-thing\nname: mine\n", encoding="utf-8")
    before = path.read_bytes()
    stat = path.stat()
    automation_id = existing.rsplit(".", 1)[0]
    result = cli("new", automation_id, "-r", registry, "--owner", "b.owner", "--trigger", "x",
                 "--no-input")
    assert result.exit_code == 2
    assert "already exists; it was not changed" in flat(result.output)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert temp_files(registry) == []


def test_new_refuses_an_id_already_used_in_another_file(cli, registry):
    (registry / "automations/payment-reminders.yaml").rename(
        registry / "automations/old-name.yaml")
    result = cli("new", "payment-reminders", "-r", registry, "--owner", "b.owner",
                 "--trigger", "x", "--no-input")
    assert result.exit_code == 2
    assert "already used by" in flat(result.output)


def test_new_without_registry_or_people(cli, tmp_path, make_registry):
    result = cli("new", "x", "-r", tmp_path / "nowhere", "--owner", "b.owner",
                 "--trigger", "x", "--no-input")
    assert result.exit_code == 2
    assert "no registry folder" in flat(result.output)
    root = make_registry({"people.yaml": None})
    result = cli("new", "x", "-r", root, "--owner", "b.owner", "--trigger", "x", "--no-input")
    assert result.exit_code == 2
    assert "people.yaml is missing or invalid" in flat(result.output)


def test_new_in_a_registry_without_schemas_suggests_them(cli, make_registry):
    root = make_registry()
    result = cli("new", "triage", "-r", root, "--owner", "b.owner", "--trigger", "x",
                 "--no-input")
    assert result.exit_code == 0, result.output
    text = (root / "automations/triage.yaml").read_text("utf-8")
    assert "yaml-language-server" not in text.splitlines()[0]
    assert "livingsys schema --output" in flat(result.output)
    load_automation(root / "automations/triage.yaml")


def test_new_keeps_odd_triggers_and_names_exact(cli, registry):
    trigger = 'On "urgent": yes # or no — 100%'
    name = "yes"
    result = cli("new", "odd", "-r", registry, "--owner", "b.owner", "--trigger", trigger,
                 "--name", name, "--no-input")
    assert result.exit_code == 0, result.output
    model = load_automation(registry / "automations/odd.yaml")
    assert (model.trigger, model.name) == (trigger, name)


def test_new_leaves_no_temp_file_when_the_write_fails(cli, registry, monkeypatch):
    import livingsys.reading.writing

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(livingsys.reading.writing.os, "fsync", failing_fsync)
    before = snapshot(registry)
    result = cli("new", "x", "-r", registry, "--owner", "b.owner", "--trigger", "t",
                 "--no-input")
    assert result.exit_code == 2
    assert "No space left on device" in flat(result.output)
    assert "Traceback" not in result.output
    assert snapshot(registry) == before
    assert temp_files(registry) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_yaml_scalar_reads_back_exactly(value):
    from livingsys.reading.yamlsource import parse
    from livingsys.reading.yamltext import yaml_scalar

    doc = parse(f"key: {yaml_scalar(value)}\n", "t")
    assert doc.data == {"key": value}


def test_help_texts_have_examples(cli):
    for command in ("init", "new", "schema"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "Examples" in result.output


def test_new_answered_in_full_leaves_only_the_kill_switch_to_write(cli, registry):
    """Every answer given at the prompts: lint no longer asks where it lives, what starts it or
    who maintains it (G036-G038); how to stop it alone is the one thing left to write."""
    result = cli("new", "support-triage", "-r", registry, "--interactive",
                 input="b.owner\nt.maintainer\nEach email to support@\nfirst\nMake\n"
                       "Support team, scenario 'Triage'\nSorts support emails\n")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "G039" in out
    assert not any(code in out for code in ("G036", "G037", "G038"))
    lint = cli("lint", "-r", registry, "--format", "json")
    codes = {f["code"] for f in json.loads(lint.output)["findings"]
             if f["path"].endswith("support-triage.yaml")}
    assert "G039" in codes
    assert not codes & {"G036", "G037", "G038"}
    model = load_automation(registry / "automations/support-triage.yaml")
    assert (model.maintainer, model.tool, model.location) == (
        "t.maintainer", "Make", "Support team, scenario 'Triage'")
