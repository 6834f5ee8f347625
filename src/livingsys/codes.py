"""The metadata of every finding code, and the registry of all of them: the one place a code's
name, title, severity, rationale, hint, parameters and example are written.

A code is stable (G008, Y002...); its metadata says what it means to a user. `livingsys rules`,
the README's table, docs/checks.md, SARIF's rule metadata, `lint --explain` and the findings'
names and default hints all read it from here.

What a user reads of a code (title, rationale, hint, example, the parameters' descriptions,
why it cannot be waived) is written in English and marked with ``N_()``; :func:`get`,
:func:`defined` and :func:`translated` give it in the language spoken (livingsys.i18n), and
:func:`kind`, :func:`severity_name` and :func:`group_name` say a group or a severity in it. The
code, its name, its group and its severity's value never change with the language.

Where a code is defined:

- the codes of problems found while the files are read (Y: files, S: format, I: indicators.csv)
  and X001 (a check that crashed) are defined below, so that the readers (livingsys.reading)
  take their names and hints from here without importing the checks;
- each governance check (G, C...) and drift check (D) is a class in livingsys.checks, which
  writes its metadata as class attributes next to the code that looks; registering the class
  (livingsys.checks.base.register) defines its code here. ``livingsys.checks.base.catalogue()``
  loads every check first, so it sees every code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from livingsys import i18n
from livingsys.findings import Finding, Severity
from livingsys.i18n import N_, _, pgettext


@dataclass(frozen=True)
class Param:
    """A parameter of a check, settable in livingsys.yaml's policy."""

    default: Any
    description: str
    #: The values allowed (for a list parameter: for each of its items), if limited.
    choices: tuple[str, ...] | None = None
    #: Which way a policy's value makes the check easier to pass, so that `lint`, `report`
    #: and `agenda` can show it as silenced governance (livingsys.checks.silenced): "higher" (a
    #: bigger number, or a later one of ``choices``), "lower", "fewer" (a list without some
    #: of the default's items) or "more" (a list with items the default does not have).
    #: None: any value other than the default is shown, as a change of unknown direction.
    looser: str | None = None


#: The groups of codes, in the order `livingsys rules` lists them: "input" for problems found
#: while reading files and "schema" for format errors (neither can be switched off or waived),
#: "governance" for the article's rules, "drift" for what `livingsys drift` reports, and
#: "internal" for a check that crashed (a bug in livingsys).
GROUPS = ("input", "schema", "governance", "drift", "internal")

#: What a code of each group is, in a user's words ("X001 (internal-error) is ..."), in
#: English: :func:`kind` says it in the language spoken.
KINDS = {"input": N_("a file or format error"), "schema": N_("a file or format error"),
         "governance": N_("a governance check"),
         "drift": N_("a difference `livingsys drift` reports"),
         "internal": N_("a crash of a check (a bug in livingsys)")}


def kind(group: str) -> str:
    """What a code of ``group`` is, in the language spoken: 'a governance check'."""
    return _(KINDS[group])


def severity_name(severity: Severity) -> str:
    """A severity as a person reads it, in the language spoken: 'error' / 'erreur'. The
    machine formats (json, sarif, github) keep :attr:`Severity.value`."""
    if severity is Severity.ERROR:
        return pgettext("severity", "error")
    return pgettext("severity", "warning")


def group_name(group: str) -> str:
    """A group's name as `livingsys rules` shows it, in the language spoken ('input' /
    'lecture')."""
    names = {"input": pgettext("group of codes", "input"),
             "schema": pgettext("group of codes", "schema"),
             "governance": pgettext("group of codes", "governance"),
             "drift": pgettext("group of codes", "drift"),
             "internal": pgettext("group of codes", "internal")}
    return names[group]


@dataclass(frozen=True)
class Code:
    """What one finding code means: everything a user reads about it, nothing that runs."""

    code: str
    name: str
    title: str
    rationale: str
    hint: str
    severity: Severity = Severity.ERROR
    group: str = "governance"
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)
    #: A short YAML example that passes the check, shown by `livingsys rules CODE`.
    example: str = ""
    #: Why a waiver in an automation file cannot silence this code (None: it can).
    not_waivable: str | None = None
    #: The article's numbered rule (1, 2 or 3) this code enforces, if any: a waiver of it
    #: needs an approver of the kind G026 asks for (a manager by default).
    article_rule: int | None = None


