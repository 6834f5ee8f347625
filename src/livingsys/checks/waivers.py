"""Waivers: each silences one check for one automation, until it expires."""

from __future__ import annotations

from typing import Iterable

from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding


@register
class WaiverExpired(Check):
    code, name = "G018", "waiver-expired"
    title = "A waiver has expired"
    rationale = ("A waiver is a risk accepted for a while, by a named person; the living system "
                 "(article) re-examines it rather than letting it become permanent.")
    hint = "fix what the waiver covered and remove it, or renew it with a new date and approval"
    not_waivable = "a waiver cannot silence the checks on waivers"

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        for i, waiver in enumerate(entry.model.waivers):
            if waiver.expires < ctx.today:
                yield self.finding(ctx, entry, ("waivers", i, "expires"),
                                   f"the waiver of {waiver.check} approved by "
                                   f"{waiver.approved_by} expired on "
                                   f"{waiver.expires.isoformat()}")


@register
class WaiverCheck(Check):
    code, name = "G019", "waiver-check"
    title = "A waiver names a governance check that exists"
    rationale = "A waiver that names no real check silences nothing and misleads readers."
    hint = "use a code from `livingsys rules` (G001...); file and format errors cannot be waived"
    not_waivable = "a waiver cannot silence the checks on waivers"

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        from livingsys.checks.base import find, suggest

        for i, waiver in enumerate(entry.model.waivers):
            check = find(waiver.check)
            if check is None:
                guess = suggest(waiver.check)
                message = f"waiver names '{waiver.check}', which is not a check" + (
                    f" — did you mean '{guess}'?" if guess else "")
                yield self.finding(ctx, entry, ("waivers", i, "check"), message)
            elif check.group != "governance":
                yield self.finding(ctx, entry, ("waivers", i, "check"),
                                   f"{check.code} ({check.name}) is a file or format error and "
                                   "cannot be waived")
            elif check.not_waivable:
                yield self.finding(ctx, entry, ("waivers", i, "check"),
                                   f"{check.code} ({check.name}) cannot be waived in an "
                                   f"automation file: {check.not_waivable}",
                                   "switch it off or make it a warning in livingsys.yaml's "
                                   "policy instead, if that is really intended")
