"""Parsing a condition into its checked tree (facts-independent, cached by text): a
hand-written parser for the common subset, several times faster than cel-python's, and
cel-python's own (:mod:`livingsys.conditions.celparse`) for the rest."""

from __future__ import annotations

import math
import re
from typing import Any

from livingsys.conditions.celparse import lark_parse
from livingsys.conditions.errors import Problem, per_language
from livingsys.conditions.nodes import MAX_DEPTH, MAX_LENGTH, MAX_NODES, Node, Parsed
from livingsys.conditions.values import MAX_EXACT_INT, PARAMETER_ROOT

FAST_PARSE = True
"""Parse the common subset without lark (tests turn it off to compare both paths; clear
``parse`` and ``condition._compile`` caches after changing it)."""

_FAST_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_FAST_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_FAST_AFTER_NUMBER = frozenset("_.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_FAST_WHITESPACE = frozenset("\t\n\f\r ")
_FAST_TWO = frozenset({"&&", "||", "<=", ">=", "==", "!="})
_FAST_ONE = frozenset("<>!+-*/%()[],")
_FAST_OPERAND_END = frozenset({"id", "param", "int", "float", "str", "bool", ")", "]"})
_FAST_PARAMETER = re.compile(r"rules\.([_a-zA-Z][_a-zA-Z0-9]*)\.([_a-zA-Z][_a-zA-Z0-9]*)")
_FAST_NOT_AFTER_PARAMETER = frozenset(".([{'\"")
_FAST_WORDS = frozenset({"null", "as", "break", "const", "continue", "else", "for",
                         "function", "if", "import", "let", "loop", "package", "namespace",
                         "return", "var", "void", "while"})
_FAST_RELATIONS = frozenset({"<", "<=", ">", ">=", "==", "!=", "in"})


class _NotFast(Exception):
    """The fast parser is not sure: the lark path decides."""


def _fast_tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(type, text, start, end) of each token; types: id int float str bool and operators."""
    tokens: list[tuple[str, str, int, int]] = []
    pos, size = 0, len(text)
    while pos < size:
        char = text[pos]
        if char in _FAST_WHITESPACE:
            pos += 1
            continue
        operand = not tokens or tokens[-1][0] not in _FAST_OPERAND_END
        if "0" <= char <= "9" or (char == "-" and operand and pos + 1 < size
                                  and "0" <= text[pos + 1] <= "9"):
            match = _FAST_NUMBER.match(text, pos)
            if match is None:  # pragma: no cover - the test above guarantees a digit
                raise _NotFast
            end = match.end()
            if end < size and text[end] in _FAST_AFTER_NUMBER:
                raise _NotFast  # 1e3, 1., 0x1f, 1u...
            word = match.group()
            tokens.append(("float" if "." in word else "int", word, pos, end))
            pos = end
            continue
        if char == "_" or "a" <= char <= "z" or "A" <= char <= "Z":
            match = _FAST_IDENT.match(text, pos)
            end = match.end()  # type: ignore[union-attr]
            word = match.group()  # type: ignore[union-attr]
            if (end < size and text[end] in "'\"") or word in _FAST_WORDS:
                raise _NotFast  # r'..', b'..', reserved words, null
            if word == PARAMETER_ROOT and end < size and text[end] == ".":
                match = _FAST_PARAMETER.match(text, pos)  # rules.<rule>.<parameter>, no spaces
                if match is None or (match.end() < size
                                     and text[match.end()] in _FAST_NOT_AFTER_PARAMETER):
                    raise _NotFast
                if any(part in _FAST_WORDS or part in ("true", "false", "in")
                       for part in match.groups()):
                    raise _NotFast
                tokens.append(("param", match.group(), pos, match.end()))
                pos = match.end()
                continue
            kind = "bool" if word in ("true", "false") else "in" if word == "in" else "id"
            tokens.append((kind, word, pos, end))
            pos = end
            continue
        if char in "'\"":
            if text.startswith(char * 3, pos):
                raise _NotFast
            end = text.find(char, pos + 1)
            if end < 0:
                raise _NotFast
            content = text[pos + 1:end]
            if "\\" in content or any(c < " " or c == "\x7f" for c in content):
                raise _NotFast
            tokens.append(("str", content, pos, end + 1))
            pos = end + 1
            continue
        two = text[pos:pos + 2]
        if two in _FAST_TWO:
            tokens.append((two, two, pos, pos + 2))
            pos += 2
            continue
        if char in _FAST_ONE and two != "//":
            tokens.append((char, char, pos, pos + 1))
            pos += 1
            continue
        raise _NotFast
    return tokens


class _FastParser:
    """Recursive descent over the tokens, into items (kind, start, end, payload) whose span
    includes their own parentheses; :meth:`node` then builds the same Node tree as
    :class:`_Builder`, with the same limits, or gives up."""

    def __init__(self, text: str, tokens: list[tuple[str, str, int, int]]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.nodes = 0
        self.level = 0

    def peek(self) -> str:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else ""

    def take(self, kind: str) -> tuple[str, str, int, int]:
        if self.peek() != kind:
            raise _NotFast
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> tuple:
        item = self.chain("||", "or", self.conjunction)
        if self.index != len(self.tokens):
            raise _NotFast
        return item

    def chain(self, op: str, kind: str, operand: Any) -> tuple:
        items = [operand()]
        while self.peek() == op:
            self.index += 1
            items.append(operand())
        if len(items) == 1:
            return items[0]
        return ("chain", items[0][1], items[-1][2], (kind, op, items))

    def conjunction(self) -> tuple:
        return self.chain("&&", "and", self.relation)

    def binary(self, ops: frozenset[str], kind: str, operand: Any) -> tuple:
        left = operand()
        while self.peek() in ops:
            op = self.tokens[self.index][1]
            self.index += 1
            right = operand()
            left = ("binary", left[1], right[2], (kind, op, left, right))
        return left

    def relation(self) -> tuple:
        return self.binary(_FAST_RELATIONS, "cmp", self.addition)

    def addition(self) -> tuple:
        return self.binary(frozenset("+-"), "arith", self.multiplication)

    def multiplication(self) -> tuple:
        return self.binary(frozenset("*/%"), "arith", self.unary)

    def enter(self) -> None:
        self.level += 1  # each level is at least one level of _Builder's depth
        if self.level > MAX_DEPTH:
            raise _NotFast

    def unary(self) -> tuple:
        kind = self.peek()
        if kind in ("!", "-"):
            start = self.tokens[self.index][2]
            self.index += 1
            self.enter()
            operand = self.unary()
            self.level -= 1
            return ("unary", start, operand[2], ("not" if kind == "!" else "neg", kind,
                                                  operand))
        return self.primary()

    def primary(self) -> tuple:
        kind = self.peek()
        if kind in ("id", "param", "int", "float", "str", "bool"):
            _, word, start, end = self.tokens[self.index]
            self.index += 1
            return (kind, start, end, word)
        if kind == "(":
            start = self.take("(")[2]
            self.enter()
            inner = self.chain("||", "or", self.conjunction)
            self.level -= 1
            end = self.take(")")[3]
            return ("paren", start, end, inner)
        if kind == "[":
            start = self.take("[")[2]
            self.enter()
            items = []
            if self.peek() != "]":
                items.append(self.chain("||", "or", self.conjunction))
                while self.peek() == ",":
                    self.index += 1
                    items.append(self.chain("||", "or", self.conjunction))
            self.level -= 1
            end = self.take("]")[3]
            return ("list", start, end, items)
        raise _NotFast

    # -- items -> _Node, as _Builder does -------------------------------------------------

    def node(self, item: tuple, depth: int) -> Node:
        while item[0] == "paren":
            item = item[3]
            depth += 1
        if depth > MAX_DEPTH:
            raise _NotFast
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _NotFast
        kind, start, end, payload = item
        if kind == "id":
            return Node("fact", start, end, op=payload)
        if kind == "param":
            return Node("param", start, end, op=payload)
        if kind == "int":
            number = int(payload)
            if abs(number) > MAX_EXACT_INT:
                raise _NotFast
            return Node("int", start, end, value=number)
        if kind == "float":
            value = float(payload)
            if not math.isfinite(value):
                raise _NotFast
            return Node("number", start, end, value=value)
        if kind == "str":
            return Node("string", start, end, value=payload)
        if kind == "bool":
            return Node("bool", start, end, value=payload == "true")
        if kind == "list":
            children = tuple(self.node(k, depth + 1) for k in payload)
            return Node("list", start, end, children=children, op_offset=start)
        if kind == "unary":
            node_kind, op, operand = payload
            child = self.node(operand, depth + 1)
            return Node(node_kind, start, end, op=op, children=(child,), op_offset=start)
        if kind == "binary":
            node_kind, op, left_item, right_item = payload
            left = self.node(left_item, depth + 1)
            right = self.node(right_item, depth + 1)
            return Node(node_kind, start, end, op=op, children=(left, right),
                        op_offset=self.find(op, left.end, right.start))
        node_kind, op, operands = payload  # chain
        children = tuple(self.node(k, depth + 1) for k in operands)
        return Node(node_kind, start, end, op=op, children=children,
                    op_offset=self.find(op, children[0].end, children[1].start))

    def find(self, op: str, left_end: int, right_start: int) -> int:
        found = self.text.find(op, left_end, max(right_start, left_end))
        return found if found >= 0 else left_end


def _fast_parse(expression: str) -> Node | None:
    """The checked tree of a condition in the common subset, exactly as the lark path builds
    it, or None when the expression is anything else, is wrong or is near a limit."""
    if len(expression) > MAX_LENGTH or not expression.strip():
        return None
    try:
        parser = _FastParser(expression, _fast_tokens(expression))
        return parser.node(parser.parse(), 0)
    except (_NotFast, RecursionError, ValueError):
        return None


@per_language(maxsize=8192)
def parse(expression: str) -> Parsed | Problem:
    """Parse and structurally check an expression; cached by text. Never raises.

    This is the checked tree :func:`livingsys.conditions.compile_condition` type-checks;
    the witness search and the checks read it again (``parse(condition.expression).root``)
    for an expression that compiled, which is a :class:`Parsed`.

    The common subset is parsed by :func:`_fast_parse`, without its lark tree (``tree`` is
    None: :func:`lark_tree` builds it when needed); everything else by the lark path."""
    if FAST_PARSE:
        root = _fast_parse(expression)
        if root is not None:
            return Parsed(root=root, tree=None)
    return lark_parse(expression)
