"""Content that is out of date, or referenced but not listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from livingsys import i18n
from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding, Severity
from livingsys.i18n import N_, _, ngettext
from livingsys.reading.validation import suggestion


@register
class ContentExpired(Check):
    code, name = "G013", "content-expired"
    title = N_("No content past its valid_until is still in use")
    rationale = N_("Article, symptom: \"you discover emails still going out with an old "
                   "message or an old offer\".")
    hint = N_("update the content and its 'valid_until', or stop the automation from sending "
              "it")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status != "active":
            return
        for i, content in enumerate(automation.content):
            if content.valid_until and content.valid_until < ctx.today:
                yield self.finding(ctx, entry, ("content", i, "valid_until"), _(
                    "content '{id}' expired on {date} but the automation is active").format(
                        id=content.id, date=i18n.day(content.valid_until)))


@register
class ContentExpiringSoon(Check):
    code, name = "G014", "content-expiring-soon"
    severity = Severity.WARNING
    title = N_("Content reaches its valid_until soon")
    rationale = N_("Article, symptom: \"emails still going out with an old message or an old "
                   "offer\". A warning ahead of time leaves room to update the content.")
    hint = N_("plan the new version of the content before it expires")
    params = {"days": Param(30, N_("How many days ahead to warn."), looser="lower")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status != "active":
            return
        horizon = ctx.today + dt.timedelta(days=ctx.params["days"])
        for i, content in enumerate(automation.content):
            if content.valid_until and ctx.today <= content.valid_until <= horizon:
                days = (content.valid_until - ctx.today).days
                yield self.finding(ctx, entry, ("content", i, "valid_until"), ngettext(
                    "content '{id}' expires in {days} day(s), on {date}",
                    "content '{id}' expires in {days} day(s), on {date}", days).format(
                        id=content.id, days=days, date=i18n.day(content.valid_until)))


@register
class KnownContent(Check):
    code, name = "G020", "known-content"
    title = N_("Messages use content listed under 'content'")
    rationale = N_("Article, symptom: \"emails still going out with an old message\": every "
                   "message sent should point at a listed, dated piece of content.")
    hint = N_("list the content under 'content:' with a valid_until, or fix the id")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        known = {c.id for c in entry.model.content}
        for i, step in enumerate(entry.model.steps):
            for j, message in enumerate(step.sends):
                if message.content and message.content not in known:
                    text = _("step '{step}' sends content '{id}', which is not listed under "
                             "'content'{suggestion}").format(
                                 step=step.id, id=message.content,
                                 suggestion=suggestion(message.content, known))
                    yield self.finding(ctx, entry, ("steps", i, "sends", j, "content"), text)
