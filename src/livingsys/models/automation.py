"""`automations/<id>.yaml`: one automation, explicit, owned, drawn, guarded and reviewed.

Fields the governance checks look at (owner, step kinds, if/then, handled_by, cadence...) are
optional here on purpose: when one is missing, lint reports it with the article's rule that
asks for it and how to fix it, rather than a bare "field required".
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from livingsys.i18n import _, day, pgettext
from livingsys.models.common import Cadence, FactName, Id, Model, PersonId, Text

Status = Literal["active", "paused", "retired"]
StepKind = Literal["automatic", "human", "ai"]
Audience = Literal["client", "internal"]
FactType = Literal["int", "number", "bool", "string"]


class Message(Model):
    """A message a step sends."""

    audience: Audience = Field(description="client (outside the company) or internal.")
    channel: Literal["email", "sms", "letter", "chat", "phone", "portal", "other"] = Field(
        description="How it is sent.")
    content: Id | None = Field(None, description="The id of the content (template) it uses.")


class NodeRef(Model):
    """The node (n8n) or module (Make) of the tool's export a step stands for."""

    id: str | int = Field(description="The node's id in the n8n export, or the module's number "
                          "in the Make blueprint: it stays the same when the node is renamed.")
    name: str | None = Field(None, description="The node's or module's name in the tool, as "
                             "last checked: `livingsys drift` reports it when it changes.")


class Step(Model):
    """One box of the drawn flow."""

    id: Id = Field(description="Short id of the step, unique in the automation.")
    kind: StepKind | None = Field(
        None, description="automatic, human or ai: what does this step (article, days 3-4).")
    does: Text = Field(description="What happens in this step, in plain words.")
    by: str | None = Field(
        None, description="Who or what does it: a person id for human steps, a tool or "
        "assistant otherwise.")
    validated_by: PersonId | None = Field(
        None, description="The person who validates this step's output before it goes on.")
    sends: list[Message] = Field(default_factory=list, description="Messages this step sends.")
    node: NodeRef | None = Field(
        None, description="The node or module of the tool's export this step stands for "
        "(see `source`); `livingsys drift` compares them.")


FrictionKind = Literal["error", "delay", "misunderstanding"]


class Friction(Model):
    """A friction point of the real flow (article, days 3-4: "spot the current friction
    points: errors, delays, misunderstandings")."""

    what: Text = Field(description="What happens, in plain words, e.g. 'reminders wait two "
                       "days for the check when the finance manager is away'.")
    kind: FrictionKind = Field(description="error, delay or misunderstanding (the article's "
                               "three kinds).")
    step: Id | None = Field(None, description="The id of the step it concerns, if one.")
    since: dt.date | None = Field(None, description="Since when it is seen (YYYY-MM-DD).")
    status: Literal["open", "solved"] = Field(
        "open", description="open until it is dealt with; solved ones stay as a trace.")

    def describe(self) -> str:
        """'delay at step check: reminders wait two days (since 2026-10-01)'."""
        kind = {"error": pgettext("a kind of friction", "error"),
                "delay": pgettext("a kind of friction", "delay"),
                "misunderstanding": pgettext("a kind of friction", "misunderstanding")}.get(
                    self.kind, self.kind)
        if self.step and self.since:
            text = _("{kind} at step {step}: {what} (since {since})")
        elif self.step:
            text = _("{kind} at step {step}: {what}")
        elif self.since:
            text = _("{kind}: {what} (since {since})")
        else:
            text = _("{kind}: {what}")
        return text.format(kind=kind, step=self.step, what=self.what,
                           since=day(self.since) if self.since else "")


class Fact(Model):
    """A fact the rules' conditions may use."""

    name: FactName = Field(
        description="Name used in conditions, e.g. days_without_reply.")
    type: FactType = Field(description="int, number, bool or string.")
    unit: str | None = Field(None, description="Unit, e.g. days or EUR.")
    description: str | None = Field(None, description="What it means, in plain words.")
    field: str | None = Field(
        None, description="Where the tool reads it, as its export writes it: '$json.amount' "
        "(n8n), '1.amount' (Make). `livingsys drift` compares the tool's conditions on that "
        "field with the rules' `when` on this fact.")


class Rule(Model):
    """A business rule written as if/then (article, days 5-6)."""

    id: Id = Field(description="Short id of the rule, unique in the automation.")
    if_: str | None = Field(None, alias="if", description="The condition, in plain words.")
    then: str | None = Field(None, description="What the automation does, in plain words.")
    when: str | None = Field(
        None, description="Optional machine-checkable condition over the declared facts, "
        "e.g. 'days_without_reply >= 7 && amount_due <= 5000'.")
    action: str | None = Field(None, description="Short name of the action taken.")


class RuleException(Model):
    """A case the rules do not handle automatically: who takes over (article: 1 to 3)."""

    id: Id = Field(description="Short id of the exception, unique in the automation.")
    if_: str | None = Field(None, alias="if", description="When it applies, in plain words.")
    then: str | None = Field(None, description="What happens instead, in plain words.")
    when: str | None = Field(None, description="Optional machine-checkable condition.")
    handled_by: PersonId | None = Field(
        None, description="Who validates or takes over when the exception happens.")


class HumanValidation(Model):
    """A person validates before the automation acts."""

    by: PersonId = Field(description="Who validates.")
    scope: Literal["all", "exceptions"] = Field(
        "all", description="all: every action is validated; exceptions: only exception cases.")
    description: str | None = Field(None, description="What exactly is validated.")


class Notification(Model):
    """An internal notification sent when an exception happens."""

    channel: Text = Field(description="Where it goes: a chat channel, an address.")
    to: list[PersonId] = Field(default_factory=list, description="Who is notified.")


