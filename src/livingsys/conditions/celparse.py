"""Parsing with cel-python's grammar: its lark tree, walked once into the checked tree
(limits, allowed constructs, literals); cached by text. The fast parser
(:mod:`livingsys.conditions.parser`) gives the very same tree for the common subset."""

from __future__ import annotations

import functools
import math
from typing import Any

from livingsys.conditions.cel import CelModules, cel_modules
from livingsys.conditions.errors import ConditionError, Problem, Refused, per_language, refuse
from livingsys.conditions.nodes import MAX_DEPTH, MAX_LENGTH, MAX_NODES, STRING_TESTS, Node, Parsed
from livingsys.conditions.values import MAX_EXACT_INT, PARAMETER_ROOT
from livingsys.conditions.wording import PARAMETER_HINT, SUBSET_HINT, syntax_problem
from livingsys.i18n import N_, _, language, number


def _count(n: int) -> str:
    """A count in a message: '10,000' as English always wrote it, '10 000' in French."""
    return f"{n:,}" if language() == "en" else number(n)


def _too_long(start: int) -> Refused:
    return refuse("too_complex", _("the condition is too long: more than {n} elements (facts, "
                                   "values, operators)").format(n=_count(MAX_NODES)), start,
                  _("Split it into several rules, or declare an intermediate fact."))


_MACROS = ("exists", "exists_one", "all", "map", "filter", "has")

#: Why a construction is refused, by the grammar rule that builds it.
_UNSUPPORTED = {
    "member_dot": N_("'{snippet}': fields (x.y) are not supported: a fact is a single value"),
    "member_index": N_("'{snippet}': indexes (x[...]) are not supported: a fact is a single "
                       "value"),
    "member_object": N_("'{snippet}': objects (x{{...}}) are not supported"),
    "map_lit": N_("'{snippet}': maps ({{...}}) are not supported"),
    "dot_ident": N_("'{snippet}': names starting with '.' are not supported"),
    "dot_ident_arg": N_("'{snippet}': names starting with '.' are not supported"),
}

_PASS_THROUGH = frozenset({"expr", "conditionalor", "conditionaland", "relation", "addition",
                           "multiplication", "unary", "member", "primary"})
_RELATIONS = {"relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
              "relation_eq": "==", "relation_ne": "!=", "relation_in": "in"}
_ARITHMETIC = {"addition_add": "+", "addition_sub": "-", "multiplication_mul": "*",
               "multiplication_div": "/", "multiplication_mod": "%"}


