"""The exact fast path of the example-case search: conjunctions of comparisons with literals.

Its verdict is compared with an exhaustive search over a grid of values that is complete for
the literals drawn (numbers: halves in [-5, 5], so quarters in [-8, 8] reach every region a
conjunction can leave; texts: the literals and one more), and its witness must make every
condition hold, with the fast evaluator and with CEL.
"""

from __future__ import annotations

import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livingsys.conditions import FactSpec, compile_condition
from livingsys.conditions.witness import conjunction, exact_case, predicate

TYPES = ("int", "number", "string", "bool")
TEXTS = ("a", "b", "c")
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        "==": operator.eq, "!=": operator.ne}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _grid(fact_type: str) -> list:
    if fact_type == "int":
        return list(range(-8, 9))
    if fact_type == "number":
        return [k / 4 for k in range(-32, 33)]
    if fact_type == "string":
        return [*TEXTS, "zz"]
    return [False, True]


@st.composite
def _atom(draw, name: str, fact_type: str):
    """(CEL text, Python test of the value)."""
    if fact_type == "bool":
        form = draw(st.sampled_from(["is", "not", "==", "!="]))
        if form == "is":
            return name, lambda v: v is True
        if form == "not":
            return f"!{name}", lambda v: v is False
        literal = draw(st.booleans())
        test = _OPS[form]
        return f"{name} {form} {str(literal).lower()}", lambda v: test(v, literal)
    if fact_type == "string":
        literals = st.sampled_from(TEXTS)
        if draw(st.booleans()):
            values = draw(st.lists(literals, min_size=1, max_size=3))
            text = ", ".join(f"'{v}'" for v in values)
            return f"{name} in [{text}]", lambda v: v in values
        op = draw(st.sampled_from(["==", "!="]))
        literal = draw(literals)
        return f"{name} {op} '{literal}'", lambda v: _OPS[op](v, literal)
    literal = draw(st.integers(-10, 10)) / 2
    text = draw(st.sampled_from([repr(literal), str(int(literal))] if literal.is_integer()
                                else [repr(literal)]))
    if draw(st.integers(0, 5)) == 0:
        values = [literal, draw(st.integers(-10, 10)) / 2]
        return (f"{name} in [{', '.join(repr(v) for v in values)}]",
                lambda v: float(v) in values)
    op = draw(st.sampled_from(list(_OPS)))
    test = _OPS[op]
    if draw(st.booleans()):  # literal first
        return f"{text} {_FLIP[op]} {name}", lambda v: test(float(v), literal)
    return f"{name} {op} {text}", lambda v: test(float(v), literal)


@st.composite
def _problems(draw):
    types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=3))
    facts = {f"f{i}": FactSpec(f"f{i}", t) for i, t in enumerate(types)}
    conditions = []
    for _ in range(draw(st.integers(1, 3))):
        atoms = [draw(_atom(name, facts[name].type))
                 for name in draw(st.lists(st.sampled_from(list(facts)), min_size=1,
                                           max_size=3))]
        conditions.append(atoms)
    return facts, conditions


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(_problems())
def test_the_fast_path_decides_conjunctions_exactly(problem):
    facts, conditions = problem
    compiled = [compile_condition(" && ".join(text for text, _ in atoms), facts)
                for atoms in conditions]
    assert all(conjunction(c) is not None for c in compiled)
    verdict = exact_case(compiled)
    assert verdict is not None
    # The reference: the atoms of a conjunction each read one fact, so some case satisfies
    # them all exactly when each fact has a value of its grid satisfying its own atoms.
    tests: dict[str, list] = {}
    for atoms in conditions:
        for (text, test) in atoms:
            name = next(n for n in facts if n in text.replace("!", " ").split())
            tests.setdefault(name, []).append(test)
    expected = all(any(all(t(v) for t in tests_) for v in _grid(facts[name].type))
                   for name, tests_ in tests.items())
    satisfiable, witness = verdict
    assert satisfiable == expected
    if satisfiable:
        for condition in compiled:
            assert predicate(condition)(witness) is True
            assert condition.evaluate(witness, trace=False).value is True
        for name, value in witness.items():
            kind = facts[name].type
            assert type(value) is {"int": int, "number": float, "string": str,
                                   "bool": bool}[kind]


FACTS = {"days": FactSpec("days", "int"), "amount": FactSpec("amount", "number"),
         "vip": FactSpec("vip", "bool"), "segment": FactSpec("segment", "string")}


def _c(expression: str):
    return compile_condition(expression, FACTS)


def test_examples():
    assert exact_case([_c("days >= 7 && amount <= 5000"), _c("days >= 14")]) == (
        True, {"days": 14, "amount": 5000.0})
    assert exact_case([_c("days >= 7 && days < 14"), _c("days >= 14")]) == (False, None)
    assert exact_case([_c("days > 2.5 && days < 3.5 && days != 3")]) == (False, None)
    assert exact_case([_c("amount > 1.0 && amount < 1.0000000000000002")]) == (False, None)
    ok, case = exact_case([_c("amount > 1.0 && amount < 1.0000000000000004")])
    assert ok and 1.0 < case["amount"] < 1.0000000000000004
    assert exact_case([_c("segment in ['a', 'b'] && segment != 'a' && !vip")]) == (
        True, {"segment": "b", "vip": False})


def test_negated_conditions_and_what_it_leaves_to_the_search():
    assert exact_case([_c("amount > 20000")], [_c("amount > 5000")]) == (False, None)
    ok, case = exact_case([_c("amount > 5000")], [_c("amount > 20000"), _c("vip")])
    assert ok and 5000 < case["amount"] <= 20000 and case["vip"] is False
    assert exact_case([_c("amount > 5000 || vip")]) is None
    assert exact_case([_c("amount * 2 > 5000")]) is None
    assert exact_case([_c("segment.startsWith('a')")]) is None
    assert exact_case([_c("days > amount")]) is None
