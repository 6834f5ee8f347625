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

Conditions that are conjunctions of comparisons between a fact and a literal skip the search:
:func:`exact_case` decides exactly whether they can hold together (and with others negated).

Evaluating with cel-python takes a fraction of a millisecond per condition; a search tries
hundreds of cases, so it uses a small evaluator of the checked expression tree instead, with
CEL's semantics as livingsys uses them (every number a decimal, ``&&``/``||`` that absorb an
error when the other side decides, division by zero and overflow as errors). The test suite
checks it against CEL on random expressions, and every case lint reports is evaluated again
with CEL before it is shown.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from livingsys.conditions import Condition, FactSpec

__all__ = ["MAX_CASES", "OTHER_TEXT", "Predicate", "candidate_values", "cases", "conjunction",
           "exact_case", "holding", "predicate", "solve"]

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


def _build(node: Any, parameters: Mapping[str, Any] | None = None
           ) -> Callable[[Mapping[str, Any]], Any]:
    kind = node.kind
    if kind == "fact":
        name = node.op
        return lambda values: values[name]
    if kind == "param":  # a shared rule's parameter: a constant, its value when compiled
        value = _parameter_value((parameters or {})[node.op])
        return lambda values: value
    if kind in ("int", "number"):
        number = float(node.value)
        return lambda values: number
    if kind in ("string", "bool"):
        constant = node.value
        return lambda values: constant
    children = [_build(child, parameters) for child in node.children]
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


def _parameter_value(spec: Any) -> Any:
    """A parameter's value as the evaluator computes with it (numbers as float)."""
    if spec.type in ("int", "number"):
        return float(spec.value)
    return spec.value


def _root(condition: Condition) -> Any:
    from livingsys.conditions.errors import Problem
    from livingsys.conditions.parser import parse  # the checked tree compile_condition built

    parsed = parse(condition.expression)
    if isinstance(parsed, Problem):  # pragma: no cover - a compiled condition parses
        raise parsed.error(condition.expression)
    return parsed.root


def predicate(condition: Condition) -> Predicate:
    """``condition`` as a fast function of fact values (numbers as float or int).

    Returns None instead of raising when the condition cannot be computed for those values.
    """
    function = _build(_root(condition), condition.parameters)
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


def holding(conditions: Sequence[Condition], cases: Sequence[Mapping[str, Any]]) -> list[int]:
    """For each condition, the cases where it holds (as :func:`predicate` says) as a bit
    mask: bit ``k`` is set when it holds for ``cases[k]``. One pass over the cases, each
    converted once, however many conditions: lint's search for contradicting rules tries
    every rule on the same cases."""
    functions = [_build(_root(c), c.parameters) for c in conditions]
    numeric = {name for c in conditions for name, spec in c.facts.items()
               if spec.type in ("int", "number")}
    bits: list[list[str]] = [[] for _ in functions]
    for case in cases:
        values = {n: float(v) if n in numeric else v for n, v in case.items()}
        for function, out in zip(functions, bits, strict=False):
            try:
                out.append("1" if function(values) else "0")
            except (_EvalError, ArithmeticError, KeyError):
                out.append("0")
    return [int("".join(reversed(b)) or "0", 2) for b in bits]


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


def _literals_in(node: Any, parameters: Mapping[str, Any]) -> list[Any]:
    if node.kind in ("int", "number", "string"):
        return [node.value]
    if node.kind == "param" and node.op in parameters:
        value = parameters[node.op].value
        return [] if isinstance(value, bool) else [value]
    if node.kind == "neg" and node.children[0].kind in ("int", "number"):
        return [-node.children[0].value]
    found: list[Any] = []
    for child in node.children:
        found.extend(_literals_in(child, parameters))
    return found


def _collect(node: Any, into: dict[str, list[Any]], parameters: Mapping[str, Any]) -> None:
    """Literals (and shared rules' parameters, constants too) compared with each fact: both
    sides of each comparison and text test."""
    if node.kind in ("cmp", "call", "arith"):
        facts = _facts_in(node)
        literals = _literals_in(node, parameters)
        for fact in facts:
            into.setdefault(fact, []).extend(literals)
    for child in node.children:
        _collect(child, into, parameters)


def candidate_values(conditions: Iterable[Condition],
                     facts: Mapping[str, FactSpec]) -> dict[str, list[Any]]:
    """For each fact the conditions use, the values worth trying (see the module's doc)."""
    literals: dict[str, list[Any]] = {}
    used: list[str] = []
    for condition in conditions:
        _collect(_root(condition), literals, condition.parameters)
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
        rounded: set[int] = set()
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
                yield dict(zip(names, combination, strict=False))
        return
    for index in sorted(random.Random(total).sample(range(total), limit)):
        picked: list[Any] = []
        for pool in reversed(pools):
            index, digit = divmod(index, len(pool))
            picked.append(pool[digit])
        picked.reverse()
        if tuple(picked) not in seen:
            yield dict(zip(names, picked, strict=False))


