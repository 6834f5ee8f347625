"""French for `explain` (the decision trace), `diff` (what changed, in words) and the errors
of the history: the same scenario in English and in French, the French a manager sends as is
(whole sentences, 3 500 €, « vrai »), and English unchanged."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import DEMO
from livingsys.conditions.decision import decide, rule_parameters
from livingsys.i18n import use
from livingsys.models.automation import Automation
from livingsys.reading.registry import load_registry
from registryrepo import NATHALIE, company, incident, minutes, registry, reminders, threshold_rule

NBSP = "\u00a0"
NNBSP = "\u202f"  # CLDR's thousands separator for French

CASE_3500 = ["-c", "days_without_reply=8,amount_due=3500,in_dispute=false,reminders_sent=0"]
CASE_2500 = ["-c", "days_without_reply=8,amount_due=2500,in_dispute=false,reminders_sent=0"]


def flat(text: str) -> str:
    """The output on one line, as a person reads it (the terminal wraps long lines; the
    no-break spaces stay)."""
    return re.sub(r"[ \n]+", " ", text)


def explain(cli, *args: str, lang: str | None = None):
    options = ["--lang", lang] if lang else []
    result = cli(*options, "explain", "payment-reminders", *args, "-r", DEMO)
    assert "Traceback" not in result.output
    return result


# --------------------------------------------------------------------------------------------
# explain


def test_the_trace_over_the_threshold_in_french(cli):
    result = explain(cli, *CASE_3500, lang="fr")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert (f"Cas{NBSP}: days_without_reply = 8{NBSP}days, amount_due = 3{NNBSP}500{NBSP}€, "
            "in_dispute = faux, reminders_sent = 0") in out
    assert "✗ remind-after-7-days — ne s'applique pas" in out
    assert "Exceptions (elles priment sur les règles)" in out
    assert ("✓ over-threshold — s'applique → pris en charge par Nathalie Lefebvre (Finance "
            "manager)") in out
    # the comparisons read in words, the shared rule's value followed to its rule
    assert (f"days_without_reply >= 7{NBSP}: 8{NBSP}days est au moins égal à 7{NBSP}days "
            "→ vrai") in out
    assert (f"amount_due <= rules.manager_validation_threshold.amount_threshold_eur{NBSP}: "
            f"3{NNBSP}500{NBSP}€ ne dépasse pas 3{NNBSP}000{NBSP}€ (règle métier partagée "
            "'manager-validation-threshold') → faux") in out
    assert (f"3{NNBSP}500{NBSP}€ dépasse 3{NNBSP}000{NBSP}€ (règle métier partagée "
            "'manager-validation-threshold') → vrai") in out
    assert "in_dispute = faux" in out
    assert (f"Validation humaine des cas d'exception{NBSP}: le cas attend Nathalie Lefebvre "
            "(Finance manager).") in out
    assert "Signalement de l'exception dans #finance, à Nathalie Lefebvre" in out
    assert (f"Résultat{NBSP}: Aucune action automatique{NBSP}: Nathalie Lefebvre (Finance "
            "manager) doit valider (exception 'over-threshold').") in out
    for english in ("does not apply", "handled by", "Outcome", "Guardrails", " true", "false"):
        assert english not in out


def test_the_same_case_in_english_is_unchanged(cli):
    out = flat(explain(cli, *CASE_3500).output)
    assert ("Case: days_without_reply = 8 days, amount_due = 3500 EUR, in_dispute = false, "
            "reminders_sent = 0") in out
    assert ("amount_due <= rules.manager_validation_threshold.amount_threshold_eur: "
            "3500 <= 3000 → false") in out
    assert "days_without_reply >= 7: 8 >= 7 → true" in out
    assert ("Outcome: No automatic action: Nathalie Lefebvre (Finance manager) must validate "
            "(exception 'over-threshold').") in out


def test_below_the_threshold_goes_out_automatically_in_french(cli):
    out = flat(explain(cli, *CASE_2500, lang="fr").output)
    assert (f"2{NNBSP}500{NBSP}€ ne dépasse pas 3{NNBSP}000{NBSP}€ (règle métier partagée "
            "'manager-validation-threshold') → vrai") in out
    assert (f"Plafond quotidien{NBSP}: au plus 40 actions par jour (volume du jour non "
            "indiqué, donc non vérifié).") in out
    assert (f"Résultat{NBSP}: Automatique{NBSP}: la règle 'remind-after-7-days' s'applique "
            "(send-standard-reminder), sans validation humaine.") in out


def test_the_json_keeps_its_keys_and_codes_with_french_sentences(cli):
    result = explain(cli, *CASE_3500, "-f", "json", lang="fr")
    data = json.loads(result.output)
    assert data["outcome"] == "needs_validation" and data["exception"] == "over-threshold"
    assert data["rules"][0]["verdict"] == "ne s'applique pas"
    assert data["summary"] == (f"Aucune action automatique{NBSP}: Nathalie Lefebvre (Finance "
                               "manager) doit valider (exception 'over-threshold').")
    assert data["trace"][0].startswith(f"Cas{NBSP}: days_without_reply = 8")
    assert f"Règle 'remind-after-7-days'{NBSP}: ne s'applique pas." in data["trace"]


def test_a_wrong_case_is_refused_in_french(cli):
    result = explain(cli, "-c", "days_without_reply=8,amont_due=3500", lang="fr")
    assert result.exit_code == 2
    out = flat(result.output)
    assert "'amont_due' n'est pas une donnée de l'automatisation 'payment-reminders'" in out
    assert f"Vouliez-vous dire 'amount_due'{NBSP}?" in out
    result = explain(cli, "-c", "days_without_reply", lang="fr")
    assert result.exit_code == 2
    assert ("--case 'days_without_reply' n'est pas de la forme donnée=valeur"
            in flat(result.output))
    missing = explain(cli, "-c", "days_without_reply=8", lang="fr")
    assert missing.exit_code == 2
    assert "le cas ne donne aucune valeur pour" in flat(missing.output)
    assert "que les conditions utilisent" in flat(missing.output)


def _reminders(**overrides) -> Automation:
    data = {
        "id": "reminders", "name": "Reminders",
        "facts": [{"name": "days", "type": "int", "unit": "days"},
                  {"name": "amount", "type": "number", "unit": "EUR"}],
        "steps": [{"id": "send", "kind": "automatic", "does": "Send it"}],
        "rules": [{"id": "remind", "if": "7 days", "then": "remind", "when": "days >= 7",
                   "action": "send-reminder"},
                  {"id": "later", "if": "later", "then": "remind", "when": "days >= 14",
                   "action": "send-reminder"}],
        "guardrails": {"daily_cap": 40},
    }
    data.update(overrides)
    return Automation.model_validate(data)


def test_the_daily_cap_on_each_side_in_french():
    use("fr")
    below = decide(_reminders(), {"days": 15, "amount": 100.0, "volume_today": 39})
    assert below.outcome == "automatic"
    assert below.guardrails[0].text == (f"Plafond quotidien{NBSP}: au plus 40 actions par "
                                        f"jour{NBSP}; 39 faites jusqu'ici aujourd'hui.")
    # two rules apply: the plural form, and 'et' between their names
    assert below.summary == (f"Automatique{NBSP}: les règles 'remind' et 'later' "
                             "s'appliquent (send-reminder), sans validation humaine.")
    reached = decide(_reminders(), {"days": 8, "amount": 100.0, "volume_today": 40})
    assert reached.outcome == "blocked"
    assert reached.summary.startswith(f"Bloqué{NBSP}: le plafond quotidien de 40 actions est "
                                      f"atteint (40 aujourd'hui){NBSP}; la règle 'remind' "
                                      "s'applique")


def test_a_paused_automation_gives_its_date_the_french_way():
    use("fr")
    decision = decide(_reminders(status="paused", status_reason="bug",
                                 status_since="2026-11-03"), {"days": 8, "amount": 1.0})
    assert (f"L'automatisation est à l'état paused depuis le 3 novembre 2026{NBSP}: rien ne "
            "tourne en ce moment") in decision.notes[0]
    use("en")
    decision = decide(_reminders(status="paused", status_since="2026-11-03"),
                      {"days": 8, "amount": 1.0})
    assert "paused since 2026-11-03: nothing runs now" in decision.notes[0]


def test_a_missing_value_and_a_decimal_value_in_french():
    use("fr")
    automation = _reminders(rules=[{"id": "big", "if": "big", "then": "x",
                                    "when": "amount > 2.5", "action": "a"}])
    decision = decide(automation, {"days": 8})
    assert decision.outcome == "incomplete"
    assert decision.summary == (f"Décision impossible{NBSP}: aucune des règles vérifiées ne "
                                "s'applique, mais la règle 'big' est en suspens (impossible à "
                                f"vérifier{NBSP}: aucune valeur pour amount).")
    decision = decide(automation, {"days": 8, "amount": 2.75})
    assert decision.rules[0].details() == [
        f"amount > 2.5{NBSP}: 2,75{NBSP}€ dépasse 2,5{NBSP}€ → vrai"]


def test_the_shared_rules_parameters_in_french():
    registry = load_registry(DEMO)
    automation = registry.automation("payment-reminders").model
    use("fr")
    decision = decide(automation, {"days_without_reply": 8, "amount_due": 3000.0,
                                   "in_dispute": False, "reminders_sent": 0},
                      parameters=rule_parameters(automation, registry.shared_rules))
    assert decision.trace[1] == (f"Règles métier partagées{NBSP}: "
                                 "rules.manager_validation_threshold.amount_threshold_eur = "
                                 f"3{NNBSP}000 (règle 'manager-validation-threshold').")
    # exactly at the threshold: 'over 3,000' does not hold, the reminder goes out
    assert decision.outcome == "automatic"


# --------------------------------------------------------------------------------------------
# diff, and the errors of the history


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def threshold_history(tmp_path):
    """A registry whose shared rule goes from 5,000 to 3,000 EUR, and whose reminders gain a
    daily cap of 20, an incident and the minutes of a review."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders(),
                              "rules/threshold.yaml": threshold_rule()})
    first = repo.head()
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000))
    repo.write("registry/automations/reminders.yaml", reminders(cap=20))
    repo.write("registry/incidents/2024-01-12-twice.yaml", incident("2024-01-12"))
    repo.write("registry/reviews/2024-01-13.yaml", minutes("2024-01-13"))
    repo.commit("Threshold 3,000; daily cap 20; an incident; minutes", author=NATHALIE)
    return repo, first


