"""Conditions: what a person writing a rule's `when`, or reading its trace, gets."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from livingsys.conditions import (
    MAX_LENGTH,
    ConditionError,
    FactSpec,
    check_fact_value,
    compile_condition,
    parse_fact_value,
)
from livingsys.models.automation import Fact

FACTS = [
    Fact(name="days_without_reply", type="int", unit="days"),
    Fact(name="amount_due", type="number", unit="EUR"),
    Fact(name="segment", type="string"),
    Fact(name="vip", type="bool"),
]
SPECS = {f.name: FactSpec(f.name, f.type, f.unit) for f in FACTS}
VALUES = {"days_without_reply": 8, "amount_due": 6000, "segment": "b2b", "vip": False}


def error_of(expression: str, facts=FACTS) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        compile_condition(expression, facts)
    return caught.value


def evaluate(expression: str, values=VALUES, facts=FACTS):
    return compile_condition(expression, facts).evaluate(values)


# --------------------------------------------------------------------------------------------
# Evaluation and trace
# --------------------------------------------------------------------------------------------


def test_the_article_example_evaluates_with_a_readable_trace():
    result = evaluate("days_without_reply >= 7 && amount_due <= 5000")
    assert result.value is False
    assert result.trace() == [
        "days_without_reply >= 7: 8 >= 7 → true",
        "amount_due <= 5000: 6000 <= 5000 → false",
    ]
    first = result.comparisons[0]
    assert (first.left, first.op, first.right, first.result) == (8, ">=", 7, True)
    assert (first.left_text, first.right_text) == ("days_without_reply", "7")


def test_trace_follows_the_source_order_and_positions_of_a_multiline_condition():
    expression = "vip\n  || days_without_reply > 30\n  || segment in ['b2b', 'b2c']"
    result = evaluate(expression)
    assert result.value is True
    assert [(c.line, c.col) for c in result.comparisons] == [(2, 6), (3, 6)]
    assert result.trace()[1] == "segment in ['b2b', 'b2c']: 'b2b' in ['b2b', 'b2c'] → true"


def test_facts_may_be_given_as_models_specs_or_type_names():
    for facts in (FACTS, SPECS, {"amount_due": "number"}):
        assert compile_condition("amount_due > 100", facts).evaluate(VALUES).value is True


def test_condition_reports_the_facts_it_uses_in_order():
    condition = compile_condition("segment == 'b2b' && amount_due > 0 && segment != ''", FACTS)
    assert condition.facts_used == ("segment", "amount_due")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # A number fact compared with whole numbers, an int fact with decimals.
        ("amount_due <= 5000", False),
        ("amount_due == 6000", True),
        ("days_without_reply < 8.5", True),
        ("days_without_reply == 8.0", True),
        # Mixed arithmetic; division is ordinary division.
        ("amount_due / days_without_reply == 750", True),
        ("days_without_reply / 16 == 0.5", True),
        ("7 / 2 == 3.5", True),
        ("days_without_reply * 2 + amount_due - 6016 == 0", True),
        ("days_without_reply % 3 == 2", True),
        ("-days_without_reply < 0", True),
        # in-lists, including mixed whole and decimal numbers.
        ("amount_due in [100, 6000.0, 250.5]", True),
        ("days_without_reply in [1, 2, 3]", False),
        ("segment in ['b2b', 'b2c']", True),
        ("!(segment in [])", True),
        # Texts and true/false.
        ("segment.startsWith('b2') && segment.endsWith('b') && segment.contains('2')", True),
        ("segment + '!' == 'b2b!'", True),
        ("segment < 'c'", True),
        ("vip == false && !vip", True),
        ("vip ? amount_due > 0 : days_without_reply >= 7", True),
        ("(vip ? 1 : 2.5) * 2 == 5", True),
        ("days_without_reply >= 7 // a comment\n && true", True),
    ],
)
def test_results_people_expect(expression, expected):
    assert evaluate(expression).value is expected


def test_int_facts_show_as_whole_numbers_and_decimals_as_decimals_in_the_trace():
    result = evaluate("days_without_reply / 16 < 1 && amount_due > 99.5",
                      {**VALUES, "amount_due": 100.25})
    assert result.trace() == [
        "days_without_reply / 16 < 1: 0.5 < 1 → true",
        "amount_due > 99.5: 100.25 > 99.5 → true",
    ]


def test_evaluation_without_trace_gives_the_same_value():
    condition = compile_condition("days_without_reply >= 7 && amount_due <= 5000", FACTS)
    quick = condition.evaluate(VALUES, trace=False)
    assert quick.value is condition.evaluate(VALUES).value is False
    assert quick.comparisons == ()


def test_text_tests_appear_in_the_trace():
    result = evaluate("segment.startsWith('b2')")
    assert result.trace() == ["segment.startsWith('b2'): 'b2b'.startsWith('b2') → true"]


def test_a_missing_value_names_the_fact():
    condition = compile_condition("days_without_reply >= 7 &&\n amount_due <= 5000", FACTS)
    with pytest.raises(ConditionError) as caught:
        condition.evaluate({"days_without_reply": 8})
    error = caught.value
    assert error.kind == "missing"
    assert "amount_due" in error.message
    assert (error.line, error.col) == (2, 2)


def test_extra_values_are_ignored():
    assert evaluate("vip", {**VALUES, "other": "x"}).value is False


def test_a_value_of_the_wrong_type_is_refused_at_evaluation():
    with pytest.raises(ConditionError) as caught:
        evaluate("days_without_reply >= 7", {"days_without_reply": True})
    assert caught.value.kind == "value"
    assert "days_without_reply" in caught.value.message


def test_division_by_zero_is_a_clear_error_not_infinity():
    with pytest.raises(ConditionError) as caught:
        evaluate("amount_due / (days_without_reply - 8) > 100")
    error = caught.value
    assert error.kind == "evaluation"
    assert error.message == "division by zero in 'amount_due / (days_without_reply - 8)'"
    assert (error.line, error.col) == (1, 1)


def test_remainder_by_zero_is_a_clear_error():
    with pytest.raises(ConditionError, match="division by zero"):
        evaluate("days_without_reply % (days_without_reply - 8) == 0")


def test_a_result_too_large_is_a_clear_error():
    with pytest.raises(ConditionError) as caught:
        evaluate("amount_due * 1e300 * 1e300 > 1")
    assert caught.value.kind == "evaluation"
    assert "too large" in caught.value.message


def test_an_error_in_a_part_that_does_not_matter_is_shown_in_the_trace_only():
    result = evaluate("vip && amount_due / 0 > 1")
    assert result.value is False
    assert result.trace() == [
        "amount_due / 0 > 1: could not be computed (division by zero in 'amount_due / 0')"]


# --------------------------------------------------------------------------------------------
# Syntax errors: where and what
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "line", "col", "message", "hint"),
    [
        ("days_without_reply >= 7 &&\n  amount_due @ 3", 2, 14, "unexpected character '@'",
         "Conditions use"),
        ("days_without_reply = 7", 1, 20, "unexpected character '='", "=="),
        # comparisons written another way get the operator they meant, not "write =="
        ("amount_due => 5000", 1, 12, "unexpected character '='", "Write >= (the = comes"),
        ("amount_due =< 5000", 1, 12, "unexpected character '='", "Write <= (the = comes"),
        ("amount_due =! 0", 1, 12, "unexpected character '='", "Write != (the = comes"),
        ("amount_due <= = 5000", 1, 15, "unexpected character '='",
         "Remove this '=': <= already compares"),
        ("amount_due < = 5000", 1, 14, "unexpected character '='", "Write <= without a space"),
        ("amount_due <> 0", 1, 13, "'>' is not expected here", "Write != for"),
        ("amount_due ≥ 5000", 1, 12, "unexpected character '≥'", "Write >= instead of ≥"),
        ("vip =", 1, 5, "unexpected character '='", "=="),
        ("vip & true", 1, 5, "unexpected character '&'", "&&"),
        ("days_without_reply >= 7 and vip", 1, 25, "'and' is not expected here", "&&"),
        ("days_without_reply >= 7 &&", 1, 27, "incomplete", "missing"),
        ("(vip ||\n true", 2, 6, "incomplete", "parenthesis"),
        ("segment == 'b2b", 1, 12, "a text in quotes is not closed", "same quote"),
        ("vip)", 1, 4, "')' is not expected here", "parenthesis"),
        ("  ", 1, 1, "the condition is empty", None),
    ],
)
def test_syntax_errors_point_at_the_right_line_and_column(expression, line, col, message,
                                                          hint):
    error = error_of(expression)
    assert error.kind == "syntax"
    assert (error.line, error.col) == (line, col)
    assert message in error.message
    if hint:
        assert hint in error.hint


def test_offset_line_and_col_agree():
    error = error_of("vip ||\n  vip ||\n   amount_due # 3")
    assert error.offset == len("vip ||\n  vip ||\n   amount_due ")
    assert (error.line, error.col) == (3, 15)
    assert error.excerpt() == "   amount_due # 3\n              ^"


# --------------------------------------------------------------------------------------------
# Undeclared facts
# --------------------------------------------------------------------------------------------


def test_undeclared_fact_is_named_with_the_closest_declared_one():
    error = error_of("days_without_reply >= 7 &&\n amount_du <= 5000")
    assert error.kind == "undeclared"
    assert error.fact == "amount_du"
    assert "'amount_du'" in error.message
    assert "Did you mean 'amount_due'?" in error.hint
    assert "Declared facts: amount_due, days_without_reply, segment, vip." in error.hint
    assert (error.line, error.col) == (2, 2)


def test_an_unquoted_text_is_reported_as_undeclared_with_a_quoting_hint():
    error = error_of("segment == b2b")
    assert error.kind == "undeclared"
    assert "put it in quotes" in error.hint
    assert error.col == 12


def test_no_facts_declared_says_so():
    error = error_of("amount_due > 5", facts=[])
    assert error.kind == "undeclared"
    assert "declares no facts" in error.hint


def test_capitalised_true_gets_a_lowercase_hint():
    assert "lowercase" in error_of("vip == True").hint


# --------------------------------------------------------------------------------------------
# Type mismatches
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message", "hint"),
    [
        ("days_without_reply == 'seven'",
         "cannot compare 'days_without_reply' (a whole number) with 'seven' (a text)",
         "compare it with a whole number"),
        ("amount_due <= '5000'", "cannot compare", "Write 5000 without quotes"),
        ("segment == 12", "cannot compare", "Put the text in quotes: '12'"),
        ("amount_due && vip", "'&&' (and) needs true or false on each side, but 'amount_due' "
         "is a number", "amount_due > 0"),
        ("!amount_due", "'!' (not) needs true or false", None),
        ("amount_due + 1", "a condition must be true or false, but this one gives a number",
         "amount_due + 1 > 0"),
        ("segment", "a condition must be true or false, but this one gives a text", None),
        ("vip < true", "true/false values can only be compared with == or !=", None),
        ("amount_due < 5 < 6", "cannot compare 'amount_due < 5' (true or false)",
         "amount_due < 5 && 5 < 6"),
        ("amount_due % 2 == 0", "'%' (remainder) needs whole numbers", None),
        ("segment - 'a' == ''", "'-' needs two numbers", None),
        ("segment in [1, 2]", "cannot look for 'segment' (a text) in a list of whole numbers",
         None),
        ("amount_due in ['a', 1]", "the list mixes a text ('a') and a whole number", None),
        ("amount_due in 5", "'in' needs a list", None),
        ("[1, 2] == [1, 2]", "can only be used after 'in'", None),
        ("amount_due.startsWith('1')", "'startsWith' works on texts", None),
        ("segment.contains(1)", "'contains' needs a text", None),
        ("(vip ? 1 : 'a') == 1", "both sides of ':' must be of the same kind", None),
    ],
)
def test_type_mismatches_are_found_before_running(expression, message, hint):
    error = error_of(expression)
    assert error.kind == "type"
    assert message in error.message
    if hint:
        assert hint in error.hint
    assert error.line == 1 and 1 <= error.col <= len(expression)


def test_type_error_points_at_the_operator():
    error = error_of("vip ||\n  days_without_reply == 'x'")
    assert (error.line, error.col) == (2, 22)


# --------------------------------------------------------------------------------------------
# Outside the language, and attempts to run code
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("size(segment) > 3", "'size(...)': conditions cannot call functions"),
        ("__import__('os').system('touch pwned') == 0", "conditions cannot call functions"),
        ("exec('import os') == null", "conditions cannot call functions"),
        ("[1, 2].exists(x, x > 1)", "'.exists(...)' is not supported"),
        ("segment.matches('a+')", "'.matches(...)' is not a function conditions can use"),
        ("segment.size() > 1", "'.size(...)' is not a function conditions can use"),
        ("segment.length > 1", "fields (x.y) are not supported"),
        ("segment[0] == 'b'", "indexes (x[...]) are not supported"),
        ("{'a': 1}['a'] == 1", "maps ({...}) are not supported"),
        ("segment.x[0].y == 1", "fields (x.y) are not supported"),
        ("segment == null", "'null' is not supported"),
        ("days_without_reply == 5u", "unsigned numbers are not supported"),
        ("segment == b'abc'", "bytes are not supported"),
    ],
)
def test_constructs_outside_the_language_are_refused_clearly(expression, message):
    error = error_of(expression)
    assert error.kind == "unsupported"
    assert message in error.message
    assert error.hint


def test_code_in_a_condition_is_never_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    attempts = [
        "__import__('os').system('touch pwned')",
        "exec(\"open('pwned', 'w')\")",
        "eval('1') == 1",
        "open('pwned', 'w') == null",
        "segment.__class__.__mro__ == []",
        "vip ? __import__('os') : false",
        "type(vip) == bool",
    ]
    for attempt in attempts:
        with pytest.raises(ConditionError):
            compile_condition(attempt, FACTS).evaluate(VALUES)
    assert not (tmp_path / "pwned").exists()


# --------------------------------------------------------------------------------------------
# Limits
# --------------------------------------------------------------------------------------------


def test_a_condition_too_long_is_refused():
    # how quickly (up front, not after a blow-up): bench/limits_bench.py
    expression = "vip || " * 400 + "vip"
    error = error_of(expression)
    assert error.kind == "too_complex"
    assert f"at most {MAX_LENGTH:,} are allowed" in error.message


@pytest.mark.parametrize(
    "expression",
    [
        "(" * 30 + "vip" + ")" * 30,
        "(" * 990 + "vip" + ")" * 990,
        "!" * 1990 + "vip",
        "-" * 1980 + "1 > 0",
        "1 + " * 490 + "1 > 0",
        "vip ? vip : " * 150 + "vip",
    ],
)
def test_deep_nesting_is_refused(expression):
    # how quickly (up front, not after a blow-up): bench/limits_bench.py
    error = error_of(expression)
    assert error.kind == "too_complex"
    assert "nested too deeply" in error.message


def test_too_many_elements_are_refused():
    expression = " || ".join(f"d == {i}" for i in range(80))
    assert len(expression) <= MAX_LENGTH
    error = error_of(expression, facts={"d": "int"})
    assert error.kind == "too_complex"
    assert "more than 200 elements" in error.message


def test_a_long_but_flat_chain_is_not_counted_as_deep():
    expression = " || ".join(f"days_without_reply == {i}" for i in range(40))
    assert evaluate(expression).value is True


def test_numbers_beyond_exact_whole_numbers_are_refused():
    error = error_of("amount_due < 90071992547409930")
    assert error.kind == "syntax"
    assert "too large" in error.message


# --------------------------------------------------------------------------------------------
# Values from the command line and from YAML
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    [
        ("amount_due", "6000", 6000.0),
        ("amount_due", " 12.5 ", 12.5),
        ("amount_due", "-3e2", -300.0),
        ("days_without_reply", "8", 8),
        ("days_without_reply", "-2", -2),
        ("vip", "true", True),
        ("vip", "FALSE", False),
        ("segment", "b2b", "b2b"),
        ("segment", "6000", "6000"),
    ],
)
def test_command_line_values_are_converted_to_the_fact_type(fact, text, expected):
    value = parse_fact_value(SPECS[fact], text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("fact", "text", "message", "hint"),
    [
        ("amount_due", "abc", "'abc' is not a number for fact amount_due (EUR)", None),
        ("amount_due", "12,5", "'12,5' is not a number", "Use a dot for decimals: 12.5."),
        ("amount_due", "1e999", "too large", None),
        ("days_without_reply", "7.5", "'7.5' is not a whole number for fact "
         "days_without_reply (days)", "whole number"),
        ("days_without_reply", "99999999999999999999", "too large", None),
        ("vip", "yes", "'yes' is not true or false for fact vip", "true or false"),
    ],
)
def test_command_line_values_that_do_not_fit_are_explained(fact, text, message, hint):
    with pytest.raises(ConditionError) as caught:
        parse_fact_value(FACTS[[f.name for f in FACTS].index(fact)], text)
    assert caught.value.kind == "value"
    assert message in caught.value.message
    assert caught.value.fact == fact
    if hint:
        assert hint in caught.value.hint


@pytest.mark.parametrize(
    ("fact", "value", "expected"),
    [
        ("amount_due", 6000, 6000.0),
        ("amount_due", 12.5, 12.5),
        ("days_without_reply", 8, 8),
        ("vip", False, False),
        ("segment", "b2b", "b2b"),
    ],
)
def test_yaml_values_of_the_right_type_are_accepted(fact, value, expected):
    checked = check_fact_value(SPECS[fact], value)
    assert checked == expected and type(checked) is type(expected)


@pytest.mark.parametrize(
    ("fact", "value", "message", "hint"),
    [
        ("days_without_reply", True, "true is not a whole number", None),
        ("amount_due", False, "false is not a number for fact amount_due (EUR)", None),
        ("days_without_reply", 7.5, "7.5 is not a whole number", "whole number"),
        ("days_without_reply", 8.0, "8.0 is not a whole number", "whole number"),
        ("days_without_reply", "7", "'7' is not a whole number", "without quotes"),
        ("vip", "true", "'true' is not true or false", "Write true without quotes."),
        ("segment", 123, "123 is not a text", "Put it in quotes: '123'."),
        ("amount_due", None, "None is not a number", None),
        ("days_without_reply", 2**60, "too large", None),
        ("amount_due", 10**400, "too large", None),
    ],
)
def test_yaml_values_of_the_wrong_type_are_explained(fact, value, message, hint):
    with pytest.raises(ConditionError) as caught:
        check_fact_value(SPECS[fact], value)
    assert caught.value.kind == "value"
    assert message in caught.value.message
    if hint:
        assert hint in caught.value.hint


# --------------------------------------------------------------------------------------------
# Performance
# --------------------------------------------------------------------------------------------


def test_importing_the_module_does_not_load_cel():
    code = "import sys, livingsys.conditions; print('celpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parent)
    assert out.stdout.strip() == "False"


def test_repeated_conditions_across_a_large_registry_decide_alike():
    # how fast a repeat is (the cache): bench/limits_bench.py
    expressions = [f"days_without_reply >= {i % 20} && amount_due <= 5000" for i in range(20)]
    values = {**VALUES, "amount_due": 100}
    first = [compile_condition(e, FACTS).evaluate(values).value for e in expressions]
    assert first == [i <= 8 for i in range(20)]
    for i in range(200):
        assert compile_condition(expressions[i % 20], FACTS).evaluate(values).value == first[i % 20]


# --------------------------------------------------------------------------------------------
# Properties: any text, any generated expression, any values
# --------------------------------------------------------------------------------------------

compile_condition("vip", FACTS)  # pay cel-python's start-up once, not in a timed example
# The deadline bounds each example (no blow-up on any input) without being a speed test: a busy
# CI machine must not make it fail.

PROPERTY_SETTINGS = settings(max_examples=300, deadline=timedelta(seconds=10),
                             suppress_health_check=[HealthCheck.too_slow])
NUMBERS = ["days_without_reply", "amount_due"]
CEL_CHARS = "abdegmnrstuvy_0123456789 .,()[]{}!&|=<>+-*/%?:'\"\\\n#$"
NAMES = st.sampled_from(NUMBERS + ["segment", "vip", "amout_due", "exec", "__import__", "size",
                                   "true", "false", "null", "in", "has", "x"])
FACT_VALUES = st.fixed_dictionaries({
    "days_without_reply": st.integers(-(2**53), 2**53),
    "amount_due": st.floats(allow_nan=False, allow_infinity=False),
    "segment": st.text(max_size=8),
    "vip": st.booleans(),
})


def outcome(expression: str, values: dict):
    """Compile then evaluate; only ConditionError may come out, and a result is a bool."""
    try:
        condition = compile_condition(expression, FACTS)
    except ConditionError as error:
        assert error.kind in {"syntax", "undeclared", "type", "too_complex", "unsupported"}
        assert error.message and error.offset is not None
        assert error.line >= 1 and error.col >= 1
        return error
    try:
        result = condition.evaluate(values)
    except ConditionError as error:
        assert error.kind == "evaluation"
        return error
    assert isinstance(result.value, bool)
    for comparison in result.comparisons:
        assert isinstance(comparison.describe(), str)
    return result.value


@PROPERTY_SETTINGS
@given(text=st.one_of(st.text(max_size=80), st.text(alphabet=CEL_CHARS, max_size=80)),
       values=FACT_VALUES)
def test_any_text_gives_a_bool_or_a_condition_error(text, values):
    outcome(text, values)


@st.composite
def tokens_soup(draw):
    """Random sequences of the language's own pieces: mostly near-valid expressions."""
    pieces = st.one_of(
        NAMES,
        st.integers(-(10**20), 10**20).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.text(alphabet="ab'\\\"", max_size=4).map(lambda s: f"'{s}'"),
        st.sampled_from(["<", "<=", ">", ">=", "==", "!=", "in", "&&", "||", "!", "+", "-",
                         "*", "/", "%", "?", ":", "(", ")", "[", "]", ",", ".", "startsWith",
                         "\n", "//c\n", "exists", "map"]),
    )
    return " ".join(draw(st.lists(pieces, max_size=25)))


