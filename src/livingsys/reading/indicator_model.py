"""The figures of indicators.csv once read: months and weeks, each automation's monthly
:class:`Point`, their month-over-month :class:`Trend`, a :class:`Series` per automation and
the :class:`Indicators` of the whole file.

A row's period is a month (``2026-03``) or an ISO week (``2026-W48``); weekly rows are added
up into the month of their Thursday (:func:`month_of_weeks`), so that trends, alerts, the
report, the agenda and the export all work on months. The model is a :class:`Series` of monthly
:class:`Point` per automation, with the exception rate,
month-over-month :class:`Trend` and the last months' rate. The file is read by
:mod:`livingsys.reading.indicators`; :mod:`livingsys.reading.indicator_policy` says when the
exception rate calls for a review.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from livingsys import i18n
from livingsys.i18n import _

Metric = Literal["volume", "exception_rate", "time_saved_hours", "satisfaction"]
METRICS: tuple[Metric, ...] = ("volume", "exception_rate", "time_saved_hours", "satisfaction")

#: Below these month-over-month changes a trend is "flat": half a point of exception rate,
#: 5% of volume or of time saved, a tenth of a satisfaction point.
FLAT_RATE_POINTS = 0.5
FLAT_RELATIVE = 0.05
FLAT_SATISFACTION = 0.1


# --------------------------------------------------------------------------------------------
# periods


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-03' (also '2026-3', and '2026-03-01' as Excel may rewrite it)."""
        match = re.fullmatch(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?", text.strip())
        if not match:
            raise ValueError(text)
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 1900:
            raise ValueError(text)
        if match.group(3) is not None:
            dt.date(year, month, int(match.group(3)))  # a real date, or ValueError
        return cls(year, month)

    def shift(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def months_since(self, other: Period) -> int:
        return (self.year - other.year) * 12 + self.month - other.month

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (Monday to Sunday), written ``2026-W48``. Its figures count for the month
    of its Thursday (the ISO rule: the week belongs to the month that holds most of it)."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """'2026-W48' (also '2026W48', '2026-w48', '2026-W8'); ValueError if not a week."""
        match = re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", text.strip())
        if not match:
            raise ValueError(text)
        year, week = int(match.group(1)), int(match.group(2))
        if year < 1900:
            raise ValueError(text)
        dt.date.fromisocalendar(year, week, 1)  # week 0, 54, or 53 of a 52-week year: error
        return cls(year, week)

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def month(self) -> Period:
        """The month its figures count for: the month of its Thursday."""
        return Period.of(dt.date.fromisocalendar(self.year, self.week, 4))

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"


def parse_period(text: str) -> Period | Week:
    """A month ('2026-03') or an ISO week ('2026-W48'); ValueError if neither."""
    if re.search(r"[Ww]", text):
        return Week.parse(text)
    return Period.parse(text)


def months(end: Period, count: int) -> list[Period]:
    """The ``count`` months ending with ``end``, oldest first."""
    return [end.shift(-i) for i in range(count - 1, -1, -1)]


# --------------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class Point:
    """One automation's figures for one month (one valid row of the file)."""

    automation: str
    period: Period
    volume: int
    exceptions: int
    time_saved_hours: float | None = None
    satisfaction: float | None = None
    #: The row of indicators.csv it comes from (the first week's, for a month of weeks).
    line: int | None = None
    #: For a month added up from weekly rows: those weeks, oldest first (empty: a month row).
    weeks: tuple[Week, ...] = ()

    @property
    def label(self) -> str:
        """'2026-11', or '2026-11 (weeks 2026-W45 to 2026-W48)' for a month of weeks."""
        if not self.weeks:
            return str(self.period)
        if len(self.weeks) == 1:
            return _("{month} (week {week})").format(month=self.period, week=self.weeks[0])
        return _("{month} (weeks {first} to {last})").format(
            month=self.period, first=self.weeks[0], last=self.weeks[-1])

    @property
    def exception_rate(self) -> float | None:
        """exceptions / volume, or None for a month without any case."""
        return self.exceptions / self.volume if self.volume else None

    def value(self, metric: Metric) -> float | None:
        return self.exception_rate if metric == "exception_rate" else getattr(self, metric)

    def to_dict(self) -> dict:
        rate = self.exception_rate
        return {"period": str(self.period), "volume": self.volume,
                "exceptions": self.exceptions,
                "exception_rate": round(rate, 4) if rate is not None else None,
                "time_saved_hours": self.time_saved_hours, "satisfaction": self.satisfaction,
                **({"weeks": [str(w) for w in self.weeks]} if self.weeks else {})}


def month_of_weeks(points: list[Point]) -> Point:
    """One month's figures from its weekly rows: volume, exceptions and time saved added up
    (time saved: of the weeks that give it), satisfaction averaged over the weeks that give
    it, weighted by their volume (a plain average when they handled no case)."""
    points = sorted(points, key=lambda p: p.weeks)
    hours = [p.time_saved_hours for p in points if p.time_saved_hours is not None]
    rated = [(p.satisfaction, p.volume) for p in points if p.satisfaction is not None]
    weight = sum(v for _, v in rated)
    satisfaction = (sum(s * v for s, v in rated) / weight if weight else
                    sum(s for s, _ in rated) / len(rated) if rated else None)
    return Point(points[0].automation, points[0].period, sum(p.volume for p in points),
                 sum(p.exceptions for p in points), sum(hours) if hours else None,
                 satisfaction, points[0].line, tuple(w for p in points for w in p.weeks))


@dataclass(frozen=True)
class Trend:
    """How one indicator moved from one month with figures to the next."""

    metric: Metric
    direction: Literal["up", "down", "flat"]
    previous: float
    current: float
    previous_period: Period
    period: Period

    @property
    def delta(self) -> float:
        return self.current - self.previous

    @property
    def delta_points(self) -> float | None:
        """For the exception rate: the change in percentage points (+2.8)."""
        return self.delta * 100 if self.metric == "exception_rate" else None

    @property
    def relative(self) -> float | None:
        """The change as a fraction of the previous value (0.12 for +12%)."""
        return self.delta / self.previous if self.previous else None

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "flat": "→"}[self.direction]

    def describe(self) -> str:
        """The change in a few characters: '+2.8 pt', '-12%', '+0.5' ('+2,8 pt', '-12 %',
        '+0,5' in French)."""
        if self.metric == "exception_rate":
            text = f"{self.delta * 100:+.1f} pt"
        elif self.metric == "satisfaction":
            text = f"{self.delta:+.1f}"
        elif self.relative is None:
            text = f"{self.delta:+g}"
        else:
            text = f"{self.relative * 100:+.0f}%"
        if i18n.language() == i18n.DEFAULT:
            return text
        return text.replace(".", ",").replace(" pt", "\u00a0pt").replace("%", "\u00a0%")

    def to_dict(self) -> dict:
        data = {"direction": self.direction, "from": str(self.previous_period),
                "to": str(self.period), "previous": round(self.previous, 4),
                "current": round(self.current, 4), "delta": round(self.delta, 4)}
        if self.metric == "exception_rate":
            data["delta_points"] = round(self.delta * 100, 2)
        return data


def _direction(metric: Metric, previous: float, current: float) -> Literal["up", "down", "flat"]:
    delta = current - previous
    if metric == "exception_rate":
        flat = abs(delta) * 100 < FLAT_RATE_POINTS
    elif metric == "satisfaction":
        flat = abs(delta) < FLAT_SATISFACTION
    elif previous:
        flat = abs(delta) / previous < FLAT_RELATIVE
    else:
        flat = delta == 0
    return "flat" if flat else ("up" if delta > 0 else "down")


def trend_between(metric: Metric, before: Point, after: Point) -> Trend | None:
    previous, current = before.value(metric), after.value(metric)
    if previous is None or current is None:
        return None
    return Trend(metric, _direction(metric, previous, current), float(previous), float(current),
                 before.period, after.period)


@dataclass
class Series:
    """One automation's months with figures, oldest first."""

    automation: str
    points: list[Point] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.points)

    def __len__(self) -> int:
        return len(self.points)

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    def get(self, period: Period) -> Point | None:
        for point in self.points:
            if point.period == period:
                return point
        return None

    def until(self, period: Period | None) -> Series:
        """The same series without the months after ``period``."""
        if period is None:
            return self
        return Series(self.automation, [p for p in self.points if p.period <= period])

    def trend(self, metric: Metric = "exception_rate") -> Trend | None:
        """From the previous month with this figure to the last month (month over month when
        no month is missing); None when the last month lacks the figure or is the first."""
        if not self.points or self.points[-1].value(metric) is None:
            return None
        earlier = [p for p in self.points[:-1] if p.value(metric) is not None]
        return trend_between(metric, earlier[-1], self.points[-1]) if earlier else None

    def rate_last_months(self, count: int = 3) -> float | None:
        """Exception rate over the last ``count`` months with figures: their exceptions over
        their volume (an average weighted by volume)."""
        last = self.points[-count:]
        volume = sum(p.volume for p in last)
        return sum(p.exceptions for p in last) / volume if volume else None

    def window(self, end: Period, count: int = 12) -> list[Point | None]:
        """The ``count`` months ending with ``end``: each month's point, or None."""
        by_period = {p.period: p for p in self.points}
        return [by_period.get(m) for m in months(end, count)]

    def values(self, metric: Metric, end: Period, count: int = 12) -> list[float | None]:
        return [p.value(metric) if p else None for p in self.window(end, count)]


@dataclass
class Indicators:
    """What indicators.csv holds once read: the valid rows, by automation."""

    path: str
    series: dict[str, Series] = field(default_factory=dict)
    #: Rows left out because of an error (see the findings).
    ignored_rows: int = 0
    #: False when the file could not be read at all.
    readable: bool = True
    delimiter: str = ","

    def for_automation(self, automation_id: str) -> Series:
        return self.series.get(automation_id) or Series(automation_id)

    @property
    def rows(self) -> int:
        return sum(len(s) for s in self.series.values())

    @property
    def periods(self) -> list[Period]:
        return sorted({p.period for s in self.series.values() for p in s.points})

    def last_period(self, until: Period | None = None) -> Period | None:
        periods = [p for p in self.periods if until is None or p <= until]
        return periods[-1] if periods else None

    def until(self, period: Period | None) -> Indicators:
        """The same figures without the months after ``period`` (for --as-of)."""
        if period is None:
            return self
        series = {k: s.until(period) for k, s in self.series.items()}
        return Indicators(self.path, {k: s for k, s in series.items() if s},
                          self.ignored_rows, self.readable, self.delimiter)


