"""`livingsys drift` results: plain text, JSON, GitHub annotations (like lint's)."""

from __future__ import annotations

import json

from livingsys.checks.drift import DriftReport
from livingsys.i18n import _, ngettext


def summary(report: DriftReport) -> str:
    compared = len(report.compared)
    if not compared:
        return _("no automation is linked to a tool export (add `source: {kind: n8n|make, "
                 "export: PATH}`, or start with `livingsys import`)")
    unreadable = sum(1 for f in report.findings if f.unreadable)
    differences = len(report.findings) - unreadable
    automations = ngettext("{n} automation compared with its export",
                           "{n} automations compared with their export", compared).format(
        n=compared)
    if not report.findings:
        return _("in sync: {automations}").format(automations=automations)
    parts = []
    if differences:
        parts.append(ngettext("{n} difference", "{n} differences", differences).format(
            n=differences))
    if unreadable:
        parts.append(ngettext("{n} export unreadable", "{n} exports unreadable",
                              unreadable).format(n=unreadable))
    return _("{found}: {automations}").format(found=", ".join(parts), automations=automations)


def text(report: DriftReport) -> str:
    from livingsys.render.lint_text import indent

    out = []
    last = None
    for f in report.findings:
        if f.path != last and last is not None:
            out.append("")
        last = f.path
        out.append(f"{f.location}: {f.code} {indent(f.message, 4)}  ({f.name})")
        if f.hint:
            label = _("fix:")
            out.append(f"    {label} {indent(f.hint, 5 + len(label))}")
    if out:
        out.append("")
    out.append(summary(report))
    return "\n".join(out)


def to_json(report: DriftReport) -> str:
    data = report.to_dict()
    data["summary"] = summary(report)
    return json.dumps(data, indent=2, ensure_ascii=False)


def github(report: DriftReport) -> str:
    from livingsys.render.lint_machine import annotation

    return "\n".join([annotation(f) for f in report.findings] + [summary(report)])
