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

from livingsys import i18n
from livingsys.i18n import N_, _, ngettext
from livingsys.reading.reviews import STANDING_QUESTIONS
from livingsys.reading.validation import did_you_mean

if TYPE_CHECKING:
    from livingsys.reading.registry import Registry

#: The option that answers each question.
ANSWER_OPTIONS = {"rules_changed": "--rules-changed", "incidents": "--incidents",
                  "simplify": "--simplify"}
SEVERITIES = ("low", "medium", "high", "critical")
SLUG_MAX = 40
def question(key: str) -> str:
    """The standing question ``key`` ('rules_changed'...) in the language spoken."""
    return _(STANDING_QUESTIONS[key])


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
        raise RecordError(_("automation '{id}' was renamed '{now}' (its formerly)").format(
            id=automation_id, now=now), _("write --automation {now}").format(now=now))
    known = sorted(e.model.id if e.model else e.stem for e in registry.automations)
    guess = did_you_mean(automation_id, known)
    message = (_("automation '{id}' is not in the registry — did you mean '{guess}'?") if guess
               else _("automation '{id}' is not in the registry"))
    raise RecordError(
        message.format(id=automation_id, guess=guess),
        _("automations: {ids}").format(
            ids=", ".join(known) or _("none yet (add one with `livingsys new`)")))


def people_of(registry: Registry) -> dict[str, Any]:
    people = registry.people
    if people is None:
        raise RecordError(_("people.yaml is missing or invalid, so attendees cannot be "
                            "checked"), _("fix it first (`livingsys lint` says how)"))
    return people


def check_person(people: dict[str, Any], person: str, what: str) -> str:
    """``person``, an id of people.yaml; else a RecordError naming the person as ``what``
    (a role marked with N_: 'attendee', translated here)."""
    person = person.strip()
    if person in people:
        return person
    guess = did_you_mean(person, list(people))
    message = (_("{role} '{person}' is not in people.yaml — did you mean '{guess}'?") if guess
               else _("{role} '{person}' is not in people.yaml"))
    raise RecordError(
        message.format(role=_(what), person=person, guess=guess),
        _("people: {ids} (add newcomers to people.yaml first)").format(ids=", ".join(people)))


def check_date(day: dt.date, what: str, today: dt.date | None = None) -> dt.date:
    """``day``, unless it is after ``today``; ``what``: 'review' or 'incident'."""
    today = today or dt.date.today()
    if day > today:
        message = (_("the incident date {day} is in the future") if what == "incident"
                   else _("the review date {day} is in the future"))
        raise RecordError(message.format(day=i18n.day(day)),
                          _("record it on or after the day it happened (today is {today}), or "
                            "give --date YYYY-MM-DD").format(today=i18n.day(today)))
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
        raise RecordError(_("action '{value}' is not 'what|who|YYYY-MM-DD'").format(
            value=value), _("e.g. --action 'Update the reminder template|t.nguyen|2026-12-05' "
                            "(the date may be left out: 'what|who')"))
    action: dict[str, Any] = {"what": parts[0],
                              "who": check_person(people, parts[1], N_("action owner"))}
    if len(parts) == 3 and parts[2]:
        try:
            action["due"] = dt.date.fromisoformat(parts[2])
        except ValueError:
            raise RecordError(_("the due date '{due}' of action '{what}' is not a "
                                "date").format(due=parts[2], what=parts[0]),
                              _("write it YYYY-MM-DD, e.g. 2026-12-05")) from None
    return action