def diff(cli, repo, *args: str, lang: str | None = None):
    options = ["--lang", lang] if lang else []
    result = cli(*options, "diff", *args, "-r", registry(repo))
    assert "Traceback" not in result.output
    return result


@needs_git
def test_what_changed_in_french_sentences(cli, threshold_history):
    repo, first = threshold_history
    result = diff(cli, repo, f"{first}..HEAD", lang="fr")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert out.startswith("Modifications de ")
    assert "rules/threshold.yaml (règle métier partagée (règle clé))" in out
    assert "• paramètre 'amount_threshold_eur' passe de 5000 à 3000" in out
    assert (f"utilisée par reminders{NBSP}: `livingsys review-due` les met à revoir (règle "
            "n°3)") in out
    assert "• garde-fou 'plafond quotidien' passe de 40 par jour à 20 par jour" in out
    # a whole file added: its summary, its date the French way
    assert (f"incident du 12 janvier 2024 sur reminders (medium){NBSP}: Reminder sent for an "
            "invoice already paid") in out
    assert f"compte rendu de la revue du 13 janvier 2024{NBSP}: reminders" in out
    assert "(incident, ajouté)" in out
    for english in ("changed from", "Changes in", "used by", "minutes of the review"):
        assert english not in out


@needs_git
def test_the_same_diff_in_english_is_unchanged(cli, threshold_history):
    repo, first = threshold_history
    out = flat(diff(cli, repo, f"{first}..HEAD").output)
    assert out.startswith("Changes in ")
    assert "• parameter 'amount_threshold_eur' changed from 5000 to 3000" in out
    assert "• guardrail 'daily cap' changed from 40 per day to 20 per day" in out
    assert "incident of 2024-01-12 on reminders (medium): Reminder sent" in out
    assert ("used by reminders: `livingsys review-due` lists them for review (rule 3)"
            in out)


