"""A review rhythm is set, at most quarterly."""

from __future__ import annotations

from typing import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.models.common import CADENCE_MONTHS
from livingsys.schedule import CadenceJudgement, default_cadence, judge_cadence


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
