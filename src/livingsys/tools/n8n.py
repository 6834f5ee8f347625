"""n8n workflows (the JSON of "Download" or `n8n export:workflow`).

A workflow is ``{"name", "nodes": [...], "connections": {...}}``; each node has a ``name``
(unique in the workflow), a ``type`` (``n8n-nodes-base.if``), a ``typeVersion``, ``parameters``
and often an ``id``. Conditions are read from:

- IF and Filter version 1: ``conditions: {number: [...], string: [...], boolean: [...]}``,
  each ``{value1, operation, value2}``, joined by ``combineOperation`` (all | any);
- IF version 2+, Filter version 2+ and Switch version 3+: ``conditions: {conditions: [...],
  combinator}``, each ``{leftValue, rightValue, operator: {type, operation}}``;
- Switch versions 1 and 2 in rules mode: ``dataType``, ``value1`` and ``rules.rules[]`` with
  ``operation``, ``value2`` and ``output``.
"""

from __future__ import annotations

import re
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

#: The newest major version of each condition node livingsys knows how to read.
KNOWN_VERSIONS = {"if": 2, "filter": 2, "switch": 3}

_SKIPPED = {"n8n-nodes-base.stickyNote": "sticky note", "n8n-nodes-base.noOp": "no-op"}

# Sending nodes: short type -> (channel, guessed audience).
_SENDERS = {
    "gmail": ("email", "client"), "emailSend": ("email", "client"),
    "microsoftOutlook": ("email", "client"), "sendGrid": ("email", "client"),
    "mailgun": ("email", "client"), "mailjet": ("email", "client"),
    "mandrill": ("email", "client"), "awsSes": ("email", "client"),
    "sendInBlue": ("email", "client"), "brevo": ("email", "client"),
    "postmark": ("email", "client"), "mailchimp": ("email", "client"),
    "slack": ("chat", "internal"), "microsoftTeams": ("chat", "internal"),
    "mattermost": ("chat", "internal"), "rocketchat": ("chat", "internal"),
    "googleChat": ("chat", "internal"), "discord": ("chat", "internal"),
    "matrix": ("chat", "internal"), "zulip": ("chat", "internal"),
    "telegram": ("chat", "client"), "whatsApp": ("chat", "client"),
    "twilio": ("sms", "client"), "vonage": ("sms", "client"),
    "messageBird": ("sms", "client"), "plivo": ("sms", "client"),
    "msg91": ("sms", "client"), "sms77": ("sms", "client"),
}
# Operations of those nodes that do not send anything.
_READ_ONLY = re.compile(r"^(get|getAll|getMany|list|search|delete|remove|update|addLabels|"
                        r"removeLabels|markAsRead|markAsUnread|archive|download|create(Draft)?|"
                        r"draft)$")
_AI = re.compile(r"(agent|chain|^lm|openAi|anthropic|gemini|mistral|ollama|groq|deepSeek|"
                 r"perplexity|textClassifier|sentimentAnalysis|informationExtractor|"
                 r"summarization)", re.I)
_TRIGGER = re.compile(r"(Trigger$|^webhook$|^cron$|^interval$|^start$)")

_V1_OPS = {"smaller": "<", "smallerEqual": "<=", "larger": ">", "largerEqual": ">=",
           "equal": "==", "notEqual": "!=", "contains": "contains",
           "notContains": "!contains", "startsWith": "startsWith",
           "notStartsWith": "!startsWith", "endsWith": "endsWith", "notEndsWith": "!endsWith"}
_V1_DEFAULT = {"number": "smaller", "string": "equal", "boolean": "equal"}
_V2_OPS = {"equals": "==", "notEquals": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
           "contains": "contains", "notContains": "!contains", "startsWith": "startsWith",
           "notStartsWith": "!startsWith", "endsWith": "endsWith", "notEndsWith": "!endsWith"}
_TYPES = {"number": "number", "string": "string", "boolean": "bool"}


def short_type(node_type: str) -> str:
    return node_type.rsplit(".", 1)[-1]


def _readable(node_type: str) -> str:
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", short_type(node_type))
    return words[:1].upper() + words[1:]


def field_of(expression: Any) -> str | None:
    """``={{ $json.amount }}`` -> ``$json.amount``; None when it is not a plain field."""
    if not isinstance(expression, str):
        return None
    text = expression.strip()
    if text.startswith("="):
        text = text[1:].strip()
    match = re.fullmatch(r"\{\{\s*(.*?)\s*\}\}", text, re.S)
    if not match:
        return None
    inner = match.group(1)
    plain_field = r"""(\$json|\$\(['"][^'"]{1,200}['"]\)\.(item|first\(\)|last\(\))\.json)""" \
        r"""((\.[A-Za-z_][A-Za-z0-9_]*)|(\[['"][^'"\]]{1,100}['"]\])|(\[\d+\]))+"""
    if not re.fullmatch(plain_field, inner):
        return None
    return inner