@PROPERTY_SETTINGS
@given(expression=tokens_soup(), values=FACT_VALUES)
def test_any_soup_of_tokens_gives_a_bool_or_a_condition_error(expression, values):
    outcome(expression, values)


@PROPERTY_SETTINGS
@given(call=st.sampled_from(["__import__('os').system('x')", "exec('x')", "eval('1')",
                             "open('x')", "getattr(vip, 'x')", "globals()", "compile('1')",
                             "vip.__class__", "segment.__len__()", "type(vip)",
                             "[1].map(x, __import__('os'))"]),
       around=st.sampled_from(["{}", "{} == 1", "vip && {}", "!({})", "[{}][0]", "{} ? 1 : 2"]))
def test_code_is_always_refused(call, around):
    error = outcome(around.format(call), VALUES)
    assert isinstance(error, ConditionError)


# A small typed expression language with a Python reference evaluation that follows CEL:
# && and || absorb an error when the other side decides, ?: evaluates one branch only.

ERROR = object()


def _arith(op, a, b):
    if a is ERROR or b is ERROR:
        return ERROR
    if op == "/" and b == 0:
        return ERROR
    value = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0}[op]
    return value if math.isfinite(value) else ERROR


def _compare(op, a, b):
    if a is ERROR or b is ERROR:
        return ERROR
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b,
            "!=": a != b}[op]


