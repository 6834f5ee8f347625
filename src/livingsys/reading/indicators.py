"""`indicators.csv`: the three indicators of each automation, month by month.

The article (section 3.2) asks for three indicators per important automation, followed in a
simple spreadsheet: the volume handled, the exception rate (how often a person had to take
over) and the perceived impact (time saved, team satisfaction). The file is edited in Excel or
a spreadsheet and committed with the registry::

    automation,period,volume,exceptions,time_saved_hours,satisfaction
    payment-reminders,2026-10,238,26,20.5,4

Reading is forgiving about how spreadsheets save CSV (UTF-8 with or without BOM, Windows-1252,
',' ';' or tab separators, decimal commas) and strict about the figures: every row is checked
and each problem is a finding at its row (line) and column, with a hint. A row with an error is
left out of the series, never guessed.

A row's period is a month (``2026-03``) or an ISO week (``2026-W48``); weekly rows are added
up into the month of their Thursday (:func:`month_of_weeks`), so that trends, alerts, the
report, the agenda and the export all work on months. The model is a :class:`Series` of monthly
:class:`Point` per automation, with the exception rate,
month-over-month :class:`Trend` and the last months' rate; :func:`exception_rate_alert` says
whether the rate is above the policy's threshold or has been rising.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from livingsys.checks.indicators import COLUMNS_HINT, INDICATOR_CHECKS
from livingsys.findings import Finding, Severity
from livingsys.models.settings import IndicatorSettings
from livingsys.reading.validation import did_you_mean

if TYPE_CHECKING:
    from livingsys.reading.registry import Registry

FILE_NAME = "indicators.csv"
MAX_FILE_BYTES = 5_000_000
"""Ten years of figures for a hundred automations is well under a megabyte."""

REQUIRED_COLUMNS = ("automation", "period", "volume", "exceptions")
OPTIONAL_COLUMNS = ("time_saved_hours", "satisfaction")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

Metric = Literal["volume", "exception_rate", "time_saved_hours", "satisfaction"]
METRICS: tuple[Metric, ...] = ("volume", "exception_rate", "time_saved_hours", "satisfaction")

#: Below these month-over-month changes a trend is "flat": half a point of exception rate,
#: 5% of volume or of time saved, a tenth of a satisfaction point.
FLAT_RATE_POINTS = 0.5
FLAT_RELATIVE = 0.05
FLAT_SATISFACTION = 0.1

SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_MISSING = "·"


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
            return f"{self.period} (week {self.weeks[0]})"
        return f"{self.period} (weeks {self.weeks[0]} to {self.weeks[-1]})"

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
        """The change in a few characters: '+2.8 pt', '-12%', '+0.5'."""
        if self.metric == "exception_rate":
            return f"{self.delta * 100:+.1f} pt"
        if self.metric == "satisfaction":
            return f"{self.delta:+.1f}"
        if self.relative is None:
            return f"{self.delta:+g}"
        return f"{self.relative * 100:+.0f}%"

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


# --------------------------------------------------------------------------------------------
# alerts


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
            out.append(f"exception rate {_pct(self.rate)} in {self.period} is above the "
                       f"{_pct(self.threshold, 0)} alert threshold")
        if self.rising:
            rates = " → ".join(_pct(r) for _, r in self.run)
            out.append(f"exception rate rose {len(self.run) - 1} months in a row "
                       f"({self.run[0][0]} to {self.period}: {rates})")
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
    return settings.indicators if settings else IndicatorSettings()


def rate_alerts(registry: Registry, as_of: dt.date | None = None) -> dict[str, RateAlert]:
    """Each automation whose exception rate calls for a review under the policy, with why;
    months after ``as_of``'s month are left out. Retired automations are not reviewed."""
    if registry.indicators is None:
        return {}
    policy = indicator_policy(registry)
    figures = registry.indicators.until(Period.of(as_of) if as_of else None)
    alerts = {}
    for entry in registry.valid_automations:
        if entry.model.status == "retired":
            continue
        alert = exception_rate_alert(figures.for_automation(entry.model.id),
                                     policy.exception_rate_alert, policy.rising_months)
        if alert is not None:
            alerts[entry.model.id] = alert
    return alerts


def _pct(value: float, decimals: int = 1) -> str:
    return f"{value * 100:.{decimals}f}%"


