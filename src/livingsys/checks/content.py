"""Content that is out of date, or referenced but not listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding, Severity
from livingsys.reading.validation import suggestion


@register
class ContentExpired(Check):
    code, name = "G013", "content-expired"
    title = "No content past its valid_until is still in use"
    rationale = ("Article, symptom: \"you discover emails still going out with an old message "
                 "or an old offer\".")
    hint = "update the content and its 'valid_until', or stop the automation from sending it"

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status != "active":
            return
        for i, content in enumerate(automation.content):
            if content.valid_until and content.valid_until < ctx.today:
                yield self.finding(ctx, entry, ("content", i, "valid_until"),
                                   f"content '{content.id}' expired on "
                                   f"{content.valid_until.isoformat()} but the automation is "
                                   "active")


@register
class ContentExpiringSoon(Check):
    code, name = "G014", "content-expiring-soon"
    severity = Severity.WARNING
    title = "Content reaches its valid_until soon"
    rationale = ("Article, symptom: \"emails still going out with an old message or an old "
                 "offer\". A warning ahead of time leaves room to update the content.")
    hint = "plan the new version of the content before it expires"
    params = {"days": Param(30, "How many days ahead to warn.", looser="lower")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status != "active":
            return
        horizon = ctx.today + dt.timedelta(days=ctx.params["days"])
        for i, content in enumerate(automation.content):
            if content.valid_until and ctx.today <= content.valid_until <= horizon:
                days = (content.valid_until - ctx.today).days
                yield self.finding(ctx, entry, ("content", i, "valid_until"),
                                   f"content '{content.id}' expires in {days} day(s), on "
                                   f"{content.valid_until.isoformat()}")


@register
class KnownContent(Check):
    code, name = "G020", "known-content"
    title = "Messages use content listed under 'content'"
    rationale = ("Article, symptom: \"emails still going out with an old message\": every "
                 "message sent should point at a listed, dated piece of content.")
    hint = "list the content under 'content:' with a valid_until, or fix the id"

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        known = {c.id for c in entry.model.content}
        for i, step in enumerate(entry.model.steps):
            for j, message in enumerate(step.sends):
                if message.content and message.content not in known:
                    text = (f"step '{step.id}' sends content '{message.content}', which is "
                            "not listed under 'content'" + suggestion(message.content, known))
                    yield self.finding(ctx, entry, ("steps", i, "sends", j, "content"), text)
