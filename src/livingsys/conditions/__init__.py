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

Modules
-------
:mod:`~livingsys.conditions.values` (facts, parameters, values),
:mod:`~livingsys.conditions.errors` (:class:`ConditionError`),
:mod:`~livingsys.conditions.wording` (what errors say),
:mod:`~livingsys.conditions.nodes` (the checked tree and its limits),
:mod:`~livingsys.conditions.parser` (the fast parser, and :func:`parse` choosing the path),
:mod:`~livingsys.conditions.celparse` (cel-python's parser),
:mod:`~livingsys.conditions.cel` (the bridge to cel-python),
:mod:`~livingsys.conditions.typecheck`, :mod:`~livingsys.conditions.condition`
(:func:`compile_condition`, :class:`Condition`), :mod:`~livingsys.conditions.literals`;
:mod:`~livingsys.conditions.decision`, :mod:`~livingsys.conditions.witness` and
:mod:`~livingsys.conditions.guards` build on them. This module gives the public names.
"""

from __future__ import annotations

from livingsys.conditions.condition import (
    Comparison,
    Condition,
    Evaluation,
    compile_condition,
)
from livingsys.conditions.errors import (
    COMPILE_KINDS,
    EVALUATION_KINDS,
    ConditionError,
    ErrorKind,
    line_col,
)
from livingsys.conditions.literals import LiteralComparison, literal_comparisons
from livingsys.conditions.nodes import MAX_DEPTH, MAX_LENGTH, MAX_NODES
from livingsys.conditions.values import (
    FACT_TYPES,
    MAX_EXACT_INT,
    NO_PARAMETERS,
    PARAMETER_ROOT,
    FactLike,
    FactSpec,
    FactType,
    ParameterSpec,
    RuleParameters,
    check_fact_value,
    format_value,
    parse_fact_value,
    rule_key,
)

__all__ = [
    "COMPILE_KINDS",
    "EVALUATION_KINDS",
    "FACT_TYPES",
    "MAX_DEPTH",
    "MAX_EXACT_INT",
    "MAX_LENGTH",
    "MAX_NODES",
    "NO_PARAMETERS",
    "PARAMETER_ROOT",
    "Comparison",
    "Condition",
    "ConditionError",
    "ErrorKind",
    "Evaluation",
    "FactLike",
    "FactSpec",
    "FactType",
    "LiteralComparison",
    "ParameterSpec",
    "RuleParameters",
    "check_fact_value",
    "compile_condition",
    "format_value",
    "line_col",
    "literal_comparisons",
    "parse_fact_value",
    "rule_key",
]
