"""When an automation's exception rate calls for a review: above the policy's threshold, or
rising month after month (the 'indicators' section of livingsys.yaml).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from livingsys import i18n
from livingsys.i18n import _, ngettext
from livingsys.models.settings import IndicatorSettings
from livingsys.reading.indicator_model import FLAT_RATE_POINTS, Period, Series

if TYPE_CHECKING:
    from livingsys.reading.registry import Registry



@dataclass(frozen=True)
class RateAlert:
    """Why an automation's exception rate calls for a review."""

    automation: str
    period: Period
    rate: float
    threshold: float
    above_threshold: bool
    rising: bool
    #: The months of the rise and their rates, oldest first (empty when not rising).
    run: tuple[tuple[Period, float], ...] = ()

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.above_threshold:
            out.append(_("exception rate {rate} in {month} is above the {threshold} alert "
                         "threshold").format(rate=_pct(self.rate), month=_month(self.period),
                                             threshold=_pct(self.threshold, 0)))
        if self.rising:
            rates = " → ".join(_pct(r) for _period, r in self.run)
            months = len(self.run) - 1
            out.append(ngettext("exception rate rose {n} month in a row ({start} to {end}: "
                                "{rates})",
                                "exception rate rose {n} months in a row ({start} to {end}: "
                                "{rates})", months).format(
                n=months, start=_month(self.run[0][0]), end=_month(self.period), rates=rates))
        return out

    @property
    def message(self) -> str:
        return "; ".join(self.reasons)

    def to_dict(self) -> dict:
        return {"automation": self.automation, "period": str(self.period),
                "rate": round(self.rate, 4), "threshold": self.threshold,
                "above_threshold": self.above_threshold, "rising": self.rising,
                "run": [{"period": str(p), "rate": round(r, 4)} for p, r in self.run],
                "message": self.message}


def exception_rate_alert(series: Series, threshold: float, rising_months: int) -> RateAlert | None:
    """An alert when the last month's exception rate is above ``threshold`` (0.2 = 20%), or
    when it went up (by at least half a point) in each of the last ``rising_months`` months
    with figures; None otherwise, or when the series has no rate."""
    rated = [(p.period, p.exception_rate) for p in series.points if p.exception_rate is not None]
    if not rated:
        return None
    period, rate = rated[-1]
    above = rate > threshold
    run: tuple[tuple[Period, float], ...] = ()
    if rising_months >= 1 and len(rated) > rising_months:
        tail = rated[-(rising_months + 1):]
        if all((b[1] - a[1]) * 100 >= FLAT_RATE_POINTS
               for a, b in zip(tail, tail[1:], strict=False)):
            # extend back to show the whole rise
            start = len(rated) - rising_months - 1
            while start > 0 and (rated[start][1] - rated[start - 1][1]) * 100 >= FLAT_RATE_POINTS:
                start -= 1
            run = tuple(rated[start:])
    if not above and not run:
        return None
    return RateAlert(series.automation, period, rate, threshold, above, bool(run), run)


def indicator_policy(registry: Registry) -> IndicatorSettings:
    """The 'indicators' section of livingsys.yaml (its defaults when missing or invalid)."""
    settings = registry.settings.model if registry.settings else None
    # model_validate({}): the defaults given to Field, which mypy (without pydantic's plugin)
    # would take for required arguments of IndicatorSettings()
    return settings.indicators if settings else IndicatorSettings.model_validate({})


def rate_alerts(registry: Registry, as_of: dt.date | None = None) -> dict[str, RateAlert]:
    """Each automation whose exception rate calls for a review under the policy, with why;
    months after ``as_of``'s month are left out. Retired automations are not reviewed."""
    if registry.indicators is None:
        return {}
    policy = indicator_policy(registry)
    figures = registry.indicators.until(Period.of(as_of) if as_of else None)
    alerts = {}
    for entry in registry.valid_automations:
        automation = entry.model
        if automation is None or automation.status == "retired":
            continue
        alert = exception_rate_alert(figures.for_automation(automation.id),
                                     policy.exception_rate_alert, policy.rising_months)
        if alert is not None:
            alerts[automation.id] = alert
    return alerts


def _pct(value: float, decimals: int = 1) -> str:
    """'13.7%' / '13,7 %'."""
    return i18n.percent(value, decimals)


def _month(period: Period) -> str:
    """'2026-11' / 'novembre 2026'."""
    return i18n.month(period.first_day)

