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
up into the month of their Thursday. The figures read are modelled in
:mod:`livingsys.reading.indicator_model` (its names are re-exported here);
:mod:`livingsys.reading.indicator_policy` says when the exception rate calls for a review.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from livingsys import codes
from livingsys.codes import COLUMNS_HINT
from livingsys.findings import Finding, Severity
from livingsys.i18n import _, day, ngettext, number, percent
from livingsys.reading.indicator_model import (
    FLAT_RATE_POINTS,
    FLAT_RELATIVE,
    FLAT_SATISFACTION,
    METRICS,
    Indicators,
    Metric,
    Period,
    Point,
    Series,
    Trend,
    Week,
    month_of_weeks,
    months,
    parse_period,
    trend_between,
)
from livingsys.reading.validation import did_you_mean

__all__ = [
    "COLUMNS", "FILE_NAME", "FLAT_RATE_POINTS", "FLAT_RELATIVE", "FLAT_SATISFACTION",
    "MAX_FIGURE", "MAX_FILE_BYTES", "METRICS", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS",
    "Indicators", "Metric", "Period", "Point", "Series", "Trend", "Week", "column_letter",
    "decode", "month_of_weeks", "months", "parse", "parse_period", "read", "trend_between",
]

FILE_NAME = "indicators.csv"
MAX_FILE_BYTES = 5_000_000
"""Ten years of figures for a hundred automations is well under a megabyte."""

REQUIRED_COLUMNS = ("automation", "period", "volume", "exceptions")
OPTIONAL_COLUMNS = ("time_saved_hours", "satisfaction")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


# --------------------------------------------------------------------------------------------
# reading