def _is_expression(text: str) -> bool:
    """Whether a text of the export is an expression, not a value."""
    return text.startswith("=") or "{{" in text


def _comparison(left: Any, op: str | None, right: Any, type_: str, where: str,
                untranslated: list[str], described: str) -> Comparison | None:
    field = field_of(left)
    if field is None:
        untranslated.append(f"{described}: the left side {plain(left, 60)!r} is an "
                            "expression, not a plain field")
        return None
    fact = fact_name(field)
    if fact is None or op is None:
        untranslated.append(f"{described}: {plain(field, 60)} is not a field livingsys can "
                            "name" if fact is None else f"{described}: its operation is not "
                            "a simple comparison")
        return None
    if op.lstrip("!") in ("contains", "startsWith", "endsWith") and type_ != "string":
        type_ = "string"
    ok, value = literal(right, type_, _is_expression)
    if not ok:
        untranslated.append(f"{described}: the value compared with {fact} "
                            f"({plain(right, 60)!r}) is an expression or not a "
                            f"{'number' if type_ == 'number' else 'plain value'}")
        return None
    return Comparison(field=field, fact=fact, type=type_, op=op, value=value, where=where)


def _v1_conditions(conditions: Any, where: str, label: str, combine: str | None) -> Condition:
    cond = Condition(label=label)
    group: list[Comparison] = []
    if not isinstance(conditions, dict):
        cond.untranslated.append(f"{label}: no conditions")
        return cond
    for kind in ("number", "string", "boolean", "dateTime"):
        for i, item in enumerate(conditions.get(kind) or []):
            if not isinstance(item, dict):
                continue
            described = f"{label}, {kind} condition {i + 1}"
            if kind == "dateTime":
                cond.untranslated.append(f"{described}: a date comparison")
                continue
            operation = item.get("operation") or _V1_DEFAULT[kind]
            op = _V1_OPS.get(operation)
            if op is None:
                cond.untranslated.append(f"{described}: the operation '{plain(operation, 30)}'")
                continue
            right = item.get("value2", False if kind == "boolean" else None)
            found = _comparison(item.get("value1"), op, right, _TYPES[kind], where,
                                cond.untranslated, described)
            if found is not None:
                group.append(found)
    if combine == "any":
        cond.groups = [[c] for c in group]
    elif group:
        cond.groups = [group]
    return cond


def _v2_conditions(conditions: Any, where: str, label: str) -> Condition:
    cond = Condition(label=label)
    if not isinstance(conditions, dict):
        cond.untranslated.append(f"{label}: no conditions")
        return cond
    group: list[Comparison] = []
    for i, item in enumerate(conditions.get("conditions") or []):
        if not isinstance(item, dict):
            continue
        described = f"{label}, condition {i + 1}"
        operator = as_dict(item.get("operator"))
        type_ = operator.get("type", "string")
        operation = operator.get("operation", "equals")
        if type_ == "boolean" and operation in ("true", "false"):
            found = _comparison(item.get("leftValue"), "==", operation == "true", "bool",
                                where, cond.untranslated, described)
        elif type_ in _TYPES and operation in _V2_OPS:
            found = _comparison(item.get("leftValue"), _V2_OPS[operation],
                                item.get("rightValue"), _TYPES[type_], where,
                                cond.untranslated, described)
        else:
            cond.untranslated.append(f"{described}: a {plain(type_, 20)} test "
                                     f"'{plain(operation, 30)}'")
            continue
        if found is not None:
            group.append(found)
    if str(conditions.get("combinator", "and")).lower() == "or":
        cond.groups = [[c] for c in group]
    elif group:
        cond.groups = [group]
    return cond


def _version(node: dict) -> float:
    version = node.get("typeVersion", 1)
    return float(version) if isinstance(version, (int, float)) and not isinstance(
        version, bool) else 1.0


