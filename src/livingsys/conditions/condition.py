"""Compiling a condition (parse, then type check, cached) into a :class:`Condition`, and
evaluating it with CEL, with the trace of its comparisons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from livingsys.conditions.cel import cel_modules, from_cel, run, to_cel, trace_recorder
from livingsys.conditions.celparse import lark_sites, lark_tree
from livingsys.conditions.errors import ConditionError, Problem, Refused, line_col, per_language
from livingsys.conditions.nodes import STRING_TESTS
from livingsys.conditions.parser import parse
from livingsys.conditions.typecheck import Site, Typer
from livingsys.conditions.values import (
    FACT_TYPES,
    NO_PARAMETERS,
    FactLike,
    FactSpec,
    ParameterSpec,
    RuleParameters,
    check_fact_value,
    fact_spec,
    format_value,
    in_words,
)
from livingsys.conditions.wording import compare_hint
from livingsys.i18n import _


@dataclass(frozen=True, slots=True)
class Comparison:
    """One elementary test of a condition, as evaluated.

    ``op`` is ``< <= > >= == != in`` or one of the text tests ``startsWith``, ``endsWith``,
    ``contains``. ``left``/``right`` are the actual values (plain Python: int, float, bool,
    str, list); ``result`` is ``None`` and ``error`` says why when it could not be computed
    (e.g. a division by zero in a part the condition did not need).
    """

    text: str
    op: str
    left_text: str
    right_text: str
    left: Any
    right: Any
    result: bool | None
    offset: int
    line: int
    col: int
    error: str | None = None

    def describe(self) -> str:
        """``days_without_reply >= 7: 8 >= 7 → true``."""
        text = " ".join(self.text.split())
        if self.result is None:
            return _("{comparison}: could not be computed ({error})").format(
                comparison=text, error=self.error)
        if self.op in STRING_TESTS:
            shown = f"{format_value(self.left)}.{self.op}({format_value(self.right)})"
        else:
            shown = f"{format_value(self.left)} {self.op} {format_value(self.right)}"
        return f"{text}: {shown} → {format_value(self.result)}"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of a condition for some fact values, with the trace of its comparisons."""

    value: bool
    comparisons: tuple[Comparison, ...]
    values: Mapping[str, Any]
    """The fact values the condition used, as checked (``int`` facts as int, ``number`` as
    float)."""

    def trace(self) -> list[str]:
        """One plain line per comparison, in the order they appear in the condition."""
        return [c.describe() for c in self.comparisons]

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True, slots=True)
class Condition:
    """A checked condition, ready to evaluate. Build it with :func:`compile_condition`.

    ``facts`` holds the declared facts the condition reads, by name; ``facts_used`` their
    names in order of first appearance. ``parameters`` holds the shared rules' parameters it
    reads (``rules.<rule>.<parameter>``), by name, with the value they had when compiled.
    """

    expression: str
    facts: Mapping[str, FactSpec] = field(repr=False)
    facts_used: tuple[str, ...]
    _first_use: Mapping[str, int] = field(repr=False, compare=False)
    _sites: tuple[Site, ...] = field(repr=False, compare=False)
    _tree: Any = field(repr=False, compare=False)
    parameters: Mapping[str, ParameterSpec] = field(default_factory=dict, repr=False)

    def evaluate(self, values: Mapping[str, Any], *, trace: bool = True) -> Evaluation:
        """Evaluate with the given fact values (extra values are ignored).

        With ``trace`` (the default), each comparison is also evaluated on its own to fill
        ``Evaluation.comparisons``; ``trace=False`` gives the value alone, about twice as
        fast for a condition of two or three comparisons.

        Raises :class:`ConditionError` of kind ``missing`` when a used fact has no value,
        ``value`` when a value does not fit its fact's type, ``evaluation`` when CEL cannot
        compute the result (division by zero, number too large).
        """
        checked: dict[str, Any] = {}
        for name in self.facts_used:
            if name not in values:
                missing = [n for n in self.facts_used if n not in values]
                raise ConditionError(
                    "missing", _("no value given for fact '{name}'").format(name=name),
                    expression=self.expression, offset=self._first_use[name], fact=name,
                    hint=_("Give a value for every fact this condition uses: {facts}."
                           ).format(facts=", ".join(missing)))
            checked[name] = check_fact_value(self.facts[name], values[name])
        celtypes = cel_modules().celtypes
        activation = {name: to_cel(celtypes, self.facts[name].type, value)
                      for name, value in checked.items()}
        for name, parameter in self.parameters.items():  # 'rules.x.y': CEL reads the dots
            activation[name] = to_cel(celtypes, parameter.type, parameter.value)

        tree = self._tree if self._tree is not None else lark_tree(self.expression)
        result = run(self.expression, tree, activation)
        if not isinstance(result, celtypes.BoolType):  # pragma: no cover - excluded by typing
            raise ConditionError("evaluation", _("the condition did not give true or false"),
                                 expression=self.expression, offset=0)
        comparisons = (tuple(self._trace(site, activation) for site in self._sites)
                       if trace else ())
        return Evaluation(value=bool(result), comparisons=comparisons, values=checked)

    def _trace(self, site: Site, activation: dict[str, Any]) -> Comparison:
        text = self.expression
        line, col = line_col(text, site.start)
        recorder = trace_recorder()
        recorder.calls = []
        left = right = result = error = None
        try:
            tree = site.tree
            if tree is None:  # parsed by the fast path: the lark subtree, built once
                tree = lark_sites(text)[(site.start, site.end)]
            run(text, tree, activation, record=True)
            left, right, raw = recorder.calls[-1]
            result = bool(raw)
            left = from_cel(left, site.left_type)
            right = from_cel(right, site.right_type)
        except ConditionError as err:
            error = err.message
        except Exception as err:  # noqa: BLE001 - a trace line must never crash the caller
            error = _("unexpected problem: {error}").format(error=err)
        finally:
            recorder.calls = []
        return Comparison(
            text=text[site.start:site.end], op=site.op,
            left_text=text[site.left[0]:site.left[1]],
            right_text=text[site.right[0]:site.right[1]],
            left=left, right=right, result=result, offset=site.start, line=line, col=col,
            error=error)