def _finding(code: str, path: str, message: str, hint: str | None = None, line: int | None = None,
             col: int | None = None, *, severity: Severity | None = None,
             unreadable: bool = False) -> Finding:
    return codes.finding(code, message, path, line=line, col=col, hint=hint, severity=severity,
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
        return None, [_finding("I001", path,
                               _("this is an Excel workbook (.xlsx), not a CSV file"),
                               line=1, col=1, unreadable=True)]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [_finding("I001", path, _("the file looks like UTF-16 text but "
                                                   "cannot be decoded"),
                                   line=1, col=1, unreadable=True)]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, [_finding("I001", path, _("the file contains NUL bytes: it looks like a "
                                               "binary file, not CSV text"),
                               line=line, col=1, unreadable=True)]
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
    if len(text) <= 24:
        return text
    return _("{start}… ({count} characters)").format(start=text[:12],
                                                       count=number(len(text)))


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

    quote_hint = _("check the quotes on that line: a cell that starts with a quote must end "
                   "with one")
    try:
        numbered = list(rows())
    except csv.Error as exc:  # in practice a cell past csv's size limit: an unclosed quote
        # Translators: {error} is the CSV reader's own words, in English.
        findings.append(_finding("I001", path, _("the row that starts on line {line} is not "
                                                 "valid CSV ({error}): a quote opened there "
                                                 "is probably never closed").format(
                                                     line=row_start, error=exc),
                                 quote_hint, line=row_start, unreadable=True))
        indicators.readable = False
        return indicators, findings
    if numbered and _unclosed_quote("".join(raw_lines[numbered[-1][0] - 1:]), delimiter):
        line, cells = numbered[-1]
        findings.append(_finding(
            "I001", path, _("the quote that opens cell {cell} is never closed: everything "
                            "after it, to the end of the file, reads as one cell").format(
                                cell=f"{column_letter(len(cells))}{line}"),
            quote_hint, line=line, col=len(cells), unreadable=True))
        indicators.readable = False
        return indicators, findings
    numbered = [(line, cells) for line, cells in numbered if any(c.strip() for c in cells)]
    if not numbered:
        findings.append(_finding("I001", path, _("indicators.csv is empty"), _(COLUMNS_HINT),
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
                "I002", path, _("the first row should name the columns; it reads "
                                "'{preview}'").format(preview=preview),
                _(COLUMNS_HINT), line=header_line, col=1))
        else:
            names = ", ".join(f"'{c}'" for c in missing)
            findings.append(_finding(
                "I002", path, ngettext("indicators.csv has no {names} column; its rows cannot "
                                       "be read", "indicators.csv has no {names} columns; its "
                                       "rows cannot be read", len(missing)).format(names=names),
                _(COLUMNS_HINT), line=header_line, col=1))
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
                    "I012", path, _("{automation} has figures for {month} on row {row} and "
                                    "for week {week} (whose Thursday is in {month}) here: the "
                                    "week would be counted twice; none of these rows is used "
                                    "(cell {cell})").format(
                                        automation=point.automation, month=month,
                                        row=month_row.line, week=point.weeks[0],
                                        cell=f"{column_letter(col)}{point.line}"),
                    line=point.line, col=col))
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
                "I002", path, _("column '{name}' appears twice (columns {first} and "
                                "{second})").format(name=name,
                                                    first=column_letter(columns[name] + 1),
                                                    second=column_letter(index + 1)),
                _("keep one of the two"), line=line, col=index + 1))
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
                "I002", path, _("column {letter} '{cell}' is not a column livingsys reads — "
                                "did you mean '{guess}'?").format(letter=letter, cell=cell,
                                                                  guess=guess),
                _("rename the column '{guess}'; {columns}").format(guess=guess,
                                                                   columns=_(COLUMNS_HINT)),
                line=line, col=index + 1))
        else:
            if guess:
                message = _("column {letter} '{cell}' is not read by livingsys — did you mean "
                            "'{guess}'? (that column exists already)")
            else:
                message = _("column {letter} '{cell}' is not read by livingsys")
            findings.append(_finding(
                "I011", path, message.format(letter=letter, cell=cell, guess=guess),
                _("keep notes elsewhere, or leave the column: it is ignored"), line=line,
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
            # Translators: "volume is missing (cell C7)".
            message = _("{message} (cell {cell})").format(message=message,
                                                          cell=f"{column_letter(col)}{line}")
        findings.append(_finding(code, path, message, hint, line=line, col=col or None))

    if len(cells) > width and any(c.strip() for c in cells[width:]):
        extra = ", ".join(f"'{c.strip()}'" for c in cells[width:] if c.strip())
        problem("I002", width + 1, _("this row has {count} cells but the first row names "
                                     "{width} columns (extra: {extra})").format(
                                         count=len(cells), width=width, extra=extra),
                _("a decimal comma in a comma-separated file splits the number in two: write "
                  "12.5, put the number in quotes (\"12,5\"), or save the file with ';' "
                  "separators"))

    automation, col_a = cell("automation")
    if not automation:
        problem("I010", col_a, _("the automation is missing"))
    elif automation not in known:
        guess = did_you_mean(automation, known)
        if guess:
            message = _("automation '{automation}' does not exist in automations/ — did you "
                        "mean '{guess}'?")
        else:
            message = _("automation '{automation}' does not exist in automations/")
        problem("I003", col_a, message.format(automation=automation, guess=guess),
                _("{hint}; if it was renamed, add `formerly: [{automation}]` to its file and "
                  "the row counts for it").format(hint=codes.get("I003").hint,
                                                  automation=automation))
    else:
        automation = known[automation]  # an old id: the automation's id now

    period_text, col_p = cell("period")
    period: Period | Week | None = None
    if not period_text:
        problem("I010", col_p, _("the period (month YYYY-MM, or week YYYY-Www) is missing"))
    else:
        try:
            period = parse_period(period_text)
        except ValueError:
            problem("I008", col_p, _("period '{period}' is not a month written YYYY-MM nor an "
                                     "ISO week written YYYY-Www").format(period=period_text))
        else:
            if isinstance(period, Week) and period.monday > today:
                problem("I008", col_p, _("week {week} is in the future (it starts on "
                                         "{monday}, today is {today})").format(
                                             week=period, monday=day(period.monday),
                                             today=day(today)),
                        _("figures of a week are entered once it has started; check the year "
                          "and the week number"))
                period = None
            elif isinstance(period, Period) and period > Period.of(today):
                problem("I008", col_p, _("period {period} is in the future (today is "
                                         "{today})").format(period=period, today=day(today)),
                        _("figures are entered once the month has started; check the year "
                          "and the month"))
                period = None

    def whole(name: str) -> int | None:
        text, col = cell(name)
        if not text:
            # Translators: {name} is the column, 'volume' or 'exceptions'.
            problem("I010", col, _("{name} is missing").format(name=name), None)
            return None
        value = _number(text)
        if _too_large(value):
            problem("I015", col, _("{name} {value} is too large for a month's figure (at most "
                                   "{limit})").format(name=name, value=_short(text),
                                                      limit=number(MAX_FIGURE)))
            return None
        if value is None or value != int(value):
            problem("I004", col, _("{name} should be a whole number, not '{text}'").format(
                name=name, text=text))
            return None
        if value < 0:
            problem("I005", col, _("{name} cannot be negative ({text})").format(name=name,
                                                                                text=text))
            return None
        return int(value)

    volume = whole("volume")
    exceptions = whole("exceptions")
    if volume is not None and exceptions is not None and exceptions > volume:
        if volume:
            message = _("exceptions ({exceptions}) are more than the volume ({volume}): the "
                        "exception rate would be {rate}")
        else:
            message = _("exceptions ({exceptions}) are more than the volume ({volume}): the "
                        "exception rate would be infinite")
        problem("I006", cell("exceptions")[1], message.format(
            exceptions=exceptions, volume=volume,
            rate=percent(exceptions / volume, 0) if volume else ""))

    hours_text, col_h = cell("time_saved_hours")
    hours: float | None = None
    if hours_text:
        hours = _number(hours_text)
        if _too_large(hours):
            problem("I015", col_h, _("{name} {value} is too large for a month's figure (at "
                                     "most {limit})").format(name="time_saved_hours",
                                                             value=_short(hours_text),
                                                             limit=number(MAX_FIGURE)))
            hours = None
        elif hours is None:
            problem("I004", col_h, _("time_saved_hours should be a number of hours, not "
                                     "'{text}'").format(text=hours_text))
        elif hours < 0:
            problem("I005", col_h, _("{name} cannot be negative ({text})").format(
                name="time_saved_hours", text=hours_text))

    satisfaction_text, col_s = cell("satisfaction")
    satisfaction: float | None = None
    if satisfaction_text:
        satisfaction = _number(satisfaction_text)
        if satisfaction is None:
            problem("I004", col_s, _("satisfaction should be a score from 1 to 5, not "
                                     "'{text}'").format(text=satisfaction_text),
                    codes.get("I007").hint)
        elif not 1 <= satisfaction <= 5:
            problem("I007", col_s, _("satisfaction {value} is not between 1 and 5").format(
                value=_short(satisfaction_text)))

    if automation in known and period is not None and (automation, period) in seen:
        written = cell("automation")[0]
        if written != automation:
            message = _("{automation} already has figures for {period} on row {row} (the row "
                        "names its old id '{written}')")
        else:
            message = _("{automation} already has figures for {period} on row {row}")
        problem("I009", col_p, message.format(automation=automation, period=period,
                                              row=seen[(automation, period)], written=written))

    # a missing period, volume or exceptions was reported above as an error
    if any(f.severity is Severity.ERROR for f in findings) or period is None or volume is None \
            or exceptions is None:
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
        return unreadable(_("indicators.csv is a folder, not a file"),
                          _("remove the folder and save the figures as {path}").format(
                              path=path))
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):  # reading a named pipe or a device never ends
            return unreadable(_("indicators.csv is not a regular file (a named pipe, socket "
                                "or device)"), _("save the figures as a CSV text file named "
                                                 "indicators.csv"))
        size = info.st_size
        if size > MAX_FILE_BYTES:
            return unreadable(_("the file is {size} bytes, more than the {limit} "
                                "allowed").format(size=number(size),
                                                  limit=number(MAX_FILE_BYTES)),
                              _("keep one row per automation and month; raw data belongs "
                                "elsewhere"))
        raw = file.read_bytes()
    except OSError as exc:
        return unreadable(_("cannot read the file: {why}").format(why=exc.strerror or exc),
                          _("check that the file exists and that you may read it"))
    text, findings = decode(raw, path)
    if text is None:
        return Indicators(path=path, readable=False), findings
    indicators, more = parse(text, known_automations, today=today, path=path)
    return indicators, findings + more

