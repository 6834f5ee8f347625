"""French for broken files: the messages of reading a registry (YAML errors Y0xx, format
errors S0xx, indicators.csv I0xx, loading and writing errors) in French when the registry or
the run says so, at the same file, line and column, with the same exit code; English as
before."""

from __future__ import annotations

import json
import re

import pytest

from conftest import MINIMAL, write_files
from test_cases import ALL_CASES, TODAY, build

READING = [c for c in ALL_CASES if c.id[0] in "YSI" and not c.passing]


def _lint(cli, root, *lang: str):
    result = cli(*lang, "lint", "-r", root.name, "--format", "json", "--today", TODAY)
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)["findings"]


def _flat(output: str) -> str:
    """The output as read, whatever the wrapping (no-break spaces kept)."""
    return re.sub(r"[ \n]+", " ", output)


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
    texts = {rel: textwrap.dedent(text) for rel, text in {**MINIMAL, **files}.items()}
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


# -- the hostile corpus --------------------------------------------------------------------

from test_hostile_corpus import hostile  # noqa: E402,F401 - the fixture: each hostile registry


def test_hostile_registries_lint_in_french_as_in_english(hostile, cli, tmp_path,  # noqa: F811
                                                         monkeypatch):
    """`livingsys --lang fr lint` on each registry of tests/hostile/: the same findings at the
    same places and the same exit code as in English, no traceback, no raw escape."""
    repo, _data = hostile
    monkeypatch.chdir(tmp_path)
    registry = str(repo.root / "registry")
    runs = {}
    for lang in ("en", "fr"):
        text = cli("--lang", lang, "lint", "-r", registry)
        machine = cli("--lang", lang, "lint", "-r", registry, "--format", "json")
        for result in (text, machine):
            assert result.exit_code in (0, 1), result.output
            assert "Traceback" not in result.output
            assert "\x1b" not in result.output and "\x9b" not in result.output
        runs[lang] = (text.exit_code, [_where(f) for f in json.loads(machine.stdout)["findings"]])
    assert runs["fr"] == runs["en"]


# -- whole sentences, in the registry's language ---------------------------------------------

NBSP, NNBSP = "\u00a0", "\u202f"


