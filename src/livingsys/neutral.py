"""Text leaving the program, made harmless for where it lands.

Names, rules, commit subjects and file names come from people and from git; livingsys prints
them to terminals and CI logs and writes them into Markdown, spreadsheets and diagrams. Each of
these destinations gives some characters a power of their own: an escape sequence moves the
terminal's cursor or rewrites its title, a line starting with ``::`` is a command to GitHub
Actions, a newline followed by ``#`` or a code fence breaks out of a Markdown heading or table,
a cell starting with ``=`` is a live formula in a spreadsheet. This module is the one place that
knows these powers; every renderer calls it at the boundary, and nowhere else escapes by hand.

``for_terminal``      data inside rich markup: control characters made visible, markup escaped
``visible``           control characters made visible (plain text for a terminal or a pipe)
``for_ci_log``        no line that GitHub Actions would run as a workflow command
``for_json``          JSON text whose strings carry no raw C1, DEL or bidirectional controls
``for_markdown``      one line of Markdown text (``cell=True`` inside a table, ``heading=True``)
``for_mermaid``       a label in a Mermaid diagram
``for_spreadsheet``   a CSV field or XLSX cell that is never a formula
``for_calendar``      a text or a parameter (an attendee's name) in a calendar invite (.ics)
``SafeConsole``       a rich console that applies ``visible`` and ``for_ci_log`` to everything it
                      prints (the safety net under ``for_terminal``)

Control characters are replaced one for one by a visible sign (ESC becomes ``␛``, the other C0
characters their Unicode "control picture", C1 and bidirectional controls ``�``), so what a
person sees still says that something odd was in the file, and widths stay as they were.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but tab and newline -> control pictures (U+2400 + code); DEL -> U+2421;
# C1 controls, bidirectional embeddings/overrides/isolates and the Unicode line and paragraph
# separators -> U+FFFD.
_VISIBLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_VISIBLE[0x7F] = "\u2421"
_VISIBLE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
_VISIBLE.update({c: "\ufffd" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                       0x2028, 0x2029)})
_INLINE = {**_VISIBLE, 0x0A: "\u2424"}  # newline -> ␤ where a value must stay on one line

_DANGEROUS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str, *, inline: bool = False) -> str:
    """``text`` with every control character replaced by a visible sign (tab and newline
    kept; with ``inline`` a newline becomes ``␤`` too)."""
    text = str(text)
    if inline:
        return text.translate(_INLINE)
    if not _DANGEROUS.search(text):
        return text
    return text.translate(_VISIBLE)


_NAMES = {0x1B: "ESC", 0x07: "BEL", 0x08: "backspace", 0x0D: "carriage return", 0x00: "NUL",
          0x7F: "DEL", 0x9B: "CSI", 0x202E: "right-to-left override",
          0x202D: "left-to-right override", 0x2028: "line separator"}


def control_characters(text: str) -> str | None:
    """The control characters :func:`visible` would replace in ``text``, named for a person
    ("ESC (U+001B) and 2 more"), or None when there are none."""
    found = list(dict.fromkeys(_DANGEROUS.findall(text)))
    if not found:
        return None
    first = ord(found[0])
    name = f"{_NAMES[first]} (U+{first:04X})" if first in _NAMES else f"U+{first:04X}"
    more = f" and {len(found) - 1} other kind{'s' if len(found) > 2 else ''}" \
        if len(found) > 1 else ""
    return f"a control character, {name}{more}"


def for_terminal(text: Any, *, inline: bool = False) -> str:
    """A value to put inside rich markup: control characters visible, ``[tags]`` escaped, so
    ``[bold]`` or an escape sequence in a name is shown as written and does nothing."""
    from rich.markup import escape

    return escape(visible(str(text), inline=inline))


# --------------------------------------------------------------------------------------------
# CI logs

# GitHub Actions runs a log line as a command when it starts with "::" once leading
# whitespace is trimmed; older runners also honour "##[command]".
_CI_COMMAND = re.compile(r"^(\s*)(::|##\[)", re.M)
_BREAK = "\u200b"  # zero-width space: the line reads the same and is no longer a command


def for_ci_log(text: str) -> str:
    """``text`` with no line that a CI runner would execute as a workflow command (``::error``,
    ``::add-mask``, ``##[set-output]``...): a zero-width space goes after the first colon or
    hash. Use it on text, never on the annotations ``--format github`` emits on purpose."""
    return _CI_COMMAND.sub(lambda m: m.group(1) + m.group(2)[0] + _BREAK + m.group(2)[1:], text)


_LINES = re.compile(r"(?<=\n)")
_COMMANDS = ("::", "##[")


def _guard_line(head: str, piece: str) -> tuple[str | None, str]:
    """``piece`` continuing a line that so far is ``head`` (whitespace, maybe the first signs
    of a command): the piece with a break inserted if the line would start a command, and the
    new head (None once the line can no longer start one)."""
    line = head + piece.rstrip("\n")
    stripped = line.lstrip()
    if stripped.startswith(_COMMANDS):
        cut = len(line) - len(stripped) + 1 - len(head)
        return None, (_BREAK + piece if cut <= 0 else piece[:cut] + _BREAK + piece[cut:])
    if any(c.startswith(stripped) for c in _COMMANDS):
        return line, piece
    return None, piece


def for_output(text: str) -> str:
    """Plain text for a terminal, a pipe or a CI log: :func:`visible` and :func:`for_ci_log`."""
    return for_ci_log(visible(text))


def finish(text: str, kind: str = "text") -> str:
    """A whole output made safe for its kind: ``text`` (plain text, Markdown, CSV, Mermaid:
    :func:`for_output`), ``json`` (:func:`for_json`) or ``github`` (workflow commands emitted
    on purpose, each with its data already escaped: :func:`visible` only)."""
    if kind == "json":
        return for_json(text)
    if kind == "github":
        return visible(text)
    return for_output(text)


def for_json(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL, C1 and bidirectional
    controls written as ``\\uXXXX`` escapes: the same data, harmless on a terminal. JSON
    already escapes C0 controls; these characters can only occur inside strings."""
    return _DANGEROUS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


# --------------------------------------------------------------------------------------------
# Markdown

_MD_SPECIAL = re.compile(r"([\\*`<>\[\]~])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


#: Any run of white space but the no-break ones, which French puts before ':' and '%' and
#: which keep a number and its unit together ("13,7 %", "3 000 €"): they stay as they are.
_FOLDED_SPACE = re.compile(r"[^\S\u00a0\u202f\u2007]+")


def one_line(text: str) -> str:
    """``text`` on one line: each run of white space (line breaks included) one space, no-break
    spaces kept."""
    return _FOLDED_SPACE.sub(" ", text).strip()


def for_markdown(text: Any, *, cell: bool = False, heading: bool = False) -> str:
    """Plain text as one line of Markdown: newlines folded into spaces (no heading, list,
    quote or code fence can start), no accidental emphasis, links, code or HTML (an underscore
    inside a word, as in amount_threshold_eur, is left alone), and a leading '#', '-', '>',
    '+' or '1.' escaped as it could start a block where the text begins a line; ``cell``
    escapes '|' instead (inside a table row); ``heading`` escapes every '#'."""
    text = one_line(visible(str(text)))
    out = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    if cell:
        return out.replace("|", "\\|")
    if heading:
        return out.replace("#", "\\#")
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out, count=1)


def code_span(text: Any) -> str:
    """``text`` as inline Markdown code, whatever backticks it holds."""
    text = one_line(visible(str(text)))
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def for_mermaid(text: Any) -> str:
    """Text for a quoted Mermaid label, on one line: no quote, tag, backtick or newline can
    end the label, and no '%%{init: ...}%%' directive (Mermaid finds them anywhere, and one
    can loosen its security level) can be formed (wrap it afterwards with ``<br/>``)."""
    text = one_line(visible(str(text)))
    return (text.replace("&", "&amp;").replace('"', "#quot;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("`", "'").replace("%", "#37;"))


# --------------------------------------------------------------------------------------------
# spreadsheets

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def for_spreadsheet(value: Any, *, typed: bool = False) -> Any:
    """A value for a CSV field or an XLSX cell: numbers, dates and booleans as they are; text
    with control characters made visible (an XLSX file cannot hold them) and, when it would
    start a formula (=, +, -, @, tab or carriage return, as OWASP lists), prefixed with an
    apostrophe, which spreadsheets show as the text itself. ``typed``: the cell is stored as
    text (an XLSX cell whose type is set), so no apostrophe is needed."""
    if not isinstance(value, str):
        return value
    text = visible(value)
    if not typed and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text


# --------------------------------------------------------------------------------------------
# calendar invites


def for_calendar(text: Any, *, param: bool = False) -> str:
    """Text for a calendar invite (.ics, RFC 5545), which calendar clients show and some pass
    on: control characters made visible (icalendar, which writes the file, escapes what the
    format gives a meaning to: commas, semicolons, backslashes and line breaks in a value).
    ``param``: a parameter value, such as an attendee's name (CN=...), where nothing can be
    escaped: on one line, and a double quote, which would end the value, becomes ``'``."""
    if param:
        return visible(str(text), inline=True).replace('"', "'")
    return visible(str(text))


# --------------------------------------------------------------------------------------------
# the console


def _console_class():
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        """A rich console whose printed text goes through :func:`visible`, and no line of
        which starts a CI workflow command: the net under :func:`for_terminal` for text
        that reached rich without it (a ``Text`` built from data, a table cell)."""

        _depth = 0
        #: The current output line so far, while it could still become a command (kept
        #: across prints: ``print(" :", end="")`` then ``print(":error::")`` is one line).
        _head: str | None = ""

        def render(self, renderable, options=None):
            if self._depth:  # a renderable inside another: the outermost call checks it all
                yield from super().render(renderable, options)
                return
            self._depth += 1
            try:
                for segment in super().render(renderable, options):
                    text = segment.text
                    if segment.control or not text:
                        yield segment
                        continue
                    out = []
                    for piece in _LINES.split(visible(text)):
                        if self._head is not None and piece:
                            self._head, piece = _guard_line(self._head, piece)
                        out.append(piece)
                        if piece.endswith("\n"):
                            self._head = ""
                    joined = "".join(out)
                    yield segment if joined == text else Segment(joined, segment.style)
            finally:
                self._depth -= 1

    return SafeConsole


_CLASS = None


def console(**options: Any):
    """A :class:`SafeConsole` (rich's Console options: ``stderr``, ``soft_wrap``...);
    ``highlight`` is off unless asked for."""
    global _CLASS
    if _CLASS is None:
        _CLASS = _console_class()
    options.setdefault("highlight", False)
    return _CLASS(**options)


__all__ = ["code_span", "console", "control_characters", "finish", "for_calendar", "for_ci_log",
           "for_json", "for_markdown", "for_mermaid", "for_output", "for_spreadsheet",
           "for_terminal", "visible"]
