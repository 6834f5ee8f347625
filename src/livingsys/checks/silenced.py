"""Silenced governance: what the policy switches off, lowers or loosens, and the waivers in force.

A governance tool is only worth its green. A registry can be green because its automations
follow the article, or because someone wrote `G001: off` in the policy or a waiver of G001
until 2099. :func:`silenced` computes, in one place, everything that makes a check quieter than
the article's default, as a plain :class:`Silenced` object; `lint` (its summary line, JSON,
SARIF, GitHub annotations), `report`, `agenda` and the checklist all take this object, so none
of them can forget a silenced check or describe it differently:

- a check switched **off** in livingsys.yaml's policy;
- a check **lowered** from error to warning (its findings no longer fail lint);
- a parameter **loosened** (a bigger maximum, a longer cadence, fewer guardrails required...;
  each :class:`~livingsys.checks.base.Param` says which way is looser) or **changed** when the
  direction cannot be told; a parameter made stricter silences nothing and is not listed;
- each **waiver in force** (not expired, naming a check a waiver can silence): which
  automation, which check, the reason, who approved it (name and kind) and until when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from livingsys import i18n
from livingsys.checks.policy import plain
from livingsys.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from livingsys.checks.base import Param
    from livingsys.checks.policy import CheckRun
    from livingsys.reading.registry import Registry


def _separator() -> str:
    """'; ' between the parts of a sentence that lists them (' ; ' in French)."""
    return pgettext("between the parts of a list", "; ")


def _location(path: str | None, line: int | None, col: int | None, fallback: str) -> str:
    """'path:line:col' as editors link it, the path alone, or ``fallback`` without a path."""
    if not path:
        return fallback
    return f"{path}:{line}:{col or 1}" if line else path


@dataclass(frozen=True)
class PolicyChange:
    """One check made quieter by livingsys.yaml's policy."""

    code: str
    name: str
    title: str
    #: "off", "lowered" (error -> warning), "loosened" or "changed" (a parameter).
    kind: str
    #: What the policy says, in a few words: "off in policy", "max 3 → 5 in policy".
    detail: str
    path: str | None = None
    line: int | None = None
    col: int | None = None
    #: The article's numbered rule the check enforces (1, 2, 3), if any.
    article_rule: int | None = None

    @property
    def location(self) -> str:
        return _location(self.path, self.line, self.col, "livingsys.yaml")

    def describe(self) -> str:
        """'G001 off in policy'."""
        return f"{self.code} {self.detail}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "title": self.title, "kind": self.kind,
                "detail": self.detail, "path": self.path, "line": self.line, "col": self.col,
                "article_rule": self.article_rule}


@dataclass(frozen=True)
class ActiveWaiver:
    """A waiver in force: it silences one check for one automation until it expires."""

    automation: str
    code: str
    name: str
    reason: str
    approved_by: str
    #: The approver's name and kind from people.yaml (None when not listed there).
    approver_name: str | None
    approver_kind: str | None
    expires: dt.date
    #: Days from today to its expiry (0 on its last day).
    days_left: int
    path: str | None = None
    line: int | None = None
    col: int | None = None
    article_rule: int | None = None

    @property
    def location(self) -> str:
        return _location(self.path, self.line, self.col, self.automation)

    @property
    def approver(self) -> str:
        """'Max Boss (manager)', or the id as written when the person is not in people.yaml."""
        if self.approver_name is None:
            return _("{id} (not in people.yaml)").format(id=self.approved_by)
        return f"{self.approver_name} ({self.approver_kind})"

    def short(self) -> str:
        """'G010 waived until 2027-01-31 by Max Boss (manager)'."""
        return _("{code} waived until {date} by {approver}").format(
            code=self.code, date=i18n.day(self.expires), approver=self.approver)

    def describe(self) -> str:
        """'G010 waived for reminders until 2027-01-31 by Max Boss (manager): the reason'."""
        reason = " ".join(self.reason.split())
        return _("{code} waived for {automation} until {date} by {approver}: {reason}").format(
            code=self.code, automation=self.automation, date=i18n.day(self.expires),
            approver=self.approver, reason=reason)

    def to_dict(self) -> dict[str, Any]:
        return {"automation": self.automation, "code": self.code, "name": self.name,
                "reason": " ".join(self.reason.split()), "approved_by": self.approved_by,
                "approver_name": self.approver_name, "approver_kind": self.approver_kind,
                "expires": self.expires.isoformat(), "days_left": self.days_left,
                "path": self.path, "line": self.line, "col": self.col,
                "article_rule": self.article_rule}


@dataclass
class Silenced:
    """Everything that makes governance quieter than the article's defaults."""

    policy: list[PolicyChange] = field(default_factory=list)
    waivers: list[ActiveWaiver] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.policy or self.waivers)

    @property
    def count(self) -> int:
        return len(self.policy) + len(self.waivers)

    def why(self, automation: str, code: str) -> str | None:
        """Why check ``code`` is silenced for ``automation`` ('G010 off in policy', 'G010
        waived until ... by ...'), or None when it runs as the article asks."""
        reasons = [c.describe() for c in self.policy if c.code == code and c.kind != "lowered"]
        reasons += [w.short() for w in self.waivers
                    if w.code == code and w.automation == automation]
        return _separator().join(reasons) or None

    def lines(self) -> list[str]:
        """One plain sentence per silenced item, policy first."""
        return ([f"{c.describe()} ({c.location})" for c in self.policy]
                + [f"{w.describe()} ({w.location})" for w in self.waivers])

    def summary(self) -> str:
        """One short line: 'G001 off in policy; 1 waiver in force (G010 for reminders)'."""
        parts = [c.describe() for c in self.policy]
        if self.waivers:
            shown = ", ".join(_("{code} for {automation}").format(code=w.code,
                                                                  automation=w.automation)
                              for w in self.waivers[:3])
            more = (_(", {n} more").format(n=len(self.waivers) - 3) if len(self.waivers) > 3
                    else "")
            count = len(self.waivers)
            parts.append(ngettext("{n} waiver in force ({shown}{more})",
                                  "{n} waivers in force ({shown}{more})", count).format(
                                      n=count, shown=shown, more=more))
        return _separator().join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"policy": [c.to_dict() for c in self.policy],
                "waivers": [w.to_dict() for w in self.waivers]}


