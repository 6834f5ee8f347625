"""`livingsys init [DIR]` and `livingsys new ID`: start a registry, add an automation."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from livingsys.cli.common import (
    InteractiveOption,
    RegistryOption,
    fail,
    load,
    registry_path,
    stdout,
)
from livingsys.cli.common import interactive as asks

ORDER = 5


class Perimeter(str, Enum):
    first = "first"
    extended = "extended"


def _shown(path: Path) -> str:
    from livingsys.reading.registry import display_root_for

    return display_root_for(path)


def _registry_flag(root: Path) -> str:
    """The --registry part of a command to suggest ('' for the default folder)."""
    import shlex

    shown = _shown(root)
    return "" if shown in ("registry", "registry/") else f" -r {shlex.quote(shown)}"


# --------------------------------------------------------------------------------------------
# init


def init(
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="Folder to create the registry in; it must be new or empty.",
        show_default="registry")] = Path("registry"),
    organisation: Annotated[str | None, typer.Option(
        "--organisation", help="The company's name (asked when not given).",
        show_default=False)] = None,
    incident_channel: Annotated[str | None, typer.Option(
        "--incident-channel", help="Where teams report a problem with an automation: a chat "
        "channel ('#automation-incidents'), an email address, a form's link... (asked when not "
        "given; default #automation-incidents).", show_default=False)] = None,
    interactive: InteractiveOption = None,
) -> None:
    """Create a registry, with examples that pass lint and schemas for your editor.

    Writes settings, example people, rule and automation, reviews/, incidents/, schemas.

    The folder must be new or empty: init never overwrites a file.

    Outside a git repository, init runs `git init` there (review-due reads history).

    Examples:

      livingsys init

      livingsys init ops/automations --organisation "Dauphiné Fournitures"

      livingsys init --organisation ACME --no-input
    """
    from livingsys.i18n import _
    from livingsys.ritual import scaffold
    ask = asks(interactive)
    try:
        scaffold.check_init_target(directory, dict.fromkeys(scaffold.init_paths(), ""))
    except scaffold.ScaffoldError as exc:
        fail(str(exc), exc.hint)
    if organisation is None:
        if not ask:
            fail(_("missing value: --organisation"),
                 _("pass --organisation 'Your company' (and optionally --incident-channel), or "
                   "run init in a terminal to be asked"))
        organisation = typer.prompt(_("Organisation (your company's name)")).strip()
    if incident_channel is None:
        incident_channel = scaffold.DEFAULT_INCIDENT_CHANNEL
        if ask:
            incident_channel = typer.prompt(
                _("Where do teams report a problem with an automation? (chat channel, email, "
                  "form link)"), default=scaffold.DEFAULT_INCIDENT_CHANNEL)
    try:
        result = scaffold.init_registry(directory, organisation, incident_channel)
    except scaffold.ScaffoldError as exc:
        fail(str(exc), exc.hint)
    _report_init(result)


def command_step(number: int, text: str, command: str = "") -> list[str]:
    """A numbered step of "next steps", its command in bold after the text, or on a line of
    its own (never wrapped: it is there to copy) when both do not fit."""
    from rich.markup import escape

    from livingsys.render.width import fit, fits

    head = f"  {number}. "
    if not command:
        return fit(head + escape(text), len(head))
    if fits(len(head) + len(text) + 1 + len(command)):
        return [f"{head}{escape(text)} [bold]{escape(command)}[/]"]
    return [*fit(head + escape(text), len(head)), f"{' ' * len(head)}[bold]{escape(command)}[/]"]


def _commit_step(root: Path, top: Path) -> str:
    """The command that commits the new registry, true from the current folder."""
    import os
    import shlex

    from livingsys.i18n import _

    message = shlex.quote(_("Start the automations registry"))
    cwd = Path.cwd().resolve()
    top = top.resolve()
    if cwd == top or top in cwd.parents:
        return (f"git add {shlex.quote(os.path.relpath(root.resolve(), cwd))} && "
                f"git commit -m {message}")
    where = shlex.quote(str(top))
    inner = shlex.quote(os.path.relpath(root.resolve(), top))
    return f"git -C {where} add {inner} && git -C {where} commit -m {message}"


def _report_init(result) -> None:
    from rich.markup import escape

    from livingsys.i18n import _
    from livingsys.reading.schema import REGISTRY_SCHEMA_DIR
    from livingsys.render.width import fit, fits, show
    from livingsys.ritual import scaffold

    root = _shown(result.root)
    notes = {
        "livingsys.yaml": _("settings: organisation, incident channel, reviews, policy"),
        "people.yaml": _("three EXAMPLE people: replace them with real ones"),
        f"rules/{scaffold.EXAMPLE_RULE}.yaml": _("an example shared business rule"),
        f"automations/{scaffold.EXAMPLE_AUTOMATION}.yaml": _("a complete example automation"),
        "reviews/": _("minutes of review meetings go here"),
        "incidents/": _("incidents go here"),
        scaffold.INDICATORS_FILE: _("the monthly figures, one row per automation and month "
                                    "(`livingsys help indicators`)"),
        f"{REGISTRY_SCHEMA_DIR}/": _("JSON Schemas for completion in your editor"),
    }
    git = result.git
    flag = _registry_flag(result.root)
    steps: list[tuple[str, str]] = [
        (_("Replace the example people in people.yaml with real ones."), ""),
        (_("Adapt or delete the example automation and rule, and the example row of "
           "indicators.csv. In VS Code, the YAML extension (Red Hat) completes and checks the "
           "files as you type."), ""),
        (_("Check the registry:"), f"livingsys lint{flag}"),
        (_("Add an automation:"), f"livingsys new my-automation{flag}"),
    ]
    if git is not None and git.status in ("inside", "initialised") and git.top is not None:
        steps.append((_("Commit it:"), _commit_step(result.root, git.top)))
    created = _("Created the registry {folder}:")
    heading = _("Next steps")

    def lines() -> list[str]:
        out = [created.format(folder=f"[bold]{escape(root)}[/]")]
        width = max(len(rel) for rel in notes)
        below = not fits(width + 4 + 30)  # too narrow for two columns: each note below
        for rel, note in notes.items():
            if below:
                out += [f"  {escape(rel)}", *fit(f"    [dim]{escape(note)}[/]", 4)]
            else:
                out += fit(f"  {escape(rel):<{width}}  [dim]{escape(note)}[/]", width + 4)
        if git is not None:
            style = {"inside": "dim", "initialised": "green", "missing": "yellow",
                     "failed": "yellow"}[git.status]
            out += ["", *fit(f"[{style}]git:[/] {escape(git.message)}", 5)]
        out += ["", f"[bold]{heading}[/]"]
        for number, (text, command) in enumerate(steps, 1):
            out += command_step(number, text, command)
        return out

    show(lines, stdout())


# --------------------------------------------------------------------------------------------
# new


def new(
    automation_id: Annotated[str, typer.Argument(
        metavar="ID", help="The automation's id, also its file name: lowercase letters, digits, "
        "'-' and '_' (e.g. payment-reminders).", show_default=False)],
    registry: RegistryOption = None,
    name: Annotated[str | None, typer.Option(
        "--name", help="The name people use for it (default: from the id).",
        show_default=False)] = None,
    owner: Annotated[str | None, typer.Option(
        "--owner", help="Business owner: the id of a person of kind business in people.yaml.",
        show_default=False)] = None,
    maintainer: Annotated[str | None, typer.Option(
        "--maintainer", help="Who configured it and maintains it: a person id in people.yaml.",
        show_default=False)] = None,
    trigger: Annotated[str | None, typer.Option(
        "--trigger", help="When and why it starts, in plain words.", show_default=False)] = None,
    perimeter: Annotated[Perimeter | None, typer.Option(
        "--perimeter", help="first (the first, limited perimeter: a person validates client "
        "messages) or extended. Default: first.", show_default=False)] = None,
    description: Annotated[str | None, typer.Option(
        "--description", help="What it is for, in a sentence or two.",
        show_default=False)] = None,
    tool: Annotated[str | None, typer.Option(
        "--tool", help="The tool it runs in (Make, Zapier, n8n, Power Automate...).",
        show_default=False)] = None,
    location: Annotated[str | None, typer.Option(
        "--location", help="Where to find it in the tool, e.g. \"Finance › scenario 'Payment "
        "reminders v3'\".", show_default=False)] = None,
    interactive: InteractiveOption = None,
) -> None:
    """Add an automation: automations/ID.yaml, from a commented template.

    In a terminal, asks in turn for the business owner, the maintainer, the trigger, the
    perimeter, the tool, where it is in the tool, and a description; each question says what
    it is for, and only the owner and the trigger are required. At the end it says what is
    left to fill in.

    Never overwrites a file. Then lists what is left to fill in, from lint.

    Examples:

      livingsys new invoice-reminders

      livingsys new support-triage --owner k.benali --trigger "Each email to support@"

      livingsys new quote-follow-up --owner m.petit --trigger "Daily" --no-input
    """
    from livingsys.i18n import _, ngettext
    from livingsys.reading.writing import WriteError
    from livingsys.ritual import scaffold

    problem = scaffold.id_problem(automation_id, "automation id")
    if problem:
        fail(str(problem), problem.hint)
    root = registry_path(registry)
    loaded = load(root)
    target = scaffold.automation_path(root, automation_id)
    existing = next((p for p in (target, target.with_suffix(".yml"))
                     if p.exists() or p.is_symlink()), None)
    if existing is not None:
        fail(_("'{path}' already exists; it was not changed").format(path=_shown(existing)),
             _("edit that file, or choose another id"))
    other = loaded.automation(automation_id)
    if other is not None:
        fail(_("automation id '{id}' is already used by {path}").format(
            id=automation_id, path=other.path), _("choose another id"))
    people = loaded.people
    if people is None:
        why = next((f for f in loaded.findings if f.path and f.path.endswith(
            ("people.yaml", "people.yml"))), None)
        message = (_("people.yaml is missing or invalid, so the owner cannot be checked "
                     "({where}: {problem})") if why
                   else _("people.yaml is missing or invalid, so the owner cannot be checked"))
        fail(message.format(where=why.location if why else "",
                            problem=why.message if why else ""),
             _("fix it first (`livingsys lint` says how), or start with `livingsys init`"))
    business = scaffold.business_people(people)
    if not business:
        fail(_("people.yaml lists no person of kind business, and an automation needs a "
               "business owner (article, rule 2)"),
             _("add the owner to people.yaml with kind: business"))

    ask = asks(interactive)
    missing = [opt for opt, value in (("--owner", owner), ("--trigger", trigger))
               if value is None]
    if missing and not ask:
        fail(ngettext("missing value: {options}", "missing values: {options}",
                      len(missing)).format(options=", ".join(missing)),
             _("needed: --owner ID (a business person: {ids}) and --trigger 'when and why it "
               "starts'; optional: --name, --maintainer, --perimeter first|extended (default "
               "first), --tool, --location, --description. Or run it in a terminal to be "
               "asked.").format(ids=", ".join(p.id for p in business)))
    if owner is not None:
        problem = scaffold.owner_problem(people, owner)
        if problem:
            fail(str(problem), problem.hint)
    if maintainer is not None:
        problem = scaffold.maintainer_problem(people, maintainer)
        if problem:
            fail(str(problem), problem.hint)
    if owner is None:
        owner = _ask_owner(people, business)
    if maintainer is None and ask:
        maintainer = _ask_maintainer(people)
    if trigger is None:
        _explain(_("Trigger: when and why it starts, in plain words (rule: nobody should have "
                   "to guess when it fires)."))
        trigger = typer.prompt(_("Trigger (e.g. 'Every morning at 8:00, for each unpaid "
                                 "invoice')")).strip()
    if perimeter is None and ask:
        perimeter = _ask_perimeter()
    if ask:
        if tool is None:
            tool = _ask_optional(_("Tool: the tool it runs in."),
                                 _("Tool (e.g. Make, Zapier, n8n)"))
        if location is None:
            location = _ask_optional(_("Location: where to find it in that tool, so anyone can "
                                       "stop it."),
                                     _("Location (e.g. Finance › Payment reminders v3)"))
        if description is None:
            description = _ask_optional(_("Description: what it is for, in a sentence."),
                                        _("Description"))
    chosen = (perimeter or Perimeter.first).value
    try:
        path = scaffold.create_automation(root, automation_id, name=name, owner=owner,
                                          trigger=trigger, perimeter=chosen,
                                          maintainer=maintainer, description=description,
                                          tool=tool, location=location)
    except scaffold.ScaffoldError as exc:
        fail(str(exc), exc.hint)
    except WriteError as exc:
        fail(str(exc), exc.hint)
    except OSError as exc:
        fail(_("cannot write '{path}': {why}; nothing was written").format(
            path=_shown(target), why=exc.strerror or exc),
             _("check that you may write in the registry folder and that the disk is not full"))
    empty = [f for f, v in (("maintainer", maintainer), ("description", description),
                            ("tool", tool), ("location", location)) if not (v and v.strip())]
    _report_new(root, path, automation_id, chosen, empty)


def _explain(text: str) -> None:
    """What the next question is for, before it is asked."""
    from rich.markup import escape

    stdout().print(f"\n[dim]{escape(text)}[/]")


def _ask_optional(what: str, prompt: str) -> str | None:
    from livingsys.i18n import _

    _explain(_("{what} Press Enter to leave it empty for now.").format(what=what))
    return typer.prompt(prompt, default="", show_default=False).strip() or None


def _ask_maintainer(people) -> str | None:
    from rich.markup import escape

    from livingsys.i18n import _
    from livingsys.ritual import scaffold
    _explain(_("Maintainer: who configured it and fixes it (an employee or an agency). Press "
               "Enter to leave it empty for now."))
    console = stdout()
    for person in people.values():
        console.print(f"  {escape(scaffold.describe(person))}")
    for _attempt in range(3):
        answer = typer.prompt(_("Maintainer (an id from the list)"), default="",
                              show_default=False).strip()
        if not answer:
            return None
        problem = scaffold.maintainer_problem(people, answer)
        if problem is None:
            return answer
        console.print(f"[red]{escape(str(problem))}[/]")
    return None


def _ask_owner(people, business) -> str:
    from rich.markup import escape

    from livingsys.i18n import _
    from livingsys.ritual import scaffold
    console = stdout()
    _explain(_("Business owner: the person who answers for the result, not the one who "
               "configured it (article, rule 2). Business people in people.yaml:"))
    for person in business:
        console.print(f"  {escape(scaffold.describe(person))}")
    default = business[0].id if len(business) == 1 else None
    for _attempt in range(3):
        answer = typer.prompt(_("Owner (an id from the list)"), default=default).strip()
        problem = scaffold.owner_problem(people, answer)
        if problem is None:
            return answer
        console.print(f"[red]{escape(str(problem))}[/]")
    fail(_("no valid owner given"), _("add the owner to people.yaml with kind: business, or "
                                      "pass --owner ID"))


def _ask_perimeter() -> Perimeter:
    from rich.markup import escape

    from livingsys.i18n import _

    choices = [p.value for p in Perimeter]
    for attempt in range(3):
        if attempt == 0:
            _explain(_("Perimeter: first while it is new (a person validates every message to "
                       "a client, rule 1), extended once it has proved itself."))
        answer = str(typer.prompt(_("Perimeter (first or extended)"),
                                  default="first")).strip().lower()
        if answer in choices:
            return Perimeter(answer)
        wrong = _("'{answer}' is not first or extended").format(answer=answer)
        stdout().print(f"[red]{escape(wrong)}[/]")
    fail(_("no valid perimeter given"), _("pass --perimeter first or --perimeter extended"))


def _report_new(root: Path, path: Path, automation_id: str, perimeter: str,
                empty: list[str]) -> None:
    import datetime as dt

    from rich.markup import escape

    from livingsys.checks.lint import run_checks
    from livingsys.i18n import _
    from livingsys.reading.registry import load_registry
    from livingsys.reading.schema import REGISTRY_SCHEMA_DIR
    from livingsys.render.width import fit, show

    shown = _shown(path)
    report = run_checks(load_registry(root), dt.date.today())
    entry = report.registry.automation(automation_id)
    mine = [f for f in report.findings if entry is not None and f.path == entry.path]
    flag = _registry_flag(root)

    created = _("Created {path} (perimeter: {perimeter}).")
    left = _("Left empty, to fill in: {fields}.")
    still = _("{heading} (from livingsys lint):").format(heading="[bold]{}[/]".format(
        escape(_("Still to fill in"))))
    explains = escape(_("`livingsys rules CODE` explains each check and how to fix it."))
    passes = _("It passes lint already.")
    following = _("{next} open {path}, fill in the parts marked TODO, then run {command}.")
    tip = _("Tip: for completion in your editor, run {command}; automations added by "
            "`livingsys new` then point at it in their first line.")

    def lines() -> list[str]:
        out = [created.format(path=f"[bold]{escape(shown)}[/]", perimeter=perimeter)]
        if empty:
            out += fit(escape(left.format(fields=", ".join(empty))), 2)
        if mine:
            out += ["", still]
            for finding in mine:
                where = (_("line {n}").format(n=finding.line) if finding.line
                         else _("file"))
                out += fit(f"  - {escape(where):<8} {escape(finding.message)} "
                           f"[dim]{finding.code}[/]", 13)
            out += fit(f"  [dim]{explains}[/]", 4)
        else:
            out.append(escape(passes))
        out += ["", *fit(following.format(
            next="[bold]{}[/]".format(escape(_("Next:"))), path=escape(shown),
            command=escape(f"`livingsys lint{flag}`")), 2)]
        if not (root / REGISTRY_SCHEMA_DIR / "automation.json").is_file():
            command = escape(f"`livingsys schema --output {_shown(root / REGISTRY_SCHEMA_DIR)}`")
            out += fit(f"[dim]{escape(tip).format(command=command)}[/]", 2)
        return out

    show(lines, stdout())


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(new)
