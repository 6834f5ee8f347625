"""Problems in `indicators.csv`, the monthly figures of each automation.

Like the file and format problems of input.py, they are found while the registry is read (by
livingsys.reading.indicators), cannot be switched off or waived, and point at the CSV row (line) and
column. They are described here so that `livingsys rules` and `--explain` cover them.
"""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, register
from livingsys.findings import Finding, Severity

_TRENDS = ("Article, section 3.2: three indicators per important automation — volume handled, "
           "exception rate (how often a person had to take over), perceived impact (time "
           "saved, team satisfaction) — followed in a simple Excel or Google Sheets table; "
           "\"what matters is to see the trends\". A mistyped figure makes a false alarm or "
           "hides a real one, so every row is checked.")

COLUMNS_HINT = ("the first row names the columns: automation, period, volume, exceptions, "
                "time_saved_hours, satisfaction (see `livingsys help indicators`)")


@register
class IndicatorsUnreadable(Check):
    code, name, group = "I001", "indicators-unreadable", "input"
    title = "indicators.csv cannot be read as a CSV text file"
    rationale = _TRENDS
    hint = "in Excel: File › Save as › 'CSV UTF-8 (comma delimited)' or 'CSV (semicolon)'"


@register
class IndicatorsColumns(Check):
    code, name, group = "I002", "indicators-columns", "schema"
    title = "indicators.csv has the columns livingsys reads, each once"
    rationale = _TRENDS
    hint = COLUMNS_HINT


@register
class IndicatorsUnknownAutomation(Check):
    code, name, group = "I003", "indicators-unknown-id", "schema"
    title = "Each row of indicators.csv names an automation of the registry"
    rationale = ("Figures filed under a wrong id are lost for the automation they measure. "
                 + _TRENDS)
    hint = "use the automation's id, as in automations/<id>.yaml"


@register
class IndicatorsBadNumber(Check):
    code, name, group = "I004", "indicators-bad-number", "schema"
    title = "Figures in indicators.csv are numbers (volume and exceptions whole numbers)"
    rationale = _TRENDS
    hint = ("write plain numbers: 212 for a volume, 12.5 or 12,5 for hours; no units, no "
            "thousands separators")


@register
class IndicatorsNegative(Check):
    code, name, group = "I005", "indicators-negative", "schema"
    title = "Figures in indicators.csv are not negative"
    rationale = _TRENDS
    hint = "a volume, a number of exceptions or hours saved cannot be below 0"


@register
class IndicatorsRateOver100(Check):
    code, name, group = "I006", "indicators-rate-over-100", "schema"
    title = "Exceptions are not more than the volume (rate over 100%)"
    rationale = ("The exception rate is exceptions / volume: how many of the cases handled a "
                 "person had to take over. More exceptions than cases is a typo or two columns "
                 "swapped. " + _TRENDS)
    hint = "check the two figures: 'exceptions' counts cases among 'volume'"


@register
class IndicatorsSatisfaction(Check):
    code, name, group = "I007", "indicators-satisfaction", "schema"
    title = "Satisfaction is between 1 and 5, or left empty"
    rationale = ("Satisfaction is the team's rating of the automation, from 1 (poor) to 5 "
                 "(excellent); leave the cell empty when nobody was asked. " + _TRENDS)
    hint = "write a score from 1 to 5 (decimals allowed, e.g. 4.5), or leave the cell empty"


@register
class IndicatorsBadPeriod(Check):
    code, name, group = "I008", "indicators-bad-period", "schema"
    title = "The period is a month YYYY-MM or an ISO week YYYY-Www, not in the future"
    rationale = ("The article counts the volume \"per week or per month\". " + _TRENDS)
    hint = ("write the month as YYYY-MM (e.g. 2026-03) or the ISO week as YYYY-Www (e.g. "
            "2026-W48); if Excel turned it into a date, format the column as Text before "
            "typing")


@register
class IndicatorsDuplicatePeriod(Check):
    code, name, group = "I009", "indicators-duplicate", "schema"
    title = "One row per automation and period (month or week)"
    rationale = ("Two rows for the same automation and month: which one is right? Trends "
                 "would be computed from a guess. " + _TRENDS)
    hint = ("keep one row per automation and month (or week): add the figures up or remove "
            "the extra row")


