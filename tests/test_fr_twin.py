"""examples/registre-fr: the demo registry's French twin. It lints clean, livingsys speaks French
to it, and it stays a twin: the same files, automations, people, conditions and figures as the
demo registry, only the words people read are French."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DEMO, REPO
from livingsys import i18n

TWIN = REPO / "examples" / "registre-fr"
#: Values that are identifiers, conditions, dates or choices, the same in both languages (any
#: other text is prose, translated). A place (a chat channel, a tool, a contact) may be named
#: in French too: the keys of PLACES.
SAME = {"id", "owner", "maintainer", "kind", "type", "audience", "content", "handled_by",
        "validated_by", "uses_rules", "status", "perimeter", "cadence", "criticality",
        "automation", "severity", "reported_by", "attendees", "who", "due", "date", "since",
        "valid_until", "status_since", "outcome", "rules", "exception", "when", "action",
        "default_cadence", "chair", "to", "key", "organisation", "given"}
PLACES = {"channel", "where", "by", "contact"}


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _shape(value, key: str | None = None):
    """The data with prose replaced by a marker: what must be equal in both twins."""
    if isinstance(value, dict):
        return {k: _shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v, key) for v in value]
    if isinstance(value, str) and key not in SAME:
        return "<place>" if key in PLACES else "<text>"
    return value


def _data(path: Path):
    from livingsys.reading.yamlsource import parse

    return parse(path.read_text("utf-8"), str(path)).data


def test_the_twin_lints_clean_in_french(cli):
    result = cli("lint", "--registry", str(TWIN))
    assert result.exit_code == 0, result.output
    assert i18n.language() == "fr"


def test_the_twin_has_the_demo_files():
    assert _files(TWIN) == _files(DEMO)


def test_the_twin_has_the_same_figures():
    assert (TWIN / "indicators.csv").read_text("utf-8") == (
        DEMO / "indicators.csv").read_text("utf-8")


@pytest.mark.parametrize("rel", [f for f in _files(DEMO) if f.endswith(".yaml")])
def test_each_twin_file_holds_the_same_automations_rules_and_conditions(rel):
    demo, twin = _data(DEMO / rel), _data(TWIN / rel)
    if rel == "livingsys.yaml":
        assert twin.pop("language") == "fr"
    if rel.startswith("reviews/"):
        # the twin was not in the repository at the demo review's commit
        demo.pop("registry_commit", None)
    assert _shape(twin) == _shape(demo)


def test_the_twin_is_french():
    text = (TWIN / "automations" / "payment-reminders.yaml").read_text("utf-8")
    assert "name: Relances des factures impayées" in text
    assert "if: le client n'a pas répondu depuis 7 jours" in text
