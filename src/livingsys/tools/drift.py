"""`livingsys drift`: the registry compared with the tools' own exports.

For every automation with a ``source`` (the tool's export, kept in the repository), the export
is read again and compared with the automation's file:

- **steps**: a working node of the export no step stands for (``node:``), a step whose node is
  gone, a node renamed since the registry last named it;
- **messages**: a node that sends (email, chat, SMS) while its step — or the registry — does
  not declare it;
- **thresholds**: each simple comparison of the tool's conditions (n8n IF, Switch, Filter; Make
  filters) against the ``when`` conditions of the automation's rules and exceptions, on the
  fact that reads the same field (``facts[].field``, else the same name): another value
  ("the export compares amount > 6000; the registry says > 5000"), the same value with another
  boundary (>= against >), or a comparison the registry has nowhere.

Every difference points at the registry's side (the keys of the automation's file, or the
line and column of a comparison inside a `when`), in business words. This module only
compares: :mod:`livingsys.checks.drift` turns each :class:`Difference` into a
:class:`~livingsys.findings.Finding` of its D-check and runs `livingsys drift`; an export that
cannot be read is a D001 finding marked unreadable (exit code 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from livingsys.i18n import _, pgettext
from livingsys.tools.model import (
    TOOLS,
    Comparison,
    ExportError,
    ToolStep,
    Workflow,
    literal_text,
    op_words,
    plain,
)
from livingsys.tools.reader import read_export

if TYPE_CHECKING:
    from livingsys.models import Automation
    from livingsys.reading.registry import Entry, Registry


# --------------------------------------------------------------------------------------------
# where the export is


def resolve_export(registry_root: Path, export: str) -> tuple[Path | None, str | None]:
    """(the export's path, None) or (None, why it cannot be used): ``export`` must be relative
    to the repository's top folder and stay inside it."""
    from livingsys.tools.importer import repository_root

    if PurePosixPath(export).is_absolute() or PureWindowsPath(export).is_absolute() or (
            PureWindowsPath(export).drive):
        return None, _("source.export '{path}' is an absolute path; write it relative to the "
                       "repository's top folder, so it works on every clone").format(
                           path=plain(export, 80))
    repo = repository_root(registry_root)
    target = repo / export
    try:
        target.resolve().relative_to(repo.resolve())
    except ValueError:
        return None, _("source.export '{path}' leads outside the repository ('{repository}'); "
                       "keep the export inside it").format(path=plain(export, 80),
                                                           repository=repo)
    except (OSError, RuntimeError):
        return None, _("source.export '{path}' cannot be followed (a loop of links)").format(
            path=plain(export, 80))
    return target, None


# --------------------------------------------------------------------------------------------
# the registry's side


@dataclass
class _Literal:
    """A value a rule's or exception's `when` compares a fact with."""

    fact: str
    op: str
    value: Any
    group: str        # rules | exceptions
    index: int
    item: str         # the rule's or exception's id
    offset: int
    text: str
    #: The shared rule the value comes from, when the condition reads its parameter.
    shared_rule: str | None = None

    @property
    def what(self) -> str:
        """``rule remind-after-7-days``: the rule or exception that says it."""
        text = _("rule {id}") if self.group == "rules" else _("exception {id}")
        return text.format(id=self.item)


def _literals(automation: Automation) -> list[_Literal]:
    from livingsys.conditions import literal_comparisons

    out: list[_Literal] = []
    for group in ("rules", "exceptions"):
        for index, item in enumerate(getattr(automation, group)):
            if not item.when:
                continue
            for c in literal_comparisons(item.when):
                out.append(_Literal(c.fact, c.op, c.value, group, index, item.id, c.offset,
                                    c.text))
    return out


def _family(op: str) -> str:
    base = op.lstrip("!")
    if base in ("<", "<=", ">", ">="):
        return "order"
    if base in ("==", "!="):
        return "equal"
    return base


_COMPLEMENT = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _same_boundary(tool_op: str, registry_op: str) -> bool:
    """The two operators draw the line at the same place (the same test or its opposite)."""
    if _family(tool_op) in ("order", "equal"):
        return registry_op in (tool_op, _COMPLEMENT.get(tool_op))
    return tool_op.lstrip("!") == registry_op.lstrip("!")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


# --------------------------------------------------------------------------------------------
# comparing one automation


@dataclass
class Difference:
    """One way an automation's file and its tool's export disagree, before it is a finding:
    the D-code (:mod:`livingsys.checks.drift` makes it a finding), where in the automation's
    file, and what to say."""

    code: str
    #: The path of keys in the automation's file: ("steps", 2, "node").
    loc: tuple
    message: str
    hint: str | None = None
    #: (line, col) of the comparison inside a `when`, when the difference is about one.
    position: tuple[int, int] | None = None


class _Comparer:
    def __init__(self, registry: Registry, entry: Entry[Automation],
                 workflow: Workflow) -> None:
        if entry.model is None:  # pragma: no cover - only valid automations are compared
            raise ValueError(f"{entry.path} is not a valid automation")
        self.registry = registry
        self.entry = entry
        self.automation: Automation = entry.model
        self.workflow = workflow
        self.differences: list[Difference] = []
        self.tool = TOOLS[workflow.tool]

    def add(self, code: str, loc: tuple, message: str, hint: str | None = None, *,
            inside: tuple[str, int, int] | None = None) -> None:
        position = self._inside(*inside) if inside is not None else None
        self.differences.append(Difference(code, loc, message, hint, position))

    def _inside(self, group: str, index: int, offset: int) -> tuple[int, int]:
        from livingsys.reading.yamlsource import scalar_position

        container = self.entry.doc.data[group][index]
        start = container.value_position("when")
        when = getattr(self.automation, group)[index].when
        if start is None or self.entry.doc.text is None:  # pragma: no cover - read from file
            return self.entry.position((group, index, "when")) or (1, 1)
        return scalar_position(self.entry.doc.text, start, when, offset)

    # -- steps -------------------------------------------------------------------------------

    def steps(self) -> None:
        linked: dict[str, tuple[int, Any]] = {}
        for index, step in enumerate(self.automation.steps):
            if step.node is not None:
                linked.setdefault(str(step.node.id), (index, step))
        by_key = {s.key: s for s in self.workflow.steps}
        by_name = {s.name: s for s in self.workflow.steps}
        matched: set[str] = set()
        for key, (index, step) in linked.items():
            tool_step = by_key.get(key) or by_name.get(key)
            if tool_step is None:
                message = (_("step '{step}' stands for the {tool} {noun} '{name}' (id {id}), "
                             "which is no longer among the working steps of the export "
                             "(removed or disabled)") if step.node.name else
                           _("step '{step}' stands for the {tool} {noun} (id {id}), which is "
                             "no longer among the working steps of the export (removed or "
                             "disabled)"))
                self.add("D003", ("steps", index, "node"), message.format(
                    step=step.id, tool=self.tool, noun=self._noun(),
                    name=plain(step.node.name or "", 60), id=plain(key, 40)))
                continue
            matched.add(tool_step.key)
            if step.node.name is not None and plain(step.node.name, 200) != tool_step.name:
                self.add("D004", ("steps", index, "node", "name"),
                         _("step '{step}' stands for the {tool} {noun} '{name}', now named "
                           "'{new}' in the export").format(
                             step=step.id, tool=self.tool, noun=self._noun(),
                             name=plain(step.node.name, 60), new=plain(tool_step.name, 60)))
            declared = {m.channel for m in step.sends}
            for send in tool_step.sends:
                if send.channel not in declared:
                    self.add("D005", ("steps", index, "sends") if step.sends else (
                        "steps", index, "id"),
                             _("{label} sends {what}, but step '{step}' declares no {channel} "
                               "in `sends`").format(label=tool_step.label,
                                                    what=_channel_words(send.channel),
                                                    step=step.id, channel=send.channel))
        for tool_step in self.workflow.steps:
            if tool_step.key in matched:
                continue
            loc = self.entry.where("steps")
            if tool_step.sends:
                channels = ", ".join(_channel_words(s.channel) for s in tool_step.sends)
                self.add("D005", loc, _("{label} sends {what}, and no step of the registry "
                                        "stands for it").format(label=tool_step.label,
                                                                what=channels))
            else:
                message = (_("{label} is in the export, and no step of the registry stands "
                             "for it") if tool_step.does == tool_step.name else
                           _("{label} ({does}) is in the export, and no step of the registry "
                             "stands for it"))
                self.add("D002", loc, message.format(label=tool_step.label,
                                                     does=plain(tool_step.does, 60)))

    def _noun(self) -> str:
        # Translators: what a tool calls one of its steps (n8n: a node, Make: a module).
        return (pgettext("a tool's step", "node") if self.workflow.tool == "n8n"
                else pgettext("a tool's step", "module"))

    # -- thresholds ------------------------------------------------------------------------

    def _fact_for(self, comparison: Comparison) -> tuple[int, str] | None:
        facts = self.automation.facts
        for i, fact in enumerate(facts):
            if fact.field is not None and " ".join(fact.field.split()) == comparison.field:
                return i, fact.name
        for i, fact in enumerate(facts):
            if fact.name == comparison.fact:
                return i, fact.name
        return None

    def thresholds(self) -> None:
        literals = _literals(self.automation)
        for tool_step in self.workflow.steps:
            for comparison in tool_step.comparisons:
                self._one(comparison, tool_step, literals)

    def _one(self, comparison: Comparison, tool_step: ToolStep,
             literals: list[_Literal]) -> None:
        where = comparison.where or tool_step.label
        fact = self._fact_for(comparison)
        tool_text = comparison.text(fact[1] if fact else None)
        if fact is None:
            self.add("D008", self.entry.where("facts"),
                     _("{where} compares {comparison}, and the registry declares no fact read "
                       "from {field}").format(where=where, comparison=tool_text,
                                              field=plain(comparison.field, 60)),
                     _("declare the fact with `field: {field}` and add the condition to the rule "
                       "it belongs to").format(field=plain(comparison.field, 60)))
            return
        index, name = fact
        candidates = [lit for lit in literals if lit.fact == name
                      and _family(lit.op) == _family(comparison.op)]
        if comparison.type == "bool":
            candidates = [lit for lit in literals if lit.fact == name]
            if not candidates:
                self._missing(where, tool_text, index, name)
            return
        if not candidates:
            self._missing(where, tool_text, index, name)
            return
        same_value = [lit for lit in candidates if _equal(lit.value, comparison.value)]
        if any(_same_boundary(comparison.op, lit.op) for lit in same_value):
            return
        if same_value:
            lit = same_value[0]
            self.add("D007", (lit.group, lit.index, "when"),
                     _("{where} compares {comparison}; the registry says {registry} ({what}): "
                       "the case of exactly {value} is not handled the same way").format(
                         where=where, comparison=tool_text, registry=lit.text, what=lit.what,
                         value=literal_text(comparison.value)),
                     inside=(lit.group, lit.index, lit.offset))
            return
        lit = _nearest(candidates, comparison.value)
        shown = ", ".join(f"{c.text} ({c.what})" for c in _nearest_few(candidates,
                                                                         comparison.value))
        if lit.shared_rule:
            shown = _("{values} — rule {rule}").format(values=shown, rule=lit.shared_rule)
        message = _("{where} compares {comparison}; the registry says {registry}").format(
            where=where, comparison=f"{name} {op_words(comparison.op)} "
                                    f"{literal_text(comparison.value)}", registry=shown)
        self.add("D006", (lit.group, lit.index, "when"),
                 pgettext("between the parts of a list", "; ").join(
                     [message, *self._shared_values(comparison.value, lit.value)]),
                 inside=(lit.group, lit.index, lit.offset))

    def _shared_values(self, *values: Any) -> list[str]:
        """'shared rule X says name = 3000' for the parameters of the shared rules this
        automation uses that hold one of ``values`` (which value is the right one, rule 3),
        three at most."""
        used = set(self.automation.uses_rules)
        found = []
        for entry in self.registry.shared_rules:
            rule = entry.model
            if rule is None or rule.id not in used:
                continue
            for key, value in rule.parameters.items():
                if any(_equal(value, v) for v in values) and not isinstance(value, bool):
                    found.append(_("shared rule {rule} says {parameter} = {value}").format(
                        rule=rule.id, parameter=key, value=literal_text(value)))
        return found[:3]

    def _missing(self, where: str, tool_text: str, index: int, name: str) -> None:
        self.add("D008", ("facts", index, "name"),
                 _("{where} compares {comparison}, and no rule or exception of the registry "
                   "compares {fact} that way").format(where=where, comparison=tool_text,
                                                      fact=name))


def _channel_words(channel: str) -> str:
    words = {"email": _("an email"), "sms": _("an SMS"), "chat": _("a chat message")}
    return words.get(channel, channel)


def _distance(lit: _Literal, value: Any) -> float:
    if isinstance(lit.value, (int, float)) and isinstance(value, (int, float)) and not (
            isinstance(lit.value, bool) or isinstance(value, bool)):
        return abs(float(lit.value) - float(value))
    return 0.0


def _nearest(candidates: list[_Literal], value: Any) -> _Literal:
    return min(candidates, key=lambda lit: _distance(lit, value))


def _nearest_few(candidates: list[_Literal], value: Any, limit: int = 3) -> list[_Literal]:
    seen: set[tuple] = set()
    out = []
    for lit in sorted(candidates, key=lambda lit: _distance(lit, value)):
        key = (lit.text, lit.what)
        if key not in seen:
            seen.add(key)
            out.append(lit)
    return out[:limit]


# --------------------------------------------------------------------------------------------
# the whole registry


def read_source(registry: Registry, entry: Entry[Automation]
                ) -> tuple[Workflow | None, str | None]:
    """(the export named in the automation's ``source``, read; None) or (None, why it cannot
    be read)."""
    source = entry.model.source if entry.model is not None else None
    if source is None:
        return None, _("the automation names no export (`source`)")
    path, problem = resolve_export(registry.root, source.export)
    workflow = None
    if path is not None and problem is None:
        if not path.exists():
            problem = _("the {tool} export '{path}' does not exist").format(
                tool=TOOLS[source.kind], path=plain(source.export, 80))
        else:
            try:
                workflow = read_export(source.kind, path)
            except ExportError as exc:
                problem = (_("{problem} ({hint})").format(problem=exc.message, hint=exc.hint)
                           if exc.hint else exc.message)
    return workflow, problem


def differences(registry: Registry, entry: Entry[Automation],
                workflow: Workflow) -> list[Difference]:
    """How the automation's file and its tool's export ``workflow`` disagree: steps, then
    thresholds, in the order found (empty: in sync)."""
    comparer = _Comparer(registry, entry, workflow)
    comparer.steps()
    comparer.thresholds()
    return comparer.differences
