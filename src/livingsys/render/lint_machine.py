"""Lint results for machines: plain text, JSON, GitHub annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
import re
from typing import Any

from livingsys import __version__, i18n
from livingsys.checks.lint import LintReport
from livingsys.codes import severity_name
from livingsys.findings import Finding, Severity
from livingsys.i18n import _

_MARKUP = re.compile(r"\[/?[a-z ]*\]")


def concise(report: LintReport) -> str:
    """One line per finding, `path:line:col: severity CODE message`, for editors and grep:
    the severity stays 'error' or 'warning' in every language (editors' problem matchers read
    it), the message is in the language spoken."""
    lines = [f"{f.location}: {f.severity.value} {f.code} {f.message}" for f in report.findings]
    from livingsys.render.lint_text import summary

    lines.append(_MARKUP.sub("", summary(report)))
    return "\n".join(lines)


def _silenced_plain(report: LintReport) -> list[str]:
    from livingsys.render.lint_text import silenced_lines

    return [_MARKUP.sub("", line) for line in silenced_lines(report)]


def plain(report: LintReport) -> str:
    """The text format without colours (used with --output)."""
    from livingsys.render.lint_text import indent

    out = []
    last = None
    fix = _("fix:")
    for f in report.findings:
        if f.path != last and last is not None:
            out.append("")
        last = f.path
        name = f"  ({f.name})" if f.name else ""
        out.append(f"{f.location}: {severity_name(f.severity)} {f.code} "
                   f"{indent(f.message, 4)}{name}")
        if f.hint:
            out.append(f"    {fix} {indent(f.hint, 5 + len(fix))}")
    from livingsys.render.lint_text import summary

    out.append("")
    out.extend(_silenced_plain(report))
    out.append(_MARKUP.sub("", summary(report)))
    return "\n".join(out)


def to_json(report: LintReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    """One finding as a GitHub Actions workflow command (an annotation on its file)."""
    level = "error" if f.severity is Severity.ERROR else "warning"
    props = _props(f.path, f.line, f.col, f"{f.code} {f.name}".strip())
    fix = _("fix:")
    message = f"{f.message}\n{fix} {f.hint}" if f.hint else f.message
    return f"::{level} {props}::{_escape_data(message)}"


def _props(path: str | None, line: int | None, col: int | None, title: str) -> str:
    """An annotation's properties: file, line, col (when known) and title."""
    props = []
    if path:
        props.append(f"file={_escape_property(path)}")
    if line:
        props += [f"line={line}", f"col={col or 1}"]
    props.append(f"title={_escape_property(title)}")
    return ",".join(props)


def github(report: LintReport) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the file."""
    lines = [annotation(f) for f in report.findings]
    # Silenced governance as notices on the policy line or the waiver, so a pull request
    # that switches a check off or adds a waiver shows it where it is written.
    silenced = report.silenced
    for item, title in [(c, _("{code} silenced").format(code=c.code)) for c in silenced.policy] + [
            (w, _("{code} waived").format(code=w.code)) for w in silenced.waivers]:
        props = _props(item.path, item.line, item.col, title)
        lines.append(f"::notice {props}::{_escape_data(item.describe())}")
    from livingsys.render.lint_text import summary

    lines.append(_MARKUP.sub("", summary(report)))
    return "\n".join(lines)


def sarif(report: LintReport) -> str:
    """SARIF 2.1.0, as GitHub code scanning and other tools accept it."""
    from livingsys.checks.base import catalogue

    checks = catalogue()
    index = {c.code: i for i, c in enumerate(checks)}
    fix, why = _("Fix:"), _("Why:")
    rules = [{
        "id": c.code,
        "name": "".join(w.capitalize() for w in c.name.split("-")),
        "shortDescription": {"text": c.title},
        "fullDescription": {"text": c.rationale},
        "help": {"text": f"{c.hint}\n\n{c.rationale}",
                 "markdown": f"**{fix}** {c.hint}\n\n**{why}** {c.rationale}"},
        "defaultConfiguration": {"level": "error" if c.severity is Severity.ERROR else "warning"},
        "properties": {"tags": [c.group]},
    } for c in checks]
    results = [_sarif_result(f, index, report) for f in report.findings]
    # Waived findings stay visible to code scanning as suppressed results, with the waiver.
    for waived in report.waived:
        result = _sarif_result(waived.finding, index, report)
        w = waived.waiver
        result["suppressions"] = [{
            "kind": "inSource", "status": "accepted",
            "justification": _("{reason} (approved by {who}, until {date})").format(
                reason=w.reason, who=w.approved_by, date=i18n.day(w.expires))}]
        results.append(result)
    document: dict[str, Any] = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "livingsys",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://github.com/livingsys/livingsys",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    silenced = report.silenced
    if silenced:
        # The policy's changes as SARIF configuration overrides; the waivers in force (also
        # those that silence no finding today) in the run's property bag.
        overrides = []
        for change in silenced.policy:
            configuration: dict = {"enabled": False} if change.kind == "off" else (
                {"level": "warning"} if change.kind == "lowered" else
                {"parameters": {"livingsys": change.detail}})
            overrides.append({"descriptor": {"id": change.code,
                                             "index": index.get(change.code, -1)},
                              "configuration": configuration})
        run = document["runs"][0]
        if overrides:
            run["invocations"] = [{"executionSuccessful": True,
                                   "ruleConfigurationOverrides": overrides}]
        run["properties"] = {"silenced": silenced.to_dict()}
    return json.dumps(document, indent=2, ensure_ascii=False)


def _uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative with '/' (percent-encoded), or file:///."""
    from pathlib import PurePath
    from urllib.parse import quote

    if PurePath(path).is_absolute():
        from pathlib import Path

        return Path(path).as_uri()
    return quote(path.replace("\\", "/"), safe="/")


def _sarif_result(f: Finding, index: dict[str, int], report: LintReport) -> dict:
    path = f.path or report.registry.display("livingsys.yaml")
    region = {"startLine": f.line or 1, "startColumn": f.col or 1}
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": "error" if f.severity is Severity.ERROR else "warning",
        "message": {"text": _("{message} — fix: {hint}").format(message=f.message, hint=f.hint)
                    if f.hint else f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(path)},
            "region": region,
        }}],
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    return result
