"""Business rules as if/then, 1 to 3 exceptions with who validates, shared rules that exist."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _, ngettext
from livingsys.reading.validation import did_you_mean


@register
class IfThen(Check):
    code, name = "G007", "if-then-rules"
    title = N_("Business rules are written as if/then")
    rationale = N_("Article, days 5-6: \"rephrase the rule as if... then...\"; checklist: "
                   "\"business rules are written as if... then... and shared\". A rule that is "
                   "not written down lives in one person's head.")
    hint = N_("write each rule with 'if:' (the situation) and 'then:' (what the automation "
              "does)")
    example = """rules:
  - id: remind-after-7-days
    if: the client has not replied 7 days after the invoice
    then: send an automatic reminder with the standard message"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if not automation.rules:
            yield self.finding(ctx, entry, entry.where("rules"),
                               _("automation '{id}' has no business rules").format(
                                   id=automation.id))
            return
        for i, rule in enumerate(automation.rules):
            missing = [k for k, v in (("if", rule.if_), ("then", rule.then))
                       if not (v and v.strip())]
            if missing:
                if missing == ["if"]:
                    message = _("rule '{id}' has no 'if' in plain words")
                elif missing == ["then"]:
                    message = _("rule '{id}' has no 'then' in plain words")
                else:
                    message = _("rule '{id}' has no 'if' and no 'then' in plain words")
                yield self.finding(ctx, entry, ("rules", i), message.format(id=rule.id))


@register
class ExceptionCount(Check):
    code, name = "G008", "exception-count"
    title = N_("1 to 3 exceptions are defined")
    rationale = N_("Article, days 5-6: \"identify 1 to 3 exceptions at most, handled "
                   "clearly\". No exception means the hard cases are handled by nobody; many "
                   "means the automation should be split or simplified.")
    hint = N_("list the main exceptions under 'exceptions:', each with who validates")
    params = {"min": Param(1, N_("Fewest exceptions."), looser="lower"),
              "max": Param(3, N_("Most exceptions."), looser="higher")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        n, low, high = len(automation.exceptions), ctx.params["min"], ctx.params["max"]
        if n < low:
            loc = entry.where("exceptions")
            # Translators: English says "exception(s)" for every number; French can agree.
            message = ngettext("automation '{id}' defines {n} exception(s); at least {min} "
                               "expected",
                               "automation '{id}' defines {n} exception(s); at least {min} "
                               "expected", n)
            yield self.finding(ctx, entry, loc, message.format(id=automation.id, n=n, min=low))
        elif n > high:
            message = ngettext("automation '{id}' defines {n} exceptions; at most {max}",
                               "automation '{id}' defines {n} exceptions; at most {max}", n)
            yield self.finding(ctx, entry, ("exceptions", high),
                               message.format(id=automation.id, n=n, max=high),
                               _("simplify: split the automation, or turn a special case into "
                                 "a rule or a human step"))


@register
class ExceptionValidator(Check):
    code, name = "G009", "exception-handled-by"
    title = N_("Each exception says who validates or takes over")
    rationale = N_("Article, days 5-6: \"decide explicitly who validates what and when\"; "
                   "checklist: \"the main exceptions are defined and handled\".")
    hint = N_("add 'handled_by: <person id>' to the exception")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        for i, exception in enumerate(entry.model.exceptions):
            if not exception.handled_by:
                yield self.finding(ctx, entry, ("exceptions", i),
                                   _("exception '{id}' does not say who handles it").format(
                                       id=exception.id))
            if not (exception.if_ and exception.then):
                message = (_("exception '{id}' has no 'if' in plain words") if not exception.if_
                           else _("exception '{id}' has no 'then' in plain words"))
                yield self.finding(ctx, entry, ("exceptions", i), message.format(id=exception.id),
                                   _("say when it applies ('if:') and what happens instead "
                                     "('then:')"))


@register
class KnownSharedRule(Check):
    code, name = "G004", "known-shared-rule"
    article_rule = 3
    title = N_("Shared key rules an automation uses exist in rules/")
    rationale = N_("Article, rule 3: \"any change to a key business rule must trigger a review "
                   "of the automations concerned\". That only works if 'uses_rules' points at "
                   "real rule files.")
    hint = N_("create rules/<id>.yaml or fix the id in 'uses_rules:'")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        known = ctx.registry.rule_ids
        for i, rule_id in enumerate(entry.model.uses_rules):
            if rule_id not in known:
                guess = did_you_mean(rule_id, known)
                message = (_("shared rule '{id}' does not exist in rules/ — did you mean "
                             "'{guess}'?") if guess
                           else _("shared rule '{id}' does not exist in rules/"))
                yield self.finding(ctx, entry, ("uses_rules", i),
                                   message.format(id=rule_id, guess=guess))
