"""The wording of YAML syntax errors: ruamel's parse errors said in plain words, pointing where
the mistake was written (a bracket or a quote opened lines above) rather than where the
parser gave up.
"""

from __future__ import annotations

import re

from livingsys.findings import Finding
from livingsys.i18n import _
from livingsys.reading.yamldata import SEVERAL_DOCUMENTS, SYNTAX, TAB
from livingsys.reading.yamldata import finding as _finding
from livingsys.reading.yamlloader import MAX_DEPTH


def quoted(value: str) -> str:
    """``value`` written between quotes as YAML reads it back: 'single' when it holds a double
    quote (and no single one), else "double" with backslashes and double quotes escaped."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_OPENERS = {"flow sequence": ("list", "[", "]"), "flow mapping": ("block", "{", "}")}


def syntax_finding(exc: Exception, text: str, path: str) -> Finding:
    """A Y002 (or Y005, Y010) finding in plain words for one of ruamel's parse errors.

    The parser says where it gave up (``problem_mark``); when the mistake is elsewhere —
    a bracket or a quote opened lines above (``context_mark``) — the finding points there.
    """
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    opened = getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    lines = text.splitlines()
    bad_line = lines[line - 1] if line and line <= len(lines) else ""
    indent = bad_line[: len(bad_line) - len(bad_line.lstrip())]
    if "expected a single document" in str(exc):
        return _finding(SEVERAL_DOCUMENTS, path,
                        _("the file holds several YAML documents (separated by '---')"),
                        _("keep one document per file: one automation, one file"), line, col)
    if "\t" in indent or ("\t" in bad_line and "cannot start any token" in problem):
        return _finding(TAB, path, _("a tab character is used for indentation"),
                        _("YAML indents with spaces only: replace the tab with spaces "
                          "(most editors can 'convert indentation to spaces')"),
                        line, (bad_line.index("\t") + 1) if "\t" in bad_line else col)
    kind = next((v for k, v in _OPENERS.items() if k in context), None)
    if kind and opened is not None and "expected" in problem:
        what, opener, closer = kind
        hidden = _comment_hiding_closer(text, opened.line, mark.line if mark else opened.line)
        if hidden is not None:
            h_line, h_col, value = hidden
            if what == "list":
                message = _("invalid YAML: the ' #' on line {line} starts a comment, which "
                            "hides the rest of the line, so the list opened with '{opener}' "
                            "on line {opened} is never closed with '{closer}'")
            else:
                message = _("invalid YAML: the ' #' on line {line} starts a comment, which "
                            "hides the rest of the line, so the block opened with '{opener}' "
                            "on line {opened} is never closed with '{closer}'")
            return _finding(
                SYNTAX, path, message.format(line=h_line + 1, opener=opener,
                                             opened=opened.line + 1, closer=closer),
                _("put the value in quotes: {value}").format(value=quoted(value)),
                h_line + 1, h_col + 1)
        if what == "list":
            message = _("invalid YAML: the list opened with '{opener}' here is not closed with "
                        "'{closer}' (the reader gave up at line {line}, column {col})")
        else:
            message = _("invalid YAML: the block opened with '{opener}' here is not closed "
                        "with '{closer}' (the reader gave up at line {line}, column {col})")
        return _finding(
            SYNTAX, path, message.format(opener=opener, closer=closer, line=line, col=col),
            _("add the closing '{closer}', and separate the items with ','").format(
                closer=closer),
            opened.line + 1, opened.column + 1)
    if "quoted scalar" in context and opened is not None and "end of stream" in problem:
        return _finding(
            SYNTAX, path, _("invalid YAML: the quote opened here is never closed"),
            _("add the closing quote at the end of the value (the same kind: ' or \")"),
            opened.line + 1, opened.column + 1)
    if "unknown escape character" in problem:
        return _finding(
            SYNTAX, path, _("invalid YAML: {problem} in a double-quoted value").format(
                problem=problem),
            _("between double quotes a backslash starts an escape like \\n; use single quotes "
              "('C:\\data') or double the backslash"), line, col)
    if "mapping values are not allowed" in problem and bad_line:
        before = bad_line[: (col or 1) - 1].lstrip(" -")
        if ": " not in before and ":\t" not in before:
            # "  owner: x" read as the continuation of the value on the line above
            key = before.strip()
            return _finding(
                SYNTAX, path, _("invalid YAML: '{key}:' is indented deeper than the key above "
                                "it, which already has a value").format(key=key),
                _("indent '{key}:' like the other keys of its block (same number of spaces), "
                  "or, if it belongs under the key above, remove that key's value").format(
                    key=key),
                line, len(indent) + 1)
        key, _colon, value = bad_line.strip().lstrip("- ").partition(": ")
        in_quotes = quoted(value.split(" #", 1)[0].strip())
        return _finding(
            SYNTAX, path, _("invalid YAML: the value of '{key}' contains ': ' (a colon and a "
                            "space), which YAML reads as a new key").format(key=key),
            _("put the whole value between quotes: {key}: {value}").format(
                key=key, value=in_quotes), line, col)
    if "found undefined alias" in problem:
        return _finding(
            SYNTAX, path, _("invalid YAML: an alias (*name) refers to an anchor (&name) that "
                            "is not defined above it"),
            _("define '&name' on a value above, or write the value out "
              "(a value starting with '*' must be quoted)"), line, col)
    if problem in ("did not find expected key", "did not find expected '-' indicator") \
            and opened is not None:
        return _finding(
            SYNTAX, path, _("invalid YAML: line {line} is not indented like the block it "
                            "belongs to (started on line {start})").format(
                                line=line, start=opened.line + 1),
            _("indent every key of one block, and every '- ' of one list, with the same number "
              "of spaces"), line, col)
    if context and "while" not in context:
        # Translators: {problem} and {context} are the YAML reader's own words, in English.
        message = _("invalid YAML: {problem} ({context})").format(problem=problem,
                                                                  context=context)
    else:
        # Translators: {problem} is the YAML reader's own words, in English.
        message = _("invalid YAML: {problem}").format(problem=problem)
    return _finding(SYNTAX, path, message,
                    _("check the indentation, the ':' after each key and that brackets and "
                      "quotes are closed"), line, col)



CONTINUATION = re.compile(r"[ \t]#\w")
"""A comment that starts with a word (`#support-escalations`, `#finance`): where YAML reads a
comment after a value, such text is far more often the rest of the value (a chat channel, a
ticket number) than a note, which people write `# like this`."""


def _comment_hiding_closer(text: str, first: int, last: int) -> tuple[int, int, str] | None:
    """In a bracket left open between lines ``first`` and ``last`` (0-based), the first
    `<space>#<word>` comment, as (line, column of '#', the value it starts, up to the next
    ',', ']' or '}'): `{channel: #finance}` reads as `{channel:` and a comment."""
    for number, line in enumerate(text.split("\n")[first:last + 1], start=first):
        match = CONTINUATION.search(line)
        if match:
            before = re.split(r"[\[{,]|:(?:\s|$)", line[:match.start()])[-1].strip()
            after = re.split(r"[,\]}]", line[match.start() + 1:], maxsplit=1)[0].strip()
            return number, match.start() + 1, f"{before} {after}".strip()
    return None


def deep_finding(path: str, line: int, col: int) -> Finding:
    """The Y002 finding of a file nested past MAX_DEPTH at 0-based ``line``, ``col``."""
    return _finding(SYNTAX, path,
                    _("the YAML is nested more than {limit} levels deep").format(
                        limit=MAX_DEPTH),
                    _("an automation file needs only a few levels; flatten the structure"),
                    line + 1, col + 1)

