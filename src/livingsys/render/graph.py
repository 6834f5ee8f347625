"""The drawn flow of an automation as a Mermaid flowchart (renders on GitHub and GitLab as is).

Automatic, human and AI steps get distinct shapes and colours (article, 2.1: "distinguish
clearly what is automatic and what stays human", "identify where AI steps in"); messages to
clients are marked; validations and exceptions are drawn as branches to the person who takes
over; guardrails sit in a note beside the flow.
"""

from __future__ import annotations

import re
import textwrap

from livingsys import i18n
from livingsys.i18n import N_, _, ngettext
from livingsys.models import Automation, Person
from livingsys.neutral import for_markdown, for_mermaid

# Shapes: automatic = rectangle, human = stadium (rounded), AI = hexagon.
_SHAPES = {"automatic": ('["', '"]'), "human": ('(["', '"])'), "ai": ('{{"', '"}}'),
           None: ('["', '"]')}
_ICONS = {"automatic": "⚙️", "human": "👤", "ai": "🤖", None: "❔"}
_LABELS = {"automatic": N_("automatic"), "human": N_("human"), "ai": N_("AI"),
           None: N_("kind not set")}

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
        return _("nobody named")
    person = people.get(person_id)
    return f"{person.name} ({person_id})" if person else person_id


def summary(automation: Automation, people: dict[str, Person] | None = None) -> str:
    """The drawn flow in a few plain sentences: what a screen reader says for the diagram."""
    people = people or {}
    steps = automation.steps

    def plain(text: str) -> str:
        return " ".join(str(text).split()).rstrip(".")

    parts = [_("Flow of {name}").format(name=plain(automation.name))]
    if automation.trigger:
        parts.append(_("It starts: {trigger}").format(trigger=plain(automation.trigger)))
    if steps:
        counts = [(sum(1 for s in steps if s.kind == k), _label(k))
                  for k in ("automatic", "human", "ai", None)]
        detail = ", ".join(f"{n} {label}" for n, label in counts if n)
        listed = "; ".join(f"{_label(s.kind)}, {plain(s.does)}" for s in steps)
        if i18n.language() == "en":  # as always: '1 step', '2 steps'
            parts.append(f"{len(steps)} step{'s' if len(steps) > 1 else ''} ({detail}): "
                         + listed)
        else:
            parts.append(ngettext("{n} step ({kinds}): {steps}", "{n} steps ({kinds}): {steps}",
                                  len(steps)).format(n=len(steps), kinds=detail, steps=listed))
    else:
        parts.append(_("No steps are drawn"))
    for step in steps:
        if step.validated_by:
            parts.append(_("{who} validates step {step} before it goes on").format(
                who=_who(step.validated_by, people), step=step.id))
        sent = dict.fromkeys((m.audience == "client", m.channel) for m in step.sends)
        for to_client, channel in sent:
            parts.append((_("Step {step} sends to clients by {channel}") if to_client
                          else _("Step {step} sends to the team by {channel}")).format(
                              step=step.id, channel=channel))
    for exception in automation.exceptions:
        parts.append(_("Exception {id}: {who} takes over").format(
            id=exception.id, who=_who(exception.handled_by, people)))
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
        title = _("Flow of {name}").format(name=automation.name)
        add(f"    accTitle: {_acc(title)}")
        add(f"    accDescr: {_acc(summary(automation, people))}")
    trigger = automation.trigger or _("trigger not described")
    add(f'    trigger(["▶ {_text(trigger)}"]):::trigger')
    previous = "trigger"
    client_node = False
    hold_point = None  # where exception cases leave the automatic flow
    for step in automation.steps:
        node = _node_id("step", step.id)
        left, right = _SHAPES.get(step.kind, _SHAPES[None])
        detail = _label(step.kind) if step.kind in _LABELS else step.kind or ""
        if step.by:
            detail += f" · {_who(step.by, people) if step.by in people else step.by}"
        label = (f"{_ICONS.get(step.kind, '❔')} {_text(step.does or '')}"
                 f"<br/><small>{_text(detail, 60)}</small>")
        css = step.kind if step.kind in ("automatic", "human", "ai") else "unknown"
        add(f"    {node}{left}{label}{right}:::{css}")
        if step.validated_by:
            check = _node_id("validate", step.id)
            validates, approved = _text(_("validates before it goes on")), _("approved")
            add(f'    {check}(["👤 {validates}<br/><small>'
                f'{_text(_who(step.validated_by, people), 60)}</small>"]):::human')
            add(f"    {previous} --> {check}")
            add(f"    {check} -->|{_text(approved)}| {node}")
        else:
            add(f"    {previous} --> {node}")
        for message in step.sends:
            target = "client" if message.audience == "client" else _node_id("internal", step.id)
            if message.audience == "client" and not client_node:
                client = _text(_("Client"))
                add(f'    client[/"✉️ {client}"/]:::client')
                client_node = True
            elif message.audience != "client":
                internal = _text(_("Internal"))
                add(f'    {target}[/"📣 {internal}"/]:::note')
            label = message.channel + (f": {message.content}" if message.content else "")
            add(f'    {node} -.->|"{_text(label, 30)}"| {target}')
        if step.kind == "human" and hold_point is None:
            hold_point = previous
        previous = node
    origin = hold_point or (
        _node_id("step", automation.steps[0].id) if automation.steps else "trigger")
    for exception in automation.exceptions:
        node = _node_id("exception", exception.id)
        then = exception.then or _("not described")
        handled = _("handled by {who}").format(who=_text(_who(exception.handled_by, people), 60))
        add(f'    {node}["⚠️ {_text(exception.id)}: {_text(then)}<br/><small>{handled}'
            '</small>"]:::exception')
        condition = exception.if_ or exception.when or exception.id
        branch = _("if {text}").format(text=_text(condition, 36))
        add(f'    {origin} -.->|"{branch}"| {node}')
    notes = _guardrail_notes(automation, people)
    if notes:
        heading = _text(_("Guardrails"))
        add(f'    guardrails["🛡️ {heading}<br/>{"<br/>".join(notes)}"]:::note')
    lines.extend(f"    {c}" for c in CLASS_DEFS)
    return "\n".join(lines) + "\n"


