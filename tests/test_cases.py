"""Lint's behaviour as data: every file under tests/cases/ is one broken (or fixed) registry.

A case is the MINIMAL registry of conftest.py with some files replaced, and the findings lint
must report for it. Adding a case means adding a YAML file; the format is described in
tests/cases/README.md. Each case is run through the real command line, in JSON:

    livingsys lint -r registry --format json --today 2026-11-25

and must give exactly the expected findings (code, file, line; column, severity and a part of
the message or hint when given), the expected exit code, and never a traceback.
"""

from __future__ import annotations

import base64
import json
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import MINIMAL, write_files

CASES = Path(__file__).parent / "cases"
TODAY = "2026-11-25"
CASE_KEYS = {"description", "files", "files_b64", "generate", "edits", "expect", "exit", "pass"}
EXPECT_KEYS = {"code", "file", "line", "col", "message", "hint", "severity"}


@dataclass
class Case:
    """One registry to lint and what lint must say about it."""

    id: str
    file: Path
    description: str
    files: dict[str, str | None] = field(default_factory=dict)
    files_b64: dict[str, str] = field(default_factory=dict)
    generate: list[dict[str, Any]] = field(default_factory=list)
    edits: list[dict[str, str]] = field(default_factory=list)
    expect: list[dict[str, Any]] = field(default_factory=list)
    exit: int = 1
    passing: bool = False  # the `pass:` variant of a failing case


def _case(id_: str, file: Path, data: dict, passing: bool, base: dict | None = None) -> Case:
    unknown = set(data) - CASE_KEYS
    assert not unknown, f"{file.name}: unknown keys {sorted(unknown)}; allowed: {sorted(CASE_KEYS)}"
    for item in data.get("expect") or []:
        assert "code" in item and "file" in item, f"{file.name}: {item} needs code and file"
        assert set(item) <= EXPECT_KEYS, f"{file.name}: unknown keys in {item}"
    inherited = base or {}
    return Case(
        id=id_,
        file=file,
        description=data.get("description", inherited.get("description", "")),
        # a `pass:` variant starts from the failing case's files and replaces some of them
        files={**inherited.get("files", {}), **(data.get("files") or {})},
        files_b64={**inherited.get("files_b64", {}), **(data.get("files_b64") or {})},
        generate=data.get("generate", inherited.get("generate", [])) or [],
        edits=[*inherited.get("edits", []), *(data.get("edits") or [])],
        expect=data.get("expect") or [],
        exit=data.get("exit", 0 if passing else 1),
        passing=passing,
    )


def load_cases() -> list[Case]:
    yaml = YAML(typ="safe", pure=True)
    cases = []
    for file in sorted(CASES.glob("*.yaml")):
        try:
            data = yaml.load(file.read_text("utf-8"))
        except Exception as exc:  # name the broken case rather than fail the whole collection
            raise AssertionError(f"tests/cases/{file.name} is not valid YAML: {exc}") from None
        assert isinstance(data, dict), f"{file.name} should be a mapping"
        cases.append(_case(file.stem, file, data, passing=False))
        if "pass" in data:
            cases.append(_case(f"{file.stem}[pass]", file, data["pass"], passing=True,
                               base=data))
    return cases


ALL_CASES = load_cases()


# ------------------------------------------------------------------------------------------
# building the registry


def _deep_nesting(levels: int, style: str) -> str:
    if style == "flow":
        return "[" * levels + "]" * levels + "\n"
    if style == "flow-map":
        return "{a: " * levels + "}" * levels + "\n"
    if style == "block-sequence":
        return "- " * levels + "x\n"
    if style == "block-mapping":
        return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "x\n"
    raise AssertionError(f"unknown deep_nesting style {style!r}")