# --------------------------------------------------------------------------------------------
# The exact fast path: conjunctions of comparisons with a literal
# --------------------------------------------------------------------------------------------
#
# Most conditions are a conjunction (&&) of comparisons between one fact and a literal
# (``days >= 7 && amount_due <= 5000 && !in_dispute && segment in ['a', 'b']``). Whether
# several of them (some possibly negated) hold together is then decided exactly, fact by fact:
# numbers by intersecting intervals (open or closed bounds, a whole number inside for ``int``
# facts) and sets of allowed and excluded values, texts and true/false by sets. Anything else
# (||, arithmetic, text tests, ternaries, two facts compared) is left to the sampled search.

Atom = tuple[str, str, Any]
"""``(fact, op, value)``: op one of < <= > >= == != in notin; numbers as float; ``in`` and
``notin`` with a tuple of values."""

MAX_SPLITS = 512
"""Most conjunctions tried when negated conditions are expanded (one atom negated each)."""

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==", "in": "notin",
           "notin": "in"}


class _Parameter(str):
    """A shared rule's parameter in a cached conjunction: its value comes from the condition
    (:func:`conjunction` puts it in)."""


def _literal(node: Any) -> tuple[bool, Any]:
    """(is a literal, its value): numbers as float; a parameter as a :class:`_Parameter`."""
    if node.kind == "param":
        return True, _Parameter(node.op)
    if node.kind in ("int", "number"):
        return True, float(node.value)
    if node.kind in ("string", "bool"):
        return True, node.value
    if node.kind == "neg" and node.children[0].kind in ("int", "number"):
        return True, -float(node.children[0].value)
    return False, None


def _atoms(node: Any, into: list[Atom]) -> bool:
    kind = node.kind
    if kind == "and":
        return all(_atoms(child, into) for child in node.children)
    if kind == "fact":
        into.append((node.op, "==", True))
        return True
    if kind == "not" and node.children[0].kind == "fact":
        into.append((node.children[0].op, "==", False))
        return True
    if kind != "cmp":
        return False
    left, right = node.children
    if node.op == "in":
        if left.kind != "fact" or right.kind != "list":
            return False
        values = []
        for child in right.children:
            ok, value = _literal(child)
            if not ok:
                return False
            values.append(value)
        into.append((left.op, "in", tuple(values)))
        return True
    op = node.op
    if left.kind != "fact":
        left, right, op = right, left, _FLIP[op]
    ok, value = _literal(right)
    if left.kind != "fact" or not ok:
        return False
    into.append((left.op, op, value))
    return True


@functools.lru_cache(maxsize=8192)
def _conjunction(expression: str) -> tuple[Atom, ...] | None:
    from livingsys.conditions.parser import parse

    parsed = parse(expression)
    root = getattr(parsed, "root", None)
    if root is None:
        return None
    found: list[Atom] = []
    return tuple(found) if _atoms(root, found) else None


def conjunction(condition: Condition) -> tuple[Atom, ...] | None:
    """The condition's atoms when it is a conjunction of fact-vs-literal comparisons (and of
    true/false facts), with literals of the fact's type; None otherwise."""
    atoms = _conjunction(condition.expression)
    if atoms is None:
        return None
    if any(isinstance(v, _Parameter) or (isinstance(v, tuple)
                                         and any(isinstance(i, _Parameter) for i in v))
           for _f, _o, v in atoms):
        atoms = tuple((fact, op, _constant(value, condition.parameters))
                      for fact, op, value in atoms)
    for fact, _op, value in atoms:
        spec = condition.facts.get(fact)
        if spec is None:
            return None
        values = value if isinstance(value, tuple) else (value,)
        if not all(_fits(spec.type, v) for v in values):
            return None
    return atoms


def _constant(value: Any, parameters: Mapping[str, Any]) -> Any:
    if isinstance(value, tuple):
        return tuple(_constant(v, parameters) for v in value)
    if isinstance(value, _Parameter):
        return _parameter_value(parameters[str(value)])
    return value


def _fits(fact_type: str, value: Any) -> bool:
    if fact_type in ("int", "number"):
        return isinstance(value, float)
    if fact_type == "string":
        return isinstance(value, str)
    return fact_type == "bool" and isinstance(value, bool)


