"""`lint`: read the registry, run every governance check under the policy, apply waivers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from livingsys import codes
from livingsys.checks.base import Check, Context
from livingsys.checks.policy import CheckRun, resolve_policy
from livingsys.checks.silenced import Silenced, silenced
from livingsys.findings import Finding, count
from livingsys.i18n import _
from livingsys.models.automation import Waiver
from livingsys.reading.registry import (
    Entry,
    Registry,
    cycle_collector_paused,
    load_registry,
    with_models,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


@dataclass(frozen=True)
class StoredWaiver:
    """What a report shows of a waiver (lint's cache keeps this, not the whole file)."""

    reason: str
    approved_by: str
    expires: dt.date


@dataclass
class Waived:
    """A finding silenced by a waiver."""

    finding: Finding
    waiver: Waiver | StoredWaiver

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
    #: (files, automations, not checked) of a report lint's cache gives back, whose registry
    #: is not read again; None when they are counted from the registry.
    stored_counts: tuple[int, int, list[str]] | None = None

    @property
    def errors(self) -> int:
        return count(self.findings)[0]

    @property
    def warnings(self) -> int:
        return count(self.findings)[1]

    @property
    def files(self) -> int:
        if self.stored_counts is not None:
            return self.stored_counts[0]
        r = self.registry
        return (int(r.settings is not None) + int(r.people_file is not None)
                + len(r.shared_rules) + len(r.automations) + len(r.reviews) + len(r.incidents)
                + int(r.indicators is not None))

    @property
    def not_checked(self) -> list[str]:
        """Automations whose format errors kept the governance checks from running."""
        if self.stored_counts is not None:
            return self.stored_counts[2]
        return [e.path for e in self.registry.automations if e.model is None]

    @property
    def automation_count(self) -> int:
        """How many automation files the registry has (valid or not)."""
        if self.stored_counts is not None:
            return self.stored_counts[1]
        return len(self.registry.automations)

    @property
    def exit_code(self) -> int:
        if any(f.unreadable for f in self.findings):
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if self.errors else EXIT_CLEAN

    def to_dict(self) -> dict:
        return {
            "registry": self.registry.display_root,
            "date": self.today.isoformat(),
            "summary": {"files": self.files, "automations": self.automation_count,
                        "errors": self.errors, "warnings": self.warnings,
                        "waived": len(self.waived), "silenced": self.silenced.count,
                        "not_checked": self.not_checked},
            "findings": [f.to_dict() for f in self.findings],
            "waived": [w.to_dict() for w in self.waived],
            "silenced": self.silenced.to_dict(),
        }


def _internal_error(run: CheckRun, entry: Entry | None, exc: Exception) -> Finding:
    return codes.finding("X001", _("check {code} failed on this file ({error}: {detail})").format(
        code=run.check.code, error=type(exc).__name__, detail=exc), entry.path if entry else None)


def _waiver_for(finding: Finding, waivers: list[Waiver], today: dt.date) -> Waiver | None:
    for waiver in waivers:
        wanted = waiver.check.strip().lower()
        if waiver.expires >= today and wanted in (finding.code.lower(), finding.name):
            return waiver
    return None


class CheckMemo(Protocol):
    """Results of the checks of one automation file kept from an earlier run (lint's cache):
    ``get`` gives them back (None: run the check), ``put`` is told what a check found."""

    def get(self, entry: Entry, check: Check) -> list[Finding] | None: ...

    def put(self, entry: Entry, check: Check, findings: list[Finding]) -> None: ...


def run_checks(registry: Registry, today: dt.date, *, memo: CheckMemo | None = None
               ) -> LintReport:
    """Run the governance checks over an already loaded registry (``memo``: reuse the
    results of an automation file's own checks, see :mod:`livingsys.checks.lint_cache`)."""
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
            kept = memo.get(entry, run.check) if memo is not None else None
            if kept is not None:
                results = kept
            else:
                try:
                    results = list(run.check.check_automation(entry, ctx))
                except Exception as exc:  # a bug in one check must not hide the others
                    results = [_internal_error(run, entry, exc)]
                if memo is not None:
                    memo.put(entry, run.check, results)
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
