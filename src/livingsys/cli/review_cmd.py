"""`livingsys review record`: write the minutes of a review meeting."""

from __future__ import annotations

from typing import Annotated

import typer

from livingsys import i18n
from livingsys.cli.common import (
    InteractiveOption,
    RegistryOption,
    fail,
    interactive,
    load,
    parse_date,
    speak_for,
    stderr,
    stdout,
)
from livingsys.i18n import N_, _, ngettext

ORDER = 40

review_app = typer.Typer(
    name="review", help="The monthly review: record its minutes (see also review-due, agenda).",
    no_args_is_help=True, rich_markup_mode="rich")

Many = list[str] | None


def record(
    automation: Annotated[Many, typer.Option(
        "--automation", "-a", metavar="ID", help="An automation reviewed (repeat the option "
        "for each; the article: 2 or 3).", show_default=False)] = None,
    attendee: Annotated[Many, typer.Option(
        "--attendee", metavar="PERSON", help="Someone present, by id in people.yaml (repeat "
        "for each).", show_default=False)] = None,
    absent: Annotated[Many, typer.Option(
        "--absent", metavar="'PERSON: REASON'", help="A business owner or maintainer who was "
        "not there, and why (repeatable). Each automation's owner and maintainer must be "
        "an attendee or absent with a reason.", show_default=False)] = None,
    rules_changed: Annotated[Many, typer.Option(
        "--rules-changed", metavar="ANSWER", help="Have the business rules changed? One answer "
        "for all, or 'ID: answer' for one automation.", show_default=False)] = None,
    incidents: Annotated[Many, typer.Option(
        "--incidents", metavar="ANSWER", help="Were there incidents or negative feedback? "
        "(same form)", show_default=False)] = None,
    simplify: Annotated[Many, typer.Option(
        "--simplify", metavar="ANSWER", help="Can a step be simplified or a special case "
        "removed? (same form)", show_default=False)] = None,
    decision: Annotated[Many, typer.Option(
        "--decision", metavar="TEXT", help="A decision (repeatable); 'ID: decision' when "
        "several automations were reviewed.", show_default=False)] = None,
    action: Annotated[Many, typer.Option(
        "--action", metavar="WHAT|WHO|DATE", help="A follow-up: what, who (person id), by "
        "when (YYYY-MM-DD, optional); 'ID: what|who|date' when several automations were "
        "reviewed.", show_default=False)] = None,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", help="Date of the meeting (default: today); also "
        "the file name.", show_default=False)] = None,
    notes: Annotated[str | None, typer.Option(
        "--notes", help="Anything else worth keeping.", show_default=False)] = None,
    registry: RegistryOption = None,
    ask: InteractiveOption = None,
) -> None:
    """Write the minutes of a review: reviews/DATE.yaml, so that review-due starts again.

    The minutes hold the attendees, each automation reviewed with the answers to the three standing questions (have the rules changed? incidents? can it be simpler?), the decisions and the actions. They also name the registry commit the meeting looked at, so review-due later shows what changed since.

    Missing answers are asked for in a terminal; with --no-input they are an error. Never overwrites existing minutes.

    The minutes must be those of the article's meeting, or nothing is written: at most review.max_items automations (2 or 3), each one's business owner and maintainer present or --absent with a reason, and no bare "no" to "have the rules changed?" when git history shows changes since the automation's previous review.

    Examples:

      livingsys review record -a payment-reminders --attendee c.moreau --attendee n.lefebvre --absent "t.nguyen: on leave, answered by email"

      livingsys review record -a payment-reminders -a support-triage --attendee c.moreau --rules-changed "payment-reminders: threshold now 3,000 EUR" --rules-changed "support-triage: no" --incidents none --simplify "no" --decision "payment-reminders: align the conditions on 3,000 EUR" --action "payment-reminders: Update the Make scenario|t.nguyen|2026-12-05" --no-input
    """
    import datetime as dt

    from livingsys.ritual.recording import (
        RecordError,
        ReviewDraft,
        minutes_exist,
        review_file,
        write_review,
    )

    speak_for(registry)  # the errors about the options, in the registry's language
    day = parse_date(date, "--date") or dt.date.today()
    loaded = load(registry)
    root = loaded.root
    existing = review_file(root, day)
    if existing is not None:
        fail(*minutes_exist(day, loaded.display(existing.relative_to(root).as_posix())))
    draft = ReviewDraft(
        date=day, automations=list(automation or []), attendees=list(attendee or []),
        answers={"rules_changed": list(rules_changed or []), "incidents": list(incidents or []),
                 "simplify": list(simplify or [])},
        decisions=list(decision or []), actions=list(action or []), notes=notes,
        absent=list(absent or []))
    if interactive(ask):
        _ask_missing(loaded, draft)
    commit, warnings = _registry_commit(root)
    draft.registry_commit = commit
    try:
        path, data = write_review(loaded, draft)
    except RecordError as exc:
        fail(str(exc), exc.hint)
    except OSError as exc:
        fail(_("cannot write the minutes: {reason}; nothing was written").format(
            reason=exc.strerror or exc), _("check that you may write in the registry folder"))
    _report(loaded, path, data, commit, warnings)


