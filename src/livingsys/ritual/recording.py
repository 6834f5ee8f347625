"""Writing the minutes of a review and an incident: `review record`, `incident add`.

Both build the file's data, validate it with the model (:class:`~livingsys.models.Review`,
:class:`~livingsys.models.Incident`) and the registry (automations and people must exist),
write it as commented YAML that reads back exactly, atomically, and never over an existing
file. Problems are :class:`RecordError` with a plain message and a hint.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livingsys.reading.reviews import STANDING_QUESTIONS
from livingsys.reading.validation import did_you_mean

if TYPE_CHECKING:
    from livingsys.reading.registry import Registry

#: The option that answers each question.
ANSWER_OPTIONS = {"rules_changed": "--rules-changed", "incidents": "--incidents",
                  "simplify": "--simplify"}
SEVERITIES = ("low", "medium", "high", "critical")
SLUG_MAX = 40


class RecordError(Exception):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


# --------------------------------------------------------------------------------------------
# checks against the registry


def check_automation(registry: Registry, automation_id: str) -> str:
    from livingsys.reading.renames import names

    automation_id = automation_id.strip()
    if registry.automation(automation_id) is not None:
        return automation_id
    now = names(registry).former.get(automation_id)
    if now is not None:
        raise RecordError(f"automation '{automation_id}' was renamed '{now}' (its formerly)",
                          f"write --automation {now}")
    known = sorted(e.model.id if e.model else e.stem for e in registry.automations)
    guess = did_you_mean(automation_id, known)
    raise RecordError(
        f"automation '{automation_id}' is not in the registry"
        + (f" — did you mean '{guess}'?" if guess else ""),
        "automations: " + (", ".join(known) or "none yet (add one with `livingsys new`)"))


def people_of(registry: Registry) -> dict[str, Any]:
    people = registry.people
    if people is None:
        raise RecordError("people.yaml is missing or invalid, so attendees cannot be checked",
                          "fix it first (`livingsys lint` says how)")
    return people


def check_person(people: dict[str, Any], person: str, what: str) -> str:
    person = person.strip()
    if person in people:
        return person
    guess = did_you_mean(person, list(people))
    raise RecordError(
        f"{what} '{person}' is not in people.yaml"
        + (f" — did you mean '{guess}'?" if guess else ""),
        "people: " + ", ".join(people) + " (add newcomers to people.yaml first)")


def check_date(day: dt.date, what: str, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    if day > today:
        raise RecordError(f"the {what} date {day.isoformat()} is in the future",
                          f"record it on or after the day it happened (today is "
                          f"{today.isoformat()}), or give --date YYYY-MM-DD")
    return day


# --------------------------------------------------------------------------------------------
# values aimed at one automation: "payment-reminders: the threshold is now 3,000 EUR"


def split_target(value: str, ids: list[str]) -> tuple[str | None, str]:
    """('payment-reminders', 'text') when ``value`` starts with one of ``ids`` and a colon."""
    head, sep, rest = value.partition(":")
    if sep and head.strip() in ids:
        return head.strip(), rest.strip()
    return None, value.strip()


def parse_action(value: str, people: dict[str, Any]) -> dict[str, Any]:
    """'what|who|YYYY-MM-DD' (the date is optional) -> {what, who, due}."""
    parts = [p.strip() for p in value.split("|")]
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise RecordError(f"action '{value}' is not 'what|who|YYYY-MM-DD'",
                          "e.g. --action 'Update the reminder template|t.nguyen|2026-12-05' "
                          "(the date may be left out: 'what|who')")
    action: dict[str, Any] = {"what": parts[0],
                              "who": check_person(people, parts[1], "action owner")}
    if len(parts) == 3 and parts[2]:
        try:
            action["due"] = dt.date.fromisoformat(parts[2])
        except ValueError:
            raise RecordError(f"the due date '{parts[2]}' of action '{parts[0]}' is not a date",
                              "write it YYYY-MM-DD, e.g. 2026-12-05") from None
    return action


def assign(values: list[str], ids: list[str], what: str, option: str) -> dict[str, list[str]]:
    """Each value to its automation: the one it names, else the only one reviewed."""
    out: dict[str, list[str]] = {i: [] for i in ids}
    for value in values:
        target, text = split_target(value, ids)
        if not text:
            continue
        if target is None:
            if len(ids) > 1:
                raise RecordError(
                    f"{what} '{text}' does not say which automation it is about",
                    f"start it with the automation's id: {option} '{ids[0]}: {text}'")
            target = ids[0]
        out[target].append(text)
    return out


def answers_given(values: dict[str, list[str]], ids: list[str]) -> dict[str, dict[str, str]]:
    """Per automation, per question: the answer aimed at it, else the one without an id."""
    out: dict[str, dict[str, str]] = {i: {} for i in ids}
    for question, given in values.items():
        general: str | None = None
        specific: dict[str, str] = {}
        for value in given:
            target, text = split_target(value, ids)
            if not text:
                continue
            if target is None:
                general = text
            else:
                specific[target] = text
        for ident in ids:
            answer = specific.get(ident, general)
            if answer:
                out[ident][question] = answer
    return out


# --------------------------------------------------------------------------------------------
# YAML text that reads back exactly


def _scalar(value: Any, indent: int, key_width: int) -> str:
    """``value`` after 'key: ' — a folded block (>-) for sentences too long for one line, when
    it reads back exactly; plain or double-quoted otherwise."""
    from livingsys.reading.yamlsource import parse
    from livingsys.reading.yamltext import printable, yaml_scalar

    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    single = yaml_scalar(text)
    if len(single) + indent + key_width <= 96 or "  " in text \
            or not all(printable(c) for c in text):
        return single
    lines = textwrap.wrap(text, 96 - indent - 2, break_on_hyphens=False,
                          break_long_words=False)
    pad = " " * (indent + 2)
    folded = ">-\n" + "\n".join(pad + line for line in lines)
    check = parse("k: " + folded.replace("\n" + pad, "\n  ") + "\n", "value")
    if isinstance(check.data, dict) and check.data.get("k") == text and not check.findings:
        return folded
    return single


def _flow_list(values: list[str]) -> str:
    from livingsys.reading.yamltext import yaml_scalar

    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def review_yaml(data: dict[str, Any], header: list[str]) -> str:
    lines = [f"# {h}" if h else "#" for h in header]
    lines.append(f"date: {data['date'].isoformat()}")
    if data.get("registry_commit"):
        lines.append(f"registry_commit: {data['registry_commit']}")
    lines.append(f"attendees: {_flow_list(data['attendees'])}")
    if data.get("absent"):
        lines.append("absent:")
        for absence in data["absent"]:
            lines.append(f"  - person: {absence['person']}")
            lines.append(f"    reason: {_scalar(absence['reason'], 4, 8)}")
    lines.append("automations:")
    for item in data["automations"]:
        lines.append(f"  - id: {item['id']}")
        for key in ("owner", "maintainer"):
            if item.get(key):
                lines.append(f"    {key}: {item[key]}")
        lines.append("    answers:")
        for key in STANDING_QUESTIONS:
            lines.append(f"      {key}: {_scalar(item['answers'][key], 6, len(key) + 2)}")
        if item.get("decisions"):
            lines.append("    decisions:")
            for decision in item["decisions"]:
                lines.append(f"      - {_scalar(decision, 6, 2)}")
        if item.get("actions"):
            lines.append("    actions:")
            for action in item["actions"]:
                lines.append(f"      - what: {_scalar(action['what'], 8, 6)}")
                lines.append(f"        who: {action['who']}")
                if action.get("due"):
                    lines.append(f"        due: {action['due'].isoformat()}")
    if data.get("notes"):
        lines.append(f"notes: {_scalar(data['notes'], 0, 7)}")
    return "\n".join(lines) + "\n"


def incident_yaml(data: dict[str, Any], header: list[str]) -> str:
    lines = [f"# {h}" if h else "#" for h in header]
    for key in ("date", "time", "automation", "summary", "severity", "status", "reported_by",
                "action_taken"):
        value = data.get(key)
        if value is None or value == "":
            continue
        lines.append(f"{key}: {_scalar(value, 0, len(key) + 2)}")
    return "\n".join(lines) + "\n"


def _reads_back(text: str, data: dict[str, Any], model, path: str) -> Any:
    """Parse and validate ``text``; it must give ``data`` back (else a RecordError)."""
    from livingsys.reading.validation import validate
    from livingsys.reading.yamlsource import parse

    doc = parse(text, path)
    if doc.data is None or doc.findings:
        raise RecordError(f"livingsys produced YAML it cannot read back for {path}: "
                          + "; ".join(f.message for f in doc.findings),
                          "please report this; nothing was written")
    instance, findings = validate(model, doc.data, path)
    if instance is None or findings:
        raise RecordError("the minutes are not valid: " + "; ".join(
            f"{f.message}" for f in findings), findings[0].hint if findings else None)
    return instance


def _validate(model, data: dict[str, Any]) -> None:
    """A first check with the model, before any text is written."""
    from pydantic import ValidationError

    try:
        model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ()))
        raise RecordError(f"{where}: {error.get('msg')}", "check the values given") from None


def _writer(root: Path, rel: str, text: str) -> Path:
    from livingsys.reading.writing import WriteError, inside, write_text_atomic

    try:
        target = inside(root, root / rel)
        write_text_atomic(target, text)
    except WriteError as exc:
        raise RecordError(str(exc), exc.hint) from None
    return target


# --------------------------------------------------------------------------------------------
# review record


@dataclass
class ReviewDraft:
    """What the command line gave, before it is checked."""

    date: dt.date
    automations: list[str]
    attendees: list[str]
    #: question -> answers given (each maybe 'id: answer').
    answers: dict[str, list[str]] = field(default_factory=dict)
    decisions: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    notes: str | None = None
    registry_commit: str | None = None
    #: 'person: reason' for an owner or maintainer who was not there.
    absent: list[str] = field(default_factory=list)


def review_file(root: Path, day: dt.date) -> Path | None:
    """The minutes already written for ``day``, if any."""
    for suffix in (".yaml", ".yml"):
        path = root / "reviews" / f"{day.isoformat()}{suffix}"
        if path.exists() or path.is_symlink():
            return path
    return None


def missing_answers(draft: ReviewDraft) -> list[tuple[str, str]]:
    """(automation, question) pairs without an answer."""
    ids = draft.automations
    given = answers_given(draft.answers, ids)
    return [(i, q) for i in ids for q in STANDING_QUESTIONS if q not in given[i]]


def parse_absence(value: str, people: dict[str, Any]) -> dict[str, str]:
    """'person: reason' -> {person, reason}."""
    person, sep, reason = value.partition(":")
    if not sep or not person.strip() or not reason.strip():
        raise RecordError(f"absence '{value}' is not 'PERSON: reason'",
                          "e.g. --absent 't.nguyen: on leave; answered the questions by email'")
    return {"person": check_person(people, person, "absent person"),
            "reason": " ".join(reason.split())}


def check_meeting(registry: Registry, ids: list[str], attendees: list[str],
                  absent: list[dict[str, str]]) -> None:
    """The article's meeting: at most review.max_items automations, each one's business owner
    and maintainer present or absent with a reason (the same rules as lint's G027, G028)."""
    from livingsys.reading.reviews import item_limit, missing_people, too_many
    from livingsys.ritual.minutes import expected_now

    limit = item_limit(registry)
    if too_many(len(ids), limit):
        raise RecordError(
            f"{len(ids)} automations for one meeting: a review covers at most {limit} "
            "(review.max_items in livingsys.yaml; the article: 2 or 3, no more)",
            "record the ones this meeting really reviewed; the others go to the next meeting "
            "(`livingsys agenda` lists them under Also due)")
    both = [a["person"] for a in absent if a["person"] in attendees]
    if both:
        raise RecordError(f"{', '.join(both)} given both as attendee and as absent",
                          "keep each person in one of the two")
    missing = missing_people(registry, expected_now(registry, ids), attendees,
                             [a["person"] for a in absent])
    if missing:
        raise RecordError(
            "the business owner and the maintainer of each automation attend its review, or "
            "their absence is recorded with a reason; not there: "
            + "; ".join(m.describe() for m in missing),
            "add --attendee " + " --attendee ".join(m.person for m in missing)
            + " if they were there, or --absent '" + missing[0].person
            + ": why (e.g. on leave, answered by email)'")


def check_rules_answers(registry: Registry, day: dt.date,
                        given: dict[str, dict[str, str]]) -> None:
    """Refuse a bare "no" to "have the rules changed?" for an automation whose registry
    history shows changes since its previous review. Without readable history, nothing is
    compared (`review record` already says the minutes name no commit)."""
    from livingsys.history import HistoryError
    from livingsys.ritual.minutes import rules_change_denied

    answers = {ident: a["rules_changed"] for ident, a in given.items() if "rules_changed" in a}
    try:
        denied = rules_change_denied(registry, day, answers)
    except HistoryError:
        return
    if not denied:
        return
    lines = []
    for item in denied:
        shown = item.changes[:3] + ([f"and {len(item.changes) - 3} more"]
                                    if len(item.changes) > 3 else [])
        lines.append(f"{item.automation}: answered '{item.answer}', but since its previous "
                     "review: " + "; ".join(shown))
    first = denied[0].automation
    raise RecordError(
        "\"have the business rules changed?\" answered no, but the registry's history shows "
        "changes:\n  " + "\n  ".join(lines),
        f"say what the meeting concluded about them, e.g. --rules-changed '{first}: yes, the "
        "shared threshold is now 3,000 EUR; the conditions follow it' (or, if the changes do "
        "not change the business, say why: 'no: only a typo fixed')")


def build_review(registry: Registry, draft: ReviewDraft, *, history: bool = True
                 ) -> tuple[dict[str, Any], Any]:
    """The minutes' data, checked (automations, people, dates, answers, the meeting's rules
    of :mod:`livingsys.ritual.minutes`) and validated. ``history``: compare a "rules changed? no"
    with the git history."""
    from livingsys.models import Review
    from livingsys.reading.reviews import roles

    check_date(draft.date, "review")
    if not draft.automations:
        raise RecordError("no automation given", "name each automation reviewed with "
                          "--automation ID (the article: 2 or 3 per meeting)")
    ids = list(dict.fromkeys(check_automation(registry, a) for a in draft.automations))
    people = people_of(registry)
    if not draft.attendees:
        raise RecordError("no attendee given", "name each person present with --attendee ID "
                          "(ids from people.yaml)")
    attendees = list(dict.fromkeys(check_person(people, a, "attendee")
                                   for a in draft.attendees))
    absent = list({a["person"]: a for a in (parse_absence(v, people)
                                            for v in draft.absent)}.values())
    given = answers_given(draft.answers, ids)
    missing = [(i, q) for i in ids for q in STANDING_QUESTIONS if q not in given[i]]
    if missing:
        options = sorted({ANSWER_OPTIONS[q] for _id, q in missing},
                         key=list(ANSWER_OPTIONS.values()).index)
        raise RecordError(
            "the three standing questions need an answer for each automation; missing: "
            + "; ".join(f"{i}: {STANDING_QUESTIONS[q]}" for i, q in missing),
            f"pass {', '.join(options)} (one answer for all, or 'ID: answer' for one "
            "automation), or run the command in a terminal to be asked")
    decisions = assign(draft.decisions, ids, "decision", "--decision")
    actions_text = assign(draft.actions, ids, "action", "--action")
    items = []
    for ident in ids:
        item: dict[str, Any] = {"id": ident}
        # who held the roles at the meeting: lint checks the attendance against them later,
        # whoever owns the automation by then
        owner, maintainer = roles(registry, ident) or (None, None)
        if owner:
            item["owner"] = owner
        if maintainer:
            item["maintainer"] = maintainer
        item["answers"] = given[ident]
        if decisions[ident]:
            item["decisions"] = decisions[ident]
        if actions_text[ident]:
            item["actions"] = [parse_action(a, people) for a in actions_text[ident]]
        items.append(item)
    # the values are all well formed: now the article's meeting
    check_meeting(registry, ids, attendees, absent)
    if history:
        check_rules_answers(registry, draft.date, given)
    data: dict[str, Any] = {"date": draft.date}
    if draft.registry_commit:
        data["registry_commit"] = draft.registry_commit
    data["attendees"] = attendees
    if absent:
        data["absent"] = absent
    data["automations"] = items
    if draft.notes and draft.notes.strip():
        data["notes"] = draft.notes.strip()
    _validate(Review, data)
    return data, Review


def write_review(registry: Registry, draft: ReviewDraft) -> tuple[Path, dict[str, Any]]:
    """Write reviews/<date>.yaml; refuses to replace minutes of the same day."""
    from livingsys.models import Review

    root = Path(registry.root)
    existing = review_file(root, draft.date)
    if existing is not None:
        raise RecordError(
            f"minutes for {draft.date.isoformat()} already exist: "
            f"{registry.display(existing.relative_to(root).as_posix())}; it was not changed",
            "edit that file to add to it, or record these minutes with another --date")
    data, _ = build_review(registry, draft)
    rel = f"reviews/{draft.date.isoformat()}.yaml"
    header = [f"Minutes of the automation review of {draft.date.isoformat()}, written by "
              "`livingsys review record`.",
              "`livingsys review-due` counts each automation below as reviewed on this date",
              "and compares it with the registry as it was at registry_commit."]
    header = _modeline(root, "review", "reviews") + header
    text = review_yaml(data, header)
    _reads_back(text, data, Review, registry.display(rel))
    return _writer(root, rel, text), data


def _modeline(root: Path, kind: str, folder: str) -> list[str]:
    from livingsys.reading.schema import REGISTRY_SCHEMA_DIR, modeline

    if (root / REGISTRY_SCHEMA_DIR / f"{kind}.json").is_file():
        return [modeline(kind, folder)[2:]]
    return []


# --------------------------------------------------------------------------------------------
# incident add


def slug(summary: str, limit: int = SLUG_MAX) -> str:
    """'Relances envoyées en double !' -> 'relances-envoyees-en-double' (ASCII, at most
    ``limit`` characters, cut between words); 'incident' when nothing is left."""
    text = unicodedata.normalize("NFKD", summary)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            if not out:
                out = word[:limit]
            break
        out = candidate
    return out or "incident"


def incident_rel(root: Path, day: dt.date, name: str) -> str:
    """incidents/<date>-<slug>.yaml, with -2, -3... when the name is taken."""
    base = f"{day.isoformat()}-{name}"
    number = 1
    while True:
        stem = base if number == 1 else f"{base}-{number}"
        if not any((root / "incidents" / f"{stem}{s}").exists()
                   or (root / "incidents" / f"{stem}{s}").is_symlink()
                   for s in (".yaml", ".yml")):
            return f"incidents/{stem}.yaml"
        number += 1


def write_incident(registry: Registry, *, automation: str, summary: str, day: dt.date,
                   time: str | None = None, severity: str = "medium",
                   reported_by: str | None = None,
                   action_taken: str | None = None, status: str = "open"
                   ) -> tuple[Path, dict[str, Any]]:
    from livingsys.models import Incident

    check_date(day, "incident")
    automation = check_automation(registry, automation)
    summary = " ".join((summary or "").split())
    if not summary:
        raise RecordError("the summary is empty",
                          "say what happened in a sentence, e.g. --summary 'Reminders sent "
                          "twice to 12 clients'")
    if severity not in SEVERITIES:
        raise RecordError(f"severity '{severity}' is not one of {', '.join(SEVERITIES)}",
                          "e.g. --severity high")
    data: dict[str, Any] = {"date": day, "automation": automation, "summary": summary,
                            "severity": severity, "status": status}
    if time:
        if not re.fullmatch(r"([01]?[0-9]|2[0-3]):[0-5][0-9]", time.strip()):
            raise RecordError(f"the time '{time}' is not a time of day HH:MM",
                              "e.g. --time 14:30 (24 hours)")
        data["time"] = time.strip().zfill(5)
    if reported_by:
        data["reported_by"] = check_person(people_of(registry), reported_by, "reporter")
    if action_taken and action_taken.strip():
        data["action_taken"] = " ".join(action_taken.split())
    _validate(Incident, data)
    root = Path(registry.root)
    header = [f"Incident on {automation}, logged by `livingsys incident add`.",
              "`livingsys review-due` lists it until the automation's next review."]
    header = _modeline(root, "incident", "incidents") + header
    text = incident_yaml(data, header)
    for _attempt in range(20):  # another process may take the name in between: try the next
        rel = incident_rel(root, day, slug(summary))
        _reads_back(text, data, Incident, registry.display(rel))
        try:
            return _writer(root, rel, text), data
        except RecordError:
            if not (root / rel).exists():
                raise
    raise RecordError("could not find a free file name for the incident",  # pragma: no cover
                      "remove old incidents of that day with the same summary")