def _solve_fact(fact_type: str, atoms: list[Atom]) -> tuple[bool, Any]:
    """(satisfiable, a value) for one fact under all ``atoms`` (each about that fact)."""
    allowed: set[Any] | None = None
    excluded: set[Any] = set()
    lo, lo_open, hi, hi_open = -math.inf, False, math.inf, False
    for _fact, op, value in atoms:
        if op == "==":
            allowed = {value} if allowed is None else allowed & {value}
        elif op == "in":
            allowed = set(value) if allowed is None else allowed & set(value)
        elif op == "!=":
            excluded.add(value)
        elif op == "notin":
            excluded.update(value)
        elif op in ("<", "<="):
            if value < hi or (value == hi and op == "<"):
                hi, hi_open = value, op == "<"
        elif value > lo or (value == lo and op == ">"):  # > >=
            lo, lo_open = value, op == ">"

    numeric = fact_type in ("int", "number")
    whole = fact_type == "int"

    def fits(v: Any) -> bool:
        if v in excluded:
            return False
        if not numeric:
            return True
        if not math.isfinite(v) or (whole and (not float(v).is_integer()
                                               or abs(v) > 2**53)):
            return False
        return (lo < v or (lo == v and not lo_open)) and (v < hi or (v == hi and not hi_open))

    if allowed is not None:
        for value in sorted(allowed):
            if fits(value):
                return True, (int(value) if whole else value)
        return False, None
    if fact_type == "bool":
        for value in (False, True):
            if fits(value):
                return True, value
        return False, None
    if fact_type == "string":
        value = OTHER_TEXT
        while value in excluded:
            value += "'"
        return True, value
    if whole:
        first = None if lo == -math.inf else (
            math.floor(lo) + 1 if lo_open and lo.is_integer() else math.ceil(lo))
        last = None if hi == math.inf else (
            math.ceil(hi) - 1 if hi_open and hi.is_integer() else math.floor(hi))
        if first is not None and last is not None and first > last:
            return False, None
        start, step = (first, 1) if first is not None else (
            (last, -1) if last is not None else (0, 1))
        for k in range(len(excluded) + 1):
            value = start + k * step
            if last is not None and value > last:
                break
            if fits(float(value)):
                return True, int(value)
            if abs(value) > 2**53:
                raise _Undecided
        return False, None
    # decimal numbers: a few pleasant values first, then an exhaustive walk of the floats
    nice = [lo, hi, 0.0, lo + 1, hi - 1, (lo + hi) / 2]
    if math.isfinite(lo):
        nice.append(float(math.floor(lo) + 1))
    if math.isfinite(hi):
        nice.append(float(math.ceil(hi) - 1))
    for value in nice:
        if math.isfinite(value) and fits(float(value)):
            return True, float(value)
    if lo == -math.inf and hi == math.inf:
        value = 0.0
        while not fits(value):  # only finitely many excluded values
            value += 1.0
        return True, value
    # From the bounded end, consecutive floats: among len(excluded) + 1 of them inside the
    # interval one is not excluded, so leaving the interval first means there is none.
    if lo != -math.inf:
        value, towards = (math.nextafter(lo, math.inf) if lo_open else lo), math.inf
    else:
        value, towards = (math.nextafter(hi, -math.inf) if hi_open else hi), -math.inf
    for _ in range(len(excluded) + 1):
        inside = math.isfinite(value) and (lo < value or (lo == value and not lo_open)) and (
            value < hi or (value == hi and not hi_open))
        if not inside:
            return False, None
        if fits(value):
            return True, value
        value = math.nextafter(value, towards)
    raise _Undecided  # pragma: no cover - impossible by the count above


class _Undecided(Exception):
    """The fast path cannot decide (a value outside what it represents exactly)."""


def solve(atoms: Iterable[Atom], facts: Mapping[str, FactSpec],
          names: Sequence[str] = ()) -> tuple[bool, dict[str, Any] | None]:
    """Whether some case satisfies every atom, exactly, and such a case (over ``names``, then
    the facts the atoms use; a fact no atom constrains takes a default value).

    Raises :class:`_Undecided` for values it cannot represent exactly."""
    by_fact: dict[str, list[Atom]] = {}
    for atom in atoms:
        by_fact.setdefault(atom[0], []).append(atom)
    case: dict[str, Any] = {}
    for name in [*names, *(n for n in by_fact if n not in names)]:
        spec = facts[name]
        ok, value = _solve_fact(spec.type, by_fact.get(name, []))
        if not ok:
            return False, None
        case[name] = value
    return True, case


def exact_case(conditions: Sequence[Condition], negated: Sequence[Condition] = ()
               ) -> tuple[bool, dict[str, Any] | None] | None:
    """Whether some case makes every one of ``conditions`` hold and every one of ``negated``
    not hold, decided exactly, with such a case (checked with :func:`predicate`); None when
    a condition is not a conjunction the fast path handles (the sampled search decides)."""
    positive: list[Atom] = []
    for condition in conditions:
        atoms = conjunction(condition)
        if atoms is None:
            return None
        positive.extend(atoms)
    choices: list[tuple[Atom, ...]] = []
    for condition in negated:
        atoms = conjunction(condition)
        if atoms is None or not atoms:
            return None
        choices.append(tuple((f, _NEGATE[op], v) for f, op, v in atoms))
    if math.prod(len(c) for c in choices) > MAX_SPLITS:
        return None
    facts: dict[str, FactSpec] = {}
    names: list[str] = []
    for condition in (*conditions, *negated):
        facts.update(condition.facts)
        names += [n for n in condition.facts_used if n not in names]
    tests = [(predicate(c), True) for c in conditions]
    tests += [(predicate(c), False) for c in negated]
    try:
        for chosen in itertools.product(*choices):
            ok, case = solve([*positive, *chosen], facts, names)
            if not ok or case is None:  # solve gives a case whenever ok
                continue
            if all(test(case) is want for test, want in tests):
                return True, case
            return None  # pragma: no cover - the evaluator disagrees: let the search decide
    except _Undecided:
        return None
    return False, None
