"""Identity: ids unique and matching file names, status explained, references that resolve."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from livingsys import i18n
from livingsys.checks.base import Check, Context, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _
from livingsys.reading.validation import suggestion


@register
class StatusReason(Check):
    code, name = "G015", "status-reason"
    title = N_("A paused or retired automation says why and since when")
    rationale = N_("Article, symptom: \"when there is a bug, everything is cut 'in an "
                   "emergency' instead of being fixed properly\". A pause must leave a trace: "
                   "why, and since when, so it is fixed and restarted rather than forgotten.")
    hint = N_("add 'status_reason:' and 'status_since: YYYY-MM-DD'")

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.status == "active":
            return
        missing = [k for k in ("status_reason", "status_since") if not getattr(automation, k)]
        if missing:
            yield self.finding(ctx, entry, ("status",), _(
                "automation '{id}' is {status} without {missing}").format(
                    id=automation.id, status=automation.status, missing=i18n.join(missing)))


@register
class DuplicateId(Check):
    code, name = "G016", "duplicate-id"
    title = N_("Ids are unique")
    rationale = N_("Each automation, shared rule and person must be named once: reviews, "
                   "incidents and history refer to them by id.")
    hint = N_("give each its own id (and file name)")

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        registry = ctx.registry
        for used, entries in ((N_("automation id '{id}' is already used by {path}"),
                               registry.automations),
                              (N_("shared rule id '{id}' is already used by {path}"),
                               registry.shared_rules)):
            seen: dict[str, list] = defaultdict(list)
            for entry in entries:
                if entry.model is not None:
                    seen[entry.model.id].append(entry)
            for item_id, same in seen.items():
                for entry in same[1:]:
                    yield self.finding(ctx, entry, ("id",),
                                       _(used).format(id=item_id, path=same[0].path))
        people = registry.people_file
        if people is not None and people.model is not None:
            first: dict[str, int] = {}
            for i, person in enumerate(people.model.people):
                if person.id in first:
                    yield self.finding(ctx, people, ("people", i, "id"), _(
                        "person id '{id}' appears twice (first as item {n})").format(
                            id=person.id, n=first[person.id] + 1))
                first.setdefault(person.id, i)


@register
class IdMatchesFile(Check):
    code, name = "G017", "id-matches-file"
    title = N_("An id matches its file name")
    rationale = N_("Finding an automation by its id must be as simple as opening "
                   "automations/<id>.yaml; history follows files.")
    hint = N_("rename the file to <id>.yaml, or change the id to match the file name")

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        registry = ctx.registry
        for entries in (registry.automations, registry.shared_rules):
            for entry in entries:
                if entry.model is not None and entry.model.id != entry.stem:
                    yield self.finding(ctx, entry, ("id",), _(
                        "id '{id}' does not match the file name '{file}'").format(
                            id=entry.model.id, file=entry.rel.rsplit('/', 1)[-1]))
        for review in registry.reviews:
            if review.model is not None and review.model.date.isoformat() != review.stem:
                yield self.finding(ctx, review, ("date",), _(
                    "review dated {date} is in a file named '{file}'").format(
                        date=review.model.date.isoformat(), file=review.stem),
                    _("name review files reviews/<YYYY-MM-DD>.yaml after the date"))
        for incident in registry.incidents:
            if incident.model is not None and not incident.stem.startswith(
                    incident.model.date.isoformat()):
                yield self.finding(ctx, incident, ("date",), _(
                    "incident dated {date} is in a file named '{file}'").format(
                        date=incident.model.date.isoformat(), file=incident.stem),
                    _("name incident files incidents/<YYYY-MM-DD>-<slug>.yaml"))


@register
class KnownAutomation(Check):
    code, name = "G021", "known-automation"
    title = N_("Reviews and incidents refer to automations that exist")
    rationale = N_("Article: \"an automation that is never reviewed always ends up becoming a "
                   "risk\" — a review or incident filed under a wrong id is lost for it.")
    hint = N_("if the automation was renamed, add `formerly: [old-id]` to its file (past "
              "minutes and incidents then count for it, unchanged); otherwise fix the id, or "
              "restore the automation file (retired automations stay, with their status)")
    not_waivable = N_("it reports review and incident files, not automation files")
    example = N_("# automations/payment-reminders.yaml, renamed from reminders.yaml\n"
                 "id: payment-reminders\nformerly: [reminders]")

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        from livingsys.reading.renames import names

        registry = ctx.registry
        known = names(registry)

        def unknown(entry, loc, automation_id):
            message = _("automation '{id}' does not exist{suggestion}").format(
                id=automation_id, suggestion=suggestion(automation_id, known.current))
            return self.finding(ctx, entry, loc, message, known.renamed_hint(automation_id))

        for review in registry.reviews:
            if review.model is not None:
                for i, item in enumerate(review.model.automations):
                    if known.resolve(item.id) is None:
                        yield unknown(review, ("automations", i, "id"), item.id)
        for incident in registry.incidents:
            if incident.model is not None and known.resolve(incident.model.automation) is None:
                yield unknown(incident, ("automation",), incident.model.automation)


@register
class FormerlyClash(Check):
    code, name = "G032", "formerly-clash"
    title = N_("An automation's former ids (formerly) refer to it alone")
    rationale = N_("Minutes, incidents and figures written under an old id count for the "
                   "automation that lists it in `formerly` (article: an automation that is "
                   "never reviewed always ends up becoming a risk — a renamed one must not lose "
                   "its reviews). An old id that is another automation's id, or that two "
                   "automations claim, would give one automation's past to another.")
    hint = N_("keep each old id in the `formerly` of one automation only, and never the id of "
              "an automation that exists")
    not_waivable = N_("an id must refer to one automation only, for every command")
    example = "id: payment-reminders\nformerly: [reminders]"

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        registry = ctx.registry
        current = {e.model.id if e.model else e.stem: e for e in registry.automations}
        claimed: dict[str, str] = {}
        for entry in registry.automations:
            automation = entry.model
            if automation is None:
                continue
            mine: set[str] = set()
            for i, old in enumerate(automation.formerly):
                loc = ("formerly", i)
                if old == automation.id:
                    yield self.finding(ctx, entry, loc, _(
                        "'{id}' is this automation's own id, not a former one").format(id=old),
                        _("remove it from formerly"))
                elif old in current:
                    yield self.finding(ctx, entry, loc, _(
                        "former id '{id}' is the id of {path}, which exists").format(
                            id=old, path=current[old].path))
                elif old in mine:
                    yield self.finding(ctx, entry, loc, _(
                        "former id '{id}' is listed twice").format(id=old), _("keep it once"))
                elif old in claimed:
                    yield self.finding(ctx, entry, loc, _(
                        "former id '{id}' is already listed in formerly of {path}").format(
                            id=old, path=claimed[old]))
                else:
                    claimed[old] = entry.path
                mine.add(old)
