"""French for the checks' catalogue and lint's output (issue #13, area checks_a): the same
scenario in English and in French, English unchanged."""

from __future__ import annotations

import re

from livingsys import codes
from livingsys.i18n import use

NBSP = "\u00a0"


def fr(text: str) -> str:
    """``text`` with the no-break spaces French puts before : ; ? ! % and inside « »."""
    return (text.replace(" :", NBSP + ":").replace(" ;", NBSP + ";")
            .replace(" ?", NBSP + "?").replace(" !", NBSP + "!").replace(" %", NBSP + "%")
            .replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))


def flat(text: str) -> str:
    """``text`` on one line (rich wraps at 80 columns), its no-break spaces kept."""
    return re.sub(r"[ \n]+", " ", text)


# --- a code's metadata in the language spoken ----------------------------------------------


def test_a_code_is_itself_in_english():
    code = codes.get("Y002")
    assert codes.translated(code) is code
    assert code.title == "The file is not valid YAML"


def test_a_code_reads_french_when_french_is_spoken():
    use("fr")
    code = codes.get("Y002")
    assert code.title == "Le fichier n'est pas du YAML valide"
    assert code.hint == fr("corrigez la ligne indiquée : indentation, ':' manquant, guillemet "
                           "ou crochet non fermé")
    assert code.code == "Y002" and code.name == "yaml-syntax"  # codes and names never change
    use("en")
    assert codes.get("Y002").title == "The file is not valid YAML"


def test_a_readers_finding_gets_the_default_hint_in_french():
    use("fr")
    finding = codes.finding("Y010", "tab", "a.yaml")
    assert finding.hint == "remplacez les tabulations par des espaces"
    assert codes.finding("Y010", "tab", "a.yaml", hint="own hint").hint == "own hint"


def test_kinds_severities_and_groups_in_both_languages():
    from livingsys.findings import Severity

    assert (codes.kind("governance"), codes.severity_name(Severity.WARNING),
            codes.group_name("input")) == ("a governance check", "warning", "input")
    use("fr")
    assert (codes.kind("governance"), codes.severity_name(Severity.WARNING),
            codes.group_name("input")) == ("un contrôle de gouvernance", "avertissement",
                                           "lecture des fichiers")


def test_the_article_is_quoted_in_its_own_words():
    use("fr")
    rationale = codes.get("I001").rationale
    assert fr("« L’important est de voir les tendances et non chaque détail »") in rationale


# --- livingsys rules -------------------------------------------------------------------------


def test_rules_page_in_french(cli):
    result = cli("--lang", "fr", "rules", "I003")
    assert result.exit_code == 0
    out = flat(result.output)
    assert fr("gravité : erreur groupe : format") in out
    assert "Comment corriger utilisez l'identifiant de l'automatisation" in out
    assert fr("Les problèmes de fichier et de format ne peuvent être ni désactivés ni couverts "
              "par une dérogation.") in out


def test_rules_page_in_english_is_unchanged(cli):
    out = flat(cli("rules", "I003").output)
    assert "severity: error group: schema" in out
    assert "How to fix use the automation's id, as in automations/<id>.yaml" in out
    assert "File and format problems cannot be switched off or waived." in out


def test_rules_table_in_french(cli):
    out = cli("--lang", "fr", "rules").output
    assert "ce qu'il contrôle" in out and "lecture des fichiers" in out
    assert "`livingsys rules CODE` explique un contrôle en détail." in flat(out)


def test_an_unknown_check_is_told_in_french(cli):
    result = cli("--lang", "fr", "rules", "Y0022")
    assert result.exit_code == 2
    assert "il n'y a pas de contrôle 'Y0022'" in result.output


def test_docs_in_french_and_english(cli):
    from pathlib import Path

    english = cli("rules", "--format", "docs").output
    assert english == (Path(__file__).parent.parent / "docs" / "checks.md").read_text("utf-8")
    french = cli("--lang", "fr", "rules", "--format", "docs").output
    assert "## Fichiers illisibles" in french
    assert "# Contrôles\n" in french
    assert fr("Correction : enregistrez le fichier en texte UTF-8") in french
