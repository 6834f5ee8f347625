"""What changed between two versions of a registry file, in the domain's words.

A text diff says "line 14 changed"; a business owner needs "exception 'over-threshold':
condition changed from 'amount_due > 5000' to 'amount_due > 3000'". The functions here compare
two *parsed* versions (the plain data of :func:`livingsys.reading.yamlsource.parse`, or None when
the
file does not exist in that version) and list :class:`Change` objects.

What is not a change: comments, key order, indentation, quoting, block or flow style, a
paragraph re-wrapped (text is compared with its whitespace collapsed), spaces inside a
condition (``a>5000`` is ``a > 5000``). Items of a list that have an id (rules, exceptions,
steps, content) are matched by id, so moving one is not "removed + added"; facts are matched by
name, scenarios by name, waivers by check. Names and descriptions are compared too but reported
in the ``wording`` area, which is not :attr:`Change.significant`: rewording alone does not make
an automation due for review.

Areas: ``identity`` (id, tool, location, key, criticality; the file itself added or removed),
``status``, ``owner`` (owner, maintainer), ``trigger``, ``perimeter``, ``uses_rules``,
``rule``, ``exception``, ``guardrail``, ``step`` (including whether the automation sends
anything to clients), ``content``, ``fact``, ``review`` (cadence), ``waiver``, ``scenario``
(example cases; not significant), ``shared_rule`` (a file of rules/), ``wording`` (names and
descriptions; not significant) and ``other`` (keys the format does not know).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from livingsys import i18n
from livingsys.i18n import N_, _, pgettext

Area = Literal["identity", "status", "owner", "trigger", "perimeter", "uses_rules", "rule",
               "exception", "guardrail", "step", "content", "fact", "review", "waiver",
               "scenario", "shared_rule", "wording", "other"]
Kind = Literal["added", "removed", "changed"]

#: Areas whose changes alone do not call for a review.
MINOR_AREAS: frozenset[str] = frozenset({"wording", "scenario"})
#: (area, field) pairs that are bookkeeping rather than a change of behaviour.
MINOR_FIELDS: frozenset[tuple[str, str]] = frozenset({
    ("shared_rule", "source"), ("shared_rule", "since"), ("identity", "location"),
})

_ITEM_WORD = {
    "rule": N_("rule"), "exception": N_("exception"), "step": N_("step"),
    "content": N_("content"), "fact": N_("fact"), "scenario": N_("scenario"),
    "waiver": N_("waiver for check"), "uses_rules": N_("shared rule"),
    "guardrail": N_("guardrail"), "shared_rule": N_("shared rule"),
}

_FIELD_LABEL = {
    "if": N_("'if'"), "then": N_("'then'"), "when": N_("condition"), "action": N_("action"),
    "handled_by": N_("handled by"), "kind": N_("kind"), "does": N_("what it does"),
    "by": N_("done by"), "validated_by": N_("validated by"), "sends": N_("messages sent"),
    "valid_until": N_("valid until"), "location": N_("location"), "description": N_("description"),
    "name": N_("name"), "type": N_("type"), "unit": N_("unit"), "reason": N_("reason"),
    "approved_by": N_("approved by"), "expires": N_("expiry date"), "given": N_("given facts"),
    "expect": N_("expected outcome"), "scope": N_("scope"), "channel": N_("channel"),
    "to": N_("notified people"), "statement": N_("statement"), "status_reason": N_("reason"),
    "status_since": N_("since"), "cadence": N_("cadence"), "tool": N_("tool"),
    "key": N_("key automation"), "criticality": N_("criticality"), "id": N_("id"),
    "trigger": N_("trigger"), "perimeter": N_("perimeter"), "owner": N_("owner"),
    "maintainer": N_("maintainer"), "since": N_("in force since"), "source": N_("source"),
}

_GUARDRAIL_LABEL = {
    "human_validation": N_("human validation"), "daily_cap": N_("daily cap"),
    "notify_on_exception": N_("notification on exception"), "kill_switch": N_("kill switch"),
}


@dataclass(frozen=True, slots=True)
class Change:
    """One change, in domain words.

    ``item`` is the id of the rule, exception, step... concerned (or the guardrail's or the
    top-level field's name); ``field`` the field that changed inside it (None when the whole
    item was added, removed or is a single value); ``old``/``new`` the plain values.
    """

    area: Area
    kind: Kind
    item: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    note: str | None = None
    """Extra context in words, e.g. the reason given when an automation is paused."""

    @property
    def significant(self) -> bool:
        """False for rewording and example cases: they do not call for a review."""
        if self.area in MINOR_AREAS:
            return False
        return (self.area, self.field or self.item or "") not in MINOR_FIELDS

    def describe(self) -> str:
        """The change in one plain English sentence."""
        return _describe(self)

    def __str__(self) -> str:
        return self.describe()

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "kind": self.kind,
            "item": self.item,
            "field": self.field,
            "old": _jsonable(self.old),
            "new": _jsonable(self.new),
            "note": self.note,
            "significant": self.significant,
            "description": self.describe(),
        }


# --------------------------------------------------------------------------------------------
# normalising: what does not count as a change


_WS = re.compile(r"\s+")
_QUOTED = re.compile(r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


def _norm(value: Any) -> Any:
    """Plain data with text whitespace collapsed and mappings made order-free."""
    if isinstance(value, str):
        return _WS.sub(" ", value).strip()
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, bool):
        return value
    return value


def _norm_condition(value: Any) -> Any:
    """A condition without the spaces outside its string literals."""
    if not isinstance(value, str):
        return _norm(value)
    parts = _QUOTED.split(value.strip())
    return "".join(p if i % 2 else _WS.sub("", p) for i, p in enumerate(parts))


def identical(a: Any, b: Any) -> bool:
    """Equal plain data with equal types all the way down (``1``, ``1.0`` and ``True`` differ,
    as they may for the semantic diff; NaN is never identical): identical parts of two
    versions give no change in the semantic diff. Keys are texts (a key ``1`` and a key
    ``True`` are equal for Python, not once written as text: not identical)."""
    return bool(a == b) and _same_types(a, b)


def _same_types(a: Any, b: Any) -> bool:
    """For equal ``a`` and ``b`` (``a == b``): whether their types match all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        for key, value in a.items():
            if type(key) is not str:
                return False
            other = b[key]
            if type(value) is not type(other) or (
                    isinstance(value, (dict, list)) and not _same_types(value, other)):
                return False
    elif isinstance(a, list):
        for value, other in zip(a, b, strict=True):
            if type(value) is not type(other) or (
                    isinstance(value, (dict, list)) and not _same_types(value, other)):
                return False
    return True


