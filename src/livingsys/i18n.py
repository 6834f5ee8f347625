"""The language people read: the active message catalog, and numbers, amounts and dates written
the way that language writes them.

Every text a person reads goes through this module: ``_("...")`` for a sentence,
``ngettext(singular, plural, n)`` for one that follows a number, ``pgettext(context, "...")``
for a short word whose translation depends on where it stands. The catalogs are GNU gettext
``.po`` files under ``livingsys/locale/<language>/`` (see docs/translating.md); a build compiles
them into ``livingsys/locale/<language>/LC_MESSAGES/livingsys.mo`` inside the wheel. A source
checkout without the compiled file reads the ``.po`` files directly.

Rules for a translatable text (tests/test_catalog.py checks them):

- the whole sentence is one message, with named placeholders filled after translation, so a
  translation can put the words in its own order::

      _("automation '{id}' has no business owner").format(id=automation.id)

  never ``_(f"...")`` (an f-string is not in the catalog) nor pieces glued with ``+``;
- a count uses ``ngettext``, never an "s" added by code: French says "0 automatisation";
- a text defined where the language is not known yet (a check's title, at import time) is
  marked with ``N_("...")`` and translated where it is read, with ``_(text)``.

The language is chosen once per run (:func:`use`): ``--lang``, then ``$LIVINGSYS_LANG``, then
``language:`` in livingsys.yaml, then English. English is the source language: with it nothing
is looked up and numbers are written as they always were.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from functools import cache
from pathlib import Path

#: The languages livingsys speaks, by code, with their own names.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "français"}
DEFAULT = "en"
#: The environment variable that chooses the language of a run (after --lang).
ENV = "LIVINGSYS_LANG"
DOMAIN = "livingsys"
#: Where the catalogs live: one folder per language, next to this module.
LOCALE_DIR = Path(__file__).parent / "locale"

#: Babel's locale for each language (the country whose conventions numbers follow).
_LOCALES = {"fr": "fr_FR"}
#: The currencies whose symbol a language writes after an amount ("3 000 €").
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}

_language: str = DEFAULT
_catalog: _gettext.NullTranslations = _gettext.NullTranslations()


class UnknownLanguage(ValueError):
    """A language livingsys does not speak; the message lists those it does."""

    def __init__(self, language: str) -> None:
        self.language = language
        super().__init__(f"livingsys does not speak '{language}': use "
                         + " or ".join(LANGUAGES))


def normalise(language: str) -> str:
    """``language`` as one of :data:`LANGUAGES`' codes: 'fr', 'FR', 'fr_FR', 'fr-CA' and
    'fr_FR.UTF-8' are 'fr'. Raises :class:`UnknownLanguage` for any other."""
    code = language.strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    if code not in LANGUAGES:
        raise UnknownLanguage(language)
    return code


def use(language: str | None) -> str:
    """Speak ``language`` (None: the default) from now on; returns its code."""
    global _language, _catalog
    code = normalise(language) if language else DEFAULT
    _language = code
    _catalog = _gettext.NullTranslations() if code == DEFAULT else catalog(code)
    return code


def language() -> str:
    """The code of the language spoken now ('en', 'fr')."""
    return _language


def _(message: str) -> str:
    """``message`` in the language spoken now."""
    return _catalog.gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that goes with the number ``n``, in the language spoken now.
    The placeholders are filled by the caller: ``ngettext("{n} rule", "{n} rules", n)
    .format(n=n)``."""
    return _catalog.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated as it is meant in ``context`` (a short word: 'due', 'rule')."""
    return _catalog.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name, which the extractor knows
    """Mark ``message`` for the catalog without translating it now: it is translated where it
    is read, with ``_(message)``."""
    return message


@cache
def catalog(code: str) -> _gettext.NullTranslations:
    """The translations of language ``code``: the compiled catalog when it is there and not
    older than its sources, else the ``.po`` sources compiled in memory."""
    folder = LOCALE_DIR / code
    compiled = folder / "LC_MESSAGES" / f"{DOMAIN}.mo"
    sources = sorted(folder.rglob("*.po")) if folder.is_dir() else []
    if compiled.is_file() and all(compiled.stat().st_mtime >= p.stat().st_mtime
                                  for p in sources):
        with compiled.open("rb") as file:
            return _gettext.GNUTranslations(file)
    if not sources:
        return _gettext.NullTranslations()
    import io

    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(code))
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def read_catalog(code: str, locale_dir: Path = LOCALE_DIR):
    """Every ``.po`` file of language ``code`` read into one babel Catalog (the catalog may be
    split in several files, one per part of the program; a message is in one of them). The
    header (plural forms) is the first file's."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=_LOCALES.get(code, code), domain=DOMAIN)
    for index, path in enumerate(sorted((locale_dir / code).rglob("*.po"))):
        with path.open("rb") as file:
            part = read_po(file, locale=_LOCALES.get(code, code))
        if index == 0:
            merged.mime_headers = part.mime_headers
        for message in part:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    return merged