def _conditions(node: dict, short: str, where: str) -> list[Condition]:
    params = as_dict(node.get("parameters"))
    version = _version(node)
    if short in ("if", "filter"):
        label = "condition"
        conditions = params.get("conditions")
        v1_shape = isinstance(conditions, dict) and not isinstance(
            conditions.get("conditions"), list) and any(
            k in conditions for k in ("number", "string", "boolean", "dateTime"))
        if version < 2 or v1_shape:  # some exports keep the v1 shape under a newer version
            # IF v1 says combineOperation: all | any; Filter v1 combineConditions: AND | OR
            combine = params.get("combineOperation") or (
                "any" if str(params.get("combineConditions", "")).upper() == "OR" else None)
            return [_v1_conditions(params.get("conditions"), where, label, combine)]
        return [_v2_conditions(params.get("conditions"), where, label)]
    # switch
    if params.get("mode") == "expression":
        return [Condition("route", untranslated=["the output is chosen by an expression"])]
    if version >= 3:
        rules = as_dict(params.get("rules"))
        out = []
        for i, rule in enumerate(rules.get("values") or []):
            if not isinstance(rule, dict):
                continue
            name = rule.get("outputKey") if rule.get("renameOutput") else None
            label = f"output {plain(name, 40)!r}" if name else f"output {i + 1}"
            out.append(_v2_conditions(rule.get("conditions"), where, label))
        return out
    rules = as_dict(params.get("rules"))
    data_type = params.get("dataType", "number")
    out = []
    for i, rule in enumerate(rules.get("rules") or []):
        if not isinstance(rule, dict):
            continue
        output = rule.get("output", i)
        key = rule.get("outputKey")  # version 2 names its outputs
        label = described = (f"output {plain(key, 40)!r}" if isinstance(key, str) and key.strip()
                             else f"output {output if isinstance(output, int) else i}")
        cond = Condition(label=label)
        if data_type not in _V1_DEFAULT:
            cond.untranslated.append(f"{described}: a {plain(data_type, 20)} comparison")
        else:
            op = _V1_OPS.get(rule.get("operation") or "equal")
            found = None
            if op is None:
                cond.untranslated.append(
                    f"{described}: the operation '{plain(rule.get('operation'), 30)}'")
            else:
                found = _comparison(params.get("value1"), op, rule.get("value2"),
                                    _TYPES[data_type], where, cond.untranslated, described)
            if found is not None:
                cond.groups = [[found]]
        out.append(cond)
    return out


def _kind_and_sends(node_type: str, short: str, params: dict) -> tuple[str, list[Send], str]:
    operation = str(params.get("operation") or "")
    resource = str(params.get("resource") or "")
    if node_type.startswith("@n8n/n8n-nodes-langchain.") or short == "openAi" or _AI.search(
            short):
        if short.startswith(("memory", "tool", "vectorStore", "embeddings", "textSplitter",
                             "documentDefault", "outputParser", "retriever", "code",
                             "mcp", "chatTrigger", "manualChatTrigger")):
            return "automatic", [], f"{_readable(node_type)} for the AI steps"
        return "ai", [], f"AI: {_readable(node_type)}"
    if short in ("wait",) and params.get("resume") in ("webhook", "form"):
        return "human", [], "Waits for a person (a form or a link to click) before going on"
    if short == "form" or short == "formTrigger":
        return "human", [], "A person fills in a form"
    if operation == "sendAndWait":
        channel, audience = _SENDERS.get(short, ("other", "internal"))
        return ("human", [Send(channel if channel != "other" else "email", "internal")],
                "Sends a message and waits for a person to approve")
    if short in _SENDERS and not _READ_ONLY.match(operation) and resource not in (
            "label", "thread", "draft", "channel", "user", "file", "folder", "contact",
            "calendar", "event", "task", "reaction", "star", "userGroup", "member"):
        channel, audience = _SENDERS[short]
        return "automatic", [Send(channel, audience)], f"Sends by {_readable(node_type)}"
    if short in ("code", "function", "functionItem", "executeCommand"):
        return "automatic", [], "Runs code written in the workflow"
    if short in ("if", "filter", "switch"):
        return "automatic", [], {"if": "Decides which way to go", "filter": "Keeps only the "
                                 "items that pass its condition",
                                 "switch": "Chooses one of several routes"}[short]
    return "automatic", [], _readable(node_type)


