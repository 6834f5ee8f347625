"""Scenarios: the example cases that prove the if/then rules are translated correctly.

Each scenario is run through :func:`livingsys.conditions.decision.decide`: C006 checks
its facts, C007 that the rules decide what it expects, C011 asks for a scenario per
rule and exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from livingsys.checks.base import Check, Context, register
from livingsys.checks.condition_analysis import analysis, has_conditions
from livingsys.findings import Finding, Severity
from livingsys.i18n import N_, _, pgettext

if TYPE_CHECKING:
    from livingsys.conditions.decision import Decision


# --------------------------------------------------------------------------------------------
# C006-C007: scenarios
# --------------------------------------------------------------------------------------------


@register
class ScenarioFacts(Check):
    code, name = "C006", "scenario-facts"
    title = N_("Scenarios give a value of the right type to every fact the conditions use")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". A scenario is an example case that proves a rule is "
                   "translated correctly; it proves nothing if it names a fact that does not "
                   "exist, gives a value of the wrong kind, or leaves out a fact a condition "
                   "needs.")
    hint = N_("give each fact the conditions use a value of its declared type under 'given:'")
    example = """scenarios:
  - name: 8 days without reply, 6,000 EUR due -> the finance manager validates
    given: {days_without_reply: 8, amount_due: 6000, in_dispute: false, reminders_sent: 0}
    expect: {outcome: needs_validation, exception: over-threshold, validated_by: n.lefebvre}"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if not entry.model.scenarios:
            return
        from livingsys.conditions.decision import VOLUME_TODAY

        declared = {f.name for f in entry.model.facts} | {VOLUME_TODAY}
        for run in analysis(entry, ctx.registry).runs:
            base = ("scenarios", run.index, "given")
            for problem in run.problems:
                # An undeclared fact: point at its name; a bad value: at the value.
                yield self.finding(ctx, entry, (*base, problem.fact),
                                   _("scenario '{name}': {problem}").format(
                                       name=run.scenario.name, problem=problem.message),
                                   problem.hint, key=problem.fact not in declared)
            if run.missing:
                names = ", ".join(run.missing)
                users = sorted({who for users in run.missing.values() for who in users})
                yield self.finding(
                    ctx, entry, base,
                    _("scenario '{name}' gives no value for {facts}, used by {users}").format(
                        name=run.scenario.name, facts=names, users=", ".join(users)),
                    _("add {values} under 'given:'").format(values=", ".join(
                        _("{fact}: <value>").format(fact=n) for n in run.missing)),
                    key=True)


def _outcome_text(outcome: str | None, validated_by: str | None, extras: list[str]) -> str:
    head = outcome or _("an outcome")
    if validated_by:
        head = _("{outcome} by {person}").format(outcome=head, person=validated_by)
    if not extras:
        return head
    between = pgettext("between the parts of a list", "; ")
    return f"{head} ({between.join(extras)})"


def _rules_text(rules: Iterable[str]) -> str:
    return _("rules: {rules}").format(rules=", ".join(rules) or pgettext("no rule", "none"))


def _expected_text(expect: Any) -> str:
    extras = []
    if expect.exception is not None:
        extras.append(_("exception '{id}'").format(id=expect.exception))
    if expect.rules is not None:
        extras.append(_rules_text(expect.rules))
    return _outcome_text(expect.outcome, expect.validated_by, extras)


def _actual_text(expect: Any, decision: Decision) -> str:
    extras = []
    if decision.exception is not None:
        extras.append(_("exception '{id}'").format(id=decision.exception))
    elif expect.exception is not None:
        extras.append(_("no exception holds"))
    if expect.rules is not None or decision.outcome == "automatic":
        extras.append(_rules_text(decision.fired_rules))
    return _outcome_text(decision.outcome, decision.validated_by, extras)


def _differs(expect: Any, decision: Decision) -> bool:
    return ((expect.outcome is not None and expect.outcome != decision.outcome)
            or (expect.rules is not None and set(expect.rules) != set(decision.fired_rules))
            or (expect.exception is not None and expect.exception != decision.exception)
            or (expect.validated_by is not None
                and expect.validated_by != decision.validated_by))


def _trace_lines(decision: Decision) -> list[str]:
    """One line per rule and exception, then the outcome: the short trace of a finding."""
    lines = []
    for item in (*decision.rules, *decision.exceptions):
        mark = {True: "✓", False: "✗", None: "?"}[item.holds]
        details = pgettext("between the parts of a list", "; ").join(item.details())
        label = (_("rule '{id}'") if item.kind == "rule" else _("exception '{id}'")).format(
            id=item.id)
        lines.append(f"{mark} {label} {item.verdict}" + (f": {details}" if details else ""))
    lines.extend(decision.notes)
    lines.append(f"→ {decision.summary}")
    return lines


