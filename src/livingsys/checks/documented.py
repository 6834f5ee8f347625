"""Where an active automation lives, what starts it, who maintains it and how to stop it.

Article, days 7-8: "document in a few lines where each automation is and what it does". Each
concept is its own check, so that a policy or a waiver can treat one without the others. A
value that is only blanks counts as missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, register
from livingsys.conditions.guards import is_set
from livingsys.findings import Finding
from livingsys.i18n import N_, _


def blank(value: object) -> bool:
    """Missing, or written with nothing but spaces."""
    return not is_set(value)


class _Documented(Check):
    """Base of the checks below: they look at active automations only (a paused or retired
    one says why and since when instead, G015)."""

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        if entry.model.status == "active":
            yield from self.missing(entry, ctx)

    def missing(self, entry, ctx: Context) -> Iterable[Finding]:  # pragma: no cover
        return ()

    def blank_key(self, entry, ctx: Context, key: str, message: str) -> Iterable[Finding]:
        """A finding when the automation's ``key`` is missing or blank, at the key when it is
        written, else at the id. ``message`` (marked with N_) names the automation {id} and
        the {key}: "automation '{id}' does not say what starts it ('{key}:')"."""
        if blank(getattr(entry.model, key)):
            yield self.finding(ctx, entry, entry.where(key),
                               _(message).format(id=entry.model.id, key=key))


@register
class WhereItLives(_Documented):
    code, name = "G036", "where-it-lives"
    title = N_("An active automation says which tool it runs in and where to find it there")
    rationale = N_("Article, days 7-8: \"document in a few lines where each automation is and "
                   "what it does\". When it misbehaves, whoever must fix or stop it has to "
                   "find it first; months later \"nobody really knows who created what\".")
    hint = N_("add 'tool:' (Make, Zapier, n8n, Power Automate...) and 'location:' (where to "
              "find it in that tool)")
    example = N_("""tool: Make
location: "Make › Finance team › scenario 'Payment reminders v3'\"""")

    def missing(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        lacking = [k for k in ("tool", "location") if blank(getattr(automation, k))]
        if not lacking:
            return
        if len(lacking) == 2:
            message = _("automation '{id}' does not say where it lives: no 'tool:' and no "
                        "'location:'")
        elif lacking == ["location"]:
            message = _("automation '{id}' runs in {tool} but does not say where to find it "
                        "there ('location:')")
        else:
            message = _("automation '{id}' says where it is ('location:') but not which tool "
                        "it runs in ('tool:')")
        yield self.finding(ctx, entry, entry.where(lacking[0]), message.format(
            id=automation.id, tool=(automation.tool or "").strip()))


@register
class TriggerDocumented(_Documented):
    code, name = "G037", "trigger-documented"
    title = N_("An active automation says what starts it")
    rationale = N_("Article, symptom: \"nobody can explain precisely when and why an "
                   "automation fires\". The trigger, in plain words, is what lets a business "
                   "owner check that it fires when it should, and only then.")
    hint = N_("add 'trigger:' — when and why it starts, in plain words, e.g. 'Every working "
              "day at 8:00, for each invoice past its due date'")
    example = N_("trigger: Every working day at 8:00, for each invoice past its due date.")

    def missing(self, entry, ctx: Context) -> Iterable[Finding]:
        return self.blank_key(entry, ctx, "trigger", N_(
            "automation '{id}' does not say what starts it ('{key}:')"))


@register
class MaintainerNamed(_Documented):
    code, name = "G038", "maintainer-named"
    title = N_("An active automation names who configured and maintains it")
    rationale = N_("Article: \"nobody really knows who created what\"; days 7-8 are done "
                   "\"with the person who manages your tools\". The business owner answers for "
                   "the result (rule 2); the maintainer is who changes the automation when the "
                   "rules change, and who is called when it breaks.")
    hint = N_("add 'maintainer:' with the id of that person in people.yaml (often kind "
              "technical)")
    example = N_("maintainer: t.nguyen      # people.yaml: kind technical")

    def missing(self, entry, ctx: Context) -> Iterable[Finding]:
        return self.blank_key(entry, ctx, "maintainer", N_(
            "automation '{id}' does not name who maintains it ('{key}:')"))


@register
class KillSwitch(_Documented):
    code, name = "G039", "kill-switch"
    title = N_("An active automation says how to stop it alone, cleanly")
    rationale = N_("Article, symptom: \"when there is a bug, everything is cut 'in an "
                   "emergency' instead of being fixed properly\". Written down beforehand, how "
                   "to stop this one automation (and what keeps running) turns a bug into a "
                   "clean pause.")
    hint = N_("add under 'guardrails:' a 'kill_switch:' saying how to stop this automation "
              "alone and what else keeps running")
    example = N_("""guardrails:
  kill_switch: >-
    Turn off the scenario 'Payment reminders v3' in Make (toggle at the top right);
    invoicing and the other scenarios keep running.""")

    def missing(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if blank(automation.guardrails.kill_switch):
            data = entry.doc.data
            guardrails = data.get("guardrails") if isinstance(data, dict) else None
            loc = (("guardrails", "kill_switch") if isinstance(guardrails, dict)
                   else entry.where("guardrails"))
            yield self.finding(ctx, entry, loc, _(
                "automation '{id}' does not say how to stop it alone ('guardrails: "
                "kill_switch:')").format(id=automation.id))
