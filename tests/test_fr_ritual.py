"""The review ritual in French: `review-due` and `agenda` (text, Markdown, ics) say the same
things in both languages, French dates and numbers in French, the article's three questions in
its own words; machine formats keep their keys and codes.

Each scenario is run twice, in English (unchanged) and with `--lang fr` or `language: fr`."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import DEMO
from gitrepo import GitRepo
from registryrepo import company, incident, minutes, registry, reminders, threshold_rule

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NBSP = "\u00a0"
AS_OF = "2024-02-01"


def fr(text: str) -> str:
    """French typography as the catalog writes it: a no-break space before : ; ? ! % » and
    after «."""
    for sign in ":;?!%»":
        text = text.replace(f" {sign}", f"{NBSP}{sign}")
    return text.replace("« ", f"«{NBSP}")


def one_line(text: str) -> str:
    """The output with its lines joined (the terminal wraps long sentences; no-break spaces
    stay)."""
    return re.sub(r" *\n *", " ", text).strip()


def due(cli, repo: GitRepo, *extra: str, as_of: str = AS_OF, lang: str = "en") -> str:
    result = cli("--lang", lang, "review-due", "-r", registry(repo), "--as-of", as_of, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def reasons(output: str, automation: str = "reminders") -> dict[str, str]:
    data = json.loads(output)
    item = next(i for i in data["due"] + data["not_due"] if i["automation"] == automation)
    return {r["kind"]: r["text"] for r in item["reasons"]}


def reviewed(tmp_path, day: str = "2024-01-20") -> GitRepo:
    repo = company(tmp_path, {"automations/reminders.yaml": reminders(),
                              "rules/threshold.yaml": threshold_rule()})
    repo.write(f"registry/reviews/{day}.yaml", minutes(day))
    repo.commit(f"Review of {day}")
    return repo


def french_company(tmp_path) -> GitRepo:
    """The small registry, its livingsys.yaml saying `language: fr`, committed."""
    repo = company(tmp_path)
    settings = registry(repo) / "livingsys.yaml"
    settings.write_text("language: fr\n" + settings.read_text("utf-8"), "utf-8")
    repo.commit("French")
    return repo


# ----------------------------------------------------------------------------- review-due


def test_never_reviewed_in_both_languages(cli, tmp_path):
    repo = company(tmp_path)
    english = due(cli, repo)
    assert "1 automation needs a review, most urgent first:" in english
    assert "never reviewed (monthly cadence)" in english
    french = due(cli, repo, lang="fr")
    assert fr("revues à faire au 1er février 2024") in french
    assert fr("1 automatisation est à revoir, la plus urgente d'abord :") in french
    assert "jamais revue (cadence mensuelle)" in french
    assert "never reviewed" not in french and "automation needs" not in french


def test_cadence_overdue_with_french_dates_and_plural_days(cli, tmp_path):
    repo = reviewed(tmp_path, "2024-01-10")
    english = reasons(due(cli, repo, "-f", "json", as_of="2024-03-01"))["cadence"]
    assert english == ("monthly review due since 2024-02-10 (20 days overdue; last reviewed "
                       "2024-01-10)")
    french = reasons(due(cli, repo, "-f", "json", as_of="2024-03-01", lang="fr"))["cadence"]
    assert french == fr("revue mensuelle à faire depuis le 10 février 2024 (en retard de 20 "
                        "jours ; dernière revue le 10 janvier 2024)")
    # one day over: singular on both sides
    one = reasons(due(cli, repo, "-f", "json", as_of="2024-02-11", lang="fr"))["cadence"]
    assert "(en retard de 1 jour ;" in one.replace(NBSP, " ")
    # on the day: due today, not overdue
    today = reasons(due(cli, repo, "-f", "json", as_of="2024-02-10", lang="fr"))["cadence"]
    assert "(à revoir aujourd'hui" in today


def test_json_keeps_its_keys_and_codes_with_the_texts_translated(cli, tmp_path):
    repo = reviewed(tmp_path, "2024-01-10")
    english = json.loads(due(cli, repo, "-f", "json", as_of="2024-03-01"))
    french = json.loads(due(cli, repo, "-f", "json", as_of="2024-03-01", lang="fr"))

    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return type(value).__name__

    assert shape(english) == shape(french)
    assert [r["kind"] for r in french["due"][0]["reasons"]] == ["cadence"]
    assert french["due"][0]["last_review"] == "2024-01-10"  # data stays ISO
    assert french["basis"] == "la cadence, les incidents, les indicateurs et l'historique git"


def test_own_changes_and_shared_rule_rule_3(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/automations/reminders.yaml", reminders(threshold=3000, cap=20))
    repo.commit("Reminders: 3,000 EUR, cap 20")
    english = reasons(due(cli, repo, "-f", "json"))["changed"]
    assert english == ("its own exceptions, guardrails changed since the last review "
                       "(3 changes, 1 commit)")
    french = reasons(due(cli, repo, "-f", "json", lang="fr"))["changed"]
    assert french == fr("ont changé depuis la dernière revue : ses exceptions, ses garde-fous "
                        "(3 modifications, 1 commit)")


def test_shared_rule_changed_and_old_value_still_written(cli, tmp_path):
    repo = company(tmp_path, {"automations/reminders.yaml": reminders().replace(
        "owner: b.owner", "owner: b.owner\nuses_rules: [threshold]"),
        "rules/threshold.yaml": threshold_rule()})
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    repo.commit("Review")
    repo.write("registry/rules/threshold.yaml", threshold_rule(3000, "2024-01-25"))
    repo.commit("Threshold lowered to 3,000 EUR")
    data = json.loads(due(cli, repo, "-f", "json", lang="fr"))
    reason = next(r for r in data["due"][0]["reasons"] if r["kind"] == "shared_rule")
    assert reason["text"] == fr("la règle métier partagée 'threshold' a changé depuis la "
                                "dernière revue (règle n°3)")
    assert reason["details"] == [fr(
        "l'ancienne valeur de amount_threshold_eur (5000) est encore écrite dans : "
        "l'exception 'big' (if, when)")]
    english = json.loads(due(cli, repo, "-f", "json"))
    reason = next(r for r in english["due"][0]["reasons"] if r["kind"] == "shared_rule")
    assert reason["details"] == ["still written with the old amount_threshold_eur 5000 in: "
                                 "exception 'big' (if, condition)"]


def test_incidents_with_french_severity_dates_and_plurals(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/incidents/2024-01-25-double.yaml",
               incident("2024-01-25", severity="high", summary="Sent twice"))
    repo.write("registry/incidents/2024-01-28-late.yaml", incident("2024-01-28",
                                                                   severity="low"))
    repo.commit("Two incidents")
    data = json.loads(due(cli, repo, "-f", "json", lang="fr"))
    [reason] = [r for r in data["due"][0]["reasons"] if r["kind"] == "incidents"]
    assert reason["text"] == ("2 incidents signalés depuis la dernière revue, le plus grave de "
                              "gravité élevée (2 encore ouverts)")
    assert reason["details"][0] == fr("25 janvier 2024, gravité élevée (ouvert) : Sent twice")
    english = reasons(due(cli, repo, "-f", "json"))["incidents"]
    assert english == "2 incidents logged since the last review, the worst high (2 still open)"


def test_one_incident_never_reviewed(cli, tmp_path):
    repo = company(tmp_path, {"incidents/2024-01-02-x.yaml": incident("2024-01-02",
                                                                      severity="critical")})
    french = reasons(due(cli, repo, "-f", "json", lang="fr"))["incidents"]
    assert french == ("incident de gravité critique signalé (aucune revue à ce jour) "
                      "(1 encore ouvert)")


def test_no_history_note_and_markdown_in_french(cli, tmp_path):
    repo = company(tmp_path)
    text = one_line(due(cli, repo, "--no-history", lang="fr"))
    assert fr("D'après la cadence, les incidents et les indicateurs seulement, sans "
              "l'historique git : les modifications des automatisations et des règles métier "
              "partagées qu'elles utilisent ne sont pas montrées (--no-history).") in text
    markdown = due(cli, repo, "--no-history", "-f", "markdown", lang="fr")
    assert markdown.startswith("# Revues à faire — ")
    assert fr("Au 1er février 2024. D'après la cadence") in markdown
    english = due(cli, repo, "--no-history", "-f", "markdown")
    assert english.startswith("# Reviews due — ") and "As of 2024-02-01. Read from" in english


def test_a_registry_that_says_language_fr_speaks_french(cli, tmp_path):
    repo = french_company(tmp_path)
    result = cli("review-due", "-r", registry(repo), "--as-of", AS_OF)
    assert "jamais revue (cadence mensuelle)" in result.stdout
    assert "never reviewed" in cli("--lang", "en", "review-due", "-r", registry(repo),
                                   "--as-of", AS_OF).stdout


def test_not_a_registry_is_said_in_french(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("--lang", "fr", "review-due", "-r", str(tmp_path / "empty"))
    assert result.exit_code == 2
    text = one_line(result.output)
    assert fr("n'est pas un registre : il n'a ni livingsys.yaml ni dossier automations/") in text
    assert "indiquez le dossier du registre avec --registry" in text


def test_demo_review_due_in_french(cli):
    french = one_line(cli("--lang", "fr", "review-due", "-r", str(DEMO), "--as-of",
                          "2026-12-02").stdout)
    assert fr("Dauphiné Fournitures SAS — revues à faire au 2 décembre 2026") in french
    assert fr("4 automatisations sont à revoir, les plus urgentes d'abord :") in french
    assert fr("la règle métier partagée 'manager-validation-threshold' a changé depuis la "
              "dernière revue (règle n°3)") in french
    assert fr("automatisation clé · propriétaire métier Nathalie Lefebvre · responsable "
              "technique Thomas Nguyen · dernière revue le 18 novembre 2026") in french
    assert "jamais revue (cadence trimestrielle)" in french


# ----------------------------------------------------------------------------- agenda

QUESTIONS_FR = ["Les règles métier ont-elles changé ?",
                "Y a-t-il eu des incidents ou des retours négatifs ?",
                "Peut-on simplifier une étape ou supprimer un cas particulier ?"]
QUESTIONS_EN = ["Have the business rules changed?", "Were there incidents or negative feedback?",
                "Can a step be simplified or a special case removed?"]


def agenda(cli, root, *extra: str, lang: str = "en", date: str = "2026-12-02"):
    result = cli("--lang", lang, "agenda", "-r", str(root), "--date", date, *extra)
    assert result.exit_code == 0, result.output
    return result


def test_demo_agenda_text_in_french(cli):
    text = agenda(cli, DEMO, lang="fr").stdout
    joined = one_line(text)
    assert text.startswith("Revue des automatisations — mercredi 2 décembre 2026  Dauphiné "
                           "Fournitures SAS · réunion de 45")
    assert "animée par Claire Moreau" in joined
    for heading in ("PARTICIPANTS", "ORDRE DU JOUR", "Pourquoi à l'ordre du jour",
                    "Les trois questions", "APRÈS LA RÉUNION"):
        assert heading in text
    assert "Claire Moreau (direction) — anime la revue" in joined
    assert fr("0:00    5 min  Ouverture : actions décidées la dernière fois") in text
    # the article's three questions, word for word, for each of the three automations
    for question in QUESTIONS_FR:
        assert text.count(fr(question)) == 3
    # French numbers and dates
    assert fr("13,7 % (3 derniers mois : 11,4 %)") in text
    assert "226 cas" in text and "19,0 h" in text and "3,5 / 5" in text
    assert fr("Aucun incident signalé depuis la revue du 18 novembre 2026 : demandez à "
              "l'équipe s'il y a eu des retours négatifs qui ne sont jamais arrivés au canal de "
              "signalement (#automation-incidents).") in joined
    assert fr("5 étapes (4 automatiques, 1 humaine), 3 cas d'exception. Taux d'exception de "
              "13,7 % :") in joined
    assert fr("(Nathalie Lefebvre, pour le 30 novembre 2026) — date dépassée : est-ce "
              "fait ?") in joined
    assert fr("Encore ouvert depuis avant : 1 incident (3 novembre 2026) : est-il résolu ?") \
        in joined
    assert fr("l’article dit « Passer en revue 2 à 3 automatisations clés, pas plus »") in joined
    for english in QUESTIONS_EN + ["ATTENDEES", "Why it is on the agenda", "chaired by"]:
        assert english not in text


def test_demo_agenda_in_english_is_unchanged(cli):
    text = agenda(cli, DEMO).stdout
    assert text.startswith("Automation review — 2026-12-02  Dauphiné Fournitures SAS · 45 "
                           "minutes · chaired by Claire Moreau")
    assert "Claire Moreau (manager) — chairs the review" in one_line(text)
    for question in QUESTIONS_EN:
        assert text.count(question) == 3
    assert "13.7% (last 3 months: 11.4%)" in text and "226 cases" in text
    assert "19.0 h" in text and "3.5 / 5" in text


def test_demo_agenda_markdown_in_french(cli):
    text = agenda(cli, DEMO, "-f", "markdown", lang="fr").stdout
    assert text.startswith("# Revue des automatisations — mercredi 2 décembre 2026\n\n"
                           "**Dauphiné Fournitures SAS** · réunion de 45 minutes · animée par "
                           "Claire Moreau\n")
    assert "| heure | minutes | point |" in text
    assert "\n".join(f"{n}. {fr(q)}" for n, q in enumerate(QUESTIONS_FR, 1)) in text
    assert "| indicateur | valeur | tendance |" in text
    # (Markdown keeps French's no-break spaces: neutral.one_line)
    assert fr("| Taux d'exception | 13,7 % (3 derniers mois : 11,4 %) ⚠ alerte |") in text
    assert "## Après la réunion" in text and "```bash\nlivingsys review record" in text
    english = agenda(cli, DEMO, "-f", "markdown").stdout
    assert english.startswith("# Automation review — 2026-12-02\n")
    assert "\n".join(f"{n}. {q}" for n, q in enumerate(QUESTIONS_EN, 1)) in english


def test_agenda_json_keeps_keys_with_french_texts(cli):
    french = json.loads(agenda(cli, DEMO, "-f", "json", lang="fr").stdout)
    english = json.loads(agenda(cli, DEMO, "-f", "json").stdout)
    assert set(french) == set(english)
    assert french["date"] == "2026-12-02"
    assert french["standing_questions"] == [fr(q) for q in QUESTIONS_FR]
    assert english["standing_questions"] == QUESTIONS_EN
    assert [i["automation"] for i in french["items"]] == \
        [i["automation"] for i in english["items"]]
    assert [q["question"] for q in french["items"][0]["questions"]] == \
        [fr(q) for q in QUESTIONS_FR]


def test_agenda_invite_in_french(cli):
    import icalendar

    result = cli("--lang", "fr", "agenda", "-r", str(DEMO), "--date", "2026-12-02",
                 "-f", "ics")
    assert result.exit_code == 0, result.output
    [event] = icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    assert str(event["summary"]) == fr("Revue des automatisations — Dauphiné Fournitures SAS : "
                                       "payment-reminders, quote-follow-up, support-triage")
    assert str(event["description"]).startswith("Revue des automatisations — mercredi 2 "
                                                "décembre 2026")


def test_first_review_and_nothing_due_in_both_languages(cli, tmp_path):
    repo = company(tmp_path)
    french = one_line(agenda(cli, registry(repo), lang="fr", date=AS_OF).stdout)
    assert fr("Première revue : relisez ensemble ses règles et ses exceptions (1 règle, 1 cas "
              "d'exception), et vérifiez que chacune correspond encore à ce que fait le "
              "métier.") in french
    assert fr("Aucun incident signalé jusqu'ici (première revue) :") in french
    english = one_line(agenda(cli, registry(repo), date=AS_OF).stdout)
    assert ("First review: read its 1 rule and 1 exception aloud and check each still matches "
            "what the business does.") in english
    # reviewed on the 20th: nothing is due on the 1st, the next review is said in French
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20"))
    repo.commit("Review of 2024-01-20")
    french = one_line(agenda(cli, registry(repo), lang="fr", date=AS_OF).stdout)
    assert fr("Aucune automatisation n'est à revoir au 1er février 2024 : pas besoin de réunion "
              "pour l'instant. La prochaine revue est à faire le 20 février 2024 "
              "(reminders).") in french
    english = one_line(agenda(cli, registry(repo), date=AS_OF).stdout)
    assert ("No automation needs a review as of 2024-02-01: no meeting is needed yet. The next "
            "review is due on 2024-02-20 (reminders).") in english


def test_incidents_in_the_agenda_one_and_several(cli, tmp_path):
    repo = reviewed(tmp_path)
    repo.write("registry/incidents/2024-01-25-double.yaml",
               incident("2024-01-25", severity="high", summary="Sent twice"))
    repo.commit("One incident")
    one = one_line(agenda(cli, registry(repo), lang="fr", date=AS_OF).stdout)
    assert fr("1 incident signalé depuis la revue du 20 janvier 2024 : 25 janvier 2024, "
              "gravité élevée (ouvert) : Sent twice. Clôturez ceux qui sont ouverts") in one
    repo.write("registry/incidents/2024-01-28-late.yaml", incident("2024-01-28",
                                                                   severity="low"))
    repo.commit("Another")
    two = one_line(agenda(cli, registry(repo), lang="fr", date=AS_OF).stdout)
    assert "2 incidents signalés depuis la revue du 20 janvier 2024" in two
    english = one_line(agenda(cli, registry(repo), date=AS_OF).stdout)
    assert "2 incidents logged since the review of 2024-01-20: 2024-01-25 high (open)" in english


def test_agenda_of_a_registry_that_says_language_fr(cli, tmp_path):
    repo = french_company(tmp_path)
    result = cli("agenda", "-r", registry(repo), "--date", AS_OF)
    assert result.stdout.startswith("Revue des automatisations — jeudi 1er février 2024")
    assert fr(QUESTIONS_FR[0]) in result.stdout


def test_a_wrong_meeting_time_is_said_in_french(cli):
    result = cli("--lang", "fr", "agenda", "-r", str(DEMO), "--at", "25:00", "-f", "ics")
    assert result.exit_code == 2
    text = one_line(result.output)
    assert "--at '25:00' n'est pas une heure de la journée" in text
    assert "écrivez-la HH:MM, de 00:00 à 23:59, par exemple 10:00 ou 14:30" in text


# ----------------------------------------------------------------------------- the schedule


def _schedule(as_of: str, *, last: str = "2024-01-10", next_due: str = "2024-02-10",
              cadence_set: str | None = None, source: str = "automation"):
    import datetime as dt

    from livingsys.ritual.schedule import ScheduleItem

    return ScheduleItem(automation="reminders", name="Reminders", status="active", key=True,
                        cadence="quarterly" if cadence_set else "monthly",
                        cadence_source=source,
                        last_review=dt.date.fromisoformat(last), last_review_file=None,
                        next_due=dt.date.fromisoformat(next_due),
                        as_of=dt.date.fromisoformat(as_of), cadence_set=cadence_set)


@pytest.mark.parametrize(("as_of", "english", "french"), [
    ("2024-02-09", "last reviewed 2024-01-10, next 2024-02-10",
     "dernière revue le 10 janvier 2024, prochaine le 10 février 2024"),
    ("2024-02-10", "last reviewed 2024-01-10 — due today",
     "dernière revue le 10 janvier 2024 — à revoir aujourd'hui"),
    ("2024-02-11", "last reviewed 2024-01-10, due 2024-02-10 — 1 day overdue",
     "dernière revue le 10 janvier 2024, à revoir le 10 février 2024 — en retard de 1 jour"),
    ("2024-02-12", "last reviewed 2024-01-10, due 2024-02-10 — 2 days overdue",
     "dernière revue le 10 janvier 2024, à revoir le 10 février 2024 — en retard de 2 jours"),
])
def test_the_schedule_on_each_side_of_its_date(as_of, english, french):
    from livingsys.i18n import use

    item = _schedule(as_of)
    assert item.describe() == english
    use("fr")
    assert item.describe() == french


def test_a_cadence_held_to_the_longest_allowed_in_french():
    from livingsys.i18n import use

    item = _schedule("2024-02-09", cadence_set="yearly", source="default")
    assert item.describe().endswith("(livingsys.yaml's default says yearly, longer than "
                                    "allowed: reviewed quarterly)")
    use("fr")
    assert item.describe().endswith(fr("(livingsys.yaml prévoit par défaut une cadence "
                                       "annuelle, plus longue que permis : revue "
                                       "trimestrielle)"))
