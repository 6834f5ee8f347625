"""`livingsys explain`: run one case through an automation's rules, in plain words."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any

import typer

from livingsys.cli.common import (
    RegistryOption,
    fail,
    format_option,
    load,
    show,
    stdout,
    to_json,
    valid_automation,
)
from livingsys.i18n import N_, _, pgettext

ORDER = 55

_SPLIT = re.compile(r",(?=\s*[A-Za-z_][A-Za-z0-9_]*\s*=)")
"""Several values in one --case: a comma followed by another name=."""


class ExplainFormat(str, Enum):
    text = "text"
    json = "json"


def _pairs(cases: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for option in cases:
        for part in _SPLIT.split(option):
            name, sep, value = part.partition("=")
            if not sep or not name.strip():
                fail(_("--case '{value}' is not of the form fact=value").format(value=part),
                     _("e.g. --case days_without_reply=8 --case amount_due=6000"))
            pairs.append((name.strip(), value.strip()))
    return pairs


def explain(
    automation_id: Annotated[str, typer.Argument(
        metavar="ID", help="The automation to run the case through.", show_default=False)],
    case: Annotated[list[str] | None, typer.Option(
        "--case", "-c", metavar="FACT=VALUE",
        help="A fact's value for the case; repeat it, or separate several with commas "
        "(--case days_without_reply=8,amount_due=6000). Texts as is, true/false, numbers "
        "with a dot for decimals.", show_default=False)] = None,
    volume_today: Annotated[int | None, typer.Option(
        "--volume-today", min=0, metavar="N",
        help="Actions the automation already took today, to check its daily cap.",
        show_default=False)] = None,
    registry: RegistryOption = None,
    output_format: Annotated[ExplainFormat, format_option(
        "text (for people) or json (the decision, for tools).")] = ExplainFormat.text,
) -> None:
    """Run a case through an automation: which rules apply, which exception takes over, which guardrails come into play, the outcome, and why (the values compared).

    Examples:

      livingsys explain payment-reminders --case days_without_reply=8 --case amount_due=6000
      --case in_dispute=false --case reminders_sent=0

      livingsys explain support-triage -c category=delivery,ai_confidence=0.9,sentiment=angry
      -c mentions_legal_action=false,asks_refund=false --format json
    """
    from livingsys.conditions.decision import (
        VOLUME_TODAY,
        decide,
        fact_label,
        fact_specs,
        parse_case,
        rule_parameters,
    )

    reg = load(registry)
    entry = valid_automation(reg, automation_id, N_("explained"))
    automation = entry.model
    specs = fact_specs(automation)
    declared = "; ".join(fact_label(s) for s in specs.values()) or pgettext("no fact declared", "none")
    if not specs:
        fail(_("automation '{id}' declares no facts, so there is nothing to give a case "
               "for").format(id=automation.id),
             _("declare its facts under 'facts:' and write its rules' 'when:' conditions over "
               "them"))

    raw: dict[str, str] = {}
    for name, value in _pairs(case or []):
        if name in raw:
            fail(_("{name} is given twice").format(name=name),
                 _("give each fact once (declared facts: {facts})").format(facts=declared))
        raw[name] = value
    if volume_today is not None:
        if VOLUME_TODAY in raw:
            fail(_("{name} is given twice (--case and --volume-today)").format(
                name=VOLUME_TODAY))
        raw[VOLUME_TODAY] = str(volume_today)
    values, problems = parse_case(automation, raw)
    if len(problems) == 1:
        fail(problems[0].message, problems[0].hint)
    if problems:
        fail(_("the case has problems:") + "\n  " + "\n  ".join(
            p.message + (f" — {p.hint}" if p.hint else "") for p in problems))

    people = reg.people or {}
    decision = decide(automation, values, people=people,
                      parameters=rule_parameters(automation, reg.shared_rules))
    if decision.missing:
        missing = [s for n, s in specs.items() if n in decision.missing]
        example = " ".join(f"--case {s.name}={_example(s.type)}" for s in missing)
        fail(_("the case gives no value for {facts}, which the conditions use").format(
            facts=", ".join(fact_label(s) for s in missing)),
             _("add {options}").format(options=example))

    show(output_format, decision, {
        ExplainFormat.text: lambda decided: _render(automation, decided, people),
        ExplainFormat.json: to_json})


def _example(type_: str) -> str:
    return {"int": "7", "number": "5000", "bool": "true", "string": "value"}.get(type_, "value")


def _render(automation: Any, decision: Any, people: dict) -> None:
    import textwrap

    from rich.text import Text

    from livingsys.conditions.decision import (
        case_values,
        parameters_line,
        person_label,
    )

    console = stdout()

    def say(text: Text | str, indent: int = 0, style: str = "") -> None:
        """Print, wrapping long lines under their own indentation."""
        if isinstance(text, Text):
            console.print(Text(" " * indent) + text if indent else text)
            return
        width = max(40, console.width)
        wrapped = textwrap.fill(text, width=width, initial_indent=" " * indent,
                                subsequent_indent=" " * (indent + 2),
                                break_long_words=False, break_on_hyphens=False)
        console.print(Text(wrapped, style=style))

    def person(person_id: str | None) -> str:
        return person_label(person_id, people)

    title = Text()
    title.append(automation.id, style="bold")
    title.append(f" — {automation.name}")
    say(title)
    say(_("Case: {values}").format(values=case_values(automation, decision.case)),
        style="dim")
    if decision.parameters:  # the shared rules' values, as they are now in rules/
        say(parameters_line(decision.parameters), style="dim")

    marks = {True: ("✓", "green"), False: ("✗", "red"), None: ("?", "yellow")}
    for heading, items in ((_("Rules"), decision.rules),
                           (_("Exceptions (they take precedence over the rules)"),
                            decision.exceptions)):
        if not items:
            continue
        console.print()
        console.print(Text(heading, style="bold underline"))
        for item in items:
            mark, style = marks[item.holds]
            line = Text(f"{mark} ", style=f"bold {style}")
            line.append(item.id, style="bold")
            line.append(f" — {item.verdict}", style=style)
            if item.kind == "exception" and item.holds:
                line.append(" → " + _("handled by {who}").format(who=person(item.handled_by)))
            elif item.kind == "rule" and item.holds and item.action:
                line.append(f" → {item.action}")
            say(line, 1)
            if item.if_:
                say(_("if {text}").format(text=item.if_), 5)
            if item.then:
                say(_("then {text}").format(text=item.then), 5)
            for detail in item.details():
                say(detail, 7, "cyan")
    console.print()
    if decision.guardrails or decision.notes:
        console.print(Text(_("Guardrails and notes"), style="bold underline"))
        for guardrail in decision.guardrails:
            say(f"• {guardrail.text}", 1)
        for note in decision.notes:
            say(f"• {note}", 1, "yellow")
        console.print()
    outcome_style = {"automatic": "green", "needs_validation": "yellow", "blocked": "red",
                     "nothing": "dim", "incomplete": "bold red"}[decision.outcome]
    outcome = Text(_("Outcome:") + " ", style="bold")
    outcome.append(decision.summary, style=outcome_style)
    say(outcome)


def register(app: typer.Typer) -> None:
    app.command()(explain)