class _Builder:
    """Walks cel-python's lark parse tree once: limits, allowed constructs, literals."""

    # Grammar rules of the language's subset, each handled by the method "_" + rule.
    _HANDLED = frozenset({"expr", "conditionalor", "conditionaland", "relation", "addition",
                          "multiplication", "unary", "paren_expr", "member_dot_arg",
                          "member_dot", "ident_arg", "ident", "list_lit", "literal"})

    def __init__(self, text: str, cel: CelModules) -> None:
        self.text = text
        self.cel = cel
        self.nodes = 0

    def _node(self, kind: str, start: int, end: int, **kwargs: Any) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _too_long(start)
        return Node(kind, start, end, **kwargs)

    def build(self, tree: Any, depth: int) -> Node:
        lark = self.cel.lark
        while (isinstance(tree, lark.Tree) and tree.data in _PASS_THROUGH
               and len(tree.children) == 1):
            tree = tree.children[0]
        start, end = self._span(tree)
        if depth > MAX_DEPTH:
            raise refuse(
                "too_complex", _("the condition is nested too deeply (more than {n} levels "
                                 "of parentheses or operators)").format(n=_count(MAX_DEPTH)),
                start, _("Simplify it, or split it into several rules."))
        if not isinstance(tree, lark.Tree):  # pragma: no cover - the grammar wraps tokens
            raise refuse("syntax", _("'{token}' is not expected here").format(token=tree),
                         start, _(SUBSET_HINT))
        data = tree.data
        if data in self._HANDLED:
            return getattr(self, "_" + data)(tree, tree.children, start, end, depth)
        return self._unsupported(tree, data, start, end, depth)

    # -- operators ----------------------------------------------------------------------------

    def _expr(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        parts = tuple(self.build(k, depth + 1) for k in kids)
        question = self._find("?", parts[0].end, parts[1].start)
        return self._node("cond", start, end, op="?:", children=parts, op_offset=question)

    def _chain(self, tree: Any, start: int, end: int, depth: int, op: str) -> Node:
        operands = []
        current = tree
        while (isinstance(current, self.cel.lark.Tree) and current.data == tree.data
               and len(current.children) == 2):
            operands.append(current.children[1])
            current = current.children[0]
        operands.append(current)
        operands.reverse()
        if len(operands) > MAX_NODES:
            raise _too_long(start)
        kind = "and" if op == "&&" else "or"
        self._node(kind, start, end)  # counts it
        children = tuple(self.build(k, depth + 1) for k in operands)
        return Node(kind, start, end, op=op, children=children,
                    op_offset=self._find(op, children[0].end, children[1].start))

    def _conditionalor(self, tree: Any, kids: list, start: int, end: int,
                       depth: int) -> Node:
        return self._chain(tree, start, end, depth, "||")

    def _conditionaland(self, tree: Any, kids: list, start: int, end: int,
                        depth: int) -> Node:
        return self._chain(tree, start, end, depth, "&&")

    def _binary(self, tree: Any, kids: list, start: int, end: int, depth: int,
                table: dict[str, str], kind: str) -> Node:
        op_tree, right_tree = kids
        op = table[op_tree.data]
        left = self.build(op_tree.children[0], depth + 1)
        right = self.build(right_tree, depth + 1)
        self._node(kind, start, end)  # counts it
        return Node(kind, start, end, op=op, children=(left, right),
                    op_offset=self._find(op, left.end, right.start), tree=tree)

    def _relation(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        return self._binary(tree, kids, start, end, depth, _RELATIONS, "cmp")

    def _addition(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        return self._binary(tree, kids, start, end, depth, _ARITHMETIC, "arith")

    def _multiplication(self, tree: Any, kids: list, start: int, end: int,
                        depth: int) -> Node:
        return self._binary(tree, kids, start, end, depth, _ARITHMETIC, "arith")

    def _unary(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        op_tree, operand_tree = kids
        kind, op = ("not", "!") if op_tree.data == "unary_not" else ("neg", "-")
        operand = self.build(operand_tree, depth + 1)
        self._node(kind, start, end)
        return Node(kind, start, end, op=op, children=(operand,), op_offset=start)

    def _paren_expr(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        return self.build(kids[0], depth + 1)

    # -- calls ----------------------------------------------------------------------------------

    def _member_dot_arg(self, tree: Any, kids: list, start: int, end: int,
                        depth: int) -> Node:
        name_token = kids[1]
        name = str(name_token)
        args = kids[2].children if len(kids) > 2 else []
        where = name_token.start_pos
        target = self.build(kids[0], depth + 1)  # the leftmost problem is reported first
        if name in STRING_TESTS:
            if len(args) != 1:
                raise refuse("type", _("'{function}' takes one text, e.g. {example}").format(
                    function=name, example=f"x.{name}('abc')"), where, _(SUBSET_HINT))
            arg = self.build(args[0], depth + 1)
            self._node("call", start, end)
            return Node("call", start, end, op=name, children=(target, arg), op_offset=where,
                        tree=tree)
        if name in _MACROS:
            raise refuse("unsupported", _("'{call}' is not supported in conditions: facts "
                                          "are single values, not lists").format(
                                              call=f".{name}(...)"), where, _(SUBSET_HINT))
        raise refuse("unsupported", _("'{call}' is not a function conditions can use").format(
            call=f".{name}(...)"), where, _("The text tests are x.startsWith('..'), "
                                            "x.endsWith('..') and x.contains('..')."))

    def _member_dot(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        """``rules.<rule>.<parameter>``: a shared rule's parameter; any other x.y is refused."""
        lark = self.cel.lark
        names: list[str] = []
        current = tree
        while isinstance(current, lark.Tree) and current.data == "member_dot":
            names.append(str(current.children[1]))
            current = current.children[0]
            while (isinstance(current, lark.Tree) and current.data in ("member", "primary")
                   and len(current.children) == 1):
                current = current.children[0]
        if not (isinstance(current, lark.Tree) and current.data == "ident"
                and str(current.children[0]) == PARAMETER_ROOT):
            return self._unsupported(tree, "member_dot", start, end, depth)
        names.reverse()
        if len(names) == 2:
            return self._node("param", start, end, op=".".join([PARAMETER_ROOT, *names]))
        snippet = " ".join(self.text[start:end].split())
        raise refuse("parameter", _("'{snippet}' is not a shared rule's parameter: write "
                                    "rules.<rule>.<parameter>").format(snippet=snippet),
                     start, _(PARAMETER_HINT))

    def _ident_arg(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        name = str(kids[0])
        raise refuse("unsupported", _("'{call}': conditions cannot call functions").format(
            call=f"{name}(...)"), start, _("Compare facts with values instead, e.g. "
                                           "amount_due > 100; the text tests are "
                                           "x.startsWith('..'), x.endsWith('..') and "
                                           "x.contains('..')."))

    def _unsupported(self, tree: Any, data: str, start: int, end: int, depth: int) -> Node:
        if data in ("member_dot", "member_index", "member_object"):
            self.build(tree.children[0], depth + 1)  # the leftmost problem is reported first
        snippet = " ".join(self.text[start:end].split())
        if len(snippet) > 40:
            snippet = snippet[:37] + "..."
        reason = _(_UNSUPPORTED.get(data, N_("'{snippet}': this construction is not "
                                             "supported in conditions"))).format(
            snippet=snippet)
        hint = _(SUBSET_HINT)
        if data == "member_dot":  # two whole sentences, one after the other
            hint = " ".join((hint, _(PARAMETER_HINT)))
        raise refuse("unsupported", reason, start, hint)

    # -- leaves ---------------------------------------------------------------------------------

    def _ident(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        return self._node("fact", start, end, op=str(kids[0]))

    def _list_lit(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        items = kids[0].children if kids else []
        self._node("list", start, end)
        children = tuple(self.build(k, depth + 1) for k in items)
        return Node("list", start, end, children=children, op_offset=start)

    def _literal(self, tree: Any, kids: list, start: int, end: int, depth: int) -> Node:
        token = kids[0]
        kind = token.type
        text = str(token)
        if kind == "INT_LIT":
            try:
                whole = int(text)
            except ValueError:  # CEL also has hexadecimal (0x1F) and unsigned (1u) numbers
                raise refuse("unsupported", _("the number {number} is not written in plain "
                                              "digits").format(number=text), start,
                             _("Write it with digits only, e.g. 5000.")) from None
            if abs(whole) > MAX_EXACT_INT:
                raise refuse("syntax", _("the number {number} is too large").format(
                    number=text), start, _("Whole numbers in conditions go up to {max}."
                                           ).format(max=_count(MAX_EXACT_INT)))
            # Every number is evaluated as a decimal (see the module's documentation).
            tree.children[0] = token.new_borrow_pos("FLOAT_LIT", text, token)
            return self._node("int", start, end, value=whole)
        if kind == "FLOAT_LIT":
            value = float(text)
            if not math.isfinite(value):
                raise refuse("syntax", _("the number {number} is too large").format(
                    number=text), start, _("Write an ordinary number, e.g. 5000 or 12.5."))
            return self._node("number", start, end, value=value)
        if kind == "BOOL_LIT":
            return self._node("bool", start, end, value=text == "true")
        if kind in ("STRING_LIT", "MLSTRING_LIT"):
            try:
                content = str(self.cel.evaluation.celstr(token))
            except Exception:  # noqa: BLE001 - a bad escape in the user's text
                raise refuse("syntax", _("this text cannot be read (a '\\' in it starts an "
                                         "unknown escape)"), start,
                             _("Write \\\\ for a backslash, or remove it.")) from None
            return self._node("string", start, end, value=content)
        if kind == "NULL_LIT":
            raise refuse("unsupported", _("'null' is not supported: every fact has a value"),
                         start, _("Compare with an actual value, e.g. segment == ''."))
        if kind == "UINT_LIT":
            raise refuse("unsupported", _("'{number}': unsigned numbers are not supported"
                                          ).format(number=text), start,
                         _("Write {number} without the '{letter}'.").format(
                             number=text[:-1], letter=text[-1]))
        raise refuse("unsupported", _("'{text}': bytes are not supported").format(text=text),
                     start, _("Write a text in quotes, e.g. 'abc'."))

    # -- positions ------------------------------------------------------------------------------

    def _span(self, tree: Any) -> tuple[int, int]:
        meta = getattr(tree, "meta", None)
        if meta is not None and not meta.empty:
            return int(meta.start_pos), int(meta.end_pos)
        start = getattr(tree, "start_pos", None)
        if start is not None:
            return int(start), int(start) + len(str(tree))
        return 0, len(self.text)  # pragma: no cover - every node has a position

    def _find(self, op: str, left_end: int, right_start: int) -> int:
        found = self.text.find(op, left_end, max(right_start, left_end))
        return found if found >= 0 else left_end


def lark_tree(expression: str) -> Any:
    """The lark tree of a condition the fast path parsed, built when first needed."""
    parsed = lark_parse(expression)
    if not isinstance(parsed, Parsed):  # pragma: no cover - both paths agree
        raise ConditionError("evaluation", _("the condition could not be evaluated"),
                             expression=expression, offset=0)
    return parsed.tree


@functools.lru_cache(maxsize=8192)
def lark_sites(expression: str) -> dict[tuple[int, int], Any]:
    """The lark subtrees of a condition's comparisons and text tests, by their span."""
    lark_tree(expression)  # raises if the lark path refuses it (never: both paths agree)
    parsed = lark_parse(expression)
    assert isinstance(parsed, Parsed)
    found: dict[tuple[int, int], Any] = {}
    stack = [parsed.root]
    while stack:
        node = stack.pop()
        if node.kind in ("cmp", "call"):
            found[(node.start, node.end)] = node.tree
        stack.extend(node.children)
    return found


@per_language(maxsize=8192)
def lark_parse(expression: str) -> Parsed | Problem:
    """Parse with cel-python's lark grammar and check the tree; cached by text."""
    if len(expression) > MAX_LENGTH:
        return Problem("too_complex", _("the condition is too long: {n} characters, at most "
                                        "{max} are allowed").format(
                                            n=_count(len(expression)), max=_count(MAX_LENGTH)),
                       0, _("Split it into several rules, or declare an intermediate fact."))
    if not expression.strip():
        return Problem("syntax", _("the condition is empty"), 0,
                       _("Write a condition, e.g. days_without_reply >= 7, or remove 'when'."))
    cel = cel_modules()
    try:
        tree = cel.parser.parse(expression)
    except cel.lark.exceptions.LarkError as err:
        return syntax_problem(expression, err, cel)
    except Exception:  # noqa: BLE001 - the parser must never crash on a user's text
        return Problem("syntax", _("the condition cannot be read"), 0, _(SUBSET_HINT))
    try:
        root = _Builder(expression, cel).build(tree, 0)
    except Refused as refused:
        return refused.problem
    except RecursionError:  # pragma: no cover - the depth limit comes first
        return Problem("too_complex", _("the condition is nested too deeply"), 0,
                       _("Simplify it, or split it into several rules."))
    return Parsed(root=root, tree=tree)
