"""`incidents/<YYYY-MM-DD>-<slug>.yaml`: something went wrong with an automation."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from livingsys.models.common import ClockTime, Id, Model, PersonId, Text


class Incident(Model):
    """An incident or a piece of negative feedback about an automation."""

    date: dt.date = Field(description="When it happened.")
    time: ClockTime | None = Field(
        None, description="At what time (HH:MM, e.g. 14:30): orders an incident on the day of "
        "a review before or after the meeting.")
    automation: Id = Field(description="The automation concerned.")
    summary: Text = Field(description="What happened, in a sentence.")
    severity: Literal["low", "medium", "high", "critical"] = Field(
        "medium", description="How bad it was for clients or the team.")
    reported_by: PersonId | None = Field(None, description="Who reported it.")
    status: Literal["open", "resolved"] = Field("open", description="Is it dealt with?")
    action_taken: str | None = Field(
        None, description="What was done: fixed, rule changed, paused... (not 'everything "
        "switched off in a panic').")