def _registry_commit(root) -> tuple[str | None, list[str]]:
    """HEAD's commit, and notes when there is none or the registry has uncommitted changes."""
    from livingsys.history import HistoryError, head_state

    try:
        state = head_state(root)
    except HistoryError as exc:
        message = (_("{problem}: the minutes name no commit, so `livingsys review-due` will "
                     "compare with the registry as it was on the review's date ({hint})")
                   if exc.hint else
                   _("{problem}: the minutes name no commit, so `livingsys review-due` will "
                     "compare with the registry as it was on the review's date"))
        return None, [message.format(problem=exc.message, hint=exc.hint)]
    if state.sha is None:
        return None, [_("the git repository has no commit yet: the minutes name no commit "
                        "(commit the registry, then the minutes)")]
    notes = []
    if state.uncommitted:
        files = ", ".join(state.uncommitted)
        notes.append(_("the registry has changes not committed yet ({files}): the minutes "
                       "refer to the last commit {commit}, so once committed those changes "
                       "will show as made after this review — commit them first if the "
                       "meeting looked at them").format(files=files, commit=state.sha[:10]))
    return state.sha, notes


def _ask_missing(loaded, draft) -> None:
    from rich.markup import escape

    from livingsys.ritual.recording import (
        RecordError,
        check_automation,
        check_person,
        missing_answers,
        people_of,
        question,
    )

    console = stdout()

    def ask_list(label: str, check) -> list[str]:
        for _attempt in range(3):
            answer = typer.prompt(label).strip()
            values = [v.strip() for v in answer.replace(";", ",").split(",") if v.strip()]
            try:
                return [check(v) for v in values]
            except RecordError as exc:
                console.print(f"[red]{escape(str(exc))}[/]")
        fail(_("no valid answer given"), _("pass the values as options (see --help)"))

    if not draft.automations:
        known = ", ".join(e.model.id if e.model else e.stem for e in loaded.automations)
        console.print(_("Automations: {ids}").format(ids=escape(known)))
        draft.automations = ask_list(_("Automations reviewed (ids, separated by commas)"),
                                     lambda v: check_automation(loaded, v))
    if not draft.attendees:
        try:
            people = people_of(loaded)
        except RecordError as exc:
            fail(str(exc), exc.hint)
        console.print(_("People: {ids}").format(ids=escape(", ".join(people))))
        draft.attendees = ask_list(_("Attendees (ids, separated by commas)"),
                                   lambda v: check_person(people, v, N_("attendee")))
    try:
        draft.automations = [check_automation(loaded, a) for a in draft.automations]
    except RecordError as exc:
        fail(str(exc), exc.hint)
    _ask_absent(loaded, draft)
    for ident, key in missing_answers(draft):
        answer = ""
        while not answer:
            answer = typer.prompt(_("{automation} — {question}").format(
                automation=ident, question=question(key))).strip()
        draft.answers[key].append(f"{ident}: {answer}")
    if not draft.decisions and not draft.actions:
        for ident in draft.automations:
            while True:
                text = typer.prompt(_("{automation} — a decision (Enter when done)").format(
                    automation=ident), default="", show_default=False).strip()
                if not text:
                    break
                draft.decisions.append(f"{ident}: {text}")


def _ask_absent(loaded, draft) -> None:
    """For each owner or maintainer neither among the attendees nor absent: were they there,
    or why not?"""
    from livingsys.reading.reviews import missing_people
    from livingsys.ritual.minutes import expected_now

    given = [a.partition(":")[0].strip() for a in draft.absent]
    expected = expected_now(loaded, draft.automations)
    # Translators: the words, separated by |, that say "they were there" at the prompt below
    present = {"here", "present", "yes", "y", *_("here|present|yes|y").split("|")}
    for missing in missing_people(loaded, expected, draft.attendees, given):
        answer = ""
        while not answer:
            answer = typer.prompt(_("{person}: not among the attendees. Type 'here' if they "
                                    "were, or why they were absent").format(
                                        person=missing.describe())).strip()
        if answer.lower() in present:
            draft.attendees.append(missing.person)
        else:
            draft.absent.append(f"{missing.person}: {answer}")


def _report(loaded, path, data, commit, warnings) -> None:
    import shlex

    from rich.markup import escape

    console = stdout()
    shown = loaded.display(path.relative_to(loaded.root).as_posix())
    ids = [a["id"] for a in data["automations"]]
    decisions = sum(len(a.get("decisions", [])) for a in data["automations"])
    actions = sum(len(a.get("actions", [])) for a in data["automations"])

    attendees = len(data["attendees"])
    console.print(_("Recorded {path}: {automations} ({ids}), {attendees}, {decisions}, "
                    "{actions}.").format(
        path=f"[bold]{escape(shown)}[/]",
        automations=ngettext("{n} automation reviewed", "{n} automations reviewed",
                             len(ids)).format(n=len(ids)),
        ids=escape(", ".join(ids)),
        attendees=ngettext("{n} attendee", "{n} attendees", attendees).format(n=attendees),
        decisions=ngettext("{n} decision", "{n} decisions", decisions).format(n=decisions),
        actions=ngettext("{n} action", "{n} actions", actions).format(n=actions)))
    if commit:
        console.print(_("The minutes refer to the registry at commit {commit} (HEAD): "
                        "`livingsys review-due` will show what changes after it.").format(
                            commit=commit[:10]))
    err = stderr()
    label = _("note:")
    for warning in warnings:
        err.print(f"[yellow]{label}[/] {escape(warning)}", highlight=False)
    message = _("Review of {day}: {automations}").format(day=i18n.day(data["date"]),
                                                         automations=", ".join(ids))
    console.print("\n" + _("[bold]Next:[/] commit the minutes so that everyone's review-due "
                           "counts them:"))
    console.print(f"  git add {escape(shlex.quote(shown))} && git commit -m "
                  f"{escape(shlex.quote(message))}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    review_app.command("record")(record)
    app.add_typer(review_app, name="review")
