"""Drift: what `livingsys drift` reports when a tool's export and the registry disagree.

These findings come from comparing an automation with its export (``source``), not from lint:
they are described here so that `livingsys rules D006`, the README's table and SARIF cover
every code drift can print. They cannot be switched off or waived: the fix is to bring the
registry and the tool back in agreement (or re-export).

:func:`drift` runs them: :mod:`livingsys.tools.drift` reads each export and says how it
differs from the automation's file (:class:`~livingsys.tools.drift.Difference`); here each
difference becomes the finding of its D-check, at its place in the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from livingsys.models import Automation
    from livingsys.reading.registry import Entry, Registry

class _Drift(Check):
    group = "drift"
    not_waivable = N_("drift findings come from `livingsys drift`, not from lint")


@register
class ExportUnreadable(_Drift):
    code, name = "D001", "export-unreadable"
    title = N_("The tool's export named in `source` can be read")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. A "
                   "registry linked to an export nobody can read checks nothing against what "
                   "really runs.")
    hint = N_("export the workflow again (n8n: ⋯ › Download; Make: ⋯ › Export Blueprint) to the "
              "path in source.export, or fix the path")


@register
class StepAdded(_Drift):
    code, name = "D002", "step-added"
    title = N_("Every working node of the export is a step of the registry")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. A node "
                   "added in the tool and not drawn in the registry is a part of the flow nobody "
                   "reviews.")
    hint = N_("add a step for it with `node: {id: ..., name: ...}` (`livingsys import` into a "
              "scratch registry shows the draft), or remove the node from the tool")
    example = ("steps:\n  - id: check-amount\n    kind: automatic\n    does: Checks the amount"
               "\n    node: {id: 7531191b-45dc, name: Over 5000 EUR?}")


@register
class StepRemoved(_Drift):
    code, name = "D003", "step-removed"
    title = N_("Every step linked to a node still has that node in the export")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. A step "
                   "whose node is gone describes something that no longer runs.")
    hint = N_("remove the step, or point its `node` at the node that does it now")


@register
class StepRenamed(_Drift):
    code, name = "D004", "step-renamed"
    title = N_("A linked node keeps the name the registry gives it")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. A node "
                   "renamed in the tool often does something else now: the step's description may "
                   "be out of date.")
    hint = N_("check the step still says what the node does, then update node.name")


@register
class UndeclaredSend(_Drift):
    code, name = "D005", "undeclared-send"
    title = N_("Every node that sends a message is declared in `sends`")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. Rule "
                   "1: no client message without human validation in the first perimeter — which "
                   "lint can only check for the messages the registry declares.")
    hint = N_("add the message to the step's `sends` (audience client or internal, channel)")


@register
class ThresholdChanged(_Drift):
    code, name = "D006", "threshold-changed"
    title = N_("The tool's conditions compare with the values the registry's rules say")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. A "
                   "threshold changed in the tool (5,000 EUR to 6,000 EUR) and not in the "
                   "registry means the rules reviewed are not the rules applied (rule 3).")
    hint = N_("decide which value is right: change the tool's condition or the rule's `when` (and "
              "the shared rule, if it holds the value), then run `livingsys review-due`")


@register
class BoundaryChanged(_Drift):
    code, name = "D007", "boundary-changed"
    title = N_("The tool's conditions draw the line where the registry does (> or >=)")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. '>= "
                   "5000' and '> 5000' handle exactly 5,000 EUR differently: the case the "
                   "scenarios usually test.")
    hint = N_("make the tool's operator and the rule's `when` agree")


@register
class ConditionNotInRegistry(_Drift):
    code, name = "D008", "condition-not-in-registry"
    title = N_("Every simple condition of the tool is in a rule or an exception")
    rationale = N_("Article, days 7-8: check that each rule is correctly translated in the tools; "
                   "and its first symptom: nobody can say exactly what an automation does. A "
                   "condition only the tool knows is a business rule nobody wrote down.")
    hint = N_("add the condition to the rule or exception it belongs to (`when:`), declaring the "
              "fact with `field:` where the tool reads it")


DRIFT_CHECKS: dict[str, type[Check]] = {c.code: c for c in (
    ExportUnreadable, StepAdded, StepRemoved, StepRenamed, UndeclaredSend, ThresholdChanged,
    BoundaryChanged, ConditionNotInRegistry)}


# --------------------------------------------------------------------------------------------
# running them: `livingsys drift`, and review-due's reason


@dataclass
class DriftReport:
    """What drift found, for the whole registry."""

    registry: Registry
    findings: list[Finding] = field(default_factory=list)
    #: Ids of the automations compared with their export.
    compared: list[str] = field(default_factory=list)
    #: Valid automations without a `source` (not compared).
    unlinked: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if any(f.unreadable for f in self.findings):
            return 2
        return 1 if self.findings else 0

    def to_dict(self) -> dict[str, Any]:
        return {"registry": self.registry.display_root, "compared": self.compared,
                "unlinked": self.unlinked, "exit_code": self.exit_code,
                "findings": [f.to_dict() for f in self.findings]}


def compare(registry: Registry, entry: Entry[Automation]) -> list[Finding]:
    """The drift findings of one automation that has a ``source`` (empty: in sync)."""
    from livingsys.tools.drift import differences, read_source

    workflow, problem = read_source(registry, entry)
    if workflow is None:
        check = DRIFT_CHECKS["D001"]()
        ctx = Context(registry=registry, today=dt.date.today(),
                      severity=check.severity)
        finding = check.finding(ctx, entry, ("source", "export"), problem or _("unreadable"))
        finding.unreadable = True
        return [finding]
    ctx = Context(registry=registry, today=dt.date.today())
    findings: list[Finding] = []
    for difference in differences(registry, entry, workflow):
        check = DRIFT_CHECKS[difference.code]()
        ctx.severity = check.severity
        finding = check.finding(ctx, entry, difference.loc, difference.message, difference.hint)
        if difference.position is not None:
            finding.line, finding.col = difference.position
        findings.append(finding)
    return sorted(findings, key=Finding.sort_key)


def drift(registry: Registry, ids: list[str] | None = None) -> DriftReport:
    """Compare every automation that has a ``source`` (or those of ``ids``) with its export."""
    report = DriftReport(registry=registry)
    for entry in registry.valid_automations:
        automation = entry.model
        if automation is None:  # pragma: no cover - valid_automations all have a model
            continue
        if ids and automation.id not in ids:
            continue
        if automation.source is None:
            report.unlinked.append(automation.id)
            continue
        report.compared.append(automation.id)
        report.findings.extend(compare(registry, entry))
    return report


def review_reason(registry: Registry, entry: Entry[Automation]) -> tuple[str, list[str]] | None:
    """For review-due: (the reason in one line, one detail per difference), or None."""
    from livingsys.tools.model import TOOLS

    if entry.model is None or entry.model.source is None:
        return None
    findings = compare(registry, entry)
    if not findings:
        return None
    tool = TOOLS.get(entry.model.source.kind, entry.model.source.kind)
    if findings[0].unreadable:
        text = _("its {tool} export cannot be read, so what runs cannot be compared").format(
            tool=tool)
    else:
        n = len(findings)
        text = ngettext("the {tool} export differs from the registry ({n} difference: "
                        "`livingsys drift`)",
                        "the {tool} export differs from the registry ({n} differences: "
                        "`livingsys drift`)", n).format(tool=tool, n=n)
    return text, [_("{where}: {message}").format(where=f.location, message=f.message)
                  for f in findings]
