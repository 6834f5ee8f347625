"""`export`: the tracking sheet of the article's days 9-10, as CSV or XLSX.

"Create a simple tracking file with the list of the automations of the perimeter, the business
owner, the three key indicators." One row per automation: who owns and maintains it, its last
and next review, whether a review is due now and why (``review_due``, with git history when it
can be read), and last month's volume, exception rate, time saved and satisfaction with the
exception rate's trend. The XLSX workbook adds one sheet per month of indicators.csv.

:func:`build_tracking` makes a plain :class:`TrackingSheet`; :func:`to_csv` and :func:`to_xlsx`
turn it into a file's content. openpyxl is imported only by :func:`to_xlsx`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livingsys import i18n
from livingsys.i18n import N_, _, pgettext
from livingsys.neutral import for_spreadsheet
from livingsys.reading.indicators import Period, Point, Trend
from livingsys.reading.registry import INDICATORS_FILE, Registry, as_registry, with_models
from livingsys.ritual.review_due import review_due_or_without_history
from livingsys.ritual.schedule import review_schedule


@dataclass(frozen=True)
class Column:
    key: str
    #: Header of the XLSX sheet, translated where it is written (CSV headers are the keys in
    #: English, these labels in another language).
    label: str
    #: text, int, date, percent, hours, score or bool — how the value is written.
    kind: str = "text"


TRACKING_COLUMNS = (
    Column("id", N_("Automation")),
    Column("name", N_("Name")),
    Column("status", N_("Status")),
    Column("owner", N_("Business owner")),
    Column("maintainer", N_("Maintainer")),
    Column("key", N_("Key"), "bool"),
    Column("cadence", N_("Review cadence")),
    Column("last_review", N_("Last review"), "date"),
    Column("next_review", N_("Next review due"), "date"),
    Column("review_due", N_("Review due now"), "bool"),
    Column("review_why", N_("Why a review is due")),
    Column("period", N_("Figures of")),
    Column("volume", N_("Volume"), "int"),
    Column("exception_rate", N_("Exception rate"), "percent"),
    Column("time_saved_hours", N_("Time saved (h)"), "hours"),
    Column("satisfaction", N_("Satisfaction (1-5)"), "score"),
    Column("trend", N_("Exception rate trend")),
)

MONTH_COLUMNS = (
    Column("id", N_("Automation")),
    Column("name", N_("Name")),
    Column("volume", N_("Volume"), "int"),
    Column("exceptions", N_("Exceptions"), "int"),
    Column("exception_rate", N_("Exception rate"), "percent"),
    Column("time_saved_hours", N_("Time saved (h)"), "hours"),
    Column("satisfaction", N_("Satisfaction (1-5)"), "score"),
)


@dataclass
class TrackingSheet:
    organisation: str
    as_of: dt.date
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: Each month's rows, newest month first.
    months: list[tuple[Period, list[dict[str, Any]]]] = field(default_factory=list)
    #: Why there are no figures, when there are none (None otherwise).
    note: str | None = None
    #: Why the reviews due were read without git history (None when it was read).
    history_note: str | None = None
    columns: tuple[Column, ...] = TRACKING_COLUMNS
    month_columns: tuple[Column, ...] = MONTH_COLUMNS


def _person(registry: Registry, person_id: str | None) -> str | None:
    if person_id is None:
        return None
    people = registry.people or {}
    return people[person_id].name if person_id in people else person_id


def _figures(point: Point | None) -> dict[str, Any]:
    if point is None:
        return {"period": None, "volume": None, "exceptions": None, "exception_rate": None,
                "time_saved_hours": None, "satisfaction": None}
    rate = point.exception_rate
    return {"period": str(point.period), "volume": point.volume, "exceptions": point.exceptions,
            "exception_rate": round(rate, 4) if rate is not None else None,
            "time_saved_hours": point.time_saved_hours, "satisfaction": point.satisfaction}


def _trend(trend: Trend) -> str:
    """'up +2.8 pt' / 'hausse +2,8 pt'."""
    from livingsys.ritual.report import describe_change

    words = {"up": pgettext("an indicator's trend", "up"),
             "down": pgettext("an indicator's trend", "down"),
             "flat": pgettext("an indicator's trend", "flat")}
    return _("{direction} {change}").format(direction=words[trend.direction],
                                            change=describe_change(trend))


def build_tracking(registry: Registry | Path | str, as_of: dt.date | None = None
                   ) -> TrackingSheet:
    """The tracking sheet of the registry as of ``as_of`` (default today): reviews after it
    and figures of later months are left out."""
    as_of = as_of or dt.date.today()
    registry = as_registry(registry)
    settings = registry.settings.model if registry.settings else None
    sheet = TrackingSheet(settings.organisation if settings else registry.root.name, as_of)
    schedule = review_schedule(registry, as_of)
    due, sheet.history_note = review_due_or_without_history(registry, as_of)
    figures = registry.indicators.until(Period.of(as_of)) if registry.indicators else None
    if registry.indicators is None:
        sheet.note = _("no indicators yet: add {path} (see `livingsys help "
                       "indicators`)").format(path=registry.display(INDICATORS_FILE))
    elif not figures or not figures.rows:
        sheet.note = _("{path} has no usable figures (run `livingsys lint`)").format(
            path=registry.display(INDICATORS_FILE))
    names = {}
    for _entry, automation in with_models(registry.automations):
        names[automation.id] = automation.name
        item = schedule.get(automation.id)
        reviewed = due.get(automation.id)
        if reviewed is not None:
            item = reviewed.schedule  # follows renames through git history
        series = figures.for_automation(automation.id) if figures else None
        trend = series.trend("exception_rate") if series else None
        row = {
            "id": automation.id, "name": automation.name, "status": automation.status,
            "owner": _person(registry, automation.owner),
            "maintainer": _person(registry, automation.maintainer),
            "key": automation.key,
            "cadence": item.cadence if item else None,
            "last_review": item.last_review if item else None,
            "next_review": item.next_due if item else None,
            "review_due": reviewed.due if reviewed is not None else False,
            "review_why": reviewed.summary() if reviewed is not None and reviewed.due
            else None,
            **_figures(series.last if series else None),
            "trend": _trend(trend) if trend else None,
        }
        sheet.rows.append(row)
    if figures:
        for period in reversed(figures.periods):
            rows = []
            for automation_id, series in figures.series.items():
                point = series.get(period)
                if point is not None:
                    rows.append({"id": automation_id, "name": names.get(automation_id),
                                 **_figures(point)})
            sheet.months.append((period, rows))
    return sheet


# --------------------------------------------------------------------------------------------
# CSV


def _yes_no(value: bool) -> str:
    return pgettext("a cell of the tracking sheet", "yes") if value else pgettext(
        "a cell of the tracking sheet", "no")


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return _yes_no(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}" if kind != "percent" else f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return str(value)
    return for_spreadsheet(str(value))


def to_csv(sheet: TrackingSheet) -> str:
    """The Tracking sheet as CSV: comma-separated, UTF-8, one header row (the column keys in
    English, the columns' labels in another language), exception rates as fractions (0.137),
    dates YYYY-MM-DD."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key if i18n.language() == "en" else _(c.label) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_value(row.get(c.key), c.kind) for c in sheet.columns])
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# XLSX

_FORMATS = {"date": "yyyy-mm-dd", "percent": "0.0%", "hours": "0.0", "score": "0.0",
            "int": "0"}


def _fill_sheet(ws, columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    labels = [_(c.label) for c in columns]
    ws.append(labels)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5EE")
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        values = []
        for c in columns:
            value = row.get(c.key)
            if c.kind == "bool" and value is not None:
                value = _yes_no(value)
            values.append(for_spreadsheet(value, typed=True))
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with '=': never a formula
    for index, column in enumerate(columns, start=1):
        number_format = _FORMATS.get(column.kind)
        if column.kind == "date" and i18n.language() == "fr":
            number_format = "dd/mm/yyyy"
        if number_format:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        shown = [len(labels[index - 1])] + [len(_csv_value(r.get(column.key), column.kind))
                                       for r in rows]
        ws.column_dimensions[get_column_letter(index)].width = min(max(shown) + 3, 50)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"


def to_xlsx(sheet: TrackingSheet) -> bytes:
    """The workbook: a 'Tracking' sheet, then one sheet per month (newest first), each with a
    bold, frozen header row, fitted column widths, filters and percent formats."""
    from openpyxl import Workbook

    workbook = Workbook()
    tracking = workbook.worksheets[0]  # the sheet a new workbook starts with
    tracking.title = pgettext("the name of a sheet of the workbook", "Tracking")
    _fill_sheet(tracking, sheet.columns, sheet.rows)
    for period, rows in sheet.months:
        _fill_sheet(workbook.create_sheet(i18n.month(period.first_day)), sheet.month_columns,
                    rows)
    organisation = for_spreadsheet(sheet.organisation, typed=True)
    workbook.properties.title = _("{organisation} — automation tracking sheet as of "
                                  "{day}").format(organisation=organisation,
                                                  day=i18n.day(sheet.as_of))
    workbook.properties.creator = "livingsys"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