# --- numbers, amounts and dates ----------------------------------------------------------


def _locale() -> str | None:
    return _LOCALES.get(_language)


def number(value: float, digits: int = 0) -> str:
    """``value`` with ``digits`` decimals and grouped thousands: '3,000' / '3 000',
    '12.5' / '12,5'."""
    locale = _locale()
    if locale is None:
        return f"{value:,.{digits}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)


def plain_number(value: float) -> str:
    """A number as written in a condition or a fact's value: '3000', '0.5' / '0,5' (no
    grouping, the decimals it has)."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if _locale() else text


def percent(rate: float | None, digits: int = 1, missing: str = "–") -> str:
    """A rate (0.137) as a percentage: '13.7%' / '13,7 %' (French puts a no-break space
    before the sign); ``missing`` when the rate is not known."""
    if rate is None:
        return missing
    locale = _locale()
    if locale is None:
        return f"{rate * 100:.{digits}f}%"
    return number(rate * 100, digits) + "\u00a0%"


def amount(value: float, unit: str | None) -> str:
    """A quantity with its unit, as a sentence writes it: '3,000 EUR' / '3 000 €',
    '7 days' stays the unit the registry wrote ('7 jours' only if the registry says so)."""
    integral = float(value).is_integer()
    locale = _locale()
    if locale is None:
        shown = f"{value:,.0f}" if integral else f"{value:,.2f}"
        return f"{shown} {unit}" if unit else shown
    from babel.numbers import format_decimal

    shown = format_decimal(value, format="#,##0.##", locale=locale)
    if unit and unit.upper() in _SYMBOLS:
        return f"{shown}\u00a0{_SYMBOLS[unit.upper()]}"
    return f"{shown}\u00a0{unit}" if unit else shown


def day(date: dt.date) -> str:
    """A date in a sentence or a title: '2026-12-02' in English (as livingsys always wrote
    it), '2 décembre 2026' in French, where the first of the month is '1er'."""
    locale = _locale()
    if locale is None:
        return date.isoformat()
    from babel.dates import format_date

    text = format_date(date, "d MMMM y", locale=locale)
    return "1er" + text[1:] if date.day == 1 and _language == "fr" else text


def short_day(date: dt.date) -> str:
    """A date in a table cell: '2026-12-02' / '02/12/2026'."""
    return date.isoformat() if _locale() is None else date.strftime("%d/%m/%Y")


def month(date: dt.date) -> str:
    """A month in a title: '2026-12' / 'décembre 2026'."""
    locale = _locale()
    if locale is None:
        return date.strftime("%Y-%m")
    from babel.dates import format_date

    return format_date(date, "MMMM y", locale=locale)


def weekday(date: dt.date) -> str:
    """The day of the week: 'Wednesday' / 'mercredi'."""
    locale = _locale()
    if locale is None:
        return date.strftime("%A")
    from babel.dates import format_date

    return format_date(date, "EEEE", locale=locale)


def join(items: list[str], last: str | None = None) -> str:
    """'a, b and c' / 'a, b et c' (``last``: another last word, e.g. 'or' / 'ou')."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    word = pgettext("the last item of a list", "and") if last is None else last
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
