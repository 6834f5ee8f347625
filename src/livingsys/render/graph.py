"""The drawn flow of an automation as a Mermaid flowchart (renders on GitHub and GitLab as is).

Automatic, human and AI steps get distinct shapes and colours (article, 2.1: "distinguish
clearly what is automatic and what stays human", "identify where AI steps in"); messages to
clients are marked; validations and exceptions are drawn as branches to the person who takes
over; guardrails sit in a note beside the flow.
"""

from __future__ import annotations

import re
import textwrap

from livingsys.models import Automation, Person
from livingsys.neutral import for_markdown, for_mermaid

# Shapes: automatic = rectangle, human = stadium (rounded), AI = hexagon.
_SHAPES = {"automatic": ('["', '"]'), "human": ('(["', '"])'), "ai": ('{{"', '"}}'),
           None: ('["', '"]')}
_ICONS = {"automatic": "⚙️", "human": "👤", "ai": "🤖", None: "❔"}
_LABELS = {"automatic": "automatic", "human": "human", "ai": "AI", None: "kind not set"}

CLASS_DEFS = (
    "classDef automatic fill:#e8f1fb,stroke:#1f6feb,color:#0b2545",
    "classDef human fill:#fff4e5,stroke:#d97706,color:#4a2c00",
    "classDef ai fill:#f4ecfb,stroke:#8250df,color:#2e1065",
    "classDef unknown fill:#f6f8fa,stroke:#d1242f,stroke-dasharray:4 2,color:#24292f",
    "classDef client fill:#dafbe1,stroke:#1a7f37,color:#0f3d1c",
    "classDef exception fill:#ffebe9,stroke:#cf222e,color:#4c0b0b",
    "classDef note fill:#f6f8fa,stroke:#8c959f,color:#24292f",
    "classDef trigger fill:#ffffff,stroke:#57606a,color:#24292f",
)


def _text(value: str, width: int = 42) -> str:
    """Label text safe inside Mermaid quotes, wrapped on <br/>."""
    value = for_mermaid(value)
    return "<br/>".join(textwrap.wrap(value, width)) or " "


def _acc(value: str) -> str:
    """Text for accTitle/accDescr: one line (Mermaid reads it to the end of the line)."""
    return " ".join(str(value).split())


def _node_id(prefix: str, item_id: str) -> str:
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', item_id)}"


def _who(person_id: str | None, people: dict[str, Person]) -> str:
    if not person_id:
        return "nobody named"
    person = people.get(person_id)
    return f"{person.name} ({person_id})" if person else person_id


def summary(automation: Automation, people: dict[str, Person] | None = None) -> str:
    """The drawn flow in a few plain sentences: what a screen reader says for the diagram."""
    people = people or {}
    steps = automation.steps

    def plain(text: str) -> str:
        return " ".join(str(text).split()).rstrip(".")

    parts = [f"Flow of {plain(automation.name)}"]
    if automation.trigger:
        parts.append(f"It starts: {plain(automation.trigger)}")
    if steps:
        counts = [(sum(1 for s in steps if s.kind == k), _LABELS[k])
                  for k in ("automatic", "human", "ai", None)]
        detail = ", ".join(f"{n} {label}" for n, label in counts if n)
        parts.append(f"{len(steps)} step{'s' if len(steps) > 1 else ''} ({detail}): "
                     + "; ".join(f"{_LABELS.get(s.kind, s.kind)}, {plain(s.does)}"
                                 for s in steps))
    else:
        parts.append("No steps are drawn")
    for step in steps:
        if step.validated_by:
            parts.append(f"{_who(step.validated_by, people)} validates step {step.id} before "
                         "it goes on")
        sent = dict.fromkeys(("clients" if m.audience == "client" else "the team", m.channel)
                             for m in step.sends)
        for who, channel in sent:
            parts.append(f"Step {step.id} sends to {who} by {channel}")
    for exception in automation.exceptions:
        parts.append(f"Exception {exception.id}: {_who(exception.handled_by, people)} takes "
                     "over")
    return ". ".join(parts) + "."


