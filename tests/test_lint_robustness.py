"""Property tests: whatever is in the files, lint reports findings and never crashes.

The cases in tests/cases/ pin down known bad inputs; these generate many more: YAML-like
text made of the characters that matter to YAML, arbitrary bytes, and MINIMAL's files with
lines deleted, values replaced and keys inserted.
"""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, write_files

PIECES = [*"ab:- \n\t[]{},&*!|>'\"#?%@`\\0123456789.é\ufeff", "id", "name", "steps", "<<",
          "---", "...", "- ", ": ", "!!int ", "!!binary ", "!!timestamp ", "!!python/object ",
          "&a ", "*a", "!!set ", "? ", "\r\n"]
yamlish = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def _positions_ok(findings) -> bool:
    return all((f.line is None or f.line >= 1) and (f.col is None or f.col >= 1)
               for f in findings)


@settings(max_examples=400, deadline=None)
@given(yamlish)
def test_reader_never_raises(text):
    from livingsys.models import Automation, People, Settings
    from livingsys.reading.validation import validate
    from livingsys.reading.yamlsource import parse

    doc = parse(text, "x.yaml")
    assert _positions_ok(doc.findings)
    if doc.data is not None:
        for model in (Automation, Settings, People):
            _, findings = validate(model, doc.data, "x.yaml")
            assert _positions_ok(findings)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_decoder_never_raises(raw):
    from livingsys.reading.yamlsource import decode, parse

    text, findings = decode(raw, "x.yaml")
    assert (text is None) == any(f.unreadable for f in findings)
    if text is not None:
        parse(text, "x.yaml")


BASE = {rel: textwrap.dedent(text) for rel, text in MINIMAL.items()}
VALUES = ["", "null", "[]", "{}", "0", "-1", "x", "'  '", "true", "1.5", "[a, b]", "{a: 1}",
          "2026-01-01", "2026-13-01", "b.owner", "Y003", "G010", ".inf", "~", "!!binary aGk=",
          "'../x'", "[[[]]]", "{check: G010}", "off", "warning"]
KEYS = ["waivers", "status", "owner", "sends", "kind", "expires", "check", "policy", "checks",
        "G010", "max", "review", "content"]
mutation = st.tuples(st.sampled_from(sorted(BASE)), st.integers(0, 40), st.integers(0, 3),
                     st.sampled_from(VALUES), st.sampled_from(KEYS))
_counter = itertools.count()


def _mutate(files: dict[str, str], mutations) -> dict[str, str]:
    files = dict(files)
    for rel, line_no, mode, value, key in mutations:
        lines = files[rel].splitlines()
        i = line_no % len(lines)
        indent = " " * (len(lines[i]) - len(lines[i].lstrip()))
        if mode == 0:
            del lines[i]
        elif mode == 1 and ":" in lines[i]:
            lines[i] = lines[i].split(":", 1)[0] + ": " + value
        elif mode == 2:
            lines.insert(i, f"{indent}{key}: {value}")
        else:
            lines[i] = f"{lines[i]} {value}"
        files[rel] = "\n".join(lines) + "\n"
    return files


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(mutation, max_size=4))
def test_lint_of_a_damaged_registry_never_fails_inside(tmp_path: Path, mutations):
    from livingsys.checks.lint import lint
    from livingsys.render import lint_machine

    root = write_files(tmp_path / f"r{next(_counter)}",
                       {rel: text.encode() for rel, text in _mutate(BASE, mutations).items()})
    report = lint(root, dt.date(2026, 11, 25))
    assert not [f for f in report.findings if f.code == "X001"], report.findings
    assert _positions_ok(report.findings)
    for render in (lint_machine.to_json, lint_machine.sarif, lint_machine.github,
                   lint_machine.concise, lint_machine.plain):
        render(report)


def test_pure_python_reader_reports_deep_nesting(monkeypatch):
    """Without ruamel.yaml.clib the composer is pure Python and recursive: a few hundred
    levels raise RecursionError, which must become the same Y002 finding."""
    import sys

    import ruamel.yaml.main  # noqa: F401 - imported before the C module is hidden

    from livingsys.reading.yamlsource import parse

    monkeypatch.setitem(sys.modules, "ruamel.yaml.cyaml", None)
    for text, col in (("x: " + "[" * 900 + "]" * 900, 64), ("- " * 900 + "x", 123)):
        [finding] = parse(text, "x.yaml").findings
        assert (finding.code, finding.line, finding.col) == ("Y002", 1, col)
        assert "nested more than 60 levels" in finding.message
    [finding] = parse("a: [b\nc: d\n", "x.yaml").findings
    assert (finding.line, finding.col) == (1, 4) and "not closed" in finding.message