class Guardrails(Model):
    """Limits that keep an automation from doing harm (article, days 7-8)."""

    human_validation: HumanValidation | None = Field(
        None, description="A person validates before the automation acts.")
    daily_cap: int | None = Field(
        None, ge=1, description="Most actions or messages per day; beyond, it stops and alerts.")
    notify_on_exception: Notification | None = Field(
        None, description="Internal notification when an exception happens.")
    kill_switch: str | None = Field(
        None, description="How to stop this automation alone, cleanly, without switching "
        "everything off.")


class Content(Model):
    """A message, offer or template the automation sends."""

    id: Id = Field(description="Short id, referenced by steps' messages.")
    description: Text = Field(description="What it is.")
    location: str | None = Field(None, description="Where it is kept (tool, folder).")
    valid_until: dt.date | None = Field(
        None, description="After this date it must not be sent any more (old offer, old "
        "price list).")


class ReviewSchedule(Model):
    """When the automation is reviewed."""

    cadence: Cadence | None = Field(
        None, description="monthly or quarterly (never longer than quarterly).")


class Waiver(Model):
    """Silences one check for this automation, for a reason, until a date."""

    check: Text = Field(description="Code or name of the check, e.g. G010.")
    reason: Text = Field(description="Why the check does not apply here.")
    approved_by: PersonId = Field(description="Who accepted the risk.")
    expires: dt.date = Field(description="After this date the waiver no longer counts.")


class ScenarioExpectation(Model):
    """What should happen in a scenario."""

    outcome: Literal["automatic", "needs_validation", "blocked", "nothing"] | None = Field(
        None, description="automatic action, needs validation by a person, blocked, or no "
        "rule fires.")
    rules: list[Id] | None = Field(None, description="Ids of the rules that fire.")
    exception: Id | None = Field(None, description="Id of the exception that takes over.")
    validated_by: PersonId | None = Field(None, description="Who must validate.")


class Scenario(Model):
    """An example case proving the if/then rules are translated correctly (days 7-8)."""

    name: Text = Field(description="The case in plain words.")
    given: dict[str, int | float | bool | str] = Field(description="Values of the facts.")
    expect: ScenarioExpectation = Field(description="What should happen.")


class Source(Model):
    """The tool's own export of this automation, kept in the repository."""

    kind: Literal["n8n", "make"] = Field(description="n8n (a workflow JSON) or make (a Make "
                                         "scenario blueprint JSON).")
    export: Text = Field(description="Path of the export file, relative to the repository's "
                         "top folder, e.g. exports/payment-reminders.json.")


class Automation(Model):
    """One automation of the company."""

    id: Id = Field(description="Same as the file name without .yaml.")
    formerly: list[Id] = Field(
        default_factory=list, description="The ids it had before it was renamed (git mv), e.g. "
        "[reminders]: minutes, incidents and indicators.csv rows written under them still "
        "count for it.")
    name: Text = Field(description="Name people use for it.")
    description: str | None = Field(None, description="What it is for, in a few lines.")
    status: Status = Field("active", description="active, paused or retired.")
    status_reason: str | None = Field(
        None, description="Why it is paused or retired (required for those statuses).")
    status_since: dt.date | None = Field(
        None, description="Since when it is paused or retired (required for those statuses).")
    owner: PersonId | None = Field(
        None, description="Business owner: a person of kind business who answers for it "
        "(article, rule 2).")
    maintainer: PersonId | None = Field(None, description="Who configured it and maintains it.")
    tool: str | None = Field(None, description="The tool it runs in (Make, Zapier, n8n...).")
    location: str | None = Field(None, description="Where to find it in that tool.")
    source: Source | None = Field(
        None, description="The tool's export of this automation: `livingsys drift` compares it "
        "with this file (steps, messages sent, thresholds).")
    key: bool = Field(False, description="true for a key automation of the company.")
    criticality: Literal["low", "medium", "high"] | None = Field(
        None, description="How much harm a failure does.")
    trigger: str | None = Field(
        None, description="When and why it starts, in plain words.")
    perimeter: Literal["first", "extended"] = Field(
        "first", description="first: the first, limited perimeter (rule 1 applies); extended: "
        "rolled out further after the first perimeter proved itself.")
    facts: list[Fact] = Field(default_factory=list,
                              description="Facts the rules' conditions may use.")
    steps: list[Step] = Field(default_factory=list, description="The drawn flow, in order.")
    frictions: list[Friction] = Field(
        default_factory=list, description="Friction points of the real flow (days 3-4): "
        "errors, delays, misunderstandings; the review asks whether a step can be "
        "simplified.")
    rules: list[Rule] = Field(default_factory=list, description="The if/then rules.")
    exceptions: list[RuleException] = Field(default_factory=list,
                                            description="1 to 3 exceptions.")
    guardrails: Guardrails = Field(default_factory=Guardrails, description="Guardrails.")
    uses_rules: list[Id] = Field(default_factory=list,
                                 description="Ids of the shared key rules (rules/) it depends on.")
    content: list[Content] = Field(default_factory=list,
                                   description="Messages, offers and templates it sends.")
    review: ReviewSchedule = Field(default_factory=ReviewSchedule, description="Review rhythm.")
    waivers: list[Waiver] = Field(default_factory=list, description="Checks waived, with why.")
    scenarios: list[Scenario] = Field(default_factory=list,
                                      description="Example cases given facts -> expected outcome.")

    @property
    def open_frictions(self) -> list[Friction]:
        return [f for f in self.frictions if f.status == "open"]

    @property
    def sends_to_client(self) -> bool:
        return any(m.audience == "client" for s in self.steps for m in s.sends)
