"""`people.yaml`: who is who."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from livingsys.models.common import Model, PersonId, Text

PersonKind = Literal["business", "technical", "manager"]


class Person(Model):
    """Someone who owns, maintains, validates or reviews automations."""

    id: PersonId = Field(description="Short id used everywhere else, e.g. c.moreau.")
    name: Text = Field(description="Full name.")
    kind: PersonKind = Field(
        description="business (answers for the business result), technical (configures the "
        "tools, internal or agency) or manager (chairs reviews, validates sensitive cases).")
    role: str | None = Field(None, description="Job title or team.")
    contact: str | None = Field(None, description="Email, phone or chat handle.")


class People(Model):
    """The people file."""

    people: list[Person] = Field(description="Everyone the registry refers to.")