def assign(values: list[str], ids: list[str], what: str, option: str) -> dict[str, list[str]]:
    """Each value to its automation: the one it names, else the only one reviewed. ``what``:
    'decision' or 'action'."""
    out: dict[str, list[str]] = {i: [] for i in ids}
    for value in values:
        target, text = split_target(value, ids)
        if not text:
            continue
        if target is None:
            if len(ids) > 1:
                message = (_("action '{text}' does not say which automation it is about")
                           if what == "action" else
                           _("decision '{text}' does not say which automation it is about"))
                raise RecordError(
                    message.format(text=text),
                    _("start it with the automation's id: {option} '{id}: {text}'").format(
                        option=option, id=ids[0], text=text))
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
        raise RecordError(_("livingsys produced YAML it cannot read back for {path}: "
                            "{problems}").format(
                                path=path, problems="; ".join(f.message for f in doc.findings)),
                          _("please report this; nothing was written"))
    instance, findings = validate(model, doc.data, path)
    if instance is None or findings:
        raise RecordError(_("the minutes are not valid: {problems}").format(
            problems="; ".join(f"{f.message}" for f in findings)),
            findings[0].hint if findings else None)
    return instance


def _validate(model, data: dict[str, Any]) -> None:
    """A first check with the model, before any text is written."""
    from pydantic import ValidationError

    try:
        model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ()))
        raise RecordError(f"{where}: {error.get('msg')}",
                          _("check the values given")) from None


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
        raise RecordError(_("absence '{value}' is not 'PERSON: reason'").format(value=value),
                          _("e.g. --absent 't.nguyen: on leave; answered the questions by "
                            "email'"))
    return {"person": check_person(people, person, N_("absent person")),
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
            ngettext("{n} automation for one meeting: a review covers at most {limit} "
                     "(review.max_items in livingsys.yaml; the article: 2 or 3, no more)",
                     "{n} automations for one meeting: a review covers at most {limit} "
                     "(review.max_items in livingsys.yaml; the article: 2 or 3, no more)",
                     len(ids)).format(n=len(ids), limit=limit),
            _("record the ones this meeting really reviewed; the others go to the next "
              "meeting (`livingsys agenda` lists them under Also due)"))
    both = [a["person"] for a in absent if a["person"] in attendees]
    if both:
        raise RecordError(_("{people} given both as attendee and as absent").format(
            people=", ".join(both)), _("keep each person in one of the two"))
    missing = missing_people(registry, expected_now(registry, ids), attendees,
                             [a["person"] for a in absent])
    if missing:
        raise RecordError(
            _("the business owner and the maintainer of each automation attend its review, "
              "or their absence is recorded with a reason; not there: {people}").format(
                  people="; ".join(m.describe() for m in missing)),
            _("add {options} if they were there, or --absent '{person}: why (e.g. on leave, "
              "answered by email)'").format(
                  options=" ".join(f"--attendee {m.person}" for m in missing),
                  person=missing[0].person))


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
        more = len(item.changes) - 3
        shown = item.changes[:3] + ([ngettext("and {n} more", "and {n} more", more).format(
            n=more)] if more > 0 else [])
        lines.append(_("{automation}: answered '{answer}', but since its previous review: "
                       "{changes}").format(automation=item.automation, answer=item.answer,
                                           changes="; ".join(shown)))
    first = denied[0].automation
    raise RecordError(
        _("\"have the business rules changed?\" answered no, but the registry's history "
          "shows changes:\n  {changes}").format(changes="\n  ".join(lines)),
        _("say what the meeting concluded about them, e.g. --rules-changed '{id}: yes, the "
          "shared threshold is now 3,000 EUR; the conditions follow it' (or, if the changes "
          "do not change the business, say why: 'no: only a typo fixed')").format(id=first))


