"""`livingsys schema`: the exported JSON Schemas accept every valid file and reject typos."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import DEMO, MINIMAL, REPO

KIND_OF_FOLDER = {"automations": "automation", "rules": "rule", "reviews": "review",
                  "incidents": "incident"}
KIND_OF_FILE = {"livingsys.yaml": "settings", "people.yaml": "people"}


def kind_of(rel: str) -> str:
    if "/" in rel:
        return KIND_OF_FOLDER[rel.split("/", 1)[0]]
    return KIND_OF_FILE[rel]


def load_yaml(text: str, path: str = "test.yaml"):
    """Parse YAML the way lint does (dates stay text, as in editors' YAML 1.2)."""
    from livingsys.reading.yamlsource import parse

    doc = parse(text, path)
    assert doc.data is not None, [f.message for f in doc.findings]
    return doc.data


def validator(kind: str) -> Draft202012Validator:
    from livingsys.reading.schema import schema_for

    schema = schema_for(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(kind: str, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(kind).iter_errors(data)]


def demo_files() -> list[str]:
    return sorted(str(p.relative_to(DEMO)) for p in DEMO.rglob("*.yaml"))


def test_every_kind_has_a_schema_entry():
    from livingsys.models import FILE_KINDS
    from livingsys.reading.schema import KINDS

    assert list(KINDS) == list(FILE_KINDS)


@pytest.mark.parametrize("kind", ["settings", "people", "rule", "automation", "review",
                                  "incident"])
def test_schema_is_valid_draft_2020_12_with_id_title_description(kind):
    from livingsys.reading.schema import schema_for

    schema = schema_for(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{kind}.json")
    assert schema["title"] and schema["description"]
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("rel", demo_files())
def test_demo_registry_files_validate(rel):
    data = load_yaml((DEMO / rel).read_text("utf-8"), rel)
    assert errors(kind_of(rel), data) == []


@pytest.mark.parametrize("rel", sorted(MINIMAL))
def test_minimal_registry_files_validate(rel):
    data = load_yaml(textwrap.dedent(MINIMAL[rel]), rel)
    assert errors(kind_of(rel), data) == []


def test_review_and_incident_examples_validate():
    review = load_yaml("""\
        date: 2026-03-02
        attendees: [c.moreau, n.lefebvre]
        automations:
          - id: payment-reminders
            answers: {rules_changed: no, incidents: none, simplify: not now}
            decisions: [keep the threshold]
            actions: [{what: update the template, who: n.lefebvre, due: 2026-03-31}]
        """.replace("        ", ""))
    assert errors("review", review) == []
    incident = load_yaml("date: 2026-03-02\nautomation: payment-reminders\n"
                         "summary: a reminder went to a client who had paid\n")
    assert errors("incident", incident) == []


def test_policy_shorthands_are_accepted():
    data = load_yaml("organisation: X\npolicy:\n  checks:\n    G008: warning\n    G010: off\n"
                     "    G011: {max_cadence: monthly}\n    G014: false\n")
    assert errors("settings", data) == []
    data = load_yaml("organisation: X\npolicy:\n  checks:\n    G008: sometimes\n")
    assert errors("settings", data)


def test_a_typo_is_rejected():
    data = load_yaml((DEMO / "automations/payment-reminders.yaml").read_text("utf-8"))
    data["ownr"] = data.pop("owner")
    found = errors("automation", data)
    assert any("ownr" in e and "not allowed" in e for e in found), found


def test_a_nested_typo_and_a_bad_value_are_rejected():
    data = load_yaml(textwrap.dedent(MINIMAL["automations/reminders.yaml"]))
    data["steps"][0]["knd"] = "automatic"
    data["perimeter"] = "everywhere"
    data["content"][0]["valid_until"] = "31/12/2099"
    found = errors("automation", data)
    assert any(e.startswith("steps/0") and "knd" in e for e in found), found
    assert any(e.startswith("perimeter") for e in found), found
    assert any(e.startswith("content/0/valid_until") for e in found), found


def test_if_is_exported_by_its_yaml_name():
    from livingsys.reading.schema import schema_for

    rule = schema_for("automation")["$defs"]["Rule"]["properties"]
    assert "if" in rule and "if_" not in rule


@pytest.mark.parametrize("kind", ["settings", "people", "rule", "automation", "review",
                                  "incident"])
def test_committed_schema_folder_is_up_to_date(kind):
    from livingsys.reading.schema import schema_text

    committed = REPO / "schema" / f"{kind}.json"
    assert committed.is_file(), "run `livingsys schema --output schema` and commit schema/"
    assert committed.read_text("utf-8") == schema_text(kind), (
        f"schema/{kind}.json is out of date with the models: run "
        "`livingsys schema --output schema` and commit the result")


def test_no_stray_files_in_schema_folder():
    from livingsys.reading.schema import kind_names

    assert sorted(p.name for p in (REPO / "schema").iterdir()) == sorted(
        f"{k}.json" for k in kind_names())


# -- the command ---------------------------------------------------------------------------


def test_index_lists_every_kind(cli):
    result = cli("schema")
    assert result.exit_code == 0
    for kind in ("settings", "people", "rule", "automation", "review", "incident"):
        assert kind in result.output
    assert "automations/<id>.yaml" in result.output


def test_prints_one_schema_as_json(cli):
    result = cli("schema", "automation")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["title"].startswith("livingsys automation file")


def test_unknown_kind_suggests(cli):
    result = cli("schema", "automations")
    assert result.exit_code == 2
    assert "did you mean 'automation'" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_output_writes_every_kind_and_is_idempotent(cli, tmp_path: Path):
    target = tmp_path / "out" / "schema"
    result = cli("schema", "--output", target)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == sorted(
        f"{k}.json" for k in ("settings", "people", "rule", "automation", "review", "incident"))
    assert json.loads((target / "people.json").read_text("utf-8"))["$id"].endswith("people.json")
    again = cli("schema", "--output", target)
    assert again.output.count("unchanged") == 6


def test_output_with_kind_writes_only_that_kind(cli, tmp_path: Path):
    result = cli("schema", "rule", "-o", tmp_path)
    assert result.exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["rule.json"]


def test_output_onto_a_file_is_a_usage_error(cli, tmp_path: Path):
    (tmp_path / "f").write_text("x")
    result = cli("schema", "--output", tmp_path / "f")
    assert result.exit_code == 2
    assert "is a file, not a folder" in " ".join(result.output.split())
