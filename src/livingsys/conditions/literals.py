"""Reading the literals a condition compares facts with (for `livingsys drift`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livingsys.conditions.errors import Problem
from livingsys.conditions.nodes import Node
from livingsys.conditions.parser import parse


@dataclass(frozen=True, slots=True)
class LiteralComparison:
    """A comparison between a fact and a written value, anywhere in a condition.

    The fact is always on the left (``5000 < amount_due`` reads ``amount_due > 5000``);
    ``x in ['a', 'b']`` gives one ``==`` per value, a true/false fact alone gives ``== true``
    (``!fact``: ``== false``). ``op`` is ``< <= > >= == !=`` or a text test ``contains``,
    ``startsWith``, ``endsWith``; numbers are floats. ``offset`` is where the written value
    starts in the expression (0-based), ``text`` the comparison as written.
    """

    fact: str
    op: str
    value: Any
    offset: int
    text: str


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _literal_of(node: Node) -> tuple[bool, Any]:
    if node.kind in ("int", "number"):
        return True, float(node.value)
    if node.kind in ("string", "bool"):
        return True, node.value
    if node.kind == "neg" and node.children and node.children[0].kind in ("int", "number"):
        return True, -float(node.children[0].value)
    return False, None


def literal_comparisons(expression: str) -> tuple[LiteralComparison, ...]:
    """Every fact-versus-value comparison of ``expression``, in order (empty when it does not
    parse). Facts are not checked against declarations: this only reads what is written."""
    parsed = parse(expression)
    if isinstance(parsed, Problem):
        return ()
    found: list[LiteralComparison] = []

    def text(node: Node) -> str:
        return " ".join(expression[node.start:node.end].split())

    def walk(node: Node, parent: str) -> None:
        kind = node.kind
        if kind == "fact" and parent in ("and", "or", "not", "root", "cond"):
            found.append(LiteralComparison(node.op, "==", parent != "not", node.start,
                                           text(node)))
            return
        if kind == "cmp" and len(node.children) == 2:
            left, right = node.children
            op = node.op
            if left.kind != "fact" and right.kind == "fact" and op in _FLIPPED:
                left, right, op = right, left, _FLIPPED[op]
            if left.kind == "fact":
                if op == "in" and right.kind == "list":
                    for item in right.children:
                        ok, value = _literal_of(item)
                        if ok:
                            found.append(LiteralComparison(left.op, "==", value, item.start,
                                                           text(node)))
                    return
                ok, value = _literal_of(right)
                if ok and op in _FLIPPED:
                    found.append(LiteralComparison(left.op, op, value, right.start, text(node)))
                    return
        if kind == "call" and len(node.children) == 2 and node.children[0].kind == "fact":
            ok, value = _literal_of(node.children[1])
            if ok:
                found.append(LiteralComparison(node.children[0].op, node.op, value,
                                               node.children[1].start, text(node)))
                return
        for child in node.children:
            walk(child, kind)

    walk(parsed.root, "root")
    return tuple(found)
