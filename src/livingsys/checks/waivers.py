"""Waivers: each silences one check for one automation, until it expires.

G018 and G019 say when a waiver counts; G025 and G026 limit what a waiver may do (how long it
runs, who may set aside one of the article's rules). A waiver that breaks G025 or G026 still
silences its check (it is listed with the silenced governance), but lint fails until it is
fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from livingsys import codes, i18n
from livingsys.checks.base import Check, Context, Param, either, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _, ngettext


def _count(n: int) -> str:
    """A number of days in a sentence: '26000' as livingsys always wrote it in English,
    '26 000' in French."""
    return str(n) if i18n.language() == i18n.DEFAULT else i18n.number(n)


@register
class WaiverExpired(Check):
    code, name = "G018", "waiver-expired"
    title = N_("A waiver has expired")
    rationale = N_("A waiver is a risk accepted for a while, by a named person; the living "
                   "system (article) re-examines it rather than letting it become permanent.")
    hint = N_("fix what the waiver covered and remove it, or renew it with a new date and "
              "approval")
    not_waivable = N_("a waiver cannot silence the checks on waivers")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        for i, waiver in enumerate(entry.model.waivers):
            if waiver.expires < ctx.today:
                yield self.finding(ctx, entry, ("waivers", i, "expires"), _(
                    "the waiver of {check} approved by {who} expired on {date}").format(
                        check=waiver.check, who=waiver.approved_by,
                        date=i18n.day(waiver.expires)))


@register
class WaiverCheck(Check):
    code, name = "G019", "waiver-check"
    title = N_("A waiver names a governance check that exists")
    rationale = N_("A waiver that names no real check silences nothing and misleads readers.")
    hint = N_("use a code from `livingsys rules` (G001...); file and format errors cannot be "
              "waived")
    not_waivable = N_("a waiver cannot silence the checks on waivers")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        from livingsys.checks.base import find, suggest

        for i, waiver in enumerate(entry.model.waivers):
            check = find(waiver.check)
            if check is None:
                guess = suggest(waiver.check)
                message = (_("waiver names '{check}', which is not a check — did you mean "
                             "'{guess}'?") if guess else
                           _("waiver names '{check}', which is not a check")).format(
                               check=waiver.check, guess=guess)
                yield self.finding(ctx, entry, ("waivers", i, "check"), message)
            elif check.group != "governance":
                yield self.finding(ctx, entry, ("waivers", i, "check"), _(
                    "{code} ({name}) is {kind} and cannot be waived").format(
                        code=check.code, name=check.name, kind=codes.kind(check.group)))
            elif check.not_waivable:
                yield self.finding(ctx, entry, ("waivers", i, "check"), _(
                    "{code} ({name}) cannot be waived in an automation file: {reason}").format(
                        code=check.code, name=check.name, reason=check.not_waivable),
                    _("switch it off or make it a warning in livingsys.yaml's policy instead, "
                      "if that is really intended"))


@register
class WaiverTooLong(Check):
    code, name = "G025", "waiver-too-long"
    title = N_("A waiver runs for a limited time")
    rationale = N_("A waiver is a risk accepted for a while. The article asks for a review "
                   "ritual \"at least quarterly\": a waiver until 2099 is a check switched off "
                   "for good without anyone deciding it again.")
    hint = N_("set 'expires:' at most max_days from today, and renew it at a review if it is "
              "still needed")
    params = {"max_days": Param(180, N_("Longest a waiver may run, in days from today."),
                                looser="higher")}
    not_waivable = N_("a waiver cannot silence the checks on waivers")
    example = N_("""waivers:
  - check: G010
    reason: the finance channel is being set up
    approved_by: c.moreau
    expires: 2027-01-31      # within 180 days""")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        limit = ctx.params["max_days"]
        for i, waiver in enumerate(entry.model.waivers):
            days = (waiver.expires - ctx.today).days
            if days > limit:
                latest = (ctx.today + dt.timedelta(days=limit)).isoformat()
                yield self.finding(
                    ctx, entry, ("waivers", i, "expires"), ngettext(
                        "the waiver of {check} runs until {date}, {days} days from today; the "
                        "policy allows at most {limit} days",
                        "the waiver of {check} runs until {date}, {days} days from today; the "
                        "policy allows at most {limit} days", limit).format(
                            check=waiver.check, date=i18n.day(waiver.expires),
                            days=_count(days), limit=_count(limit)),
                    _("set 'expires:' on or before {date}, and renew it at a review if it is "
                      "still needed").format(date=latest))


@register
class WaiverApprover(Check):
    code, name = "G026", "waiver-approver"
    title = N_("A waiver of one of the article's rules is approved by a manager")
    rationale = N_("The article's three rules (client messages validated by a person, a "
                   "business owner for each automation, a review when a key rule changes) are "
                   "the company's commitments, not a technical detail: setting one aside is a "
                   "decision for the manager who chairs the review, not for whoever edits the "
                   "file.")
    hint = N_("have a person of kind manager (people.yaml) approve it, or fix what it covers")
    params = {"approvers": Param(["manager"], N_("Kinds of person (people.yaml) who may "
                                                 "approve a waiver of a check of the article's "
                                                 "rules 1-3 (G001, G002, G004)."),
                                 ("business", "technical", "manager"), looser="more")}
    not_waivable = N_("a waiver cannot silence the checks on waivers")
    example = N_("""waivers:
  - check: G001
    reason: internal pilot on our own addresses until the 15th
    approved_by: c.moreau    # people.yaml: kind: manager
    expires: 2026-12-15""")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        from livingsys.checks.base import find

        people = ctx.registry.people
        if people is None:
            return
        allowed = ctx.params["approvers"]
        for i, waiver in enumerate(entry.model.waivers):
            check = find(waiver.check)
            person = people.get(waiver.approved_by)
            if check is None or check.article_rule is None or person is None:
                continue  # an unknown check or person is G019's or G003's finding
            if person.kind not in allowed:
                yield self.finding(
                    ctx, entry, ("waivers", i, "approved_by"), _(
                        "the waiver of {code} sets aside the article's rule {rule}, but {id} "
                        "({name}) who approved it is a person of kind {kind}, not {allowed}"
                    ).format(code=check.code, rule=check.article_rule, id=person.id,
                             name=person.name, kind=person.kind, allowed=either(allowed)))
