"""`lint`: read the registry, run every governance check under the policy, apply waivers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livingsys import codes
from livingsys.checks.base import Check, Context, Param, checks, find, suggest
from livingsys.checks.silenced import Silenced, silenced
from livingsys.findings import Finding, Severity, count
from livingsys.models.automation import Waiver
from livingsys.reading.registry import (
    Entry,
    Registry,
    cycle_collector_paused,
    load_registry,
    with_models,
)
from livingsys.reading.validation import suggestion

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class CheckRun:
    """How one check runs under the policy."""

    check: Check
    enabled: bool
    severity: Severity
    params: dict[str, Any]
    #: How the policy names it (G008 or exception-count), when it does.
    key: str | None = None


@dataclass
class Waived:
    """A finding silenced by a waiver."""

    finding: Finding
    waiver: Waiver

    def to_dict(self) -> dict:
        return {**self.finding.to_dict(), "waiver": {
            "reason": self.waiver.reason, "approved_by": self.waiver.approved_by,
            "expires": self.waiver.expires.isoformat()}}


@dataclass
class LintReport:
    """Everything lint found; renderers take this object."""

    registry: Registry
    today: dt.date
    findings: list[Finding] = field(default_factory=list)
    waived: list[Waived] = field(default_factory=list)
    #: Checks the policy switches off, lowers or loosens, and the waivers in force.
    silenced: Silenced = field(default_factory=Silenced)

    @property
    def errors(self) -> int:
        return count(self.findings)[0]

    @property
    def warnings(self) -> int:
        return count(self.findings)[1]

    @property
    def files(self) -> int:
        r = self.registry
        return (int(r.settings is not None) + int(r.people_file is not None)
                + len(r.shared_rules) + len(r.automations) + len(r.reviews) + len(r.incidents)
                + int(r.indicators is not None))

    @property
    def not_checked(self) -> list[str]:
        """Automations whose format errors kept the governance checks from running."""
        return [e.path for e in self.registry.automations if e.model is None]

    @property
    def exit_code(self) -> int:
        if any(f.unreadable for f in self.findings):
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if self.errors else EXIT_CLEAN

    def to_dict(self) -> dict:
        return {
            "registry": self.registry.display_root,
            "date": self.today.isoformat(),
            "summary": {"files": self.files, "automations": len(self.registry.automations),
                        "errors": self.errors, "warnings": self.warnings,
                        "waived": len(self.waived), "silenced": self.silenced.count,
                        "not_checked": self.not_checked},
            "findings": [f.to_dict() for f in self.findings],
            "waived": [w.to_dict() for w in self.waived],
            "silenced": self.silenced.to_dict(),
        }


def _policy_finding(settings: Entry, key: str, message: str, hint: str,
                    extra: tuple = ()) -> Finding:
    position = settings.position(("policy", "checks", key, *extra), key=True)
    line, col = position if position else (None, None)
    return codes.finding("S002", message, settings.path, line=line, col=col, hint=hint)


def _plain(value: Any) -> str:
    """A parameter's value as it is written in YAML."""
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__


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


def _param_problem(value: Any, param: Param) -> str | None:
    """What is wrong with a policy's value for a parameter, or None if it is fine."""
    if not _same_kind(value, param.default):
        item = f" of {_kind(param.default[0])}" if isinstance(param.default, list) \
            and param.default else ""
        return f"should be {_kind(param.default)}{item}, like {_plain(param.default)}, not " \
               f"{_plain(value)}"
    if param.choices:
        for item in value if isinstance(value, list) else [value]:
            if item not in param.choices:
                return (f"cannot be {item!r}: use {', '.join(param.choices)}"
                        + suggestion(str(item), param.choices))
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
            problems.append(_policy_finding(
                settings, key, f"the policy names '{key}', which is not a check"
                + (f" — did you mean '{guess}'?" if guess else ""),
                "use a code or name from `livingsys rules`"))
            continue
        if check.group != "governance":
            problems.append(_policy_finding(
                settings, key, f"{check.code} ({check.name}) is {codes.KINDS[check.group]}; "
                "it cannot be switched off or changed", "remove it from the policy"))
            continue
        run = runs[check.code]
        run.key = key
        run.enabled = setting.enabled
        if setting.severity:
            run.severity = Severity(setting.severity)
        for name, value in setting.params.items():
            param = check.params.get(name)
            if param is None:
                allowed = ", ".join(check.params) or "none"
                problems.append(_policy_finding(
                    settings, key, f"{check.code} has no parameter '{name}'"
                    + suggestion(name, check.params),
                    f"parameters of {check.code}: {allowed}", (name,)))
            elif (problem := _param_problem(value, param)) is not None:
                problems.append(_policy_finding(
                    settings, key, f"{check.code}'s parameter '{name}' {problem}",
                    f"{param.description} Default: {_plain(param.default)}.", (name,)))
            else:
                run.params[name] = value
    return list(runs.values()), problems


def _internal_error(run: CheckRun, entry: Entry | None, exc: Exception) -> Finding:
    return codes.finding("X001", f"check {run.check.code} failed on this file "
                         f"({type(exc).__name__}: {exc})", entry.path if entry else None)


def _waiver_for(finding: Finding, waivers: list[Waiver], today: dt.date) -> Waiver | None:
    for waiver in waivers:
        wanted = waiver.check.strip().lower()
        if waiver.expires >= today and wanted in (finding.code.lower(), finding.name):
            return waiver
    return None


def run_checks(registry: Registry, today: dt.date) -> LintReport:
    """Run the governance checks over an already loaded registry."""
    report = LintReport(registry=registry, today=today)
    runs, policy_problems = resolve_policy(registry)
    found: list[Finding] = list(registry.findings) + policy_problems
    active = [(r, Context(registry, today, r.severity, r.params)) for r in runs if r.enabled]
    # An automation's waivers apply to every finding in its file, including those of the
    # registry-wide checks (a duplicate id, an id that does not match the file name).
    waivers = {e.path: a.waivers for e, a in with_models(registry.automations) if a.waivers}

    def keep(finding: Finding, run: CheckRun) -> None:
        waiver = None
        if finding.path in waivers and not run.check.not_waivable and finding.code != "X001":
            waiver = _waiver_for(finding, waivers[finding.path], today)
        if waiver:
            report.waived.append(Waived(finding, waiver))
        else:
            found.append(finding)

    for entry in registry.valid_automations:
        for run, ctx in active:
            try:
                results = list(run.check.check_automation(entry, ctx))
            except Exception as exc:  # a bug in one check must not hide the others
                results = [_internal_error(run, entry, exc)]
            for finding in results:
                keep(finding, run)
    for run, ctx in active:
        try:
            results = list(run.check.check_registry(ctx))
        except Exception as exc:
            results = [_internal_error(run, None, exc)]
        for finding in results:
            keep(finding, run)
    report.findings = sorted(found, key=Finding.sort_key)
    report.silenced = silenced(registry, today, runs)
    return report


def lint(root: Path | str, today: dt.date | None = None) -> LintReport:
    """Load the registry at ``root`` and lint it (raises RegistryNotFound for a bad folder)."""
    today = today or dt.date.today()
    with cycle_collector_paused():
        return run_checks(load_registry(root, today=today), today)
