"""`lint`: read the registry, run every governance check under the policy, apply waivers."""

from __future__ import annotations

import dataclasses
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
    INDICATORS_FILE,
    PEOPLE_FILE,
    SETTINGS_FILE,
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
    #: `lint FILE...`: the files given (inside the registry), and how many findings of the
    #: other files are not shown; None when the whole registry is reported.
    files_given: list[str] | None = None
    not_shown: int = 0

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
                        "not_checked": self.not_checked,
                        **({} if self.files_given is None else {
                            "files_given": self.files_given, "not_shown": self.not_shown})},
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


class _Kept:
    """A :class:`CheckMemo` that keeps every automation file's results of this run (and
    passes them on to ``inner``, lint's cache), so the registry can be checked again
    without some files at the cost of the registry-wide checks only."""

    def __init__(self, inner: CheckMemo | None) -> None:
        self.inner = inner
        self.kept: dict[tuple[str, str], list[Finding]] = {}

    def get(self, entry: Entry, check: Check) -> list[Finding] | None:
        found = self.kept.get((entry.rel, check.code))
        if found is None and self.inner is not None:
            found = self.inner.get(entry, check)
        return found

    def put(self, entry: Entry, check: Check, findings: list[Finding]) -> None:
        self.kept[(entry.rel, check.code)] = findings
        if self.inner is not None:
            self.inner.put(entry, check, findings)


def _same(finding: Finding) -> tuple:
    return (finding.code, finding.path, finding.line, finding.col, finding.message)


def _read_by_all(rel: str) -> bool:
    """Whether the registry file ``rel`` is one every automation's checks may read."""
    folder, _sep, name = rel.rpartition("/")
    if folder:
        return folder in ("rules", "reviews", "incidents")
    return name in (SETTINGS_FILE, PEOPLE_FILE, INDICATORS_FILE,
                    SETTINGS_FILE[:-5] + ".yml", PEOPLE_FILE[:-5] + ".yml")


def run_checks_for(registry: Registry, today: dt.date, files: list[str], *,
                   memo: CheckMemo | None = None) -> LintReport:
    """`lint FILE...`: the whole registry checked, and shown for ``files`` (paths inside the
    registry, as ``automations/x.yaml``): their findings, those about the whole registry,
    and those of other files that the given files cause (a finding of an unchanged file that
    is not there when the given automation files are left out: a duplicate id, say).

    A given file other automations read (livingsys.yaml, people.yaml, a shared rule, a
    review, an incident, indicators.csv) concerns every automation: everything is shown.
    A file lint does not read (a README, a tool's export) shows nothing of its own.
    The findings left out are counted in ``not_shown``."""
    kept = _Kept(memo)
    report = run_checks(registry, today, memo=kept)
    given = list(dict.fromkeys(files))
    report.files_given = [registry.display(rel) for rel in given]
    if any(_read_by_all(rel) for rel in given):
        return report
    shown_paths = set(report.files_given)
    without = [e for e in registry.automations if e.rel not in set(given)]
    if len(without) == len(registry.automations):
        caused: set[tuple] = set()
    else:
        others = dataclasses.replace(registry, automations=without)
        before = run_checks(others, today, memo=kept)
        had = {_same(f) for f in before.findings} | {_same(w.finding) for w in before.waived}
        caused = ({_same(f) for f in report.findings}
                  | {_same(w.finding) for w in report.waived}) - had

    def shown(finding: Finding) -> bool:
        return finding.path is None or finding.path in shown_paths or _same(finding) in caused

    everything = len(report.findings)
    report.findings = [f for f in report.findings if shown(f)]
    report.not_shown = everything - len(report.findings)
    report.waived = [w for w in report.waived if shown(w.finding)]
    return report


def lint(root: Path | str, today: dt.date | None = None,
         files: list[str] | None = None) -> LintReport:
    """Load the registry at ``root`` and lint it (raises RegistryNotFound for a bad folder);
    with ``files``, report those files only (see :func:`run_checks_for`)."""
    today = today or dt.date.today()
    with cycle_collector_paused():
        registry = load_registry(root, today=today)
        if files is not None:
            return run_checks_for(registry, today, files)
        return run_checks(registry, today)
