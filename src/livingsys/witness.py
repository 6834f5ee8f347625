"""Searching for example cases ("witnesses") that make conditions true or false.

Lint asks questions no single scenario answers: can two rules with different actions apply
to the same case? Can this exception ever hold? The answer is searched, not proved: livingsys
builds candidate values for each fact from the literals written in the conditions, tries
their combinations, and keeps the first case that answers the question.

Candidate values of a fact (only the literals compared with *that* fact count):

- whole and decimal numbers: 0, each literal ``L``, ``L - 1`` and ``L + 1``, the midpoints
  between neighbouring literals, one large value (ten times the largest literal, plus 1,000),
  and for decimal (``number``) facts also ``L - 0.5`` and ``L + 0.5``;
- texts: each literal (from ``==``, ``in [...]``, ``startsWith``...) and one other text;
- true/false: both.

All combinations are tried when there are at most :data:`MAX_CASES`; beyond, a fixed
pseudo-random selection of :data:`MAX_CASES` of them (the same on every run). The automation's
scenarios are always tried too, so a case the search misses can be added as a scenario.

Evaluating with cel-python takes a fraction of a millisecond per condition; a search tries
hundreds of cases, so it uses a small evaluator of the checked expression tree instead, with
CEL's semantics as livingsys uses them (every number a decimal, ``&&``/``||`` that absorb an
error when the other side decides, division by zero and overflow as errors). The test suite
checks it against CEL on random expressions, and every case lint reports is evaluated again
with CEL before it is shown.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from livingsys.conditions import Condition, FactSpec

__all__ = ["MAX_CASES", "OTHER_TEXT", "Predicate", "candidate_values", "cases", "predicate"]

MAX_CASES = 5000
"""Most combinations tried for one question."""

OTHER_TEXT = "(another value)"
"""The text tried besides the literals of a text fact."""

Predicate = Callable[[Mapping[str, Any]], bool | None]
"""A condition as a fast function: True, False, or None when it cannot be computed."""


class _EvalError(Exception):
    """The expression has no value for these facts (division by zero, overflow)."""


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise _EvalError
    return value


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "in": lambda a, b: a in b,
    "startsWith": lambda a, b: a.startswith(b),
    "endsWith": lambda a, b: a.endswith(b),
    "contains": lambda a, b: b in a,
}


def _divide(a: float, b: float) -> float:
    if b == 0.0:
        raise _EvalError
    return a / b


def _remainder(a: float, b: float) -> float:
    if b == 0.0:
        raise _EvalError
    return math.fmod(a, b)


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
    "%": _remainder,
}


def _build(node: Any) -> Callable[[Mapping[str, Any]], Any]:
    kind = node.kind
    if kind == "fact":
        name = node.op
        return lambda values: values[name]
    if kind in ("int", "number"):
        number = float(node.value)
        return lambda values: number
    if kind in ("string", "bool"):
        constant = node.value
        return lambda values: constant
    children = [_build(child) for child in node.children]
    if kind == "list":
        return lambda values: [child(values) for child in children]
    if kind in ("and", "or"):
        decisive = kind == "or"  # the value that decides alone: true for ||, false for &&

        def junction(values: Mapping[str, Any]) -> bool:
            failed = False
            for child in children:
                try:
                    result = child(values)
                except _EvalError:
                    failed = True
                    continue
                if result is decisive:
                    return decisive
            if failed:
                raise _EvalError
            return not decisive

        return junction
    if kind == "not":
        (operand,) = children
        return lambda values: not operand(values)
    if kind == "neg":
        (operand,) = children
        return lambda values: -operand(values)
    if kind in ("cmp", "call"):
        compare = _COMPARE[node.op]
        left, right = children
        return lambda values: compare(left(values), right(values))
    if kind == "arith":
        compute = _ARITHMETIC[node.op]
        left, right = children
        return lambda values: _finite(compute(left(values), right(values)))
    if kind == "cond":
        test, then, otherwise = children
        return lambda values: then(values) if test(values) else otherwise(values)
    raise ValueError(f"unexpected element {kind!r}")  # pragma: no cover - checked tree


def _root(condition: Condition) -> Any:
    from livingsys.conditions import _parse  # the checked tree compile_condition built

    parsed = _parse(condition.expression)
    return parsed.root


def predicate(condition: Condition) -> Predicate:
    """``condition`` as a fast function of fact values (numbers as float or int).

    Returns None instead of raising when the condition cannot be computed for those values.
    """
    function = _build(_root(condition))
    numeric = tuple(name for name, spec in condition.facts.items()
                    if spec.type in ("int", "number"))

    def evaluate(values: Mapping[str, Any]) -> bool | None:
        if numeric:
            values = {**values, **{name: float(values[name]) for name in numeric}}
        try:
            return bool(function(values))
        except (_EvalError, ArithmeticError):
            return None

    return evaluate


# --------------------------------------------------------------------------------------------
# Candidate values
# --------------------------------------------------------------------------------------------


def _facts_in(node: Any) -> set[str]:
    if node.kind == "fact":
        return {node.op}
    found: set[str] = set()
    for child in node.children:
        found |= _facts_in(child)
    return found


def _literals_in(node: Any) -> list[Any]:
    if node.kind in ("int", "number", "string"):
        return [node.value]
    if node.kind == "neg" and node.children[0].kind in ("int", "number"):
        return [-node.children[0].value]
    found: list[Any] = []
    for child in node.children:
        found.extend(_literals_in(child))
    return found


def _collect(node: Any, into: dict[str, list[Any]]) -> None:
    """Literals compared with each fact: both sides of each comparison and text test."""
    if node.kind in ("cmp", "call", "arith"):
        facts = _facts_in(node)
        literals = _literals_in(node)
        for fact in facts:
            into.setdefault(fact, []).extend(literals)
    for child in node.children:
        _collect(child, into)


def candidate_values(conditions: Iterable[Condition],
                     facts: Mapping[str, FactSpec]) -> dict[str, list[Any]]:
    """For each fact the conditions use, the values worth trying (see the module's doc)."""
    literals: dict[str, list[Any]] = {}
    used: list[str] = []
    for condition in conditions:
        _collect(_root(condition), literals)
        used.extend(n for n in condition.facts_used if n not in used)
    out: dict[str, list[Any]] = {}
    for name in used:
        spec = facts.get(name)
        if spec is None:
            continue
        found = literals.get(name, [])
        if spec.type == "bool":
            out[name] = [False, True]
        elif spec.type == "string":
            texts = list(dict.fromkeys(v for v in found if isinstance(v, str)))
            other = OTHER_TEXT
            while other in texts:
                other += "'"
            out[name] = [*texts, other]
        else:
            out[name] = _numbers([float(v) for v in found
                                  if isinstance(v, (int, float)) and not isinstance(v, bool)],
                                 whole=spec.type == "int")
    return out


def _numbers(literals: list[float], *, whole: bool) -> list[Any]:
    values: set[float] = {0.0}
    ordered = sorted(set(literals))
    for value in ordered:
        values.update((value - 1, value, value + 1))
        if not whole:
            values.update((value - 0.5, value + 0.5))
    for low, high in itertools.pairwise(ordered):
        values.add((low + high) / 2)
    values.add(max((abs(v) for v in ordered), default=0.0) * 10 + 1000)
    if whole:
        rounded = set()
        for value in values:
            rounded.update((math.floor(value), math.ceil(value)))
        return sorted(v for v in rounded if abs(v) <= 2**53)
    return sorted(v for v in values if math.isfinite(v))


def cases(candidates: Mapping[str, Sequence[Any]], names: Sequence[str], *,
          extra: Iterable[Mapping[str, Any]] = (), limit: int = MAX_CASES
          ) -> Iterator[dict[str, Any]]:
    """Cases over ``names``: the ``extra`` ones first (scenarios; those giving every name),
    then every combination of candidates, or a fixed selection of ``limit`` of them."""
    names = [n for n in names if n in candidates]
    seen: set[tuple] = set()
    for case in extra:
        if all(n in case for n in names):
            key = tuple(case[n] for n in names)
            if key not in seen:
                seen.add(key)
                yield {n: case[n] for n in names}
    pools = [list(candidates[n]) for n in names]
    total = math.prod(len(p) for p in pools)
    if total <= limit:
        for combination in itertools.product(*pools):
            if combination not in seen:
                yield dict(zip(names, combination))
        return
    for index in sorted(random.Random(total).sample(range(total), limit)):
        combination = []
        for pool in reversed(pools):
            index, digit = divmod(index, len(pool))
            combination.append(pool[digit])
        combination.reverse()
        if tuple(combination) not in seen:
            yield dict(zip(names, combination))