_REGISTRY: dict[str, Code] = {}


def define(code: Code) -> Code:
    """Add ``code`` to the registry (a code is defined once)."""
    if code.group not in GROUPS:  # pragma: no cover - programming error
        raise ValueError(f"{code.code}: unknown group {code.group!r}")
    if code.code in _REGISTRY:  # pragma: no cover - programming error
        raise ValueError(f"duplicate code {code.code}")
    _REGISTRY[code.code] = code
    return code


_TRANSLATED: dict[tuple[str, Code], Code] = {}


def translated(code: Code) -> Code:
    """``code`` with what a user reads of it (title, rationale, hint, example, the parameters'
    descriptions, why it cannot be waived) in the language spoken now. Those texts are written
    in English and marked with ``N_()`` where they are defined (here, and in each check's
    class); in English this is ``code`` itself."""
    language = i18n.language()
    if language == i18n.DEFAULT:
        return code
    known = _TRANSLATED.get((language, code))
    if known is None:
        known = _TRANSLATED[(language, code)] = replace(
            code, title=_text(code.title), rationale=_text(code.rationale),
            hint=_text(code.hint), example=_text(code.example),
            params={name: replace(param, description=_text(param.description))
                    for name, param in code.params.items()},
            not_waivable=_text(code.not_waivable) if code.not_waivable else None)
    return known


def _text(text: str) -> str:
    # gettext("") is the catalog's header, not an empty text
    return _(text) if text else text


def get(code: str) -> Code:
    """The metadata of ``code``, in the language spoken (KeyError if it is not defined)."""
    return translated(_REGISTRY[code])


def defined() -> list[Code]:
    """Every code defined so far, in the language spoken, by group (see GROUPS) then code.
    The governance and drift codes are defined when their checks load: use
    livingsys.checks.base.catalogue() to be sure to see them all."""
    return [translated(c) for c in sorted(_REGISTRY.values(),
                                          key=lambda c: (GROUPS.index(c.group), c.code))]


def finding(code: str, message: str, path: str | None = None, *, line: int | None = None,
            col: int | None = None, hint: str | None = None, severity: Severity | None = None,
            unreadable: bool = False) -> Finding:
    """A finding of ``code``, named and (unless told otherwise) with the code's severity and
    hint (in the language spoken)."""
    meta = _REGISTRY[code]
    return Finding(code=code, severity=severity or meta.severity, message=message, path=path,
                   line=line, col=col, hint=hint or _text(meta.hint), name=meta.name,
                   unreadable=unreadable)


# --------------------------------------------------------------------------------------------
# Problems found while reading the registry's files (Y), and format (schema) errors (S).
# The loader reports them rather than checks run over valid automations; they cannot be
# switched off or waived, and come first in lint's output.

_READ = N_("A registry nobody can read reliably is not 'explicit': the article wants rules "
           "written down and shared, not in one person's head or in a file only one editor "
           "opens.")


define(Code(
    "Y001", "unreadable-file", group="input",
    title=N_("The file cannot be read as UTF-8 text"),
    rationale=_READ,
    hint=N_("save the file as UTF-8 text")))


define(Code(
    "Y002", "yaml-syntax", group="input",
    title=N_("The file is not valid YAML"),
    rationale=_READ,
    hint=N_("fix the line shown: indentation, a missing ':' or an unclosed quote or bracket")))


define(Code(
    "Y003", "duplicate-key", group="input",
    title=N_("The same key appears twice in one block"),
    rationale=N_("YAML keeps only the last of two equal keys, silently: what a reader sees is "
                 "not what the automation gets. A registry nobody can read reliably is not "
                 "'explicit': the article wants rules written down and shared, not in one "
                 "person's head or in a file only one editor opens."),
    hint=N_("keep one of the two")))


define(Code(
    "Y004", "empty-file", group="input",
    title=N_("The file is empty"),
    rationale=N_("An empty file documents nothing; it is usually a forgotten draft."),
    hint=N_("fill it in or delete it")))


define(Code(
    "Y005", "several-documents", group="input",
    title=N_("The file holds several YAML documents"),
    rationale=N_("One automation, one file: ownership and history follow files."),
    hint=N_("split the file at each '---' into its own file")))


