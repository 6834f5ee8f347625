"""A draft automation file from a tool's export (`livingsys import n8n|make FILE`).

The draft holds what the export says — the tool, where the workflow is, its trigger, every
working node as a step with a first guess of its kind and of the messages it sends, and the
simple comparisons of its conditions as rules with a ``when`` over declared facts — and says
plainly, in TODO comments, what it could not translate (expressions, code) and what only a
person can say: the business owner, the exceptions, who validates, the audience of messages.
It is written like `livingsys new` writes (atomically, never overwriting) and linked to the
export (``source``) so that `livingsys drift` can compare them later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from livingsys.tools.model import (
    TOOLS,
    Comparison,
    Condition,
    ExportError,
    ToolStep,
    Workflow,
    plain,
)
from livingsys.tools.reader import read_export


@dataclass
class Draft:
    """What import made: the file's text, and what a person must still do."""

    automation_id: str
    text: str
    workflow: Workflow
    facts: int = 0
    rules: int = 0
    todo: list[str] = field(default_factory=list)
    #: source.export as written in the draft (None: the export is outside the repository).
    export: str | None = None


def repository_root(registry_root: Path) -> Path:
    """The repository's top folder: the nearest folder above the registry holding .git, else
    the folder that holds the registry."""
    start = registry_root.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start.parent if start.parent != start else start


def export_path(repo_root: Path, export: Path) -> str | None:
    """``export`` relative to the repository (with '/'), or None when it lies outside."""
    try:
        rel = export.resolve().relative_to(repo_root.resolve())
    except ValueError:
        return None
    return rel.as_posix()


# --------------------------------------------------------------------------------------------
# conditions as `when`


def _cel_text(value: str) -> str | None:
    if any(not c.isprintable() for c in value) or len(value) > 200:
        return None
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _cel_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(value)


def cel(comparison: Comparison, fact: str) -> str | None:
    """One comparison in the condition language, or None when it cannot be written."""
    op, value = comparison.op, comparison.value
    if comparison.type == "bool":
        if op not in ("==", "!="):
            return None
        return f"{fact} {op} {'true' if value else 'false'}"
    if comparison.type == "number":
        return f"{fact} {op} {_cel_number(float(value))}" if op in (
            "<", "<=", ">", ">=", "==", "!=") else None
    text = _cel_text(str(value))
    if text is None:
        return None
    if op in ("==", "!="):
        return f"{fact} {op} {text}"
    negated = op.startswith("!")
    test = f"{fact}.{op.lstrip('!')}({text})"
    return f"!{test}" if negated else test


def _when(groups: list[list[str]]) -> str:
    parts = [" && ".join(g) for g in groups if g]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return " || ".join(f"({p})" if len(g) > 1 else p for p, g in zip(parts, groups, strict=False))


# --------------------------------------------------------------------------------------------
# the draft


class _Facts:
    """The facts the draft declares: one per field of the tool compared in a condition."""

    def __init__(self) -> None:
        self.by_field: dict[str, tuple[str, str]] = {}  # field -> (name, type)

    def name_for(self, comparison: Comparison) -> str | None:
        known = self.by_field.get(comparison.field)
        if known is not None:
            return known[0] if known[1] == comparison.type else None
        taken = {n for n, _t in self.by_field.values()}
        name, n = comparison.fact, 2
        while name in taken:
            name = f"{comparison.fact[:60]}_{n}"
            n += 1
        self.by_field[comparison.field] = (name, comparison.type)
        return name


def _unique(base: str, taken: set[str], fallback: str) -> str:
    from livingsys.reading.yamltext import slug

    text = slug(base)[:72].strip("-_") or fallback
    if not text[0].isalnum():
        text = fallback
    candidate, n = text, 2
    while candidate in taken:
        candidate = f"{text[:72]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str = "") -> None:
        self.lines.append(line.rstrip())

    def note(self, text: str, indent: int = 0) -> None:
        import textwrap

        for line in textwrap.wrap(plain(text, 400), width=96 - indent, break_long_words=False,
                                  break_on_hyphens=False) or [""]:
            self.add(" " * indent + "# " + line)


def _trigger_text(workflow: Workflow) -> str:
    tool = TOOLS[workflow.tool]
    if not workflow.triggers:
        return f"Started from another workflow or by hand in {tool}"
    names = ", ".join(f"'{t.name}' ({t.does})" for t in workflow.triggers[:3])
    return f"Starts from {names} in {tool}"


