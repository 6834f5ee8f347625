"""The core's entry points take a loaded registry or its folder, the same way (as_registry)."""

from __future__ import annotations

import datetime as dt

import pytest

from livingsys.reading.registry import RegistryNotFound, as_registry, load_registry
from livingsys.ritual.export import build_tracking
from livingsys.ritual.report import build_report
from livingsys.ritual.review_due import review_due


def test_a_loaded_registry_is_used_as_is(make_registry):
    loaded = load_registry(make_registry())
    assert as_registry(loaded) is loaded


def test_a_folder_is_read_whether_a_path_or_a_string(make_registry):
    root = make_registry()
    for given in (root, str(root)):
        registry = as_registry(given)
        assert registry.root == root
        assert [e.model.id for e in registry.valid_automations] == \
            [e.model.id for e in load_registry(root).valid_automations]


def test_a_missing_folder_says_so(tmp_path):
    with pytest.raises(RegistryNotFound, match="no registry folder"):
        as_registry(tmp_path / "nowhere")


@pytest.mark.parametrize("build", [
    lambda r, day: review_due(r, day, history=False).to_dict(),
    lambda r, day: build_report(r, day).to_dict(),
    lambda r, day: build_tracking(r, day).rows,
], ids=["review_due", "build_report", "build_tracking"])
def test_entry_points_give_the_same_result_from_a_folder_or_a_loaded_registry(make_registry,
                                                                              build):
    root = make_registry()
    day = dt.date(2026, 12, 2)
    assert build(str(root), day) == build(load_registry(root), day)
