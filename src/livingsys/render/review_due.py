"""`review-due` for a person: the terminal (as wide as it is) and Markdown."""

from __future__ import annotations

import re

from livingsys import i18n
from livingsys.history.semantic_diff import describe_change, shared_rule_prefix
from livingsys.i18n import _, ngettext
from livingsys.neutral import code_span, for_markdown
from livingsys.neutral import for_terminal as _esc
from livingsys.render.text import md, wrap
from livingsys.render.width import fit, show
from livingsys.ritual.due_reasons import status_word
from livingsys.ritual.review_due import DueItem, Reason, ReviewDueReport

# --------------------------------------------------------------------------------------------
# the content, shared by both formats (and by the agenda)


#: Where the subject of a change's sentence ends, in English and in French (semantic_diff's
#: sentences: "name reworded", "nom passe de...", "nom : formulation revue...").
_WHAT_END = re.compile(r" (changed|reworded|set to|removed|added|passe de)(?!\w)|[ \u00a0]?: ")


def _what(description: str) -> str:
    """What a change is about: 'in force since' of 'in force since changed from...'."""
    match = _WHAT_END.search(description)
    return description[:match.start()] if match else description


def minor_label(change) -> str:
    """Why a change that is not significant is still shown."""
    if change.area == "wording":
        return _("wording only")
    if change.area == "scenario":
        return _("example cases only")
    return _("bookkeeping, not a change of behaviour")


def reason_body(reason: Reason) -> list[tuple[int, str]]:
    """The lines under a reason, as (depth, plain text): changes, who made them, details."""
    out: list[tuple[int, str]] = []
    commits = reason.commits
    several = len({c.sha for c in commits}) > 1
    prefix = shared_rule_prefix(reason.rule) if reason.rule else None
    for line in reason.changes:
        text = describe_change(line.change, prefix)
        if several and line.commit is not None:
            text += f" [{line.commit.short}]"
        out.append((0, text))
    if reason.minor:
        names = list(dict.fromkeys(_what(describe_change(c, prefix)) for c in reason.minor))
        out.append((0, _("also edited, not a change of behaviour: {names}").format(
            names=", ".join(names))))
    for detail in reason.details:
        out.append((0, detail))
    if commits:
        if len(commits) == 1:
            out.append((0, _("commit: {commit}").format(commit=commits[0].describe())))
        else:
            out.append((0, _("commits:")))
            out += [(1, c.describe()) for c in commits]
    if reason.hint:
        out.append((0, _("what to do: {hint}").format(hint=reason.hint)))
    return out


def item_facts(item: DueItem, report: ReviewDueReport) -> str:
    """key · owner X · maintainer Y · last reviewed D."""
    parts = []
    if item.key:
        parts.append(_("key"))
    if item.status != "active":
        parts.append(status_word(item.status))
    parts.append(_("owner {name}").format(name=report.name_of(item.owner)))
    if item.maintainer:
        parts.append(_("maintainer {name}").format(name=report.name_of(item.maintainer)))
    if item.last_review:
        parts.append(_("last reviewed {day}").format(day=i18n.day(item.last_review)))
    else:
        parts.append(_("never reviewed"))
    return " · ".join(parts)


def not_due_line(report: ReviewDueReport) -> str | None:
    if not report.not_due:
        return None
    parts = []
    for item in report.not_due:
        s = item.schedule
        parts.append(_("{id} (next {day})").format(id=item.automation,
                                                    day=i18n.day(s.next_due))
                     if s.next_due else item.automation)
    return ", ".join(parts)


def headline(report: ReviewDueReport) -> str:
    due = len(report.due)
    if not due:
        return _("No automation needs a review.")
    return ngettext("{n} automation needs a review, most urgent first:",
                    "{n} automations need a review, most urgent first:", due).format(n=due)


def source_line(report: ReviewDueReport) -> str:
    if report.history.read:
        head = report.history.head[:10] if report.history.head else "?"
        return _("Read from {basis} ({registry}/ up to commit {head}, and what is not "
                 "committed yet).").format(basis=report.basis, registry=report.registry,
                                           head=head)
    return _("Read from {basis}: {note}.").format(basis=report.basis, note=report.history.note)


# --------------------------------------------------------------------------------------------
# text


