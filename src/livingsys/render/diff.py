"""`livingsys diff` for a person at a terminal: grouped by file, in the domain's words."""

from __future__ import annotations

from pathlib import Path

from livingsys.history.registry_diff import FileDiff, RegistryDiff
from livingsys.history.semantic_diff import describe_change, shared_rule_prefix
from livingsys.i18n import N_, _
from livingsys.neutral import for_terminal as _esc
from livingsys.render.review_due import minor_label
from livingsys.render.text import wrap
from livingsys.render.width import fit, show

_KIND_WORDS = {"automation": N_("automation"), "rule": N_("shared key rule"),
               "review": N_("review minutes"), "incident": N_("incident"),
               "settings": N_("settings"), "people": N_("people"),
               "indicators": N_("indicators")}
_STATUS_WORDS = {"added": N_("added"), "removed": N_("removed"), "renamed": N_("renamed")}


def file_title(file: FileDiff) -> str:
    what = _(_KIND_WORDS[file.kind])
    path = f"{file.old_path} → {file.path}" if file.old_path else file.path
    status = _(_STATUS_WORDS[file.status]) if file.status in _STATUS_WORDS else ""
    extra = [s for s in (status, _("uncommitted") if file.uncommitted else "") if s]
    title = f"{path}  ({what}{', ' + ', '.join(extra) if extra else ''})"
    return title


def lines(result: RegistryDiff) -> list[str]:
    out = []
    title = (_("Changes in {registry}/ for {automation} from {old} to {new}")
             if result.automation else _("Changes in {registry}/ from {old} to {new}"))
    out += wrap(title.format(registry=result.registry, automation=result.automation,
                             old=result.old.describe(), new=result.new.describe()),
                2, "", "bold")
    if result.shallow:
        note = _("note:")
        out += wrap(_("this is a shallow clone: commits older than its history are not known "
                      "(`git fetch --unshallow`)"), 6, f"[yellow]{note}[/] ")
    out.append("")
    if not result.files:
        out += fit(_("No change to rules, exceptions, guardrails, owners or any other field "
                     "(only layout or comments).") if result.layout_only else
                   _("No change to rules, exceptions, guardrails, owners or any other field."))
    for file in result.files:
        out += fit(f"[bold]{_esc(file_title(file))}[/]", 2)
        if file.summary:
            out += wrap(file.summary, 4, "  • ")
        prefix = shared_rule_prefix(Path(file.path).stem) if file.kind == "rule" else None
        for change in file.changes:
            text = describe_change(change, prefix)
            if not change.significant:
                out += wrap(f"{text} ({minor_label(change)})", 4, "  [dim]•[/] ", "dim")
            else:
                out += wrap(text, 4, "  • ")
        if file.used_by:
            out += wrap(_("used by {automations}: `livingsys review-due` lists them for "
                          "review (rule 3)").format(automations=", ".join(file.used_by)),
                        4, "  ", "dim")
        commit_word = _("commit")
        for commit in file.commits:
            out += wrap(commit.describe(), 9, f"  [dim]{commit_word}[/] ", "dim")
        if file.uncommitted:
            out += wrap(_("not committed yet"), 4, "  ", "yellow")
        out.append("")
    if result.layout_only:
        layout = _("Layout or comments only:")
        out += wrap(", ".join(result.layout_only), 4, f"[dim]{layout}[/] ", "dim")
    return out


def render(result: RegistryDiff, console=None) -> None:
    show(lambda: lines(result), console)
