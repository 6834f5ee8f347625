"""A YAML file's top-level entries as texts of their own, when splitting the text there is
sure to give the same data as parsing the whole file.

``review-due`` reads many versions of the same automation file: two versions whose entry
texts are equal have equal data in those entries, so most entries are parsed once and equal
parts need no comparing.
"""

from __future__ import annotations

import re
from typing import Any

from livingsys.reading.yamlsource import (
    MAX_NODES,
    NESTING_MARKS,
    SCAN_DEPTH_ABOVE,
    decode,
    parse,
)

#: Where a line at column 0 starts (not a comment, not blank): each entry starts there.
_TOP_LINE = re.compile(r"^(?=[^ #\n])", re.M)
#: An entry's first line: a plain key, then a space or the end of that line.
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ \n]|$)")
_UNSEEN: Any = object()


def _key_of(entry: str) -> str | None:
    found = _TOP_KEY.match(entry)
    return found.group(1) if found is not None else None


def _marks(text: str) -> int:
    """How many of the reader's nesting marks the text holds (see NESTING_MARKS)."""
    count = text.count
    return sum([count(mark) for mark in NESTING_MARKS])


class TopLevelSplitter:
    """The texts of a file's top-level entries (``key: ...`` up to the next one), when
    that split is sure to give the same data as parsing the whole file.

    It is sure when the file is a block mapping whose every line at column 0 (other than
    comments and blank lines) starts a plain ``key:``, with no tab, carriage return or ``*``
    (so no alias: nothing refers to another entry, nothing expands), small enough that no
    limit of the reader is reached, no key twice, and when each entry parses on its own, without
    any finding, into
    a mapping of that one key: a quoted text or a bracket left open would carry on past the
    next ``key:`` line, but then its entry alone does not parse. The same entry text then
    gives the same data in both versions. Each distinct entry text is parsed once."""

    def __init__(self) -> None:
        #: (key, entry text) -> (its value,), or None when the entry alone is not sure.
        self._values: dict[tuple[str, str], tuple[Any] | None] = {}

    def split(self, raw: bytes, path: str, whole: Any = None) -> dict[str, str] | None:
        """Top-level key -> its text, or None when the split is not sure.

        ``whole``: the data of these very bytes parsed as one file without any finding (the
        registry read them already). When its keys are the entries' keys, in order, every
        line at column 0 starts one of its keys, so each entry's text is exactly that key's
        and its value is the one read: entries not seen yet take it instead of being parsed
        again."""
        text, findings = decode(raw, path)
        if text is None or findings or "\t" in text or "\r" in text or "*" in text \
                or 4 * len(text) >= MAX_NODES or _marks(text) > SCAN_DEPTH_ABOVE:
            return None
        preamble, *entries = _TOP_LINE.split(text)  # cut before every line at column 0
        if not entries:
            return None
        for line in preamble.split("\n"):
            if line.strip() and not line.lstrip().startswith("#"):
                return None
        out: dict[str, str] = {}
        values = self._values
        if isinstance(whole, dict) and len(whole) == len(entries):
            keys = [_key_of(part) for part in entries]
            if keys == list(whole):
                for part, key in zip(entries, whole, strict=True):
                    values.setdefault((str(key), part), (whole[key],))
        for part in entries:
            found = _TOP_KEY.match(part)
            if found is None:
                return None
            key = found.group(1)
            if key in out:
                return None
            value = values.get((key, part), _UNSEEN)
            if value is _UNSEEN:
                doc = parse(part, path)
                value = values[(key, part)] = (doc.data[key],) if not doc.findings \
                    and isinstance(doc.data, dict) and list(doc.data) == [key] else None
            if value is None:
                return None
            out[key] = part
        return out

    def data(self, parts: dict[str, str]) -> dict[str, Any]:
        """The data put together from the entries :meth:`split` gave (the same values as
        parsing the whole file)."""
        out: dict[str, Any] = {}
        for key, part in parts.items():
            value = self._values[(key, part)]
            assert value is not None  # split gives only entries that parse on their own
            out[key] = value[0]
        return out
