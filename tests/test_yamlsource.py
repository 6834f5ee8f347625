"""Reading YAML: the values scalars become, positions, and the problems reported.

These pin down the reader's behaviour so that making it faster cannot change what it reads.
"""

from __future__ import annotations

import math

import pytest

from livingsys import yamlsource
from livingsys.yamlsource import YamlList, YamlMap, parse


def data(text: str):
    doc = parse(text, "f.yaml")
    assert not doc.findings, [f.message for f in doc.findings]
    return doc.data


def codes(text: str) -> list[str]:
    return [f.code for f in parse(text, "f.yaml").findings]


@pytest.mark.parametrize("text, value", [
    ("true", True), ("False", False), ("TRUE", True),
    # YAML 1.2: these are text, not booleans or octals
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("Off", "Off"), ("y", "y"), ("tRue", "tRue"),
    ("017", 17), ("0o17", 15), ("+0o7", 7), ("0x1F", 31), ("-0x1F", -31), ("1_000", 1000),
    ("0b101", "0b101"), ("12:30", "12:30"), ("1:20:30", "1:20:30"), ("+12", 12), ("-0", 0),
    ("1.5", 1.5), ("1e3", 1000.0), ("1.", 1.0), ("-.5", -0.5), ("+3_1.4_1", 31.41),
    (".inf", math.inf), ("-.INF", -math.inf),
    ("~", None), ("null", None), ("Null", None), ("", None), ("nULL", "nULL"),
    ("2026-01-01", "2026-01-01"), ("2026-01-01T10:00:00Z", "2026-01-01T10:00:00Z"),
    ("'yes'", "yes"), ('"1"', "1"), ("'0o17'", "0o17"), ("'true'", "true"),
    ("!!str 123", "123"), ("!!int '12'", 12), ("!!int abc", "abc"), ("!!float 1", 1.0),
    ("!!bool 'TRUE'", True), ("!!bool yes", "yes"), ("!!null x", None),
    ("!custom foo", "foo"), ("!<tag:example.com,2000:x> 5", "5"), ("<<", "<<"), ("=", "="),
])
def test_scalar_values(text, value):
    assert data(f"a: {text}\n")["a"] == value
    assert data(f"- {text}\n")[0] == value


def test_nan():
    assert math.isnan(data("a: .NaN\n")["a"])


def test_keys_are_always_text():
    assert list(data("1: a\ntrue: b\n~: c\n1.5: d\n!!int 7: e\n'x': f\n")) == [
        "1", "true", "~", "1.5", "7", "x"]


def test_positions_of_keys_values_and_items():
    doc = data("id: x\nsteps:\n  - a\n  - {b: 1}\n")
    assert isinstance(doc, YamlMap) and isinstance(doc["steps"], YamlList)
    assert doc.mark == (0, 0)
    assert doc.marks["id"] == (0, 0, 0, 4)
    assert doc.key_position("steps") == (1, 0)
    assert doc.value_position("steps") == (2, 2)
    assert doc["steps"].marks == [(2, 4), (3, 4)]
    assert doc["steps"][1].marks["b"] == (3, 5, 3, 8)
    assert yamlsource.locate(doc, ("steps", 1, "b")) == (4, 9)
    assert yamlsource.locate(doc, ("steps", 1, "b"), key=True) == (4, 6)


def test_merge_keys_and_aliases():
    doc = data("base: &b {x: 1, y: 2}\nm:\n  <<: [*b, {z: 3}]\n  x: 9\nn: *b\n")
    assert doc["m"] == {"x": 9, "y": 2, "z": 3}
    assert doc["m"].marks["y"] == doc["base"].marks["y"]
    assert doc["n"] is doc["base"]


def test_duplicate_key_reported_once_even_in_an_aliased_block():
    doc = parse("a: &x\n  k: 1\n  k: 2\nb: *x\n", "f.yaml")
    assert [f.code for f in doc.findings] == ["Y003"]
    assert doc.findings[0].line == 3
    assert doc.data["a"]["k"] == 2


def test_problems():
    assert codes("a: &x [*x]\n") == ["Y006"]
    assert codes("a: &x {b: *x}\n") == ["Y006"]
    assert codes("x: " + "[" * 70 + "]" * 70 + "\n") == ["Y002"]
    bomb = ("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n")
    assert codes(bomb) == ["Y006"]
    assert codes("? [a]\n: 1\n") == ["Y002"]
    assert codes("a: b: c\n") == ["Y002"]
    assert codes("a: 1\n---\nb: 2\n") == ["Y005"]
    assert codes("\ta: 1\n") == ["Y010"]
    assert codes("# only a comment\n") == ["Y004"]
    assert codes("a: *nope\n") == ["Y002"]