def _guardrail_notes(automation: Automation, people: dict[str, Person]) -> list[str]:
    g = automation.guardrails
    notes = []
    if g.human_validation:
        who = _who(g.human_validation.by, people)
        notes.append(_text((_("human validation of every action by {who}")
                            if g.human_validation.scope == "all" else
                            _("human validation of exception cases by {who}")).format(who=who),
                           60))
    if g.daily_cap:
        notes.append(_text(_("at most {cap} per day").format(cap=g.daily_cap), 60))
    if g.notify_on_exception:
        notes.append(_text(_("exceptions notified in {channel}").format(
            channel=g.notify_on_exception.channel), 60))
    if g.kill_switch:
        notes.append(_text(_("stop: {how}").format(how=g.kill_switch), 60))
    return notes


def _label(kind: str | None) -> str:
    """A step's kind as the diagram says it: 'automatic', 'AI', 'kind not set'."""
    return _(_LABELS[kind]) if kind in _LABELS else str(kind)


def markdown(automation: Automation, people: dict[str, Person] | None = None) -> str:
    """A Markdown section with the diagram in a ```mermaid block and a legend."""
    status = "" if automation.status == "active" else f" ({automation.status})"
    owner = _who(automation.owner, people or {}) if automation.owner else _("no owner")
    facts = _("owner: {owner} · perimeter: {perimeter}").format(
        owner=for_markdown(owner), perimeter=automation.perimeter)
    legend = _("Legend: ⚙️ automatic · 👤 human · 🤖 AI · ✉️ message to clients · ⚠️ exception "
               "(a person takes over) · dotted arrows: messages and exception branches.")
    return (f"## {for_markdown(automation.name, heading=True)}{status}\n\n"
            f"`{automation.id}` · {facts}\n\n"
            f"```mermaid\n{mermaid(automation, people)}```\n\n"
            f"{legend}\n")
