"""Registry.people and Registry.rule_ids are cached, but follow the registry when it changes."""

from __future__ import annotations

from livingsys.models import People, Person
from livingsys.reading.registry import Entry, load_registry


def test_people_and_rule_ids_follow_changes(make_registry):
    registry = load_registry(make_registry())
    people = registry.people
    assert set(people) == {"b.owner", "t.tech", "m.boss"}
    assert registry.people is people  # computed once
    assert registry.rule_ids == {"threshold"}

    registry.people_file.model = People(people=[Person(id="x.new", name="X", kind="business")])
    assert set(registry.people) == {"x.new"}
    registry.people_file.model.people.append(Person(id="y.new", name="Y", kind="manager"))
    assert set(registry.people) == {"x.new", "y.new"}
    registry.people_file.model = None
    assert registry.people is None

    extra = Entry(rel="rules/other.yaml", path="rules/other.yaml",
                  doc=registry.shared_rules[0].doc)
    registry.shared_rules.append(extra)
    assert registry.rule_ids == {"threshold", "other"}
    registry.shared_rules = []
    assert registry.rule_ids == set()
