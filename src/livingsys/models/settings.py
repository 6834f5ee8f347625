"""`livingsys.yaml`: the organisation, how incidents are reported, review habits, policy."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from livingsys.models.common import Cadence, Model, PersonId, Text


class IncidentChannel(Model):
    """Where a team member reports a problem with an automation (article, days 9-10)."""

    kind: Literal["chat", "email", "form", "phone", "ticket", "other"] = Field(
        description="What kind of channel it is.")
    where: Text = Field(description="The channel itself: '#automation-incidents', an address, "
                        "a form's link.")
    description: str | None = Field(None, description="How to report, in a sentence.")


class ReviewHabits(Model):
    """How the monthly review meeting runs."""

    default_cadence: Cadence | None = Field(
        None, description="Cadence for automations that do not set their own (monthly or "
        "quarterly).")
    meeting_minutes: int = Field(45, ge=10, le=240, description="Length of the review meeting.")
    max_items: int = Field(3, ge=1, le=10,
                           description="Automations reviewed per meeting (the article: 2 or 3).")
    chair: PersonId | None = Field(
        None, description="The manager who chairs the review (a person of kind manager).")


class IndicatorSettings(Model):
    """When the monthly figures of indicators.csv make an automation due for review."""

    exception_rate_alert: float = Field(
        0.2, ge=0, le=1,
        description="Exception rate above which an automation is due for review, as a "
        "fraction: 0.2 means more than 20% of the cases had to be taken over by a person.")
    rising_months: int = Field(
        2, ge=1, le=12,
        description="An exception rate that went up this many months in a row (by half a "
        "point or more each month) also makes the automation due for review.")


class CheckSetting(Model):
    """How one governance check runs: on/off, severity, parameters."""

    model_config = Model.model_config | {"extra": "allow"}

    enabled: bool = Field(True, description="false switches the check off.")
    severity: Literal["error", "warning"] | None = Field(
        None, description="Overrides the check's default severity.")

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


#: The short forms `_shorthand` below accepts for a check's setting.
CHECK_SHORTHANDS = ("off", "on", "error", "warning")


def _checks_json_schema(schema: dict[str, Any]) -> None:
    """The JSON Schema of `checks` also accepts the short forms (G008: off, G010: warning)."""
    setting = schema.get("additionalProperties")
    if setting is not None:
        schema["additionalProperties"] = {"anyOf": [
            setting,
            {"enum": list(CHECK_SHORTHANDS), "type": "string"},
            {"type": "boolean"},
        ]}


class Policy(Model):
    """Governance policy: which checks run, how severe they are, their parameters."""

    checks: dict[str, CheckSetting] = Field(
        default_factory=dict,
        description="Per check (by code like G008 or name like exception-count): 'off', "
        "'error', 'warning', or a mapping with enabled, severity and the check's parameters.",
        json_schema_extra=_checks_json_schema)

    @field_validator("checks", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = {}
        for key, setting in value.items():
            if setting is False or setting == "off":
                setting = {"enabled": False}
            elif setting is True or setting == "on":
                setting = {"enabled": True}
            elif setting in ("error", "warning"):
                setting = {"severity": setting}
            out[key] = setting
        return out


class Settings(Model):
    """The registry's settings file, `livingsys.yaml`."""

    organisation: Text = Field(description="The company's name.")
    language: Literal["en", "fr"] = Field(
        "en", description="The language livingsys speaks for this registry: messages, hints, "
        "agenda, report, explanations (en: English, fr: French). A run can choose another "
        "with --lang or $LIVINGSYS_LANG.")
    incident_channel: IncidentChannel | None = Field(
        None, description="How teams report an incident or an anomaly of an automation.")
    review: ReviewHabits = Field(default_factory=ReviewHabits,
                                 description="How reviews are run.")
    policy: Policy = Field(default_factory=Policy, description="Governance policy for lint.")
    indicators: IndicatorSettings = Field(
        default_factory=IndicatorSettings,
        description="Alert thresholds for the figures of indicators.csv (exception rate).")