def _and(a, b):
    if a is False or b is False:
        return False
    return ERROR if ERROR in (a, b) else True


def _or(a, b):
    if a is True or b is True:
        return True
    return ERROR if ERROR in (a, b) else False


number_leaves = st.one_of(
    st.sampled_from(NUMBERS).map(lambda n: (n, lambda v, n=n: float(v[n]))),
    st.integers(-1000, 1000).map(lambda i: (str(i), lambda v, i=i: float(i))),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: (repr(f), lambda v, f=f: f)),
    st.sampled_from([1e300, -1e300]).map(lambda f: (repr(f), lambda v, f=f: f)),
)


def _number_node(children):
    binary = st.tuples(children, st.sampled_from("+-*/"), children).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})",
                   lambda v, t=t: _arith(t[1], t[0][1](v), t[2][1](v))))
    negate = children.map(lambda c: (f"-({c[0]})", lambda v, c=c: (
        ERROR if c[1](v) is ERROR else -c[1](v))))
    return st.one_of(binary, negate)


numbers = st.recursive(number_leaves, _number_node, max_leaves=6)

bool_leaves = st.one_of(
    st.just(("vip", lambda v: v["vip"])),
    st.sampled_from([True, False]).map(lambda b: (str(b).lower(), lambda v, b=b: b)),
    st.tuples(numbers, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), numbers).map(
        lambda t: (f"{t[0][0]} {t[1]} {t[2][0]}",
                   lambda v, t=t: _compare(t[1], t[0][1](v), t[2][1](v)))),
    st.lists(st.sampled_from(["b2b", "b2c", "", "x"]), max_size=3).map(
        lambda items: (f"segment in [{', '.join(repr(i) for i in items)}]",
                       lambda v, items=items: v["segment"] in items)),
    st.sampled_from(["b", "b2", ""]).map(
        lambda p: (f"segment.startsWith('{p}')", lambda v, p=p: v["segment"].startswith(p))),
)