def test_duplicate_key_and_misspelt_key_read_in_french_at_their_place(cli, tmp_path,
                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    automation = MINIMAL["automations/reminders.yaml"]
    broken = automation.replace("owner: b.owner", "ownr: b.owner\n        owner: b.owner\n"
                                "        owner: b.owner", 1)
    _registry(tmp_path, **{"automations/reminders.yaml": broken,
                           "livingsys.yaml": MINIMAL["livingsys.yaml"] + "language: fr\n"})
    french = cli("lint", "-r", "registry", "--format", "json", "--today", TODAY)
    english = cli("--lang", "en", "lint", "-r", "registry", "--format", "json",
                  "--today", TODAY)
    assert french.exit_code == english.exit_code == 1
    fr = {f["code"]: f for f in json.loads(french.stdout)["findings"]}
    en = {f["code"]: f for f in json.loads(english.stdout)["findings"]}
    assert (fr["Y003"]["line"], fr["Y003"]["col"]) == (en["Y003"]["line"], en["Y003"]["col"])
    assert fr["Y003"]["message"] == ("la clé 'owner' apparaît deux fois dans le même bloc (la "
                                     "première fois ligne 4)")
    assert fr["Y003"]["hint"] == ("gardez-en une seule" + NBSP + ": YAML ne garderait que la "
                                  "dernière, sans rien dire")
    assert en["Y003"]["message"] == ("key 'owner' appears twice in the same block (first on "
                                     "line 4)")


def test_unknown_key_says_did_you_mean_in_french(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    automation = MINIMAL["automations/reminders.yaml"].replace("owner: b.owner", "ownr: b.owner")
    _registry(tmp_path, **{"automations/reminders.yaml": automation})
    french = cli("--lang", "fr", "lint", "-r", "registry", "--today", TODAY)
    english = cli("lint", "-r", "registry", "--today", TODAY)
    assert french.exit_code == english.exit_code == 1
    flat = _flat(french.output)
    assert "clé inconnue 'ownr' — vouliez-vous dire 'owner'" + NBSP + "?" in flat
    assert "clés possibles ici" + NBSP + ": id, formerly, name" in flat
    assert "unknown key 'ownr' — did you mean 'owner'?" in _flat(english.output)


def test_a_wrong_type_and_an_impossible_date_in_french():
    from livingsys.i18n import use
    from livingsys.models import Automation
    from livingsys.reading.validation import date_problem, validate
    from livingsys.reading.yamlsource import parse

    text = "\n".join(line[8:] for line in MINIMAL["automations/reminders.yaml"].splitlines())
    doc = parse(text.replace("daily_cap: 40", "daily_cap: forty"), "a.yaml")
    use("fr")
    _model, findings = validate(Automation, doc.data, "a.yaml")
    assert [f.message for f in findings] == [
        "'daily_cap' doit être un nombre entier, et non 'forty' (dans guardrails)"]
    assert findings[0].hint == ("utilisez une valeur du type indiqué" + NBSP + "; `livingsys "
                                "schema` documente chaque clé")
    assert date_problem("2027-02-30") == (
        "'2027-02-30' n'est pas une date" + NBSP + ": février 2027 compte 28 jours",
        "écrivez un jour qui existe, par exemple 2027-02-28")
    use("en")
    assert date_problem("2027-02-30") == ("'2027-02-30' is not a date: February 2027 has 28 days",
                                          "write a day that exists, e.g. 2027-02-28")


def test_a_huge_file_gives_its_size_the_french_way(tmp_path):
    from livingsys.i18n import use
    from livingsys.reading.yamlsource import read

    big = tmp_path / "big.yaml"
    big.write_text("id: big\n" + "# pasted\n" * 120_000, encoding="utf-8")
    use("fr")
    [finding] = read(big, "automations/big.yaml").findings
    assert finding.message == (f"le fichier fait 1{NNBSP}080{NNBSP}008 octets, plus que les "
                               f"1{NNBSP}000{NNBSP}000 permis")
    use("en")
    [finding] = read(big, "automations/big.yaml").findings
    assert finding.message == "the file is 1,080,008 bytes, more than the 1,000,000 allowed"


# -- indicators.csv ------------------------------------------------------------------------

HEADER = "automation,period,volume,exceptions,time_saved_hours,satisfaction\n"


def _csv(body: str):
    import datetime as dt

    from livingsys.reading import indicators

    return indicators.parse(HEADER + body, {"reminders"}, today=dt.date(2026, 11, 25))[1]


def test_indicator_rows_are_told_in_french_with_french_numbers_and_dates():
    from livingsys.i18n import use

    body = "reminders,2026-12,10,1,,\nreminders,2026-10,9,120,,\nremindres,2026-09,10,1,,\n"
    use("fr")
    messages = [(f.code, f.line, f.col, f.message) for f in _csv(body)]
    assert messages == [
        ("I008", 2, 2, "la période 2026-12 est dans le futur (nous sommes le 25 novembre 2026) "
                       "(cellule B2)"),
        ("I006", 3, 4, "les exceptions (120) dépassent le volume traité (9)" + NBSP + ": le taux "
                       f"d'exception serait de 1{NNBSP}333{NBSP}% (cellule D3)"),
        ("I003", 4, 1, "l'automatisation 'remindres' n'existe pas dans automations/ — "
                       "vouliez-vous dire 'reminders'" + NBSP + "? (cellule A4)"),
    ]
    use("en")
    assert [f.message for f in _csv(body)] == [
        "period 2026-12 is in the future (today is 2026-11-25) (cell B2)",
        "exceptions (120) are more than the volume (9): the exception rate would be 1333% "
        "(cell D3)",
        "automation 'remindres' does not exist in automations/ — did you mean 'reminders'? "
        "(cell A4)",
    ]


def test_a_missing_column_says_column_or_columns_in_french():
    from livingsys import i18n
    from livingsys.reading import indicators

    i18n.use("fr")
    one = indicators.parse("automation,period,volume\nreminders,2026-10,3\n", {"reminders"})[1]
    two = indicators.parse("automation,period\nreminders,2026-10\n", {"reminders"})[1]
    assert one[0].message == ("indicators.csv n'a pas de colonne 'exceptions'" + NBSP + "; ses "
                              "lignes ne peuvent pas être lues")
    assert two[0].message == ("indicators.csv n'a pas de colonnes 'volume', 'exceptions'" + NBSP
                              + "; ses lignes ne peuvent pas être lues")


def test_exception_rate_alerts_in_french():
    from livingsys.i18n import use
    from livingsys.reading.indicator_policy import exception_rate_alert
    from livingsys.reading.indicators import Period, Point, Series

    def series(*rows):
        return Series("reminders", [Point("reminders", Period.parse(p), v, e) for p, v, e in rows])

    above = series(("2026-01", 100, 10), ("2026-02", 100, 25))
    rising = series(("2026-02", 100, 8), ("2026-03", 100, 10), ("2026-04", 100, 12))
    use("fr")
    assert exception_rate_alert(above, 0.2, 2).message == (
        f"taux d'exception de 25,0{NBSP}% en février 2026, au-dessus du seuil d'alerte de "
        f"20{NBSP}%")
    assert exception_rate_alert(rising, 0.2, 2).message == (
        "taux d'exception en hausse 2 mois de suite (février 2026 à avril 2026" + NBSP + ": "
        f"8,0{NBSP}% → 10,0{NBSP}% → 12,0{NBSP}%)")
    use("en")
    assert exception_rate_alert(rising, 0.2, 2).message == (
        "exception rate rose 2 months in a row (2026-02 to 2026-04: 8.0% → 10.0% → 12.0%)")


# -- what the rest of livingsys reads from here ----------------------------------------------

def test_the_three_questions_are_the_articles_word_for_word():
    from livingsys.i18n import _, use
    from livingsys.reading.reviews import STANDING_QUESTIONS

    use("fr")
    assert [_(q) for q in STANDING_QUESTIONS.values()] == [
        "Les règles métier ont-elles changé" + NBSP + "?",
        "Y a-t-il eu des incidents ou des retours négatifs" + NBSP + "?",
        "Peut-on simplifier une étape ou supprimer un cas particulier" + NBSP + "?",
    ]
    use("en")
    assert STANDING_QUESTIONS["incidents"] == "Were there incidents or negative feedback?"


def test_a_friction_and_a_cadence_described_in_french():
    import datetime as dt

    from livingsys.i18n import use
    from livingsys.models import Automation
    from livingsys.models.automation import Friction
    from livingsys.reading.reviews import judge_cadence

    friction = Friction(what="les relances attendent deux jours", kind="delay", step="check",
                        since=dt.date(2026, 10, 1))
    automation = Automation.model_validate({
        "id": "a", "name": "A", "owner": "b.owner", "review": {"cadence": "yearly"}})
    use("fr")
    assert friction.describe() == ("retard à l'étape check" + NBSP + ": les relances attendent "
                                   "deux jours (depuis le 1er octobre 2026)")
    assert judge_cadence(automation, None).problem == "revue annuelle, plus espacée que " \
        "trimestrielle"
    use("en")
    assert friction.describe() == ("delay at step check: les relances attendent deux jours "
                                   "(since 2026-10-01)")
    assert judge_cadence(automation, None).problem == "yearly review, longer than quarterly"


# -- the commands whose errors are here ------------------------------------------------------

def test_schema_speaks_french_and_keeps_its_exit_codes(cli):
    french = cli("--lang", "fr", "schema", "automatoin")
    assert french.exit_code == 2
    flat = _flat(french.output)
    assert ("il n'y a pas de type de fichier 'automatoin' — vouliez-vous dire "
            "'automation'" + NBSP + "?") in flat
    assert "`livingsys schema` liste les types de fichiers" + NBSP + ": settings, people" in flat
    listing = cli("--lang", "fr", "schema")
    assert listing.exit_code == 0
    assert "ce qu'il contient" in _flat(listing.output)
    assert "le compte rendu d'une réunion de revue" in _flat(listing.output)
    english = cli("schema", "automatoin")
    assert english.exit_code == 2
    assert "there is no file kind 'automatoin' — did you mean 'automation'?" in \
        _flat(english.output)
    # the JSON Schema itself stays English: it is read by editors, not by people
    schema = json.loads(cli("--lang", "fr", "schema", "review").stdout)
    assert schema["description"].startswith("The minutes of a review meeting")


def test_import_refuses_an_id_in_use_in_french(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _registry(tmp_path)
    export = tmp_path / "export.json"
    export.write_text('{"name": "X", "nodes": [], "connections": {}}', encoding="utf-8")
    french = cli("--lang", "fr", "import", "n8n", str(export), "-r", "registry",
                 "--id", "reminders")
    assert french.exit_code == 2
    flat = _flat(french.output)
    assert ("l'identifiant d'automatisation 'reminders' est déjà pris par "
            "registry/automations/reminders.yaml") in flat
    assert "choisissez un autre identifiant avec --id" in flat


def test_control_characters_and_bad_ids_are_named_in_french():
    from livingsys.i18n import use
    from livingsys.reading.writing import WriteError, check_id
    from livingsys.reading.yamlsource import parse

    text = 'name: "Reminders \\e[31m and \\u202e"\n'
    use("fr")
    [finding] = parse(text, "a.yaml").findings
    assert (finding.code, finding.line, finding.col) == ("Y013", 1, 7)
    assert finding.message == ("ce texte contient un caractère de contrôle, ESC (U+001B), et 1 "
                               "autre sorte, invisible ou trompeur pour qui le lit (un terminal "
                               "peut même lui obéir)")
    with pytest.raises(WriteError) as refused:
        check_id("Relances/2026", "automation id")
    assert str(refused.value).startswith("l'identifiant d'automatisation 'Relances/2026' n'est "
                                         "pas permis" + NBSP + ": utilisez des minuscules")
    use("en")
    [finding] = parse(text, "a.yaml").findings
    assert finding.message.startswith("this text holds a control character, ESC (U+001B) and "
                                      "1 other kind, invisible")
    with pytest.raises(WriteError) as refused:
        check_id("Relances/2026", "automation id")
    assert str(refused.value).startswith("automation id 'Relances/2026' is not allowed: use "
                                         "lowercase letters")