@needs_git
def test_the_json_of_diff_keeps_its_keys_with_french_descriptions(cli, threshold_history):
    repo, first = threshold_history
    result = diff(cli, repo, f"{first}..HEAD", "-f", "json", lang="fr")
    data = json.loads(result.stdout)
    [rule] = [f for f in data["files"] if f["kind"] == "rule"]
    change = next(c for c in rule["changes"] if c["field"] == "parameters.amount_threshold_eur")
    assert change["area"] == "shared_rule" and change["kind"] == "changed"
    assert change["description"] == ("règle métier partagée 'threshold'" + NBSP
                                     + ": paramètre 'amount_threshold_eur' passe de 5000 à 3000")


def test_a_long_text_shows_what_differs_in_french():
    from livingsys.history.semantic_diff import Change, describe_change, shared_rule_prefix

    old = "If the amount due to us by a client is over 5,000 EUR, the finance manager validates"
    new = old.replace("5,000", "3,000")
    change = Change("shared_rule", "changed", item="x", field="statement", old=old, new=new)
    english = describe_change(change, shared_rule_prefix("x"))
    assert english == ("statement changed: “…to us by a client is over 5,000 EUR, the finance "
                       "manager…” → “…to us by a client is over 3,000 EUR, the finance "
                       "manager…”")
    use("fr")
    french = describe_change(change, shared_rule_prefix("x"))
    assert french == (f"énoncé passe de «{NBSP}…to us by a client is over 5,000 EUR, the "
                      f"finance manager…{NBSP}» à «{NBSP}…to us by a client is over 3,000 "
                      f"EUR, the finance manager…{NBSP}»")
    # review-due's callers may still give the English prefix: it is left out too
    assert describe_change(change, "shared rule 'x': ") == french
    # 70 characters or less: the whole texts
    short = Change("shared_rule", "changed", item="x", field="statement", old="a" * 70,
                   new="b" * 70)
    assert describe_change(short) == (f"règle métier partagée 'x'{NBSP}: énoncé passe de "
                                      f"'{'a' * 70}' à '{'b' * 70}'")


