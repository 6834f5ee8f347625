"""The example-case search: its evaluator agrees with CEL, its candidates reach the edges."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livingsys.conditions import ConditionError, FactSpec, compile_condition
from livingsys.conditions.witness import OTHER_TEXT, candidate_values, cases, predicate

FACTS = {
    "days": FactSpec("days", "int", "days"),
    "amount": FactSpec("amount", "number", "EUR"),
    "segment": FactSpec("segment", "string"),
    "vip": FactSpec("vip", "bool"),
}


def _numbers(depth: int):
    leaves = st.one_of(st.sampled_from(["days", "amount"]),
                       st.integers(-20, 20).map(str),
                       st.sampled_from(["0.5", "2.5", "1e3", "0"]))
    if depth == 0:
        return leaves
    inner = _numbers(depth - 1)
    return st.one_of(
        leaves,
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["days", "7", "-3"]), st.sampled_from(["2", "0", "days"])).map(
            lambda t: f"({t[0]} % {t[1]})"),
        inner.map(lambda e: f"-{e}"),
    )


def _texts():
    return st.one_of(st.just("segment"), st.sampled_from(["'b2b'", "'b2c'", "''", "'b'"]),
                     st.just("segment + 'x'"))


def _bools(depth: int):
    comparisons = st.one_of(
        st.tuples(_numbers(1), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
                  _numbers(1)).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(_texts(), st.sampled_from(["<", "==", "!="]), _texts()).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(_texts(), st.sampled_from(["startsWith", "endsWith", "contains"]),
                  st.sampled_from(["'b'", "'2b'", "''"])).map(
            lambda t: f"{t[0]}.{t[1]}({t[2]})"),
        _numbers(0).map(lambda e: f"{e} in [1, 7, 2.5, -3]"),
        st.just("segment in ['b2b', 'b2c']"),
        st.sampled_from(["vip", "true", "false", "vip == false"]),
    )
    if depth == 0:
        return comparisons
    inner = _bools(depth - 1)
    return st.one_of(
        comparisons,
        st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"!({e})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(inner, _numbers(1), _numbers(1)).map(
            lambda t: f"({t[0]} ? {t[1]} : {t[2]}) > 1"),
    )


# cel-python raises the recursion limit when it loads: load it before hypothesis runs.
compile_condition("1 < 2", {})

VALUES = st.fixed_dictionaries({
    "days": st.integers(-10, 30),
    "amount": st.one_of(st.floats(-1e4, 1e4, allow_nan=False), st.sampled_from([0.0, 2.5])),
    "segment": st.sampled_from(["b2b", "b2c", "", "b", "x2b"]),
    "vip": st.booleans(),
})


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bools(2), VALUES)
def test_the_fast_evaluator_agrees_with_cel(expression, values):
    try:
        condition = compile_condition(expression, FACTS)
    except ConditionError:
        return  # e.g. '%' on a decimal: refused before any evaluation
    try:
        expected = condition.evaluate(values, trace=False).value
    except ConditionError:
        expected = None
    assert predicate(condition)(values) == expected, expression


def test_candidates_sit_on_both_sides_of_each_literal():
    conditions = [compile_condition(e, FACTS) for e in (
        "days >= 7 && amount <= 5000", "segment in ['b2b', 'b2c'] || vip",
        "amount > 0.85 && amount < 0.9 && days != -3")]
    candidates = candidate_values(conditions, FACTS)
    assert {6, 7, 8, -3, -4, -2, 0} <= set(candidates["days"])
    assert all(isinstance(v, int) for v in candidates["days"])
    assert {4999.0, 4999.5, 5000.0, 5000.5, 5001.0, 0.875} <= set(candidates["amount"])
    assert candidates["segment"] == ["b2b", "b2c", OTHER_TEXT]
    assert candidates["vip"] == [False, True]


def test_cases_try_the_scenarios_first_and_stay_bounded():
    candidates = {"a": list(range(100)), "b": list(range(100))}
    tried = list(cases(candidates, ["a", "b"], extra=[{"a": 1000, "b": 2000, "c": 3}],
                       limit=50))
    assert tried[0] == {"a": 1000, "b": 2000}
    assert len(tried) == 51
    again = list(cases(candidates, ["a", "b"], limit=50))
    assert again == tried[1:]  # the same selection on every run
    assert len(list(cases(candidates, ["a"]))) == 100
