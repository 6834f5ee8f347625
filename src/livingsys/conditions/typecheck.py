"""The type check of a parsed condition against the declared facts and the shared
rules' parameters: every name known, every operator given values of the right kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from livingsys.conditions.errors import Refused, refuse
from livingsys.conditions.nodes import Node
from livingsys.conditions.values import (
    NO_PARAMETERS,
    PARAMETER_ROOT,
    FactSpec,
    ParameterSpec,
    RuleParameters,
    in_words,
    numeric,
)
from livingsys.conditions.wording import (
    EXAMPLES,
    compare_hint,
    literal_hint,
    parameter_problem,
    plural,
    undeclared_hint,
)


def _unify(a: str, b: str) -> str | None:
    """The common type of two values that may be compared, or None."""
    if a == b:
        return a
    if numeric(a) and numeric(b):
        return "number"
    return None


@dataclass(frozen=True, slots=True)
class Site:
    """Where a comparison is, and what it needs to be traced."""

    op: str
    start: int
    end: int
    left: tuple[int, int]
    right: tuple[int, int]
    left_type: str
    right_type: str
    tree: Any = field(repr=False, compare=False)


class Typer:
    """Checks a parsed condition's types, node by node (:meth:`check`), and notes on the way
    the facts it reads (``first_use``), the parameters (``parameters_used``) and the
    comparisons to trace (``sites``). Raises :class:`~livingsys.conditions.errors.Refused`
    at the first problem."""

    def __init__(self, text: str, facts: Mapping[str, FactSpec],
                 parameters: RuleParameters = NO_PARAMETERS) -> None:
        self.text = text
        self.facts = facts
        self.parameters = parameters
        self.sites: list[Site] = []
        self.first_use: dict[str, int] = {}
        self.parameters_used: dict[str, ParameterSpec] = {}

    def src(self, node: Node) -> str:
        snippet = " ".join(self.text[node.start:node.end].split())
        return snippet if len(snippet) <= 40 else snippet[:37] + "..."

    def q(self, node: Node) -> str:
        """The node's source in quotes, unless it is a quoted text already."""
        source = self.src(node)
        return source if node.kind == "string" else f"'{source}'"

    def fail(self, message: str, offset: int, hint: str | None = None) -> Refused:
        return refuse("type", message, offset, hint)

    def check(self, node: Node) -> str:
        kind = node.kind
        if kind == "fact":
            return self._fact(node)
        if kind == "param":
            return self._parameter(node)
        if kind in ("int", "number", "string", "bool"):
            return kind
        if kind in ("and", "or"):
            for child in node.children:
                self.need_bool(child, f"'{node.op}' ({'and' if kind == 'and' else 'or'})")
            return "bool"
        if kind == "not":
            self.need_bool(node.children[0], "'!' (not)")
            return "bool"
        if kind == "neg":
            operand = self.check(node.children[0])
            if not numeric(operand):
                raise self.fail(f"'-' needs a number, but {self.q(node.children[0])} is "
                                f"{in_words(operand)}", node.start)
            return operand
        if kind == "cmp":
            return self._comparison(node)
        if kind == "arith":
            return self._arithmetic(node)
        if kind == "call":
            return self._call(node)
        if kind == "cond":
            return self._conditional(node)
        if kind == "list":
            raise self.fail(f"a list ({self.q(node)}) can only be used after 'in'",
                            node.start, "e.g. segment in ['b2b', 'b2c']")
        raise self.fail("this construction is not supported", node.start)  # pragma: no cover

    def need_bool(self, node: Node, where: str) -> None:
        type_ = self.check(node)
        if type_ != "bool":
            raise self.fail(
                f"{where} needs true or false on each side, but {self.q(node)} is "
                f"{in_words(type_)}", node.start, compare_hint(self.src(node), type_))

    def _fact(self, node: Node) -> str:
        name = node.op
        spec = self.facts.get(name)
        if spec is None:
            raise refuse("undeclared", f"'{name}' is not a declared fact of this automation",
                         node.start, undeclared_hint(name, self.facts), fact=name)
        if name == PARAMETER_ROOT and self.parameters_used:
            raise self._hidden_by_fact(node.start)
        self.first_use.setdefault(name, node.start)
        return spec.type

    def _parameter(self, node: Node) -> str:
        name = node.op
        found = self.parameters.get(name)
        if found is not None:
            if PARAMETER_ROOT in self.first_use:
                raise self._hidden_by_fact(self.first_use[PARAMETER_ROOT])
            self.parameters_used.setdefault(name, found)
            return found.type
        raise self._unknown_parameter(node)

    def _unknown_parameter(self, node: Node) -> Refused:
        message, hint = parameter_problem(node.op, self.parameters)
        return refuse("parameter", message, node.start, hint, fact=node.op)

    def _hidden_by_fact(self, offset: int) -> Refused:
        return self.fail(f"the fact '{PARAMETER_ROOT}' has the name shared rules are read "
                         "under, and this condition reads both", offset,
                         f"Rename the fact, e.g. {PARAMETER_ROOT}_count.")

    def _element_type(self, node: Node) -> str:
        """The type of a list's elements ('' for an empty list)."""
        element = ""
        first: Node | None = None
        for item in node.children:
            if item.kind == "list":
                raise self.fail("lists inside lists are not supported", item.start)
            type_ = self.check(item)
            if first is None:
                element, first = type_, item
                continue
            unified = _unify(element, type_)
            if unified is None:
                raise self.fail(
                    f"the list mixes {in_words(element)} ({self.q(first)}) and "
                    f"{in_words(type_)} ({self.q(item)})", item.start,
                    "Put values of one kind in a list.")
            element = unified
        return element

    def _comparison(self, node: Node) -> str:
        left, right = node.children
        op = node.op
        if left.kind == "list":
            raise self.fail(f"a list ({self.q(left)}) can only be used after 'in'",
                            left.start, "e.g. segment in ['b2b', 'b2c']")
        left_type = self.check(left)
        if op == "in":
            if right.kind != "list":
                right_type = self.check(right)
                raise self.fail(
                    f"'in' needs a list written in brackets after it, but "
                    f"{self.q(right)} is {in_words(right_type)}", right.start,
                    f"e.g. {self.src(left)} in [value1, value2]")
            element = self._element_type(right)
            if element and _unify(left_type, element) is None:
                raise self.fail(
                    f"cannot look for {self.q(left)} ({in_words(left_type)}) in a list of "
                    f"{plural(element)}", right.start,
                    literal_hint(right.children[0] if right.children else right, left_type))
            right_type = f"list[{element}]"
        else:
            if right.kind == "list":
                raise self.fail(f"a list ({self.q(right)}) can only be used after 'in'",
                                right.start, "e.g. segment in ['b2b', 'b2c']")
            right_type = self.check(right)
            if _unify(left_type, right_type) is None:
                culprit = right if left.kind == "fact" or right.kind != "fact" else left
                other_type = left_type if culprit is right else right_type
                hint = literal_hint(culprit, other_type)
                if hint is None:
                    hint = (f"{self.src(left)} is {in_words(left_type)}: compare it with "
                            f"{in_words(left_type)}, e.g. {self.src(left)} {op} "
                            f"{EXAMPLES[left_type]}.") if left_type in EXAMPLES else None
                if left.kind == "cmp" and op not in ("==", "!="):
                    hint = (f"To test both, join them: {self.src(left)} && "
                            f"{self.src(left.children[1])} {op} {self.src(right)}.")
                raise self.fail(
                    f"cannot compare {self.q(left)} ({in_words(left_type)}) with "
                    f"{self.q(right)} ({in_words(right_type)})", node.op_offset, hint)
            if op not in ("==", "!=") and left_type == "bool":
                raise self.fail(
                    f"true/false values can only be compared with == or !=, not '{op}'",
                    node.op_offset, f"e.g. {self.src(left)} == true, or just "
                    f"{self.src(left)}")
        self.sites.append(Site(op=op, start=node.start, end=node.end,
                               left=(left.start, left.end), right=(right.start, right.end),
                               left_type=left_type, right_type=right_type, tree=node.tree))
        # Nested comparisons come after this one: the trace reads in source order.
        return "bool"

    def _arithmetic(self, node: Node) -> str:
        left, right = node.children
        op = node.op
        left_type = self.check(left)
        right_type = self.check(right)
        if op == "+" and left_type == right_type == "string":
            return "string"
        for side, type_ in ((left, left_type), (right, right_type)):
            if not numeric(type_):
                extra = " or two texts" if op == "+" else ""
                raise self.fail(
                    f"'{op}' needs two numbers{extra}, but {self.q(side)} is "
                    f"{in_words(type_)}", node.op_offset, literal_hint(side, "number"))
        if op == "%":
            for side, type_ in ((left, left_type), (right, right_type)):
                if type_ != "int":
                    raise self.fail(
                        f"'%' (remainder) needs whole numbers, but {self.q(side)} is "
                        f"{in_words(type_)}", node.op_offset)
            return "int"
        if op == "/":
            return "number"
        return "int" if left_type == right_type == "int" else "number"

    def _call(self, node: Node) -> str:
        target, arg = node.children
        for part in (target, arg):
            if part.kind == "list":
                raise self.fail(f"a list ({self.q(part)}) can only be used after 'in'",
                                part.start, "e.g. segment in ['b2b', 'b2c']")
        target_type = self.check(target)
        arg_type = self.check(arg)
        if target_type != "string":
            raise self.fail(f"'{node.op}' works on texts, but {self.q(target)} is "
                            f"{in_words(target_type)}", node.op_offset)
        if arg_type != "string":
            raise self.fail(f"'{node.op}' needs a text in parentheses, but {self.q(arg)} "
                            f"is {in_words(arg_type)}", arg.start, literal_hint(arg, "string"))
        self.sites.append(Site(op=node.op, start=node.start, end=node.end,
                               left=(target.start, target.end), right=(arg.start, arg.end),
                               left_type="string", right_type="string", tree=node.tree))
        return "bool"

    def _conditional(self, node: Node) -> str:
        condition, then, otherwise = node.children
        self.need_bool(condition, "'? :' (if ... then ... else)")
        for part in (then, otherwise):
            if part.kind == "list":
                raise self.fail(f"a list ({self.q(part)}) can only be used after 'in'",
                                part.start, "e.g. segment in ['b2b', 'b2c']")
        then_type = self.check(then)
        else_type = self.check(otherwise)
        unified = _unify(then_type, else_type)
        if unified is None:
            raise self.fail(
                f"both sides of ':' must be of the same kind, but {self.q(then)} is "
                f"{in_words(then_type)} and {self.q(otherwise)} is {in_words(else_type)}",
                node.op_offset)
        return unified
