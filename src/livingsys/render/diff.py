"""`livingsys diff` for a person at a terminal: grouped by file, in the domain's words."""

from __future__ import annotations

from pathlib import Path

from livingsys.history.registry_diff import FileDiff, RegistryDiff
from livingsys.history.semantic_diff import describe_change
from livingsys.neutral import for_terminal as _esc
from livingsys.render.review_due import minor_label
from livingsys.render.text import wrap
from livingsys.render.width import fit, show

_KIND_WORDS = {"automation": "automation", "rule": "shared key rule", "review": "review minutes",
               "incident": "incident", "settings": "settings", "people": "people",
               "indicators": "indicators"}


def file_title(file: FileDiff) -> str:
    what = _KIND_WORDS[file.kind]
    path = f"{file.old_path} → {file.path}" if file.old_path else file.path
    status = {"added": "added", "removed": "removed", "renamed": "renamed",
              "modified": ""}[file.status]
    extra = [s for s in (status, "uncommitted" if file.uncommitted else "") if s]
    title = f"{path}  ({what}{', ' + ', '.join(extra) if extra else ''})"
    return title


def lines(result: RegistryDiff) -> list[str]:
    out = []
    scope = f" for {result.automation}" if result.automation else ""
    out += wrap(f"Changes in {result.registry}/{scope} from {result.old.describe()} to "
                 f"{result.new.describe()}", 2, "", "bold")
    if result.shallow:
        out += wrap("this is a shallow clone: commits older than its history are not known "
                     "(`git fetch --unshallow`)", 6, "[yellow]note:[/] ")
    out.append("")
    if not result.files:
        out += fit("No change to rules, exceptions, guardrails, owners or any other field"
                   + (" (only layout or comments)." if result.layout_only else "."))
    for file in result.files:
        out += fit(f"[bold]{_esc(file_title(file))}[/]", 2)
        if file.summary:
            out += wrap(file.summary, 4, "  • ")
        prefix = f"shared rule '{Path(file.path).stem}': " if file.kind == "rule" else None
        for change in file.changes:
            text = describe_change(change, prefix)
            if not change.significant:
                out += wrap(f"{text} ({minor_label(change)})", 4, "  [dim]•[/] ", "dim")
            else:
                out += wrap(text, 4, "  • ")
        if file.used_by:
            out += wrap(f"used by {', '.join(file.used_by)}: `livingsys review-due` lists "
                         "them for review (rule 3)", 4, "  ", "dim")
        for commit in file.commits:
            out += wrap(commit.describe(), 9, "  [dim]commit[/] ", "dim")
        if file.uncommitted:
            out += wrap("not committed yet", 4, "  ", "yellow")
        out.append("")
    if result.layout_only:
        out += wrap(", ".join(result.layout_only), 4, "[dim]Layout or comments only:[/] ",
                     "dim")
    return out


def render(result: RegistryDiff, console=None) -> None:
    show(lambda: lines(result), console)
