"""Text that YAML reads otherwise than people see it, found once a file is composed: a ' #'
that cuts a plain value short (Y011), control characters that hide or disguise text (Y013).
"""

from __future__ import annotations

import re
from typing import Any

from livingsys import codes, i18n
from livingsys.findings import Finding, Severity
from livingsys.i18n import N_, _, ngettext
from livingsys.reading.yamldata import COMMENT_CUTS_VALUE, INVISIBLE
from livingsys.reading.yamldata import finding as _finding
from livingsys.reading.yamlloader import is_number_or_boolean
from livingsys.reading.yamlwording import CONTINUATION, quoted


def comments_cutting_values(node, text: str, path: str) -> list[Finding]:
    """Y011 where a plain (unquoted) value is followed, on its last line, by a comment whose
    text looks like the rest of the value: `does: posts them in #support-escalations.` gives
    'posts them in'.

    Only the lines where `<space>#<word>` occurs are looked at (one regular expression over
    the text; most files have none); then the composed nodes are walked once to find the
    plain values that end just before such a comment. Quoted values and `|` / `>` blocks,
    where `#` is text, are never concerned, nor keys.
    """
    if node is None or not CONTINUATION.search(text):
        return []
    lines = text.split("\n")
    candidates = set()
    for match in CONTINUATION.finditer(text):
        candidates.add(text.count("\n", 0, match.start()))
    findings: list[Finding] = []
    seen: set[int] = set()
    # (key or None for a list item, value node)
    stack: list[tuple[Any, Any]] = [(None, node)]
    while stack:
        key, current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        kind = current.id
        if kind == "mapping":
            stack.extend((k.value if k.id == "scalar" else None, v) for k, v in current.value)
            continue
        if kind == "sequence":
            stack.extend((None, item) for item in current.value)
            continue
        if current.style or current.end_mark.line not in candidates or \
                is_number_or_boolean(current):
            continue  # `daily_cap: 40 #max`: a number is not cut text, the rest is a note
        end = current.end_mark
        line = lines[end.line] if end.line < len(lines) else ""
        rest = line[end.column:]
        gap = len(rest) - len(rest.lstrip(" \t"))
        if not gap or not rest[gap:].startswith("#") or not re.match(r"\w", rest[gap + 1:]):
            continue
        comment = rest[gap + 1:].rstrip("\r").rstrip()
        value = current.value
        whole = f"{value} #{comment}" if value else f"#{comment}"
        written = quoted(whole)
        if key is not None:
            written = f"{key}: {written}"
        elif current is not node:
            written = f"- {written}"
        if value:
            message = _("the text after ' #' was read as a YAML comment, so the value is "
                        "'{value}'")
        elif key is not None:
            message = _("the text after ' #' was read as a YAML comment, so '{key}' has no "
                        "value")
        else:
            message = _("the text after ' #' was read as a YAML comment, so the item has no "
                        "value")
        findings.append(_finding(
            COMMENT_CUTS_VALUE, path, message.format(value=value, key=key),
            _("put the whole value in quotes: {written} (if it really is a comment, write "
              "'# ' with a space)").format(written=written),
            end.line + 1, end.column + gap + 1, Severity.WARNING))
    findings.sort(key=lambda f: (f.line, f.col))
    return findings


# Bidirectional controls can be typed as they are; every other control character needs a
# double-quoted escape (YAML refuses them raw), which always holds a backslash.
_BIDI_RAW = re.compile("[\u202a-\u202e\u2066-\u2069\u2028\u2029\x85]")


def invisible_characters(node, text: str, path: str) -> list[Finding]:
    """Y013 at each key or value holding a control character (an escape sequence, a
    backspace, a bidirectional override): it hides or disguises what people read, or drives
    the terminal that shows it. Files without a backslash or a bidirectional character, almost
    all of them, are not walked."""
    if node is None or ("\\" not in text and not _BIDI_RAW.search(text)):
        return []
    findings: list[Finding] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.id == "mapping":
            for key, value in current.value:
                stack += [key, value]
            continue
        if current.id == "sequence":
            stack.extend(current.value)
            continue
        found = _control_characters(str(current.value))
        if found:
            mark = current.start_mark
            findings.append(_finding(
                INVISIBLE, path, _("this text holds {found}, invisible or misleading where "
                                   "people read it (a terminal may even act on it)").format(
                                       found=found),
                codes.get(INVISIBLE).hint,
                mark.line + 1, mark.column + 1, Severity.WARNING))
    findings.sort(key=lambda f: (f.line, f.col))
    return findings


#: The control characters a person may know by name, as :mod:`livingsys.neutral` names them
#: (in English), marked for the catalog.
_CONTROL_NAMES = {0x1B: "ESC", 0x07: "BEL", 0x08: N_("backspace"), 0x0D: N_("carriage return"),
                  0x00: "NUL", 0x7F: "DEL", 0x9B: "CSI", 0x202E: N_("right-to-left override"),
                  0x202D: N_("left-to-right override"), 0x2028: N_("line separator")}


def _control_characters(text: str) -> str | None:
    """The control characters of ``text`` named for a person: neutral's words in English,
    the same sentence in the language spoken otherwise; None when there are none."""
    from livingsys.neutral import control_characters, visible

    found = control_characters(text)
    if found is None or i18n.language() == i18n.DEFAULT:
        return found
    kinds = [c for c in dict.fromkeys(text) if visible(c) != c]  # as neutral finds them
    first = ord(kinds[0])
    known = _(_CONTROL_NAMES[first]) if first in _CONTROL_NAMES else None
    name = f"{known} (U+{first:04X})" if known else f"U+{first:04X}"
    if len(kinds) == 1:
        return _("a control character, {name}").format(name=name)
    return ngettext("a control character, {name} and {n} other kind",
                    "a control character, {name} and {n} other kinds", len(kinds) - 1).format(
                        name=name, n=len(kinds) - 1)
