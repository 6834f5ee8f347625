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

_TOP_LINE = re.compile(r"^(?![ #\n])[^\n]*", re.M)
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: |$)")


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

    def split(self, raw: bytes, path: str) -> dict[str, str] | None:
        """Top-level key -> its text, or None when the split is not sure."""
        text, findings = decode(raw, path)
        if text is None or findings or "\t" in text or "\r" in text or "*" in text \
                or 4 * len(text) >= MAX_NODES \
                or sum(text.count(mark) for mark in NESTING_MARKS) > SCAN_DEPTH_ABOVE:
            return None
        starts: list[tuple[int, str]] = []
        for match in _TOP_LINE.finditer(text):
            if not match.group(0):
                continue
            found = _TOP_KEY.match(match.group(0))
            if found is None:
                return None
            starts.append((match.start(), found.group(1)))
        if not starts:
            return None
        for line in text[:starts[0][0]].split("\n"):
            if line.strip() and not line.lstrip().startswith("#"):
                return None
        out: dict[str, str] = {}
        for j, (pos, key) in enumerate(starts):
            if key in out:
                return None
            part = text[pos:starts[j + 1][0] if j + 1 < len(starts) else len(text)]
            if (key, part) not in self._values:
                doc = parse(part, path)
                self._values[(key, part)] = (doc.data[key],) if not doc.findings \
                    and isinstance(doc.data, dict) and list(doc.data) == [key] else None
            if self._values[(key, part)] is None:
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
