"""`review-due` for a person: the terminal (as wide as it is) and Markdown."""

from __future__ import annotations

import re

from livingsys.history.semantic_diff import describe_change
from livingsys.neutral import code_span, for_markdown
from livingsys.neutral import for_terminal as _esc
from livingsys.render.text import md, wrap
from livingsys.render.width import fit, show
from livingsys.ritual.review_due import DueItem, Reason, ReviewDueReport
from livingsys.wording import plural

# --------------------------------------------------------------------------------------------
# the content, shared by both formats (and by the agenda)


_WHAT_END = re.compile(r" (changed|reworded|set to|removed|added)\b|: ")


def _what(description: str) -> str:
    """What a change is about: 'in force since' of 'in force since changed from...'."""
    match = _WHAT_END.search(description)
    return description[:match.start()] if match else description


def minor_label(change) -> str:
    """Why a change that is not significant is still shown."""
    if change.area == "wording":
        return "wording only"
    if change.area == "scenario":
        return "example cases only"
    return "bookkeeping, not a change of behaviour"


def reason_body(reason: Reason) -> list[tuple[int, str]]:
    """The lines under a reason, as (depth, plain text): changes, who made them, details."""
    out: list[tuple[int, str]] = []
    commits = reason.commits
    several = len({c.sha for c in commits}) > 1
    prefix = f"shared rule '{reason.rule}': " if reason.rule else None
    for line in reason.changes:
        text = describe_change(line.change, prefix)
        if several and line.commit is not None:
            text += f" [{line.commit.short}]"
        out.append((0, text))
    if reason.minor:
        names = list(dict.fromkeys(_what(describe_change(c, prefix)) for c in reason.minor))
        out.append((0, f"also edited, not a change of behaviour: {', '.join(names)}"))
    for detail in reason.details:
        out.append((0, detail))
    if commits:
        label = "commit" if len(commits) == 1 else "commits"
        if len(commits) == 1:
            out.append((0, f"{label}: {commits[0].describe()}"))
        else:
            out.append((0, f"{label}:"))
            out += [(1, c.describe()) for c in commits]
    if reason.hint:
        out.append((0, f"what to do: {reason.hint}"))
    return out


def item_facts(item: DueItem, report: ReviewDueReport) -> str:
    """key · owner X · maintainer Y · last reviewed D."""
    parts = []
    if item.key:
        parts.append("key")
    if item.status != "active":
        parts.append(item.status)
    parts.append(f"owner {report.name_of(item.owner)}")
    if item.maintainer:
        parts.append(f"maintainer {report.name_of(item.maintainer)}")
    if item.last_review:
        parts.append(f"last reviewed {item.last_review.isoformat()}")
    else:
        parts.append("never reviewed")
    return " · ".join(parts)


def not_due_line(report: ReviewDueReport) -> str | None:
    if not report.not_due:
        return None
    parts = []
    for item in report.not_due:
        s = item.schedule
        parts.append(f"{item.automation} (next {s.next_due.isoformat()})" if s.next_due
                     else item.automation)
    return ", ".join(parts)


def headline(report: ReviewDueReport) -> str:
    due = len(report.due)
    if not due:
        return "No automation needs a review."
    return (f"{plural(due, 'automation needs', 'automations need')} a review, most urgent "
            "first:")


def source_line(report: ReviewDueReport) -> str:
    if report.history.read:
        head = report.history.head[:10] if report.history.head else "?"
        return (f"Read from {report.basis} ({report.registry}/ up to commit {head}, and "
                "what is not committed yet).")
    return f"Read from {report.basis}: {report.history.note}."


# --------------------------------------------------------------------------------------------
# text


def text_lines(report: ReviewDueReport) -> list[str]:
    out = fit(f"[bold]{_esc(report.organisation)}[/] — reviews due as of "
              f"{report.as_of.isoformat()}", 2)
    out += wrap(source_line(report), 0, "", "dim")
    out.append("")
    if not report.items and not report.retired and not report.invalid:
        out.append("No automation in the registry yet.")
        return out
    out += fit(f"[bold]{_esc(headline(report))}[/]" if report.due
               else f"[green]{_esc(headline(report))}[/]", 2)
    for number, item in enumerate(report.due, 1):
        out.append("")
        out += item_text(item, report, number)
    out.append("")
    rest = not_due_line(report)
    if rest:
        out += wrap(rest, 9, "[dim]Not due:[/] ")
    if report.retired:
        out += wrap(", ".join(report.retired), 9, "[dim]Retired:[/] ")
    if report.invalid:
        out += wrap(", ".join(report.invalid) + " — format errors keep them out; run "
                     "`livingsys lint`", 11, "[red]Unreadable:[/] ")
    others = [p for p in report.uncommitted if not any(
        p in (r.path or "") or p in " ".join(r.details) for i in report.due for r in i.reasons
        if r.kind == "uncommitted")]
    if others:
        out += wrap(", ".join(others) + " — commit them so that everyone reviews the same "
                     "registry", 19, "[yellow]Not committed yet:[/] ")
    return out


def item_text(item: DueItem, report: ReviewDueReport, number: int) -> list[str]:
    head = f"{number}. "
    out = fit(f"[bold]{head}{_esc(item.automation)}[/]  {_esc(item.name)}", len(head))
    indent = " " * len(head)
    out += wrap(f"{item_facts(item, report)} · score {item.score}", len(head), indent, "dim")
    if item.baseline is not None:
        out += wrap(f"since the last review: compared with the {item.baseline.describe()}",
                     len(head), indent, "dim")
    for reason in item.reasons:
        style = "red" if reason.kind in ("unknown_baseline",) else None
        bullet = f"{indent}[{'red' if style else 'yellow'}]•[/] "
        out += wrap(reason.text, len(head) + 2, bullet, "bold")
        for depth, text in reason_body(reason):
            pad = len(head) + 4 + 2 * depth
            out += wrap(text, pad + 2, " " * pad + "- ")
    for note in item.notes:
        out += wrap(f"note: {note}", len(head) + 2, indent + "  ", "dim")
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
    out = [f"# Reviews due — {for_markdown(report.organisation, heading=True)}", "",
           f"As of {report.as_of.isoformat()}. {md(source_line(report))}", ""]
    if not report.items and not report.retired and not report.invalid:
        return "\n".join(out + ["No automation in the registry yet.", ""])
    out += [md(headline(report)), ""]
    for number, item in enumerate(report.due, 1):
        out += [f"## {number}. `{item.automation}` — {md(item.name)}", "",
                f"{md(item_facts(item, report))} · score {item.score}", ""]
        if item.baseline is not None:
            out += [f"Since the last review: compared with the {md(item.baseline.describe())}.",
                    ""]
        for reason in item.reasons:
            out += reason_markdown(reason)
        for note in item.notes:
            out.append(f"- *Note:* {md(note)}")
        out.append("")
    rest = not_due_line(report)
    if rest or report.retired or report.uncommitted:
        out += ["## Not due", ""]
        if rest:
            out.append(f"- Not due: {md(rest)}")
        if report.retired:
            out.append(f"- Retired: {md(', '.join(report.retired))}")
        if report.uncommitted:
            out.append("- Not committed yet: "
                       + ", ".join(code_span(p) for p in report.uncommitted))
        out.append("")
    if report.invalid:
        out += [f"Unreadable (run `livingsys lint`): {md(', '.join(report.invalid))}", ""]
    return "\n".join(out).rstrip() + "\n"
