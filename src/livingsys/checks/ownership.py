"""Ownership: every automation has a business owner, and every person named exists."""

from __future__ import annotations

from collections.abc import Iterable

from livingsys.checks.base import Check, Context, Param, either, register
from livingsys.findings import Finding
from livingsys.i18n import N_, _
from livingsys.reading.validation import suggestion


@register
class BusinessOwner(Check):
    code, name = "G002", "business-owner"
    title = N_("Every automation has an identified business owner")
    rationale = N_("Article, rule 2: \"every automation must have an identified business owner "
                   "(not only a 'technician')\". Without one, months later nobody knows who "
                   "made what or who decides when the business changes.")
    hint = N_("set 'owner:' to the id of a person of kind business in people.yaml")
    example = N_("owner: n.lefebvre      # people.yaml: kind: business")
    article_rule = 2
    # A manager is not a business owner by default: the article's review brings together "a
    # business representative, the person who configured the automations, possibly a manager
    # if the perimeter is sensitive" - three roles. A manager who owns an automation would
    # also be the one who validates its sensitive cases and chairs its review. A company
    # where the manager really does answer for a process says so in the policy
    # (G002: {owner_kinds: [business, manager]}), and that shows as silenced governance.
    params = {"owner_kinds": Param(["business"], N_("Kinds of person (people.yaml) who may "
                                                    "own an automation."),
                                   ("business", "technical", "manager"), looser="more")}

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        automation = entry.model
        if automation.owner is None:
            yield self.finding(ctx, entry, ("id",), _(
                "automation '{id}' has no business owner").format(id=automation.id))
            return
        people = ctx.registry.people
        person = people.get(automation.owner) if people else None
        allowed = ctx.params["owner_kinds"]
        if person is not None and person.kind not in allowed:
            hint = _("name the business person who answers for the result as owner; a "
                     "technical person belongs in 'maintainer:'")
            if person.kind == "manager":
                hint = _("name the business person who answers for the result as owner (the "
                         "manager chairs the review and validates sensitive cases); if the "
                         "manager really is the owner, allow it in livingsys.yaml: {policy}"
                         ).format(policy="policy: {checks: {G002: {owner_kinds: [business, "
                                  "manager]}}}")
            yield self.finding(
                ctx, entry, ("owner",),
                _("owner '{id}' ({name}) is a person of kind {kind}, not {allowed}").format(
                    id=person.id, name=person.name, kind=person.kind, allowed=either(allowed)),
                hint)


def _person_refs(automation) -> Iterable[tuple[tuple, str]]:
    if automation.owner:
        yield ("owner",), automation.owner
    if automation.maintainer:
        yield ("maintainer",), automation.maintainer
    for i, step in enumerate(automation.steps):
        if step.validated_by:
            yield ("steps", i, "validated_by"), step.validated_by
    for i, exception in enumerate(automation.exceptions):
        if exception.handled_by:
            yield ("exceptions", i, "handled_by"), exception.handled_by
    guardrails = automation.guardrails
    if guardrails.human_validation:
        yield ("guardrails", "human_validation", "by"), guardrails.human_validation.by
    if guardrails.notify_on_exception:
        for i, person in enumerate(guardrails.notify_on_exception.to):
            yield ("guardrails", "notify_on_exception", "to", i), person
    for i, waiver in enumerate(automation.waivers):
        yield ("waivers", i, "approved_by"), waiver.approved_by
    for i, scenario in enumerate(automation.scenarios):
        if scenario.expect.validated_by:
            yield ("scenarios", i, "expect", "validated_by"), scenario.expect.validated_by


@register
class UnknownPerson(Check):
    code, name = "G003", "unknown-person"
    title = N_("Every person named is listed in people.yaml")
    rationale = N_("Article: \"decide explicitly who validates what and when\". A name that is "
                   "not in people.yaml is a typo or someone who left: nobody will validate.")
    hint = N_("add the person to people.yaml or fix the id")

    def _unknown(self, ctx: Context, entry, refs) -> Iterable[Finding]:
        people = ctx.registry.people
        if people is None:
            return
        for loc, person_id in refs:
            if person_id not in people:
                message = _("'{id}' is not in people.yaml{suggestion}").format(
                    id=person_id, suggestion=suggestion(person_id, people))
                yield self.finding(ctx, entry, loc, message)

    def check_automation(self, entry, ctx: Context) -> Iterable[Finding]:
        yield from self._unknown(ctx, entry, _person_refs(entry.model))

    def check_registry(self, ctx: Context) -> Iterable[Finding]:
        registry = ctx.registry
        settings = registry.settings
        if settings and settings.model and settings.model.review.chair:
            yield from self._unknown(ctx, settings, [(("review", "chair"),
                                                      settings.model.review.chair)])
        for rule in registry.shared_rules:
            if rule.model and rule.model.owner:
                yield from self._unknown(ctx, rule, [(("owner",), rule.model.owner)])
        for review in registry.reviews:
            if review.model is None:
                continue
            refs: list[tuple[tuple[str | int, ...], str]] = [
                (("attendees", i), p) for i, p in enumerate(review.model.attendees)]
            refs += [(("absent", i, "person"), a.person)
                     for i, a in enumerate(review.model.absent)]
            for i, item in enumerate(review.model.automations):
                refs += [(("automations", i, key), getattr(item, key))
                         for key in ("owner", "maintainer") if getattr(item, key)]
                refs += [(("automations", i, "actions", j, "who"), a.who)
                         for j, a in enumerate(item.actions)]
            yield from self._unknown(ctx, review, refs)
        for incident in registry.incidents:
            if incident.model and incident.model.reported_by:
                yield from self._unknown(ctx, incident, [(("reported_by",),
                                                          incident.model.reported_by)])