@register
class IndicatorsMissingValue(Check):
    code, name, group = "I010", "indicators-missing-value", "schema"
    title = "A row gives its automation, period, volume and exceptions"
    rationale = _TRENDS
    hint = ("fill in the cell; only time_saved_hours and satisfaction may be left empty "
            "(write 0 when there were no cases)")


@register
class IndicatorsExtraColumn(Check):
    code, name, group = "I011", "indicators-extra-column", "schema"
    severity = Severity.WARNING
    title = "A column of indicators.csv is not read by livingsys"
    rationale = ("A column livingsys does not know is ignored; when its name is a typo of a "
                 "known column, its figures are silently lost. " + _TRENDS)
    hint = COLUMNS_HINT


@register
class IndicatorsTooLarge(Check):
    code, name, group = "I015", "indicators-too-large", "schema"
    title = "Figures in indicators.csv are of a plausible size"
    rationale = ("A figure of hundreds of digits is a paste gone wrong (a whole column in one "
                 "cell, an account number): it would swamp every trend. " + _TRENDS)
    hint = ("check the cell: a month's volume, exceptions or hours saved are ordinary numbers "
            "(at most 1,000,000,000,000)")


@register
class IndicatorsWeekAndMonth(Check):
    code, name, group = "I012", "indicators-week-and-month", "schema"
    title = "A month is given either as a month row or as week rows, not both"
    rationale = ("A week's figures count for the month of its Thursday (ISO weeks); a month row "
                 "and week rows of the same month would count the same cases twice. " + _TRENDS)
    hint = ("keep the month row or the week rows of that month for this automation: remove the "
            "others (or write every month as weeks)")


@register
class KeyAutomationFigures(Check):
    code, name = "G033", "key-automation-figures"
    title = "A key automation has recent figures in indicators.csv"
    rationale = ("Article, section 3.2: \"for each important automation, follow three "
                 "indicators\" — volume, exception rate, perceived impact — in a simple table, "
                 "\"to see the trends\". A key automation (key: true, or criticality: high) "
                 "without figures for months cannot show a trend, and its exception rate can "
                 "never call for a review.")
    hint = ("add its figures to indicators.csv, one row per month (YYYY-MM) or per week "
            "(YYYY-Www): automation, period, volume, exceptions (see docs/indicators.md); for a "
            "new automation with no figures yet, waive G033 until its first month is counted")
    params = {"max_silent_months": Param(
        2, "Complete months in a row a key automation may go without any figures, counted back "
        "from last month (the current month is not over).", looser="higher")}
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
        what = "key automation" if automation.key else "highly critical automation"
        loc = ("key",) if automation.key else ("criticality",)
        now = Period.of(ctx.today)
        series = figures.for_automation(automation.id) if figures else Series(automation.id)
        periods = [p.period for p in series.points if p.period <= now]
        if not periods:
            where = ("indicators.csv has no valid row for it" if figures is not None
                     else "the registry has no indicators.csv")
            yield self.finding(ctx, entry, loc, f"{what} '{automation.id}' has no figures at "
                               f"all: {where}")
            return
        allowed = ctx.params["max_silent_months"]
        last_month = now.shift(-1)  # the last complete month
        silent = last_month.months_since(periods[-1])
        if silent > allowed:
            yield self.finding(
                ctx, entry, loc, f"{what} '{automation.id}' has no figures since "
                f"{periods[-1]}: {silent} complete months without any ({periods[-1].shift(1)} "
                f"to {last_month}), more than the {allowed} allowed")


INDICATOR_CHECKS = {c.code: c for c in (
    IndicatorsUnreadable, IndicatorsColumns, IndicatorsUnknownAutomation, IndicatorsBadNumber,
    IndicatorsNegative, IndicatorsRateOver100, IndicatorsSatisfaction, IndicatorsBadPeriod,
    IndicatorsDuplicatePeriod, IndicatorsMissingValue, IndicatorsExtraColumn,
    IndicatorsTooLarge, IndicatorsWeekAndMonth)}
