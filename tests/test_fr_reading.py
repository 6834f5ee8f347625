"""French for broken files: the messages of reading a registry (YAML errors Y0xx, format
errors S0xx, indicators.csv I0xx, loading and writing errors) in French when the registry or
the run says so, at the same file, line and column, with the same exit code; English as
before."""

from __future__ import annotations

import json

import pytest

from conftest import MINIMAL, write_files
from test_cases import ALL_CASES, TODAY, build

READING = [c for c in ALL_CASES if c.id[0] in "YS" and not c.passing]


def _lint(cli, root, *lang: str):
    result = cli(*lang, "lint", "-r", root.name, "--format", "json", "--today", TODAY)
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)["findings"]


def _where(finding: dict) -> tuple:
    return (finding["code"], finding["path"], finding["line"], finding["col"],
            finding["severity"])


@pytest.mark.parametrize("case", READING, ids=[c.id for c in READING])
def test_every_broken_file_case_is_told_in_french_at_the_same_place(case, cli, tmp_path,
                                                                    monkeypatch):
    """Each Y, S and I case of tests/cases/: `--lang fr` reports the same problems at the same
    line and column with the same exit code, and every message of the reader is French."""
    monkeypatch.chdir(tmp_path)
    root = build(case, tmp_path / "registry")
    english, found_en = _lint(cli, root)
    french, found_fr = _lint(cli, root, "--lang", "fr")
    assert french.exit_code == english.exit_code == case.exit
    assert [_where(f) for f in found_fr] == [_where(f) for f in found_en]
    for en, fr in zip(found_en, found_fr, strict=True):
        if en["code"][0] in "YSI":
            assert fr["message"] != en["message"], f"{en['code']} left in English: {en['message']}"


def _registry(tmp_path, **files: str):
    import textwrap

    root = tmp_path / "registry"
    texts = {rel: textwrap.dedent(text) for rel, text in MINIMAL.items()}
    texts.update(files)
    write_files(root, {rel: text.encode("utf-8") for rel, text in texts.items()})
    return root


def test_a_livingsys_yaml_that_does_not_parse_still_gets_its_errors_in_french(cli, tmp_path,
                                                                            monkeypatch):
    """The language is read from livingsys.yaml's text before the registry is parsed: a
    settings file with `language: fr` and a syntax error is told so in French, at the same
    place, with the same exit code as in English."""
    monkeypatch.chdir(tmp_path)
    broken = "organisation: Test SARL\nlanguage: fr\nreview: {default_cadence: monthly\n"
    _registry(tmp_path, **{"livingsys.yaml": broken})
    french = cli("lint", "-r", "registry", "--today", TODAY)
    assert french.exit_code == 1
    assert "registry/livingsys.yaml:3:9" in french.output
    assert ("YAML invalide\u00a0: le bloc ouvert ici par '{' n'est pas fermé par '}' (la "
            "lecture s'est arrêtée ligne 4, colonne 1)") in french.output
    english = cli("--lang", "en", "lint", "-r", "registry", "--today", TODAY)
    assert english.exit_code == 1
    assert "registry/livingsys.yaml:3:9" in english.output
    assert ("invalid YAML: the block opened with '{' here is not closed with '}' (the reader "
            "gave up at line 4, column 1)") in english.output
