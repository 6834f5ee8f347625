"""What a condition error says: the hints shared by both parsers and the type check, the
plain reading of cel-python's syntax errors, and the hints of the type check (a name
that is no declared fact, a parameter that cannot be read, the usual slips)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from livingsys.conditions.errors import Problem
from livingsys.conditions.nodes import Node
from livingsys.conditions.values import (
    NUMBER_TEXT,
    PARAMETER_ROOT,
    FactSpec,
    ParameterSpec,
    RuleParameters,
    format_value,
    numeric,
    shown_value,
)
from livingsys.i18n import N_, _

if TYPE_CHECKING:
    from livingsys.conditions.cel import CelModules

PARAMETER_HINT = N_("A shared rule's parameter is read as rules.<rule>.<parameter>, the "
                    "rule's id with '_' for '-', e.g. "
                    "rules.manager_validation_threshold.amount_threshold_eur; the rule must be "
                    "in the automation's uses_rules.")
# Not in the catalog yet: `catalog.py fix` would put a no-break space into the wrapped msgid
# (" ! (not)", " / %"), which then no longer matches; shown in English in every language.
SUBSET_HINT = ("Conditions use facts, numbers, 'texts', true/false, comparisons "
               "(< <= > >= == !=), in [..], && (and), || (or), ! (not), + - * / % and "
               "x.startsWith('..'), x.endsWith('..'), x.contains('..').")


_WORD_OPERATORS = {"and": "&&", "or": "||", "not": "!"}
_COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")  # the two-sign ones first
_TYPOGRAPHIC = {"≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/", "−": "-"}


def syntax_problem(text: str, err: Any, cel: CelModules) -> Problem:
    """What cel-python's parser error ``err`` means in plain words, at its place in ``text``."""
    exceptions = cel.lark.exceptions
    cause = err
    if isinstance(cause, exceptions.UnexpectedCharacters):
        offset = cause.pos_in_stream
        char = text[offset] if 0 <= offset < len(text) else ""
        following = text[offset + 1:offset + 2]
        hint = _(SUBSET_HINT)
        before = text[:offset].rstrip()
        if char == "=" and following in ("<", ">", "!"):  # =>, =<, =! for >=, <=, !=
            hint = _("Write {sign}= (the = comes second), e.g. amount_due {sign}= 5000.").format(
                sign=following)
        elif char == "=" and before.endswith(_COMPARISONS):  # <= = 5000, < = 5000
            operator = next(op for op in _COMPARISONS if before.endswith(op))
            if operator in ("<", ">"):
                hint = _("Write {operator}= without a space.").format(operator=operator)
            else:
                hint = _("Remove this '=': {operator} already compares, e.g. amount_due "
                         "{operator} 5000.").format(operator=operator)
        elif char == "=" and following != "=":
            hint = _("To compare, write == (two equal signs), e.g. segment == 'b2b'.")
        elif char in _TYPOGRAPHIC:
            hint = _("Write {sign} instead of {char}.").format(sign=_TYPOGRAPHIC[char],
                                                               char=char)
        elif char == "&":
            hint = _("Write && (two signs) for 'and'.")
        elif char == "|":
            hint = _("Write || (two signs) for 'or'.")
        elif char in "'\"":
            return Problem("syntax", _("a text in quotes is not closed"), offset,
                           _("End the text with the same quote ({quote}) it starts "
                             "with.").format(quote=char))
        return Problem("syntax", _("unexpected character '{char}'").format(char=char), offset,
                       hint)
    if isinstance(cause, exceptions.UnexpectedToken):
        token = cause.token
        if token.type == "$END":
            offset = len(text.rstrip())
            return Problem("syntax", _("the condition is incomplete: it stops too early"),
                           offset, _("Something is missing at the end: a value after an "
                                     "operator, or a closing parenthesis or bracket."))
        offset = token.start_pos if token.start_pos is not None else 0
        value = str(token)
        word = value.lower()
        if word in _WORD_OPERATORS:
            hint = _("Write {operator} for '{word}': && (and), || (or), ! (not).").format(
                operator=_WORD_OPERATORS[word], word=word)
        elif token.type == "RESERVED":
            return Problem("syntax", _("'{word}' is a reserved word and cannot be used in a "
                                       "condition").format(word=value), offset,
                           _("Rename the fact, e.g. {word}_value.").format(word=value))
        elif value == ")":
            hint = _("There is a closing parenthesis without an opening one, or a missing "
                     "value.")
        elif value in (">", "=") and text[:offset].endswith("<"):  # <> and <=> are not CEL
            hint = _("Write != for 'is different from', e.g. amount_due != 0.")
        else:
            hint = _("An operator (&&, ||, ==, <...) or a parenthesis is probably missing "
                     "before it.")
        return Problem("syntax", _("'{value}' is not expected here").format(value=value),
                       offset, hint)
    if isinstance(cause, exceptions.UnexpectedEOF):
        return Problem("syntax", _("the condition is incomplete: it stops too early"),
                       len(text.rstrip()), _("Something is missing at the end."))
    return Problem("syntax", _("the condition cannot be read"), 0, _(SUBSET_HINT))