define(Code(
    "Y006", "alias-expansion", group="input",
    title=N_("Aliases expand to far too much data"),
    rationale=N_("A few lines of aliases can expand to billions of values ('billion laughs') "
                 "and exhaust memory; livingsys refuses such files."),
    hint=N_("write values out instead of using many aliases (*name)")))


define(Code(
    "Y007", "file-too-large", group="input",
    title=N_("The file is too large to be a registry file"),
    rationale=N_("Registry files describe things in a page; huge files are pasted data."),
    hint=N_("keep data (exports, logs) out of the registry folder")))


define(Code(
    "Y008", "outside-registry", group="input",
    title=N_("A link points outside the registry folder"),
    rationale=N_("What the registry says must be in the registry's git history, reviewed like "
                 "the rest; a link to a file elsewhere escapes review."),
    hint=N_("copy the file into the registry instead of linking to it")))


define(Code(
    "Y009", "byte-order-mark", group="input",
    severity=Severity.WARNING,
    title=N_("The file starts with a byte-order mark (BOM)"),
    rationale=N_("Some tools misread files that start with a BOM."),
    hint=N_("save as 'UTF-8' rather than 'UTF-8 with BOM'")))


define(Code(
    "Y010", "tab-indentation", group="input",
    title=N_("A tab is used for indentation"),
    rationale=N_("YAML only accepts spaces for indentation."),
    hint=N_("replace tabs with spaces")))


define(Code(
    "Y011", "comment-cuts-value", group="input",
    severity=Severity.WARNING,
    title=N_("A ' #' in an unquoted value starts a comment: the rest of the value is lost"),
    rationale=N_("In YAML, ' #' starts a comment, so `does: posts them in "
                 "#support-escalations.` keeps only 'posts them in', silently. Chat channels "
                 "(#finance) and ticket numbers are written that way every day. The article "
                 "asks that each automation be documented so that anyone can understand it: "
                 "what is written must be what is read."),
    hint=N_('put the whole value in quotes: does: "posts them in #support-escalations."'),
    example='notify_on_exception: {channel: "#finance"}'))


define(Code(
    "Y013", "invisible-character", group="input",
    severity=Severity.WARNING,
    title=N_("A text holds a control character (an escape sequence, a bidirectional override)"),
    rationale=N_("The article asks that each automation be documented so that anyone can "
                 "understand it: what people read must be what is written. A control "
                 "character is invisible or reorders what is shown (a right-to-left override "
                 "displays the text after it backwards), and an escape sequence drives the "
                 "terminal that prints it. livingsys shows them as visible signs (␛), and "
                 "flags them."),
    hint=N_("remove it: write the text with visible characters only"),
    example='name: "Payment reminders"'))


define(Code(
    "S001", "unknown-key", group="schema",
    title=N_("A key is not part of the format"),
    rationale=N_("A misspelt key is silently ignored by most tools: 'ownr: c.moreau' would "
                 "leave the automation without an owner while looking fine."),
    hint=N_("fix the spelling; `livingsys schema` lists every key")))


define(Code(
    "S002", "bad-value", group="schema",
    title=N_("A value has the wrong type or is not one of the allowed values"),
    rationale=N_("Checks and reviews can only rely on values written the expected way."),
    hint=N_("use a value of the kind shown; `livingsys schema` documents each key")))


define(Code(
    "S003", "missing-key", group="schema",
    title=N_("A required key is missing"),
    rationale=N_("Every automation must be explicit: these keys are the minimum to understand "
                 "it."),
    hint=N_("add the key")))


define(Code(
    "S004", "missing-file", group="schema",
    title=N_("A registry file is missing (livingsys.yaml or people.yaml)"),
    rationale=N_("The settings say how incidents are reported and how reviews run; "
                 "people.yaml says who owns what (article, rule 2)."),
    hint=N_("run `livingsys init` in an empty folder to see a complete registry")))


define(Code(
    "S005", "misplaced-file", group="schema",
    severity=Severity.WARNING,
    title=N_("A file in the registry is not where livingsys reads it"),
    rationale=N_("A file livingsys does not read is not checked, and nobody notices."),
    hint=N_("move it to the right folder, give it the .yaml extension, or remove it")))