def test_items_added_and_removed_agree_in_french():
    from livingsys.history.semantic_diff import diff_automation

    use("fr")
    old = {"id": "a", "rules": [{"id": "r1", "if": "x", "then": "y"}],
           "scenarios": [{"name": "s1", "given": {"n": 1}}]}
    new = {"id": "a", "rules": [], "scenarios": [{"name": "s2", "given": {"n": True}}],
           "steps": [{"id": "send", "kind": "automatic", "does": "Send it"}]}
    words = [c.describe() for c in diff_automation(old, new)]
    assert f"règle 'r1' supprimée (c'était{NBSP}: si x, alors y)" in words
    assert f"scénario 's2' ajouté{NBSP}: {{n: oui}}" in words
    assert f"étape 'send' ajoutée{NBSP}: étape automatic{NBSP}: Send it" in words


@needs_git
def test_not_a_git_repository_in_french(cli, tmp_path):
    root = tmp_path / "registry"
    shutil.copytree(DEMO, root)
    result = cli("--lang", "fr", "diff", "-r", root)
    assert result.exit_code == 2
    out = flat(result.output)
    assert (f"erreur{NBSP}: le registre '{root.resolve()}' n'est pas dans un dépôt git{NBSP}: "
            "son historique ne peut donc pas être lu") in out
    assert "lancez `git init` dans le dossier du registre" in out
    english = flat(cli("diff", "-r", root).output)
    assert "is not in a git repository, so its history cannot be read" in english


