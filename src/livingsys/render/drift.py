"""`livingsys drift` results: plain text, JSON, GitHub annotations (like lint's)."""

from __future__ import annotations

import json

from livingsys.checks.drift import DriftReport


def summary(report: DriftReport) -> str:
    compared = len(report.compared)
    if not compared:
        return ("no automation is linked to a tool export (add `source: {kind: n8n|make, "
                "export: PATH}`, or start with `livingsys import`)")
    unreadable = sum(1 for f in report.findings if f.unreadable)
    differences = len(report.findings) - unreadable
    automations = (f"{compared} automation{'s' if compared > 1 else ''} compared with "
                   f"{'its' if compared == 1 else 'their'} export")
    if not report.findings:
        return f"in sync: {automations}"
    parts = []
    if differences:
        parts.append(f"{differences} difference{'s' if differences > 1 else ''}")
    if unreadable:
        parts.append(f"{unreadable} export{'s' if unreadable > 1 else ''} unreadable")
    return f"{', '.join(parts)}: {automations}"


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
            out.append(f"    fix: {indent(f.hint, 9)}")
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
