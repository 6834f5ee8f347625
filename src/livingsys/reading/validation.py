"""Turning pydantic's validation errors into findings a non-developer understands.

Each error gets the line and column where the bad key or value was written, a sentence in
plain words and, for typos, a "did you mean".
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from livingsys import codes, i18n
from livingsys.findings import Finding, Severity
from livingsys.i18n import N_, _, pgettext
from livingsys.models.common import ID_PATTERN, PERSON_ID_PATTERN
from livingsys.reading.yamlsource import locate

UNKNOWN_KEY = "S001"
BAD_VALUE = "S002"
MISSING_KEY = "S003"


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str | None:
    """The closest choice to ``word``, if one is close enough to be a typo."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if str(word).lower() in lowered:
        return lowered[str(word).lower()]
    matches = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def suggestion(word: str, choices: typing.Iterable[str]) -> str:
    """" — did you mean 'x'?" when ``word`` looks like a typo of one of ``choices``, else ""."""
    guess = did_you_mean(word, choices)
    return _(" — did you mean '{guess}'?").format(guess=guess) if guess else ""


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes and containers an annotation may hold."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc`` (None if not a model)."""
    candidates: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for candidate in candidates:
            origin = typing.get_origin(candidate)
            if isinstance(part, int) and origin is list:
                following = _unwrap(typing.get_args(candidate)[0])
            elif isinstance(part, str) and origin is dict:
                following = _unwrap(typing.get_args(candidate)[1])
            elif isinstance(part, str) and isinstance(candidate, type) \
                    and issubclass(candidate, BaseModel):
                field = next((f for name, f in candidate.model_fields.items()
                              if (f.alias or name) == part), None)
                following = _unwrap(field.annotation) if field else []
            if following:
                break
        candidates = following
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    return models[0] if models else None


def _field_description(model: type[BaseModel] | None, key: str) -> str | None:
    if model is None:
        return None
    for name, field in model.model_fields.items():
        if (field.alias or name) == key:
            return field.description
    return None