# --------------------------------------------------------------------------------------------
# sparklines


def sparkline(values: Sequence[float | None], *, missing: str = SPARK_MISSING) -> str:
    """One character per value, ▁ for the lowest and █ for the highest; ``missing`` for
    months without figures. Equal values are drawn at mid height (▄)."""
    known = [v for v in values if v is not None]
    if not known:
        return missing * len(values)
    low, high = min(known), max(known)
    out = []
    for value in values:
        if value is None:
            out.append(missing)
        elif high == low:
            out.append(SPARK_BARS[3] if high else SPARK_BARS[0])
        else:
            index = round((value - low) / (high - low) * (len(SPARK_BARS) - 1))
            out.append(SPARK_BARS[index])
    return "".join(out)


# --------------------------------------------------------------------------------------------
# reading


def _finding(code: str, path: str, message: str, hint: str | None = None, line: int | None = None,
             col: int | None = None, *, severity: Severity | None = None,
             unreadable: bool = False) -> Finding:
    check = INDICATOR_CHECKS[code]
    return Finding(code=code, severity=severity or check.severity, message=message, path=path,
                   line=line, col=col, hint=hint or check.hint, name=check.name,
                   unreadable=unreadable)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 1-based column: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's 'Unicode text'),
    else Windows-1252 (Excel's plain 'CSV' on Windows) — the figures themselves are ASCII."""
    if raw.startswith(b"PK\x03\x04"):
        return None, [_finding("I001", path, "this is an Excel workbook (.xlsx), not a CSV file",
                               line=1, col=1, unreadable=True)]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [_finding("I001", path, "the file looks like UTF-16 text but cannot "
                                   "be decoded", line=1, col=1, unreadable=True)]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, [_finding("I001", path, "the file contains NUL bytes: it looks like a "
                               "binary file, not CSV text", line=line, col=1, unreadable=True)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), []


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().strip('"').strip().lower())


def _sniff(lines: list[str]) -> tuple[str, int]:
    """(delimiter, index of the header line). Excel's 'sep=;' first line is honoured;
    otherwise the separator that splits the header into the most known column names."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines):
        return ",", index
    first = lines[index].strip()
    match = re.fullmatch(r'"?sep=(.)"?', first, re.I)
    if match:
        return match.group(1), index + 1

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter))
        return (sum(_normalise_header(c) in COLUMNS for c in cells), len(cells))

    return max((",", ";", "\t", "|"), key=score), index


_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f'](?=\d{3}\b)")


def _number(text: str) -> float | None:
    """A number as spreadsheets write it: '12.5', '12,5', '1 200' (thousands separated by a
    space); None if it is not one."""
    text = _SPACES.sub("", text.strip())
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):  # 0-9 only, not ١٠
        return None
    return float(text)


#: No monthly figure is larger (a 400-digit volume is a paste gone wrong, and past what a
#: float holds exactly).
MAX_FIGURE = 10**12


def _too_large(value: float | None) -> bool:
    return value is not None and not abs(value) <= MAX_FIGURE  # also inf and nan


def _short(text: str) -> str:
    """A cell's text for a message: a very long one cut, with its length."""
    text = text.strip()
    return text if len(text) <= 24 else f"{text[:12]}… ({len(text):,} characters)"


def _unclosed_quote(row: str, delimiter: str) -> bool:
    """Whether the text of a file's last row ends inside a quoted cell. Python's csv then
    takes everything to the end of the file as that cell, without an error: a line added
    after the row would become part of it rather than a row of its own."""
    if not row.endswith(("\n", "\r")):
        row += "\n"
    return len(list(csv.reader(io.StringIO(row + "x\n", newline=""), delimiter=delimiter))) < 2


