"""Friction points (article, days 3-4) name steps of the drawn flow."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _
from livingsys.reading.validation import suggestion


@register
class FrictionStep(Check):
    code, name = "G040", "friction-step"
    title = N_("A friction point names a step of the drawn flow")
    rationale = N_("Article, days 3-4: \"list the current steps\" and \"spot the current "
                   "friction points: errors, delays, misunderstandings\". A friction tied to a "
                   "step that is not in the flow (a typo, a step renamed since) is lost when "
                   "the review asks whether that step can be simplified.")
    hint = N_("use the id of one of the automation's steps in 'step:', or leave 'step:' out")
    example = N_("""frictions:
  - what: Reminders wait two days for the check when the finance manager is away
    kind: delay            # error, delay or misunderstanding
    step: check            # the id of a step under 'steps:'
    since: 2026-10-01
    status: open           # open or solved""")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        steps = [s.id for s in entry.model.steps]
        for i, friction in enumerate(entry.model.frictions):
            if friction.step is not None and friction.step not in steps:
                known = (_(" (steps: {steps})").format(steps=", ".join(steps)) if steps else
                         _(" (no steps are drawn)"))
                yield self.finding(
                    ctx, entry, ("frictions", i, "step"),
                    _("friction {n} concerns step '{step}', which is not a step of this "
                      "automation{known}").format(
                          n=i + 1, step=friction.step,
                          known=suggestion(friction.step, steps) or known))
