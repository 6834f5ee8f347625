"""Every command's JSON is written by render.jsontext: the same text as the standard library's
``json.dumps(data, indent=2, ensure_ascii=False)``, whatever the data."""

from __future__ import annotations

import json
from collections import OrderedDict
from enum import Enum, IntEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livingsys.render.jsontext import dumps

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
data = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                    | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=4),
                    max_leaves=30)


def standard(value):
    return json.dumps(value, indent=2, ensure_ascii=False)


@given(data)
def test_the_same_text_as_the_standard_library(value):
    assert dumps(value) == standard(value)


class Colour(str, Enum):
    red = "red"


class Level(IntEnum):
    high = 3


def test_subclasses_of_text_numbers_and_containers_are_written_as_json_writes_them():
    value = {"colour": Colour.red, "level": Level.high, "ordered": OrderedDict(b=1, a=[()]),
             Level.high: [float("inf"), -float("inf"), float("nan"), 1e16, -0.0, 2**70]}
    assert dumps(value) == standard(value)


def test_data_read_from_yaml_is_written_like_plain_data():
    from livingsys.reading.yamlsource import parse

    data = parse("a: 1\nb:\n  c: [x, {d: 2.5}]\n  e: []\n", "f.yaml").data
    assert type(data) is not dict  # the reader's own mapping type, with positions
    assert dumps({"read": data}) == standard({"read": data})


def test_empty_containers_and_control_characters():
    value = {"": [], "x": {}, "tab\there": "line\nbreak \x00 \x1f \u2028 \"q\" \\ é ✓"}
    assert dumps(value) == standard(value)
    assert dumps([]) == "[]" and dumps({}) == "{}"


def test_what_json_refuses_is_refused_the_same_way():
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        dumps({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be str"):
        dumps({(1, 2): "tuple key"})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(loop)
