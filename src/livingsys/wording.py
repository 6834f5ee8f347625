"""Words that follow a number, said the same way by the core and by every renderer.

"1 change", "3 changes", "1 automation needs", "2 automations need": the core writes such
counts into the reasons and notes it builds (review-due, the agenda), the renderers into the
lines they show. It sits in the lowest layer so that both can use it.
"""

from __future__ import annotations


def plural(n: int, word: str, plural: str | None = None) -> str:
    """``n`` followed by ``word``, or by its plural when ``n`` is not 1: ``plural`` when given
    (irregular words, or a verb that agrees: 'automations need'), else ``word`` + 's'.

    >>> plural(1, "rule"), plural(0, "rule"), plural(2, "automation needs", "automations need")
    ('1 rule', '0 rules', '2 automations need')
    """
    return f"{n} {word if n == 1 else (plural or word + 's')}"
