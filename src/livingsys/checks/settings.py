"""Registry-wide: teams know how to report an incident."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding


@register
class IncidentChannel(Check):
    code, name = "G012", "incident-channel"
    title = "The registry names how teams report an incident"
    rationale = ("Article, days 9-10: \"explain to the teams how to report an incident linked "
                 "to automation (dedicated channel, simple form, etc.)\"; checklist: \"teams "
                 "know how to report an incident or an anomaly\".")
    hint = ("add to livingsys.yaml: incident_channel: {kind: chat, where: "
            "'#automation-incidents'}")
    not_waivable = "it concerns the whole registry, not one automation"

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        settings = ctx.registry.settings
        if settings is None or settings.model is None:
            return  # a missing or invalid settings file is reported on its own
        if settings.model.incident_channel is None:
            yield self.finding(ctx, settings, (),
                               "livingsys.yaml does not say how teams report an incident")