EXAMPLES = {"int": "7", "number": "5000", "string": "'b2b'", "bool": "true"}
"""A value of each type, for the examples in hints."""


def plural(type_: str) -> str:
    """Values of a type, said in the plural: "whole numbers", "texts"."""
    words = {"int": N_("whole numbers"), "number": N_("numbers"),
             "bool": N_("true/false values"), "string": N_("texts")}
    return _(words[type_]) if type_ in words else _("values")


def undeclared_hint(name: str, facts: Mapping[str, FactSpec]) -> str:
    """The hint for a name that is no declared fact: a close name, or the declared ones."""
    if name in ("True", "False", "TRUE", "FALSE"):
        return _("Write {word} in lowercase.").format(word=name.lower())
    if name == PARAMETER_ROOT:
        return _(PARAMETER_HINT)
    if not facts:
        return _("This automation declares no facts: add them under 'facts:' (name and type) "
                 "before using them in a condition.")
    import difflib

    names = sorted(facts)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
    declared = _("Declared facts: {facts}.").format(facts=", ".join(names))
    if close:
        return _("Did you mean '{guess}'? {hint}").format(guess=close[0], hint=declared)
    return _("If '{name}' is a text value, put it in quotes: '{name}'. {declared} Declare "
             "'{name}' under 'facts:' if it is a new fact.").format(name=name,
                                                                   declared=declared)


def parameter_problem(name: str, parameters: RuleParameters) -> tuple[str, str]:
    """The message and hint for ``rules.<key>.<parameter>`` that the automation cannot read."""
    import difflib

    _root, key, parameter = name.split(".")
    for unusable, why in parameters.unusable:
        if unusable == name:
            return (_("'{name}' cannot be used in a condition: {why}").format(name=name,
                                                                               why=why),
                    _(PARAMETER_HINT))
    used = dict(parameters.used)
    if key in used:
        rule_id = used[key]
        own = [p for p in parameters.available if p.rule == rule_id]
        if not own:
            return (_("'{name}': shared rule '{rule}' has no parameters").format(
                name=name, rule=rule_id),
                    _("Add '{parameter}' under 'parameters:' in rules/{rule}.yaml, or write "
                      "the value it stands for.").format(parameter=parameter, rule=rule_id))
        close = difflib.get_close_matches(parameter, [p.key for p in own], n=1, cutoff=0.6)
        listed = _("Its parameters: {parameters}.").format(parameters=", ".join(
            f"{p.name} ({format_value(p.value)})" for p in own))
        return (_("'{name}': shared rule '{rule}' has no parameter '{parameter}'").format(
            name=name, rule=rule_id, parameter=parameter), _guess(
                f"{PARAMETER_ROOT}.{key}.{close[0]}" if close else None, listed))
    for other_key, _rule_id, why, todo in parameters.unavailable:
        if other_key == key:
            return f"'{name}': {why}", todo
    keys = [*used, *(k for k, *_rest in parameters.unavailable)]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    if used:
        listed = _("Shared rules this automation uses: {rules}.").format(rules=", ".join(
            _("{rule} (read as {name})").format(rule=rule_id,
                                                 name=f"{PARAMETER_ROOT}.{k}.<parameter>")
            for k, rule_id in used.items()))
    else:
        listed = _("This automation uses no shared rule: list the rule under 'uses_rules:' "
                   "first.")
    shown = key.lstrip("_").replace("_", "-")
    return (_("'{name}': there is no shared rule '{rule}' (rules/{rule}.yaml)").format(
        name=name, rule=shown),
            _guess(f"{PARAMETER_ROOT}.{close[0]}.{parameter}" if close else None, listed))


