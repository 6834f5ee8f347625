"""French for `explain` (the decision trace), `diff` (what changed, in words) and the errors
of the history: the same scenario in English and in French, the French a manager sends as is
(whole sentences, 3 500 €, « vrai »), and English unchanged."""

from __future__ import annotations

import json
import re

from conftest import DEMO
from livingsys.conditions.decision import decide, rule_parameters
from livingsys.i18n import use
from livingsys.models.automation import Automation
from livingsys.reading.registry import load_registry

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
