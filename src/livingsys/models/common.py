"""Pieces shared by every file kind: the strict base model and the identifier types."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,79}$"
PERSON_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An identifier that is also a file name: lowercase letters, digits, '-' and '_'."""

PersonId = Annotated[str, StringConstraints(pattern=PERSON_ID_PATTERN)]
"""A person's id in people.yaml: lowercase letters, digits, '.', '-' and '_' (e.g. c.moreau)."""

FactName = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]{0,63}$")]
"""A fact's name as used in conditions: lowercase letters, digits and '_'."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Plain words, never empty."""

ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"),
                     AfterValidator(lambda text: text.zfill(5))]
"""A time of day, H:MM or HH:MM (24 hours, local time), e.g. 14:30; kept as HH:MM."""

Cadence = Literal["monthly", "quarterly", "semiannual", "yearly"]
CADENCE_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}


class Model(BaseModel):
    """Base of every registry model: unknown keys are errors, fields are documented."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        validate_default=False,
        frozen=False,
    )
