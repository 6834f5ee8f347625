"""Choosing the language (--lang, $LIVINGSYS_LANG, livingsys.yaml's `language:`) and writing
numbers, amounts and dates the way it writes them."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import DEMO
from livingsys import i18n

NBSP = "\u00a0"
NNBSP = "\u202f"  # CLDR's thousands separator for French


def _french_registry(tmp_path, line="language: fr"):
    root = tmp_path / "registry"
    shutil.copytree(DEMO, root)
    settings = root / "livingsys.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("organisation:", f"{line}\norganisation:", 1), "utf-8")
    return root


def _spoken(result) -> str:
    """'fr' or 'en', from the label of an error message."""
    return "fr" if f"erreur{NBSP}:" in result.output else "en"


def test_no_setting_speaks_english(cli, tmp_path):
    result = cli("lint", "--registry", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "error:" in result.output


def test_the_registry_language_is_spoken(cli, tmp_path):
    root = _french_registry(tmp_path)
    result = cli("lint", "--registry", str(root))
    assert result.exit_code == 0, result.output
    assert i18n.language() == "fr"


@pytest.mark.parametrize("line", ['language: "fr"', "language: fr   # French",
                                  "language: 'fr'"])
def test_the_registry_language_may_be_quoted_or_commented(tmp_path, line):
    from livingsys.cli.common import registry_language

    assert registry_language(_french_registry(tmp_path, line)) == "fr"


def test_a_commented_out_language_is_not_read(tmp_path):
    from livingsys.cli.common import registry_language

    assert registry_language(_french_registry(tmp_path, "# language: fr")) is None


def test_an_unknown_registry_language_is_a_lint_error_spoken_in_english(cli, tmp_path):
    root = _french_registry(tmp_path, "language: de")
    result = cli("lint", "--registry", str(root), "--format", "concise")
    assert result.exit_code != 0
    assert "livingsys.yaml" in result.output and "language" in result.output
    assert i18n.language() == "en"


def test_lang_option_beats_environment_beats_registry(cli, tmp_path, monkeypatch):
    missing = str(tmp_path / "nowhere")
    assert _spoken(cli("--lang", "fr", "lint", "--registry", missing)) == "fr"
    monkeypatch.setenv("LIVINGSYS_LANG", "fr")
    assert _spoken(cli("lint", "--registry", missing)) == "fr"
    assert _spoken(cli("--lang", "en", "lint", "--registry", missing)) == "en"
    monkeypatch.setenv("LIVINGSYS_LANG", "en")
    root = _french_registry(tmp_path)
    cli("lint", "--registry", str(root))
    assert i18n.language() == "en", "$LIVINGSYS_LANG wins over the registry's language"
    monkeypatch.delenv("LIVINGSYS_LANG")
    cli("lint", "--registry", str(root))
    assert i18n.language() == "fr"


@pytest.mark.parametrize("asked", ["fr", "FR", "fr_FR", "fr-CA", "fr_FR.UTF-8"])
def test_language_spellings(asked):
    assert i18n.normalise(asked) == "fr"


def test_an_unknown_language_is_refused_with_the_ones_spoken(cli):
    result = cli("--lang", "de", "rules")
    assert result.exit_code == 2
    assert "does not speak 'de'" in result.output and "en or fr" in result.output


def test_each_run_starts_again_from_the_default(cli, tmp_path):
    cli("--lang", "fr", "lint", "--registry", str(tmp_path / "nowhere"))
    assert _spoken(cli("lint", "--registry", str(tmp_path / "nowhere"))) == "en"


# --- numbers ------------------------------------------------------------------------------

def test_english_numbers_are_written_as_before():
    i18n.use("en")
    assert i18n.percent(0.137) == "13.7%"
    assert i18n.percent(None) == "–"
    assert i18n.number(3000) == "3,000"
    assert i18n.amount(3000, "EUR") == "3,000 EUR"
    assert i18n.day(dt.date(2026, 12, 2)) == "2026-12-02"


def test_french_numbers():
    i18n.use("fr")
    assert i18n.percent(0.137) == f"13,7{NBSP}%"
    assert i18n.percent(0.0) == f"0,0{NBSP}%"
    assert i18n.number(3000) == f"3{NNBSP}000"
    assert i18n.number(999) == "999"  # the boundary of grouping
    assert i18n.number(1000) == f"1{NNBSP}000"
    assert i18n.number(12.5, 1) == "12,5"
    assert i18n.amount(3000, "EUR") == f"3{NNBSP}000{NBSP}€"
    assert i18n.amount(2.5, "hours") == f"2,5{NBSP}hours"
    assert i18n.plain_number(0.5) == "0,5"


def test_french_dates():
    i18n.use("fr")
    assert i18n.day(dt.date(2026, 12, 2)) == "2 décembre 2026"
    assert i18n.day(dt.date(2027, 1, 1)) == "1er janvier 2027"
    assert i18n.day(dt.date(2027, 1, 2)) == "2 janvier 2027"
    assert i18n.short_day(dt.date(2026, 12, 2)) == "02/12/2026"
    assert i18n.weekday(dt.date(2026, 12, 2)) == "mercredi"
    assert i18n.month(dt.date(2026, 12, 2)) == "décembre 2026"


def test_french_lists_and_plurals_follow_french_rules():
    i18n.use("fr")
    assert i18n.join(["a", "b", "c"]) == "a, b et c"
    assert i18n.join(["a"]) == "a"
    plural = i18n.catalog("fr").plural
    assert (plural(0), plural(1), plural(2)) == (0, 0, 1), "0 and 1 are singular in French"


def test_markdown_keeps_french_no_break_spaces():
    """A French sentence in Markdown keeps its no-break spaces ('13,7 %' stays on one line);
    line breaks still fold into one line."""
    from livingsys.neutral import for_markdown

    assert for_markdown(f"taux{NBSP}: 13,7{NBSP}%\nsuite  x") == f"taux{NBSP}: 13,7{NBSP}% suite x"
    assert for_markdown("a\nb \t c") == "a b c"


def test_a_commit_is_dated_the_french_way(tmp_path):
    import datetime as dt

    from livingsys.history.model import CommitRef

    commit = CommitRef(sha="41ea9f5001" + "0" * 30, author="Claire Moreau",
                       date=dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC),
                       subject="Lower the threshold")
    assert commit.describe().endswith("Claire Moreau, 2026-11-25: Lower the threshold")
    i18n.use("fr")
    assert commit.describe().endswith(f"Claire Moreau, le 25 novembre 2026{NBSP}: Lower the "
                                      "threshold")


def test_a_line_is_never_broken_at_a_no_break_space():
    from livingsys.render.width import fit, wrapping

    text = f"le taux d'exception est de 13,7{NBSP}% ce mois-ci{NBSP}: au-dessus du seuil"
    with wrapping(32):
        lines = fit(text, 2)
    assert len(lines) > 1
    assert all(not line.strip().startswith(("%", ":")) for line in lines), lines
    assert f"13,7{NBSP}%" in "\n".join(lines)
    with wrapping(32):
        assert len(fit("a " * 20, 2)) > 1  # plain spaces still break
