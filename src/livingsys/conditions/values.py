"""Facts, shared rules' parameters and their values: what conditions are checked
against, the reading of a value given on the command line or in a scenario, and how a
value is shown."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from livingsys import i18n
from livingsys.conditions.errors import ConditionError
from livingsys.i18n import N_, _, pgettext

MAX_EXACT_INT = 2**53
"""Whole numbers are evaluated as doubles: exact up to this size."""

FactType = Literal["int", "number", "bool", "string"]
FACT_TYPES: tuple[str, ...] = ("int", "number", "bool", "string")


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


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

# ASCII digits only: Python's \d, int() and float() also read other scripts' digits (١٠).
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
"""A number written the way conditions and values accept it: 12, -3, 12.5, .5, 1e3."""
#: More digits than this is past any exact whole number (and past what int() converts).
_MAX_DIGITS = 40
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+")
"""2,500 or 1,250,000: thousands written with commas (or, in French, a decimal comma)."""


def _decimal_comma(raw: str) -> str:
    """'2,500' read with a decimal comma: 2.5."""
    whole, _, decimals = raw.partition(",")
    return f"{whole}.{decimals}".rstrip("0").rstrip(".")


_TYPE_WORDS = {
    "int": N_("a whole number"),
    "number": N_("a number"),
    "bool": N_("true or false"),
    "string": N_("a text"),
}


def fact_spec(fact: Any) -> FactSpec:
    """A FactSpec from a FactSpec, the registry's Fact model or anything alike."""
    if isinstance(fact, FactSpec):
        return fact
    return FactSpec(name=fact.name, type=fact.type,
                    unit=getattr(fact, "unit", None),
                    description=getattr(fact, "description", None))


def parse_fact_value(fact: FactLike | FactSpec, text: str) -> int | float | bool | str:
    """Convert a command-line text (``"6000"``, ``"true"``, ``"b2b"``) to the fact's type.

    ``int`` gives an int, ``number`` a float, ``bool`` a bool (``true``/``false``, any case),
    ``string`` the text as is. Raises :class:`ConditionError` of kind ``value``.
    """
    spec = fact_spec(fact)
    raw = text.strip()
    shown = text if len(text) <= 60 else text[:57] + "..."
    if spec.type == "string":
        return text
    if spec.type == "bool":
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise ConditionError("value", _("'{value}' is not true or false for fact {fact}").format(
            value=shown, fact=spec.label), fact=spec.name, hint=_("Write true or false."))
    if spec.type in ("int", "number"):
        _check_digits(spec, raw, shown)
    if spec.type == "int":
        if _INT_TEXT.fullmatch(raw):
            return _checked_int(spec, int(raw))
        hint = _("Write a whole number, digits only, e.g. 7.")
        if _THOUSANDS.fullmatch(raw):
            hint = _("Write it without a separator between thousands: {number}.").format(
                number=raw.replace(",", ""))
        elif NUMBER_TEXT.fullmatch(raw):
            hint = _("{fact} counts whole units: write a whole number, e.g. 7.").format(
                fact=spec.name)
        raise ConditionError("value", _("'{value}' is not a whole number for fact "
                                        "{fact}").format(value=shown, fact=spec.label),
                             fact=spec.name, hint=hint)
    if spec.type == "number":
        if NUMBER_TEXT.fullmatch(raw):
            return _checked_float(spec, float(raw))
        hint = _("Write a number with digits and a dot for decimals, e.g. 5000 or 12.5.")
        if _THOUSANDS.fullmatch(raw) and raw.count(",") > 1:
            hint = _("Write it without a separator between thousands: {number}.").format(
                number=raw.replace(",", ""))
        elif _THOUSANDS.fullmatch(raw):  # 2,500: two thousand five hundred, or two and a half?
            hint = _("'{value}' is ambiguous (a comma between thousands, or a decimal comma): "
                     "write {whole} or {decimal}, without a comma.").format(
                         value=raw, whole=raw.replace(",", ""), decimal=_decimal_comma(raw))
        elif re.fullmatch(r"[+-]?[0-9]+,[0-9]+", raw):
            hint = _("Use a dot for decimals: {number}.").format(number=raw.replace(",", "."))
        raise ConditionError("value", _("'{value}' is not a number for fact {fact}").format(
            value=shown, fact=spec.label), fact=spec.name, hint=hint)
    raise _unknown_type(spec)


