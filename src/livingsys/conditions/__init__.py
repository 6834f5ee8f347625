"""Conditions: the machine-checkable ``when`` of rules and exceptions.

A condition is a small expression over the facts an automation declares, e.g.::

    days_without_reply >= 7 && amount_due <= 5000

It is parsed and evaluated with CEL (the Common Expression Language, through cel-python), never
with Python's ``eval``/``exec``. Before anything runs, the parse tree is walked once to check
that the expression stays inside the small language below, that every name is a declared fact
and that the types fit; only then is it handed to CEL.

The language (a safe subset of CEL)
-----------------------------------
- facts, by their declared name: ``amount_due``, ``days_without_reply``;
- literals: whole numbers ``7``, ``-3``; decimal numbers ``12.5``, ``1e3``; texts ``'b2b'``
  or ``"b2b"``; ``true`` and ``false``;
- comparisons ``<  <=  >  >=`` between numbers or between texts, ``==  !=`` between values of
  the same kind (a whole number and a decimal number are the same kind);
- ``x in [a, b, c]``: one of the values of a written list (lists exist only after ``in``);
- ``&&`` (and), ``||`` (or), ``!`` (not) on true/false values;
- arithmetic ``+  -  *  /`` on numbers, ``%`` (remainder) on whole numbers, ``+`` on texts;
- the text tests ``x.startsWith('..')``, ``x.endsWith('..')``, ``x.contains('..')``;
- ``c ? a : b`` (if c then a else b), parentheses, ``// comments`` and line breaks;
- a shared rule's parameter, ``rules.<rule>.<parameter>`` (the rule's id with ``_`` for
  ``-``, see :func:`rule_key`): a constant with the type of its YAML value, given by the
  caller as :class:`RuleParameters` (only the rules the automation lists in ``uses_rules``;
  kind ``"parameter"`` says why another name cannot be read).

Everything else CEL can do is refused with a clear message (kind ``"unsupported"``): calling
functions (``size(x)``, ``exec(...)``), list macros (``.exists``, ``.map``, ``.all``...),
fields and indexes (``x.y``, ``x[0]``), maps, ``null``, bytes and unsigned numbers.

Limits (kind ``"too_complex"``): at most 2,000 characters, 25 levels of nesting (parentheses,
operators, calls; a chain of ``&&`` or ``||`` counts as one level) and 200 elements (facts,
literals, operators).

Whole numbers and decimal numbers
---------------------------------
CEL keeps ``int`` and ``double`` apart: ``1 < 2.5`` or ``7 == 7.0`` are errors in CEL. People
write ``amount_due <= 5000`` with ``amount_due`` a ``number``, so livingsys evaluates every
number as a decimal (CEL ``double``): the values of ``int`` and ``number`` facts are passed as
doubles and whole-number literals are turned into decimal literals in the parse tree before
evaluation. Consequences, all deliberate and documented for users:

- ``int`` and ``number`` mix freely in comparisons, arithmetic and ``in`` lists;
- ``/`` is ordinary division: ``7 / 2`` is ``3.5`` (not CEL's integer ``3``);
- whole numbers are exact up to 2**53 (9,007,199,254,740,992); larger ``int`` values and
  literals are refused;
- division (or ``%``) by zero and results too large to represent are evaluation errors, never
  ``inf``;
- the static type check still tells whole numbers from decimal numbers: ``%`` needs whole
  numbers, and traces show an ``int`` fact's value as ``8``, not ``8.0``.

Errors
------
Every problem is a :class:`ConditionError` with a ``kind``, a ``message`` in plain words, a
``hint`` and, when it concerns a place in the expression, its ``offset`` (0-based) and
``line``/``col`` (1-based) inside the expression (conditions may span several lines).

Kinds found when compiling: ``syntax``, ``undeclared``, ``parameter``, ``type``,
``too_complex``, ``unsupported``. Kinds found when evaluating or reading values: ``missing`` (no
value for a
fact the condition uses), ``value`` (a value of the wrong type), ``evaluation`` (division by
zero, number too large).

Performance
-----------
Importing this module does not import cel-python; the first parse or evaluation that needs it
does (about 0.1 s), and one CEL environment is shared by the process. Parse trees and compiled
conditions are
cached by expression text (and declared facts), so a registry repeating the same conditions
parses each one once. Conditions in the common subset (facts, numbers, plain texts, true/false,
comparisons, ``in [..]``, ``&& || !``, arithmetic, parentheses) are read by a small
hand-written parser that gives the very same checked tree, several times faster; cel-python's
parser then only runs for the rest, or when a condition is first evaluated.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "COMPILE_KINDS",
    "EVALUATION_KINDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "Comparison",
    "Condition",
    "ConditionError",
    "Evaluation",
    "FactSpec",
    "LiteralComparison",
    "PARAMETER_ROOT",
    "ParameterSpec",
    "RuleParameters",
    "check_fact_value",
    "compile_condition",
    "format_value",
    "literal_comparisons",
    "parse_fact_value",
    "rule_key",
]

MAX_LENGTH = 2000
"""Longest condition accepted, in characters."""
MAX_DEPTH = 25
"""Deepest nesting accepted (parentheses, operators, calls; an &&/|| chain is one level)."""
MAX_NODES = 200
"""Most elements accepted in one condition (facts, literals, operators, calls)."""
MAX_EXACT_INT = 2**53
"""Whole numbers are evaluated as doubles: exact up to this size."""

FactType = Literal["int", "number", "bool", "string"]
FACT_TYPES: tuple[str, ...] = ("int", "number", "bool", "string")

ErrorKind = Literal[
    "syntax", "undeclared", "parameter", "type", "too_complex", "unsupported",
    "missing", "value", "evaluation",
]
COMPILE_KINDS = frozenset({"syntax", "undeclared", "parameter", "type", "too_complex",
                           "unsupported"})
EVALUATION_KINDS = frozenset({"missing", "value", "evaluation"})

_STRING_TESTS = ("startsWith", "endsWith", "contains")
_MACROS = ("exists", "exists_one", "all", "map", "filter", "has")


# --------------------------------------------------------------------------------------------
# Public data
# --------------------------------------------------------------------------------------------


class FactLike(Protocol):
    """Anything with a fact's ``name``, ``type`` and ``unit``: :class:`FactSpec` or the
    registry model :class:`livingsys.models.automation.Fact`."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def unit(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A declared fact, as conditions see it."""

    name: str
    type: FactType
    unit: str | None = None
    description: str | None = None

    @property
    def label(self) -> str:
        """``amount_due (EUR)``: the name, with the unit when there is one."""
        return f"{self.name} ({self.unit})" if self.unit else self.name


PARAMETER_ROOT = "rules"
"""Conditions read a shared rule's parameter as ``rules.<rule key>.<parameter>``."""

_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")


def rule_key(rule_id: str) -> str:
    """How conditions name a shared rule: its id with each '-' written '_', and a '_' in front
    when it starts with a digit (``manager-validation-threshold`` ->
    ``manager_validation_threshold``, ``2025-prices`` -> ``_2025_prices``)."""
    key = rule_id.replace("-", "_")
    return f"_{key}" if key[:1].isdigit() else key


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """A shared rule's parameter as conditions read it: a constant, with the type of its YAML
    value (``3000`` int, ``0.2`` number, ``true`` bool, ``'EU'`` string)."""

    name: str
    """``rules.manager_validation_threshold.amount_threshold_eur``."""
    rule: str
    """The rule's id: ``manager-validation-threshold``."""
    key: str
    """The parameter's name in the rule: ``amount_threshold_eur``."""
    type: FactType
    value: int | float | bool | str

    @property
    def label(self) -> str:
        return f"{self.name} = {format_value(self.value)}"


@dataclass(frozen=True, slots=True)
class RuleParameters:
    """The shared rules' parameters one automation's conditions may read (those of the rules
    in its ``uses_rules``), and why the others cannot be read, for plain messages.

    ``unavailable`` says why the other rules cannot be read (not in ``uses_rules``, file with
    errors, two ids with the same key); ``unusable`` holds ``(parameter name, why)`` for
    parameters of a usable rule whose value a condition cannot use (a number too large or
    not finite)."""

    available: tuple[ParameterSpec, ...] = ()
    used: tuple[tuple[str, str], ...] = ()
    """``(rule key, rule id)`` of every rule conditions may read, parameters or not."""
    unavailable: tuple[tuple[str, str, str, str], ...] = ()
    """``(rule key, rule id, why, what to do)`` of the rules conditions may not read."""
    unusable: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> ParameterSpec | None:
        return next((p for p in self.available if p.name == name), None)


NO_PARAMETERS = RuleParameters()


