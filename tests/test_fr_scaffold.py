"""`livingsys init` and `livingsys new` in French: the files they write (comments and example
content in French, the same fields as in English), their prompts and their messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from livingsys import i18n

NBSP = "\u00a0"
TEMPLATES = Path(i18n.__file__).parent / "templates"


def _init(cli, tmp_path, *lang):
    root = tmp_path / "registre"
    result = cli(*lang, "init", str(root), "--organisation", "Dauphiné Fournitures",
                 "--no-input")
    assert result.exit_code == 0, result.output
    return root, result


def test_french_init_writes_french_files_that_lint_clean(cli, tmp_path):
    root, result = _init(cli, tmp_path, "--lang", "fr")
    assert f"Registre {root} créé{NBSP}:" in result.output
    assert "Prochaines étapes" in result.output
    settings = (root / "livingsys.yaml").read_text("utf-8")
    assert "\nlanguage: fr\n" in settings
    assert "# Le nom de l'entreprise." in settings
    example = (root / "automations" / "payment-reminders.yaml").read_text("utf-8")
    assert "name: Relances des factures impayées" in example
    # the registry speaks French from now on, with no --lang
    lint = cli("lint", "--registry", str(root))
    assert lint.exit_code == 0, lint.output
    assert i18n.language() == "fr"


def test_english_init_is_unchanged(cli, tmp_path):
    root, result = _init(cli, tmp_path)
    assert f"Created the registry {root}:" in result.output
    settings = (root / "livingsys.yaml").read_text("utf-8")
    assert "\nlanguage: en\n" in settings and "# The company's name." in settings
    assert "name: Payment reminders for unpaid invoices" in (
        root / "automations" / "payment-reminders.yaml").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in (TEMPLATES / "fr").iterdir()))
def test_each_french_template_has_the_english_fields(name):
    """A field added to an English template and forgotten in the French one would make a
    French registry different: both have the same keys, in the same order."""
    import re

    def keys(text: str) -> list[str]:
        return re.findall(r"^\s*(?:- )?([a-z_]+):", text, re.MULTILINE)

    english = (TEMPLATES / name).read_text("utf-8")
    french = (TEMPLATES / "fr" / name).read_text("utf-8")
    assert keys(french) == keys(english)
    assert re.findall(r"\{\{(\w+)\}\}", french) == re.findall(r"\{\{(\w+)\}\}", english)


def test_every_template_has_a_french_twin():
    english = {p.name for p in TEMPLATES.iterdir() if p.is_file()}
    assert english == {p.name for p in (TEMPLATES / "fr").iterdir()}


def test_french_new_writes_a_french_file_and_lists_what_is_left(cli, tmp_path):
    root, _result = _init(cli, tmp_path, "--lang", "fr")
    result = cli("new", "relances-devis", "--registry", str(root), "--owner", "b.owner",
                 "--trigger", "Chaque matin à 8 h", "--no-input")
    assert result.exit_code == 0, result.output
    assert f"automations/relances-devis.yaml créé (périmètre{NBSP}: first)." in result.output
    assert f"Reste à compléter (d'après livingsys lint){NBSP}:" in result.output
    assert "ligne 20" in result.output
    text = (root / "automations" / "relances-devis.yaml").read_text("utf-8")
    assert "# TODO : à quoi elle sert, en quelques lignes." in text
    assert "trigger: Chaque matin à 8 h" in text


@pytest.mark.parametrize(("given", "said"), [
    (["--owner", "b.owner"], f"valeur manquante{NBSP}: --trigger"),
    ([], f"valeurs manquantes{NBSP}: --owner, --trigger"),
])
def test_missing_values_agree_with_their_number(cli, tmp_path, given, said):
    root, _result = _init(cli, tmp_path, "--lang", "fr")
    result = cli("new", "x", "--registry", str(root), *given, "--no-input")
    assert result.exit_code == 2
    assert said in result.output


def test_french_prompts_ask_in_french(cli, tmp_path):
    root, _result = _init(cli, tmp_path, "--lang", "fr")
    result = cli("new", "relances-devis", "--registry", str(root), "--interactive",
                 input="b.owner\n\nChaque matin\nfirst\nMake\n\n\n")
    assert result.exit_code == 0, result.output
    assert "Propriétaire métier : la personne qui répond du résultat".replace(" :", NBSP + ":") \
        in result.output
    assert "Périmètre (first ou extended)" in result.output


def test_a_wrong_owner_is_explained_in_french(cli, tmp_path):
    root, _result = _init(cli, tmp_path, "--lang", "fr")
    result = cli("new", "x", "--registry", str(root), "--owner", "b.ownr", "--trigger", "t",
                 "--no-input")
    assert result.exit_code == 2
    assert (f"le propriétaire 'b.ownr' n'est pas dans people.yaml — vouliez-vous dire "
            f"'b.owner'{NBSP}?") in result.output
