"""Business rules as if/then, 1 to 3 exceptions with who validates, shared rules that exist."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.reading.validation import suggestion


@register
class IfThen(Check):
    code, name = "G007", "if-then-rules"
    title = "Business rules are written as if/then"
    rationale = ("Article, days 5-6: \"rephrase the rule as if... then...\"; checklist: "
                 "\"business rules are written as if... then... and shared\". A rule that is "
                 "not written down lives in one person's head.")
    hint = "write each rule with 'if:' (the situation) and 'then:' (what the automation does)"
    example = """rules:
  - id: remind-after-7-days
    if: the client has not replied 7 days after the invoice
    then: send an automatic reminder with the standard message"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if not automation.rules:
            yield self.finding(ctx, entry, entry.where("rules"),
                               f"automation '{automation.id}' has no business rules")
            return
        for i, rule in enumerate(automation.rules):
            missing = [k for k, v in (("if", rule.if_), ("then", rule.then))
                       if not (v and v.strip())]
            if missing:
                yield self.finding(ctx, entry, ("rules", i),
                                   f"rule '{rule.id}' has no '{' and no '.join(missing)}' "
                                   "in plain words")


@register
class ExceptionCount(Check):
    code, name = "G008", "exception-count"
    title = "1 to 3 exceptions are defined"
    rationale = ("Article, days 5-6: \"identify 1 to 3 exceptions at most, handled clearly\". "
                 "No exception means the hard cases are handled by nobody; many means the "
                 "automation should be split or simplified.")
    hint = "list the main exceptions under 'exceptions:', each with who validates"
    params = {"min": Param(1, "Fewest exceptions.", looser="lower"),
              "max": Param(3, "Most exceptions.", looser="higher")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        n, low, high = len(automation.exceptions), ctx.params["min"], ctx.params["max"]
        if n < low:
            loc = entry.where("exceptions")
            yield self.finding(ctx, entry, loc, f"automation '{automation.id}' defines {n} "
                               f"exception(s); at least {low} expected")
        elif n > high:
            yield self.finding(ctx, entry, ("exceptions", high),
                               f"automation '{automation.id}' defines {n} exceptions; at most "
                               f"{high}", "simplify: split the automation, or turn a special "
                               "case into a rule or a human step")


@register
class ExceptionValidator(Check):
    code, name = "G009", "exception-handled-by"
    title = "Each exception says who validates or takes over"
    rationale = ("Article, days 5-6: \"decide explicitly who validates what and when\"; "
                 "checklist: \"the main exceptions are defined and handled\".")
    hint = "add 'handled_by: <person id>' to the exception"

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        for i, exception in enumerate(entry.model.exceptions):
            if not exception.handled_by:
                yield self.finding(ctx, entry, ("exceptions", i),
                                   f"exception '{exception.id}' does not say who handles it")
            if not (exception.if_ and exception.then):
                missing = "if" if not exception.if_ else "then"
                yield self.finding(ctx, entry, ("exceptions", i),
                                   f"exception '{exception.id}' has no '{missing}' in plain "
                                   "words", "say when it applies ('if:') and what happens "
                                   "instead ('then:')")


@register
class KnownSharedRule(Check):
    code, name = "G004", "known-shared-rule"
    article_rule = 3
    title = "Shared key rules an automation uses exist in rules/"
    rationale = ("Article, rule 3: \"any change to a key business rule must trigger a review of "
                 "the automations concerned\". That only works if 'uses_rules' points at real "
                 "rule files.")
    hint = "create rules/<id>.yaml or fix the id in 'uses_rules:'"

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        known = ctx.registry.rule_ids
        for i, rule_id in enumerate(entry.model.uses_rules):
            if rule_id not in known:
                message = (f"shared rule '{rule_id}' does not exist in rules/"
                           + suggestion(rule_id, known))
                yield self.finding(ctx, entry, ("uses_rules", i), message)