def parse(text: str, known_automations: Iterable[str] | Mapping[str, str], *,
          today: dt.date | None = None, path: str = FILE_NAME) -> tuple[Indicators, list[Finding]]:
    """Read indicators.csv's ``text``: the series of valid rows and a finding per problem.

    ``known_automations`` are the ids a row may name; a mapping gives, for each, the id of the
    automation it refers to (an old id -> the id now, see :mod:`livingsys.reading.renames`): the
    rows
    under an old id go to the automation's series."""
    today = today or dt.date.today()
    known = (dict(known_automations) if isinstance(known_automations, Mapping)
             else {a: a for a in known_automations})
    if text.startswith("\ufeff"):
        text = text[1:]
    findings: list[Finding] = []
    raw_lines = io.StringIO(text, newline="").readlines()
    delimiter, start = _sniff([ln.rstrip("\r\n") for ln in raw_lines])
    indicators = Indicators(path=path, delimiter=delimiter)
    reader = csv.reader(io.StringIO("".join(raw_lines[start:]), newline=""), delimiter=delimiter)
    offset = start  # physical lines before what the reader sees
    row_start = offset + 1  # the physical line where the row being read starts

    def rows():
        nonlocal row_start
        for cells in reader:
            yield row_start, cells
            row_start = offset + reader.line_num + 1

    quote_hint = ("check the quotes on that line: a cell that starts with a quote must end "
                  "with one")
    try:
        numbered = list(rows())
    except csv.Error as exc:  # in practice a cell past csv's size limit: an unclosed quote
        findings.append(_finding("I001", path, f"the row that starts on line {row_start} is "
                                 f"not valid CSV ({exc}): a quote opened there is probably "
                                 "never closed", quote_hint, line=row_start, unreadable=True))
        indicators.readable = False
        return indicators, findings
    if numbered and _unclosed_quote("".join(raw_lines[numbered[-1][0] - 1:]), delimiter):
        line, cells = numbered[-1]
        findings.append(_finding(
            "I001", path, f"the quote that opens cell {column_letter(len(cells))}{line} is "
            "never closed: everything after it, to the end of the file, reads as one cell",
            quote_hint, line=line, col=len(cells), unreadable=True))
        indicators.readable = False
        return indicators, findings
    numbered = [(line, cells) for line, cells in numbered if any(c.strip() for c in cells)]
    if not numbered:
        findings.append(_finding("I001", path, "indicators.csv is empty", COLUMNS_HINT,
                                 line=1, col=1, unreadable=False))
        return indicators, findings

    header_line, header = numbered[0]
    columns, problems = _read_header(header, header_line, path)
    findings.extend(problems)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        if not columns:
            preview = ", ".join(c.strip() for c in header[:4])
            findings.append(_finding(
                "I002", path, f"the first row should name the columns; it reads '{preview}'",
                COLUMNS_HINT, line=header_line, col=1))
        else:
            names = ", ".join(f"'{c}'" for c in missing)
            findings.append(_finding(
                "I002", path, f"indicators.csv has no {names} column"
                f"{'s' if len(missing) > 1 else ''}; its rows cannot be read", COLUMNS_HINT,
                line=header_line, col=1))
        indicators.ignored_rows = len(numbered) - 1
        return indicators, findings

    seen: dict[tuple[str, Period | Week], int] = {}
    points: dict[str, list[Point]] = {}
    for line, cells in numbered[1:]:
        point, problems = _read_row(line, cells, columns, len(header), known, today, seen, path)
        findings.extend(problems)
        if point is None:
            indicators.ignored_rows += 1
            continue
        seen[(point.automation, point.weeks[0] if point.weeks else point.period)] = line
        points.setdefault(point.automation, []).append(point)
    series: dict[str, Series] = {}
    for automation, found in sorted(points.items()):
        kept, problems, dropped = _months(found, path, columns.get("period", 0) + 1)
        findings.extend(problems)
        indicators.ignored_rows += dropped
        if kept:
            series[automation] = Series(automation, kept)
    indicators.series = series
    return indicators, findings


def _months(points: list[Point], path: str, col: int
            ) -> tuple[list[Point], list[Finding], int]:
    """One automation's valid rows as months, oldest first: weekly rows added up into the
    month of their Thursday. A month given both as a month row and as weeks is an I012
    finding on each week row, and none of those rows is used (which is right is unknown)."""
    by_month: dict[Period, list[Point]] = {}
    for point in points:
        by_month.setdefault(point.period, []).append(point)
    out: list[Point] = []
    findings: list[Finding] = []
    dropped = 0
    for month in sorted(by_month):
        rows = by_month[month]
        weekly = [p for p in rows if p.weeks]
        monthly = [p for p in rows if not p.weeks]
        if not weekly:
            out.extend(monthly)
        elif not monthly:
            out.append(month_of_weeks(weekly))
        else:
            month_row = monthly[0]
            for point in sorted(weekly, key=lambda p: p.line or 0):
                findings.append(_finding(
                    "I012", path, f"{point.automation} has figures for {month} on row "
                    f"{month_row.line} and for week {point.weeks[0]} (whose Thursday is in "
                    f"{month}) here: the week would be counted twice; none of these rows is "
                    f"used (cell {column_letter(col)}{point.line})", line=point.line, col=col))
            dropped += len(rows)
    return out, findings, dropped


