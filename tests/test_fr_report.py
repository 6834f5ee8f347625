"""`livingsys report`, `export`, `review record` and `incident add` in French: the same
scenario in both languages, whole French sentences, French numbers and dates, and English as
it always was."""

from __future__ import annotations

import re

from livingsys.i18n import use
from test_report import HEADER, SKETCH

NBSP = "\u00a0"
NNBSP = "\u202f"  # the thousands separator CLDR gives French
AS_OF = "2026-12-02"


def _in_french(root):
    """``root``'s livingsys.yaml says `language: fr`."""
    settings = root / "livingsys.yaml"
    settings.write_text("language: fr\n" + settings.read_text("utf-8"), "utf-8")
    return root


def _report(cli, root, *extra):
    result = cli("report", "-r", root, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.output
    return result.output


def _flat(text: str) -> str:
    """The text with its lines joined, as a reader reads a wrapped paragraph."""
    return re.sub(r"[ \n]+", " ", text)


# --- report, text ---------------------------------------------------------------------------


def test_demo_report_in_french(cli, demo_registry):
    english = _report(cli, demo_registry)
    french = _report(cli, _in_french(demo_registry))
    assert "Dauphiné Fournitures SAS — automations report as of 2026-12-02" in english
    assert "Dauphiné Fournitures SAS — rapport des automatisations au 2 décembre 2026" in french
    assert (f"4 automatisations{NBSP}: 3 actives, 1 en pause · contrôles ✓ aucun problème · "
            "4 automatisations à revoir · chiffres jusqu'à novembre 2026") in french
    assert "AUTOMATISATIONS PAR PROPRIÉTAIRE MÉTIER" in french
    assert re.search(r"Marc Petit\s+quote-follow-up \(en pause depuis le 3 novembre 2026\)",
                     french)
    assert re.search(r"Nathalie Lefebvre\s+payment-reminders \(clé\)", french)
    assert "CONTRÔLES  ✓ aucun problème" in french
    assert re.search(r"certificate-requests\s+trimestrielle\s:", french)
    assert ("`livingsys review-due` détaille toutes les raisons ; `livingsys agenda` prépare "
            "la réunion").replace(" ;", f"{NBSP};") in _flat(french)


def test_the_three_indicators_in_french_numbers(cli, demo_registry):
    english = _report(cli, demo_registry)
    french = _report(cli, _in_french(demo_registry))
    assert (f"INDICATEURS novembre 2026 · courbes de décembre 2025 à novembre 2026 · alerte "
            f"au-dessus de 20{NBSP}% ou en hausse 2 mois de suite") in _flat(french)
    header = next(ln for ln in french.splitlines() if "volume traité" in ln)
    assert re.search(r"automatisation\s+volume traité\s+taux d'exception\s+temps gagné\s+"
                     r"satisf\.", header)
    section = french[french.index("INDICATEURS"):]
    line = next(ln for ln in section.splitlines() if ln.lstrip().startswith("payment-reminders")
                and "%" in ln)
    assert f"13,7{NBSP}%" in line and f"+2,8{NBSP}pt" in line and f"19,0{NBSP}h" in line
    assert "3,5" in line
    assert "· quote-follow-up est en pause depuis le 3 novembre 2026" in french
    assert (f"flèches{NBSP}: évolution depuis le mois précédent ·{NBSP}! alerte sur le taux "
            "d'exception (voir À REVOIR) · · pas de chiffres") in _flat(french)
    section = english[english.index("INDICATORS"):]
    line = next(ln for ln in section.splitlines() if ln.lstrip().startswith("payment-reminders")
                and "%" in ln)
    assert "13.7%" in line and "+2.8 pt" in line and "19.0 h" in line


def test_thousands_are_grouped_in_french_only(cli, make_registry):
    root = make_registry({"indicators.csv": HEADER + "reminders,2026-10,2500,50,10,4\n"
                                                     "reminders,2026-11,3000,30,12.5,4.5\n"})
    english = _report(cli, root)
    line = next(ln for ln in english.splitlines() if ln.lstrip().startswith("reminders")
                and "%" in ln)
    assert "  3000 " in line and "1.0%" in line and "12.5 h" in line
    french = _report(cli, _in_french(root))
    line = next(ln for ln in french.splitlines() if ln.lstrip().startswith("reminders")
                and "%" in ln)
    assert f"3{NNBSP}000" in line and f"1,0{NBSP}%" in line and f"12,5{NBSP}h" in line
    assert f"-1,0{NBSP}pt" in line  # 2.0% -> 1.0%


def test_checklist_in_french(cli, make_registry):
    root = _in_french(make_registry({"automations/sketch.yaml": SKETCH}))
    french = _flat(_report(cli, root))
    assert ("CHECK-LIST les 8 points de l'article par automatisation, les moins avancées "
            "d'abord") in french
    assert f"manque{NBSP}: processus dessiné (" in french
    assert "propriétaire métier (" in french
    assert "8/8 reminders complète" in french
    english = _flat(cli("--lang", "en", "report", "-r", root, "--as-of", AS_OF).output)
    assert "missing: process drawn (" in english and "8/8 reminders complete" in english


def test_the_checklist_items_are_the_articles_words():
    from livingsys.ritual.checklist import ChecklistItem

    use("fr")
    assert ChecklistItem("business_owner", False).text == (
        "Un propriétaire métier est identifié pour chaque automatisation.")
    assert ChecklistItem("review_scheduled", False).text == (
        "Un rituel de revue est prévu (au moins trimestriel, idéalement mensuel).")
    assert ChecklistItem("incident_channel", False).label == "canal de signalement"
    use("en")
    assert ChecklistItem("incident_channel", False).text == (
        "Teams know how to report an incident or an anomaly.")


def test_silenced_governance_in_french(cli, make_registry):
    root = _in_french(make_registry({"livingsys.yaml": """\
        organisation: Test SARL
        incident_channel: {kind: chat, where: "#incidents"}
        review: {default_cadence: monthly, chair: m.boss}
        policy:
          checks:
            G010: off
        """}))
    french = _flat(_report(cli, root))
    assert "gouvernance désactivée (non contrôlée comme le demande l'article" in french
    assert "(1 désactivé)" in french
    markdown = _report(cli, root, "--format", "markdown")
    assert "## Gouvernance désactivée" in markdown
    assert "**1 désactivé** (voir plus bas)" in markdown


def test_no_indicators_in_french(cli, make_registry):
    root = _in_french(make_registry())
    french = _flat(_report(cli, root))
    assert re.search(f"pas encore d'indicateurs{NBSP}: ajoutez \\S*indicators.csv \\(voir "
                     "`livingsys help indicators`\\)", french)


# --- report, markdown -----------------------------------------------------------------------


def test_demo_markdown_report_in_french(cli, demo_registry):
    english = _report(cli, demo_registry, "--format", "markdown")
    french = _report(cli, _in_french(demo_registry), "--format", "markdown")
    assert french.startswith("# Dauphiné Fournitures SAS — rapport des automatisations\n")
    assert re.search(r"Au 2 décembre 2026, registre `\S+`\.", french)
    assert f"- **Automatisations{NBSP}:** 4 (3 actives, 1 en pause)" in french
    assert f"- **Derniers chiffres{NBSP}:** novembre 2026" in french
    assert "| propriétaire | automatisations |" in french
    assert "| Marc Petit | `quote-follow-up` (en pause depuis le 3 novembre 2026) |" in french
    assert ("| automatisation | volume traité | mois | taux d'exception | mois | 3 derniers mois "
            "| temps gagné | satisfaction |") in french
    assert "| `payment-reminders` | 226 ↓ |" in french
    assert f"13,7{NBSP}% ↑ +2,8{NBSP}pt ⚠" in french
    assert "`quote-follow-up` (en pause)" in french
    assert "## Check-list" in french
    assert "- **Automations:** 4 (3 active, 1 paused)" in english
    assert "13.7% ↑ +2.8 pt ⚠" in english


def test_json_keeps_its_keys_in_french(cli, demo_registry):
    import json

    data = json.loads(_report(cli, _in_french(demo_registry), "--format", "json"))
    assert set(data) >= {"organisation", "automations", "lint", "reviews_due", "indicators",
                         "checklist"}
    assert data["automations"]["by_status"] == {"active": 3, "paused": 1, "retired": 0}
    assert data["checklist"][0]["items"][0]["item"] == "process_drawn"


# --- export ---------------------------------------------------------------------------------

FRENCH_COLUMNS = ["Automatisation", "Nom", "Statut", "Propriétaire métier",
                  "Responsable technique", "Clé", "Cadence de revue", "Dernière revue",
                  "Prochaine revue", "À revoir maintenant", "Pourquoi la revoir", "Chiffres de",
                  "Volume traité", "Taux d'exception", "Temps gagné (h)", "Satisfaction (1-5)",
                  "Tendance du taux d'exception"]


def test_csv_export_in_french_has_one_french_header_row_and_data_values(cli, demo_registry):
    import csv
    import io

    english = cli("export", "-r", demo_registry, "--as-of", AS_OF)
    result = cli("export", "-r", _in_french(demo_registry), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == FRENCH_COLUMNS
    assert len(rows) == 5 and not any(r[0] == "Automatisation" for r in rows[1:])
    row = dict(zip(rows[0], next(r for r in rows if r[0] == "payment-reminders"),
                   strict=True))
    # the values stay data: registry values, ISO dates, fractions, figures as written
    assert row["Statut"] == "active" and row["Cadence de revue"] == "monthly"
    assert row["Clé"] == "oui" and row["À revoir maintenant"] == "oui"
    assert row["Dernière revue"] == "2026-11-18" and row["Taux d'exception"] == "0.1372"
    assert row["Temps gagné (h)"] == "19" and row["Satisfaction (1-5)"] == "3.5"
    assert row["Tendance du taux d'exception"] == f"hausse +2,8{NBSP}pt"
    assert english.stdout.splitlines()[0].startswith("id,name,status,owner,maintainer,key,")
    assert "up +2.8 pt" in english.stdout and ",yes," in english.stdout


def test_xlsx_export_in_french(cli, demo_registry, tmp_path):
    import openpyxl

    target = tmp_path / "suivi.xlsx"
    result = cli("export", "-r", _in_french(demo_registry), "--as-of", AS_OF, "-o", target)
    assert result.exit_code == 0, result.output
    assert f"{target} écrit{NBSP}: 4 automatisations, 12 feuilles mensuelles" in result.stderr
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:3] == ["Suivi", "novembre 2026", "octobre 2026"]
    assert workbook.properties.title == ("Dauphiné Fournitures SAS — fichier de suivi des "
                                         "automatisations au 2 décembre 2026")
    tracking = workbook["Suivi"]
    assert [c.value for c in tracking[1]] == FRENCH_COLUMNS
    row = {h: c for h, c in zip(FRENCH_COLUMNS, next(
        r for r in tracking.iter_rows(min_row=2) if r[0].value == "payment-reminders"),
        strict=True)}
    assert row["Clé"].value == "oui" and row["Volume traité"].value == 226
    assert row["Taux d'exception"].value == 0.1372
    assert row["Dernière revue"].number_format == "dd/mm/yyyy"
    month = workbook["novembre 2026"]
    assert [c.value for c in month[1]] == ["Automatisation", "Nom", "Volume traité",
                                           "Exceptions", "Taux d'exception", "Temps gagné (h)",
                                           "Satisfaction (1-5)"]


def test_xlsx_export_in_english_is_unchanged(cli, demo_registry, tmp_path):
    import openpyxl

    target = tmp_path / "tracking.xlsx"
    result = cli("export", "-r", demo_registry, "--as-of", AS_OF, "-o", target)
    assert f"wrote {target}: 4 automations, 12 monthly sheets" in result.stderr
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:2] == ["Tracking", "2026-11"]
    assert workbook["Tracking"]["A1"].value == "Automation"
    assert workbook["Tracking"]["H2"].number_format == "yyyy-mm-dd"