def _specs(facts: Mapping[str, Any] | Iterable[Any]) -> dict[str, FactSpec]:
    """Declared facts, whatever form the caller has them in, by name."""
    specs: dict[str, FactSpec] = {}
    if isinstance(facts, Mapping):
        for name, fact in facts.items():
            if isinstance(fact, str):
                specs[name] = FactSpec(name=name, type=fact)  # type: ignore[arg-type]
            else:
                spec = fact_spec(fact)
                specs[name] = spec if spec.name == name else FactSpec(
                    name, spec.type, spec.unit, spec.description)
    else:
        for fact in facts:
            spec = fact_spec(fact)
            specs[spec.name] = spec
    return specs


def compile_condition(expression: str,
                      facts: Mapping[str, FactLike | FactSpec | str] | Iterable[FactLike],
                      parameters: RuleParameters | None = None) -> Condition:
    """Parse and check ``expression`` against the declared ``facts`` and the shared rules'
    ``parameters`` the automation may read (none when not given).

    ``facts`` maps names to :class:`FactSpec`, to the registry's ``Fact`` model or to a type
    name (``"int"``...), or is an iterable of facts (``automation.facts``). Raises
    :class:`ConditionError` (kinds ``syntax``, ``undeclared``, ``type``, ``too_complex``,
    ``unsupported``). Results are cached: compiling the same expression with the same facts
    again costs a dictionary look-up.
    """
    if not isinstance(expression, str):
        raise TypeError(f"a condition is a text, not {type(expression).__name__}")
    specs = _specs(facts)
    key = tuple(sorted((s.name, s.type, s.unit) for s in specs.values()))
    result = _compile(expression, key, parameters or NO_PARAMETERS)
    if isinstance(result, Problem):
        raise result.error(expression)
    return result


@per_language(maxsize=16384)
def _compile(expression: str, key: tuple[tuple[str, str, str | None], ...],
             parameters: RuleParameters = NO_PARAMETERS) -> Condition | Problem:
    parsed = parse(expression)
    if isinstance(parsed, Problem):
        return parsed
    facts = {name: FactSpec(name, type_, unit) for name, type_, unit in key}  # type: ignore
    for spec in facts.values():
        if spec.type not in FACT_TYPES:
            return Problem("type", _("fact {name} has an unknown type '{type}'").format(
                name=spec.name, type=spec.type), None,
                _("A fact's type is int, number, bool or string."), spec.name)
    typer = Typer(expression, facts, parameters)
    try:
        result = typer.check(parsed.root)
        if result != "bool":
            raise typer.fail(
                _("a condition must be true or false, but this one gives {kind}").format(
                    kind=in_words(result)), parsed.root.start,
                compare_hint(typer.src(parsed.root), result))
    except Refused as refused:
        return refused.problem
    used = tuple(typer.first_use)
    return Condition(expression=expression, facts={n: facts[n] for n in used},
                     facts_used=used, _first_use=dict(typer.first_use),
                     _sites=tuple(sorted(typer.sites, key=lambda s: (s.start, -s.end))),
                     _tree=parsed.tree, parameters=dict(typer.parameters_used))