# --------------------------------------------------------------------------------------------
# Problems in indicators.csv, the monthly figures of each automation: found while the registry
# is read (by livingsys.reading.indicators), they cannot be switched off or waived, and point
# at the CSV row (line) and column.

_TRENDS = N_("Article, section 3.2: three indicators per important automation — volume "
             "handled, exception rate (how often a person had to take over), perceived "
             "impact (time saved, team satisfaction) — followed in a simple Excel or Google "
             'Sheets table; "what matters is to see the trends". A mistyped figure makes a '
             "false alarm or hides a real one, so every row is checked.")

COLUMNS_HINT = N_("the first row names the columns: automation, period, volume, exceptions, "
                  "time_saved_hours, satisfaction (see `livingsys help indicators`)")


define(Code(
    "I001", "indicators-unreadable", group="input",
    title=N_("indicators.csv cannot be read as a CSV text file"),
    rationale=_TRENDS,
    hint=N_("in Excel: File › Save as › 'CSV UTF-8 (comma delimited)' or 'CSV (semicolon)'")))


define(Code(
    "I002", "indicators-columns", group="schema",
    title=N_("indicators.csv has the columns livingsys reads, each once"),
    rationale=_TRENDS,
    hint=COLUMNS_HINT))


define(Code(
    "I003", "indicators-unknown-id", group="schema",
    title=N_("Each row of indicators.csv names an automation of the registry"),
    rationale=N_("Figures filed under a wrong id are lost for the automation they measure. "
                 "Article, section 3.2: three indicators per important automation — volume "
                 "handled, exception rate (how often a person had to take over), perceived "
                 "impact (time saved, team satisfaction) — followed in a simple Excel or "
                 'Google Sheets table; "what matters is to see the trends". A mistyped figure '
                 "makes a false alarm or hides a real one, so every row is checked."),
    hint=N_("use the automation's id, as in automations/<id>.yaml")))


define(Code(
    "I004", "indicators-bad-number", group="schema",
    title=N_("Figures in indicators.csv are numbers (volume and exceptions whole numbers)"),
    rationale=_TRENDS,
    hint=N_("write plain numbers: 212 for a volume, 12.5 or 12,5 for hours; no units, no "
            "thousands separators")))


define(Code(
    "I005", "indicators-negative", group="schema",
    title=N_("Figures in indicators.csv are not negative"),
    rationale=_TRENDS,
    hint=N_("a volume, a number of exceptions or hours saved cannot be below 0")))


define(Code(
    "I006", "indicators-rate-over-100", group="schema",
    title=N_("Exceptions are not more than the volume (rate over 100%)"),
    rationale=N_("The exception rate is exceptions / volume: how many of the cases handled a "
                 "person had to take over. More exceptions than cases is a typo or two "
                 "columns swapped. Article, section 3.2: three indicators per important "
                 "automation — volume handled, exception rate (how often a person had to take "
                 "over), perceived impact (time saved, team satisfaction) — followed in a "
                 'simple Excel or Google Sheets table; "what matters is to see the trends". A '
                 "mistyped figure makes a false alarm or hides a real one, so every row is "
                 "checked."),
    hint=N_("check the two figures: 'exceptions' counts cases among 'volume'")))


define(Code(
    "I007", "indicators-satisfaction", group="schema",
    title=N_("Satisfaction is between 1 and 5, or left empty"),
    rationale=N_("Satisfaction is the team's rating of the automation, from 1 (poor) to 5 "
                 "(excellent); leave the cell empty when nobody was asked. Article, section "
                 "3.2: three indicators per important automation — volume handled, exception "
                 "rate (how often a person had to take over), perceived impact (time saved, "
                 "team satisfaction) — followed in a simple Excel or Google Sheets table; "
                 '"what matters is to see the trends". A mistyped figure makes a false alarm '
                 "or hides a real one, so every row is checked."),
    hint=N_("write a score from 1 to 5 (decimals allowed, e.g. 4.5), or leave the cell empty")))


