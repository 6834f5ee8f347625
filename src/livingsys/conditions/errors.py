"""Condition errors: :class:`ConditionError` with its kinds, and :class:`Problem`, the
form parsers and the type check return it in (cached without a traceback).

The kinds and what each means for users are described in :mod:`livingsys.conditions`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, ParamSpec, TypeVar

from livingsys import i18n

ErrorKind = Literal[
    "syntax", "undeclared", "parameter", "type", "too_complex", "unsupported",
    "missing", "value", "evaluation",
]
COMPILE_KINDS = frozenset({"syntax", "undeclared", "parameter", "type", "too_complex",
                           "unsupported"})
EVALUATION_KINDS = frozenset({"missing", "value", "evaluation"})


class ConditionError(Exception):
    """A condition that cannot be compiled or evaluated, explained for non-developers.

    ``offset`` is 0-based and ``line``/``col`` 1-based, inside the expression itself (the
    caller adds the position of the expression in its file). They are ``None`` when the
    problem is not at a place in the expression (e.g. a value given on the command line).
    """

    def __init__(self, kind: ErrorKind, message: str, *, expression: str | None = None,
                 offset: int | None = None, hint: str | None = None,
                 fact: str | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.hint = hint
        self.expression = expression
        self.fact = fact
        self.offset: int | None = None
        self.line: int | None = None
        self.col: int | None = None
        if offset is not None:
            offset = max(0, min(offset, len(expression))) if expression is not None else offset
            self.offset = offset
            if expression is not None:
                self.line, self.col = line_col(expression, offset)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (f"ConditionError(kind={self.kind!r}, message={self.message!r}, "
                f"line={self.line}, col={self.col})")

    def excerpt(self) -> str | None:
        """The expression's line with a caret under the error, or ``None`` without a place."""
        if self.expression is None or self.line is None or self.col is None:
            return None
        text = self.expression.splitlines()[self.line - 1] if self.expression else ""
        return f"{text}\n{' ' * (self.col - 1)}^"


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a 0-based offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


@dataclass(frozen=True, slots=True)
class Problem:
    """A ConditionError to raise again, cached without its traceback."""

    kind: ErrorKind
    message: str
    offset: int | None
    hint: str | None
    fact: str | None = None

    def error(self, expression: str) -> ConditionError:
        return ConditionError(self.kind, self.message, expression=expression,
                              offset=self.offset, hint=self.hint, fact=self.fact)


class Refused(Exception):
    """Raised inside a parser or the type check to stop at the first problem found."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def refuse(kind: ErrorKind, message: str, offset: int | None, hint: str | None = None,
           fact: str | None = None) -> Refused:
    """The :class:`Refused` to raise for this problem."""
    return Refused(Problem(kind, message, offset, hint, fact))


P = ParamSpec("P")
R = TypeVar("R")


class PerLanguage(Generic[P, R]):
    """A function's results cached (like :func:`functools.lru_cache`) by its arguments and the
    language spoken: what it returns may be a :class:`Problem`, whose message and hint are in
    the language of the call that made it. ``cache_clear`` and ``cache_info`` as lru_cache's.
    """

    def __init__(self, function: Callable[P, R], maxsize: int) -> None:
        def computed(language: str, *args: Any, **kwargs: Any) -> R:
            return function(*args, **kwargs)

        cached = functools.lru_cache(maxsize=maxsize)(computed)
        self.cache_clear = cached.cache_clear
        self.cache_info = cached.cache_info
        self._cached: Callable[..., R] = cached
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._cached(i18n.language(), *args, **kwargs)


def per_language(maxsize: int) -> Callable[[Callable[P, R]], PerLanguage[P, R]]:
    """Decorator: cache a function whose result may hold messages, per language
    (:class:`PerLanguage`)."""
    def decorate(function: Callable[P, R]) -> PerLanguage[P, R]:
        return PerLanguage(function, maxsize)

    return decorate