def build_review(registry: Registry, draft: ReviewDraft, *, history: bool = True
                 ) -> tuple[dict[str, Any], Any]:
    """The minutes' data, checked (automations, people, dates, answers, the meeting's rules
    of :mod:`livingsys.ritual.minutes`) and validated. ``history``: compare a "rules changed? no"
    with the git history."""
    from livingsys.models import Review
    from livingsys.reading.reviews import roles

    check_date(draft.date, "review")
    if not draft.automations:
        raise RecordError(_("no automation given"), _("name each automation reviewed with "
                                                      "--automation ID (the article: 2 or 3 "
                                                      "per meeting)"))
    ids = list(dict.fromkeys(check_automation(registry, a) for a in draft.automations))
    people = people_of(registry)
    if not draft.attendees:
        raise RecordError(_("no attendee given"), _("name each person present with --attendee "
                                                    "ID (ids from people.yaml)"))
    attendees = list(dict.fromkeys(check_person(people, a, N_("attendee"))
                                   for a in draft.attendees))
    absent = list({a["person"]: a for a in (parse_absence(v, people)
                                            for v in draft.absent)}.values())
    given = answers_given(draft.answers, ids)
    missing = [(i, q) for i in ids for q in STANDING_QUESTIONS if q not in given[i]]
    if missing:
        options = sorted({ANSWER_OPTIONS[q] for _id, q in missing},
                         key=list(ANSWER_OPTIONS.values()).index)
        raise RecordError(
            _("the three standing questions need an answer for each automation; missing: "
              "{missing}").format(missing="; ".join(
                  _("{automation}: {question}").format(automation=i, question=question(q))
                  for i, q in missing)),
            _("pass {options} (one answer for all, or 'ID: answer' for one automation), or "
              "run the command in a terminal to be asked").format(options=", ".join(options)))
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


def minutes_exist(day: dt.date, shown: str) -> tuple[str, str]:
    """The message and hint when minutes of ``day`` exist already (at ``shown``)."""
    return (_("minutes for {day} already exist: {path}; it was not changed").format(
                day=i18n.day(day), path=shown),
            _("edit that file to add to it, or record these minutes with another --date"))


def write_review(registry: Registry, draft: ReviewDraft) -> tuple[Path, dict[str, Any]]:
    """Write reviews/<date>.yaml; refuses to replace minutes of the same day."""
    from livingsys.models import Review

    root = Path(registry.root)
    existing = review_file(root, draft.date)
    if existing is not None:
        raise RecordError(*minutes_exist(draft.date, registry.display(
            existing.relative_to(root).as_posix())))
    data, _model = build_review(registry, draft)
    rel = f"reviews/{draft.date.isoformat()}.yaml"
    header = [_("Minutes of the automation review of {day}, written by `livingsys review "
                "record`.").format(day=i18n.day(draft.date)),
              *_("`livingsys review-due` counts each automation below as reviewed on this "
                 "date\nand compares it with the registry as it was at "
                 "registry_commit.").split("\n")]
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
        raise RecordError(_("the summary is empty"),
                          _("say what happened in a sentence, e.g. --summary 'Reminders sent "
                            "twice to 12 clients'"))
    if severity not in SEVERITIES:
        raise RecordError(_("severity '{severity}' is not one of {severities}").format(
            severity=severity, severities=", ".join(SEVERITIES)), _("e.g. --severity high"))
    data: dict[str, Any] = {"date": day, "automation": automation, "summary": summary,
                            "severity": severity, "status": status}
    if time:
        if not re.fullmatch(r"([01]?[0-9]|2[0-3]):[0-5][0-9]", time.strip()):
            raise RecordError(_("the time '{time}' is not a time of day HH:MM").format(
                time=time), _("e.g. --time 14:30 (24 hours)"))
        data["time"] = time.strip().zfill(5)
    if reported_by:
        data["reported_by"] = check_person(people_of(registry), reported_by, N_("reporter"))
    if action_taken and action_taken.strip():
        data["action_taken"] = " ".join(action_taken.split())
    _validate(Incident, data)
    root = Path(registry.root)
    header = [_("Incident on {automation}, logged by `livingsys incident add`.").format(
                  automation=automation),
              _("`livingsys review-due` lists it until the automation's next review.")]
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
    raise RecordError(_("could not find a free file name for the "  # pragma: no cover
                        "incident"), _("remove old incidents of that day with the same "
                                       "summary"))
