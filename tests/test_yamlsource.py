"""Reading YAML: the values scalars become, positions, and the problems reported.

These pin down the reader's behaviour so that making it faster cannot change what it reads.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livingsys.reading import yamlsource
from livingsys.reading.yamlsource import YamlList, YamlMap, parse


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


# ------------------------------------------------------------------------------------------
# Y011: a ' #' that cuts an unquoted value short


def cut(text: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.col, f.message) for f in parse(text, "f.yaml").findings
            if f.code == yamlsource.COMMENT_CUTS_VALUE]


@pytest.mark.parametrize("text, where, value", [
    ("does: posts them in #support-escalations.\n", (1, 21), "the value is 'posts them in'"),
    ("- posts in #general\n", (1, 12), "the value is 'posts in'"),
    ("a:\n  - item #two\n", (2, 10), "the value is 'item'"),
    ("where: #incidents\n", (1, 8), "'where' has no value"),
    ("does: over two\n  lines #cut\n", (2, 9), "the value is 'over two lines'"),
    ("a: {b: c #d\n  }\n", (1, 10), "the value is 'c'"),
    ("a: élan #x\n", (1, 9), "the value is 'élan'"),  # columns count characters
])
def test_a_comment_that_looks_like_the_rest_of_the_value_is_reported(text, where, value):
    (line, col, message), = cut(text)
    assert (line, col) == where
    assert message == f"the text after ' #' was read as a YAML comment, so {value}"


def test_the_hint_writes_the_whole_value_in_quotes():
    doc = parse('does: say "hi" in #general\nx:\n  - posts in #team\n', "f.yaml")
    assert [f.hint.split(" (")[0] for f in doc.findings] == [
        "put the whole value in quotes: does: 'say \"hi\" in #general'",
        'put the whole value in quotes: - "posts in #team"']


@pytest.mark.parametrize("text", [
    "does: posts them # to the team\n",  # a real comment: '#' then a space
    'does: "posts in #general"\n', "does: 'posts in #general'\n",
    'does: "posts in" #general\n',  # quoted: the user chose where the value ends
    "does: >-\n  posts in #general\n", "does: |\n  posts in #general\n",
    "does: >- #note\n  posts\n",  # a block's header comment
    "daily_cap: 40 #max\n", "rate: 0.5 #half\n", "key: true #yes\n",
    "# a whole-line comment #x\na: b\n", "a: b#c\n", "a:\n  #b\n  c: d\n",
])
def test_no_finding_where_nothing_is_cut(text):
    assert cut(text) == []


def test_a_bracket_closed_inside_a_comment_says_so():
    (finding,) = parse("notify_on_exception: {channel: #finance}\nx: 1\n", "f.yaml").findings
    assert finding.code == "Y002" and (finding.line, finding.col) == (1, 32)
    assert "the ' #' on line 1 starts a comment" in finding.message
    assert finding.hint == 'put the value in quotes: "#finance"'
    (finding,) = parse("uses: [a, b #c]\n", "f.yaml").findings
    assert "list opened with '['" in finding.message and finding.hint.endswith('"b #c"')


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@given(value=_TEXT, key=st.sampled_from(["does", "where", "a b", "x"]))
@settings(max_examples=300, deadline=None)
def test_quoted_values_are_never_reported(value, key):
    single = "'" + value.replace("'", "''") + "'"
    double = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    for quoted in (single, double):
        for text in (f"{key}: {quoted}\n", f"- {quoted}\n", f"{key}: [{quoted}, {quoted}]\n",
                     f"{key}: {quoted} #after\n"):
            assert cut(text) == []


@given(st.text(st.sampled_from(list("ab #:-[]{},'\"|>\n\t é")), max_size=60))
@settings(max_examples=500, deadline=None)
def test_the_detector_never_crashes(text):
    doc = parse(text, "f.yaml")  # parse never raises; every finding has a position
    for finding in doc.findings:
        if finding.code == yamlsource.COMMENT_CUTS_VALUE:
            assert finding.line >= 1 and finding.col >= 1
            line = text.split("\n")[finding.line - 1]
            assert line[finding.col - 1] == "#"