def _read_header(header: list[str], line: int, path: str) -> tuple[dict[str, int], list[Finding]]:
    """Column name -> 0-based index, and the header's problems."""
    columns: dict[str, int] = {}
    findings: list[Finding] = []
    unknown: list[tuple[str, int]] = []
    for index, cell in enumerate(header):
        name = _normalise_header(cell)
        if not name:
            continue
        if name in columns:
            findings.append(_finding(
                "I002", path, f"column '{name}' appears twice (columns "
                f"{column_letter(columns[name] + 1)} and {column_letter(index + 1)})",
                "keep one of the two", line=line, col=index + 1))
        elif name in COLUMNS:
            columns[name] = index
        else:
            unknown.append((cell.strip(), index))
    if not columns:
        return columns, findings
    for cell, index in unknown:
        guess = did_you_mean(_normalise_header(cell), COLUMNS)
        letter = column_letter(index + 1)
        if guess and guess not in columns:
            findings.append(_finding(
                "I002", path, f"column {letter} '{cell}' is not a column livingsys reads — did "
                f"you mean '{guess}'?", f"rename the column '{guess}'; {COLUMNS_HINT}",
                line=line, col=index + 1))
        else:
            findings.append(_finding(
                "I011", path, f"column {letter} '{cell}' is not read by livingsys"
                + (f" — did you mean '{guess}'? (that column exists already)" if guess else ""),
                "keep notes elsewhere, or leave the column: it is ignored", line=line,
                col=index + 1))
    return columns, findings


