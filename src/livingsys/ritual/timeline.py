"""Which came first: an incident or the review meeting, a month of figures or the review.

Dates alone cannot order an incident logged on the day of a review, nor tell which months of
indicators.csv a meeting has already looked at. The rules, in one place (docs/reviews.md,
"Incidents and figures on the review's day"):

**Incidents.** An incident dated before the review's day was known to the meeting; one dated
after is new. One dated *on* the review's day is ordered by, in this order:

1. the ``time:`` (HH:MM) written in both the incident and the minutes: an incident at the
   same minute as the meeting or later is after it;
2. else git, when the history is read: the incident is before the review when its file was in
   the registry commit the meeting looked at (the minutes' ``registry_commit``, or for minutes
   written by hand the commit that added them), after it when it was not;
3. else it counts as **after** the review: it is shown at the next review rather than never.

**Figures.** A review has seen the periods of indicators.csv that *ended before its day*: the
review of 2026-11-18 has seen October 2026 and every month before, not November (the month was
not over, its figures were not in yet). An exception-rate alert whose newest month the last
review has seen was discussed there: it is not a reason to review again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from livingsys.i18n import N_, _

if TYPE_CHECKING:
    from livingsys.models import Incident, Review
    from livingsys.reading.indicators import Period

#: How an incident on the review's day was put before or after it.
OrderBasis = Literal["date", "time", "git", "same-day"]

ORDER_WORDS: dict[str, str] = {
    "time": N_("by the times written in the incident and in the minutes"),
    "git-after": N_("by git: the incident file was not in the registry commit the meeting "
                    "looked at"),
    "git-before": N_("by git: the incident file was in the registry commit the meeting looked "
                     "at"),
    "same-day": N_("logged on the review's day, without times to tell: counted as after it"),
}


def incident_order(incident: Incident, incident_rel: str, review: Review,
                   in_review_commit: Callable[[str], bool | None] | None = None
                   ) -> tuple[bool, OrderBasis]:
    """(whether ``incident`` comes after ``review``, how that was decided).

    ``in_review_commit(rel)`` says whether the file ``rel`` was in the registry commit the
    meeting looked at (None: cannot tell, e.g. minutes not committed yet); without it (no git
    history) only the times can order an incident on the review's day."""
    if incident.date != review.date:
        return incident.date > review.date, "date"
    if incident.time and review.time:
        return incident.time >= review.time, "time"
    if in_review_commit is not None:
        seen = in_review_commit(incident_rel)
        if seen is not None:
            return not seen, "git"
    return True, "same-day"


def describe_order(after: bool, basis: OrderBasis) -> str | None:
    """The plain words for an incident on the review's day (None for other days)."""
    if basis == "date":
        return None
    if basis == "git":
        return _(ORDER_WORDS["git-after" if after else "git-before"])
    return _(ORDER_WORDS[basis])


def period_end(period: Period) -> dt.date:
    """The last day of a month of figures."""
    return dt.date(period.year, period.month,
                   calendar.monthrange(period.year, period.month)[1])


def seen_by_review(period: Period, review_day: dt.date | None) -> bool:
    """Whether a review on ``review_day`` has seen the figures of ``period``: the period
    ended before that day (never reviewed: nothing seen)."""
    return review_day is not None and period_end(period) < review_day


__all__ = ["describe_order", "incident_order", "period_end", "seen_by_review"]