@register
class ScenarioOutcome(Check):
    code, name = "C007", "scenario-outcome"
    title = N_("Each scenario's expected outcome is what the rules decide")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". Scenarios are the if/then rules' examples, in the owner's "
                   "words: when a threshold or a condition changes without them, lint shows which "
                   "case now behaves differently.")
    hint = N_("if the rules changed on purpose, update the scenario's 'expect:'; otherwise fix "
              "the rule or exception")
    example = """scenarios:
  - name: 8 days without reply, 1,200 EUR due -> automatic reminder
    given: {days_without_reply: 8, amount_due: 1200, in_dispute: false, reminders_sent: 0}
    expect: {outcome: automatic, rules: [remind-after-7-days]}"""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if not automation.scenarios:
            return
        if not has_conditions(automation):
            yield self.finding(
                ctx, entry, ("scenarios",),
                _("the scenarios of '{id}' cannot be checked: no rule or exception has a "
                  "'when' condition").format(id=automation.id),
                _("add a 'when:' to each rule and exception, over the facts declared under "
                  "'facts:'"), key=True)
            return
        state = analysis(entry, ctx.registry)
        people = ctx.registry.people
        for run in state.runs:
            decision = run.decision
            if decision is None:
                continue  # C006 (or C001-C004) says why
            expect = run.scenario.expect
            loc = ("scenarios", run.index, "expect")
            if _differs(expect, decision) or decision.outcome == "incomplete" or (
                    not decision.complete and expect.rules is not None):
                # Decided again with cel-python itself, and the trace for the finding.
                decision = run.decision = state.traced(run, people)
            if decision.outcome == "incomplete" or (not decision.complete
                                                    and expect.rules is not None):
                traced = decision
                finding = self.finding(
                    ctx, entry, loc,
                    _("scenario '{name}' cannot be checked. {summary}").format(
                        name=run.scenario.name, summary=traced.summary),
                    "\n".join([_("give each rule and exception a 'when:' condition livingsys "
                                 "can evaluate for this case"), *_trace_lines(traced)]),
                    key=True)
                finding.extra = {"trace": list(traced.trace)}
                yield finding
                continue
            if not _differs(expect, decision):
                continue
            traced = decision
            finding = self.finding(
                ctx, entry, loc,
                _("scenario '{name}' expects {expected}, but the rules give {actual}").format(
                    name=run.scenario.name, expected=_expected_text(expect),
                    actual=_actual_text(expect, traced)),
                "\n".join([_("{hint}. What the rules decide for this case:").format(
                    hint=_(self.hint)), *_trace_lines(traced)]), key=True)
            finding.extra = {
                "expected": expect.model_dump(exclude_none=True),
                "actual": {"outcome": traced.outcome, "validated_by": traced.validated_by,
                           "exception": traced.exception, "rules": list(traced.fired_rules)},
                "trace": list(traced.trace),
            }
            yield finding


# --------------------------------------------------------------------------------------------
# C011: every rule and exception has a scenario
# --------------------------------------------------------------------------------------------


@register
class ScenarioCoverage(Check):
    code, name = "C011", "scenario-coverage"
    severity = Severity.WARNING
    title = N_("Each rule and exception is exercised by a scenario")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an automation "
                   "fires\"; days 7-8: \"check that each if/then rule is really translated into "
                   "the automations\". A rule or an exception no scenario exercises is one whose "
                   "translation nobody has checked on an example.")
    hint = N_("add a scenario whose 'given:' makes it apply, with the 'expect:' the business "
              "owner agrees with")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if not has_conditions(automation):
            return
        state = analysis(entry, ctx.registry)
        if state.invalid:
            return
        if not automation.scenarios:
            loc = entry.where("scenarios", fallback="rules")
            yield self.finding(ctx, entry, loc,
                               _("automation '{id}' has conditions but no scenarios: nothing "
                                 "shows its rules are translated correctly").format(
                                   id=automation.id), key=True)
            return
        decisions = [r.decision for r in state.runs if r.decision is not None]
        fired = {rule for d in decisions for rule in d.fired_rules}
        held = {exception for d in decisions for exception in d.held_exceptions}
        # A scenario C006 stops (a misspelt or missing fact) may well be the one that
        # exercises a rule: coverage waits until every scenario runs.
        all_run = len(decisions) == len(state.runs)
        for item in state.items:
            loc = (item.group, item.index, "id")
            if item.model.when is None:
                message = (_("rule '{id}' has no 'when': neither lint nor the scenarios can "
                             "check it") if item.kind == "rule" else
                           _("exception '{id}' has no 'when': neither lint nor the scenarios "
                             "can check it"))
                yield self.finding(
                    ctx, entry, loc, message.format(id=item.model.id),
                    _("add a 'when:' condition that says the same as its 'if:'"))
            elif not all_run:
                continue
            elif item.kind == "rule" and item.model.id not in fired:
                yield self.finding(ctx, entry, loc,
                                   _("rule '{id}' applies in none of the scenarios").format(
                                       id=item.model.id))
            elif (item.kind == "exception" and item.model.id not in held
                  and (item.condition is None or state.can_hold(item)[0])):
                # An exception that can never hold is C009's finding: no scenario can help.
                yield self.finding(ctx, entry, loc,
                                   _("exception '{id}' holds in none of the scenarios").format(
                                       id=item.model.id))
