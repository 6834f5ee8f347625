"""Make scenario blueprints (the JSON of "Export Blueprint").

A blueprint is ``{"name", "flow": [...], "metadata": {"version": 1, ...}}``; each module has
a number (``id``), a ``module`` (``gmail:ActionSendEmail``), ``parameters``, a ``mapper`` and
``metadata`` (``designer.name`` is the label a person gave it). A router
(``builtin:BasicRouter``) holds ``routes[].flow``; error handlers are under ``onerror``. A
filter sits on the module after it: ``filter: {name, conditions: [[{a, o, b}, ...], ...]}`` —
the inner lists are AND-ed, the outer one OR-ed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from livingsys.tools.model import (
    MAX_STEPS,
    Comparison,
    Condition,
    ExportError,
    Send,
    ToolStep,
    Workflow,
    as_dict,
    fact_name,
    literal,
    plain,
)

KNOWN_BLUEPRINT_VERSION = 1

#: Error-handling directives: they steer the flow and do no work of their own.
_DIRECTIVES = {"builtin:Ignore", "builtin:Resume", "builtin:Commit", "builtin:Rollback",
               "builtin:Break"}

_OPS = {"number:greater": ">", "number:less": "<", "number:greaterorequal": ">=",
        "number:lessorequal": "<=", "number:equal": "==", "number:notequal": "!=",
        "text:equal": "==", "text:equal:ci": "==", "text:notequal": "!=",
        "text:notequal:ci": "!=", "text:contain": "contains", "text:contain:ci": "contains",
        "text:notcontain": "!contains", "text:notcontain:ci": "!contains",
        "text:startwith": "startsWith", "text:startwith:ci": "startsWith",
        "text:notstartwith": "!startsWith", "text:endwith": "endsWith",
        "text:endwith:ci": "endsWith", "text:notendwith": "!endsWith",
        "boolean:equal": "==", "boolean:notequal": "!="}
_TYPES = {"number": "number", "text": "string", "boolean": "bool"}

_EMAIL_APPS = {"gmail", "google-email", "email", "microsoft-email", "microsoft365-email",
               "outlook", "sendgrid", "mailgun", "mailjet", "smtp", "brevo", "sendinblue",
               "postmark", "amazon-ses", "mailchimp"}
_CHAT_APPS = {"slack": "internal", "microsoft-teams": "internal", "discord": "internal",
              "mattermost": "internal", "google-chat": "internal", "telegram": "client",
              "whatsapp": "client", "whatsapp-business-cloud": "client",
              "facebook-messenger": "client"}
_SMS_APPS = {"twilio", "vonage", "messagebird", "plivo", "clicksend", "sms", "brevo-sms"}
_SENDING = re.compile(r"(send|createmessage|postmessage|reply|forward|createamessage)", re.I)
_AI_APPS = re.compile(r"(openai|anthropic|claude|gemini|mistral|perplexity|ai-agent|"
                      r"make-ai|deepseek|groq|cohere|hugging)", re.I)


def _readable(module: str) -> str:
    app, _, action = module.partition(":")
    action = re.sub(r"^(Action|Trigger)", "", action)
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", action).strip()
    app_words = app.replace("-", " ").strip().capitalize()
    return f"{app_words} › {words.lower()}" if words else app_words


def field_of(text: Any) -> str | None:
    """``{{1.amount}}`` -> ``1.amount``; None when it is not one plain field."""
    if not isinstance(text, str):
        return None
    match = re.fullmatch(r"\s*\{\{\s*(\d+\.[A-Za-z_][\w]*(\.[A-Za-z_][\w]*|\[\d*\])*)\s*\}\}\s*",
                         text)
    return match.group(1) if match else None


def _is_expression(text: str) -> bool:
    """Whether a text of the export is an expression, not a value."""
    return "{{" in text


def _filter(filt: Any, where: str) -> Condition | None:
    if not isinstance(filt, dict):
        return None
    name = filt.get("name")
    label = f"filter {plain(name, 60)!r}" if isinstance(name, str) and name.strip() else "filter"
    cond = Condition(label=label)
    groups = filt.get("conditions")
    if not isinstance(groups, list):
        cond.untranslated.append(f"{label}: no conditions")
        return cond
    for g, group in enumerate(groups):
        found: list[Comparison] = []
        complete = True
        for i, item in enumerate(group if isinstance(group, list) else []):
            if not isinstance(item, dict):
                continue
            described = f"{label}, condition {i + 1}" + (f" of group {g + 1}"
                                                        if len(groups) > 1 else "")
            op_name = str(item.get("o") or "")
            op = _OPS.get(op_name)
            field = field_of(item.get("a"))
            if op is None:
                cond.untranslated.append(f"{described}: the test '{plain(op_name, 30)}'")
                complete = False
                continue
            if field is None:
                cond.untranslated.append(f"{described}: {plain(item.get('a'), 60)!r} is an "
                                         "expression, not a plain field")
                complete = False
                continue
            fact = fact_name(field)
            type_ = _TYPES[op_name.split(":", 1)[0]]
            ok, value = literal(item.get("b"), type_, _is_expression)
            if fact is None or not ok:
                cond.untranslated.append(f"{described}: the value {plain(item.get('b'), 60)!r} "
                                         "is an expression or not a plain value")
                complete = False
                continue
            found.append(Comparison(field=field, fact=fact, type=type_, op=op, value=value,
                                    where=where))
        if found:
            cond.groups.append(found)
        if not complete and not found:
            continue
    return cond


def _kind_and_sends(module: str) -> tuple[str, list[Send], str]:
    app, _, action = module.partition(":")
    lowered = app.lower()
    if _AI_APPS.search(lowered):
        return "ai", [], f"AI: {_readable(module)}"
    if module == "builtin:BasicRouter":
        return "automatic", [], "Sends each bundle down the routes whose filter it passes"
    if module == "builtin:BasicIfElse":
        return "automatic", [], "Follows the first branch whose condition holds"
    if _SENDING.search(action):
        if lowered in _EMAIL_APPS or "email" in lowered or "mail" in action.lower():
            return "automatic", [Send("email", "client")], f"Sends by {_readable(module)}"
        if lowered in _CHAT_APPS:
            return "automatic", [Send("chat", _CHAT_APPS[lowered])], \
                f"Sends by {_readable(module)}"
        if lowered in _SMS_APPS or "sms" in action.lower():
            return "automatic", [Send("sms", "client")], f"Sends by {_readable(module)}"
    if lowered in ("code", "javascript", "python") or module.startswith("code:"):
        return "automatic", [], "Runs code written in the scenario"
    return "automatic", [], _readable(module)


def _walk(flow: Any, depth: int = 0, route: str = "") -> Iterator[tuple[dict, str, bool]]:
    """Every module in order: (module, where it sits, in an error handler)."""
    if depth > 50 or not isinstance(flow, list):
        return
    for module in flow:
        if not isinstance(module, dict):
            continue
        yield module, route, False
        for r, sub in enumerate(module.get("routes") or []):
            if isinstance(sub, dict):
                yield from _walk(sub.get("flow"), depth + 1,
                                 f"route {r + 1} of module {module.get('id')}")
        for b, branch in enumerate(module.get("branches") or []):  # builtin:BasicIfElse
            if isinstance(branch, dict):
                yield from _walk(branch.get("flow"), depth + 1,
                                 f"branch {b + 1} of module {module.get('id')}")
        handlers = module.get("onerror")
        if isinstance(handlers, list):
            for handler, _where, _err in _walk(handlers, depth + 1, ""):
                yield handler, f"error handler of module {module.get('id')}", True


def _blueprint(data: Any) -> dict:
    if isinstance(data.get("response"), dict) and isinstance(data["response"].get("blueprint"),
                                                              dict):
        return data["response"]["blueprint"]
    if isinstance(data.get("blueprint"), dict):
        return data["blueprint"]
    return data


def read(data: Any, path: Path) -> Workflow:
    blueprint = _blueprint(data)
    if not isinstance(blueprint.get("flow"), list):
        raise ExportError(f"'{path}' has no 'flow' list, so it is not a Make blueprint",
                          "export the scenario from Make (⋯ › Export Blueprint)")
    metadata = as_dict(blueprint.get("metadata"))
    version = metadata.get("version", 1)
    if isinstance(version, int) and not isinstance(version, bool) and (
            version > KNOWN_BLUEPRINT_VERSION):
        raise ExportError(f"'{path}' is a Make blueprint of format version {version}, newer "
                          f"than livingsys knows (version {KNOWN_BLUEPRINT_VERSION})",
                          "update livingsys; until then, compare the scenario by hand")
    name = blueprint.get("name") if isinstance(blueprint.get("name"), str) else path.stem
    workflow = Workflow(tool="make", name=plain(name, 200) or path.stem, id=None, steps=[])
    count = 0
    seen: set[str] = set()
    for module, where, _in_handler in _walk(blueprint["flow"]):
        count += 1
        if count > MAX_STEPS:
            raise ExportError(f"'{path}' has more than {MAX_STEPS:,} modules, more than "
                              "livingsys reads", "split the scenario")
        kind_name = module.get("module")
        number_ = module.get("id")
        if not isinstance(kind_name, str) or not isinstance(number_, (int, str)) or isinstance(
                number_, bool):
            raise ExportError(f"'{path}': a module has no number or no 'module' type, so "
                              "this is not a Make blueprint livingsys can read",
                              "export the scenario again from Make, unchanged")
        key = str(number_)
        if key in seen:
            raise ExportError(f"'{path}': two modules have the number {plain(key, 20)}; Make "
                              "numbers each module once", "export it again from Make")
        seen.add(key)
        params = as_dict(module.get("parameters"))
        designer = (module.get("metadata") or {}).get("designer") if isinstance(
            module.get("metadata"), dict) else None
        label_name = designer.get("name") if isinstance(designer, dict) and isinstance(
            designer.get("name"), str) and designer["name"].strip() else None
        display = plain(label_name or _readable(kind_name), 200)
        if "__IMTCONN__" in params:
            workflow.credentials.append(f"module {key}")
        if kind_name in _DIRECTIVES:
            workflow.skipped.append(f"{where or 'flow'}: {kind_name.split(':')[1].lower()} "
                                    f"(module {key})")
            continue
        kind, sends, does = _kind_and_sends(kind_name)
        step = ToolStep(key=key, name=display, type=kind_name, kind=kind, does=does,
                        trigger=count == 1, sends=sends,
                        label=f"Make module {key} '{plain(display, 60)}'")
        if where:
            step.does += f", in the {where}"
        filters = [module.get("filter")] + [
            {"name": b.get("label") or f"branch {i + 1}", "conditions": b["conditions"]}
            for i, b in enumerate(module.get("branches") or [])
            if isinstance(b, dict) and isinstance(b.get("conditions"), list)]
        for raw in filters:
            filt = _filter(raw, "")
            if filt is None:
                continue
            on = "on" if raw is module.get("filter") else "of"
            filt.groups = [[_placed(c, f"Make {filt.label} {on} module {key}") for c in group]
                           for group in filt.groups]
            step.conditions.append(filt)
        if kind_name.startswith(("code:", "javascript:", "python:")):
            step.notes.append("runs code: livingsys cannot read what it decides; describe it "
                              "in plain words")
        workflow.steps.append(step)
    return workflow


def _placed(comparison: Comparison, where: str) -> Comparison:
    comparison.where = where
    return comparison