def _generate(root: Path, spec: dict[str, Any]) -> None:
    kind, path = spec["kind"], root / spec["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "encode":  # text saved in another encoding (latin-1, utf-16...)
        path.write_bytes(spec["text"].encode(spec["encoding"]))
    elif kind == "huge_file":  # a valid YAML file past the size limit
        size = spec.get("size", 1_100_000)
        line = "# pasted export data, line after line\n"
        path.write_text("id: big\n" + line * (size // len(line) + 1), encoding="utf-8")
    elif kind == "deep_nesting":
        path.write_text(_deep_nesting(spec.get("levels", 5000), spec.get("style", "flow")),
                        encoding="utf-8")
    elif kind == "symlink_outside":  # a link to a file outside the registry folder
        outside = root.parent / "outside" / Path(spec["path"]).name
        outside.parent.mkdir(parents=True, exist_ok=True)
        outside.write_text(spec.get("text", "id: secret\nname: Secret\n"), encoding="utf-8")
        path.symlink_to(outside)
    elif kind in ("symlink", "dangling_symlink"):  # a link to a path inside the registry
        path.symlink_to(root / spec["target"])
    elif kind == "folder":
        path.mkdir(parents=True, exist_ok=True)
    elif kind == "fifo":  # a named pipe: opening it to read would wait for a writer forever
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this system")
        os.mkfifo(path)
    else:
        raise AssertionError(f"unknown generate kind {kind!r}")


def build(case: Case, root: Path) -> Path:
    files: dict[str, str | None] = {rel: textwrap.dedent(text) for rel, text in MINIMAL.items()}
    files.update(case.files)
    for edit in case.edits:  # small text replacements, applied after `files`
        text = files.get(edit["file"])
        assert text is not None and edit["old"] in text, \
            f"{case.id}: edit {edit['old']!r} not found in {edit['file']}"
        files[edit["file"]] = text.replace(edit["old"], edit["new"],
                                           -1 if edit.get("all") else 1)
    write_files(root, {rel: (text.encode("utf-8") if isinstance(text, str) else text)
                       for rel, text in files.items()})
    write_files(root, {rel: base64.b64decode(data) for rel, data in case.files_b64.items()})
    for spec in case.generate:
        _generate(root, spec)
    return root


# ------------------------------------------------------------------------------------------
# comparing


def _matches(found: dict, expected: dict) -> bool:
    if found["code"] != expected["code"] or found["file"] != expected["file"]:
        return False
    for key in ("line", "col", "severity"):
        if key in expected and found[key] != expected[key]:
            return False
    return all(part not in expected or expected[part] in (found[part] or "")
               for part in ("message", "hint"))


def _show(findings: list[dict]) -> str:
    return "\n".join(f"  {f['code']} {f['file']}:{f['line']}:{f['col']} {f['severity']} "
                     f"{f['message']}" for f in findings) or "  (none)"


def lint_json(cli, root: Path) -> tuple[Any, list[dict]]:
    result = cli("lint", "-r", root.name, "--format", "json", "--today", TODAY)
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    prefix = data["registry"] + "/"
    findings = [{**f, "file": f["path"].removeprefix(prefix) if f["path"] else None}
                for f in data["findings"]]
    return result, findings


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_case(case: Case, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths are then shown relative: registry/automations/...
    root = build(case, tmp_path / "registry")
    result, found = lint_json(cli, root)

    unmatched = list(found)
    missing = []
    for expected in case.expect:
        hit = next((f for f in unmatched if _matches(f, expected)), None)
        if hit is None:
            missing.append(expected)
        else:
            unmatched.remove(hit)
    context = f"{case.file.name}: {case.description}\nlint reported:\n{_show(found)}"
    assert not missing, f"expected but not reported: {missing}\n{context}"
    assert not unmatched, f"reported but not expected:\n{_show(unmatched)}\n{context}"
    assert result.exit_code == case.exit, context


# ------------------------------------------------------------------------------------------
# the cases themselves


def test_every_check_has_a_failing_case():
    from livingsys.checks.base import catalogue

    failing = {e["code"] for c in ALL_CASES if not c.passing for e in c.expect
               if c.id.startswith(e["code"])}
    # drift's D-codes come from `livingsys drift`, not lint: tests/test_drift.py covers them;
    # X001 (a check that crashed) has no registry that makes it: tests/test_codes.py covers it
    missing = [c.code for c in catalogue()
               if c.group not in ("drift", "internal") and c.code not in failing]
    assert not missing, (f"checks without a case in tests/cases/ ({missing}): add "
                         "tests/cases/<CODE>-<what>.yaml expecting the finding")


def test_every_governance_check_has_a_passing_case():
    from livingsys.checks.base import catalogue

    passing = {c.id.split("-", 1)[0] for c in ALL_CASES if c.passing}
    missing = [c.code for c in catalogue() if c.group == "governance" and c.code not in passing]
    assert not missing, (f"governance checks without a passing variant ({missing}): add a "
                         "'pass:' section to their case (the registry fixed, lint clean)")


def test_case_files_are_named_after_a_check():
    from livingsys.checks.base import catalogue

    codes = {c.code for c in catalogue()}
    bad = [c.file.name for c in ALL_CASES if c.id.split("-", 1)[0] not in codes]
    assert not bad, f"case files should start with a check code: {bad}"


def test_text_output_shows_file_line_col(cli, tmp_path, monkeypatch):
    """People read the text format: each finding says file:line:col, so editors link it."""
    monkeypatch.chdir(tmp_path)
    case = next(c for c in ALL_CASES if c.id == "G008-too-many-exceptions")
    root = build(case, tmp_path / "registry")
    result = cli("lint", "-r", root.name, "--today", TODAY)
    assert result.exit_code == 1
    assert "registry/automations/reminders.yaml:31:5" in result.output
    assert "Traceback" not in result.output
