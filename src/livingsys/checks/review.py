"""A review rhythm is set, at most quarterly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from livingsys import i18n
from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _, ngettext, pgettext
from livingsys.models.common import CADENCE_MONTHS
from livingsys.reading.registry import with_models
from livingsys.reading.reviews import CadenceJudgement, default_cadence, judge_cadence


def cadence_word(cadence: str) -> str:
    """A cadence as a sentence says it: 'quarterly' / 'trimestrielle' (the value as written in
    YAML for a cadence livingsys does not know)."""
    words = {"monthly": pgettext("review cadence", "monthly"),
             "quarterly": pgettext("review cadence", "quarterly"),
             "semiannual": pgettext("review cadence", "semiannual"),
             "yearly": pgettext("review cadence", "yearly")}
    return words.get(cadence, cadence)


@register
class ReviewCadence(Check):
    code, name = "G011", "review-cadence"
    title = N_("A review cadence is set, at most quarterly")
    rationale = N_("Article, checklist: \"a review ritual is planned (at least quarterly, "
                   "ideally monthly)\"; \"an automation that is never reviewed always ends up "
                   "becoming a risk\".")
    hint = N_("set 'review: {cadence: monthly}' (or quarterly), or a default_cadence in "
              "livingsys.yaml")
    example = N_("""review: {cadence: monthly}      # in the automation file
# or, for every automation that sets none, in livingsys.yaml:
review: {default_cadence: monthly}""")
    params = {"max_cadence": Param("quarterly", N_("Longest cadence allowed: monthly, "
                                                   "quarterly, semiannual or yearly."),
                                   tuple(CADENCE_MONTHS), looser="higher")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status == "retired":
            return
        judgement = judge_cadence(automation, default_cadence(ctx.registry),
                                  ctx.params["max_cadence"])
        if judgement.cadence is None:
            yield self.finding(ctx, entry, entry.where("review"), _(
                "automation '{id}' has no review cadence").format(id=automation.id))
        elif judgement.too_long and judgement.source == "automation" and judgement.limit:
            limit = judgement.limit
            yield self.finding(ctx, entry, ("review", "cadence"),
                               _("review cadence '{cadence}' is longer than {every}").format(
                                   cadence=judgement.cadence, every=cadence_word(limit)),
                               _("review it at least {every}: set 'cadence: {limit}' or "
                                 "monthly").format(every=cadence_word(limit), limit=limit))
        # a default that is too long is reported once, in livingsys.yaml (check_registry)

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        settings = ctx.registry.settings
        if settings is None or settings.model is None:
            return
        default = settings.model.review.default_cadence
        judgement = CadenceJudgement(default, "default", ctx.params["max_cadence"])
        if judgement.too_long and judgement.limit:
            limit = judgement.limit
            yield self.finding(
                ctx, settings, ("review", "default_cadence"),
                _("the default review cadence '{cadence}' is longer than {every}").format(
                    cadence=default, every=cadence_word(limit)),
                _("set 'default_cadence: {limit}' (or monthly) under 'review:' in "
                  "livingsys.yaml: every automation without its own cadence follows it").format(
                      limit=limit))


@register
class ReviewItemCount(Check):
    code, name = "G027", "review-item-count"
    title = N_("A review meeting covers at most review.max_items automations (2 or 3)")
    rationale = N_("Article, section 3.1: \"review 2 to 3 key automations, no more, and always "
                   "ask the same questions\". In 45 minutes, a fourth automation means none of "
                   "them is really looked at.")
    hint = N_("review the others at the next meeting (`livingsys agenda` lists them under Also "
              "due); review.max_items in livingsys.yaml sets the limit")
    not_waivable = N_("it reports review minutes, not automation files")
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
            count = len(review.automations)
            yield self.finding(
                ctx, entry, ("automations", limit), ngettext(
                    "the review of {date} covers {n} automation; a meeting reviews at most "
                    "{limit} (review.max_items; the article: 2 or 3, no more)",
                    "the review of {date} covers {n} automations; a meeting reviews at most "
                    "{limit} (review.max_items; the article: 2 or 3, no more)", count).format(
                        date=i18n.day(review.date), n=count, limit=limit))


@register
class ReviewAttendance(Check):
    code, name = "G028", "review-attendance"
    title = N_("Each automation's business owner and maintainer attend its review, or are "
               "excused")
    rationale = N_("Article, section 3.1: the review is \"a short meeting with a business "
                   "representative, the person who configured the automations, possibly a "
                   "manager\". Without the business owner nobody decides whether the rules "
                   "still match the business; without the maintainer nobody knows what the "
                   "tool does.")
    hint = N_("add them to 'attendees:' if they were there, or under 'absent:' with why, e.g. "
              "absent: [{person: n.lefebvre, reason: on leave, answered by email}]; if the "
              "automation had another owner or maintainer then, write who on its item "
              "('owner:', 'maintainer:')")
    not_waivable = N_("it reports review minutes, not automation files")
    example = N_("""attendees: [c.moreau, n.lefebvre]
absent:
  - person: t.nguyen
    reason: on leave; the questions were sent to him and answered by email""")

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
                    yield self.finding(ctx, entry, ("absent", i, "person"), _(
                        "{person} is both among the attendees and absent").format(
                            person=person), _("keep them in one of the two lists"))
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
                    ctx, entry, entry.where("attendees", "date"), _(
                        "the review of {date} does not say whether {who} was there: not among "
                        "the attendees, and not absent with a reason").format(
                            date=i18n.day(review.date), who=missing.describe()))