def _bool_node(children):
    both = st.tuples(children, st.sampled_from(["&&", "||"]), children).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})",
                   lambda v, t=t: (_and if t[1] == "&&" else _or)(t[0][1](v), t[2][1](v))))
    negate = children.map(lambda c: (f"!({c[0]})", lambda v, c=c: (
        ERROR if c[1](v) is ERROR else not c[1](v))))

    def choose(v, t):
        test = t[0][1](v)
        return ERROR if test is ERROR else (t[1][1](v) if test else t[2][1](v))

    ternary = st.tuples(children, children, children).map(
        lambda t: (f"({t[0][0]} ? {t[1][0]} : {t[2][0]})", lambda v, t=t: choose(v, t)))
    return st.one_of(both, negate, ternary)


conditions = st.recursive(bool_leaves, _bool_node, max_leaves=8)
READABLE_VALUES = st.fixed_dictionaries({
    "days_without_reply": st.integers(-100, 100),
    "amount_due": st.floats(-1e6, 1e6, allow_nan=False) | st.sampled_from([0.0, 1e300]),
    "segment": st.sampled_from(["b2b", "b2c", "", "x"]),
    "vip": st.booleans(),
})


@PROPERTY_SETTINGS
@given(condition=conditions, values=READABLE_VALUES)
def test_generated_conditions_evaluate_as_a_reference_says(condition, values):
    expression, reference = condition
    expected = reference(values)
    try:
        compiled = compile_condition(expression, FACTS)
    except ConditionError as error:
        # Only the limits may refuse a well-typed condition.
        assert error.kind == "too_complex", (expression, error.message)
        return
    if expected is ERROR:
        with pytest.raises(ConditionError) as caught:
            compiled.evaluate(values)
        assert caught.value.kind == "evaluation"
    else:
        result = compiled.evaluate(values)
        assert result.value is expected, expression
        assert all(c.result is not None or c.error for c in result.comparisons)


