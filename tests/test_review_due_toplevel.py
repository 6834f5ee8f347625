"""review-due reads a version's top-level entries on their own only when that is sure."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from livingsys.history.semantic_diff import identical
from livingsys.reading.yamlsource import parse
from livingsys.ritual.due_history import TopLevel, area_sections


class _Blobs:
    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def read_blob(self, blob: str) -> bytes:
        return self.texts[blob].encode("utf-8")


def _top(text: str):
    top = TopLevel(_Blobs({"b": text}))  # type: ignore[arg-type]
    version = SimpleNamespace(blob="b", exists=True, path="automations/x.yaml")
    return top.data(version)  # type: ignore[arg-type]


PLAIN = """# a comment
id: x
when: a > 5 && b < 3
rules:
  - id: r
    if: "quoted"
    then: [a, b]
# between
guardrails:
  daily_cap: 40
description: >
  folded
  text

status: active
"""


def test_a_plain_file_is_read_by_entries_with_the_same_data():
    data = _top(PLAIN)
    full = parse(PLAIN, "x.yaml").data
    assert data is not None
    assert identical(dict(full), data) and list(full) == list(data)


@pytest.mark.parametrize("text", [
    'id: x\nname: "open\nstatus: active"\n',          # a quote carried past a key line
    "id: x\nlist: [a,\nstatus: b]\n",                  # a bracket carried past a key line
    "id: &a x\nother: *a\n",                           # an alias
    "id: x\nid: y\n",                                  # a key twice
    "id: x\n- a\n",                                    # a line at column 0 that is no key
    "  id: x\n",                                       # not at column 0
    "id: x\n---\nid: y\n",                             # several documents
    "id: x\n\tname: y\n",                              # a tab
    "id: x\r\nname: y\r\n",                            # carriage returns
    "? id\n: x\n",                                     # a complex key
    "id: x\n<<: {a: 1}\n",                             # a merge key
    "[a, b]\n",                                        # not a mapping
    "# only a comment\n",
    "id: [x\n",                                        # invalid YAML
])
def test_unsure_splits_fall_back_to_the_whole_file(text):
    data = _top(text)
    full = parse(text, "x.yaml").data
    assert data is None or (isinstance(full, dict) and identical(dict(full), data)
                            and list(full) == list(data))


def _top_after_the_registry(text: str):
    """As review-due sees a committed version the registry read already (the same bytes)."""
    read = {"automations/x.yaml": parse(text, "automations/x.yaml")}
    top = TopLevel(_Blobs({"b": text}), read)  # type: ignore[arg-type]
    version = SimpleNamespace(blob="b", exists=True, path="automations/x.yaml")
    return top.data(version)  # type: ignore[arg-type]


def test_a_version_the_registry_read_is_not_parsed_again(monkeypatch):
    import livingsys.reading.toplevel as toplevel

    def no_parse(*_args):
        raise AssertionError("parsed a second time")

    monkeypatch.setattr(toplevel, "parse", no_parse)
    data = _top_after_the_registry(PLAIN)
    full = parse(PLAIN, "x.yaml").data
    assert data is not None and identical(dict(full), data) and list(full) == list(data)


@pytest.mark.parametrize("text", [
    'id: x\nname: "open\nstatus: active"\n',
    "id: x\nlist: [a,\nstatus: b]\n",
    "id: x\nname: 'open\nstatus: active'\n",
    "id: x\nlist: {a: 1,\nstatus: b}\n",
    "id: x\n- a\n",
    "id: &a x\nother: *a\n",
])
def test_what_the_registry_read_is_used_only_when_its_keys_are_the_entries(text):
    """A quote or a bracket carried past a line at column 0 makes an entry of a line that
    is no key of the file: the keys do not line up, nothing read is reused."""
    data = _top_after_the_registry(text)
    full = parse(text, "x.yaml").data
    assert data is None or (isinstance(full, dict) and identical(dict(full), data)
                            and list(full) == list(data))
    assert data == _top(text)


def test_unsure_splits_are_refused():
    assert _top('id: x\nname: "open\nstatus: active"\n') is None
    assert _top("id: &a x\nother: *a\n") is None
    assert _top("id: x\nid: y\n") is None


def test_identical_tells_types_apart():
    assert identical({"a": [1, {"b": "c"}]}, {"a": [1, {"b": "c"}]})
    assert not identical({"a": 1}, {"a": True})
    assert not identical([1], [1.0])
    assert not identical(float("nan"), float("nan"))
    # keys equal for Python but not once written as text (the semantic diff reads them so)
    assert not identical({1: "a"}, {True: "a"})
    assert not identical({1: "a"}, {1: "a"})


def test_equal_data_of_other_types_is_still_a_change():
    """The diff's shortcut for identical data never hides a change of type: 1 -> true is
    still reported (1 -> 1.0, the same number, still is not)."""
    from livingsys.history.semantic_diff import diff_automation

    old = {"id": "a", "guardrails": {"daily_cap": 1, "human_validation": {"scope": 40}}}
    to_bool = {"id": "a", "guardrails": {"daily_cap": True, "human_validation": {"scope": 40}}}
    to_float = {"id": "a", "guardrails": {"daily_cap": 1.0, "human_validation": {"scope": 40.0}}}
    assert [(c.item, c.old, c.new) for c in diff_automation(old, to_bool)] == [
        ("daily_cap", 1, True)]
    assert diff_automation(old, to_float) == []
    assert diff_automation(old, {**old}) == []


def test_sections_of_the_wanted_changes():
    assert area_sections({("rule", "r", "when"), ("owner", "owner", None)}) == (
        "maintainer", "owner", "rules")
    assert area_sections({("rule", "r", "when"), ("identity", "tool", None)}) is None
    assert area_sections({("other", "x", None)}) is None