define(Code(
    "I008", "indicators-bad-period", group="schema",
    title=N_("The period is a month YYYY-MM or an ISO week YYYY-Www, not in the future"),
    rationale=N_('The article counts the volume "per week or per month". Article, section '
                 "3.2: three indicators per important automation — volume handled, exception "
                 "rate (how often a person had to take over), perceived impact (time saved, "
                 "team satisfaction) — followed in a simple Excel or Google Sheets table; "
                 '"what matters is to see the trends". A mistyped figure makes a false alarm '
                 "or hides a real one, so every row is checked."),
    hint=N_("write the month as YYYY-MM (e.g. 2026-03) or the ISO week as YYYY-Www (e.g. "
            "2026-W48); if Excel turned it into a date, format the column as Text before "
            "typing")))


define(Code(
    "I009", "indicators-duplicate", group="schema",
    title=N_("One row per automation and period (month or week)"),
    rationale=N_("Two rows for the same automation and month: which one is right? Trends "
                 "would be computed from a guess. Article, section 3.2: three indicators per "
                 "important automation — volume handled, exception rate (how often a person "
                 "had to take over), perceived impact (time saved, team satisfaction) — "
                 'followed in a simple Excel or Google Sheets table; "what matters is to see '
                 'the trends". A mistyped figure makes a false alarm or hides a real one, so '
                 "every row is checked."),
    hint=N_("keep one row per automation and month (or week): add the figures up or remove "
            "the extra row")))


define(Code(
    "I010", "indicators-missing-value", group="schema",
    title=N_("A row gives its automation, period, volume and exceptions"),
    rationale=_TRENDS,
    hint=N_("fill in the cell; only time_saved_hours and satisfaction may be left empty "
            "(write 0 when there were no cases)")))


define(Code(
    "I011", "indicators-extra-column", group="schema",
    severity=Severity.WARNING,
    title=N_("A column of indicators.csv is not read by livingsys"),
    rationale=N_("A column livingsys does not know is ignored; when its name is a typo of a "
                 "known column, its figures are silently lost. Article, section 3.2: three "
                 "indicators per important automation — volume handled, exception rate (how "
                 "often a person had to take over), perceived impact (time saved, team "
                 'satisfaction) — followed in a simple Excel or Google Sheets table; "what '
                 'matters is to see the trends". A mistyped figure makes a false alarm or '
                 "hides a real one, so every row is checked."),
    hint=COLUMNS_HINT))


define(Code(
    "I015", "indicators-too-large", group="schema",
    title=N_("Figures in indicators.csv are of a plausible size"),
    rationale=N_("A figure of hundreds of digits is a paste gone wrong (a whole column in one "
                 "cell, an account number): it would swamp every trend. Article, section 3.2: "
                 "three indicators per important automation — volume handled, exception rate "
                 "(how often a person had to take over), perceived impact (time saved, team "
                 'satisfaction) — followed in a simple Excel or Google Sheets table; "what '
                 'matters is to see the trends". A mistyped figure makes a false alarm or '
                 "hides a real one, so every row is checked."),
    hint=N_("check the cell: a month's volume, exceptions or hours saved are ordinary numbers "
            "(at most 1,000,000,000,000)")))


define(Code(
    "I012", "indicators-week-and-month", group="schema",
    title=N_("A month is given either as a month row or as week rows, not both"),
    rationale=N_("A week's figures count for the month of its Thursday (ISO weeks); a month "
                 "row and week rows of the same month would count the same cases twice. "
                 "Article, section 3.2: three indicators per important automation — volume "
                 "handled, exception rate (how often a person had to take over), perceived "
                 "impact (time saved, team satisfaction) — followed in a simple Excel or "
                 'Google Sheets table; "what matters is to see the trends". A mistyped figure '
                 "makes a false alarm or hides a real one, so every row is checked."),
    hint=N_("keep the month row or the week rows of that month for this automation: remove "
            "the others (or write every month as weeks)")))


# --------------------------------------------------------------------------------------------
# A check that crashed (a bug in livingsys), reported by lint in place of that check's
# findings for the file.

define(Code(
    "X001", "internal-error", group="internal",
    title=N_("A check failed on a file: a bug in livingsys"),
    rationale=N_("A check that crashes must neither hide the other checks nor let the file "
                 "pass as if it were fine: lint reports the crash on the file it happened on, "
                 "runs the other checks, and fails."),
    hint=N_("this is a bug in livingsys; please report it with the file"),
    not_waivable=N_("a crash is a bug to fix in livingsys, not a rule to set aside")))
