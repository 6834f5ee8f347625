"""Text for the YAML files livingsys writes: scalars that read back exactly, ids made from names.

`livingsys init` and `new` (:mod:`livingsys.ritual.scaffold`), `review record` and `incident
add` (:mod:`livingsys.ritual.recording`) and `livingsys import` (:mod:`livingsys.tools.importer`)
all write values a person typed or a tool exported; they go through :func:`yaml_scalar`, so a
name such as ``no``, ``null`` or ``# draft`` reads back as the text it was, never as a
boolean, an empty value or a comment.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from livingsys.i18n import _
from livingsys.reading.writing import WriteError, check_id

_YAML_1_1_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def printable(char: str) -> bool:
    """Characters YAML lets a double-quoted scalar hold as they are (minus line breaks)."""
    code = ord(char)
    return (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or (0xE000 <= code <= 0xFFFD and code != 0xFEFF) or 0x10000 <= code <= 0x10FFFF) \
        and code not in (0x2028, 0x2029)


def _double_quoted(value: str) -> str:
    out = []
    for char in value:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif printable(char):
            out.append(char)
        elif 0xD800 <= code <= 0xDFFF:  # a lone surrogate (undecodable input): cannot be kept
            out.append("\\ufffd")
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def yaml_scalar(value: str) -> str:
    """``value`` written as a YAML scalar that reads back as exactly this text.

    Plain when that is safe (most names and sentences), double-quoted otherwise.
    """
    from livingsys.reading.yamlsource import parse

    if (value and value == value.strip() and "#" not in value
            and all(printable(c) for c in value)
            and value.lower() not in _YAML_1_1_WORDS):
        doc = parse(f"k: {value}\n", "value")
        if isinstance(doc.data, dict) and doc.data.get("k") == value and not doc.findings:
            return value
    return _double_quoted(value)


def slug(value: str) -> str:
    """A plausible id for ``value``: 'Relances clients' -> 'relances-clients'."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9_]+", "-", text).strip("-_")[:80]


def invalid_id(value: str, what: str = "id") -> WriteError | None:
    """None if ``value`` is a valid id, else the error to show, its hint suggesting an id made
    from ``value`` when there is one (`livingsys new`, `livingsys import`)."""
    try:
        check_id(value, what)
    except WriteError as exc:
        hint = exc.hint
        if "/" not in value and "\\" not in value and ".." not in value:
            guess = slug(value)
            if guess and guess != value:
                hint = _("for example '{guess}' ({hint})").format(guess=guess, hint=hint)
        return WriteError(str(exc), hint)
    return None


def automation_path(root: Path, automation_id: str) -> Path:
    """Where the automation ``automation_id`` is written: automations/<id>.yaml."""
    return root / "automations" / f"{automation_id}.yaml"
