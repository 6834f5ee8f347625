"""Documentation of the checks, generated from the check units (README table, rules pages)."""

from __future__ import annotations

from livingsys.checks.base import Check


def as_dict(check: type[Check]) -> dict:
    return {
        "code": check.code,
        "name": check.name,
        "group": check.group,
        "severity": check.severity.value,
        "title": check.title,
        "rationale": check.rationale,
        "hint": check.hint,
        "params": {k: {"default": p.default, "description": p.description}
                   for k, p in check.params.items()},
    }


def markdown_table(checks: list[type[Check]]) -> str:
    lines = ["| code | name | severity | what it checks | parameters |",
             "| --- | --- | --- | --- | --- |"]
    for c in checks:
        params = ", ".join(f"`{k}` = `{p.default!r}`" for k, p in c.params.items())
        title = c.title.replace("|", "\\|")
        lines.append(f"| {c.code} | {c.name} | {c.severity.value} | {title} | {params} |")
    return "\n".join(lines)


def markdown_page(check: type[Check]) -> str:
    out = [f"## {check.code} {check.name}", "", f"**{check.title}** ({check.severity.value})",
           "", f"Why: {check.rationale}", "", f"Fix: {check.hint}"]
    if check.example:
        out += ["", "```yaml", check.example, "```"]
    return "\n".join(out)


def configuration_example(check: type[Check]) -> str:
    params = "".join(f", {k}: {p.default!r}" for k, p in check.params.items())
    policy = (f"# livingsys.yaml (lint, report and agenda list what is silenced)\npolicy:\n"
              f"  checks:\n    {check.code}: off      # or: warning\n"
              f"    # {check.code}: {{severity: warning{params}}}\n")
    if check.not_waivable:
        return policy + f"# a waiver in an automation file cannot silence it: {check.not_waivable}"
    approver = (f"<id of a manager>   # G026: a waiver of rule {check.article_rule} needs one"
                if check.article_rule else "<person id>")
    return (policy + "# automations/<id>.yaml — silence it for one automation, for a while "
            "(G025: at most 180 days)\n"
            f"waivers:\n  - check: {check.code}\n    reason: why it does not apply here\n"
            f"    approved_by: {approver}\n    expires: YYYY-MM-DD")
