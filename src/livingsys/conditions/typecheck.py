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
from livingsys.i18n import _


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
            where = _("'&&' (and)") if kind == "and" else _("'||' (or)")
            for child in node.children:
                self.need_bool(child, where)
            return "bool"
        if kind == "not":
            self.need_bool(node.children[0], _("'!' (not)"))
            return "bool"
        if kind == "neg":
            operand = self.check(node.children[0])
            if not numeric(operand):
                raise self.fail(_("'-' needs a number, but {value} is {kind}").format(
                    value=self.q(node.children[0]), kind=in_words(operand)), node.start)
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
            raise self._list_outside_in(node)
        raise self.fail(_("this construction is not supported"),  # pragma: no cover
                        node.start)

    def _list_outside_in(self, node: Node) -> Refused:
        return self.fail(_("a list ({list}) can only be used after 'in'").format(
            list=self.q(node)), node.start, _("e.g. segment in ['b2b', 'b2c']"))

    def need_bool(self, node: Node, where: str) -> None:
        type_ = self.check(node)
        if type_ != "bool":
            raise self.fail(
                _("{operator} needs true or false on each side, but {value} is {kind}").format(
                    operator=where, value=self.q(node), kind=in_words(type_)),
                node.start, compare_hint(self.src(node), type_))

    def _fact(self, node: Node) -> str:
        name = node.op
        spec = self.facts.get(name)
        if spec is None:
            raise refuse("undeclared",
                         _("'{name}' is not a declared fact of this automation").format(
                             name=name), node.start, undeclared_hint(name, self.facts),
                         fact=name)
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
        return self.fail(_("the fact '{root}' has the name shared rules are read under, and "
                           "this condition reads both").format(root=PARAMETER_ROOT), offset,
                         _("Rename the fact, e.g. {root}_count.").format(root=PARAMETER_ROOT))

    def _element_type(self, node: Node) -> str:
        """The type of a list's elements ('' for an empty list)."""
        element = ""
        first: Node | None = None
        for item in node.children:
            if item.kind == "list":
                raise self.fail(_("lists inside lists are not supported"), item.start)
            type_ = self.check(item)
            if first is None:
                element, first = type_, item
                continue
            unified = _unify(element, type_)
            if unified is None:
                raise self.fail(
                    _("the list mixes {kind} ({value}) and {other_kind} ({other})").format(
                        kind=in_words(element), value=self.q(first),
                        other_kind=in_words(type_), other=self.q(item)), item.start,
                    _("Put values of one kind in a list."))
            element = unified
        return element

    def _comparison(self, node: Node) -> str:
        left, right = node.children
        op = node.op
        if left.kind == "list":
            raise self._list_outside_in(left)
        left_type = self.check(left)
        if op == "in":
            if right.kind != "list":
                right_type = self.check(right)
                raise self.fail(
                    _("'in' needs a list written in brackets after it, but {value} is "
                      "{kind}").format(value=self.q(right), kind=in_words(right_type)),
                    right.start, _("e.g. {fact} in [value1, value2]").format(
                        fact=self.src(left)))
            element = self._element_type(right)
            if element and _unify(left_type, element) is None:
                raise self.fail(
                    _("cannot look for {value} ({kind}) in a list of {kinds}").format(
                        value=self.q(left), kind=in_words(left_type), kinds=plural(element)),
                    right.start,
                    literal_hint(right.children[0] if right.children else right, left_type))
            right_type = f"list[{element}]"
        else:
            if right.kind == "list":
                raise self._list_outside_in(right)
            right_type = self.check(right)
            if _unify(left_type, right_type) is None:
                culprit = right if left.kind == "fact" or right.kind != "fact" else left
                other_type = left_type if culprit is right else right_type
                hint = literal_hint(culprit, other_type)
                if hint is None:
                    hint = _("{value} is {kind}: compare it with {kind}, e.g. {example}."
                             ).format(value=self.src(left), kind=in_words(left_type),
                                      example=f"{self.src(left)} {op} "
                                              f"{EXAMPLES[left_type]}"
                                      ) if left_type in EXAMPLES else None
                if left.kind == "cmp" and op not in ("==", "!="):
                    hint = _("To test both, join them: {joined}.").format(
                        joined=f"{self.src(left)} && {self.src(left.children[1])} {op} "
                               f"{self.src(right)}")
                raise self.fail(
                    _("cannot compare {value} ({kind}) with {other} ({other_kind})").format(
                        value=self.q(left), kind=in_words(left_type), other=self.q(right),
                        other_kind=in_words(right_type)), node.op_offset, hint)
            if op not in ("==", "!=") and left_type == "bool":
                raise self.fail(
                    _("true/false values can only be compared with == or !=, not '{op}'"
                      ).format(op=op), node.op_offset,
                    _("e.g. {fact} == true, or just {fact}").format(fact=self.src(left)))
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
                message = (_("'+' needs two numbers or two texts, but {value} is {kind}")
                           if op == "+" else
                           _("'{op}' needs two numbers, but {value} is {kind}"))
                raise self.fail(message.format(op=op, value=self.q(side), kind=in_words(type_)),
                                node.op_offset, literal_hint(side, "number"))
        if op == "%":
            for side, type_ in ((left, left_type), (right, right_type)):
                if type_ != "int":
                    raise self.fail(
                        _("'%' (remainder) needs whole numbers, but {value} is {kind}").format(
                            value=self.q(side), kind=in_words(type_)), node.op_offset)
            return "int"
        if op == "/":
            return "number"
        return "int" if left_type == right_type == "int" else "number"

    def _call(self, node: Node) -> str:
        target, arg = node.children
        for part in (target, arg):
            if part.kind == "list":
                raise self._list_outside_in(part)
        target_type = self.check(target)
        arg_type = self.check(arg)
        if target_type != "string":
            raise self.fail(_("'{function}' works on texts, but {value} is {kind}").format(
                function=node.op, value=self.q(target), kind=in_words(target_type)),
                node.op_offset)
        if arg_type != "string":
            raise self.fail(_("'{function}' needs a text in parentheses, but {value} is "
                              "{kind}").format(function=node.op, value=self.q(arg),
                                               kind=in_words(arg_type)),
                            arg.start, literal_hint(arg, "string"))
        self.sites.append(Site(op=node.op, start=node.start, end=node.end,
                               left=(target.start, target.end), right=(arg.start, arg.end),
                               left_type="string", right_type="string", tree=node.tree))
        return "bool"

    def _conditional(self, node: Node) -> str:
        condition, then, otherwise = node.children
        self.need_bool(condition, _("'? :' (if ... then ... else)"))
        for part in (then, otherwise):
            if part.kind == "list":
                raise self._list_outside_in(part)
        then_type = self.check(then)
        else_type = self.check(otherwise)
        unified = _unify(then_type, else_type)
        if unified is None:
            raise self.fail(
                _("both sides of ':' must be of the same kind, but {value} is {kind} and "
                  "{other} is {other_kind}").format(
                    value=self.q(then), kind=in_words(then_type), other=self.q(otherwise),
                    other_kind=in_words(else_type)), node.op_offset)
        return unified