def mermaid(automation: Automation, people: dict[str, Person] | None = None, *,
            accessible: bool = False) -> str:
    """The flowchart, in Mermaid syntax (without code fences). ``accessible`` adds the
    diagram's title and :func:`summary` as Mermaid's accTitle and accDescr (the SVG's
    ``<title>`` and ``<desc>``)."""
    people = people or {}
    lines = ["flowchart TD"]
    add = lines.append
    if accessible:
        add(f"    accTitle: {_acc('Flow of ' + automation.name)}")
        add(f"    accDescr: {_acc(summary(automation, people))}")
    trigger = automation.trigger or "trigger not described"
    add(f'    trigger(["▶ {_text(trigger)}"]):::trigger')
    previous = "trigger"
    client_node = False
    hold_point = None  # where exception cases leave the automatic flow
    for step in automation.steps:
        node = _node_id("step", step.id)
        left, right = _SHAPES.get(step.kind, _SHAPES[None])
        detail = _LABELS.get(step.kind) or step.kind or ""
        if step.by:
            detail += f" · {_who(step.by, people) if step.by in people else step.by}"
        label = (f"{_ICONS.get(step.kind, '❔')} {_text(step.does or '')}"
                 f"<br/><small>{_text(detail, 60)}</small>")
        css = step.kind if step.kind in ("automatic", "human", "ai") else "unknown"
        add(f"    {node}{left}{label}{right}:::{css}")
        if step.validated_by:
            check = _node_id("validate", step.id)
            add(f'    {check}(["👤 validates before it goes on<br/><small>'
                f'{_text(_who(step.validated_by, people), 60)}</small>"]):::human')
            add(f"    {previous} --> {check}")
            add(f"    {check} -->|approved| {node}")
        else:
            add(f"    {previous} --> {node}")
        for message in step.sends:
            target = "client" if message.audience == "client" else _node_id("internal", step.id)
            if message.audience == "client" and not client_node:
                add('    client[/"✉️ Client"/]:::client')
                client_node = True
            elif message.audience != "client":
                add(f'    {target}[/"📣 Internal"/]:::note')
            label = message.channel + (f": {message.content}" if message.content else "")
            add(f'    {node} -.->|"{_text(label, 30)}"| {target}')
        if step.kind == "human" and hold_point is None:
            hold_point = previous
        previous = node
    origin = hold_point or (
        _node_id("step", automation.steps[0].id) if automation.steps else "trigger")
    for exception in automation.exceptions:
        node = _node_id("exception", exception.id)
        then = exception.then or "not described"
        add(f'    {node}["⚠️ {_text(exception.id)}: {_text(then)}<br/><small>handled by '
            f'{_text(_who(exception.handled_by, people), 60)}</small>"]:::exception')
        condition = exception.if_ or exception.when or exception.id
        add(f'    {origin} -.->|"if {_text(condition, 36)}"| {node}')
    notes = _guardrail_notes(automation, people)
    if notes:
        add(f'    guardrails["🛡️ Guardrails<br/>{"<br/>".join(notes)}"]:::note')
    lines.extend(f"    {c}" for c in CLASS_DEFS)
    return "\n".join(lines) + "\n"


def _guardrail_notes(automation: Automation, people: dict[str, Person]) -> list[str]:
    g = automation.guardrails
    notes = []
    if g.human_validation:
        scope = "every action" if g.human_validation.scope == "all" else "exception cases"
        notes.append(_text(f"human validation of {scope} by "
                           f"{_who(g.human_validation.by, people)}", 60))
    if g.daily_cap:
        notes.append(_text(f"at most {g.daily_cap} per day", 60))
    if g.notify_on_exception:
        notes.append(_text(f"exceptions notified in {g.notify_on_exception.channel}", 60))
    if g.kill_switch:
        notes.append(_text(f"stop: {g.kill_switch}", 60))
    return notes


def markdown(automation: Automation, people: dict[str, Person] | None = None) -> str:
    """A Markdown section with the diagram in a ```mermaid block and a legend."""
    status = "" if automation.status == "active" else f" ({automation.status})"
    owner = _who(automation.owner, people or {}) if automation.owner else "no owner"
    return (f"## {for_markdown(automation.name, heading=True)}{status}\n\n"
            f"`{automation.id}` · owner: {for_markdown(owner)} · perimeter: "
            f"{automation.perimeter}\n\n"
            f"```mermaid\n{mermaid(automation, people)}```\n\n"
            "Legend: ⚙️ automatic · 👤 human · 🤖 AI · ✉️ message to clients · "
            "⚠️ exception (a person takes over) · dotted arrows: messages and exception "
            "branches.\n")
