"""Text helpers the renderers for people share: a wrapped, escaped paragraph with a hanging
indent, a rate as a percentage, one line of Markdown.

Escaping itself is :mod:`livingsys.neutral`'s (the one place that knows what each destination
gives a meaning to); the width lines are wrapped to is :mod:`livingsys.render.width`'s. Counts
in words ("3 changes") are :func:`livingsys.wording.plural`, which the core uses too.
"""

from __future__ import annotations

from livingsys.neutral import for_markdown, for_terminal
from livingsys.render.width import fit


def wrap(text: str, indent: int, first: str = "", style: str | None = None) -> list[str]:
    """``first`` (markup, ``indent`` characters once displayed) followed by ``text`` wrapped
    to the width (see :mod:`livingsys.render.width`), each line indented, in ``style``.

    ``text`` is data (a name, a reason, a commit subject): it is escaped for the terminal, so
    a ``[tag]`` or a control character in it is shown as written; ``first`` is markup."""
    styled = f"[{style}]{for_terminal(text)}[/]" if style else for_terminal(text)
    return fit(first + styled, indent)


def percent(rate: float | None) -> str:
    """A rate (0.125) as a percentage with one decimal ('12.5%'); '–' when it is not known."""
    return "–" if rate is None else f"{rate * 100:.1f}%"


def md(text: object, cell: bool = False) -> str:
    """Plain text as one line of Markdown (see :func:`livingsys.neutral.for_markdown`);
    ``cell``: inside a table row."""
    return for_markdown(text, cell=cell)