@st.composite
def mutated_conditions(draw):
    """A valid condition with one piece inserted, replaced or removed: near misses."""
    expression = draw(conditions)[0]
    pieces = expression.split(" ")
    at = draw(st.integers(0, len(pieces)))
    piece = draw(st.one_of(NAMES, st.sampled_from(
        ["'7'", "7", "2.5", "true", "[1, 'a']", "==", "<", "in", "&&", "!", "(", ")", "%",
         ".contains(1)", "+", "?", ":"])))
    action = draw(st.sampled_from(["insert", "replace", "remove"]))
    if action == "insert":
        pieces.insert(at, piece)
    elif pieces[at:at + 1]:
        pieces[at:at + 1] = [piece] if action == "replace" else []
    return " ".join(pieces)


@PROPERTY_SETTINGS
@given(expression=mutated_conditions(), values=FACT_VALUES)
def test_near_misses_give_a_bool_or_a_condition_error(expression, values):
    outcome(expression, values)


@PROPERTY_SETTINGS
@given(text=st.text(max_size=30),
       fact=st.sampled_from([FactSpec("n", "number", "EUR"), FactSpec("i", "int", "days"),
                             FactSpec("b", "bool"), FactSpec("s", "string")]))
def test_any_command_line_text_converts_or_is_explained(text, fact):
    try:
        value = parse_fact_value(fact, text)
    except ConditionError as error:
        assert error.kind == "value" and fact.name in error.message
        return
    assert check_fact_value(fact, value) == value
    assume(fact.type != "string")
    assert compile_condition(f"{fact.name} == {fact.name}", [fact]).evaluate(
        {fact.name: value}).value is True


@pytest.mark.parametrize("expression", ["0x1fa > days_without_reply", "days_without_reply > 7u"])
def test_numbers_not_in_plain_digits_are_refused_plainly(expression):
    error = error_of(expression)
    assert isinstance(error, ConditionError)
    assert error.kind in ("unsupported", "syntax")
