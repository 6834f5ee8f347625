"""The wording of YAML syntax errors: ruamel's parse errors said in plain words, pointing where
the mistake was written (a bracket or a quote opened lines above) rather than where the
parser gave up.
"""

from __future__ import annotations

import re

from livingsys.findings import Finding
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
                        "the file holds several YAML documents (separated by '---')",
                        "keep one document per file: one automation, one file", line, col)
    if "\t" in indent or ("\t" in bad_line and "cannot start any token" in problem):
        return _finding(TAB, path, "a tab character is used for indentation",
                        "YAML indents with spaces only: replace the tab with spaces "
                        "(most editors can 'convert indentation to spaces')",
                        line, (bad_line.index("\t") + 1) if "\t" in bad_line else col)
    where = f"line {line}, column {col}"
    kind = next((v for k, v in _OPENERS.items() if k in context), None)
    if kind and opened is not None and "expected" in problem:
        what, opener, closer = kind
        hidden = _comment_hiding_closer(text, opened.line, mark.line if mark else opened.line)
        if hidden is not None:
            h_line, h_col, value = hidden
            return _finding(
                SYNTAX, path, f"invalid YAML: the ' #' on line {h_line + 1} starts a comment, "
                f"which hides the rest of the line, so the {what} opened with '{opener}' on "
                f"line {opened.line + 1} is never closed with '{closer}'",
                f"put the value in quotes: {quoted(value)}", h_line + 1, h_col + 1)
        return _finding(
            SYNTAX, path, f"invalid YAML: the {what} opened with '{opener}' here is not closed "
            f"with '{closer}' (the reader gave up at {where})",
            f"add the closing '{closer}', and separate the items with ','",
            opened.line + 1, opened.column + 1)
    if "quoted scalar" in context and opened is not None and "end of stream" in problem:
        return _finding(
            SYNTAX, path, "invalid YAML: the quote opened here is never closed",
            "add the closing quote at the end of the value (the same kind: ' or \")",
            opened.line + 1, opened.column + 1)
    if "unknown escape character" in problem:
        return _finding(
            SYNTAX, path, f"invalid YAML: {problem} in a double-quoted value",
            "between double quotes a backslash starts an escape like \\n; use single quotes "
            "('C:\\data') or double the backslash", line, col)
    if "mapping values are not allowed" in problem and bad_line:
        before = bad_line[: (col or 1) - 1].lstrip(" -")
        if ": " not in before and ":\t" not in before:
            # "  owner: x" read as the continuation of the value on the line above
            key = before.strip()
            return _finding(
                SYNTAX, path, f"invalid YAML: '{key}:' is indented deeper than the key above "
                "it, which already has a value",
                f"indent '{key}:' like the other keys of its block (same number of spaces), "
                "or, if it belongs under the key above, remove that key's value",
                line, len(indent) + 1)
        key, _, value = bad_line.strip().lstrip("- ").partition(": ")
        in_quotes = quoted(value.split(" #", 1)[0].strip())
        return _finding(
            SYNTAX, path, f"invalid YAML: the value of '{key}' contains ': ' (a colon and a "
            "space), which YAML reads as a new key",
            f"put the whole value between quotes: {key}: {in_quotes}", line, col)
    if "found undefined alias" in problem:
        return _finding(
            SYNTAX, path, "invalid YAML: an alias (*name) refers to an anchor (&name) that is "
            "not defined above it", "define '&name' on a value above, or write the value out "
            "(a value starting with '*' must be quoted)", line, col)
    if problem in ("did not find expected key", "did not find expected '-' indicator") \
            and opened is not None:
        return _finding(
            SYNTAX, path, f"invalid YAML: line {line} is not indented like the block it "
            f"belongs to (started on line {opened.line + 1})",
            "indent every key of one block, and every '- ' of one list, with the same number "
            "of spaces", line, col)
    message = f"invalid YAML: {problem}"
    if context and "while" not in context:
        message += f" ({context})"
    return _finding(SYNTAX, path, message,
                    "check the indentation, the ':' after each key and that brackets and quotes "
                    "are closed", line, col)



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
    return _finding(SYNTAX, path, f"the YAML is nested more than {MAX_DEPTH} levels deep",
                    "an automation file needs only a few levels; flatten the structure",
                    line + 1, col + 1)

