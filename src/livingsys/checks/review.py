"""A review rhythm is set, at most quarterly."""

from __future__ import annotations

from typing import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.models.common import CADENCE_MONTHS


@register
class ReviewCadence(Check):
    code, name = "G011", "review-cadence"
    title = "A review cadence is set, at most quarterly"
    rationale = ("Article, checklist: \"a review ritual is planned (at least quarterly, ideally "
                 "monthly)\"; \"an automation that is never reviewed always ends up becoming "
                 "a risk\".")
    hint = "set 'review: {cadence: monthly}' (or quarterly), or a default_cadence in livingsys.yaml"
    params = {"max_cadence": Param("quarterly", "Longest cadence allowed: monthly, quarterly, "
                                   "semiannual or yearly.", tuple(CADENCE_MONTHS))}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status == "retired":
            return
        cadence = automation.review.cadence
        if cadence is None:
            settings = ctx.registry.settings
            cadence = settings.model.review.default_cadence if settings and settings.model else None
            if cadence is None:
                yield self.finding(ctx, entry, entry.where("review"),
                                   f"automation '{automation.id}' has no review cadence")
            return
        limit = ctx.params["max_cadence"]
        if CADENCE_MONTHS[cadence] > CADENCE_MONTHS.get(limit, 3):
            yield self.finding(ctx, entry, ("review", "cadence"),
                               f"review cadence '{cadence}' is longer than {limit}",
                               f"review it at least {limit}: set 'cadence: {limit}' or monthly")