def _unknown_type(spec: FactSpec) -> ConditionError:
    return ConditionError("value", _("fact {fact} has an unknown type '{type}'").format(
        fact=spec.name, type=spec.type), fact=spec.name,
        hint=_("A fact's type is int, number, bool or string."))


def _check_digits(spec: FactSpec, raw: str, shown: str) -> None:
    """Refuse plainly digits other than 0-9, and more digits than any number could need."""
    foreign = next((c for c in raw if c.isdigit() and not c.isascii()), None)
    if foreign is not None:
        raise ConditionError(
            "value", _("'{value}' is written with digits other than 0-9 (such as '{digit}') "
                       "for fact {fact}").format(value=shown, digit=foreign, fact=spec.label),
            fact=spec.name, hint=_("Write the number with the digits 0 to 9, e.g. 10."))
    if sum(c.isdigit() for c in raw) > _MAX_DIGITS:
        raise ConditionError(
            "value", _("'{value}' has {count} digits: it is too large for fact {fact}").format(
                value=shown, count=i18n.number(sum(c.isdigit() for c in raw)),
                fact=spec.label), fact=spec.name,
            hint=_largest() if spec.type == "int" else _ordinary())


def _largest() -> str:
    return _("Whole numbers in conditions go up to {most}.").format(
        most=i18n.number(MAX_EXACT_INT))


def _ordinary() -> str:
    return _("Give an ordinary number, e.g. 5000 or 12.5.")


def check_fact_value(fact: FactLike | FactSpec, value: Any) -> int | float | bool | str:
    """Check a value already read from YAML (a scenario's ``given``) against the fact's type.

    Returns it normalised (``number`` facts as float). ``true`` is not a number, ``"7"`` is
    not a whole number, ``7.5`` is not a whole number. Raises :class:`ConditionError` of kind
    ``value``.
    """
    spec = fact_spec(fact)
    shown = (format_value(value) if isinstance(value, (bool, int, str)) else repr(value))
    if len(shown) > 60:
        shown = shown[:57] + "..."
    expected = _(_TYPE_WORDS[spec.type]) if spec.type in _TYPE_WORDS else None
    if expected is None:
        raise _unknown_type(spec)
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
        hint = _("Write it without quotes if it is {type}.").format(type=expected)
        if spec.type == "bool" and value.strip().lower() in ("true", "false"):
            hint = _("Write {value} without quotes.").format(value=value.strip().lower())
    elif spec.type == "string":
        hint = _("Put it in quotes: '{value}'.").format(value=shown)
    elif spec.type == "int" and isinstance(value, float):
        hint = _("{fact} counts whole units: write a whole number.").format(fact=spec.name)
    raise ConditionError("value", _("{value} is not {type} for fact {fact}").format(
        value=shown, type=expected, fact=spec.label), fact=spec.name, hint=hint)


def _checked_int(spec: FactSpec, value: int) -> int:
    if abs(value) > MAX_EXACT_INT:
        raise ConditionError(
            "value", _("{value} is too large for fact {fact}").format(
                value=value, fact=spec.label), fact=spec.name, hint=_largest())
    return value


def _checked_float(spec: FactSpec, value: int | float) -> float:
    try:
        result = float(value)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise ConditionError("value", _("{value} is too large for fact {fact}").format(
            value=format_value(value), fact=spec.label), fact=spec.name, hint=_ordinary())
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


def in_words(type_: str) -> str:
    """A type as people say it: ``int`` -> "a whole number", ``list[..]`` -> "a list"."""
    if type_.startswith("list"):
        return _("a list")
    return _(_TYPE_WORDS[type_]) if type_ in _TYPE_WORDS else type_


def numeric(type_: str) -> bool:
    """Whether values of this type are numbers (``int`` or ``number``)."""
    return type_ in ("int", "number")


def shown_value(value: Any, unit: str | None = None) -> str:
    """A fact's value as a person reads it, with its unit: ``3500 EUR``, ``true``, ``'b2b'``
    in English (the spelling of conditions); in French the way French writes it: ``3 500 €``,
    ``vrai``, ``0,9``."""
    if i18n.language() == "en":
        return format_value(value) + (f" {unit}" if unit else "")
    if isinstance(value, bool):
        return (pgettext("a condition's value", "true") if value
                else pgettext("a condition's value", "false"))
    if isinstance(value, (int, float)):
        return i18n.amount(value, unit)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown_value(v, unit) for v in value) + "]"
    return format_value(value)
