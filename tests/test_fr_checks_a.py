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
                                           "lecture")


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
    assert "ce qu'il contrôle" in out and "lecture" in out
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
    assert fr("Pour corriger : enregistrez le fichier en texte UTF-8") in french


# --- lint ------------------------------------------------------------------------------------

TODAY = "2026-12-02"


def _broken(make_registry):
    """The conftest registry with a missing owner, trigger and daily cap, an expired waiver
    naming no check, and a policy that switches one check off and loosens another."""
    from conftest import MINIMAL

    automation = (MINIMAL["automations/reminders.yaml"]
                  .replace("        owner: b.owner\n", "")
                  .replace("        trigger: Every morning for unpaid invoices\n", "")
                  .replace("          daily_cap: 40\n", "").rstrip(" ")
                  + "        waivers:\n"
                  "          - {check: G099, reason: test, approved_by: t.tech, "
                  "expires: 2026-11-01}\n")
    settings = (MINIMAL["livingsys.yaml"].rstrip(" ")
                + "        policy:\n          checks:\n            G011: off\n"
                "            G014: {days: 10}\n")
    return make_registry({"automations/reminders.yaml": automation,
                          "livingsys.yaml": settings})


def test_lint_in_french(cli, make_registry):
    root = _broken(make_registry)
    result = cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY)
    assert result.exit_code == 1
    out = result.output
    assert ("erreur G002 l'automatisation 'reminders' n'a pas de propriétaire métier  "
            "(business-owner)") in out
    assert fr("pour corriger : mettez dans 'owner:' l'identifiant d'une personne de type business "
              "de people.yaml") in out
    assert ("l'automatisation 'reminders' envoie des messages aux clients mais n'a pas de "
            "plafond de volume quotidien ('daily_cap:')") in out
    assert fr("la dérogation nomme 'G099', qui n'est pas un contrôle — vouliez-vous dire "
              "'G039' ?") in out
    # a date in a sentence is written the French way
    assert "la dérogation à G099 accordée par t.tech a expiré le 1er novembre 2026" in out
    assert fr("gouvernance désactivée (désactivée, abaissée ou assouplie dans la politique de "
              "livingsys.yaml, ou couverte par une dérogation : pas contrôlée comme le demande "
              "l'article)") in out
    assert "G011 désactivé dans la politique" in out
    assert fr("✗ 5 erreurs, 0 avertissement dans 4 fichiers, 1 automatisation (gouvernance "
              "désactivée : G011 désactivé dans la politique ; G014 assoupli dans la "
              "politique : days 30 → 10)") in out


def test_lint_in_english_is_unchanged(cli, make_registry):
    root = _broken(make_registry)
    out = cli("lint", "--registry", root, "--today", TODAY).output
    assert ("error G002 automation 'reminders' has no business owner  (business-owner)"
            in out)
    assert "    fix: set 'owner:' to the id of a person of kind business in people.yaml" in out
    assert "the waiver of G099 approved by t.tech expired on 2026-11-01" in out
    assert ("✗ 5 errors, 0 warnings in 4 files, 1 automation (silenced: G011 off in policy; "
            "G014 loosened in policy: days 30 → 10)") in out


def test_explain_quotes_the_article_in_french(cli, make_registry):
    root = _broken(make_registry)
    out = cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY, "--explain").output
    assert fr("    pourquoi : Article, règle n°2 : « chaque automatisation doit avoir un "
              "propriétaire métier identifié (pas seulement un “technicien”) ».") in out
    english = cli("lint", "--registry", root, "--today", TODAY, "--explain").output
    assert ('    why: Article, rule 2: "every automation must have an identified business '
            "owner (not only a 'technician')\".") in english


def test_a_clean_registry_in_french(cli, make_registry):
    root = make_registry()
    result = cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY)
    assert result.exit_code == 0
    assert "✓ aucun problème dans 4 fichiers, 1 automatisation" in result.output
    assert "✓ 4 files, 1 automation checked: no problems" in cli(
        "lint", "--registry", root, "--today", TODAY).output


def test_one_file_one_warning_is_singular_in_french(make_registry):
    from livingsys.checks.lint import lint
    from livingsys.render.lint_text import summary

    root = make_registry({"automations/reminders.yaml": None})  # no automation left
    use("fr")
    report = lint(root, __import__("datetime").date(2026, 12, 2))
    assert "0 automatisation" in summary(report)  # French: 0 is singular