# --------------------------------------------------------------------------------------------


def direction(param: Param, value: Any) -> str | None:
    """How a policy's ``value`` compares with the parameter's default: "looser", "stricter",
    "changed" (direction unknown) or None (the same)."""
    default = param.default
    if isinstance(default, list):
        if isinstance(value, list) and set(map(str, value)) == set(map(str, default)):
            return None
    elif value == default:
        return None
    looser = param.looser
    if looser in ("higher", "lower"):
        before: float
        after: float
        try:
            if param.choices:
                before, after = param.choices.index(default), param.choices.index(value)
            else:
                before, after = float(default), float(value)
        except (ValueError, TypeError):
            return "changed"
        if before == after:
            return None
        return "looser" if (after > before) == (looser == "higher") else "stricter"
    if looser in ("fewer", "more") and isinstance(value, list):
        old, new = set(map(str, default)), set(map(str, value))
        if looser == "fewer":
            return "looser" if old - new else "stricter"
        return "looser" if new - old else "stricter"
    return "changed"


def _policy_changes(registry: Registry, runs: list[CheckRun]) -> list[PolicyChange]:
    from livingsys.findings import Severity

    settings = registry.settings
    out: list[PolicyChange] = []

    def where(key: str | None, *extra: str) -> tuple[str | None, int | None, int | None]:
        if settings is None or key is None:
            return None, None, None
        position = settings.position(("policy", "checks", key, *extra), key=True)
        line, col = position if position else (None, None)
        return settings.path, line, col

    for run in runs:
        check = type(run.check)

        def change(kind: str, detail: str, *extra: str, run=run, check=check) -> None:
            path, line, col = where(run.key, *extra)
            out.append(PolicyChange(check.code, check.name, _(check.title), kind, detail,
                                    path, line, col, check.article_rule))

        if not run.enabled:
            change("off", _("off in policy"))
            continue
        if check.severity is Severity.ERROR and run.severity is Severity.WARNING:
            change("lowered", _("lowered from error to warning in policy"))
        for name, param in check.params.items():
            value = run.params.get(name, param.default)
            way = direction(param, value)
            if way in ("looser", "changed"):
                said = (_("loosened in policy: {name} {old} → {new}") if way == "looser" else
                        _("changed in policy: {name} {old} → {new}"))
                change("loosened" if way == "looser" else "changed", said.format(
                    name=name, old=plain(param.default), new=plain(value)), name)
    out += _settings_changes(registry)
    return sorted(out, key=lambda c: c.code)


def _settings_changes(registry: Registry) -> list[PolicyChange]:
    """Settings outside the policy that loosen a check: review.max_items above the article's
    3 (G027: "2 to 3 key automations, no more")."""
    from livingsys.checks.base import find
    from livingsys.reading.reviews import DEFAULT_MAX_ITEMS

    settings = registry.settings
    if settings is None or settings.model is None:
        return []
    limit = settings.model.review.max_items
    check = find("G027")
    if check is None or limit <= DEFAULT_MAX_ITEMS:
        return []
    position = settings.position(("review", "max_items"), key=True)
    line, col = position if position else (None, None)
    return [PolicyChange(check.code, check.name, check.title, "loosened",
                         _("loosened in livingsys.yaml: review.max_items {old} → {new}").format(
                             old=DEFAULT_MAX_ITEMS, new=limit),
                         settings.path, line, col, check.article_rule)]


def active_waivers(registry: Registry, today: dt.date) -> list[ActiveWaiver]:
    """Every waiver in force on ``today`` that names a check a waiver can silence."""
    from livingsys.checks.base import find
    from livingsys.reading.registry import with_models

    people = registry.people or {}
    out: list[ActiveWaiver] = []
    for entry, automation in with_models(registry.valid_automations):
        for i, waiver in enumerate(automation.waivers):
            check = find(waiver.check)
            if (check is None or check.group != "governance" or check.not_waivable
                    or waiver.expires < today):
                continue  # reported by G018 / G019, and silences nothing
            person = people.get(waiver.approved_by)
            position = entry.position(("waivers", i, "check"))
            line, col = position if position else (None, None)
            out.append(ActiveWaiver(
                automation.id, check.code, check.name, waiver.reason, waiver.approved_by,
                person.name if person else None, person.kind if person else None,
                waiver.expires, (waiver.expires - today).days, entry.path, line, col,
                check.article_rule))
    return sorted(out, key=lambda w: (w.automation, w.code, w.expires))


def silenced(registry: Registry, today: dt.date,
             runs: list[CheckRun] | None = None) -> Silenced:
    """What is silenced in ``registry`` on ``today`` (``runs``: the policy already resolved
    by :func:`livingsys.checks.lint.resolve_policy`, to read it once)."""
    if runs is None:
        from livingsys.checks.policy import resolve_policy

        runs, _problems = resolve_policy(registry)
    return Silenced(_policy_changes(registry, runs), active_waivers(registry, today))