def test_export_errors_in_french(cli, demo_registry, tmp_path):
    root = _in_french(demo_registry)
    result = cli("export", "-r", root, "--format", "xlsx")
    assert result.exit_code == 2
    assert "un classeur XLSX est un fichier binaire" in _flat(result.output)
    target = tmp_path / "suivi.csv"
    target.write_text("old", "utf-8")
    result = cli("export", "-r", root, "-o", target)
    assert result.exit_code == 2 and target.read_text("utf-8") == "old"
    assert "ajoutez --force pour le remplacer, ou choisissez un autre nom" in _flat(
        result.output)


# --- review record --------------------------------------------------------------------------

QUESTIONS_FR = ("Les règles métier ont-elles changé ?",
                "Y a-t-il eu des incidents ou des retours négatifs ?",
                "Peut-on simplifier une étape ou supprimer un cas particulier ?")


def _french_words(text: str) -> str:
    return text.replace(NBSP, " ")


def test_review_record_asks_the_articles_three_questions_in_french(cli, make_registry):
    root = _in_french(make_registry())
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "--interactive",
                 input="reminders\nm.boss, b.owner\nprésent\nnon\naucun\npas encore\n"
                       "La garder\n\n")
    assert result.exit_code == 0, result.output
    out = _french_words(result.output)
    assert "Automatisations : reminders" in out
    assert "Automatisations revues (identifiants, séparés par des virgules)" in out
    assert "Participants (identifiants, séparés par des virgules)" in out
    assert "pas parmi les participants. Tapez 'présent' si la personne était là" in out
    for question in QUESTIONS_FR:
        assert f"reminders — {question}" in out
    assert "reminders — une décision (Entrée pour terminer)" in out
    assert out.startswith("Automatisations : reminders")
    assert "Compte rendu enregistré dans " in out
    assert (": 1 automatisation revue (reminders), 3 participants, 1 décision, 0 action."
            in _flat(out))
    assert ("Ensuite : faites un commit du compte rendu pour que le review-due de chacun en "
            "tienne compte :") in _flat(out)
    assert "git commit -m 'Revue du 20 janvier 2024 : reminders'" in out
    text = (root / "reviews" / "2024-01-20.yaml").read_text("utf-8")
    assert text.startswith("# Compte rendu de la revue des automatisations du 20 janvier 2024, "
                           "écrit par `livingsys review record`.")
    # the file keeps its keys; the answers are the meeting's own words
    assert "answers:" in text and "rules_changed: non" in text.replace('"', "")
    assert "attendees: [m.boss, b.owner, t.tech]" in text  # 'présent' counts t.tech in


