"""The governance policy of ``livingsys.yaml``: each check's switch, severity and parameters.

Lint runs the checks under it (:mod:`livingsys.checks.lint`); what it silences is listed by
:mod:`livingsys.checks.silenced`; both read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livingsys import codes
from livingsys.checks.base import Check, Param, checks, find, suggest
from livingsys.findings import Finding, Severity
from livingsys.i18n import _, pgettext
from livingsys.reading.registry import Entry, Registry
from livingsys.reading.validation import suggestion

__all__ = ["CheckRun", "plain", "resolve_policy"]


@dataclass
class CheckRun:
    """How one check runs under the policy."""

    check: Check
    enabled: bool
    severity: Severity
    params: dict[str, Any]
    #: How the policy names it (G008 or exception-count), when it does.
    key: str | None = None


def _policy_finding(settings: Entry, key: str, message: str, hint: str,
                    extra: tuple = ()) -> Finding:
    position = settings.position(("policy", "checks", key, *extra), key=True)
    line, col = position if position else (None, None)
    return codes.finding("S002", message, settings.path, line=line, col=col, hint=hint)


def plain(value: Any) -> str:
    """A parameter's value as it is written in YAML."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(plain(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(value: Any) -> str:
    """What kind of value ``value`` is, as a sentence says it: 'a whole number'."""
    if isinstance(value, bool):
        return pgettext("kind of value", "true or false")
    if isinstance(value, int):
        return pgettext("kind of value", "a whole number")
    if isinstance(value, float):
        return pgettext("kind of value", "a number")
    if isinstance(value, list):
        return pgettext("kind of value", "a list")
    return pgettext("kind of value", "text") if isinstance(value, str) else type(value).__name__


def _same_kind(value: Any, default: Any) -> bool:
    """Whether ``value`` (as read from YAML: YamlList, int...) may stand for ``default``."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        if not isinstance(value, list):
            return False
        return not default or all(_same_kind(v, default[0]) for v in value)
    return isinstance(value, type(default))


def _param_problem(value: Any, param: Param, code: str, name: str) -> str | None:
    """What is wrong with a policy's value for parameter ``name`` of check ``code``, or None
    if it is fine."""
    if not _same_kind(value, param.default):
        default, given = plain(param.default), plain(value)
        if isinstance(param.default, list) and param.default:
            return _("{code}'s parameter '{name}' should be {kind} of {item}, like {default}, "
                     "not {value}").format(code=code, name=name, kind=_kind(param.default),
                                           item=_kind(param.default[0]), default=default,
                                           value=given)
        return _("{code}'s parameter '{name}' should be {kind}, like {default}, not "
                 "{value}").format(code=code, name=name, kind=_kind(param.default),
                                   default=default, value=given)
    if param.choices:
        for item in value if isinstance(value, list) else [value]:
            if item not in param.choices:
                return _("{code}'s parameter '{name}' cannot be {value}: use "
                         "{choices}{suggestion}").format(
                             code=code, name=name, value=repr(item),
                             choices=", ".join(param.choices),
                             suggestion=suggestion(str(item), param.choices))
    return None


def resolve_policy(registry: Registry) -> tuple[list[CheckRun], list[Finding]]:
    """Each governance check with its severity and parameters under livingsys.yaml's policy."""
    runs = {c.code: CheckRun(c(), True, c.severity, {k: p.default for k, p in c.params.items()})
            for c in checks("governance")}
    problems: list[Finding] = []
    settings = registry.settings
    if settings is None or settings.model is None:
        return list(runs.values()), problems
    for key, setting in settings.model.policy.checks.items():
        check = find(key)
        if check is None:
            guess = suggest(key)
            message = (_("the policy names '{key}', which is not a check — did you mean "
                         "'{guess}'?") if guess else
                       _("the policy names '{key}', which is not a check")).format(
                           key=key, guess=guess)
            problems.append(_policy_finding(
                settings, key, message, _("use a code or name from `livingsys rules`")))
            continue
        if check.group != "governance":
            problems.append(_policy_finding(
                settings, key, _("{code} ({name}) is {kind}; it cannot be switched off or "
                                 "changed").format(code=check.code, name=check.name,
                                                   kind=codes.kind(check.group)),
                _("remove it from the policy")))
            continue
        run = runs[check.code]
        run.key = key
        run.enabled = setting.enabled
        if setting.severity:
            run.severity = Severity(setting.severity)
        for name, value in setting.params.items():
            param = check.params.get(name)
            if param is None:
                allowed = ", ".join(check.params) or _("none")
                problems.append(_policy_finding(
                    settings, key, _("{code} has no parameter '{name}'{suggestion}").format(
                        code=check.code, name=name,
                        suggestion=suggestion(name, check.params)),
                    _("parameters of {code}: {allowed}").format(code=check.code,
                                                                allowed=allowed), (name,)))
            elif (problem := _param_problem(value, param, check.code, name)) is not None:
                problems.append(_policy_finding(
                    settings, key, problem, _("{description} Default: {default}.").format(
                        description=param.description, default=plain(param.default)),
                    (name,)))
            else:
                run.params[name] = value
    return list(runs.values()), problems
