"""The neutral model of a tool's export, and what every reader shares.

Reading is careful because an export is outside input: it may not be JSON, come from another
tool or a newer version, be huge, or hold secrets. Each case is an :class:`ExportError` that
says what is wrong and what to do. Credentials are never copied: n8n's ``credentials`` blocks
and Make's ``__IMTCONN__`` connection numbers are only counted (they name a credential kept in
the tool, not its secret), and a secret written in clear in the export (an API key in a
parameter or a header) stops the reading, since the export itself must not be committed so.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ToolKind = Literal["n8n", "make"]
TOOLS: dict[str, str] = {"n8n": "n8n", "make": "Make"}

MAX_EXPORT_BYTES = 5_000_000
"""Largest export read, in bytes (the biggest real workflows are a few hundred kilobytes)."""
MAX_STEPS = 2000
"""Most nodes or modules read from one export."""


class ExportError(Exception):
    """An export that cannot be read, said in plain words, with what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Comparison:
    """One simple comparison of a tool's condition: a field against a literal."""

    field: str            # the field as the tool writes it, normalised: $json.amount, 1.amount
    fact: str             # the fact name it suggests: amount
    type: str             # int | number | string | bool
    op: str               # < <= > >= == != contains startsWith endsWith (and their "not")
    value: float | str | bool
    #: Where it is, in the tool's words: "n8n IF node 'Check amount'".
    where: str = ""

    def text(self, name: str | None = None) -> str:
        """``amount > 5000``."""
        return f"{name or self.fact} {op_words(self.op)} {literal_text(self.value)}"


@dataclass
class Condition:
    """A branch of a condition node: ``groups`` are OR-ed, the comparisons of a group AND-ed.

    ``untranslated`` lists, in plain words, the parts that are not simple comparisons."""

    label: str
    groups: list[list[Comparison]] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)


@dataclass
class Send:
    """A message a step sends, as guessed from its node or module type."""

    channel: str          # email | sms | chat
    audience: str         # client | internal: a guess, to confirm


@dataclass
class ToolStep:
    """One working node (n8n) or module (Make)."""

    key: str              # the node's id / the module's number, as a text
    name: str             # the node's name / the module's label
    type: str             # n8n-nodes-base.gmail / gmail:ActionSendEmail
    kind: str             # automatic | human | ai
    does: str             # what it does, in plain words (from its type)
    trigger: bool = False
    sends: list[Send] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: How the tool calls such a step in a message: "n8n node 'X'", "Make module 4 'X'".
    label: str = ""

    @property
    def comparisons(self) -> list[Comparison]:
        return [c for cond in self.conditions for group in cond.groups for c in group]


@dataclass
class Workflow:
    """A tool's export, read."""

    tool: ToolKind
    name: str
    id: str | None
    steps: list[ToolStep]
    active: bool | None = None
    #: Credential references left out (n8n credentials, Make connections), by step name.
    credentials: list[str] = field(default_factory=list)
    #: Nodes skipped on purpose: sticky notes, no-ops, disabled nodes, directives.
    skipped: list[str] = field(default_factory=list)

    @property
    def triggers(self) -> list[ToolStep]:
        return [s for s in self.steps if s.trigger]

    def step(self, key: str) -> ToolStep | None:
        return next((s for s in self.steps if s.key == key), None)


# --------------------------------------------------------------------------------------------
# words