def _same(a: Any, b: Any, *, condition: bool = False) -> bool:
    if identical(a, b):
        return True  # the same data, types included: it normalises alike
    if condition:
        return _norm_condition(a) == _norm_condition(b)
    na, nb = _norm(a), _norm(b)
    if isinstance(na, bool) or isinstance(nb, bool):
        return type(na) is type(nb) and na == nb
    return na == nb


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value: Any, key: str) -> dict[str, dict]:
    """Items of a list by ``key`` (position when missing); non-mappings are skipped."""
    out: dict[str, dict] = {}
    if not isinstance(value, list):
        return out
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            continue
        ident = item.get(key)
        name = str(ident) if isinstance(ident, (str, int, float)) and str(ident) \
            else f"#{i + 1}"
        while name in out:
            name += "'"
        out[name] = item
    return out


# --------------------------------------------------------------------------------------------
# automations


_AUTOMATION_KNOWN = {
    "id", "formerly", "name", "description", "status", "status_reason", "status_since", "owner",
    "maintainer", "tool", "location", "key", "criticality", "trigger", "perimeter", "facts",
    "steps", "rules", "exceptions", "guardrails", "uses_rules", "content", "review", "waivers",
    "scenarios",
}


def diff_automation(old: Any, new: Any) -> list[Change]:
    """Changes between two versions of an automation file (None: the file does not exist)."""
    old_map = old if isinstance(old, dict) else None
    new_map = new if isinstance(new, dict) else None
    if old_map is None and new_map is None:
        return []
    if old_map is None or new_map is None:
        present = new_map if new_map is not None else old_map
        assert present is not None
        ident = present.get("id")
        return [Change("identity", "added" if old_map is None else "removed",
                       item=str(ident) if ident is not None else None, field=None,
                       old=None if old_map is None else present.get("name"),
                       new=present.get("name") if old_map is None else None,
                       note="automation")]
    o, n = old_map, new_map
    changes: list[Change] = []
    add = changes.append

    # identity and status
    for key in ("id", "tool", "location", "key", "criticality"):
        _scalar_field(changes, "identity", key, o.get(key), n.get(key))
    _status(changes, o, n)
    for key in ("owner", "maintainer"):
        _scalar_field(changes, "owner", key, o.get(key), n.get(key))
    _scalar_field(changes, "trigger", "trigger", o.get("trigger"), n.get("trigger"))
    _scalar_field(changes, "perimeter", "perimeter", o.get("perimeter", "first"),
                  n.get("perimeter", "first"))

    # shared rules used
    old_uses = [str(x) for x in o.get("uses_rules") or [] if x is not None] \
        if isinstance(o.get("uses_rules"), list) else []
    new_uses = [str(x) for x in n.get("uses_rules") or [] if x is not None] \
        if isinstance(n.get("uses_rules"), list) else []
    for rid in new_uses:
        if rid not in old_uses:
            add(Change("uses_rules", "added", item=rid))
    for rid in old_uses:
        if rid not in new_uses:
            add(Change("uses_rules", "removed", item=rid))

    # rules, exceptions
    _id_list(changes, "rule", o.get("rules"), n.get("rules"), "id",
             fields=("if", "then", "when", "action"), conditions=("when",), ordered=True)
    _id_list(changes, "exception", o.get("exceptions"), n.get("exceptions"), "id",
             fields=("if", "then", "when", "handled_by"), conditions=("when",))

    # guardrails
    _guardrails(changes, _map(o.get("guardrails")), _map(n.get("guardrails")))

    # steps, and whether anything goes to clients
    _id_list(changes, "step", o.get("steps"), n.get("steps"), "id",
             fields=("kind", "does", "by", "validated_by", "sends"), ordered=True,
             formatters={"sends": _fmt_messages})
    old_client, new_client = _sends_to_client(o), _sends_to_client(n)
    if old_client != new_client:
        add(Change("step", "changed", item=None, field="sends_to_client", old=old_client,
                   new=new_client))

    # content, facts
    _id_list(changes, "content", o.get("content"), n.get("content"), "id",
             fields=("valid_until", "location"), wording=("description",))
    _id_list(changes, "fact", o.get("facts"), n.get("facts"), "name",
             fields=("type", "unit"), wording=("description",))

    # review rhythm
    _scalar_field(changes, "review", "cadence", _map(o.get("review")).get("cadence"),
                  _map(n.get("review")).get("cadence"))
    _extra_keys(changes, "review", _map(o.get("review")), _map(n.get("review")), {"cadence"})

    # waivers, scenarios
    _id_list(changes, "waiver", o.get("waivers"), n.get("waivers"), "check",
             fields=("reason", "approved_by", "expires"))
    _id_list(changes, "scenario", o.get("scenarios"), n.get("scenarios"), "name",
             fields=("given", "expect"))

    # wording
    for key in ("name", "description"):
        _scalar_field(changes, "wording", key, o.get(key), n.get(key))

    _extra_keys(changes, "other", o, n, _AUTOMATION_KNOWN)
    return changes


