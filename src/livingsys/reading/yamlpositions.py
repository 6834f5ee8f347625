"""Where a value was written: the line and column of a key or value in the data read
(:func:`locate`), and of one character inside a text value (:func:`scalar_position`).
"""

from __future__ import annotations

from typing import Any

from livingsys.reading.yamldata import YamlList, YamlMap


def locate(data: Any, loc: tuple, *, key: bool = False) -> tuple[int, int] | None:
    """The 1-based (line, col) of the value at ``loc`` inside ``data``, or of the deepest
    part of ``loc`` that exists. With ``key=True`` the position of the last key itself."""
    best = (data.mark[0] + 1, data.mark[1] + 1) if isinstance(data, (YamlMap, YamlList)) else None
    current = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, YamlMap) and part in current.marks:
            m = current.marks[part]
            best = (m[0] + 1, m[1] + 1) if (key and last) else (m[2] + 1, m[3] + 1)
            current = current[part]
        elif isinstance(current, YamlList) and isinstance(part, int) and 0 <= part < len(current):
            item = current.marks[part]
            best = (item[0] + 1, item[1] + 1)
            current = current[part]
        else:
            break
    return best


def scalar_position(text: str, start: tuple[int, int], value: str,
                    offset: int) -> tuple[int, int]:
    """The 1-based (line, col) in the file of character ``offset`` of a text value.

    ``start`` is the 0-based position where the value's node starts (``value_position``),
    ``value`` the text YAML gave. Works for plain scalars (on one line or folded over
    several), 'single' and "double" quoted ones, and ``|`` / ``>`` block scalars, whose text
    starts on the line after the indicator. The value's characters are matched in order
    against the file, skipping only indentation, line breaks and quoting (a quote, a
    doubled quote, a backslash); when that fails (an escape such as ``\\t`` or ``\\u00e9``),
    the position of the value's start is returned.
    """
    line0, col0 = start
    fallback = (line0 + 1, col0 + 1)
    lines = text.split("\n")
    if line0 >= len(lines):
        return fallback
    pos = sum(len(line) + 1 for line in lines[:line0]) + col0
    # An anchor (&name) or a tag (!tag) before the value.
    while pos < len(text) and text[pos] in "&!":
        while pos < len(text) and not text[pos].isspace():
            pos += 1
        while pos < len(text) and text[pos] in " \t":
            pos += 1
    skippable = " \t\r\n"
    if pos < len(text) and text[pos] in "|>":
        newline = text.find("\n", pos)
        if newline < 0:
            return fallback
        pos = newline + 1
    elif pos < len(text) and text[pos] in "'\"":
        skippable += text[pos] + ("\\" if text[pos] == '"' else "")
        pos += 1
    if not value:
        return _line_col(text, pos)
    target = max(0, min(offset, len(value)))
    found = pos
    for index, char in enumerate(value[:target + 1]):
        if char in " \t\r\n":
            if pos < len(text) and text[pos] == char:
                found = pos
                pos += 1
            else:
                found = pos
            if index == target:
                break
            continue
        while pos < len(text) and text[pos] != char:
            if text[pos] not in skippable:
                return fallback
            pos += 1
        if pos >= len(text):
            return fallback
        found = pos
        pos += 1
    if offset >= len(value):
        found = pos  # just after the last character
    return _line_col(text, found)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col