def build_draft(workflow: Workflow, automation_id: str, *, export: str | None,
                schema_line: bool, today: dt.date | None = None) -> Draft:
    """The text of the draft automation file for ``workflow``."""
    from livingsys.conditions import ConditionError, compile_condition
    from livingsys.reading.schema import modeline
    from livingsys.reading.yamltext import yaml_scalar as q

    today = today or dt.date.today()
    tool = TOOLS[workflow.tool]
    draft = Draft(automation_id=automation_id, text="", workflow=workflow, export=export)
    w = _Writer()
    if schema_line:
        w.add(modeline("automation", "automations"))
    w.note(f"A DRAFT imported from the {tool} export by `livingsys import {workflow.tool}` on "
           f"{today.isoformat()}.")
    w.note("Lines marked TODO are for a person to check or fill in; `livingsys lint` lists "
           "what is still missing.")
    w.add()
    w.add(f"id: {automation_id}")
    w.add(f"name: {q(workflow.name)}")
    w.note("TODO: what it is for, in a few lines, for the people who answer for it.")
    w.add("description:")
    if workflow.active is False:
        w.note(f"{tool} says this workflow is not active: if it is paused, write status: paused "
               "with status_reason and status_since.")
    w.add("status: active")
    w.note("TODO: the BUSINESS owner who answers for the result (a person of kind business in "
           "people.yaml), and who maintains it.")
    w.add("owner:")
    w.add("maintainer:")
    w.add(f"tool: {tool}")
    where = f"{tool} › {'workflow' if workflow.tool == 'n8n' else 'scenario'} '{workflow.name}'"
    if workflow.id:
        where += f" (id {workflow.id})"
    w.add(f"location: {q(where)}")
    w.note("TODO: when and why it starts, in plain words (from the trigger of the export).")
    w.add(f"trigger: {q(_trigger_text(workflow))}")
    w.note("first: a person validates every message to a client (article, rule 1).")
    w.add("perimeter: first")
    if export is not None:
        w.note("The tool's export: `livingsys drift` compares it with this file.")
        w.add("source:")
        w.add(f"  kind: {workflow.tool}")
        w.add(f"  export: {q(export)}")
    else:
        draft.todo.append("the export is outside the repository: copy it into the repository "
                          "and add `source: {kind: " + workflow.tool + ", export: PATH}` so "
                          "`livingsys drift` can compare them")

    facts = _Facts()
    rules: list[tuple[ToolStep, Condition, list[list[str]], list[str]]] = []
    for step in workflow.steps:
        for cond in step.conditions:
            groups: list[list[str]] = []
            lost = list(cond.untranslated)
            for group in cond.groups:
                texts = []
                for comparison in group:
                    name = facts.name_for(comparison)
                    text = cel(comparison, name) if name else None
                    if text is None:
                        why = ("the same field is compared as another type elsewhere"
                               if name is None else "a value the condition language cannot hold")
                        lost.append(f"{comparison.text()} ({why})")
                        continue
                    texts.append(text)
                groups.append(texts)
            rules.append((step, cond, groups, lost))

    if facts.by_field:
        w.add()
        w.note("Facts: the fields the tool's conditions compare (`field` says where the tool "
               "reads them). TODO: a clearer name and a unit where it helps.")
        w.add("facts:")
        for field_text, (name, type_) in facts.by_field.items():
            w.add(f"  - name: {name}")
            w.add(f"    type: {type_}")
            w.add(f"    field: {q(field_text)}")
        draft.facts = len(facts.by_field)
    declared = {name: type_ for name, type_ in facts.by_field.values()}

    w.add()
    w.note(f"Steps: every working {'node' if workflow.tool == 'n8n' else 'module'} of the "
           "export, in the order of the flow. The kind is a first guess from its type.")
    if workflow.skipped:
        w.note("Left out: " + "; ".join(workflow.skipped[:8])
               + (f" and {len(workflow.skipped) - 8} more" if len(workflow.skipped) > 8 else ""))
    w.add("steps:" if workflow.steps else "steps: []")
    taken: set[str] = set()
    for i, step in enumerate(workflow.steps):
        step_id = _unique(step.name, taken, f"step-{i + 1}")
        w.add(f"  - id: {step_id}")
        noun = "node" if workflow.tool == "n8n" else "module"
        w.add(f"    kind: {step.kind}  # guessed from the {noun} type: check it")
        w.add(f"    does: {q(step.does + ' (' + step.label + ')')}")
        for note in step.notes:
            w.note(f"TODO: {note}", 4)
        if step.kind == "human":
            w.note("TODO: who does it (a person id in people.yaml) in `by`.", 4)
        else:
            w.add(f"    by: {tool}")
        if step.sends:
            w.add("    sends:")
            for send in step.sends:
                w.add(f"      - audience: {send.audience}  # TODO: confirm: client or "
                      "internal?")
                w.add(f"        channel: {send.channel}")
        w.add("    node:")
        w.add(f"      id: {q(step.key)}")
        w.add(f"      name: {q(step.name)}")

    w.add()
    if rules:
        w.note("Rules: the simple comparisons of the tool's conditions. TODO: say `if` and "
               "`then` in business words; add an `action`.")
        w.add("rules:")
    else:
        w.note("TODO: the business rules, as if/then (the export has no condition livingsys "
               "can read).")
        w.add("rules: []")
    rule_ids: set[str] = set()
    for step, cond, groups, lost in rules:
        if workflow.tool == "make":
            label = cond.label.removeprefix("filter ").strip("'\"") if cond.label != "filter" \
                else f"module {step.key} filter"
        else:
            label = step.name if cond.label == "condition" else f"{step.name} {cond.label}"
        rule_id = _unique(label, rule_ids, f"rule-{len(rule_ids) + 1}")
        when = _when(groups)
        problem = None
        if when:
            try:
                compile_condition(when, declared)
            except ConditionError as exc:
                problem, when = exc.message, ""
        words = " or ".join(" and ".join(c.text(facts.by_field[c.field][0]) for c in g
                                         if c.field in facts.by_field) for g in cond.groups)
        source = f"{step.label}, {cond.label}" if cond.label not in ("condition",) else step.label
        w.add(f"  - id: {rule_id}")
        if_text = (f"{words} ({source})" if words else f"TODO: in plain words ({source})")
        w.add(f"    if: {q(if_text)}")
        then = ("TODO: what happens then, in business words (the "
                + ("module runs" if workflow.tool == "make" else "branch that follows") + ")")
        w.add(f"    then: {q(then)}")
        for part in lost:
            w.note(f"TODO: not translated: {part}", 4)
        if problem:
            w.note(f"TODO: no `when`: {problem}", 4)
        if when:
            if lost:
                w.note("the `when` below holds only the parts that could be translated", 4)
            w.add(f"    when: {q(when)}")
        draft.rules += 1

    w.add()
    w.note("TODO: 1 to 3 exceptions: the cases the rules do not handle automatically, each with "
           "who validates (handled_by).")
    w.add("exceptions: []")
    if workflow.credentials:
        w.add()
        w.note(f"{len(workflow.credentials)} credential reference(s) of the export were left out "
               "on purpose: they stay in the tool.")
    draft.text = "\n".join(w.lines) + "\n"
    return draft