def _scalar_field(changes: list[Change], area: Area, key: str, old: Any, new: Any,
                  *, item: str | None = None, condition: bool = False) -> None:
    if _same(old, new, condition=condition):
        return
    if old is None:
        kind: Kind = "added"
    elif new is None:
        kind = "removed"
    else:
        kind = "changed"
    if item is None:
        changes.append(Change(area, kind, item=key, field=None, old=old, new=new))
    else:
        changes.append(Change(area, kind, item=item, field=key, old=old, new=new))


def _status(changes: list[Change], o: dict, n: dict) -> None:
    old_s, new_s = o.get("status", "active"), n.get("status", "active")
    reason, since = n.get("status_reason"), n.get("status_since")
    if not _same(old_s, new_s):
        parts = []
        if reason:
            parts.append(f"reason: {_WS.sub(' ', str(reason)).strip()}")
        if since:
            parts.append(f"since {since}")
        changes.append(Change("status", "changed", item="status", old=old_s, new=new_s,
                              note="; ".join(parts) or None))
        return
    for key in ("status_reason", "status_since"):
        _scalar_field(changes, "status", key, o.get(key), n.get(key), item="status")


def _id_list(changes: list[Change], area: Area, old: Any, new: Any, key: str, *,
             fields: tuple[str, ...], conditions: tuple[str, ...] = (),
             wording: tuple[str, ...] = ("description", "name"), ordered: bool = False,
             formatters: dict[str, Callable[[Any], str]] | None = None) -> None:
    if identical(old, new):
        return  # the same list, types included: nothing in it changed
    old_items, new_items = _items(old, key), _items(new, key)
    for ident, item in new_items.items():
        if ident not in old_items:
            changes.append(Change(area, "added", item=ident, new=item))
    for ident, item in old_items.items():
        if ident not in new_items:
            changes.append(Change(area, "removed", item=ident, old=item))
    for ident, before in old_items.items():
        after = new_items.get(ident)
        if after is None:
            continue
        for f in fields:
            _scalar_field(changes, area, f, before.get(f), after.get(f), item=ident,
                          condition=f in conditions)
        for f in wording:
            if f in fields or f == key:
                continue
            if not _same(before.get(f), after.get(f)):
                changes.append(Change("wording", _kind(before.get(f), after.get(f)),
                                      item=f"{area}:{ident}", field=f, old=before.get(f),
                                      new=after.get(f)))
        known = {key, *fields, *wording}
        for f in sorted((set(before) | set(after)) - known):
            _scalar_field(changes, area, f, before.get(f), after.get(f), item=ident)
    if ordered:
        common_old = [i for i in old_items if i in new_items]
        common_new = [i for i in new_items if i in old_items]
        if common_old != common_new:
            changes.append(Change(area, "changed", item=None, field="order", old=common_old,
                                  new=common_new))


