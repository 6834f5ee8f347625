"""`reviews/<YYYY-MM-DD>.yaml`: minutes of a review meeting."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from livingsys.models.common import ClockTime, Id, Model, PersonId, Text

CommitId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{7,64}$")]
"""A git commit id (full or abbreviated, lowercase hexadecimal)."""


class StandingAnswers(Model):
    """The three questions the article asks at every review."""

    rules_changed: Text = Field(description="Have the business rules changed?")
    incidents: Text = Field(description="Were there incidents or negative feedback?")
    simplify: Text = Field(description="Can a step be simplified or a special case removed?")


class Action(Model):
    """A follow-up decided in the meeting."""

    what: Text = Field(description="What to do.")
    who: PersonId = Field(description="Who does it.")
    due: dt.date | None = Field(None, description="By when.")


class Absence(Model):
    """Someone expected at the meeting who was not there, and why."""

    person: PersonId = Field(description="Who was absent (an id of people.yaml).")
    reason: Text = Field(description="Why, and how their view was taken into account: 'on "
                         "leave; answered the three questions by email'.")


class ReviewedAutomation(Model):
    """What the meeting said about one automation."""

    id: Id = Field(description="The automation reviewed.")
    owner: PersonId | None = Field(
        None, description="Its business owner at the time of the meeting (written by `review "
        "record`). Lint checks the attendance against it; without it, against the automation "
        "file's owner, for the automation's latest minutes only.")
    maintainer: PersonId | None = Field(
        None, description="Its maintainer at the time of the meeting (written by `review "
        "record`), like owner.")
    answers: StandingAnswers = Field(description="Answers to the three standing questions.")
    decisions: list[Text] = Field(default_factory=list, description="What was decided.")
    actions: list[Action] = Field(default_factory=list, description="Follow-ups.")


class Review(Model):
    """Minutes of one review meeting."""

    date: dt.date = Field(description="Date of the meeting; also the file name.")
    time: ClockTime | None = Field(
        None, description="When the meeting started (HH:MM, e.g. 10:00): an incident of the same "
        "day with an earlier time was known to it, a later one is new.")
    registry_commit: CommitId | None = Field(
        None, description="The registry commit the meeting looked at, written by `livingsys "
        "review record`. `review-due` compares each automation with its version at this "
        "commit; without it, with the version at the commit that added these minutes.")
    attendees: list[PersonId] = Field(min_length=1, description="Who attended.")
    absent: list[Absence] = Field(
        default_factory=list, description="The business owner or maintainer of an automation "
        "reviewed who was not there, each with the reason (the article: the meeting brings "
        "together the business representative and the person who configured it).")
    automations: list[ReviewedAutomation] = Field(
        min_length=1, description="The automations reviewed (the article: 2 or 3).")
    notes: str | None = Field(None, description="Anything else worth keeping.")