def test_review_record_errors_in_french(cli, make_registry):
    root = _in_french(make_registry())
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "reminders",
                 "--attendee", "m.boss", "--attendee", "b.owner", "--attendee", "t.tech",
                 "--no-input")
    assert result.exit_code == 2
    out = _french_words(_flat(result.output))
    assert ("les trois questions de la revue demandent une réponse pour chaque automatisation ; "
            "manquent : reminders : Les règles métier ont-elles changé ?") in out
    assert "donnez --rules-changed, --incidents, --simplify" in out
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "remindrs",
                 "--no-input")
    out = _french_words(_flat(result.output))
    assert ("l'automatisation 'remindrs' n'est pas dans le registre — vouliez-vous dire "
            "'reminders' ?") in out
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "-a", "reminders",
                 "--attendee", "m.bos", "--no-input")
    out = _french_words(_flat(result.output))
    assert "'m.bos' (participant) n'est pas dans people.yaml — vouliez-vous dire 'm.boss' ?" in out
    result = cli("review", "record", "-r", root, "--date", "2999-01-01", "-a", "reminders",
                 "--no-input")
    assert "la date de la revue, 1er janvier 2999, est dans le futur" in _flat(result.output)


def test_review_record_in_english_is_unchanged(cli, make_registry):
    root = make_registry()
    result = cli("review", "record", "-r", root, "--date", "2024-01-20", "--interactive",
                 input="reminders\nm.boss, b.owner\nhere\nno\nnone\nnot yet\nKeep it\n\n")
    assert result.exit_code == 0, result.output
    assert "reminders — Have the business rules changed?" in result.output
    assert "Recorded " in result.output
    assert (".yaml: 1 automation reviewed (reminders), 3 attendees, 1 decision, 0 actions."
            in _flat(result.output))
    assert "git commit -m 'Review of 2024-01-20: reminders'" in result.output