def _read_row(line: int, cells: list[str], columns: dict[str, int], width: int,
              known: dict[str, str], today: dt.date,
              seen: dict[tuple[str, Period | Week], int],
              path: str) -> tuple[Point | None, list[Finding]]:
    findings: list[Finding] = []

    def cell(name: str) -> tuple[str, int]:
        index = columns.get(name)
        if index is None:
            return "", 0
        return (cells[index].strip() if index < len(cells) else ""), index + 1

    def problem(code: str, col: int, message: str, hint: str | None = None) -> None:
        if col:  # spreadsheet users know cells as C7
            message += f" (cell {column_letter(col)}{line})"
        findings.append(_finding(code, path, message, hint, line=line, col=col or None))

    if len(cells) > width and any(c.strip() for c in cells[width:]):
        extra = ", ".join(f"'{c.strip()}'" for c in cells[width:] if c.strip())
        problem("I002", width + 1, f"this row has {len(cells)} cells but the first row names "
                f"{width} columns (extra: {extra})",
                "a decimal comma in a comma-separated file splits the number in two: write "
                "12.5, put the number in quotes (\"12,5\"), or save the file with ';' "
                "separators")

    automation, col_a = cell("automation")
    if not automation:
        problem("I010", col_a, "the automation is missing")
    elif automation not in known:
        guess = did_you_mean(automation, known)
        problem("I003", col_a, f"automation '{automation}' does not exist in automations/"
                + (f" — did you mean '{guess}'?" if guess else ""),
                f"use the automation's id, as in automations/<id>.yaml; if it was renamed, "
                f"add `formerly: [{automation}]` to its file and the row counts for it")
    else:
        automation = known[automation]  # an old id: the automation's id now

    period_text, col_p = cell("period")
    period: Period | Week | None = None
    if not period_text:
        problem("I010", col_p, "the period (month YYYY-MM, or week YYYY-Www) is missing")
    else:
        try:
            period = parse_period(period_text)
        except ValueError:
            problem("I008", col_p, f"period '{period_text}' is not a month written YYYY-MM "
                    "nor an ISO week written YYYY-Www")
        else:
            if isinstance(period, Week) and period.monday > today:
                problem("I008", col_p, f"week {period} is in the future (it starts on "
                        f"{period.monday.isoformat()}, today is {today.isoformat()})",
                        "figures of a week are entered once it has started; check the year "
                        "and the week number")
                period = None
            elif isinstance(period, Period) and period > Period.of(today):
                problem("I008", col_p, f"period {period} is in the future (today is "
                        f"{today.isoformat()})", "figures are entered once the month has "
                        "started; check the year and the month")
                period = None

    def whole(name: str) -> int | None:
        text, col = cell(name)
        if not text:
            problem("I010", col, f"{name} is missing", None)
            return None
        value = _number(text)
        if _too_large(value):
            problem("I015", col, f"{name} {_short(text)} is too large for a month's figure "
                    f"(at most {MAX_FIGURE:,})")
            return None
        if value is None or value != int(value):
            problem("I004", col, f"{name} should be a whole number, not '{text}'")
            return None
        if value < 0:
            problem("I005", col, f"{name} cannot be negative ({text})")
            return None
        return int(value)

    volume = whole("volume")
    exceptions = whole("exceptions")
    if volume is not None and exceptions is not None and exceptions > volume:
        rate = f"{exceptions / volume:.0%}" if volume else "infinite"
        problem("I006", cell("exceptions")[1], f"exceptions ({exceptions}) are more than the "
                f"volume ({volume}): the exception rate would be {rate}")

    hours_text, col_h = cell("time_saved_hours")
    hours: float | None = None
    if hours_text:
        hours = _number(hours_text)
        if _too_large(hours):
            problem("I015", col_h, f"time_saved_hours {_short(hours_text)} is too large for a "
                    f"month's figure (at most {MAX_FIGURE:,})")
            hours = None
        elif hours is None:
            problem("I004", col_h, f"time_saved_hours should be a number of hours, not "
                    f"'{hours_text}'")
        elif hours < 0:
            problem("I005", col_h, f"time_saved_hours cannot be negative ({hours_text})")

    satisfaction_text, col_s = cell("satisfaction")
    satisfaction: float | None = None
    if satisfaction_text:
        satisfaction = _number(satisfaction_text)
        if satisfaction is None:
            problem("I004", col_s, f"satisfaction should be a score from 1 to 5, not "
                    f"'{satisfaction_text}'", INDICATOR_CHECKS["I007"].hint)
        elif not 1 <= satisfaction <= 5:
            problem("I007", col_s, f"satisfaction {_short(satisfaction_text)} is not between 1 "
                    "and 5")

    if automation in known and period is not None and (automation, period) in seen:
        written = cell("automation")[0]
        under = f" (the row names its old id '{written}')" if written != automation else ""
        problem("I009", col_p, f"{automation} already has figures for {period} on row "
                f"{seen[(automation, period)]}{under}")

    if any(f.severity is Severity.ERROR for f in findings):
        return None, findings
    if isinstance(period, Week):
        return Point(automation, period.month, volume, exceptions, hours, satisfaction, line,
                     (period,)), findings
    return Point(automation, period, volume, exceptions, hours, satisfaction, line), findings


def read(file: Path, known_automations: Iterable[str] | Mapping[str, str], *,
         today: dt.date | None = None, path: str = FILE_NAME) -> tuple[Indicators, list[Finding]]:
    """Read indicators.csv at ``file`` (``path`` is how findings show it)."""
    def unreadable(message: str, hint: str | None = None) -> tuple[Indicators, list[Finding]]:
        return (Indicators(path=path, readable=False),
                [_finding("I001", path, message, hint, unreadable=True)])

    if file.is_dir():
        return unreadable("indicators.csv is a folder, not a file",
                          f"remove the folder and save the figures as {path}")
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):  # reading a named pipe or a device never ends
            return unreadable("indicators.csv is not a regular file (a named pipe, socket or "
                              "device)", "save the figures as a CSV text file named "
                              "indicators.csv")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            return unreadable(f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} "
                              "allowed", "keep one row per automation and month; raw data "
                              "belongs elsewhere")
        raw = file.read_bytes()
    except OSError as exc:
        return unreadable(f"cannot read the file: {exc.strerror or exc}",
                          "check that the file exists and that you may read it")
    text, findings = decode(raw, path)
    if text is None:
        return Indicators(path=path, readable=False), findings
    indicators, more = parse(text, known_automations, today=today, path=path)
    return indicators, findings + more
