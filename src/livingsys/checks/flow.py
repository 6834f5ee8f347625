"""The drawn flow: steps exist, each says automatic, human or AI, and rule 1 holds."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _, ngettext


@register
class ClientMessageValidation(Check):
    code, name = "G001", "client-message-validation"
    article_rule = 1
    title = N_("No client message without human validation in the first perimeter")
    rationale = N_("Article, rule 1: \"no automation may send a client message without human "
                   "validation on the first perimeter\". Until the automation has proved "
                   "itself, a person checks what leaves the company: every message, so "
                   "'human_validation' with 'scope: exceptions' is not enough on its own "
                   "(docs/decisions.md, \"Who validates a client message\").")
    hint = N_("add a 'kind: human' step that checks the message before the sending step, or "
              "'validated_by: <person>' on the sending step; move to 'perimeter: extended' "
              "only once the first perimeter has proved itself")
    params = {"perimeters": Param(["first"], N_("Perimeters in which the rule applies."),
                                   ("first", "extended"), looser="fewer")}
    # not translated: its flow mappings ({id: ...}) would read as placeholders to the catalog
    example = """steps:
  - {id: draft, kind: ai, does: Draft a reply}
  - {id: check, kind: human, does: Agent checks the draft, by: s.leroy}
  - id: send
    kind: automatic
    does: Send the reply
    sends: [{audience: client, channel: email}]"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        from livingsys.conditions.guards import client_sends

        automation = entry.model
        if automation.perimeter not in ctx.params["perimeters"]:
            return
        validation = automation.guardrails.human_validation
        exceptions_only = validation is not None and validation.scope == "exceptions"
        for i, step, validator in client_sends(automation):
            if validator is not None:
                continue
            perimeter = (_("its first perimeter") if automation.perimeter == "first" else
                         _("its extended perimeter"))
            message = _("step '{step}' sends a message to clients with no human validation "
                        "before it, and the automation is in {perimeter}")
            hint = None
            if exceptions_only:
                message = _("step '{step}' sends a message to clients with no human "
                            "validation before it, and the automation is in {perimeter}: "
                            "'human_validation' has 'scope: exceptions', which validates the "
                            "exception cases only, not every message")
                hint = _("set 'scope: all' under guardrails › human_validation (every message "
                         "is validated), or 'validated_by: <person>' on the sending step; "
                         "move to 'perimeter: extended' only once the first perimeter has "
                         "proved itself")
            yield self.finding(ctx, entry, ("steps", i, "sends"),
                               message.format(step=step.id, perimeter=perimeter), hint)


@register
class FlowDrawn(Check):
    code, name = "G005", "flow-drawn"
    title = N_("The flow is drawn: the automation lists its steps")
    rationale = N_("Article, checklist: \"the process is clearly drawn (even on an A4 "
                   "sheet)\". Drawing the flow shows where AI steps in and what stays human.")
    hint = N_("list the steps under 'steps:', in order, each with id, kind and what it does")
    params = {"min_steps": Param(1, N_("Fewest steps a drawn flow has."), looser="lower")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if len(automation.steps) < ctx.params["min_steps"]:
            loc = entry.where("steps")
            count = len(automation.steps)
            yield self.finding(ctx, entry, loc, ngettext(
                "automation '{id}' has no drawn flow ({n} step(s))",
                "automation '{id}' has no drawn flow ({n} step(s))", count).format(
                    id=automation.id, n=count))


@register
class StepKind(Check):
    code, name = "G006", "step-kind"
    title = N_("Each step says whether it is automatic, human or AI")
    rationale = N_("Article, checklist: \"automatic and human steps are clearly "
                   "distinguished\"; and the map should \"identify where AI steps in\".")
    hint = N_("add 'kind: automatic', 'kind: human' or 'kind: ai' to the step")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        for i, step in enumerate(entry.model.steps):
            if step.kind is None:
                yield self.finding(ctx, entry, ("steps", i), _(
                    "step '{id}' does not say if it is automatic, human or ai").format(
                        id=step.id))