def _check_readable(text: str, automation_id: str) -> None:
    """The draft must read back as a valid automation; otherwise nothing is written."""
    from livingsys.models import Automation
    from livingsys.reading.validation import validate
    from livingsys.reading.yamlsource import parse

    doc = parse(text, f"{automation_id}.yaml")
    if doc.data is None or doc.findings:
        why = doc.findings[0].message if doc.findings else "no data"
        raise ExportError(f"the draft for '{automation_id}' could not be read back ({why}); "
                          "nothing was written",
                          "this is a bug of livingsys: please report it with the export")
    _model, findings = validate(Automation, doc.data, f"{automation_id}.yaml")
    if findings:
        raise ExportError(f"the draft for '{automation_id}' is not a valid automation "
                          f"({findings[0].location}: {findings[0].message}); nothing was "
                          "written", "this is a bug of livingsys: please report it with the "
                          "export")


def default_id(workflow: Workflow) -> str:
    from livingsys.reading.yamltext import slug

    text = slug(workflow.name)[:80].strip("-_")
    return text if text and text[0].isalnum() else f"imported-{workflow.tool}-workflow"


@dataclass
class Imported:
    path: Path
    draft: Draft


def import_export(kind: str, export: Path, registry_root: Path, *,
                  automation_id: str | None = None, today: dt.date | None = None) -> Imported:
    """Read ``export`` and write automations/<id>.yaml in the registry (never overwriting).

    Raises :class:`ExportError` (unreadable export, bad or taken id) or
    :class:`livingsys.reading.writing.WriteError`."""
    from livingsys.reading.schema import REGISTRY_SCHEMA_DIR
    from livingsys.reading.writing import inside, write_text_atomic
    from livingsys.reading.yamltext import automation_path, invalid_id

    workflow = read_export(kind, export)
    chosen = automation_id or default_id(workflow)
    problem = invalid_id(chosen, "automation id")
    if problem:
        raise ExportError(str(problem), problem.hint)
    target = automation_path(registry_root, chosen)
    for existing in (target, target.with_suffix(".yml")):
        if existing.exists() or existing.is_symlink():
            raise ExportError(f"'{existing}' already exists; it was not changed",
                              "choose another id with --id, or remove that file first")
    rel = export_path(repository_root(registry_root), export)
    draft = build_draft(workflow, chosen, export=rel, today=today,
                        schema_line=(registry_root / REGISTRY_SCHEMA_DIR / "automation.json"
                                     ).is_file())
    _check_readable(draft.text, chosen)
    path = inside(registry_root, target)
    write_text_atomic(path, draft.text)
    return Imported(path=path, draft=draft)


__all__ = ["Draft", "Imported", "build_draft", "cel", "default_id", "export_path",
           "import_export", "repository_root"]
