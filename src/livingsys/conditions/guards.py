"""Guardrails as lint and decisions judge them: one place decides, so they never disagree.

Two questions are answered here, for every caller (the checks G001 and G010, `livingsys
explain`, the scenarios):

Is a guardrail set?
    A guardrail is set when it is written with something in it. An empty or blank text
    (``kill_switch: ""``, ``kill_switch: "  "``) is *not set*: it stops nothing and tells
    nobody how to stop the automation. The texts a guardrail cannot go without
    (``human_validation.by``, ``notify_on_exception.channel``) are refused when empty or blank
    by the format check itself (S002, at the line), so a half-written guardrail never counts.

Who validates a message to clients before it goes out?
    For each step that sends to clients (``sends: [{audience: client}]``), in this order:

    1. ``guardrails.human_validation`` with ``scope: all``: its ``by`` validates every
       message of the automation;
    2. the sending step is itself a ``kind: human`` step (a person sends it), or it has
       ``validated_by``;
    3. an earlier step of the flow has ``validated_by`` (its output is validated before it
       goes on, so whatever reaches the sending step was validated);
    4. an earlier ``kind: human`` step, *unless* ``guardrails.human_validation`` says
       ``scope: exceptions``: then the automation itself says its people validate the
       exception cases only, and an earlier human step is taken to be that validation of
       exceptions, not a check of every message.

    Nothing else validates a client message: ``scope: exceptions`` covers exception cases
    only, which is not rule 1 ("no client message without human validation on the first
    perimeter" means every message).

The actions of an automation's rules (what `explain` and the scenarios decide) wait for a
person when every step that sends to clients is validated as above (the first one's
validator is named); an automation that sends nothing to clients waits for the person of
``human_validation`` (scope all) or of the first step with ``validated_by``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from livingsys.i18n import N_, _

if TYPE_CHECKING:
    from livingsys.models.automation import Automation, Guardrails, Step

__all__ = ["GUARDRAILS", "Validation", "action_validation", "client_sends", "guardrail_set",
           "is_set"]

GUARDRAILS: tuple[str, ...] = ("human_validation", "daily_cap", "notify_on_exception",
                               "kill_switch")

How = Literal["human_validation", "sender_is_human", "step_validation", "earlier_validation",
              "earlier_human_step"]


def is_set(value: Any) -> bool:
    """False for None and for an empty or blank text; True for anything else."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def guardrail_set(guardrails: Guardrails, name: str) -> bool:
    """Whether the guardrail ``name`` (daily_cap, kill_switch...) is written with something in
    it (see the module's documentation)."""
    value = getattr(guardrails, name, None)
    if name == "human_validation":
        return value is not None and is_set(value.by)
    if name == "notify_on_exception":
        return value is not None and is_set(value.channel)
    return is_set(value)


@dataclass(frozen=True)
class Validation:
    """Who validates before something goes out, and what says so."""

    how: How
    by: str | None
    """The person (or who the step names); None when the validating step names nobody."""
    step: str | None = None
    """The step that validates, when it is a step."""

    def describe(self) -> str:
        """``step 'check' (kind: human) before it``: what validates, in plain words."""
        return _(_DESCRIPTIONS[self.how]).format(step=self.step)


_DESCRIPTIONS: dict[How, str] = {
    "human_validation": N_("human validation of every action (guardrails, scope: all)"),
    "sender_is_human": N_("step '{step}' is done by a person (kind: human)"),
    "step_validation": N_("step '{step}' has validated_by"),
    "earlier_validation": N_("step '{step}' before it has validated_by"),
    "earlier_human_step": N_("step '{step}' before it is done by a person (kind: human)"),
}


def _every_action(guardrails: Guardrails) -> Validation | None:
    validation = guardrails.human_validation
    if validation is not None and validation.scope == "all" and is_set(validation.by):
        return Validation("human_validation", validation.by)
    return None


def _scope_is_exceptions(guardrails: Guardrails) -> bool:
    validation = guardrails.human_validation
    return validation is not None and validation.scope == "exceptions"


def _person(value: str | None) -> str | None:
    return value if is_set(value) else None


def client_sends(automation: Automation) -> list[tuple[int, Step, Validation | None]]:
    """Each step that sends a message to clients (its index, the step) with what validates
    every message it sends, or None when nothing does (rule 1's question)."""
    every = _every_action(automation.guardrails)
    exceptions_only = _scope_is_exceptions(automation.guardrails)
    out: list[tuple[int, Step, Validation | None]] = []
    earlier_validated: Step | None = None
    earlier_human: Step | None = None
    for index, step in enumerate(automation.steps):
        if any(m.audience == "client" for m in step.sends):
            found = every
            if found is None and step.kind == "human":
                found = Validation("sender_is_human", _person(step.by), step.id)
            if found is None and is_set(step.validated_by):
                found = Validation("step_validation", step.validated_by, step.id)
            if found is None and earlier_validated is not None:
                found = Validation("earlier_validation", earlier_validated.validated_by,
                                   earlier_validated.id)
            if found is None and earlier_human is not None and not exceptions_only:
                found = Validation("earlier_human_step", _person(earlier_human.by),
                                   earlier_human.id)
            out.append((index, step, found))
        if earlier_validated is None and is_set(step.validated_by):
            earlier_validated = step
        if earlier_human is None and step.kind == "human":
            earlier_human = step
    return out


def action_validation(automation: Automation) -> Validation | None:
    """Who validates the actions of the automation's rules before anything goes out, or None
    when they go out automatically (see the module's documentation)."""
    sends = client_sends(automation)
    if sends:
        if all(validation is not None for _i, _s, validation in sends):
            return sends[0][2]
        return None
    every = _every_action(automation.guardrails)
    if every is not None:
        return every
    step = next((s for s in automation.steps if is_set(s.validated_by)), None)
    if step is not None:
        return Validation("step_validation", step.validated_by, step.id)
    return None
