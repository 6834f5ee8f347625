"""The checked tree of a condition, which both parsers build, and the limits they hold
(see :mod:`livingsys.conditions`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_LENGTH = 2000
"""Longest condition accepted, in characters."""
MAX_DEPTH = 25
"""Deepest nesting accepted (parentheses, operators, calls; an &&/|| chain is one level)."""
MAX_NODES = 200
"""Most elements accepted in one condition (facts, literals, operators, calls)."""

STRING_TESTS = ("startsWith", "endsWith", "contains")
"""The text tests conditions can call."""


@dataclass(frozen=True, slots=True)
class Node:
    """One element of a condition: a fact, a literal, an operator or a text test."""

    kind: str  # fact int number string bool list and or not neg cmp arith cond call
    start: int
    end: int
    op: str = ""  # operator, method or fact name
    children: tuple[Node, ...] = ()
    value: Any = None
    op_offset: int = 0
    tree: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed condition: its checked tree, and cel-python's lark tree (None when the fast
    parser read it: :func:`livingsys.conditions.celparse.lark_tree` builds it when needed)."""

    root: Node
    tree: Any