def _keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _where(loc: tuple) -> str:
    """'steps, item 3' for ('steps', 2) — positions are also shown as line:col."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(_("item {n}").format(n=part + 1))
        else:
            parts.append(str(part))
    return " › ".join(parts)


def _inside(loc: tuple) -> str:
    """' (in steps › item 3)': the block at ``loc`` a key is in ('' at the file's top)."""
    # Translators: added after a message about a key, naming the block it is in.
    return _(" (in {where})").format(where=_where(loc)) if loc else ""


def _description(text: str | None) -> str | None:
    """A field's description, for a hint in English only: the descriptions make the JSON
    Schema and are written in English, so a hint in another language leaves them out."""
    return text if i18n.language() == "en" else None


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


#: What is wrong with a value, by pydantic's error type ("'owner' should be text, not 12").
_PLAIN = {
    "string_type": N_("should be text"),
    "scalar_type": N_("should be one plain value (a number, a text or true/false)"),
    "int_type": N_("should be a whole number"),
    "int_parsing": N_("should be a whole number"),
    "int_from_float": N_("should be a whole number"),
    "float_type": N_("should be a number"),
    "float_parsing": N_("should be a number"),
    "bool_type": N_("should be true or false"),
    "bool_parsing": N_("should be true or false"),
    "list_type": N_("should be a list (items starting with '- ')"),
    "dict_type": N_("should be a block of 'key: value' lines"),
    "model_type": N_("should be a block of 'key: value' lines"),
    "model_attributes_type": N_("should be a block of 'key: value' lines"),
    "date_type": N_("should be a date written YYYY-MM-DD"),
    "date_parsing": N_("should be a date written YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("should be a date written YYYY-MM-DD"),
    "date_from_datetime_inexact": N_("should be a date written YYYY-MM-DD, without a time"),
    "string_too_short": N_("should not be empty"),
    "too_short": N_("needs at least one item"),
    "greater_than_equal": N_("is too small"),
    "less_than_equal": N_("is too large"),
    "greater_than": N_("is too small"),
}


def _friendly(error: dict, model: type[BaseModel]) -> tuple[str, str, str | None]:
    """(code, message, hint) for one pydantic error."""
    etype = error["type"]
    loc = tuple(error["loc"])
    key = str(loc[-1]) if loc else ""
    parent_model = _model_at(model, loc[:-1])
    inside = _inside(loc[:-1]) if len(loc) > 1 else ""
    if etype == "extra_forbidden":
        allowed = _keys(parent_model)
        # Translators: {inside} is " (in steps › item 3)" or nothing, {suggestion}
        # " — did you mean 'name'?" or nothing.
        message = _("unknown key '{key}'{inside}{suggestion}").format(
            key=key, inside=inside, suggestion=suggestion(key, allowed))
        hint: str | None = (_("allowed keys here: {keys}").format(keys=", ".join(allowed))
                            if allowed else _("remove this key"))
        return UNKNOWN_KEY, message, hint
    if etype == "missing":
        description = _description(_field_description(parent_model, key))
        hint = (_("add '{key}:' — {description}").format(key=key, description=description)
                if description else _("add '{key}:'").format(key=key))
        return MISSING_KEY, _("missing required key '{key}'{inside}").format(
            key=key, inside=inside), hint
    value = error.get("input")
    if loc[:2] == ("policy", "checks") and len(loc) == 3 and etype in (
            "model_type", "dict_type", "model_attributes_type"):
        return (BAD_VALUE, _("the policy for '{key}' cannot be {value}: write off, on, error, "
                             "warning, or a block of settings").format(key=key,
                                                                       value=_show(value)),
                _("e.g. '{key}: off', '{key}: warning' or '{key}: {{severity: warning}}' with "
                  "the check's parameters (`livingsys rules {key}` lists them)").format(key=key))
    description = _description(_field_description(parent_model, key))
    hint = description
    if etype in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        message = _("'{key}' cannot be {value}: use one of {options}{inside}{suggestion}").format(
            key=key, value=_show(value), options=", ".join(options), inside=inside,
            suggestion=suggestion(value, options) if isinstance(value, str) else "")
        return BAD_VALUE, message, hint
    if etype == "string_pattern_mismatch":
        # the pattern says what kind of name it is (a list item has no key to go by)
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern == PERSON_ID_PATTERN:
            what = pgettext("a kind of name in the registry", "person id")
            rule = _("lowercase letters, digits, '.', '-' and '_' (e.g. c.moreau)")
        elif pattern == ID_PATTERN:
            what = pgettext("a kind of name in the registry", "id")
            rule = _("lowercase letters, digits, '-' and '_' (e.g. payment-reminders)")
        else:
            what = pgettext("a kind of name in the registry", "name")
            rule = _("lowercase letters, digits and '_' (e.g. amount_due)")
        if not isinstance(loc[-1], str):
            where = f" ({_where(loc)})"
        else:
            where = ("" if key == "id" else _(" for '{key}'").format(key=key)) + inside
        if any(c in str(value) for c in "/\\") or ".." in str(value):
            template = _("{value} is not a valid {what}{where}: use only {rule}; '/' and '..' "
                         "would lead out of the registry's folders")
        else:
            # Translators: {what} is "id", "person id" or "name"; {where} " for 'owner'" or
            # " (steps › item 2)" or nothing.
            template = _("{value} is not a valid {what}{where}: use only {rule}")
        message = template.format(value=_show(value), what=what, where=where, rule=rule)
        if pattern == ID_PATTERN and key == "id":
            hint = _("an id is also the file's name: <folder>/<id>.yaml, e.g. "
                     "automations/payment-reminders.yaml")
        return BAD_VALUE, message, hint
    if etype.startswith("date") and value is not None:
        # the field's description says what the date is for, not how to write it
        hint = _("write the year, month and day with dashes, e.g. 2026-11-30")
        impossible = date_problem(value)
        if impossible is not None:
            subject = f"'{key}'{inside}" if loc and isinstance(loc[-1], str) else _where(loc)
            return (BAD_VALUE, _("{subject}: {problem}").format(subject=subject,
                                                                problem=impossible[0]),
                    impossible[1])
    known = _PLAIN.get(etype)
    if known is not None:
        plain = _(known)
    else:
        plain = error.get("msg", "is not valid").rstrip(".")
        plain = plain[0].lower() + plain[1:] if plain else plain
    limit = error.get("ctx", {})
    if etype in ("greater_than_equal", "less_than_equal", "greater_than") and limit:
        plain = _("{problem} (limit {limit})").format(problem=plain,
                                                      limit=next(iter(limit.values())))
    if not loc:
        subject, suffix = pgettext("what a value is", "the file"), ""
    elif isinstance(loc[-1], str):
        subject, suffix = f"'{key}'", inside
    else:
        subject, suffix = _where(loc), ""
    if value is None and loc:  # `key:` with nothing after it
        where = f"'{key}:'" if isinstance(loc[-1], str) else _("the '-'")
        return (BAD_VALUE, _("{subject} has no value{inside}").format(subject=subject,
                                                                       inside=suffix),
                _("write the value after {where} — {description}").format(
                    where=where, description=description) if description
                else _("write the value after {where}").format(where=where))
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        keys = _keys(_model_at(model, loc))
        if keys:  # say what the block holds, e.g. review: {cadence: monthly}
            hint = _("write its keys on the lines below, indented: {keys}").format(
                keys=", ".join(keys))
    if etype == "string_type" and isinstance(value, (bool, int, float)) and loc:
        # YAML read `12`, `1.10`, `true` as a number or a yes/no
        hint = (_("if this is meant as text, put it between quotes, e.g. \"{value}\" — "
                  "{description}").format(value=value, description=description)
                if description else
                _("if this is meant as text, put it between quotes, e.g. \"{value}\"").format(
                    value=value))
    # Translators: "'owner' should be text, not 12 (in steps › item 2)".
    return BAD_VALUE, _("{subject} {problem}, not {value}{inside}").format(
        subject=subject, problem=plain, value=_show(value), inside=suffix), hint


_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def date_problem(value: Any) -> tuple[str, str] | None:
    """(what is wrong, what to write) for a date written YYYY-MM-DD whose month or day does
    not exist ('2027-02-30': February 2027 has 28 days); None for anything else."""
    import calendar
    import datetime as dt

    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return (_("'{value}' is not a date: there is no month {month} (months go from 01 to "
                  "12)").format(value=value, month=month),
                _("write it YYYY-MM-DD, e.g. {example}").format(
                    example=f"{year:04d}-12-{min(max(day, 1), 31):02d}"))
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        named = (f"{_MONTHS[month - 1]} {year}" if i18n.language() == "en"
                 else i18n.month(dt.date(year, month, 1)))
        # Translators: {month} is "February 2027".
        return (_("'{value}' is not a date: {month} has {days} days").format(
                    value=value, month=named, days=days),
                _("write a day that exists, e.g. {example}").format(
                    example=f"{year:04d}-{month:02d}-{days:02d}"))
    return None


def _split_value_hint(data: Any, loc: tuple) -> str | None:
    """The hint for `{does: reads, edits and sends}`: YAML split the value at the comma and
    read 'edits and sends' as a key with no value. Say to quote the whole value."""
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = loc[-1] if loc else None
    if not isinstance(parent, dict) or not isinstance(key, str) or " " not in key.strip() \
            or parent.get(key) is not None:
        return None
    keys = list(parent)
    before = keys[keys.index(key) - 1] if key in keys and keys.index(key) > 0 else None
    if before is None or not isinstance(parent.get(before), str):
        return None
    whole = f"{parent[before]}, {key}".replace('"', '\\"')
    return _("a comma inside {{ }} starts a new key, so YAML cut the value of '{before}' there: "
             'put the whole value between quotes, {before}: "{whole}"').format(
                 before=before, whole=whole)


_SCALAR_BRANCHES = frozenset({"int", "float", "bool", "str"})


def _merge_scalar_unions(errors: list[dict]) -> list[dict]:
    """A value that must be one of ``int | float | bool | str`` (a shared rule's parameter, a
    scenario's fact) and is none of them gives one pydantic error per branch, at a ``loc``
    ending in 'int', 'float'...: one finding says it."""
    out: list[dict] = []
    seen: set[tuple] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if len(loc) > 1 and loc[-1] in _SCALAR_BRANCHES:
            if loc[:-1] not in seen:
                seen.add(loc[:-1])
                out.append({"type": "scalar_type", "loc": loc[:-1],
                            "input": error.get("input")})
            continue
        out.append(error)
    return out


def validate(model: type[BaseModel], data: Any, path: str):
    """Validate ``data`` against ``model``: (instance or None, findings)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = _merge_scalar_unions([dict(e) for e in exc.errors(include_url=False)])
        # A misspelt required key gives two errors, 'nmae' unknown and 'name' missing: the
        # first, with its "did you mean 'name'?", says it all.
        misspelt = set()
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden" and loc:
                guess = did_you_mean(str(loc[-1]), _keys(_model_at(model, loc[:-1])))
                if guess:
                    misspelt.add((*loc[:-1], guess))
        findings = []
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "missing" and loc in misspelt:
                continue
            code, message, hint = _friendly(error, model)
            if hint is None and i18n.language() != i18n.DEFAULT:
                # in English the hint is the field's description, which is not translated
                hint = codes.get(code).hint
            if code == UNKNOWN_KEY:
                hint = _split_value_hint(data, loc) or hint
            position = locate(data, loc, key=code == UNKNOWN_KEY)
            if code == MISSING_KEY:
                position = locate(data, loc[:-1])
            line, col = position if position else (None, None)
            findings.append(Finding(code=code, severity=Severity.ERROR, message=message,
                                    path=path, line=line, col=col, hint=hint,
                                    name=codes.get(code).name))
        return _without_unknown_keys(model, data, errors), findings


def _without_unknown_keys(model: type[BaseModel], data: Any, errors: list[dict]):
    """The instance ``data`` gives once its unknown keys are left out, when unknown keys are
    its only problems; else None.

    An unknown key (S001) is reported, but it does not keep the rest of the file from being
    checked: a `frictions:` written before livingsys knew it, or a note of the team's own,
    must not switch off the governance checks of the whole automation. The file is read as if
    the key were not there, which is also what a misspelt optional key means (`gaurdrails:`
    leaves the automation without guardrails, and the checks say so).
    """
    if not errors or any(e["type"] != "extra_forbidden" or not e["loc"] for e in errors):
        return None
    for loc in sorted((tuple(e["loc"]) for e in errors), key=len, reverse=True):
        data = _drop(data, loc)
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _drop(data: Any, loc: tuple) -> Any:
    """A copy of ``data`` without the key at ``loc`` (containers on the way copied, the rest
    shared; positions are not needed for validating)."""
    head, rest = loc[0], loc[1:]
    if isinstance(data, dict):
        if not rest:
            return {k: v for k, v in data.items() if k != head}
        if head in data:
            return {**data, head: _drop(data[head], rest)}
    elif isinstance(data, list) and isinstance(head, int) and 0 <= head < len(data):
        if rest:
            copy = list(data)
            copy[head] = _drop(data[head], rest)
            return copy
    return data