@needs_git
def test_a_shallow_clone_and_an_unknown_commit_in_french(cli, threshold_history, tmp_path):
    repo, first = threshold_history
    result = diff(cli, repo, "nosuchcommit..HEAD", lang="fr")
    assert result.exit_code == 2
    assert "le commit 'nosuchcommit' n'est pas dans l'historique de ce dépôt" in flat(
        result.output)
    from livingsys.history.errors import shallow_error

    use("fr")
    error = shallow_error()
    assert error.message.startswith(f"ce dépôt est un clone partiel (shallow){NBSP}: seuls "
                                    "les derniers commits sont là")
    assert error.hint.startswith(f"récupérez tout l'historique{NBSP}: lancez "
                                 "`git fetch --unshallow`")
    assert error.kind == "shallow"


@needs_git
def test_three_dots_are_refused_in_french(cli, threshold_history):
    repo, _first = threshold_history
    result = diff(cli, repo, "A...B", lang="fr")
    assert result.exit_code == 2
    assert f"'A...B'{NBSP}: les trois points (A...B) ne sont pas acceptés" in flat(result.output)


# --------------------------------------------------------------------------------------------
# values typed for a case, condition hints, the drawn flow


def test_a_value_of_the_wrong_kind_in_french(cli):
    result = explain(cli, "-c", "days_without_reply=8,amount_due=2,500,in_dispute=false",
                     "-c", "reminders_sent=0", lang="fr")
    assert result.exit_code == 2
    out = flat(result.output)
    assert "'2,500' n'est pas un nombre pour la donnée amount_due (EUR)" in out
    assert (f"'2,500' est ambigu (une virgule entre les milliers, ou une virgule décimale){NBSP}"
            ": écrivez 2500 ou 2.5, sans virgule.") in out
    result = explain(cli, "-c", "days_without_reply=8,amount_due=1,in_dispute=peut-être",
                     "-c", "reminders_sent=0", lang="fr")
    assert "'peut-être' n'est ni true ni false pour la donnée in_dispute" in flat(result.output)
    english = flat(explain(cli, "-c", "days_without_reply=8,amount_due=2,500,in_dispute=false",
                           "-c", "reminders_sent=0").output)
    assert "'2,500' is not a number for fact amount_due (EUR)" in english


def test_a_condition_hint_in_french():
    from livingsys.conditions.values import FactSpec
    from livingsys.conditions.wording import undeclared_hint

    facts = {"amount_due": FactSpec("amount_due", "number", "EUR")}
    use("fr")
    assert undeclared_hint("amount_du", facts) == (
        f"Vouliez-vous dire 'amount_due'{NBSP}? Données déclarées{NBSP}: amount_due.")
    assert undeclared_hint("TRUE", facts) == "Écrivez true en minuscules."


def test_the_drawn_flow_in_french(cli):
    result = cli("--lang", "fr", "graph", "payment-reminders", "-f", "markdown", "-r", DEMO)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"propriétaire{NBSP}: " in out and f"périmètre{NBSP}: extended" in out
    assert "🛡️ Garde-fous<br/>" in out
    assert "validation humaine des cas d'exception par" in out
    assert "au plus 40 par jour" in out
    assert "<small>pris en charge par " in out
    assert f"Légende{NBSP}: ⚙️ automatique · 👤 humaine · 🤖 IA" in out
    english = cli("graph", "payment-reminders", "-f", "markdown", "-r", DEMO).output
    assert "🛡️ Guardrails<br/>" in english and "Legend: ⚙️ automatic" in english


def test_the_flow_said_for_a_screen_reader_in_french():
    from livingsys.render.graph import summary

    registry = load_registry(DEMO)
    automation = registry.automation("payment-reminders").model
    use("fr")
    said = summary(automation, registry.people)
    assert said.startswith("Déroulé de Payment reminders for unpaid invoices. Point de "
                           f"départ{NBSP}: ")
    steps = len(automation.steps)
    assert f". {steps} étapes (" in said
    assert "prend le relais" in said
