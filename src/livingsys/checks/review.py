"""A review rhythm is set, at most quarterly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.models.common import CADENCE_MONTHS
from livingsys.reading.registry import with_models
from livingsys.reading.reviews import CadenceJudgement, default_cadence, judge_cadence


@register
class ReviewCadence(Check):
    code, name = "G011", "review-cadence"
    title = "A review cadence is set, at most quarterly"
    rationale = ("Article, checklist: \"a review ritual is planned (at least quarterly, ideally "
                 "monthly)\"; \"an automation that is never reviewed always ends up becoming "
                 "a risk\".")
    hint = "set 'review: {cadence: monthly}' (or quarterly), or a default_cadence in livingsys.yaml"
    example = """review: {cadence: monthly}      # in the automation file
# or, for every automation that sets none, in livingsys.yaml:
review: {default_cadence: monthly}"""
    params = {"max_cadence": Param("quarterly", "Longest cadence allowed: monthly, quarterly, "
                                   "semiannual or yearly.", tuple(CADENCE_MONTHS),
                                   looser="higher")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status == "retired":
            return
        judgement = judge_cadence(automation, default_cadence(ctx.registry),
                                  ctx.params["max_cadence"])
        if judgement.cadence is None:
            yield self.finding(ctx, entry, entry.where("review"),
                               f"automation '{automation.id}' has no review cadence")
        elif judgement.too_long and judgement.source == "automation":
            limit = judgement.limit
            yield self.finding(ctx, entry, ("review", "cadence"),
                               f"review cadence '{judgement.cadence}' is longer than {limit}",
                               f"review it at least {limit}: set 'cadence: {limit}' or monthly")
        # a default that is too long is reported once, in livingsys.yaml (check_registry)

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        settings = ctx.registry.settings
        if settings is None or settings.model is None:
            return
        default = settings.model.review.default_cadence
        judgement = CadenceJudgement(default, "default", ctx.params["max_cadence"])
        if judgement.too_long:
            limit = judgement.limit
            yield self.finding(
                ctx, settings, ("review", "default_cadence"),
                f"the default review cadence '{default}' is longer than {limit}",
                f"set 'default_cadence: {limit}' (or monthly) under 'review:' in "
                "livingsys.yaml: every automation without its own cadence follows it")


@register
class ReviewItemCount(Check):
    code, name = "G027", "review-item-count"
    title = "A review meeting covers at most review.max_items automations (2 or 3)"
    rationale = ("Article, section 3.1: \"review 2 to 3 key automations, no more, and always "
                 "ask the same questions\". In 45 minutes, a fourth automation means none of "
                 "them is really looked at.")
    hint = ("review the others at the next meeting (`livingsys agenda` lists them under Also "
            "due); review.max_items in livingsys.yaml sets the limit")
    not_waivable = "it reports review minutes, not automation files"
    example = """# reviews/2026-11-18.yaml
automations:
  - id: payment-reminders
    answers: {rules_changed: "no", incidents: none, simplify: not yet}
  - id: support-triage
    answers: {rules_changed: "no", incidents: none, simplify: not yet}"""

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        from livingsys.reading.reviews import item_limit, too_many

        limit = item_limit(ctx.registry)
        for entry in ctx.registry.reviews:
            review = entry.model
            if review is None or not too_many(len(review.automations), limit):
                continue
            yield self.finding(
                ctx, entry, ("automations", limit),
                f"the review of {review.date.isoformat()} covers "
                f"{len(review.automations)} automations; a meeting reviews at most {limit} "
                "(review.max_items; the article: 2 or 3, no more)")


@register
class ReviewAttendance(Check):
    code, name = "G028", "review-attendance"
    title = "Each automation's business owner and maintainer attend its review, or are excused"
    rationale = ("Article, section 3.1: the review is \"a short meeting with a business "
                 "representative, the person who configured the automations, possibly a "
                 "manager\". Without the business owner nobody decides whether the rules still "
                 "match the business; without the maintainer nobody knows what the tool does.")
    hint = ("add them to 'attendees:' if they were there, or under 'absent:' with why, e.g. "
            "absent: [{person: n.lefebvre, reason: on leave, answered by email}]; if the "
            "automation had another owner or maintainer then, write who on its item "
            "('owner:', 'maintainer:')")
    not_waivable = "it reports review minutes, not automation files"
    example = """attendees: [c.moreau, n.lefebvre]
absent:
  - person: t.nguyen
    reason: on leave; the questions were sent to him and answered by email"""

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        from livingsys.reading.renames import names
        from livingsys.reading.reviews import missing_people, roles

        registry = ctx.registry
        known = names(registry)
        # Who owned and maintained an automation at the meeting: what the minutes say
        # (`review record` writes it), else what its file says today - and then only for the
        # automation's latest minutes: owners change, lint reads no git, and older minutes
        # are history that never needs rewriting because someone took over an automation.
        latest: dict[str, object] = {}  # automation -> the entry of its latest minutes
        latest_date: dict[str, dt.date] = {}
        for entry, minutes in with_models(registry.reviews):
            for item in minutes.automations:
                current = known.resolve(item.id) or item.id  # minutes under an old id count
                kept = latest_date.get(current)
                if kept is None or minutes.date >= kept:
                    latest[current] = entry
                    latest_date[current] = minutes.date
        for entry in registry.reviews:
            review = entry.model
            if review is None:
                continue
            absent = [a.person for a in review.absent]
            for i, person in enumerate(absent):
                if person in review.attendees:
                    yield self.finding(ctx, entry, ("absent", i, "person"),
                                       f"{person} is both among the attendees and absent",
                                       "keep them in one of the two lists")
            expected = []
            for item in review.automations:
                now = roles(registry, item.id)
                if now is None:
                    continue  # an unknown automation is G021's finding
                if item.owner or item.maintainer:
                    expected.append((item.id, item.owner, item.maintainer))
                elif latest.get(known.resolve(item.id) or item.id) is entry:
                    expected.append((item.id, *now))
            for missing in missing_people(registry, expected, review.attendees, absent):
                yield self.finding(
                    ctx, entry, entry.where("attendees", "date"),
                    f"the review of {review.date.isoformat()} does not say whether "
                    f"{missing.describe()} was there: not among the attendees, and not "
                    "absent with a reason")