def _kind(old: Any, new: Any) -> Kind:
    return "added" if old is None else "removed" if new is None else "changed"


def _guardrails(changes: list[Change], o: dict, n: dict) -> None:
    if identical(o, n):
        return  # the same guardrails, types included: nothing changed
    for name in ("human_validation", "daily_cap", "notify_on_exception", "kill_switch"):
        before, after = o.get(name), n.get(name)
        if _same(before, after):
            continue
        if before is None or after is None or not (isinstance(before, dict)
                                                   and isinstance(after, dict)):
            changes.append(Change("guardrail", _kind(before, after), item=name, old=before,
                                  new=after))
            continue
        for f in sorted(set(before) | set(after)):
            if f == "description":
                if not _same(before.get(f), after.get(f)):
                    changes.append(Change("wording", _kind(before.get(f), after.get(f)),
                                          item=f"guardrail:{name}", field=f,
                                          old=before.get(f), new=after.get(f)))
                continue
            _scalar_field(changes, "guardrail", f, before.get(f), after.get(f), item=name)
    _extra_keys(changes, "guardrail", o, n, set(_GUARDRAIL_LABEL))


def _extra_keys(changes: list[Change], area: Area, o: dict, n: dict, known: set[str]) -> None:
    for key in sorted((set(o) | set(n)) - known, key=str):
        _scalar_field(changes, area, str(key), o.get(key), n.get(key))


