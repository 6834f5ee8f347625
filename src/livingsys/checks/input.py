"""Problems found while reading the registry's files, and format (schema) errors.

They are reported by the loader rather than run over valid automations, cannot be switched off
or waived, and come first in lint's output. They are described here so that `livingsys rules`
and `--explain` cover every code lint can print.
"""

from __future__ import annotations

from livingsys.checks.base import Check, register
from livingsys.findings import Severity

_READ = ("A registry nobody can read reliably is not 'explicit': the article wants rules "
         "written down and shared, not in one person's head or in a file only one editor opens.")


@register
class Unreadable(Check):
    code, name, group = "Y001", "unreadable-file", "input"
    title = "The file cannot be read as UTF-8 text"
    rationale = _READ
    hint = "save the file as UTF-8 text"


@register
class YamlSyntax(Check):
    code, name, group = "Y002", "yaml-syntax", "input"
    title = "The file is not valid YAML"
    rationale = _READ
    hint = "fix the line shown: indentation, a missing ':' or an unclosed quote or bracket"


@register
class DuplicateKey(Check):
    code, name, group = "Y003", "duplicate-key", "input"
    title = "The same key appears twice in one block"
    rationale = ("YAML keeps only the last of two equal keys, silently: what a reader sees is "
                 "not what the automation gets. " + _READ)
    hint = "keep one of the two"


@register
class EmptyFile(Check):
    code, name, group = "Y004", "empty-file", "input"
    title = "The file is empty"
    rationale = "An empty file documents nothing; it is usually a forgotten draft."
    hint = "fill it in or delete it"


@register
class SeveralDocuments(Check):
    code, name, group = "Y005", "several-documents", "input"
    title = "The file holds several YAML documents"
    rationale = "One automation, one file: ownership and history follow files."
    hint = "split the file at each '---' into its own file"


@register
class AliasBomb(Check):
    code, name, group = "Y006", "alias-expansion", "input"
    title = "Aliases expand to far too much data"
    rationale = ("A few lines of aliases can expand to billions of values ('billion laughs') "
                 "and exhaust memory; livingsys refuses such files.")
    hint = "write values out instead of using many aliases (*name)"


@register
class TooLarge(Check):
    code, name, group = "Y007", "file-too-large", "input"
    title = "The file is too large to be a registry file"
    rationale = "Registry files describe things in a page; huge files are pasted data."
    hint = "keep data (exports, logs) out of the registry folder"


@register
class OutsideRegistry(Check):
    code, name, group = "Y008", "outside-registry", "input"
    title = "A link points outside the registry folder"
    rationale = ("What the registry says must be in the registry's git history, reviewed like "
                 "the rest; a link to a file elsewhere escapes review.")
    hint = "copy the file into the registry instead of linking to it"


@register
class ByteOrderMark(Check):
    code, name, group = "Y009", "byte-order-mark", "input"
    severity = Severity.WARNING
    title = "The file starts with a byte-order mark (BOM)"
    rationale = "Some tools misread files that start with a BOM."
    hint = "save as 'UTF-8' rather than 'UTF-8 with BOM'"


@register
class Tab(Check):
    code, name, group = "Y010", "tab-indentation", "input"
    title = "A tab is used for indentation"
    rationale = "YAML only accepts spaces for indentation."
    hint = "replace tabs with spaces"


@register
class CommentCutsValue(Check):
    code, name, group = "Y011", "comment-cuts-value", "input"
    severity = Severity.WARNING
    title = "A ' #' in an unquoted value starts a comment: the rest of the value is lost"
    rationale = ("In YAML, ' #' starts a comment, so `does: posts them in "
                 "#support-escalations.` keeps only 'posts them in', silently. Chat channels "
                 "(#finance) and ticket numbers are written that way every day. The article "
                 "asks that each automation be documented so that anyone can understand it: "
                 "what is written must be what is read.")
    hint = "put the whole value in quotes: does: \"posts them in #support-escalations.\""
    example = 'notify_on_exception: {channel: "#finance"}'


@register
class InvisibleCharacter(Check):
    code, name, group = "Y013", "invisible-character", "input"
    severity = Severity.WARNING
    title = "A text holds a control character (an escape sequence, a bidirectional override)"
    rationale = ("The article asks that each automation be documented so that anyone can "
                 "understand it: what people read must be what is written. A control "
                 "character is invisible or reorders what is shown (a right-to-left override "
                 "displays the text after it backwards), and an escape sequence drives the "
                 "terminal that prints it. livingsys shows them as visible signs (␛), and flags "
                 "them.")
    hint = "remove it: write the text with visible characters only"
    example = 'name: "Payment reminders"'


@register
class UnknownKey(Check):
    code, name, group = "S001", "unknown-key", "schema"
    title = "A key is not part of the format"
    rationale = ("A misspelt key is silently ignored by most tools: 'ownr: c.moreau' would "
                 "leave the automation without an owner while looking fine.")
    hint = "fix the spelling; `livingsys schema` lists every key"


@register
class BadValue(Check):
    code, name, group = "S002", "bad-value", "schema"
    title = "A value has the wrong type or is not one of the allowed values"
    rationale = "Checks and reviews can only rely on values written the expected way."
    hint = "use a value of the kind shown; `livingsys schema` documents each key"


@register
class MissingKey(Check):
    code, name, group = "S003", "missing-key", "schema"
    title = "A required key is missing"
    rationale = "Every automation must be explicit: these keys are the minimum to understand it."
    hint = "add the key"


@register
class MissingFile(Check):
    code, name, group = "S004", "missing-file", "schema"
    title = "A registry file is missing (livingsys.yaml or people.yaml)"
    rationale = ("The settings say how incidents are reported and how reviews run; people.yaml "
                 "says who owns what (article, rule 2).")
    hint = "run `livingsys init` in an empty folder to see a complete registry"


@register
class MisplacedFile(Check):
    code, name, group = "S005", "misplaced-file", "schema"
    severity = Severity.WARNING
    title = "A file in the registry is not where livingsys reads it"
    rationale = "A file livingsys does not read is not checked, and nobody notices."
    hint = "move it to the right folder, give it the .yaml extension, or remove it"


INPUT_NAMES = {c.code: c.name for c in (
    Unreadable, YamlSyntax, DuplicateKey, EmptyFile, SeveralDocuments, AliasBomb, TooLarge,
    OutsideRegistry, ByteOrderMark, Tab, CommentCutsValue, InvisibleCharacter, UnknownKey,
    BadValue, MissingKey, MissingFile, MisplacedFile)}
