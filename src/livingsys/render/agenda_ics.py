"""The review meeting as a calendar invite (.ics, RFC 5545), built with icalendar.

One event on the meeting's day, at the time given (floating local time: the meeting is at
10:00 wherever the company is), as long as the agenda (45 minutes by default). The chair is
the organiser; every attendee whose contact in people.yaml is an email address is invited;
the description is the agenda's text, so the invite is enough to prepare the meeting.

Text from the registry reaches other programs here (calendar clients): it goes through
:func:`livingsys.neutral.for_calendar` (control characters made visible), and icalendar
escapes what RFC 5545 gives a meaning to (commas, semicolons, backslashes, line breaks) and
folds long lines.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from livingsys.i18n import _
from livingsys.neutral import for_calendar
from livingsys.ritual.agenda import Agenda

_EMAIL = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+")


def email_of(person: Any) -> str | None:
    """The email address in a person's contact, if it holds one."""
    contact = getattr(person, "contact", None) or ""
    match = _EMAIL.search(contact)
    return match.group(0) if match else None


def description(agenda: Agenda) -> str:
    """The agenda's text, without styles and unwrapped (calendar clients wrap it)."""
    from rich.text import Text

    from livingsys.render.agenda import text_lines
    from livingsys.render.width import wrapping

    with wrapping(None):
        lines = text_lines(agenda)
    return "\n".join(Text.from_markup(line).plain.rstrip() for line in lines).strip() + "\n"


def ics(agenda: Agenda, people: dict[str, Any], start: dt.time,
        stamp: dt.datetime | None = None) -> bytes:
    """The invite for ``agenda``'s meeting, starting at ``start`` on its day."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//livingsys//automation review//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    begin = dt.datetime.combine(agenda.date, start)
    ascii_name = unicodedata.normalize("NFKD", agenda.organisation).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.decode().lower()).strip("-") or "registry"
    event.add("uid", f"livingsys-review-{agenda.date.isoformat()}@{slug}")
    event.add("dtstamp", stamp or dt.datetime.now(dt.UTC).replace(microsecond=0))
    event.add("dtstart", begin)
    event.add("dtend", begin + dt.timedelta(minutes=agenda.duration))
    ids = ", ".join(i.due.automation for i in agenda.items) or _("no automation due")
    event.add("summary", for_calendar(_("Automation review — {organisation}: {ids}").format(
        organisation=agenda.organisation, ids=ids)))
    event.add("description", for_calendar(description(agenda)))
    chair = people.get(agenda.chair.id) if agenda.chair else None
    if chair is not None and email_of(chair):
        organizer = icalendar.vCalAddress(f"mailto:{email_of(chair)}")
        organizer.params["cn"] = icalendar.vText(for_calendar(chair.name, param=True))
        event.add("organizer", organizer)
    for attendee in agenda.attendees:
        person = people.get(attendee.id)
        address = email_of(person) if person is not None else None
        if address is None:
            continue
        invited = icalendar.vCalAddress(f"mailto:{address}")
        invited.params["cn"] = icalendar.vText(for_calendar(attendee.name, param=True))
        invited.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        invited.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        invited.params["rsvp"] = icalendar.vText("TRUE")
        event.add("attendee", invited, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()


def uninvited(agenda: Agenda, people: dict[str, Any]) -> list[str]:
    """Attendees the invite cannot reach: no email address in people.yaml."""
    return [a.name for a in agenda.attendees
            if people.get(a.id) is None or email_of(people[a.id]) is None]
