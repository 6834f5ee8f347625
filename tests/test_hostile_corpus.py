"""The hostile-input corpus: every input under tests/hostile/ through every command.

Each file of tests/hostile/ is one hostile input (tests/hostile/README.md gives the format): a
registry (conftest.MINIMAL with some files replaced) committed in a real git repository, on
top of a first, clean commit. Every command a user runs on a registry is then run on it through
the real command line, and each must:

- end with exit code 0, 1 or 2 (SPEC.md), never a traceback;
- print no raw escape character (ESC, CSI) to the terminal;
- print no line that GitHub Actions would run as a workflow command (a line starting with
  '::' once spaces are trimmed), except the annotations `lint --format github` emits;
- write no file outside the registry (but the output file it was asked to write).

Adding a case means adding a file; a bug found with hostile input gets its file here.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import MINIMAL
from gitrepo import GitRepo

CORPUS = Path(__file__).parent / "hostile"
KEYS = {"about", "files", "edits", "commit", "author", "uncommitted", "case", "shows", "absent"}

#: Every command, as a user runs it (``{out}``: a file in the working folder).
COMMANDS = [
    ["lint"], ["lint", "--format", "concise"], ["lint", "--format", "github"],
    ["lint", "--format", "json"], ["lint", "--format", "sarif"], ["lint", "--explain"],
    ["review-due"], ["review-due", "--format", "markdown"], ["review-due", "--format", "json"],
    ["review-due", "--fail-on-due"],
    ["agenda"], ["agenda", "--format", "markdown"],
    ["report"], ["report", "--format", "markdown"],
    ["diff", "HEAD~1..HEAD"], ["diff"], ["diff", "HEAD~1..HEAD", "--format", "json"],
    ["export", "-o", "-"], ["export", "-o", "{out}.xlsx"],
    ["graph", "reminders"], ["graph", "reminders", "--format", "markdown"],
    ["explain", "reminders"],
]

_OUR_ANNOTATION = re.compile(r"^::(error|warning|notice) (file=|title=)[^\n]*::")


def _cases() -> list[Path]:
    return sorted(CORPUS.glob("*.yaml"))


def _load(path: Path) -> dict:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    unknown = set(data) - KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}; allowed: {sorted(KEYS)}"
    assert data.get("about"), f"{path.name}: say what the input is in 'about'"
    return data


def _files(data: dict) -> dict[str, str]:
    files = {rel: textwrap.dedent(text) for rel, text in MINIMAL.items()}
    files.update(data.get("files") or {})
    for edit in data.get("edits") or []:
        text = files[edit["file"]]
        assert edit["old"] in text, f"edit {edit['old']!r} not found in {edit['file']}"
        files[edit["file"]] = text.replace(edit["old"], edit["new"])
    return files


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _tree(top: Path) -> set[str]:
    return {str(p.relative_to(top)) for p in top.rglob("*") if ".git" not in p.parts}


@pytest.fixture(params=_cases(), ids=lambda p: p.stem)
def hostile(request, tmp_path):
    data = _load(request.param)
    repo = GitRepo(tmp_path / "company")
    _write(repo.root / "registry", {rel: textwrap.dedent(t) for rel, t in MINIMAL.items()})
    repo.commit("Registry: first version")
    for rel in MINIMAL:
        (repo.root / "registry" / rel).unlink()
    _write(repo.root / "registry", _files(data))
    repo.commit(data.get("commit") or "Hostile input",
                author=data.get("author") or "Claire Moreau <claire@example.com>",
                allow_empty=True)
    _write(repo.root / "registry", data.get("uncommitted") or {})
    return repo, data


def test_hostile_input_through_every_command(hostile, runner, tmp_path, monkeypatch):
    from livingsys.cli.main import app

    repo, data = hostile
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    registry = repo.root / "registry"
    before = _tree(tmp_path)
    written = set()
    commands = [*COMMANDS, *(data.get("case") or [])]
    shows, absent = data.get("shows") or {}, data.get("absent") or {}
    unknown = (set(shows) | set(absent)) - {" ".join(c) for c in commands}
    assert not unknown, f"shows/absent name commands that are not run: {sorted(unknown)}"
    for args in commands:
        command = " ".join(args)
        args = [a.replace("{out}", str(work / "out")) for a in args]
        written |= {str(Path(a).relative_to(tmp_path)) for a in args if a.startswith(str(work))}
        result = runner.invoke(app, [*args, "-r", str(registry)])
        shown = result.output
        what = f"{' '.join(args)}:\n{shown[:2000]}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            import traceback

            raise AssertionError(f"{what}\n" + "".join(traceback.format_exception(
                result.exception)))
        assert result.exit_code in (0, 1, 2), what
        assert "Traceback" not in shown, what
        assert "\x1b" not in shown and "\x9b" not in shown, what
        for line in shown.splitlines():
            if line.lstrip().startswith(("::", "##[")):
                assert args[-1] == "github" and _OUR_ANNOTATION.match(line), \
                    f"{what}\nworkflow command: {line!r}"
        flat = " ".join(shown.split())  # as read, whatever the wrapping
        for text in shows.get(command, []):
            assert text in flat, f"{what}\nnot shown as written: {text!r}"
        for text in absent.get(command, []):
            assert text not in shown, f"{what}\nmust not appear: {text!r}"
    after = _tree(tmp_path)
    outside = {p for p in after - before
               if not p.startswith("company/registry") and p not in written}
    assert not outside, f"files written outside the registry: {sorted(outside)}"


def test_the_corpus_is_not_empty():
    assert len(_cases()) >= 10


def test_every_corpus_file_is_documented():
    for path in _cases():
        _load(path)
    assert os.path.isfile(CORPUS / "README.md")
