"""Text helpers the renderers for people share: a wrapped, escaped paragraph with a hanging
indent, a rate as a percentage, figures, statuses and months in the language spoken
(:mod:`livingsys.i18n`: English as livingsys always wrote it, French as French writes it),
one line of Markdown.

Escaping itself is :mod:`livingsys.neutral`'s (the one place that knows what each destination
gives a meaning to); the width lines are wrapped to is :mod:`livingsys.render.width`'s. Counts
in words ("3 changes") are :func:`livingsys.wording.plural`, which the core uses too.
"""

from __future__ import annotations

from livingsys import i18n
from livingsys.i18n import _, ngettext, pgettext
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
    """A rate (0.125) as a percentage with one decimal ('12.5%' / '12,5 %'); '–' when it is
    not known."""
    return i18n.percent(rate)


def count(n: int) -> str:
    """A count in a table: '3000' as livingsys always wrote it in English, '3 000' in
    French."""
    return str(n) if i18n.language() == "en" else i18n.number(n)


def decimal(value: float | None, unit: str | None = None) -> str:
    """A figure with one decimal ('6.5' / '6,5'), with its ``unit`` ('6.5 h' / '6,5 h');
    '–' when it is not known."""
    if value is None:
        return "–"
    shown = f"{value:.1f}" if i18n.language() == "en" else i18n.number(value, 1)
    if unit is None:
        return shown
    return f"{shown} {unit}" if i18n.language() == "en" else f"{shown}\u00a0{unit}"


def status_word(status: str) -> str:
    """An automation's status (a value of its file) in the words of the language spoken."""
    words = {"active": pgettext("an automation's status", "active"),
             "paused": pgettext("an automation's status", "paused"),
             "retired": pgettext("an automation's status", "retired")}
    return words.get(status, status)


def md(text: object, cell: bool = False) -> str:
    """Plain text as one line of Markdown (see :func:`livingsys.neutral.for_markdown`);
    ``cell``: inside a table row."""
    return for_markdown(text, cell=cell)


def status_counts(by_status: dict[str, int]) -> str:
    """'3 active, 1 paused' / '3 actives, 1 en pause' (statuses with none left out); 'none'
    when there is none at all."""
    words = {"active": lambda n: ngettext("{n} active", "{n} active", n),
             "paused": lambda n: ngettext("{n} paused", "{n} paused", n),
             "retired": lambda n: ngettext("{n} retired", "{n} retired", n)}
    parts = [words[s](n).format(n=n) if s in words else f"{n} {s}"
             for s, n in by_status.items() if n]
    return ", ".join(parts) or pgettext("no automation of any status", "none")


def threshold(rate: float) -> str:
    """An alert threshold, a whole percentage: '20%' / '20 %'."""
    return f"{rate * 100:.0f}%" if i18n.language() == "en" else i18n.percent(rate, 0)


def missing_item(label: str, why: str | None) -> str:
    """A checklist point not met, and why: 'business owner (owner 'x' is not in
    people.yaml)'."""
    return _("{item} ({why})").format(item=label, why=why)


def silenced_item(label: str, why: str | None) -> str:
    """A checklist point not counted because its check is silenced, and how."""
    return _("{item}: {why}").format(item=label, why=why)


def month(period) -> str:
    """A month of figures (a :class:`~livingsys.reading.indicators.Period`): '2026-11' /
    'novembre 2026'."""
    return i18n.month(period.first_day)


def with_status(text: str, status: str, since) -> str:
    """An automation's name followed by its status and since when: 'quote-follow-up (paused
    since 2026-11-03)' / '… (en pause depuis le 3 novembre 2026)'."""
    if since is None:
        return _("{automation} ({status})").format(automation=text, status=status_word(status))
    return _("{automation} ({status} since {day})").format(
        automation=text, status=status_word(status), day=i18n.day(since))
