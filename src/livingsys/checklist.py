"""The article's checklist (section 5), scored per automation.

"Before launching or extending an important automation, check:" eight items. Each is judged
from the automation file the same way the governance checks judge it (G005 flow drawn, G006
step kinds, G007 if/then, G002 business owner, G008/G009 exceptions, G010 guardrails, G011
review cadence, G012 incident channel), with the policy's parameters. The checklist stays the
article's whatever the policy switches off, and asks a little more than lint: every automation
needs some guardrail (lint asks for them only where it messages clients).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from livingsys.schedule import default_cadence, judge_cadence

if TYPE_CHECKING:
    from livingsys.models import Automation
    from livingsys.registry import Registry

#: key -> (short label, the article's wording)
ITEMS: dict[str, tuple[str, str]] = {
    "process_drawn": ("process drawn", "The process is clearly drawn (even on an A4 sheet)."),
    "steps_distinguished": ("automatic/human steps", "Automatic and human steps are clearly "
                            "distinguished."),
    "if_then_rules": ("if/then rules", "Business rules are written as if... then... and "
                      "shared."),
    "business_owner": ("business owner", "A business owner is identified for each "
                       "automation."),
    "exceptions_defined": ("exceptions defined", "The main exceptions are defined and "
                           "handled."),
    "guardrails": ("guardrails", "Guardrails exist (limits, notifications, human validation)."),
    "review_scheduled": ("review scheduled", "A review ritual is planned (at least quarterly, "
                         "ideally monthly)."),
    "incident_channel": ("incident channel", "Teams know how to report an incident or an "
                         "anomaly."),
}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    ok: bool
    #: Why it is not met, in plain words (None when met).
    why: str | None = None

    @property
    def label(self) -> str:
        return ITEMS[self.key][0]

    def to_dict(self) -> dict:
        return {"item": self.key, "label": self.label, "ok": self.ok, "why": self.why}


@dataclass(frozen=True)
class ChecklistScore:
    automation: str
    name: str
    status: str
    key: bool
    items: tuple[ChecklistItem, ...]

    @property
    def score(self) -> int:
        return sum(i.ok for i in self.items)

    @property
    def out_of(self) -> int:
        return len(self.items)

    @property
    def missing(self) -> list[ChecklistItem]:
        return [i for i in self.items if not i.ok]

    def to_dict(self) -> dict:
        return {"automation": self.automation, "name": self.name, "status": self.status,
                "key": self.key, "score": self.score, "out_of": self.out_of,
                "missing": [i.label for i in self.missing],
                "items": [i.to_dict() for i in self.items]}


def _policy_params(registry: "Registry") -> dict[str, dict]:
    """Each governance check's parameters under the policy, by code."""
    from livingsys.lint import resolve_policy

    runs, _ = resolve_policy(registry)
    return {r.check.code: r.params for r in runs}


def score(automation: "Automation", registry: "Registry", *,
          guardrails_required: list[str] | None = None,
          exceptions_range: tuple[int, int] = (1, 3),
          max_cadence: str = "quarterly") -> ChecklistScore:
    """The eight items for one automation."""
    settings = registry.settings.model if registry.settings else None
    items: list[ChecklistItem] = []

    def add(key: str, why: str | None) -> None:
        items.append(ChecklistItem(key, why is None, why))

    steps = automation.steps
    add("process_drawn", None if steps else "no steps listed")
    unkinded = [s.id for s in steps if s.kind is None]
    add("steps_distinguished",
        "no steps listed" if not steps else
        (f"step{'s' if len(unkinded) > 1 else ''} {', '.join(unkinded)} without kind"
         if unkinded else None))
    incomplete = [r.id for r in automation.rules if not (r.if_ and r.then)]
    add("if_then_rules", "no rules" if not automation.rules else
        (f"rule {', '.join(incomplete)} without if/then" if incomplete else None))

    people = registry.people
    owner = automation.owner
    person = people.get(owner) if people and owner else None
    if owner is None:
        why = "no owner"
    elif people is not None and person is None:
        why = f"owner '{owner}' is not in people.yaml"
    elif person is not None and person.kind != "business":
        why = f"owner {person.name} is {person.kind}, not business"
    else:
        why = None
    add("business_owner", why)

    low, high = exceptions_range
    count = len(automation.exceptions)
    unhandled = [e.id for e in automation.exceptions if not e.handled_by]
    if count < low:
        why = "no exceptions" if count == 0 else f"{count} exception(s), {low} expected"
    elif count > high:
        why = f"{count} exceptions, at most {high}"
    elif unhandled:
        why = f"no one handles {', '.join(unhandled)}"
    else:
        why = None
    add("exceptions_defined", why)

    guardrails = automation.guardrails
    present = [name for name in ("human_validation", "daily_cap", "notify_on_exception",
                                 "kill_switch") if getattr(guardrails, name) not in (None, "")]
    required = guardrails_required if guardrails_required is not None else [
        "daily_cap", "notify_on_exception"]
    lacking = [n for n in required if n not in present] if automation.sends_to_client else []
    if not present:
        why = "no guardrails"
    elif lacking:
        why = f"sends to clients without {', '.join(n.replace('_', ' ') for n in lacking)}"
    else:
        why = None
    add("guardrails", why)

    add("review_scheduled", judge_cadence(automation, default_cadence(registry),
                                          max_cadence).problem)

    channel = settings.incident_channel if settings else None
    add("incident_channel", None if channel else "livingsys.yaml names no incident channel")
    return ChecklistScore(automation.id, automation.name, automation.status, automation.key,
                          tuple(items))


def score_registry(registry: "Registry") -> list[ChecklistScore]:
    """Every valid automation that is not retired, worst score first (key automations first
    among equals)."""
    params = _policy_params(registry)
    required = params.get("G010", {}).get("required")
    g008 = params.get("G008", {})
    max_cadence = params.get("G011", {}).get("max_cadence", "quarterly")
    scores = [score(e.model, registry, guardrails_required=required,
                    exceptions_range=(g008.get("min", 1), g008.get("max", 3)),
                    max_cadence=max_cadence)
              for e in registry.valid_automations if e.model.status != "retired"]
    return sorted(scores, key=lambda s: (s.score, not s.key, s.automation))