# --- incident add ---------------------------------------------------------------------------


def test_incident_add_in_french(cli, make_registry):
    root = _in_french(make_registry())
    result = cli("incident", "add", "-r", root, "-a", "reminders", "--date", "2024-01-20",
                 "--severity", "high", "--interactive",
                 input="Relance envoyée à un client en litige\n")
    assert result.exit_code == 0, result.output
    out = _french_words(_flat(result.output))
    assert "Ce qui s'est passé, en une phrase" in out
    assert "Incident consigné dans " in out
    assert ".yaml : gravité élevée, sur reminders (20 janvier 2024, ouvert)." in out
    assert (root / "incidents" / "2024-01-20-relance-envoyee-a-un-client-en-litige.yaml"
            ).is_file()
    assert ("`livingsys review-due` le signale pour cette automatisation jusqu'à sa prochaine "
            "revue.") in out
    assert "'Incident sur reminders (20 janvier 2024, gravité élevée)'" in out
    text = next((root / "incidents").glob("*.yaml")).read_text("utf-8")
    assert "# Incident sur reminders, consigné par `livingsys incident add`." in text
    assert "severity: high" in text and "status: open" in text  # values stay the file's


def test_incident_add_errors_in_french(cli, make_registry):
    root = _in_french(make_registry())
    result = cli("incident", "add", "-r", root, "--no-input")
    assert result.exit_code == 2
    assert "valeurs manquantes : --automation, --summary" in _french_words(result.output)
    result = cli("incident", "add", "-r", root, "-a", "reminders", "-s", "Doublon",
                 "--time", "25:00", "--no-input")
    assert result.exit_code == 2
    out = _french_words(_flat(result.output))
    assert "l'heure '25:00' n'est pas une heure HH:MM" in out
    assert "par exemple --time 14:30 (sur 24 heures)" in out


def test_incident_add_in_english_is_unchanged(cli, make_registry):
    root = make_registry()
    result = cli("incident", "add", "-r", root, "-a", "reminders", "-s", "Sent twice",
                 "--date", "2024-01-20", "--severity", "high", "--no-input")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Logged ")
    assert ".yaml: high incident on reminders (2024-01-20, open)." in _flat(result.output)
