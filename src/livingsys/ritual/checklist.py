"""The article's checklist (section 5), scored per automation from lint's own results.

"Before launching or extending an important automation, check:" eight items. Each item is
backed by governance checks (:data:`ITEMS`), and it is met when, for that automation:

- those checks report no finding, errors and warnings alike (a check lowered to a warning
  still fails the item while it reports something); and
- none of them is silenced: switched off or given a looser parameter in the policy, or waived
  for this automation (:mod:`livingsys.checks.silenced`). Such an item is shown as "silenced (G010
  off in policy)", never as met: the policy may quiet lint, not the article.

There is no second implementation of the checks here: the checklist reads the same
:class:`~livingsys.checks.lint.LintReport` that `livingsys lint` prints. (Until 0.1 the checklist
judged the files itself and asked "a little more" than G010: some guardrail on every
automation, even one that messages nobody. That extra was dropped: guardrails are asked where
the automation acts on the outside, as G010 says; a way to stop every automation is the kill
switch, which the article's days 7-8 ask for and which a check of its own asks for.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from livingsys.i18n import N_, _, ngettext, pgettext

if TYPE_CHECKING:
    from livingsys.checks.lint import LintReport
    from livingsys.findings import Finding
    from livingsys.models import Automation
    from livingsys.reading.registry import Entry, Registry

#: key -> (short label, the article's wording, the checks behind it); both texts are
#: translated where they are read (the French is the article's own). "G003@owner" is G003's
#: finding on the automation's `owner:` line only (an unknown owner), not on other people.
ITEMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "process_drawn": (N_("process drawn"),
                      N_("The process is clearly drawn (even on an A4 sheet)."), ("G005",)),
    "steps_distinguished": (N_("automatic/human steps"),
                            N_("Automatic and human steps are clearly distinguished."),
                            ("G005", "G006")),
    "if_then_rules": (N_("if/then rules"),
                      N_("Business rules are written as if... then... and shared."),
                      ("G007",)),
    "business_owner": (N_("business owner"),
                       N_("A business owner is identified for each automation."),
                       ("G002", "G003@owner")),
    "exceptions_defined": (N_("exceptions defined"),
                           N_("The main exceptions are defined and handled."),
                           ("G008", "G009")),
    "guardrails": (N_("guardrails"),
                   N_("Guardrails exist (limits, notifications, human validation)."),
                   ("G010",)),
    "review_scheduled": (N_("review scheduled"),
                         N_("A review ritual is planned (at least quarterly, ideally "
                            "monthly)."), ("G011",)),
    "incident_channel": (N_("incident channel"),
                         N_("Teams know how to report an incident or an anomaly."),
                         ("G012",)),
}
#: Checks that also report in livingsys.yaml, and the automations such a finding concerns:
#: no incident channel concerns every automation; a default cadence that is too long, those
#: that set no cadence of their own.
REGISTRY_WIDE: dict[str, Callable[[Automation], bool]] = {
    "G012": lambda automation: True,
    "G011": lambda automation: automation.review.cadence is None,
}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    ok: bool
    #: Why it is not met, in plain words (None when met).
    why: str | None = None
    #: True when it is not met because a check behind it is silenced (off, loosened, waived).
    silenced: bool = False

    @property
    def label(self) -> str:
        """The item in a few words, in the language spoken."""
        return _(ITEMS[self.key][0])

    @property
    def text(self) -> str:
        """The item as the article words it (in French, the article's own sentence)."""
        return _(ITEMS[self.key][1])

    @property
    def checks(self) -> list[str]:
        return [c.split("@")[0] for c in ITEMS[self.key][2]]

    def to_dict(self) -> dict:
        return {"item": self.key, "label": self.label, "ok": self.ok, "why": self.why,
                "silenced": self.silenced, "checks": list(dict.fromkeys(self.checks))}


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
        """Items not met because a check reports something."""
        return [i for i in self.items if not i.ok and not i.silenced]

    @property
    def silenced(self) -> list[ChecklistItem]:
        """Items not counted as met because a check behind them is silenced."""
        return [i for i in self.items if i.silenced]

    def to_dict(self) -> dict:
        return {"automation": self.automation, "name": self.name, "status": self.status,
                "key": self.key, "score": self.score, "out_of": self.out_of,
                "missing": [i.label for i in self.missing],
                "silenced": [i.label for i in self.silenced],
                "items": [i.to_dict() for i in self.items]}


def _findings_by_automation(lint: LintReport) -> tuple[dict[str, list[Finding]],
                                                         list[Finding]]:
    """Each automation file's findings (by path), and those reported in livingsys.yaml."""
    by_path: dict[str, list[Finding]] = {}
    registry_wide: list[Finding] = []
    settings = lint.registry.settings
    for finding in lint.findings:
        if finding.code in REGISTRY_WIDE and (finding.path is None or settings is not None
                                              and finding.path == settings.path):
            registry_wide.append(finding)
        elif finding.path:
            by_path.setdefault(finding.path, []).append(finding)
    return by_path, registry_wide


def _backs(spec: str, finding: Finding, entry: Entry) -> bool:
    code, _sep, at = spec.partition("@")
    if finding.code != code:
        return False
    if not at:
        return True
    position = entry.position((at,))
    return position is not None and finding.line == position[0]


def _short(finding: Finding, automation: str) -> str:
    """A finding's message without the 'automation 'x' ' it starts with."""
    message = " ".join(finding.message.split())
    # the check's message is in the language spoken; the English one is tried too
    start = pgettext("how the message of a check about one automation starts",
                     "automation '{id}'")
    for prefix in dict.fromkeys([start.format(id=automation) + " ",
                                 f"automation '{automation}' "]):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def score(entry: Entry[Automation], automation: Automation, lint: LintReport,
          findings: list[Finding], registry_wide: list[Finding]) -> ChecklistScore:
    """The eight items for one automation (``entry``'s valid model), from its findings in
    ``lint``."""
    items: list[ChecklistItem] = []
    for key, (_label, _text, specs) in ITEMS.items():
        codes = list(dict.fromkeys(s.split("@")[0] for s in specs))
        pool = findings + [f for f in registry_wide
                           if f.code in codes and REGISTRY_WIDE[f.code](automation)]
        hits = [f for f in pool if any(_backs(s, f, entry) for s in specs)]
        if hits:
            why = _short(hits[0], automation.id)
            if len(hits) > 1:
                more = len(hits) - 1
                why = ngettext("{why} (and {n} more)", "{why} (and {n} more)", more).format(
                    why=why, n=more)
            items.append(ChecklistItem(key, False, why))
            continue
        reasons = [r for code in codes if (r := lint.silenced.why(automation.id, code))]
        if reasons:
            items.append(ChecklistItem(key, False, _("silenced ({reasons})").format(
                reasons="; ".join(reasons)), silenced=True))
        else:
            items.append(ChecklistItem(key, True))
    return ChecklistScore(automation.id, automation.name, automation.status, automation.key,
                          tuple(items))


def score_registry(registry: Registry, lint: LintReport | None = None
                   ) -> list[ChecklistScore]:
    """Every valid automation that is not retired, worst score first (key automations first
    among equals), from ``lint`` (the registry's lint report; run here when not given)."""
    if lint is None:
        import datetime as dt

        from livingsys.checks.lint import run_checks

        lint = run_checks(registry, dt.date.today())
    from livingsys.reading.registry import with_models

    by_path, registry_wide = _findings_by_automation(lint)
    scores = [score(e, a, lint, by_path.get(e.path, []), registry_wide)
              for e, a in with_models(registry.automations) if a.status != "retired"]
    return sorted(scores, key=lambda s: (s.score, not s.key, s.automation))