def _order(nodes: list[dict], connections: Any) -> list[dict]:
    """Nodes in the order of the flow: from the triggers along the connections, then the rest
    by their place on the canvas."""
    by_name = {n["name"]: n for n in nodes}
    nexts: dict[str, list[str]] = {}
    if isinstance(connections, dict):
        for source, outputs in connections.items():
            if not isinstance(outputs, dict):
                continue
            for branches in outputs.values():
                for branch in branches if isinstance(branches, list) else []:
                    for link in branch if isinstance(branch, list) else []:
                        if isinstance(link, dict) and link.get("node") in by_name:
                            nexts.setdefault(source, []).append(link["node"])

    def place(node: dict) -> tuple:
        pos = node.get("position")
        if isinstance(pos, list) and len(pos) == 2 and all(
                isinstance(p, (int, float)) for p in pos):
            return (pos[0], pos[1])
        return (0, 0)

    targets = {t for ts in nexts.values() for t in ts}
    starts = sorted((n for n in nodes if n["name"] not in targets), key=place)
    seen: set[str] = set()
    ordered: list[dict] = []
    queue = [n["name"] for n in starts]
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        ordered.append(by_name[name])
        queue.extend(t for t in nexts.get(name, []) if t not in seen)
    ordered.extend(sorted((n for n in nodes if n["name"] not in seen), key=place))
    return ordered


def _workflow_data(data: Any, path: Path) -> dict:
    if isinstance(data, list):
        if len(data) != 1:
            raise ExportError(f"'{path}' holds {len(data)} workflows; livingsys imports one "
                              "at a time",
                              "export each workflow on its own (n8n: open it, ⋯ › Download)")
        data = data[0]
    return data


def read(data: Any, path: Path) -> Workflow:
    data = _workflow_data(data, path)
    nodes = data.get("nodes")
    if len(nodes) > MAX_STEPS:
        raise ExportError(f"'{path}' has {len(nodes):,} nodes, more than the {MAX_STEPS:,} "
                          "livingsys reads", "split the workflow into sub-workflows")
    name = data.get("name") if isinstance(data.get("name"), str) else path.stem
    workflow = Workflow(tool="n8n", name=plain(name, 200) or path.stem,
                        id=str(data["id"]) if isinstance(data.get("id"), (str, int)) else None,
                        steps=[], active=data.get("active") if isinstance(
                            data.get("active"), bool) else None)
    valid = []
    names: set[str] = set()
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("type"), str) or not isinstance(
                node.get("name"), str):
            raise ExportError(f"'{path}': node {i + 1} has no name or no type, so this is not "
                              "an n8n workflow livingsys can read",
                              "export the workflow again from n8n, unchanged")
        if node["name"] in names:
            raise ExportError(f"'{path}': two nodes are named '{plain(node['name'], 60)}'; n8n "
                              "gives each node its own name", "export it again from n8n")
        names.add(node["name"])
        valid.append(node)
    for node in _order(valid, data.get("connections")):
        node_type = node["type"]
        short = short_type(node_type)
        node_name = plain(node["name"], 200)
        if isinstance(node.get("credentials"), dict) and node["credentials"]:
            workflow.credentials.append(node_name)
        if node_type in _SKIPPED:
            workflow.skipped.append(f"{_SKIPPED[node_type]} '{plain(node_name, 60)}'")
            continue
        if node.get("disabled") is True:
            workflow.skipped.append(f"disabled node '{plain(node_name, 60)}'")
            continue
        if node_type.startswith("n8n-nodes-base.") and short in KNOWN_VERSIONS and (
                int(_version(node)) > KNOWN_VERSIONS[short]):
            raise ExportError(
                f"'{path}': node '{plain(node_name, 60)}' is "
                f"{'an IF' if short == 'if' else 'a ' + short.capitalize()} "
                f"node of version {node.get('typeVersion')}, newer than livingsys knows (up to "
                f"version {KNOWN_VERSIONS[short]}.x), so its conditions cannot be read",
                "update livingsys; until then, compare this node by hand")
        params = as_dict(node.get("parameters"))
        kind, sends, does = _kind_and_sends(node_type, short, params)
        key = str(node["id"]) if isinstance(node.get("id"), (str, int)) and str(
            node["id"]).strip() else node["name"]
        step = ToolStep(key=key, name=node_name, type=node_type, kind=kind, does=does,
                        trigger=bool(_TRIGGER.search(short)), sends=sends,
                        label=f"n8n node '{plain(node_name, 60)}'")
        if node_type.startswith("n8n-nodes-base.") and short in ("if", "filter", "switch"):
            kind_word = {"if": "IF", "filter": "Filter", "switch": "Switch"}[short]
            step.label = f"n8n {kind_word} node '{plain(node_name, 60)}'"
            step.conditions = _conditions(node, short, step.label)
        if short in ("code", "function", "functionItem"):
            step.notes.append("runs code: livingsys cannot read what it decides; describe "
                              "it in plain words")
        if not node_type.startswith(("n8n-nodes-base.", "@n8n/")):
            step.notes.append(f"a community node ({plain(node_type, 60)}): say what it does")
        workflow.steps.append(step)
    return workflow
