"""Registry-wide: teams know how to report an incident."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _


@register
class IncidentChannel(Check):
    code, name = "G012", "incident-channel"
    title = N_("The registry names how teams report an incident")
    rationale = N_("Article, days 9-10: \"explain to the teams how to report an incident "
                   "linked to automation (dedicated channel, simple form, etc.)\"; checklist: "
                   "\"teams know how to report an incident or an anomaly\".")
    hint = N_("add to livingsys.yaml: incident_channel: {kind: chat, where: "
              "'#automation-incidents'}")
    not_waivable = N_("it concerns the whole registry, not one automation")

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        settings = ctx.registry.settings
        if settings is None or settings.model is None:
            return  # a missing or invalid settings file is reported on its own
        if settings.model.incident_channel is None:
            yield self.finding(ctx, settings, (),
                               _("livingsys.yaml does not say how teams report an incident"))