class ConditionError(Exception):
    """A condition that cannot be compiled or evaluated, explained for non-developers.

    ``offset`` is 0-based and ``line``/``col`` 1-based, inside the expression itself (the
    caller adds the position of the expression in its file). They are ``None`` when the
    problem is not at a place in the expression (e.g. a value given on the command line).
    """

    def __init__(self, kind: ErrorKind, message: str, *, expression: str | None = None,
                 offset: int | None = None, hint: str | None = None,
                 fact: str | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.hint = hint
        self.expression = expression
        self.fact = fact
        self.offset: int | None = None
        self.line: int | None = None
        self.col: int | None = None
        if offset is not None:
            offset = max(0, min(offset, len(expression))) if expression is not None else offset
            self.offset = offset
            if expression is not None:
                self.line, self.col = line_col(expression, offset)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (f"ConditionError(kind={self.kind!r}, message={self.message!r}, "
                f"line={self.line}, col={self.col})")

    def excerpt(self) -> str | None:
        """The expression's line with a caret under the error, or ``None`` without a place."""
        if self.expression is None or self.line is None or self.col is None:
            return None
        text = self.expression.splitlines()[self.line - 1] if self.expression else ""
        return f"{text}\n{' ' * (self.col - 1)}^"


@dataclass(frozen=True, slots=True)
class Comparison:
    """One elementary test of a condition, as evaluated.

    ``op`` is ``< <= > >= == != in`` or one of the text tests ``startsWith``, ``endsWith``,
    ``contains``. ``left``/``right`` are the actual values (plain Python: int, float, bool,
    str, list); ``result`` is ``None`` and ``error`` says why when it could not be computed
    (e.g. a division by zero in a part the condition did not need).
    """

    text: str
    op: str
    left_text: str
    right_text: str
    left: Any
    right: Any
    result: bool | None
    offset: int
    line: int
    col: int
    error: str | None = None

    def describe(self) -> str:
        """``days_without_reply >= 7: 8 >= 7 → true``."""
        text = " ".join(self.text.split())
        if self.result is None:
            return f"{text}: could not be computed ({self.error})"
        if self.op in _STRING_TESTS:
            shown = f"{format_value(self.left)}.{self.op}({format_value(self.right)})"
        else:
            shown = f"{format_value(self.left)} {self.op} {format_value(self.right)}"
        return f"{text}: {shown} → {format_value(self.result)}"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of a condition for some fact values, with the trace of its comparisons."""

    value: bool
    comparisons: tuple[Comparison, ...]
    values: Mapping[str, Any]
    """The fact values the condition used, as checked (``int`` facts as int, ``number`` as
    float)."""

    def trace(self) -> list[str]:
        """One plain line per comparison, in the order they appear in the condition."""
        return [c.describe() for c in self.comparisons]

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True, slots=True)
class _Site:
    """Where a comparison is, and what it needs to be traced."""

    op: str
    start: int
    end: int
    left: tuple[int, int]
    right: tuple[int, int]
    left_type: str
    right_type: str
    tree: Any = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Condition:
    """A checked condition, ready to evaluate. Build it with :func:`compile_condition`.

    ``facts`` holds the declared facts the condition reads, by name; ``facts_used`` their
    names in order of first appearance. ``parameters`` holds the shared rules' parameters it
    reads (``rules.<rule>.<parameter>``), by name, with the value they had when compiled.
    """

    expression: str
    facts: Mapping[str, FactSpec] = field(repr=False)
    facts_used: tuple[str, ...]
    _first_use: Mapping[str, int] = field(repr=False, compare=False)
    _sites: tuple[_Site, ...] = field(repr=False, compare=False)
    _tree: Any = field(repr=False, compare=False)
    parameters: Mapping[str, ParameterSpec] = field(default_factory=dict, repr=False)

    def evaluate(self, values: Mapping[str, Any], *, trace: bool = True) -> Evaluation:
        """Evaluate with the given fact values (extra values are ignored).

        With ``trace`` (the default), each comparison is also evaluated on its own to fill
        ``Evaluation.comparisons``; ``trace=False`` gives the value alone, about twice as
        fast for a condition of two or three comparisons.

        Raises :class:`ConditionError` of kind ``missing`` when a used fact has no value,
        ``value`` when a value does not fit its fact's type, ``evaluation`` when CEL cannot
        compute the result (division by zero, number too large).
        """
        checked: dict[str, Any] = {}
        for name in self.facts_used:
            if name not in values:
                missing = [n for n in self.facts_used if n not in values]
                raise ConditionError(
                    "missing", f"no value given for fact '{name}'",
                    expression=self.expression, offset=self._first_use[name], fact=name,
                    hint="Give a value for every fact this condition uses: "
                    + ", ".join(missing) + ".")
            checked[name] = check_fact_value(self.facts[name], values[name])
        celtypes = _cel().celtypes
        activation = {name: _to_cel(celtypes, self.facts[name].type, value)
                      for name, value in checked.items()}
        for name, parameter in self.parameters.items():  # 'rules.x.y': CEL reads the dots
            activation[name] = _to_cel(celtypes, parameter.type, parameter.value)

        tree = self._tree if self._tree is not None else _lark_tree(self.expression)
        result = _run(self.expression, tree, activation)
        if not isinstance(result, celtypes.BoolType):  # pragma: no cover - excluded by typing
            raise ConditionError("evaluation", "the condition did not give true or false",
                                 expression=self.expression, offset=0)
        comparisons = (tuple(self._trace(site, activation) for site in self._sites)
                       if trace else ())
        return Evaluation(value=bool(result), comparisons=comparisons, values=checked)

    def _trace(self, site: _Site, activation: dict[str, Any]) -> Comparison:
        text = self.expression
        line, col = line_col(text, site.start)
        recorder = _recorder()
        recorder.calls = []
        left = right = result = error = None
        try:
            tree = site.tree
            if tree is None:  # parsed by the fast path: the lark subtree, built once
                tree = _lark_sites(text)[(site.start, site.end)]
            _run(text, tree, activation, record=True)
            left, right, raw = recorder.calls[-1]
            result = bool(raw)
            left = _from_cel(left, site.left_type)
            right = _from_cel(right, site.right_type)
        except ConditionError as err:
            error = err.message
        except Exception as err:  # noqa: BLE001 - a trace line must never crash the caller
            error = f"unexpected problem: {err}"
        finally:
            recorder.calls = []
        return Comparison(
            text=text[site.start:site.end], op=site.op,
            left_text=text[site.left[0]:site.left[1]],
            right_text=text[site.right[0]:site.right[1]],
            left=left, right=right, result=result, offset=site.start, line=line, col=col,
            error=error)


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

# ASCII digits only: Python's \d, int() and float() also read other scripts' digits (١٠).
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
#: More digits than this is past any exact whole number (and past what int() converts).
_MAX_DIGITS = 40
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+")
"""2,500 or 1,250,000: thousands written with commas (or, in French, a decimal comma)."""


def _decimal_comma(raw: str) -> str:
    """'2,500' read with a decimal comma: 2.5."""
    whole, _, decimals = raw.partition(",")
    return f"{whole}.{decimals}".rstrip("0").rstrip(".")
_TYPE_WORDS = {
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "string": "a text",
}


def _spec(fact: Any) -> FactSpec:
    """A FactSpec from a FactSpec, the registry's Fact model or anything alike."""
    if isinstance(fact, FactSpec):
        return fact
    return FactSpec(name=fact.name, type=fact.type,  # type: ignore[arg-type]
                    unit=getattr(fact, "unit", None),
                    description=getattr(fact, "description", None))


def parse_fact_value(fact: FactLike | FactSpec, text: str) -> int | float | bool | str:
    """Convert a command-line text (``"6000"``, ``"true"``, ``"b2b"``) to the fact's type.

    ``int`` gives an int, ``number`` a float, ``bool`` a bool (``true``/``false``, any case),
    ``string`` the text as is. Raises :class:`ConditionError` of kind ``value``.
    """
    spec = _spec(fact)
    raw = text.strip()
    shown = text if len(text) <= 60 else text[:57] + "..."
    if spec.type == "string":
        return text
    if spec.type == "bool":
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise ConditionError("value", f"'{shown}' is not true or false for fact {spec.label}",
                             fact=spec.name, hint="Write true or false.")
    if spec.type in ("int", "number"):
        _check_digits(spec, raw, shown)
    if spec.type == "int":
        if _INT_TEXT.fullmatch(raw):
            return _checked_int(spec, int(raw))
        hint = "Write a whole number, digits only, e.g. 7."
        if _THOUSANDS.fullmatch(raw):
            hint = f"Write it without a separator between thousands: {raw.replace(',', '')}."
        elif _NUMBER_TEXT.fullmatch(raw):
            hint = f"{spec.name} counts whole units: write a whole number, e.g. 7."
        raise ConditionError("value", f"'{shown}' is not a whole number for fact {spec.label}",
                             fact=spec.name, hint=hint)
    if spec.type == "number":
        if _NUMBER_TEXT.fullmatch(raw):
            return _checked_float(spec, float(raw))
        hint = "Write a number with digits and a dot for decimals, e.g. 5000 or 12.5."
        if _THOUSANDS.fullmatch(raw) and raw.count(",") > 1:
            hint = f"Write it without a separator between thousands: {raw.replace(',', '')}."
        elif _THOUSANDS.fullmatch(raw):  # 2,500: two thousand five hundred, or two and a half?
            hint = (f"'{raw}' is ambiguous (a comma between thousands, or a decimal comma): "
                    f"write {raw.replace(',', '')} or {_decimal_comma(raw)}, without a comma.")
        elif re.fullmatch(r"[+-]?[0-9]+,[0-9]+", raw):
            hint = f"Use a dot for decimals: {raw.replace(',', '.')}."
        raise ConditionError("value", f"'{shown}' is not a number for fact {spec.label}",
                             fact=spec.name, hint=hint)
    raise ConditionError("value", f"fact {spec.name} has an unknown type '{spec.type}'",
                         fact=spec.name, hint="A fact's type is int, number, bool or string.")


def _check_digits(spec: FactSpec, raw: str, shown: str) -> None:
    """Refuse plainly digits other than 0-9, and more digits than any number could need."""
    foreign = next((c for c in raw if c.isdigit() and not c.isascii()), None)
    if foreign is not None:
        raise ConditionError(
            "value", f"'{shown}' is written with digits other than 0-9 (such as '{foreign}') "
            f"for fact {spec.label}", fact=spec.name,
            hint="Write the number with the digits 0 to 9, e.g. 10.")
    if sum(c.isdigit() for c in raw) > _MAX_DIGITS:
        raise ConditionError(
            "value", f"'{shown}' has {sum(c.isdigit() for c in raw):,} digits: it is too large "
            f"for fact {spec.label}", fact=spec.name,
            hint=f"Whole numbers in conditions go up to {MAX_EXACT_INT:,}." if spec.type == "int"
            else "Give an ordinary number, e.g. 5000 or 12.5.")


def check_fact_value(fact: FactLike | FactSpec, value: Any) -> int | float | bool | str:
    """Check a value already read from YAML (a scenario's ``given``) against the fact's type.

    Returns it normalised (``number`` facts as float). ``true`` is not a number, ``"7"`` is
    not a whole number, ``7.5`` is not a whole number. Raises :class:`ConditionError` of kind
    ``value``.
    """
    spec = _spec(fact)
    shown = (format_value(value) if isinstance(value, (bool, int, str)) else repr(value))
    if len(shown) > 60:
        shown = shown[:57] + "..."
    expected = _TYPE_WORDS.get(spec.type)
    if expected is None:
        raise ConditionError("value", f"fact {spec.name} has an unknown type '{spec.type}'",
                             fact=spec.name, hint="A fact's type is int, number, bool or string.")
    hint: str | None = None
    if spec.type == "string" and isinstance(value, str):
        return value
    if spec.type == "bool" and isinstance(value, bool):
        return value
    if spec.type == "int" and isinstance(value, int) and not isinstance(value, bool):
        return _checked_int(spec, value)
    if (spec.type == "number" and isinstance(value, (int, float))
            and not isinstance(value, bool)):
        return _checked_float(spec, value)
    if isinstance(value, str):
        hint = f"Write it without quotes if it is {expected}."
        if spec.type == "bool" and value.strip().lower() in ("true", "false"):
            hint = f"Write {value.strip().lower()} without quotes."
    elif spec.type == "string":
        hint = f"Put it in quotes: '{shown}'."
    elif spec.type == "int" and isinstance(value, float):
        hint = f"{spec.name} counts whole units: write a whole number."
    raise ConditionError("value", f"{shown} is not {expected} for fact {spec.label}",
                         fact=spec.name, hint=hint)


def _checked_int(spec: FactSpec, value: int) -> int:
    if abs(value) > MAX_EXACT_INT:
        raise ConditionError(
            "value", f"{value} is too large for fact {spec.label}", fact=spec.name,
            hint=f"Whole numbers in conditions go up to {MAX_EXACT_INT:,}.")
    return value


def _checked_float(spec: FactSpec, value: int | float) -> float:
    try:
        result = float(value)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise ConditionError("value", f"{format_value(value)} is too large for fact "
                             f"{spec.label}", fact=spec.name,
                             hint="Give an ordinary number, e.g. 5000 or 12.5.")
    return result


def format_value(value: Any) -> str:
    """A value as people read it: ``true``, ``8``, ``12.5``, ``'b2b'``, ``['a', 'b']``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a 0-based offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


# --------------------------------------------------------------------------------------------
# CEL, loaded lazily
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CelModules:
    celpy: Any
    celtypes: Any
    evaluation: Any
    lark: Any
    parser: Any
    environment: Any


@functools.cache
def _cel() -> _CelModules:
    """Import cel-python and build the process's one parser and CEL environment (~0.25 s).

    The parser is cel-python's own grammar and options, with one difference: cel-python turns
    ``true``/``false`` into literals with a lexer callback that drops their position, and
    every error needs a position. cel-python keeps one parser per process in
    ``CELParser.CEL_PARSER``; when it has none yet, it is given this one rather than building
    the same tables a second time.
    """
    from pathlib import Path

    import celpy
    import celpy.celparser
    import celpy.celtypes
    import celpy.evaluation
    import lark

    def literals(token: Any) -> Any:
        if token.value in ("true", "false"):
            return token.new_borrow_pos("BOOL_LIT", token.value, token)
        return token

    grammar = (Path(celpy.celparser.__file__).parent / "cel.lark").read_text(encoding="utf-8")
    options = dict(parser="lalr", start="expr", g_regex_flags=re.M,
                   lexer_callbacks={"IDENT": literals}, propagate_positions=True,
                   maybe_placeholders=False, priority="invert")
    cache = _parser_cache_file(grammar, lark.__version__)
    try:
        parser = lark.Lark(grammar, cache=str(cache) if cache else False, **options)
    except Exception:  # an unreadable or stale cache must never stop lint
        parser = lark.Lark(grammar, **options)
    if celpy.celparser.CELParser.CEL_PARSER is None:
        celpy.celparser.CELParser.CEL_PARSER = parser
    return _CelModules(celpy=celpy, celtypes=celpy.celtypes, evaluation=celpy.evaluation,
                       lark=lark, parser=parser, environment=celpy.Environment())


def _parser_cache_file(grammar: str, lark_version: str) -> Path | None:
    """Where Lark keeps the built parser tables between runs (0.2 s -> 0.01 s per run), or
    None: then the parser is built each time, silently.

    Lark's cache is a pickle, and loading a pickle runs whatever it says: a file that someone
    else could write must never be loaded. So the cache is used only in a per-user folder
    (``$XDG_CACHE_HOME/livingsys``, or ``~/.cache/livingsys``; never the shared temporary
    folder Lark uses by default) that belongs to the user and that nobody else may write in
    (it is created 0700; a folder or file writable by the group or others, owned by someone
    else, or a link is refused), so only the user could have written what it holds. No home
    folder, a relative ``$XDG_CACHE_HOME`` or a folder that cannot be made: no cache. The name
    carries the grammar's hash and Lark's version, so an upgrade builds a new one.
    ``LIVINGSYS_NO_CACHE=1`` turns it off.
    """
    import hashlib
    import os
    import stat
    from pathlib import Path

    if os.environ.get("LIVINGSYS_NO_CACHE") or not hasattr(os, "getuid"):
        return None
    digest = hashlib.sha256(f"{lark_version}\n{grammar}".encode()).hexdigest()[:16]
    try:
        configured = os.environ.get("XDG_CACHE_HOME")
        home = Path(configured) if configured and os.path.isabs(configured) else \
            Path.home() / ".cache"
        base = home / "livingsys"
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        cache = base / f"cel-parser-{digest}.lark"
        for path, kind in ((base, stat.S_ISDIR), (cache, stat.S_ISREG)):
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue  # not written yet
            if (not kind(info.st_mode) or info.st_uid != os.getuid()
                    or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
                return None
        if not os.access(base, os.W_OK):
            return None
    except (OSError, RuntimeError, KeyError, ValueError):  # no home folder, unwritable...
        return None
    return cache


class _Recorder(threading.local):
    calls: list[tuple[Any, Any, Any]]

    def __init__(self) -> None:
        self.calls = []


_RECORDER: _Recorder | None = None


def _recorder() -> _Recorder:
    global _RECORDER
    if _RECORDER is None:
        _RECORDER = _Recorder()
    return _RECORDER


@functools.cache
def _functions(record: bool) -> dict[str, Any]:
    """The operators CEL evaluates with: all-decimal arithmetic that refuses division by
    zero and overflow; with ``record``, comparisons also note their operands for the trace."""
    cel = _cel()
    base = cel.evaluation.base_functions
    double = cel.celtypes.DoubleType

    def finite(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            raise OverflowError("overflow")
        return value

    def add(a: Any, b: Any) -> Any:
        return finite(base["_+_"](a, b))

    def sub(a: Any, b: Any) -> Any:
        return finite(base["_-_"](a, b))

    def mul(a: Any, b: Any) -> Any:
        return finite(base["_*_"](a, b))

    def div(a: Any, b: Any) -> Any:
        if isinstance(b, (int, float)) and float(b) == 0.0:
            raise ZeroDivisionError("division by zero")
        return finite(base["_/_"](a, b))

    def mod(a: Any, b: Any) -> Any:
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
            raise TypeError("no such overload")
        if float(b) == 0.0:
            raise ZeroDivisionError("division by zero")
        return double(math.fmod(float(a), float(b)))

    functions: dict[str, Any] = {"_+_": add, "_-_": sub, "_*_": mul, "_/_": div, "_%_": mod}
    if record:
        recorder = _recorder()

        def recording(name: str) -> Any:
            original = base[name]

            def call(a: Any, b: Any) -> Any:
                result = original(a, b)
                recorder.calls.append((a, b, result))
                return result

            return call

        for name in ("_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_", "_in_", *_STRING_TESTS):
            functions[name] = recording(name)
    return functions


def _run(expression: str, tree: Any, activation: dict[str, Any], *,
         record: bool = False) -> Any:
    """Evaluate a (sub)tree with CEL; every failure becomes a ConditionError."""
    cel = _cel()
    try:
        program = cel.environment.program(tree, functions=_functions(record))
        return program.evaluate(activation)
    except cel.evaluation.CELEvalError as err:
        raise _evaluation_error(expression, err, tree) from None
    except Exception as err:  # noqa: BLE001 - never a traceback for a user's condition
        raise ConditionError(
            "evaluation", f"the condition could not be evaluated ({err})",
            expression=expression, offset=_meta_start(tree) or 0,
            hint="Check the values given and the condition.") from None


def _evaluation_error(expression: str, err: Any, fallback_tree: Any) -> ConditionError:
    cause = err.args[1] if len(err.args) > 1 and isinstance(err.args[1], type) else None
    where_tree = getattr(err, "tree", None)
    token = getattr(err, "token", None)
    offset: int | None = None
    snippet = ""
    if where_tree is not None and not where_tree.meta.empty:
        offset = where_tree.meta.start_pos
        snippet = expression[where_tree.meta.start_pos:where_tree.meta.end_pos]
    elif token is not None and getattr(token, "start_pos", None) is not None:
        offset = token.start_pos
    if offset is None:
        offset = _meta_start(fallback_tree) or 0
    where = f" in '{' '.join(snippet.split())}'" if snippet else ""
    if cause is ZeroDivisionError:
        return ConditionError("evaluation", f"division by zero{where}", expression=expression,
                              offset=offset, hint="With these values, a number is divided by 0; "
                              "guard it, e.g. months > 0 && amount_due / months > 100.")
    if cause in (OverflowError, ValueError):
        return ConditionError("evaluation", f"a number is too large{where}",
                              expression=expression, offset=offset,
                              hint="Check the values given: the result cannot be represented.")
    return ConditionError("evaluation", f"the condition could not be evaluated{where}",
                          expression=expression, offset=offset,
                          hint="Check the values given and the condition.")


def _meta_start(tree: Any) -> int | None:
    meta = getattr(tree, "meta", None)
    if meta is None or meta.empty:
        return None
    return int(meta.start_pos)


def _to_cel(celtypes: Any, fact_type: str, value: Any) -> Any:
    if fact_type in ("int", "number"):
        return celtypes.DoubleType(float(value))
    if fact_type == "bool":
        return celtypes.BoolType(value)
    return celtypes.StringType(value)


def _from_cel(value: Any, static_type: str) -> Any:
    """A CEL value as plain Python, whole numbers shown as int where the type says so."""
    if isinstance(value, bool):  # BoolType is an int subclass: test it first
        return bool(value)
    if isinstance(value, float):
        if static_type == "int" and value.is_integer():
            return int(value)
        return float(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        element = static_type[5:-1] if static_type.startswith("list[") else ""
        return [_from_cel(v, element) for v in value]
    return value


# --------------------------------------------------------------------------------------------
# Parsing: lark tree -> small checked tree (facts-independent, cached by text)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    """One element of a condition: a fact, a literal, an operator or a text test."""

    kind: str  # fact int number string bool list and or not neg cmp arith cond call
    start: int
    end: int
    op: str = ""  # operator, method or fact name
    children: tuple[_Node, ...] = ()
    value: Any = None
    op_offset: int = 0
    tree: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class _Problem:
    """A ConditionError to raise again, cached without its traceback."""

    kind: ErrorKind
    message: str
    offset: int | None
    hint: str | None
    fact: str | None = None

    def error(self, expression: str) -> ConditionError:
        return ConditionError(self.kind, self.message, expression=expression,
                              offset=self.offset, hint=self.hint, fact=self.fact)


class _Refused(Exception):
    def __init__(self, problem: _Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_PASS_THROUGH = frozenset({"expr", "conditionalor", "conditionaland", "relation", "addition",
                           "multiplication", "unary", "member", "primary"})
_RELATIONS = {"relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
              "relation_eq": "==", "relation_ne": "!=", "relation_in": "in"}
_ARITHMETIC = {"addition_add": "+", "addition_sub": "-", "multiplication_mul": "*",
               "multiplication_div": "/", "multiplication_mod": "%"}
_PARAMETER_HINT = ("A shared rule's parameter is read as rules.<rule>.<parameter>, the rule's "
                   "id with '_' for '-', e.g. "
                   "rules.manager_validation_threshold.amount_threshold_eur; the rule must be "
                   "in the automation's uses_rules.")
_SUBSET_HINT = ("Conditions use facts, numbers, 'texts', true/false, comparisons "
                "(< <= > >= == !=), in [..], && (and), || (or), ! (not), + - * / % and "
                "x.startsWith('..'), x.endsWith('..'), x.contains('..').")


def _refuse(kind: ErrorKind, message: str, offset: int | None, hint: str | None = None,
            fact: str | None = None) -> _Refused:
    return _Refused(_Problem(kind, message, offset, hint, fact))


class _Builder:
    """Walks cel-python's lark parse tree once: limits, allowed constructs, literals."""

    # Grammar rules of the language's subset, each handled by the method "_" + rule.
    _HANDLED = frozenset({"expr", "conditionalor", "conditionaland", "relation", "addition",
                          "multiplication", "unary", "paren_expr", "member_dot_arg",
                          "member_dot", "ident_arg", "ident", "list_lit", "literal"})

    def __init__(self, text: str, cel: _CelModules) -> None:
        self.text = text
        self.cel = cel
        self.nodes = 0

    def _node(self, kind: str, start: int, end: int, **kwargs: Any) -> _Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _refuse(
                "too_complex", f"the condition is too long: more than {MAX_NODES} elements "
                "(facts, values, operators)", start,
                "Split it into several rules, or declare an intermediate fact.")
        return _Node(kind, start, end, **kwargs)

    def build(self, tree: Any, depth: int) -> _Node:
        lark = self.cel.lark
        while (isinstance(tree, lark.Tree) and tree.data in _PASS_THROUGH
               and len(tree.children) == 1):
            tree = tree.children[0]
        start, end = self._span(tree)
        if depth > MAX_DEPTH:
            raise _refuse(
                "too_complex", f"the condition is nested too deeply (more than {MAX_DEPTH} "
                "levels of parentheses or operators)", start,
                "Simplify it, or split it into several rules.")
        if not isinstance(tree, lark.Tree):  # pragma: no cover - the grammar wraps tokens
            raise _refuse("syntax", f"'{tree}' is not expected here", start, _SUBSET_HINT)
        data = tree.data
        if data in self._HANDLED:
            return getattr(self, "_" + data)(tree, tree.children, start, end, depth)
        return self._unsupported(tree, data, start, end, depth)

    # -- operators ----------------------------------------------------------------------------

    def _expr(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        parts = tuple(self.build(k, depth + 1) for k in kids)
        question = self._find("?", parts[0].end, parts[1].start)
        return self._node("cond", start, end, op="?:", children=parts, op_offset=question)

    def _chain(self, tree: Any, start: int, end: int, depth: int, op: str) -> _Node:
        operands = []
        current = tree
        while (isinstance(current, self.cel.lark.Tree) and current.data == tree.data
               and len(current.children) == 2):
            operands.append(current.children[1])
            current = current.children[0]
        operands.append(current)
        operands.reverse()
        if len(operands) > MAX_NODES:
            raise _refuse(
                "too_complex", f"the condition is too long: more than {MAX_NODES} elements "
                "(facts, values, operators)", start,
                "Split it into several rules, or declare an intermediate fact.")
        kind = "and" if op == "&&" else "or"
        self._node(kind, start, end)  # counts it
        children = tuple(self.build(k, depth + 1) for k in operands)
        return _Node(kind, start, end, op=op, children=children,
                     op_offset=self._find(op, children[0].end, children[1].start))

    def _conditionalor(self, tree: Any, kids: list, start: int, end: int,
                       depth: int) -> _Node:
        return self._chain(tree, start, end, depth, "||")

    def _conditionaland(self, tree: Any, kids: list, start: int, end: int,
                        depth: int) -> _Node:
        return self._chain(tree, start, end, depth, "&&")

    def _binary(self, tree: Any, kids: list, start: int, end: int, depth: int,
                table: dict[str, str], kind: str) -> _Node:
        op_tree, right_tree = kids
        op = table[op_tree.data]
        left = self.build(op_tree.children[0], depth + 1)
        right = self.build(right_tree, depth + 1)
        self._node(kind, start, end)  # counts it
        return _Node(kind, start, end, op=op, children=(left, right),
                     op_offset=self._find(op, left.end, right.start), tree=tree)

    def _relation(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        return self._binary(tree, kids, start, end, depth, _RELATIONS, "cmp")

    def _addition(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        return self._binary(tree, kids, start, end, depth, _ARITHMETIC, "arith")

    def _multiplication(self, tree: Any, kids: list, start: int, end: int,
                        depth: int) -> _Node:
        return self._binary(tree, kids, start, end, depth, _ARITHMETIC, "arith")

    def _unary(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        op_tree, operand_tree = kids
        kind, op = ("not", "!") if op_tree.data == "unary_not" else ("neg", "-")
        operand = self.build(operand_tree, depth + 1)
        self._node(kind, start, end)
        return _Node(kind, start, end, op=op, children=(operand,), op_offset=start)

    def _paren_expr(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        return self.build(kids[0], depth + 1)

    # -- calls ----------------------------------------------------------------------------------

    def _member_dot_arg(self, tree: Any, kids: list, start: int, end: int,
                        depth: int) -> _Node:
        name_token = kids[1]
        name = str(name_token)
        args = kids[2].children if len(kids) > 2 else []
        where = name_token.start_pos
        target = self.build(kids[0], depth + 1)  # the leftmost problem is reported first
        if name in _STRING_TESTS:
            if len(args) != 1:
                raise _refuse("type", f"'{name}' takes one text, e.g. x.{name}('abc')", where,
                              _SUBSET_HINT)
            arg = self.build(args[0], depth + 1)
            self._node("call", start, end)
            return _Node("call", start, end, op=name, children=(target, arg), op_offset=where,
                         tree=tree)
        if name in _MACROS:
            raise _refuse("unsupported", f"'.{name}(...)' is not supported in conditions: "
                          "facts are single values, not lists", where, _SUBSET_HINT)
        raise _refuse("unsupported", f"'.{name}(...)' is not a function conditions can use",
                      where, "The text tests are x.startsWith('..'), x.endsWith('..') and "
                      "x.contains('..').")

    def _member_dot(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        """``rules.<rule>.<parameter>``: a shared rule's parameter; any other x.y is refused."""
        lark = self.cel.lark
        names: list[str] = []
        current = tree
        while isinstance(current, lark.Tree) and current.data == "member_dot":
            names.append(str(current.children[1]))
            current = current.children[0]
            while (isinstance(current, lark.Tree) and current.data in ("member", "primary")
                   and len(current.children) == 1):
                current = current.children[0]
        if not (isinstance(current, lark.Tree) and current.data == "ident"
                and str(current.children[0]) == PARAMETER_ROOT):
            return self._unsupported(tree, "member_dot", start, end, depth)
        names.reverse()
        if len(names) == 2:
            return self._node("param", start, end, op=".".join([PARAMETER_ROOT, *names]))
        snippet = " ".join(self.text[start:end].split())
        raise _refuse("parameter", f"'{snippet}' is not a shared rule's parameter: write "
                      "rules.<rule>.<parameter>", start, _PARAMETER_HINT)

    def _ident_arg(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        name = str(kids[0])
        raise _refuse("unsupported", f"'{name}(...)': conditions cannot call functions", start,
                      "Compare facts with values instead, e.g. amount_due > 100; the text "
                      "tests are x.startsWith('..'), x.endsWith('..') and x.contains('..').")

    def _unsupported(self, tree: Any, data: str, start: int, end: int, depth: int) -> _Node:
        if data in ("member_dot", "member_index", "member_object"):
            self.build(tree.children[0], depth + 1)  # the leftmost problem is reported first
        snippet = " ".join(self.text[start:end].split())
        if len(snippet) > 40:
            snippet = snippet[:37] + "..."
        reasons = {
            "member_dot": "fields (x.y) are not supported: a fact is a single value",
            "member_index": "indexes (x[...]) are not supported: a fact is a single value",
            "member_object": "objects (x{...}) are not supported",
            "map_lit": "maps ({...}) are not supported",
            "dot_ident": "names starting with '.' are not supported",
            "dot_ident_arg": "names starting with '.' are not supported",
        }
        reason = reasons.get(data, "this construction is not supported in conditions")
        hint = _SUBSET_HINT + (f" {_PARAMETER_HINT}" if data == "member_dot" else "")
        raise _refuse("unsupported", f"'{snippet}': {reason}", start, hint)

    # -- leaves ---------------------------------------------------------------------------------

    def _ident(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        return self._node("fact", start, end, op=str(kids[0]))

    def _list_lit(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        items = kids[0].children if kids else []
        self._node("list", start, end)
        children = tuple(self.build(k, depth + 1) for k in items)
        return _Node("list", start, end, children=children, op_offset=start)

    def _literal(self, tree: Any, kids: list, start: int, end: int, depth: int) -> _Node:
        token = kids[0]
        kind = token.type
        text = str(token)
        if kind == "INT_LIT":
            try:
                number = int(text)
            except ValueError:  # CEL also has hexadecimal (0x1F) and unsigned (1u) numbers
                raise _refuse("unsupported", f"the number {text} is not written in plain "
                              "digits", start, "Write it with digits only, e.g. 5000.") from None
            if abs(number) > MAX_EXACT_INT:
                raise _refuse("syntax", f"the number {text} is too large", start,
                              f"Whole numbers in conditions go up to {MAX_EXACT_INT:,}.")
            # Every number is evaluated as a decimal (see the module's documentation).
            tree.children[0] = token.new_borrow_pos("FLOAT_LIT", text, token)
            return self._node("int", start, end, value=number)
        if kind == "FLOAT_LIT":
            value = float(text)
            if not math.isfinite(value):
                raise _refuse("syntax", f"the number {text} is too large", start,
                              "Write an ordinary number, e.g. 5000 or 12.5.")
            return self._node("number", start, end, value=value)
        if kind == "BOOL_LIT":
            return self._node("bool", start, end, value=text == "true")
        if kind in ("STRING_LIT", "MLSTRING_LIT"):
            try:
                content = str(self.cel.evaluation.celstr(token))
            except Exception:  # noqa: BLE001 - a bad escape in the user's text
                raise _refuse("syntax", "this text cannot be read (a '\\' in it starts an "
                              "unknown escape)", start,
                              "Write \\\\ for a backslash, or remove it.") from None
            return self._node("string", start, end, value=content)
        if kind == "NULL_LIT":
            raise _refuse("unsupported", "'null' is not supported: every fact has a value",
                          start, "Compare with an actual value, e.g. segment == ''.")
        if kind == "UINT_LIT":
            raise _refuse("unsupported", f"'{text}': unsigned numbers are not supported",
                          start, f"Write {text[:-1]} without the '{text[-1]}'.")
        raise _refuse("unsupported", f"'{text}': bytes are not supported", start,
                      "Write a text in quotes, e.g. 'abc'.")

    # -- positions ------------------------------------------------------------------------------

    def _span(self, tree: Any) -> tuple[int, int]:
        meta = getattr(tree, "meta", None)
        if meta is not None and not meta.empty:
            return int(meta.start_pos), int(meta.end_pos)
        start = getattr(tree, "start_pos", None)
        if start is not None:
            return int(start), int(start) + len(str(tree))
        return 0, len(self.text)  # pragma: no cover - every node has a position

    def _find(self, op: str, left_end: int, right_start: int) -> int:
        found = self.text.find(op, left_end, max(right_start, left_end))
        return found if found >= 0 else left_end


# --------------------------------------------------------------------------------------------
# Fast path: a hand-written parser for the common subset, lark only when really needed
# --------------------------------------------------------------------------------------------

FAST_PARSE = True
"""Parse the common subset without lark (tests turn it off to compare both paths; clear
``_parse`` and ``_compile`` caches after changing it)."""

_FAST_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_FAST_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_FAST_AFTER_NUMBER = frozenset("_.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_FAST_WHITESPACE = frozenset("\t\n\f\r ")
_FAST_TWO = frozenset({"&&", "||", "<=", ">=", "==", "!="})
_FAST_ONE = frozenset("<>!+-*/%()[],")
_FAST_OPERAND_END = frozenset({"id", "param", "int", "float", "str", "bool", ")", "]"})
_FAST_PARAMETER = re.compile(r"rules\.([_a-zA-Z][_a-zA-Z0-9]*)\.([_a-zA-Z][_a-zA-Z0-9]*)")
_FAST_NOT_AFTER_PARAMETER = frozenset(".([{'\"")
_FAST_WORDS = frozenset({"null", "as", "break", "const", "continue", "else", "for",
                         "function", "if", "import", "let", "loop", "package", "namespace",
                         "return", "var", "void", "while"})
_FAST_RELATIONS = frozenset({"<", "<=", ">", ">=", "==", "!=", "in"})


class _NotFast(Exception):
    """The fast parser is not sure: the lark path decides."""


def _fast_tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(type, text, start, end) of each token; types: id int float str bool and operators."""
    tokens: list[tuple[str, str, int, int]] = []
    pos, size = 0, len(text)
    while pos < size:
        char = text[pos]
        if char in _FAST_WHITESPACE:
            pos += 1
            continue
        operand = not tokens or tokens[-1][0] not in _FAST_OPERAND_END
        if "0" <= char <= "9" or (char == "-" and operand and pos + 1 < size
                                  and "0" <= text[pos + 1] <= "9"):
            match = _FAST_NUMBER.match(text, pos)
            if match is None:  # pragma: no cover - the test above guarantees a digit
                raise _NotFast
            end = match.end()
            if end < size and text[end] in _FAST_AFTER_NUMBER:
                raise _NotFast  # 1e3, 1., 0x1f, 1u...
            word = match.group()
            tokens.append(("float" if "." in word else "int", word, pos, end))
            pos = end
            continue
        if char == "_" or "a" <= char <= "z" or "A" <= char <= "Z":
            match = _FAST_IDENT.match(text, pos)
            end = match.end()  # type: ignore[union-attr]
            word = match.group()  # type: ignore[union-attr]
            if (end < size and text[end] in "'\"") or word in _FAST_WORDS:
                raise _NotFast  # r'..', b'..', reserved words, null
            if word == PARAMETER_ROOT and end < size and text[end] == ".":
                match = _FAST_PARAMETER.match(text, pos)  # rules.<rule>.<parameter>, no spaces
                if match is None or (match.end() < size
                                     and text[match.end()] in _FAST_NOT_AFTER_PARAMETER):
                    raise _NotFast
                if any(part in _FAST_WORDS or part in ("true", "false", "in")
                       for part in match.groups()):
                    raise _NotFast
                tokens.append(("param", match.group(), pos, match.end()))
                pos = match.end()
                continue
            kind = "bool" if word in ("true", "false") else "in" if word == "in" else "id"
            tokens.append((kind, word, pos, end))
            pos = end
            continue
        if char in "'\"":
            if text.startswith(char * 3, pos):
                raise _NotFast
            end = text.find(char, pos + 1)
            if end < 0:
                raise _NotFast
            content = text[pos + 1:end]
            if "\\" in content or any(c < " " or c == "\x7f" for c in content):
                raise _NotFast
            tokens.append(("str", content, pos, end + 1))
            pos = end + 1
            continue
        two = text[pos:pos + 2]
        if two in _FAST_TWO:
            tokens.append((two, two, pos, pos + 2))
            pos += 2
            continue
        if char in _FAST_ONE and two != "//":
            tokens.append((char, char, pos, pos + 1))
            pos += 1
            continue
        raise _NotFast
    return tokens


class _FastParser:
    """Recursive descent over the tokens, into items (kind, start, end, payload) whose span
    includes their own parentheses; :meth:`node` then builds the same _Node tree as
    :class:`_Builder`, with the same limits, or gives up."""

    def __init__(self, text: str, tokens: list[tuple[str, str, int, int]]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.nodes = 0
        self.level = 0

    def peek(self) -> str:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else ""

    def take(self, kind: str) -> tuple[str, str, int, int]:
        if self.peek() != kind:
            raise _NotFast
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> tuple:
        item = self.chain("||", "or", self.conjunction)
        if self.index != len(self.tokens):
            raise _NotFast
        return item

    def chain(self, op: str, kind: str, operand: Any) -> tuple:
        items = [operand()]
        while self.peek() == op:
            self.index += 1
            items.append(operand())
        if len(items) == 1:
            return items[0]
        return ("chain", items[0][1], items[-1][2], (kind, op, items))

    def conjunction(self) -> tuple:
        return self.chain("&&", "and", self.relation)

    def binary(self, ops: frozenset[str], kind: str, operand: Any) -> tuple:
        left = operand()
        while self.peek() in ops:
            op = self.tokens[self.index][1]
            self.index += 1
            right = operand()
            left = ("binary", left[1], right[2], (kind, op, left, right))
        return left

    def relation(self) -> tuple:
        return self.binary(_FAST_RELATIONS, "cmp", self.addition)

    def addition(self) -> tuple:
        return self.binary(frozenset("+-"), "arith", self.multiplication)

    def multiplication(self) -> tuple:
        return self.binary(frozenset("*/%"), "arith", self.unary)

    def enter(self) -> None:
        self.level += 1  # each level is at least one level of _Builder's depth
        if self.level > MAX_DEPTH:
            raise _NotFast

    def unary(self) -> tuple:
        kind = self.peek()
        if kind in ("!", "-"):
            start = self.tokens[self.index][2]
            self.index += 1
            self.enter()
            operand = self.unary()
            self.level -= 1
            return ("unary", start, operand[2], ("not" if kind == "!" else "neg", kind,
                                                  operand))
        return self.primary()

    def primary(self) -> tuple:
        kind = self.peek()
        if kind in ("id", "param", "int", "float", "str", "bool"):
            _, word, start, end = self.tokens[self.index]
            self.index += 1
            return (kind, start, end, word)
        if kind == "(":
            start = self.take("(")[2]
            self.enter()
            inner = self.chain("||", "or", self.conjunction)
            self.level -= 1
            end = self.take(")")[3]
            return ("paren", start, end, inner)
        if kind == "[":
            start = self.take("[")[2]
            self.enter()
            items = []
            if self.peek() != "]":
                items.append(self.chain("||", "or", self.conjunction))
                while self.peek() == ",":
                    self.index += 1
                    items.append(self.chain("||", "or", self.conjunction))
            self.level -= 1
            end = self.take("]")[3]
            return ("list", start, end, items)
        raise _NotFast

    # -- items -> _Node, as _Builder does -------------------------------------------------

    def node(self, item: tuple, depth: int) -> _Node:
        while item[0] == "paren":
            item = item[3]
            depth += 1
        if depth > MAX_DEPTH:
            raise _NotFast
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _NotFast
        kind, start, end, payload = item
        if kind == "id":
            return _Node("fact", start, end, op=payload)
        if kind == "param":
            return _Node("param", start, end, op=payload)
        if kind == "int":
            number = int(payload)
            if abs(number) > MAX_EXACT_INT:
                raise _NotFast
            return _Node("int", start, end, value=number)
        if kind == "float":
            value = float(payload)
            if not math.isfinite(value):
                raise _NotFast
            return _Node("number", start, end, value=value)
        if kind == "str":
            return _Node("string", start, end, value=payload)
        if kind == "bool":
            return _Node("bool", start, end, value=payload == "true")
        if kind == "list":
            children = tuple(self.node(k, depth + 1) for k in payload)
            return _Node("list", start, end, children=children, op_offset=start)
        if kind == "unary":
            node_kind, op, operand = payload
            child = self.node(operand, depth + 1)
            return _Node(node_kind, start, end, op=op, children=(child,), op_offset=start)
        if kind == "binary":
            node_kind, op, left_item, right_item = payload
            left = self.node(left_item, depth + 1)
            right = self.node(right_item, depth + 1)
            return _Node(node_kind, start, end, op=op, children=(left, right),
                         op_offset=self.find(op, left.end, right.start))
        node_kind, op, operands = payload  # chain
        children = tuple(self.node(k, depth + 1) for k in operands)
        return _Node(node_kind, start, end, op=op, children=children,
                     op_offset=self.find(op, children[0].end, children[1].start))

    def find(self, op: str, left_end: int, right_start: int) -> int:
        found = self.text.find(op, left_end, max(right_start, left_end))
        return found if found >= 0 else left_end


def _fast_parse(expression: str) -> _Node | None:
    """The checked tree of a condition in the common subset, exactly as the lark path builds
    it, or None when the expression is anything else, is wrong or is near a limit."""
    if len(expression) > MAX_LENGTH or not expression.strip():
        return None
    try:
        parser = _FastParser(expression, _fast_tokens(expression))
        return parser.node(parser.parse(), 0)
    except (_NotFast, RecursionError, ValueError):
        return None


def _lark_tree(expression: str) -> Any:
    """The lark tree of a condition the fast path parsed, built when first needed."""
    parsed = _lark_parse(expression)
    if not isinstance(parsed, _Parsed):  # pragma: no cover - both paths agree
        raise ConditionError("evaluation", "the condition could not be evaluated",
                             expression=expression, offset=0)
    return parsed.tree


@functools.lru_cache(maxsize=8192)
def _lark_sites(expression: str) -> dict[tuple[int, int], Any]:
    """The lark subtrees of a condition's comparisons and text tests, by their span."""
    _lark_tree(expression)  # raises if the lark path refuses it (never: both paths agree)
    parsed = _lark_parse(expression)
    assert isinstance(parsed, _Parsed)
    found: dict[tuple[int, int], Any] = {}
    stack = [parsed.root]
    while stack:
        node = stack.pop()
        if node.kind in ("cmp", "call"):
            found[(node.start, node.end)] = node.tree
        stack.extend(node.children)
    return found


@dataclass(frozen=True, slots=True)
class _Parsed:
    root: _Node
    tree: Any


@functools.lru_cache(maxsize=8192)
def _parse(expression: str) -> _Parsed | _Problem:
    """Parse and structurally check an expression; cached by text. Never raises.

    The common subset is parsed by :func:`_fast_parse`, without its lark tree (``tree`` is
    None: :func:`_lark_tree` builds it when needed); everything else by the lark path."""
    if FAST_PARSE:
        root = _fast_parse(expression)
        if root is not None:
            return _Parsed(root=root, tree=None)
    return _lark_parse(expression)


@functools.lru_cache(maxsize=8192)
def _lark_parse(expression: str) -> _Parsed | _Problem:
    """Parse with cel-python's lark grammar and check the tree; cached by text."""
    if len(expression) > MAX_LENGTH:
        return _Problem("too_complex", f"the condition is too long: {len(expression):,} "
                        f"characters, at most {MAX_LENGTH:,} are allowed", 0,
                        "Split it into several rules, or declare an intermediate fact.")
    if not expression.strip():
        return _Problem("syntax", "the condition is empty", 0,
                        "Write a condition, e.g. days_without_reply >= 7, or remove 'when'.")
    cel = _cel()
    try:
        tree = cel.parser.parse(expression)
    except cel.lark.exceptions.LarkError as err:
        return _syntax_problem(expression, err, cel)
    except Exception:  # noqa: BLE001 - the parser must never crash on a user's text
        return _Problem("syntax", "the condition cannot be read", 0, _SUBSET_HINT)
    try:
        root = _Builder(expression, cel).build(tree, 0)
    except _Refused as refused:
        return refused.problem
    except RecursionError:  # pragma: no cover - the depth limit comes first
        return _Problem("too_complex", "the condition is nested too deeply", 0,
                        "Simplify it, or split it into several rules.")
    return _Parsed(root=root, tree=tree)


_WORD_OPERATORS = {"and": "&&", "or": "||", "not": "!"}
_COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")  # the two-sign ones first
_TYPOGRAPHIC = {"≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/", "−": "-"}


def _syntax_problem(text: str, err: Any, cel: _CelModules) -> _Problem:
    exceptions = cel.lark.exceptions
    cause = err
    if isinstance(cause, exceptions.UnexpectedCharacters):
        offset = cause.pos_in_stream
        char = text[offset] if 0 <= offset < len(text) else ""
        following = text[offset + 1:offset + 2]
        hint = _SUBSET_HINT
        before = text[:offset].rstrip()
        if char == "=" and following in ("<", ">", "!"):  # =>, =<, =! for >=, <=, !=
            hint = f"Write {following}= (the = comes second), e.g. amount_due {following}= 5000."
        elif char == "=" and before.endswith(_COMPARISONS):  # <= = 5000, < = 5000
            operator = next(op for op in _COMPARISONS if before.endswith(op))
            if operator in ("<", ">"):
                hint = f"Write {operator}= without a space."
            else:
                hint = (f"Remove this '=': {operator} already compares, e.g. "
                        f"amount_due {operator} 5000.")
        elif char == "=" and following != "=":
            hint = "To compare, write == (two equal signs), e.g. segment == 'b2b'."
        elif char in _TYPOGRAPHIC:
            hint = f"Write {_TYPOGRAPHIC[char]} instead of {char}."
        elif char == "&":
            hint = "Write && (two signs) for 'and'."
        elif char == "|":
            hint = "Write || (two signs) for 'or'."
        elif char in "'\"":
            return _Problem("syntax", "a text in quotes is not closed", offset,
                            f"End the text with the same quote ({char}) it starts with.")
        return _Problem("syntax", f"unexpected character '{char}'", offset, hint)
    if isinstance(cause, exceptions.UnexpectedToken):
        token = cause.token
        if token.type == "$END":
            offset = len(text.rstrip())
            return _Problem("syntax", "the condition is incomplete: it stops too early",
                            offset, "Something is missing at the end: a value after an "
                            "operator, or a closing parenthesis or bracket.")
        offset = token.start_pos if token.start_pos is not None else 0
        value = str(token)
        word = value.lower()
        if word in _WORD_OPERATORS:
            hint = (f"Write {_WORD_OPERATORS[word]} for '{word}': "
                    "&& (and), || (or), ! (not).")
        elif token.type == "RESERVED":
            return _Problem("syntax", f"'{value}' is a reserved word and cannot be used in a "
                            "condition", offset, "Rename the fact, e.g. " + value + "_value.")
        elif value == ")":
            hint = "There is a closing parenthesis without an opening one, or a missing value."
        elif value in (">", "=") and text[:offset].endswith("<"):  # <> and <=> are not CEL
            hint = "Write != for 'is different from', e.g. amount_due != 0."
        else:
            hint = "An operator (&&, ||, ==, <...) or a parenthesis is probably missing " \
                   "before it."
        return _Problem("syntax", f"'{value}' is not expected here", offset, hint)
    if isinstance(cause, exceptions.UnexpectedEOF):
        return _Problem("syntax", "the condition is incomplete: it stops too early",
                        len(text.rstrip()), "Something is missing at the end.")
    return _Problem("syntax", "the condition cannot be read", 0, _SUBSET_HINT)


# --------------------------------------------------------------------------------------------
# Type check (depends on the declared facts)
# --------------------------------------------------------------------------------------------


def _words(type_: str) -> str:
    if type_.startswith("list"):
        return "a list"
    return _TYPE_WORDS.get(type_, type_)


def _numeric(type_: str) -> bool:
    return type_ in ("int", "number")


def _unify(a: str, b: str) -> str | None:
    """The common type of two values that may be compared, or None."""
    if a == b:
        return a
    if _numeric(a) and _numeric(b):
        return "number"
    return None


class _Typer:
    def __init__(self, text: str, facts: Mapping[str, FactSpec],
                 parameters: RuleParameters = NO_PARAMETERS) -> None:
        self.text = text
        self.facts = facts
        self.parameters = parameters
        self.sites: list[_Site] = []
        self.first_use: dict[str, int] = {}
        self.parameters_used: dict[str, ParameterSpec] = {}

    def src(self, node: _Node) -> str:
        snippet = " ".join(self.text[node.start:node.end].split())
        return snippet if len(snippet) <= 40 else snippet[:37] + "..."

    def q(self, node: _Node) -> str:
        """The node's source in quotes, unless it is a quoted text already."""
        source = self.src(node)
        return source if node.kind == "string" else f"'{source}'"

    def fail(self, message: str, offset: int, hint: str | None = None) -> _Refused:
        return _refuse("type", message, offset, hint)

    def check(self, node: _Node) -> str:
        kind = node.kind
        if kind == "fact":
            return self._fact(node)
        if kind == "param":
            return self._parameter(node)
        if kind in ("int", "number", "string", "bool"):
            return kind
        if kind in ("and", "or"):
            for child in node.children:
                self.need_bool(child, f"'{node.op}' ({'and' if kind == 'and' else 'or'})")
            return "bool"
        if kind == "not":
            self.need_bool(node.children[0], "'!' (not)")
            return "bool"
        if kind == "neg":
            operand = self.check(node.children[0])
            if not _numeric(operand):
                raise self.fail(f"'-' needs a number, but {self.q(node.children[0])} is "
                                f"{_words(operand)}", node.start)
            return operand
        if kind == "cmp":
            return self._comparison(node)
        if kind == "arith":
            return self._arithmetic(node)
        if kind == "call":
            return self._call(node)
        if kind == "cond":
            return self._conditional(node)
        if kind == "list":
            raise self.fail(f"a list ({self.q(node)}) can only be used after 'in'",
                            node.start, "e.g. segment in ['b2b', 'b2c']")
        raise self.fail("this construction is not supported", node.start)  # pragma: no cover

    def need_bool(self, node: _Node, where: str) -> None:
        type_ = self.check(node)
        if type_ != "bool":
            raise self.fail(
                f"{where} needs true or false on each side, but {self.q(node)} is "
                f"{_words(type_)}", node.start, _compare_hint(self.src(node), type_))

    def _fact(self, node: _Node) -> str:
        name = node.op
        spec = self.facts.get(name)
        if spec is None:
            raise _refuse("undeclared", f"'{name}' is not a declared fact of this automation",
                          node.start, _undeclared_hint(name, self.facts), fact=name)
        if name == PARAMETER_ROOT and self.parameters_used:
            raise self._hidden_by_fact(node.start)
        self.first_use.setdefault(name, node.start)
        return spec.type

    def _parameter(self, node: _Node) -> str:
        name = node.op
        found = self.parameters.get(name)
        if found is not None:
            if PARAMETER_ROOT in self.first_use:
                raise self._hidden_by_fact(self.first_use[PARAMETER_ROOT])
            self.parameters_used.setdefault(name, found)
            return found.type
        raise self._unknown_parameter(node)

    def _unknown_parameter(self, node: _Node) -> _Refused:
        message, hint = _parameter_problem(node.op, self.parameters)
        return _refuse("parameter", message, node.start, hint, fact=node.op)

    def _hidden_by_fact(self, offset: int) -> _Refused:
        return self.fail(f"the fact '{PARAMETER_ROOT}' has the name shared rules are read "
                         "under, and this condition reads both", offset,
                         f"Rename the fact, e.g. {PARAMETER_ROOT}_count.")

    def _element_type(self, node: _Node) -> str:
        """The type of a list's elements ('' for an empty list)."""
        element = ""
        first: _Node | None = None
        for item in node.children:
            if item.kind == "list":
                raise self.fail("lists inside lists are not supported", item.start)
            type_ = self.check(item)
            if first is None:
                element, first = type_, item
                continue
            unified = _unify(element, type_)
            if unified is None:
                raise self.fail(
                    f"the list mixes {_words(element)} ({self.q(first)}) and "
                    f"{_words(type_)} ({self.q(item)})", item.start,
                    "Put values of one kind in a list.")
            element = unified
        return element

    def _comparison(self, node: _Node) -> str:
        left, right = node.children
        op = node.op
        if left.kind == "list":
            raise self.fail(f"a list ({self.q(left)}) can only be used after 'in'",
                            left.start, "e.g. segment in ['b2b', 'b2c']")
        left_type = self.check(left)
        if op == "in":
            if right.kind != "list":
                right_type = self.check(right)
                raise self.fail(
                    f"'in' needs a list written in brackets after it, but "
                    f"{self.q(right)} is {_words(right_type)}", right.start,
                    f"e.g. {self.src(left)} in [value1, value2]")
            element = self._element_type(right)
            if element and _unify(left_type, element) is None:
                raise self.fail(
                    f"cannot look for {self.q(left)} ({_words(left_type)}) in a list of "
                    f"{_plural(element)}", right.start,
                    _literal_hint(right.children[0] if right.children else right, left_type))
            right_type = f"list[{element}]"
        else:
            if right.kind == "list":
                raise self.fail(f"a list ({self.q(right)}) can only be used after 'in'",
                                right.start, "e.g. segment in ['b2b', 'b2c']")
            right_type = self.check(right)
            if _unify(left_type, right_type) is None:
                culprit = right if left.kind == "fact" or right.kind != "fact" else left
                other_type = left_type if culprit is right else right_type
                hint = _literal_hint(culprit, other_type)
                if hint is None:
                    hint = (f"{self.src(left)} is {_words(left_type)}: compare it with "
                            f"{_words(left_type)}, e.g. {self.src(left)} {op} "
                            f"{_EXAMPLES[left_type]}.") if left_type in _EXAMPLES else None
                if left.kind == "cmp" and op not in ("==", "!="):
                    hint = (f"To test both, join them: {self.src(left)} && "
                            f"{self.src(left.children[1])} {op} {self.src(right)}.")
                raise self.fail(
                    f"cannot compare {self.q(left)} ({_words(left_type)}) with "
                    f"{self.q(right)} ({_words(right_type)})", node.op_offset, hint)
            if op not in ("==", "!=") and left_type == "bool":
                raise self.fail(
                    f"true/false values can only be compared with == or !=, not '{op}'",
                    node.op_offset, f"e.g. {self.src(left)} == true, or just "
                    f"{self.src(left)}")
        self.sites.append(_Site(op=op, start=node.start, end=node.end,
                                left=(left.start, left.end), right=(right.start, right.end),
                                left_type=left_type, right_type=right_type, tree=node.tree))
        # Nested comparisons come after this one: the trace reads in source order.
        return "bool"

    def _arithmetic(self, node: _Node) -> str:
        left, right = node.children
        op = node.op
        left_type = self.check(left)
        right_type = self.check(right)
        if op == "+" and left_type == right_type == "string":
            return "string"
        for side, type_ in ((left, left_type), (right, right_type)):
            if not _numeric(type_):
                extra = " or two texts" if op == "+" else ""
                raise self.fail(
                    f"'{op}' needs two numbers{extra}, but {self.q(side)} is "
                    f"{_words(type_)}", node.op_offset, _literal_hint(side, "number"))
        if op == "%":
            for side, type_ in ((left, left_type), (right, right_type)):
                if type_ != "int":
                    raise self.fail(
                        f"'%' (remainder) needs whole numbers, but {self.q(side)} is "
                        f"{_words(type_)}", node.op_offset)
            return "int"
        if op == "/":
            return "number"
        return "int" if left_type == right_type == "int" else "number"

    def _call(self, node: _Node) -> str:
        target, arg = node.children
        for part in (target, arg):
            if part.kind == "list":
                raise self.fail(f"a list ({self.q(part)}) can only be used after 'in'",
                                part.start, "e.g. segment in ['b2b', 'b2c']")
        target_type = self.check(target)
        arg_type = self.check(arg)
        if target_type != "string":
            raise self.fail(f"'{node.op}' works on texts, but {self.q(target)} is "
                            f"{_words(target_type)}", node.op_offset)
        if arg_type != "string":
            raise self.fail(f"'{node.op}' needs a text in parentheses, but {self.q(arg)} "
                            f"is {_words(arg_type)}", arg.start, _literal_hint(arg, "string"))
        self.sites.append(_Site(op=node.op, start=node.start, end=node.end,
                                left=(target.start, target.end), right=(arg.start, arg.end),
                                left_type="string", right_type="string", tree=node.tree))
        return "bool"

    def _conditional(self, node: _Node) -> str:
        condition, then, otherwise = node.children
        self.need_bool(condition, "'? :' (if ... then ... else)")
        for part in (then, otherwise):
            if part.kind == "list":
                raise self.fail(f"a list ({self.q(part)}) can only be used after 'in'",
                                part.start, "e.g. segment in ['b2b', 'b2c']")
        then_type = self.check(then)
        else_type = self.check(otherwise)
        unified = _unify(then_type, else_type)
        if unified is None:
            raise self.fail(
                f"both sides of ':' must be of the same kind, but {self.q(then)} is "
                f"{_words(then_type)} and {self.q(otherwise)} is {_words(else_type)}",
                node.op_offset)
        return unified


_EXAMPLES = {"int": "7", "number": "5000", "string": "'b2b'", "bool": "true"}


def _plural(type_: str) -> str:
    return {"int": "whole numbers", "number": "numbers", "bool": "true/false values",
            "string": "texts"}.get(type_, "values")


def _undeclared_hint(name: str, facts: Mapping[str, FactSpec]) -> str:
    if name in ("True", "False", "TRUE", "FALSE"):
        return f"Write {name.lower()} in lowercase."
    if name == PARAMETER_ROOT:
        return _PARAMETER_HINT
    if not facts:
        return ("This automation declares no facts: add them under 'facts:' (name and type) "
                "before using them in a condition.")
    import difflib

    names = sorted(facts)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
    declared = "Declared facts: " + ", ".join(names) + "."
    if close:
        return f"Did you mean '{close[0]}'? {declared}"
    quoted = f"If '{name}' is a text value, put it in quotes: '{name}'. "
    return f"{quoted}{declared} Declare '{name}' under 'facts:' if it is a new fact."


def _parameter_problem(name: str, parameters: RuleParameters) -> tuple[str, str]:
    """The message and hint for ``rules.<key>.<parameter>`` that the automation cannot read."""
    import difflib

    _root, key, parameter = name.split(".")
    for unusable, why in parameters.unusable:
        if unusable == name:
            return f"'{name}' cannot be used in a condition: {why}", _PARAMETER_HINT
    used = dict(parameters.used)
    if key in used:
        rule_id = used[key]
        own = [p for p in parameters.available if p.rule == rule_id]
        if not own:
            return (f"'{name}': shared rule '{rule_id}' has no parameters",
                    f"Add '{parameter}' under 'parameters:' in rules/{rule_id}.yaml, or write "
                    "the value it stands for.")
        close = difflib.get_close_matches(parameter, [p.key for p in own], n=1, cutoff=0.6)
        listed = "Its parameters: " + ", ".join(
            f"{p.name} ({format_value(p.value)})" for p in own) + "."
        guess = f"Did you mean '{PARAMETER_ROOT}.{key}.{close[0]}'? " if close else ""
        return f"'{name}': shared rule '{rule_id}' has no parameter '{parameter}'", guess + listed
    for other_key, _rule_id, why, todo in parameters.unavailable:
        if other_key == key:
            return f"'{name}': {why}", todo
    keys = [*used, *(k for k, *_rest in parameters.unavailable)]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    if used:
        listed = ("Shared rules this automation uses: " + ", ".join(
            f"{rule_id} (read as {PARAMETER_ROOT}.{k}.<parameter>)" for k, rule_id in used.items())
            + ".")
    else:
        listed = ("This automation uses no shared rule: list the rule under 'uses_rules:' "
                  "first.")
    guess = f"Did you mean '{PARAMETER_ROOT}.{close[0]}.{parameter}'? " if close else ""
    shown = key.lstrip("_").replace("_", "-")
    return (f"'{name}': there is no shared rule '{shown}' (rules/{shown}.yaml)",
            guess + listed)


def _compare_hint(source: str, type_: str) -> str | None:
    if _numeric(type_):
        return f"Compare it, e.g. {source} > 0."
    if type_ == "string":
        return f"Compare it, e.g. {source} == 'value'."
    return None


def _literal_hint(node: _Node, expected: str) -> str | None:
    """Hints for the usual slips: quotes around a number, a number for a text."""
    if node.kind == "string" and _numeric(expected) and _NUMBER_TEXT.fullmatch(
            str(node.value).strip()):
        return f"Write {str(node.value).strip()} without quotes: it is a number."
    if node.kind == "string" and expected == "bool" and node.value in ("true", "false"):
        return f"Write {node.value} without quotes."
    if node.kind in ("int", "number") and expected == "string":
        return f"Put the text in quotes: '{format_value(node.value)}'."
    return None


# --------------------------------------------------------------------------------------------
# Compilation
# --------------------------------------------------------------------------------------------


def _specs(facts: Mapping[str, Any] | Iterable[Any]) -> dict[str, FactSpec]:
    """Declared facts, whatever form the caller has them in, by name."""
    specs: dict[str, FactSpec] = {}
    if isinstance(facts, Mapping):
        for name, fact in facts.items():
            if isinstance(fact, str):
                specs[name] = FactSpec(name=name, type=fact)  # type: ignore[arg-type]
            else:
                spec = _spec(fact)
                specs[name] = spec if spec.name == name else FactSpec(
                    name, spec.type, spec.unit, spec.description)
    else:
        for fact in facts:
            spec = _spec(fact)
            specs[spec.name] = spec
    return specs


def compile_condition(expression: str,
                      facts: Mapping[str, FactLike | FactSpec | str] | Iterable[FactLike],
                      parameters: RuleParameters | None = None) -> Condition:
    """Parse and check ``expression`` against the declared ``facts`` and the shared rules'
    ``parameters`` the automation may read (none when not given).

    ``facts`` maps names to :class:`FactSpec`, to the registry's ``Fact`` model or to a type
    name (``"int"``...), or is an iterable of facts (``automation.facts``). Raises
    :class:`ConditionError` (kinds ``syntax``, ``undeclared``, ``type``, ``too_complex``,
    ``unsupported``). Results are cached: compiling the same expression with the same facts
    again costs a dictionary look-up.
    """
    if not isinstance(expression, str):
        raise TypeError(f"a condition is a text, not {type(expression).__name__}")
    specs = _specs(facts)
    key = tuple(sorted((s.name, s.type, s.unit) for s in specs.values()))
    result = _compile(expression, key, parameters or NO_PARAMETERS)
    if isinstance(result, _Problem):
        raise result.error(expression)
    return result


@functools.lru_cache(maxsize=16384)
def _compile(expression: str, key: tuple[tuple[str, str, str | None], ...],
             parameters: RuleParameters = NO_PARAMETERS) -> Condition | _Problem:
    parsed = _parse(expression)
    if isinstance(parsed, _Problem):
        return parsed
    facts = {name: FactSpec(name, type_, unit) for name, type_, unit in key}  # type: ignore
    for spec in facts.values():
        if spec.type not in FACT_TYPES:
            return _Problem("type", f"fact {spec.name} has an unknown type '{spec.type}'",
                            None, "A fact's type is int, number, bool or string.", spec.name)
    typer = _Typer(expression, facts, parameters)
    try:
        result = typer.check(parsed.root)
        if result != "bool":
            raise typer.fail(
                f"a condition must be true or false, but this one gives {_words(result)}",
                parsed.root.start, _compare_hint(typer.src(parsed.root), result))
    except _Refused as refused:
        return refused.problem
    used = tuple(typer.first_use)
    return Condition(expression=expression, facts={n: facts[n] for n in used},
                     facts_used=used, _first_use=dict(typer.first_use),
                     _sites=tuple(sorted(typer.sites, key=lambda s: (s.start, -s.end))),
                     _tree=parsed.tree, parameters=dict(typer.parameters_used))


# --------------------------------------------------------------------------------------------
# Reading the literals a condition compares facts with (for `livingsys drift`)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiteralComparison:
    """A comparison between a fact and a written value, anywhere in a condition.

    The fact is always on the left (``5000 < amount_due`` reads ``amount_due > 5000``);
    ``x in ['a', 'b']`` gives one ``==`` per value, a true/false fact alone gives ``== true``
    (``!fact``: ``== false``). ``op`` is ``< <= > >= == !=`` or a text test ``contains``,
    ``startsWith``, ``endsWith``; numbers are floats. ``offset`` is where the written value
    starts in the expression (0-based), ``text`` the comparison as written.
    """

    fact: str
    op: str
    value: Any
    offset: int
    text: str


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _literal_of(node: _Node) -> tuple[bool, Any]:
    if node.kind in ("int", "number"):
        return True, float(node.value)
    if node.kind in ("string", "bool"):
        return True, node.value
    if node.kind == "neg" and node.children and node.children[0].kind in ("int", "number"):
        return True, -float(node.children[0].value)
    return False, None


def literal_comparisons(expression: str) -> tuple[LiteralComparison, ...]:
    """Every fact-versus-value comparison of ``expression``, in order (empty when it does not
    parse). Facts are not checked against declarations: this only reads what is written."""
    parsed = _parse(expression)
    if isinstance(parsed, _Problem):
        return ()
    found: list[LiteralComparison] = []

    def text(node: _Node) -> str:
        return " ".join(expression[node.start:node.end].split())

    def walk(node: _Node, parent: str) -> None:
        kind = node.kind
        if kind == "fact" and parent in ("and", "or", "not", "root", "cond"):
            found.append(LiteralComparison(node.op, "==", parent != "not", node.start,
                                           text(node)))
            return
        if kind == "cmp" and len(node.children) == 2:
            left, right = node.children
            op = node.op
            if left.kind != "fact" and right.kind == "fact" and op in _FLIPPED:
                left, right, op = right, left, _FLIPPED[op]
            if left.kind == "fact":
                if op == "in" and right.kind == "list":
                    for item in right.children:
                        ok, value = _literal_of(item)
                        if ok:
                            found.append(LiteralComparison(left.op, "==", value, item.start,
                                                           text(node)))
                    return
                ok, value = _literal_of(right)
                if ok and op in _FLIPPED:
                    found.append(LiteralComparison(left.op, op, value, right.start, text(node)))
                    return
        if kind == "call" and len(node.children) == 2 and node.children[0].kind == "fact":
            ok, value = _literal_of(node.children[1])
            if ok:
                found.append(LiteralComparison(node.children[0].op, node.op, value,
                                               node.children[1].start, text(node)))
                return
        for child in node.children:
            walk(child, kind)

    walk(parsed.root, "root")
    return tuple(found)