def _sends_to_client(data: dict) -> bool:
    steps = data.get("steps")
    if not isinstance(steps, list):
        return False
    for step in steps:
        sends = step.get("sends") if isinstance(step, dict) else None
        if isinstance(sends, list) and any(isinstance(m, dict) and m.get("audience") == "client"
                                           for m in sends):
            return True
    return False


# --------------------------------------------------------------------------------------------
# shared rules and other files


def diff_shared_rule(old: Any, new: Any) -> list[Change]:
    """Changes between two versions of a shared key business rule (rules/<id>.yaml)."""
    old_map = old if isinstance(old, dict) else None
    new_map = new if isinstance(new, dict) else None
    if old_map is None and new_map is None:
        return []
    present = new_map if new_map is not None else old_map
    assert present is not None
    rid = str(present.get("id")) if present.get("id") is not None else None
    if old_map is None or new_map is None:
        return [Change("shared_rule", "added" if old_map is None else "removed", item=rid,
                       old=None if old_map is None else present.get("statement"),
                       new=present.get("statement") if old_map is None else None)]
    o, n = old_map, new_map
    changes: list[Change] = []
    _scalar_field(changes, "identity", "id", o.get("id"), n.get("id"))
    _scalar_field(changes, "shared_rule", "statement", o.get("statement"), n.get("statement"),
                  item=rid)
    op, np_ = _map(o.get("parameters")), _map(n.get("parameters"))
    for key in list(op) + [k for k in np_ if k not in op]:
        if not _same(op.get(key), np_.get(key)):
            changes.append(Change("shared_rule", _kind(op.get(key), np_.get(key)), item=rid,
                                  field=f"parameters.{key}", old=op.get(key),
                                  new=np_.get(key)))
    _scalar_field(changes, "owner", "owner", o.get("owner"), n.get("owner"))
    for key in ("since", "source"):
        _scalar_field(changes, "shared_rule", key, o.get(key), n.get(key), item=rid)
    _scalar_field(changes, "wording", "name", o.get("name"), n.get("name"))
    _extra_keys(changes, "other", o, n, {"id", "name", "statement", "owner", "parameters",
                                         "since", "source"})
    return changes