_OP_WORDS = {"startsWith": "starts with", "endsWith": "ends with", "contains": "contains",
             "!contains": "does not contain", "!startsWith": "does not start with",
             "!endsWith": "does not end with"}


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when an export holds an object there, else an empty one (exports are read
    as found: a key may be missing or hold something else)."""
    return value if isinstance(value, dict) else {}


def op_words(op: str) -> str:
    return _OP_WORDS.get(op, op)


def literal_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, (int,)):
        return str(value)
    return "'" + str(value) + "'"


def plain(text: Any, limit: int = 120) -> str:
    """Outside text (a node name) on one line, without control characters, at most
    ``limit`` characters: what may be shown or put in a YAML comment."""
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c
                      for c in str(text))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1] + "…"


def fact_name(field_text: str) -> str | None:
    """The fact name a field suggests: ``$json.invoice.amountDue`` -> ``invoice_amount_due``,
    ``1.amount`` -> ``amount``; None when it is not a plain field."""
    path = [p for p in re.split(r"[.\[\]\"']+", field_text) if p]
    if not path:
        return None
    if path[0] in ("$json", "json"):
        path = path[1:]
    elif path[0].startswith("$("):  # $('Node').item.json.total
        path = path[path.index("json") + 1:] if "json" in path else path[-1:]
    elif re.fullmatch(r"\d+", path[0]):  # Make: module number
        path = path[1:]
    words = []
    for part in path:
        part = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", part)
        part = unicodedata.normalize("NFKD", part)
        part = "".join(c for c in part if not unicodedata.combining(c)).lower()
        part = re.sub(r"[^a-z0-9]+", "_", part).strip("_")
        if part and not re.fullmatch(r"\d+", part):
            words.append(part)
    name = "_".join(words)[:64].strip("_")
    if not name:
        return None
    if name[0].isdigit():
        name = ("f_" + name)[:64]
    return name


def number(value: Any) -> float | None:
    """A number written in an export (5000, "5000", "5 000", "12.5"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
            result = float(text)
            return result if abs(result) < 2**53 else None
    return None


def literal(value: Any, type_: str, expression: Callable[[str], bool]) -> tuple[bool, Any]:
    """(could be read, value) for the right-hand side of a tool's comparison of ``type_``.

    ``expression`` says whether a text is an expression of the tool (``{{…}}`` in Make and
    n8n, a leading ``=`` in n8n too): those are never read as a value."""
    if isinstance(value, str) and expression(value):
        return False, None
    if type_ == "number":
        n = number(value)
        return (n is not None), n
    if type_ == "bool":
        if isinstance(value, bool):
            return True, value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return True, value.strip().lower() == "true"
        return False, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True, str(value)
    return isinstance(value, str), value


# --------------------------------------------------------------------------------------------
# reading the file


def load_json(path: Path) -> Any:
    """The JSON in ``path``, or an ExportError saying why it cannot be read."""
    import stat

    try:
        info = path.stat()
    except OSError as exc:
        raise ExportError(f"cannot read '{path}': {exc.strerror or exc}",
                          "check the file's name and that you may read it") from None
    if not stat.S_ISREG(info.st_mode):
        raise ExportError(f"'{path}' is not a regular file", "give the exported .json file")
    if info.st_size > MAX_EXPORT_BYTES:
        raise ExportError(
            f"'{path}' is {info.st_size:,} bytes, more than the {MAX_EXPORT_BYTES:,} livingsys "
            "reads from one export",
            "export one workflow or scenario at a time, without execution data (pinned data)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read '{path}': {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(f"'{path}' is not UTF-8 text (byte {exc.start:,} is not valid)",
                          "export the file again from the tool; do not open and re-save it "
                          "in another program") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise ExportError(f"'{path}' is nested too deeply to be an export",
                          "export the workflow again from the tool") from None
    except json.JSONDecodeError as exc:
        raise ExportError(f"'{path}' is not JSON: {exc.msg} at line {exc.lineno}, column "
                          f"{exc.colno}",
                          "give the file the tool exported (n8n: Download; Make: Export "
                          "Blueprint), unchanged") from None


# --------------------------------------------------------------------------------------------
# secrets


_SECRET_NAME = re.compile(
    r"(api[_\- ]?key|apikey|secret|password|passwd|token|authorization|auth[_\- ]?header|"
    r"access[_\- ]?key|private[_\- ]?key|client[_\- ]?secret|bearer)", re.I)
_SECRET_VALUE = re.compile(
    r"(sk-[A-Za-z0-9_\-]{16,}|xox[abposr]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16}|"
    r"gh[pousr]_[A-Za-z0-9]{30,}|"
    r"AIza[0-9A-Za-z_\-]{30,}|Bearer\s+[A-Za-z0-9._\-]{16,}|-----BEGIN [A-Z ]*PRIVATE KEY-----)")
_PLACEHOLDER_WORDS = re.compile(r"^(<.*>|\{.*\}|\[.*\]|.*(your|xxx|\*\*\*|placeholder|"
                                r"changeme|example|replace|insert|here).*)$", re.I | re.S)
_PLACEHOLDER_NAME = re.compile(r"^[A-Z][A-Z_]*[A-Z]$")  # YOUR_API_KEY, TOKEN
#: Keys whose value is a reference the tool resolves, never a secret.
_REFERENCE_KEYS = {"credentials", "__IMTCONN__", "__IMTHOOK__", "__IMTKEY__"}


def _expression(value: str) -> bool:
    return value.startswith("=") or "{{" in value or "$(" in value


def _is_secret(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return not (len(text) < 8 or _expression(text) or _placeholder(text))


def _placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER_WORDS.match(text) or _PLACEHOLDER_NAME.match(text))


def find_secrets(data: Any, path: str = "") -> list[str]:
    """Where the export holds what looks like a secret in clear: JSON paths, never values."""
    found: list[str] = []
    stack: list[tuple[Any, str, int]] = [(data, path, 0)]
    while stack:
        node, where, depth = stack.pop()
        if depth > 200:
            continue
        if isinstance(node, dict):
            label = node.get("name") if isinstance(node.get("name"), str) else node.get("key")
            if isinstance(label, str) and _SECRET_NAME.search(label) and _is_secret(
                    node.get("value")):
                found.append(f"{where}.value ({plain(label, 40)})")
            for key, value in node.items():
                if key in _REFERENCE_KEYS:
                    continue
                here = f"{where}.{key}" if where else str(key)
                if isinstance(value, str):
                    if (_SECRET_NAME.search(str(key)) and _is_secret(value)) or (
                            _SECRET_VALUE.search(value) and not _placeholder(value.strip())):
                        found.append(here)
                else:
                    stack.append((value, here, depth + 1))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                here = f"{where}[{i}]"
                if isinstance(value, str):
                    if _SECRET_VALUE.search(value):
                        found.append(here)
                else:
                    stack.append((value, here, depth + 1))
    return sorted(set(found))


def refuse_secrets(data: Any, path: Path, tool: str) -> None:
    found = find_secrets(data)
    if not found:
        return
    shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    fix = ("in n8n, keep it in a credential (Credentials › Add credential) and pick that "
           "credential in the node" if tool == "n8n" else
           "in Make, keep it in a connection or a keychain")
    raise ExportError(
        f"'{path}' holds what looks like a secret written in clear ({shown}); livingsys "
        "never copies secrets into the registry, and this file should not be committed as "
        "it is",
        f"{fix}, then export again; or replace the value by a placeholder such as "
        "YOUR_API_KEY in the file")