def test_a_registry_that_speaks_french_lints_in_french(cli, make_registry):
    from conftest import MINIMAL

    root = _broken(make_registry)
    settings = root / "livingsys.yaml"
    settings.write_text("language: fr\n" + settings.read_text("utf-8"), "utf-8")
    out = cli("lint", "--registry", root, "--today", TODAY).output
    assert "l'automatisation 'reminders' n'a pas de propriétaire métier" in out
    assert MINIMAL  # the same scenario as above, chosen by the registry


def test_machine_formats_keep_keys_and_codes_with_french_text(cli, make_registry):
    import json

    root = _broken(make_registry)
    data = json.loads(cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY,
                          "-f", "json").output)
    g002 = next(f for f in data["findings"] if f["code"] == "G002")
    assert g002["severity"] == "error" and g002["name"] == "business-owner"
    assert g002["message"] == "l'automatisation 'reminders' n'a pas de propriétaire métier"
    sarif = json.loads(cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY,
                           "-f", "sarif").output)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["G002"]["shortDescription"]["text"] == (
        "Chaque automatisation a un propriétaire métier identifié")
    assert rules["G002"]["help"]["markdown"].startswith(fr("**Pour corriger :** mettez dans"))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "G002")
    assert result["level"] == "error"
    assert fr("— pour corriger : mettez dans 'owner:'") in result["message"]["text"]
    github = cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY,
                 "-f", "github").output
    assert "::error file=" in github and "title=G002 business-owner::" in github
    assert "title=G011 désactivé::" in github
    concise = cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY,
                  "-f", "concise").output
    # editors' problem matchers read the severity: it stays English
    assert ": error G002 l'automatisation 'reminders' n'a pas de propriétaire métier" in concise


def test_the_report_file_in_french(cli, make_registry, tmp_path):
    root = _broken(make_registry)
    out = tmp_path / "lint.txt"
    cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY, "-o", out)
    text = out.read_text("utf-8")
    assert "erreur G002 l'automatisation 'reminders'" in text
    # a hint's second line stays under its first, after the longer French label
    assert fr("    pour corriger : ") in text


def test_policy_problems_in_french(cli, make_registry):
    from conftest import MINIMAL

    settings = (MINIMAL["livingsys.yaml"].rstrip(" ")
                + "        policy:\n          checks:\n            G014: {days: soon}\n"
                "            G999: off\n")
    root = make_registry({"livingsys.yaml": settings})
    out = cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY).output
    assert ("le paramètre 'days' de G014 doit être un nombre entier, comme 30, et non soon"
            in out)
    assert fr("pour corriger : Combien de jours à l'avance avertir. Par défaut : 30.") in out
    assert "la politique nomme 'G999', qui n'est pas un contrôle" in out
    english = cli("lint", "--registry", root, "--today", TODAY).output
    assert "G014's parameter 'days' should be a whole number, like 30, not soon" in english
    assert "fix: How many days ahead to warn. Default: 30." in english


def test_every_french_example_is_still_yaml():
    """An example's comments and values are translated; what is left must still parse (as
    the English one does)."""
    from ruamel.yaml import YAML

    from livingsys import codes
    from livingsys.checks.base import catalogue

    yaml = YAML(typ="safe")
    yaml.allow_duplicate_keys = True  # G011's example shows two files, each with review:

    def parses(text: str) -> bool:
        try:
            yaml.load(text)
        except Exception:
            return False
        return True

    english = [code for code in catalogue() if code.example and parses(code.example)]
    use("fr")
    french = [codes.get(code.code).example for code in english]
    assert any("dans le fichier de l'automatisation" in e for e in french)
    assert [e for e in french if not parses(e)] == []


def test_a_waiver_for_too_long_in_both_languages(cli, make_registry):
    from conftest import MINIMAL

    automation = (MINIMAL["automations/reminders.yaml"].rstrip(" ")
                  + "        waivers:\n"
                  "          - {check: G010, reason: the channel is being set up, "
                  "approved_by: m.boss, expires: 2099-12-31}\n")
    root = make_registry({"automations/reminders.yaml": automation})
    english = cli("lint", "--registry", root, "--today", TODAY).output
    assert ("the waiver of G010 runs until 2099-12-31, 26692 days from today; the policy "
            "allows at most 180 days") in english
    assert "fix: set 'expires:' on or before 2027-05-31" in english
    french = flat(cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY).output)
    assert fr("la dérogation à G010 court jusqu'au 31 décembre 2099, soit dans 26\u202f692 "
              "jours ; la politique permet au plus 180 jours") in french
    # the date to write in the file stays as YAML writes it
    assert fr("mettez 'expires:' au plus tard au 2027-05-31") in french
