"""Guardrails where an automation acts on the outside."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.conditions.guards import GUARDRAILS
from livingsys.findings import Finding
from livingsys.i18n import N_, _

_WHAT = {
    "daily_cap": N_("daily volume cap ('daily_cap:')"),
    "notify_on_exception": N_("internal notification on exception ('notify_on_exception:')"),
    "human_validation": N_("human validation ('human_validation:')"),
    "kill_switch": N_("documented way to stop it alone ('kill_switch:')"),
}


@register
class Guardrails(Check):
    code, name = "G010", "guardrails"
    title = N_("Automations that message clients have guardrails")
    rationale = N_("Article, days 7-8: \"add guardrails: internal notifications on exception, "
                   "a daily volume limit, etc.\"; checklist: \"guardrails exist (limits, "
                   "notifications, human validation)\". They turn a bug into an alert instead "
                   "of a panic where everything is switched off.")
    hint = N_("add the missing guardrail under 'guardrails:'")
    params = {"required": Param(["daily_cap", "notify_on_exception"],
                                N_("Guardrails required when the automation sends to clients: "
                                   "any of daily_cap, notify_on_exception, human_validation, "
                                   "kill_switch."), GUARDRAILS, looser="fewer")}
    example = N_("""guardrails:
  daily_cap: 40
  notify_on_exception: {channel: '#finance-automations', to: [c.moreau]}
  kill_switch: Turn off the scenario 'Reminders' in Make; nothing else stops""")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        from livingsys.conditions.guards import guardrail_set

        automation = entry.model
        if not automation.sends_to_client or automation.status == "retired":
            return
        loc = entry.where("guardrails")
        for name in ctx.params["required"]:
            if not guardrail_set(automation.guardrails, name):  # a blank text is not set
                what = _(_WHAT[name]) if name in _WHAT else name
                yield self.finding(ctx, entry, loc, _(
                    "automation '{id}' sends messages to clients but has no {guardrail}").format(
                        id=automation.id, guardrail=what))
