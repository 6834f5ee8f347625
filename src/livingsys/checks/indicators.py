"""G033: a key automation has recent figures in `indicators.csv`.

The problems in the file itself (I001-I015) are found while the registry is read (by
livingsys.reading.indicators); their metadata is in livingsys.codes.
"""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _, ngettext


@register
class KeyAutomationFigures(Check):
    code, name = "G033", "key-automation-figures"
    title = N_("A key automation has recent figures in indicators.csv")
    rationale = N_("Article, section 3.2: \"for each important automation, follow three "
                   "indicators\" — volume, exception rate, perceived impact — in a simple "
                   "table, \"to see the trends\". A key automation (key: true, or criticality: "
                   "high) without figures for months cannot show a trend, and its exception rate "
                   "can never call for a review.")
    hint = N_("add its figures to indicators.csv, one row per month (YYYY-MM) or per week "
              "(YYYY-Www): automation, period, volume, exceptions (see docs/indicators.md); for "
              "a new automation with no figures yet, waive G033 until its first month is "
              "counted")
    params = {"max_silent_months": Param(
        2, N_("Complete months in a row a key automation may go without any figures, counted "
              "back from last month (the current month is not over)."), looser="higher")}
    example = ("# indicators.csv\nautomation,period,volume,exceptions\n"
               "payment-reminders,2026-10,238,26\npayment-reminders,2026-W45,51,7")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        from livingsys.reading.indicators import Period, Series

        automation = entry.model
        if automation.status != "active" or not (automation.key
                                                 or automation.criticality == "high"):
            return
        figures = ctx.registry.indicators
        if figures is not None and not figures.readable:
            return  # I001 says why the file cannot be read
        loc = ("key",) if automation.key else ("criticality",)
        now = Period.of(ctx.today)
        series = figures.for_automation(automation.id) if figures else Series(automation.id)
        periods = [p.period for p in series.points if p.period <= now]
        if not periods:
            if automation.key:
                message = (_("key automation '{id}' has no figures at all: indicators.csv has "
                             "no valid row for it") if figures is not None
                           else _("key automation '{id}' has no figures at all: the registry "
                                  "has no indicators.csv"))
            else:
                message = (_("highly critical automation '{id}' has no figures at all: "
                             "indicators.csv has no valid row for it") if figures is not None
                           else _("highly critical automation '{id}' has no figures at all: the "
                                  "registry has no indicators.csv"))
            yield self.finding(ctx, entry, loc, message.format(id=automation.id))
            return
        allowed = ctx.params["max_silent_months"]
        last_month = now.shift(-1)  # the last complete month
        silent = last_month.months_since(periods[-1])
        if silent > allowed:
            # Translators: {last}, {first} and {until} are periods: 2026-09, 2026-W45.
            message = (ngettext(
                "key automation '{id}' has no figures since {last}: {n} complete months "
                "without any ({first} to {until}), more than the {allowed} allowed",
                "key automation '{id}' has no figures since {last}: {n} complete months "
                "without any ({first} to {until}), more than the {allowed} allowed", silent)
                if automation.key else ngettext(
                "highly critical automation '{id}' has no figures since {last}: {n} complete "
                "months without any ({first} to {until}), more than the {allowed} allowed",
                "highly critical automation '{id}' has no figures since {last}: {n} complete "
                "months without any ({first} to {until}), more than the {allowed} allowed",
                silent))
            yield self.finding(ctx, entry, loc, message.format(
                id=automation.id, last=periods[-1], n=silent, first=periods[-1].shift(1),
                until=last_month, allowed=allowed))