def diff_data(old: Any, new: Any, *, area: Area = "other", prefix: str = "") -> list[Change]:
    """A generic comparison of any two YAML values (settings, people...), by dotted field."""
    if _same(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[Change] = []
        for key in list(old) + [k for k in new if k not in old]:
            out += diff_data(old.get(key), new.get(key), area=area,
                             prefix=f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(old, list) and isinstance(new, list) and old and new \
            and all(isinstance(x, dict) and "id" in x for x in old + new):
        out = []
        oi, ni = _items(old, "id"), _items(new, "id")
        for ident in list(oi) + [k for k in ni if k not in oi]:
            out += diff_data(oi.get(ident), ni.get(ident), area=area,
                             prefix=f"{prefix}[{ident}]")
        return out
    return [Change(area, _kind(old, new), item=prefix or None, old=old, new=new)]


def diff_file(path: str, old: Any, new: Any) -> list[Change]:
    """Changes of a registry file, chosen by where it lives (automations/, rules/, other)."""
    norm = path.replace("\\", "/")
    if norm.startswith("automations/"):
        return diff_automation(old, new)
    if norm.startswith("rules/"):
        return diff_shared_rule(old, new)
    return diff_data(old, new)


def significant(changes: list[Change]) -> list[Change]:
    """Only the changes that call for a review."""
    return [c for c in changes if c.significant]


# --------------------------------------------------------------------------------------------
# words


def _fmt(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return pgettext("a YAML value", "yes") if value else pgettext("a YAML value", "no")
    if isinstance(value, str):
        return f"'{_WS.sub(' ', value).strip()}'"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt_plain(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt_plain(v) for v in value) + "]"
    return str(value)


def _fmt_plain(value: Any) -> str:
    return _WS.sub(" ", value).strip() if isinstance(value, str) else _fmt(value)


def _fmt_messages(value: Any) -> str:
    if not isinstance(value, list) or not value:
        return pgettext("messages sent", "none")
    parts = []
    for m in value:
        if not isinstance(m, dict):
            parts.append(_fmt_plain(m))
            continue
        text = _("{audience} by {channel}").format(audience=m.get("audience", "?"),
                                                   channel=m.get("channel", "?"))
        if m.get("content"):
            text += f" ({m['content']})"
        parts.append(text)
    return ", ".join(parts)


def _fmt_guardrail(name: str, value: Any) -> str:
    if name == "daily_cap" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _("{cap} per day").format(cap=value)
    if name == "human_validation" and isinstance(value, dict):
        scope = value.get("scope", "all")
        what = _("every action") if scope == "all" else _("exceptions only") \
            if scope == "exceptions" else str(scope)
        return _("validation by {who} ({scope})").format(who=value.get("by", "?"), scope=what)
    if name == "notify_on_exception" and isinstance(value, dict):
        to = value.get("to")
        channel = value.get("channel", "?")
        if isinstance(to, list) and to:
            return _("notify {channel} to {who}").format(channel=channel,
                                                         who=", ".join(map(str, to)))
        return _("notify {channel}").format(channel=channel)
    return _fmt(value)


def _fmt_item(area: str, value: Any) -> str:
    """A one-line summary of a whole rule, exception, step... that was added or removed."""
    if not isinstance(value, dict):
        return _fmt(value)
    if area in ("rule", "exception"):
        parts = []
        if value.get("if"):
            parts.append(_("if {text}").format(text=_fmt_plain(value["if"])))
        if value.get("then"):
            parts.append(_("then {text}").format(text=_fmt_plain(value["then"])))
        text = ", ".join(parts)
        if value.get("when"):
            text += " " + _("(condition: {condition})").format(
                condition=_fmt_plain(value["when"]))
        if area == "exception" and value.get("handled_by"):
            text += ", " + _("handled by {who}").format(who=value["handled_by"])
        return text.strip(", ") or _("no details")
    if area == "step":
        kind = value.get("kind") or _("unspecified")
        text = _("{kind} step: {does}").format(kind=kind, does=_fmt_plain(value.get("does")))
        if value.get("sends"):
            text += "; " + _("sends {messages}").format(messages=_fmt_messages(value["sends"]))
        return text
    if area == "content":
        text = _fmt_plain(value.get("description"))
        if value.get("valid_until"):
            text += ", " + _("valid until {date}").format(date=value["valid_until"])
        return text
    if area == "fact":
        if value.get("unit"):
            return _("{type} in {unit}").format(type=value.get("type", "?"), unit=value["unit"])
        return f"{value.get('type', '?')}"
    if area == "waiver":
        return _("reason: {reason}, approved by {who} until {date}").format(
            reason=_fmt_plain(value.get("reason")), who=value.get("approved_by", "?"),
            date=value.get("expires", "?"))
    if area == "scenario":
        return _fmt(value.get("given"))
    return _fmt(value)


def _label(field: str | None) -> str:
    if field is None:
        return ""
    if field.startswith("parameters."):
        return _("parameter '{name}'").format(name=field.split(".", 1)[1])
    label = _FIELD_LABEL.get(field)
    return _(label) if label else field.replace("_", " ")


def _word(area: str) -> str:
    """What an item of ``area`` is called: 'rule', 'waiver for check'."""
    word = _ITEM_WORD.get(area)
    return _(word) if word else area


def _guardrail(name: str) -> str:
    label = _GUARDRAIL_LABEL.get(name)
    return _(label) if label else name.replace("_", " ")


def _long_texts(c: Change) -> bool:
    """Two long texts: the sentence shows only the part that differs (:func:`_snip`)."""
    return (isinstance(c.old, str) and isinstance(c.new, str)
            and max(len(c.old), len(c.new)) > 70)


def _change(label: str, c: Change, fmt: Callable[[Any], str] = _fmt, *,
            snip: bool = False) -> str:
    """``{label} set to X``, ``{label} removed (was X)``, ``{label} changed from X to Y``;
    with ``snip``, two long texts show only what differs: ``{label} changed: “…” → “…”``."""
    if c.kind == "added":
        return _("{label} set to {new}").format(label=label, new=fmt(c.new))
    if c.kind == "removed":
        return _("{label} removed (was {old})").format(label=label, old=fmt(c.old))
    if snip and _long_texts(c):
        before, after = _snip(c.old, c.new)
        return _("{label} changed: “{old}” → “{new}”").format(label=label, old=before,
                                                              new=after)
    return _("{label} changed from {old} to {new}").format(label=label, old=fmt(c.old),
                                                           new=fmt(c.new))


#: A whole item added or removed, by area (French gives each its gender).
_ADDED = {
    "rule": N_("rule '{id}' added: {summary}"),
    "exception": N_("exception '{id}' added: {summary}"),
    "step": N_("step '{id}' added: {summary}"), "content": N_("content '{id}' added: {summary}"),
    "fact": N_("fact '{id}' added: {summary}"), "scenario": N_("scenario '{id}' added: {summary}"),
    "waiver": N_("waiver for check '{id}' added: {summary}"),
}
_REMOVED = {
    "rule": N_("rule '{id}' removed (was: {summary})"),
    "exception": N_("exception '{id}' removed (was: {summary})"),
    "step": N_("step '{id}' removed (was: {summary})"),
    "content": N_("content '{id}' removed (was: {summary})"),
    "fact": N_("fact '{id}' removed (was: {summary})"),
    "scenario": N_("scenario '{id}' removed (was: {summary})"),
    "waiver": N_("waiver for check '{id}' removed (was: {summary})"),
}


def _describe(c: Change, snip: bool = False) -> str:
    area = c.area
    if area == "identity" and c.note == "automation":
        name = c.new if c.kind == "added" else c.old
        if name:
            template = (_("automation '{id}' ({name}) created") if c.kind == "added"
                        else _("automation '{id}' ({name}) deleted"))
        else:
            template = (_("automation '{id}' created") if c.kind == "added"
                        else _("automation '{id}' deleted"))
        return template.format(id=c.item, name=_fmt_plain(name) if name else "")
    if area == "status" and c.item == "status" and c.field is None:
        if snip and _long_texts(c):
            return _change(_("status"), c, _fmt_plain, snip=True)
        text = _change(_("status"), c, _fmt_plain)
        return f"{text} ({c.note})" if c.note else text
    if area == "status":
        return _change(_("status {field}").format(field=_label(c.field)), c, snip=snip)
    if area == "uses_rules":
        return (_("now depends on shared rule '{id}'") if c.kind == "added"
                else _("no longer depends on shared rule '{id}'")).format(id=c.item)
    if area == "step" and c.field == "sends_to_client":
        return (_("now sends messages to clients") if c.new
                else _("no longer sends messages to clients"))
    if area == "guardrail":
        label = _guardrail(c.item or "")
        if c.field is None:
            fmt = lambda v: _fmt_guardrail(c.item or "", v)  # noqa: E731
            if c.kind == "added":
                return _("guardrail '{name}' added: {what}").format(name=label, what=fmt(c.new))
            if c.kind == "removed":
                return _("guardrail '{name}' removed (was: {what})").format(name=label,
                                                                          what=fmt(c.old))
            return _change(_("guardrail '{name}'").format(name=label), c, fmt, snip=snip)
        return _("guardrail '{name}': {change}").format(
            name=label, change=_change(_label(c.field), c, snip=snip))
    if c.field == "order":
        old, new = ", ".join(c.old), ", ".join(c.new)
        if area in ("step", "rule"):
            template = (_("order of the steps changed from {old} to {new}") if area == "step"
                        else _("order of the rules changed from {old} to {new}"))
            return template.format(old=old, new=new)
        return _("order of the {items} changed from {old} to {new}").format(
            items=f"{area}s", old=old, new=new)
    if area == "wording":
        if c.item and ":" in c.item:
            kind, ident = c.item.split(":", 1)
            where = (_("{what} '{id}'").format(what=_word(kind), id=ident) if kind != "guardrail"
                     else _("guardrail '{name}'").format(name=_guardrail(ident)))
            if c.kind == "changed":
                return _("{where}: {field} reworded").format(where=where, field=_label(c.field))
            return _("{where}: {change}").format(where=where,
                                                 change=_change(_label(c.field), c))
        if c.kind == "changed":
            return _("{field} reworded: {new} (was {old})").format(
                field=_label(c.item), new=_fmt(c.new), old=_fmt(c.old))
        return _change(_label(c.item), c)
    if area == "shared_rule" and c.field is None:
        if c.kind == "added":
            return _("shared rule '{id}' created: {statement}").format(
                id=c.item, statement=_fmt_plain(c.new))
        return _("shared rule '{id}' deleted").format(id=c.item)
    if area in ("identity", "owner", "trigger", "perimeter", "review", "other") \
            and c.field is None:
        what = _("review cadence") if area == "review" and c.item == "cadence" \
            else _label(c.item)
        return _change(what, c, snip=snip)
    # an item of a list (rule, exception, step, content, fact, waiver, scenario)
    if c.field is None:
        if c.kind == "added":
            template = _(_ADDED[area]) if area in _ADDED else _("{what} '{id}' added: {summary}")
            return template.format(what=_word(area), id=c.item, summary=_fmt_item(area, c.new))
        if c.kind == "removed":
            template = (_(_REMOVED[area]) if area in _REMOVED
                        else _("{what} '{id}' removed (was: {summary})"))
            return template.format(what=_word(area), id=c.item, summary=_fmt_item(area, c.old))
        return _change(_("{what} '{id}'").format(what=_word(area), id=c.item), c, snip=snip)
    fmt = _fmt_messages if c.field == "sends" else _fmt
    return _("{what} '{id}': {change}").format(
        what=_word(area), id=c.item, change=_change(_label(c.field), c, fmt, snip=snip))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _snip(old: str, new: str, context: int = 24) -> tuple[str, str]:
    """The part of two long texts that differs, with a few words around it."""
    old, new = " ".join(old.split()), " ".join(new.split())
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    left = max(0, start - context)
    if left:
        left = old.rfind(" ", 0, left) + 1
    def cut(text: str) -> str:
        stop = len(text) - end
        right = min(len(text), stop + context)
        if right < len(text):
            space = text.find(" ", right)
            right = space if space != -1 else len(text)
        return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return cut(old), cut(new)


def shared_rule_prefix(rule_id: str) -> str:
    """How the sentences of a shared rule's changes start: ``shared rule 'x': ``, which
    :func:`describe_change` leaves out under that rule's own heading."""
    return _("{what} '{id}': {change}").format(what=_word("shared_rule"), id=rule_id, change="")


_ENGLISH_PREFIX = re.compile(r"shared rule '(.+)': ")


def describe_change(change: Change, prefix: str | None = None) -> str:
    """A change in one sentence; a long text that changed shows only what differs.

    The one wording of a change for every output: review-due, the agenda's rule changes (and
    what `review record` compares a "no" with), `livingsys diff` and the site. ``prefix``
    (:func:`shared_rule_prefix`, "shared rule 'x': ") is left out when the sentence starts
    with it."""
    text = _describe(change, snip=True)
    english = prefix and _ENGLISH_PREFIX.fullmatch(prefix)
    if english and i18n.language() != "en":
        prefix = shared_rule_prefix(english.group(1))
    if prefix and text.startswith(prefix):
        text = text[len(prefix):]
    return text


__all__ = ["Area", "Change", "Kind", "diff_automation", "diff_data", "diff_file",
           "diff_shared_rule", "describe_change", "identical", "shared_rule_prefix",
           "significant"]
