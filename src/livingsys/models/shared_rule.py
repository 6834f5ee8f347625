"""`rules/<id>.yaml`: a key business rule shared by several automations (article, rule 3)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from livingsys.models.common import Id, Model, PersonId, Text

Scalar = int | float | bool | str


class SharedRule(Model):
    """A key business rule. Changing it makes every automation that uses it due for review."""

    id: Id = Field(description="Same as the file name without .yaml.")
    name: Text = Field(description="Short name of the rule.")
    statement: Text = Field(description="The rule in plain words, as 'if ... then ...'.")
    owner: PersonId | None = Field(None, description="Who decides this rule (business side).")
    parameters: dict[str, Scalar] = Field(
        default_factory=dict,
        description="The values automations depend on, e.g. amount_threshold_eur: 5000.")
    since: dt.date | None = Field(None, description="Date the current version took effect.")
    source: str | None = Field(None, description="Where the rule is decided or written down.")