def text_lines(report: ReviewDueReport) -> list[str]:
    title = _("[bold]{organisation}[/] — reviews due as of {day}").format(
        organisation=_esc(report.organisation), day=i18n.day(report.as_of))
    out = fit(title, 2)
    out += wrap(source_line(report), 0, "", "dim")
    out.append("")
    if not report.items and not report.retired and not report.invalid:
        out.append(_("No automation in the registry yet."))
        return out
    out += fit(f"[bold]{_esc(headline(report))}[/]" if report.due
               else f"[green]{_esc(headline(report))}[/]", 2)
    for number, item in enumerate(report.due, 1):
        out.append("")
        out += item_text(item, report, number)
    out.append("")
    rest = not_due_line(report)
    if rest:
        label = _("Not due:")
        out += wrap(rest, len(label) + 1, f"[dim]{label}[/] ")
    if report.retired:
        label = _("Retired:")
        out += wrap(", ".join(report.retired), len(label) + 1, f"[dim]{label}[/] ")
    if report.invalid:
        label = _("Unreadable:")
        out += wrap(_("{files} — format errors keep them out; run `livingsys lint`").format(
            files=", ".join(report.invalid)), len(label) + 1, f"[red]{label}[/] ")
    others = [p for p in report.uncommitted if not any(
        p in (r.path or "") or p in " ".join(r.details) for i in report.due for r in i.reasons
        if r.kind == "uncommitted")]
    if others:
        label = _("Not committed yet:")
        out += wrap(_("{files} — commit them so that everyone reviews the same registry")
                    .format(files=", ".join(others)), len(label) + 1, f"[yellow]{label}[/] ")
    return out


def item_text(item: DueItem, report: ReviewDueReport, number: int) -> list[str]:
    head = f"{number}. "
    out = fit(f"[bold]{head}{_esc(item.automation)}[/]  {_esc(item.name)}", len(head))
    indent = " " * len(head)
    out += wrap(_("{facts} · score {score}").format(facts=item_facts(item, report),
                                                     score=item.score),
                len(head), indent, "dim")
    if item.baseline is not None:
        out += wrap(_("since the last review: compared with the {baseline}").format(
            baseline=item.baseline.describe()), len(head), indent, "dim")
    for reason in item.reasons:
        style = "red" if reason.kind in ("unknown_baseline",) else None
        bullet = f"{indent}[{'red' if style else 'yellow'}]•[/] "
        out += wrap(reason.text, len(head) + 2, bullet, "bold")
        for depth, text in reason_body(reason):
            pad = len(head) + 4 + 2 * depth
            out += wrap(text, pad + 2, " " * pad + "- ")
    for note in item.notes:
        out += wrap(_("note: {note}").format(note=note), len(head) + 2, indent + "  ", "dim")
    return out


def render_text(report: ReviewDueReport, console=None) -> None:
    show(lambda: text_lines(report), console)


# --------------------------------------------------------------------------------------------
# Markdown


def reason_markdown(reason: Reason, indent: str = "") -> list[str]:
    out = [f"{indent}- **{md(reason.text)}**"]
    for depth, text in reason_body(reason):
        out.append(f"{indent}{'  ' * (depth + 1)}- {md(text)}")
    return out


def markdown(report: ReviewDueReport) -> str:
    out = [_("# Reviews due — {organisation}").format(
               organisation=for_markdown(report.organisation, heading=True)), "",
           _("As of {day}. {source}").format(day=i18n.day(report.as_of),
                                             source=md(source_line(report))), ""]
    if not report.items and not report.retired and not report.invalid:
        return "\n".join(out + [_("No automation in the registry yet."), ""])
    out += [md(headline(report)), ""]
    for number, item in enumerate(report.due, 1):
        out += [f"## {number}. `{item.automation}` — {md(item.name)}", "",
                _("{facts} · score {score}").format(facts=md(item_facts(item, report)),
                                                     score=item.score), ""]
        if item.baseline is not None:
            out += [_("Since the last review: compared with the {baseline}.").format(
                baseline=md(item.baseline.describe())), ""]
        for reason in item.reasons:
            out += reason_markdown(reason)
        for note in item.notes:
            out.append(_("- *Note:* {note}").format(note=md(note)))
        out.append("")
    rest = not_due_line(report)
    if rest or report.retired or report.uncommitted:
        out += [_("## Not due"), ""]
        if rest:
            out.append(_("- Not due: {automations}").format(automations=md(rest)))
        if report.retired:
            out.append(_("- Retired: {automations}").format(
                automations=md(", ".join(report.retired))))
        if report.uncommitted:
            out.append(_("- Not committed yet: {files}").format(
                files=", ".join(code_span(p) for p in report.uncommitted)))
        out.append("")
    if report.invalid:
        out += [_("Unreadable (run `livingsys lint`): {files}").format(
            files=md(", ".join(report.invalid))), ""]
    return "\n".join(out).rstrip() + "\n"
