"""French for the checks of conditions, scenarios, rules, figures and drift (issue #13, area
checks_b): the same registry linted in English and in French, English unchanged; condition
errors, amounts and counts as French writes them; the caches keep each language's message."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from livingsys import codes
from livingsys.conditions import ConditionError, compile_condition
from livingsys.conditions.nodes import MAX_LENGTH
from livingsys.i18n import use
from test_cases import TODAY, build, load_cases

NBSP = "\u00a0"
NNBSP = "\u202f"  # what Babel groups French thousands with: 10 001
EXPORTS = Path(__file__).parent / "exports"


def fr(text: str) -> str:
    """``text`` with the no-break spaces French puts before : ; ? ! % and inside « »."""
    return (text.replace(" :", NBSP + ":").replace(" ;", NBSP + ";")
            .replace(" ?", NBSP + "?").replace(" !", NBSP + "!").replace(" %", NBSP + "%")
            .replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))


def flat(text: str) -> str:
    return re.sub(r"[ \n]+", " ", text)


CASES = {case.id: case for case in load_cases()}


def lint(cli, tmp_path: Path, case_id: str, *lang: str) -> list[dict]:
    """The findings of lint --format json on a case of tests/cases, in the language asked."""
    root = build(CASES[case_id], tmp_path / "-".join(lang or ("en",)))
    result = cli(*lang, "lint", "-r", str(root), "--format", "json", "--today", TODAY)
    assert "Traceback" not in result.output
    return json.loads(result.output)["findings"]


def messages(findings: list[dict], code: str) -> list[str]:
    return [f["message"] for f in findings if f["code"] == code]


def both(cli, tmp_path: Path, case_id: str, code: str) -> tuple[list[str], list[str]]:
    """The messages of ``code`` lint gives for a case, in English then in French."""
    return (messages(lint(cli, tmp_path, case_id), code),
            messages(lint(cli, tmp_path, case_id, "--lang", "fr"), code))


# --- condition errors (C001-C004, C012) -------------------------------------------------


def test_an_undeclared_fact_in_both_languages(cli, tmp_path):
    english = lint(cli, tmp_path, "C002-undeclared-fact")
    french = lint(cli, tmp_path, "C002-undeclared-fact", "--lang", "fr")
    assert messages(english, "C002") == [
        "rule 'remind': 'amout_due' is not a declared fact of this automation"]
    assert messages(french, "C002") == [
        fr("règle 'remind' : 'amout_due' n'est pas une donnée déclarée de cette automatisation")]
    # the same place in the file, whatever the language
    assert [(f["line"], f["col"]) for f in english] == [(f["line"], f["col"]) for f in french]


def test_a_type_mismatch_in_french_keeps_the_condition_as_written(cli, tmp_path):
    french = lint(cli, tmp_path, "C003-int-compared-with-text", "--lang", "fr")
    [message] = messages(french, "C003")
    assert message.startswith(fr("règle 'remind' : impossible de comparer 'days_without_reply' ("))
    assert "avec '7' (" in message


def test_a_function_call_and_its_hint_in_french(cli, tmp_path):
    [finding] = [f for f in lint(cli, tmp_path, "C004-function-call", "--lang", "fr")
                 if f["code"] == "C004"]
    assert finding["message"] == fr(
        "exception 'big' : 'abs(...)' : les conditions ne peuvent pas appeler de fonctions")
    assert finding["hint"] == fr(
        "Comparez plutôt des données à des valeurs, par exemple amount_due > 100 ; les tests sur "
        "les textes sont x.startsWith('..'), x.endsWith('..') et x.contains('..').")


def test_a_condition_too_long_counts_its_characters_the_french_way():
    text = "a" * (MAX_LENGTH + 1)
    with pytest.raises(ConditionError) as english:
        compile_condition(text, {"a": "bool"})
    assert english.value.message == (
        f"the condition is too long: {MAX_LENGTH + 1:,} characters, at most {MAX_LENGTH:,} are "
        "allowed")
    use("fr")
    with pytest.raises(ConditionError) as french:
        compile_condition(text, {"a": "bool"})
    assert french.value.message == fr(
        f"la condition est trop longue : 2{NNBSP}001 caractères, 2{NNBSP}000 au maximum sont "
        "permis")


def test_the_caches_give_each_language_its_own_message():
    """parse, lark_parse and _compile cache what they find, Problems included: a condition
    refused in English, then in French, then in English again, is refused in each one's words
    (and compiling twice in one language is still a cache hit)."""
    from livingsys.conditions import condition

    text = "amount_due > 'x' || amount_due == ''"
    facts = {"amount_due": "number"}
    said = []
    for language in ("en", "fr", "en", "fr"):
        use(language)
        with pytest.raises(ConditionError) as error:
            compile_condition(text, facts)
        said.append(error.value.message)
    assert said[0] == said[2] == (
        "cannot compare 'amount_due' (a number) with 'x' (a text)")
    assert said[1] == said[3] and said[1].startswith("impossible de comparer 'amount_due' (")
    hits = condition._compile.cache_info().hits
    compile_condition("amount_due > 1", facts)
    compile_condition("amount_due > 1", facts)
    assert condition._compile.cache_info().hits == hits + 1


# --- scenarios and example cases (C006-C011) --------------------------------------------


def test_contradicting_rules_show_their_example_in_euros(cli, tmp_path):
    [english], [french] = both(cli, tmp_path, "C008-contradicting-rules", "C008")
    assert english == (
        "rules 'remind' and 'firm-reminder' both apply to the same case with different actions "
        "(send-standard-reminder, send-firm-reminder), e.g. days_without_reply = 15 days, "
        "amount_due = 1200 EUR")
    assert french == (
        "les règles 'remind' et 'firm-reminder' s'appliquent toutes les deux au même cas avec des "
        "actions différentes (send-standard-reminder, send-firm-reminder), par exemple "
        f"days_without_reply = 15{NBSP}days, amount_due = 1{NNBSP}200{NBSP}€")


def test_an_exception_that_never_holds_counts_the_cases_tried(cli, tmp_path):
    [english], [french] = both(cli, tmp_path, "C009-exception-never-holds", "C009")
    tried = re.search(r"in all (\d+) example cases", english)
    assert tried and int(tried.group(1)) > 1
    assert french == fr(
        f"l'exception 'big' ne s'applique jamais : sa condition est fausse dans les "
        f"{tried.group(1)} cas d'exemple essayés, construits à partir des valeurs qu'elle "
        "compare")


def test_a_scenario_whose_outcome_differs_in_french(cli, tmp_path):
    [finding] = [f for f in lint(cli, tmp_path, "C007-outcome-differs", "--lang", "fr")
                 if f["code"] == "C007"]
    assert finding["message"].startswith("le scénario '8 days, exactly 5,000 EUR due")
    assert fr("attend needs_validation par b.owner (règles : remind), mais les règles donnent "
              "needs_validation par m.boss (exception 'big' ; règles : aucune)"
              ) in finding["message"]
    assert finding["hint"].startswith(fr(
        "si les règles ont changé volontairement, mettez à jour le 'expect:' du scénario ; sinon "
        "corrigez la règle ou l'exception. Ce que décident les règles pour ce cas :\n"))
    # the outcome's values (needs_validation) and the people's ids stay as the registry says


def test_coverage_findings_name_the_rule_or_the_exception(cli, tmp_path):
    english, french = both(cli, tmp_path, "C011-exception-without-when", "C011")
    assert english == [
        "exception 'big' has no 'when': neither lint nor the scenarios can check it"]
    assert french == [
        fr("l'exception 'big' n'a pas de 'when' : ni lint ni les scénarios ne peuvent la "
           "vérifier")]


# --- business rules (G007, G008) ------------------------------------------------------------


def test_no_exception_in_french_agrees_with_its_number(cli, tmp_path):
    english, french = both(cli, tmp_path, "G008-no-exceptions", "G008")
    assert english == [
        "automation 'reminders' defines 0 exception(s); at least 1 expected"]
    assert french == [
        fr("l'automatisation 'reminders' définit 0 exception ; il en faut au moins 1")]


def test_too_many_exceptions_in_french(cli, tmp_path):
    [english], [french] = both(cli, tmp_path, "G008-too-many-exceptions", "G008")
    n = re.search(r"defines (\d+) exceptions; at most 3$", english)
    assert n, english
    assert french == fr(f"l'automatisation 'reminders' définit {n.group(1)} exceptions ; 3 au "
                        "maximum")


# --- the catalogue: `livingsys rules` --------------------------------------------------------


def test_rules_c002_quotes_the_article_in_french(cli):
    english = flat(cli("rules", "C002").output)
    assert "Conditions use only declared facts" in english
    assert ('Article, symptom: "nobody can explain precisely when and why an automation '
            'fires"') in english
    french = flat(cli("--lang", "fr", "rules", "C002").output)
    assert "Les conditions n'utilisent que des données déclarées" in french
    assert fr("« Personne ne sait expliquer précisément quand et pourquoi une automatisation "
              "se déclenche »") in french
    assert fr("« Vérifiez que chaque règle si… alors… est bien traduite dans les "
              "automatisations »") in french


def test_rule_3_is_quoted_word_for_word_in_french():
    use("fr")
    code = codes.translated(codes.get("C013"))
    assert fr("Règle n°3 : « toute modification de règle métier clé doit déclencher une revue "
              "des automatisations concernées »") in code.rationale
    assert "(3 000 €)" in code.rationale


# --- drift -----------------------------------------------------------------------------------


@pytest.fixture
def linked(cli, make_registry, tmp_path):
    """A registry whose two reminder automations are imported from an n8n and a Make export
    (the repository's top folder is tmp_path)."""
    root = make_registry()
    (tmp_path / "exports").mkdir()
    for name, automation in (("n8n-reminders-if-v2.json", "n8n-reminders"),
                             ("make-reminders.json", "make-reminders")):
        shutil.copy(EXPORTS / name, tmp_path / "exports" / name)
        kind = name.split("-", 1)[0]
        result = cli("import", kind, str(tmp_path / "exports" / name), "-r", str(root),
                     "--id", automation)
        assert result.exit_code == 0, result.output
    return root, tmp_path / "exports"


def test_drift_in_sync_in_both_languages(cli, linked):
    root, _exports = linked
    english = cli("drift", "-r", str(root))
    french = cli("--lang", "fr", "drift", "-r", str(root))
    assert english.exit_code == french.exit_code == 0
    assert english.output.strip() == "in sync: 2 automations compared with their export"
    assert french.output.strip() == fr("en phase : 2 automatisations comparées à leur export")
    one = cli("--lang", "fr", "drift", "-r", str(root), "make-reminders")
    assert one.output.strip() == fr("en phase : 1 automatisation comparée à son export")


def test_drift_differences_are_counted_in_french(cli, linked):
    root, exports = linked
    make = exports / "make-reminders.json"
    make.write_text(make.read_text("utf-8").replace(
        '"o": "number:greater", "b": "5000"', '"o": "number:greater", "b": "6000"', 1), "utf-8")
    english = cli("drift", "-r", str(root))
    french = cli("--lang", "fr", "drift", "-r", str(root))
    assert english.exit_code == french.exit_code == 1
    assert english.output.rstrip().endswith(
        "1 difference: 2 automations compared with their export")
    assert french.output.rstrip().endswith(
        fr("1 écart : 2 automatisations comparées à leur export"))
    assert "    fix: decide which value is right" in english.output
    assert fr("    pour corriger : décidez quelle valeur est la bonne") in french.output
    # the machine formats keep their keys and codes
    data = json.loads(cli("--lang", "fr", "drift", "-r", str(root), "--format", "json").output)
    assert data["summary"] == fr("1 écart : 2 automatisations comparées à leur export")
    assert [f["code"] for f in data["findings"]] == ["D006"]
    # the tool's own names (its filter, its module) stay as the export says
    assert data["findings"][0]["message"].startswith(fr(
        "Make filter 'Over the threshold' on module 3 compare amount_due > 6000 ; le registre "
        "dit amount_due > 5000 (règle over-the-threshold)"))


def test_drift_of_an_unknown_automation_says_so_in_french(cli, linked):
    root, _exports = linked
    result = cli("--lang", "fr", "drift", "-r", str(root), "make-reminder")
    assert result.exit_code == 2
    assert fr("il n'y a pas d'automatisation 'make-reminder' — vouliez-vous dire "
              "'make-reminders' ?") in flat(result.output)
    english = cli("drift", "-r", str(root), "make-reminder")
    assert "there is no automation 'make-reminder' — did you mean 'make-reminders'?" in \
        flat(english.output)


def test_review_due_gives_drift_as_a_reason_in_french(cli, linked):
    root, exports = linked
    make = exports / "make-reminders.json"
    make.write_text(make.read_text("utf-8").replace(
        '"o": "number:greater", "b": "5000"', '"o": "number:greater", "b": "6000"', 1), "utf-8")
    english = flat(cli("review-due", "-r", str(root), "--no-history").output)
    french = flat(cli("--lang", "fr", "review-due", "-r", str(root), "--no-history").output)
    assert ("the Make export differs from the registry (1 difference: `livingsys drift`)"
            in english)
    assert fr("l'export Make diffère du registre (1 écart : `livingsys drift`)") in french


def test_a_rule_contradicting_several_earlier_ones_in_french(cli, make_registry):
    from test_condition_checks import HEAD, _overlapping_rules, registry

    root = registry(make_registry, HEAD + _overlapping_rules(5))
    english, french = (
        messages(json.loads(cli(*lang, "lint", "-r", str(root), "--format", "json").output)[
            "findings"], "C008") for lang in ((), ("--lang", "fr")))
    assert english[2] == (
        "rule 'r3' (act-3) applies to the same cases as 3 earlier rules with other actions: "
        "'r0' (act-0), 'r1' (act-1), 'r2' (act-2), e.g. days = 3 days")
    assert french[2] == fr(
        "la règle 'r3' (act-3) s'applique aux mêmes cas que 3 règles précédentes aux actions "
        f"différentes : 'r0' (act-0), 'r1' (act-1), 'r2' (act-2), par exemple days = 3{NBSP}days")
    assert french[3].endswith(fr(
        f": 'r0' (act-0), 'r1' (act-1), 'r2' (act-2) et 1 de plus, par exemple days = 4{NBSP}days"))


def test_a_key_automation_without_recent_figures_in_french(cli, tmp_path):
    [english], [french] = both(cli, tmp_path, "G033-key-automation-silent", "G033")
    assert english == (
        "key automation 'reminders' has no figures since 2026-07: 3 complete months without any "
        "(2026-08 to 2026-10), more than the 2 allowed")
    assert french == fr(
        "l'automatisation clé 'reminders' n'a plus de chiffres depuis 2026-07 : 3 mois complets "
        "sans aucun (2026-08 à 2026-10), plus que les 2 permis")