def _guess(guess: str | None, listed: str) -> str:
    """``Did you mean 'x'? {listed}``, or ``listed`` alone."""
    if guess is None:
        return listed
    return _("Did you mean '{guess}'? {hint}").format(guess=guess, hint=listed)


def compare_hint(source: str, type_: str) -> str | None:
    """How to turn a number or a text into true/false: compare it."""
    if numeric(type_):
        return _("Compare it, e.g. {value} > 0.").format(value=source)
    if type_ == "string":
        return _("Compare it, e.g. {value} == 'value'.").format(value=source)
    return None


def literal_hint(node: Node, expected: str) -> str | None:
    """Hints for the usual slips: quotes around a number, a number for a text."""
    if node.kind == "string" and numeric(expected) and NUMBER_TEXT.fullmatch(
            str(node.value).strip()):
        return _("Write {number} without quotes: it is a number.").format(
            number=str(node.value).strip())
    if node.kind == "string" and expected == "bool" and node.value in ("true", "false"):
        return _("Write {value} without quotes.").format(value=node.value)
    if node.kind in ("int", "number") and expected == "string":
        return _("Put the text in quotes: '{value}'.").format(value=format_value(node.value))
    return None


#: A comparison read in words (the trace of `livingsys explain` in a language other than
#: English, which shows the comparison as conditions write it).
_IN_WORDS = {
    "<": N_("{left} is less than {right}"),
    "<=": N_("{left} is not more than {right}"),
    ">": N_("{left} is more than {right}"),
    ">=": N_("{left} is at least {right}"),
    "==": N_("{left} is {right}"),
    "!=": N_("{left} is not {right}"),
    "in": N_("{left} is one of {right}"),
    "startsWith": N_("{left} starts with {right}"),
    "endsWith": N_("{left} ends with {right}"),
    "contains": N_("{left} contains {right}"),
}


def compared_in_words(comparison: Any, units: Mapping[str, str],
                      parameters: Mapping[str, ParameterSpec]) -> str:
    """``amount_due <= rules.x.amount_threshold_eur: 3 500 € is not more than 3 000 € (shared
    rule 'x') → false``: a comparison of the trace read in words, its values written with
    the unit of the fact compared and a shared rule's value followed to its rule."""
    text = " ".join(comparison.text.split())
    if comparison.result is None:
        return _("{condition}: could not be computed ({error})").format(
            condition=text, error=comparison.error)
    sides = (comparison.left_text.strip(), comparison.right_text.strip())
    unit = next((units[s] for s in sides if s in units), None)

    def side(value: Any, written: str) -> str:
        shown = shown_value(value, unit if isinstance(value, (int, float, list, tuple))
                            and not isinstance(value, bool) else None)
        parameter = parameters.get(written)
        if parameter is not None:
            return _("{value} (shared rule '{rule}')").format(value=shown, rule=parameter.rule)
        return shown

    template = (_(_IN_WORDS[comparison.op]) if comparison.op in _IN_WORDS
                else "{left} " + comparison.op + " {right}")
    reading = template.format(left=side(comparison.left, sides[0]),
                                 right=side(comparison.right, sides[1]))
    return _("{condition}: {reading} → {result}").format(
        condition=text, reading=reading, result=shown_value(comparison.result))
