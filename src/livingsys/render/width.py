"""How wide the text shown to a person is: the terminal's width, or unwrapped in a pipe.

The renderers for people (review-due, agenda, report, diff) build their lines with hanging
indents (a bullet, then the text lined up under its first word). They wrap them to
:func:`current`, which :func:`show` sets for the time it builds them:

- ``$COLUMNS`` when it is set (a user's choice, or the shell's for a terminal);
- otherwise the terminal's width, when the output is a terminal;
- otherwise nothing: output to a pipe or a file is not wrapped at all (one line per item,
  for grep and for a mail or an editor that wraps by itself).

Lines built outside :func:`show` (a library caller, a test) are wrapped to
:data:`DEFAULT_WIDTH`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_WIDTH = 100
"""Width of lines built outside :func:`show`."""

NARROWEST = 20
"""The least room a wrapped text keeps after its indent, however narrow the terminal."""

_WIDTH: ContextVar[int | None] = ContextVar("livingsys_text_width", default=DEFAULT_WIDTH)


def terminal_width(console) -> int | None:
    """The width to wrap to for ``console`` (a rich Console): $COLUMNS, else the
    terminal's width, else None (not a terminal: no wrapping)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if console.is_terminal:
        return console.width
    return None


def current() -> int | None:
    """The width lines are wrapped to now; None: not wrapped."""
    return _WIDTH.get()


@contextmanager
def wrapping(width: int | None) -> Iterator[None]:
    """Build lines wrapped to ``width`` (None: not wrapped) inside this block."""
    token = _WIDTH.set(width)
    try:
        yield
    finally:
        _WIDTH.reset(token)


#: A word: what lies between two breakable spaces. A no-break space (French puts one before
#: ':' and '%', and in '3 000 €') is inside a word, never a place to break the line.
_WORD = re.compile(r"(?:[^\s]|[\u00a0\u202f\u2007])+")


def fit(markup: str, indent: int = 0) -> list[str]:
    """A line of rich markup as lines that fit the width: broken between words, each
    continuation line indented by ``indent`` spaces, styles kept. Newlines count as spaces.
    One line when not wrapping; a word longer than the width stays whole, except a dotted
    name, broken after a dot."""
    markup = markup.replace("\n", " ")
    width = _WIDTH.get()
    if width is None:
        return [markup]
    from rich.cells import cell_len
    from rich.text import Text

    text = Text.from_markup(markup)
    plain = text.plain
    if cell_len(plain) <= width:
        return [markup]
    words = []
    for match in _WORD.finditer(plain):
        if cell_len(match.group()) <= max(NARROWEST, width - indent):
            words.append((match.start(), match.end()))
            continue
        # a name too long for a line (rules.<rule>.<parameter>): broken after its dots
        at = match.start()
        for part in re.finditer(r"[^.]*\.(?=.)|[^.]+\.?", match.group()):
            words.append((at + part.start(), at + part.end()))
    lines: list[tuple[int, int]] = []
    start, end, room = 0, 0, width  # the line so far is plain[start:end]
    for word_start, word_end in words:
        if end > start and cell_len(plain[start:word_end]) > room:
            lines.append((start, end))
            start, room = word_start, max(NARROWEST, width - indent)
        end = word_end
    lines.append((start, end))
    out = []
    for number, (a, b) in enumerate(lines):
        piece = text[a:b].markup
        out.append(piece if number == 0 else " " * indent + piece)
    return out


def fits(length: int) -> bool:
    """Whether a line of ``length`` characters fits the width (always, when not wrapping)."""
    width = _WIDTH.get()
    return width is None or length <= width


def show(build: Callable[[], list[str]], console=None) -> None:
    """Print the lines of rich markup ``build`` returns, built for ``console``'s width."""
    from livingsys.neutral import console as neutral_console

    console = console or neutral_console(soft_wrap=True)
    with wrapping(terminal_width(console)):
        lines = build()
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)
