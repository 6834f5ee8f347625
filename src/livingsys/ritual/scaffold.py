"""Scaffolding: a new registry (`livingsys init`) and a new automation file (`livingsys new`).

Files are written from commented templates (livingsys/templates/), because these files are
many users' first contact with the format: every field is explained in plain words. Values
are inserted as YAML scalars that read back exactly as given, every file is written
atomically, and nothing that exists is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from livingsys import i18n
from livingsys.history import gitcmd
from livingsys.i18n import _, ngettext
from livingsys.reading.registry import INDICATORS_FILE
from livingsys.reading.schema import REGISTRY_SCHEMA_DIR, kind_names, modeline, schema_text
from livingsys.reading.writing import WriteError, inside, write_text_atomic
from livingsys.reading.yamltext import automation_path, invalid_id, yaml_scalar

DEFAULT_INCIDENT_CHANNEL = "#automation-incidents"
EXAMPLE_AUTOMATION = "payment-reminders"
EXAMPLE_RULE = "manager-validation-threshold"
PERIMETERS = ("first", "extended")


class ScaffoldError(Exception):
    """A usage problem (bad id, unknown owner, folder not empty...), said in plain words."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


# --------------------------------------------------------------------------------------------
# templates and values


def template(name: str) -> str:
    """The template ``name`` in the language spoken (templates/<language>/), else English."""
    folder = resources.files("livingsys") / "templates"
    translated = folder / i18n.language() / name
    if i18n.language() != i18n.DEFAULT and translated.is_file():
        return translated.read_text("utf-8")
    return (folder / name).read_text("utf-8")


def render(template_name: str, /, **values: str) -> str:
    """Fill a template's {{placeholders}}; every placeholder must be given."""
    text = template(template_name)
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    left = re.findall(r"\{\{(\w+)\}\}", text)
    if left:  # pragma: no cover - programming error
        raise KeyError(f"template {template_name} needs {', '.join(sorted(set(left)))}")
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def id_problem(value: str, what: str = "id") -> ScaffoldError | None:
    """None if ``value`` is a valid id, else the error to show (with a suggestion)."""
    problem = invalid_id(value, what)
    return ScaffoldError(str(problem), problem.hint) if problem else None


def name_from_id(automation_id: str) -> str:
    words = re.sub(r"[-_]+", " ", automation_id).strip()
    return words[:1].upper() + words[1:]


def channel_kind(where: str) -> str:
    """The incident channel's kind guessed from how it is written."""
    text = where.strip()
    lowered = text.lower()
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        return "email"
    if text.startswith(("#", "@")) or any(w in lowered for w in ("slack", "teams", "chat")):
        return "chat"
    if lowered.startswith(("http://", "https://", "www.")):
        return "form"
    if re.fullmatch(r"\+?[\d][\d .()/-]{5,}", text):
        return "phone"
    return "other"


# --------------------------------------------------------------------------------------------
# init


@dataclass
class GitOutcome:
    """What init did about version control."""

    status: str  # "inside" (already in a repository), "initialised", "missing", "failed"
    message: str
    top: Path | None = None


@dataclass
class InitResult:
    root: Path
    written: list[str] = field(default_factory=list)
    git: GitOutcome | None = None


def indicators_example(today: dt.date) -> str:
    """indicators.csv as init writes it: the columns livingsys reads, and one example row
    (last month, for the example automation) to replace with real figures."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return ("automation,period,volume,exceptions,time_saved_hours,satisfaction\n"
            f"{EXAMPLE_AUTOMATION},{year:04d}-{month:02d},120,9,6.5,4\n")


def init_files(organisation: str, incident_channel: str = DEFAULT_INCIDENT_CHANNEL,
               today: dt.date | None = None) -> dict[str, str]:
    """Every file `livingsys init` writes, by path inside the registry."""
    today = today or dt.date.today()
    where = incident_channel.strip() or DEFAULT_INCIDENT_CHANNEL
    files = {
        "livingsys.yaml": render(
            "livingsys.yaml", modeline=modeline("settings"),
            schema_dir=REGISTRY_SCHEMA_DIR, organisation=yaml_scalar(organisation.strip()),
            channel_kind=channel_kind(where), channel_where=yaml_scalar(where),
            language=i18n.language()),
        "people.yaml": render("people.yaml", modeline=modeline("people")),
        f"rules/{EXAMPLE_RULE}.yaml": render("rule.yaml", modeline=modeline("rule", "rules"),
                                             today=today.isoformat()),
        f"automations/{EXAMPLE_AUTOMATION}.yaml": render(
            "automation-example.yaml", modeline=modeline("automation", "automations"),
            valid_until=dt.date(today.year + 1, 12, 31).isoformat()),
        "reviews/.gitkeep": "",
        "incidents/.gitkeep": "",
        INDICATORS_FILE: indicators_example(today),
    }
    for kind in kind_names():
        files[f"{REGISTRY_SCHEMA_DIR}/{kind}.json"] = schema_text(kind)
    return files


#: Entries a folder may already hold for init to write into it.
TOLERATED = {".git"}


def check_init_target(root: Path, files: dict[str, str]) -> None:
    """Refuse a target that is a file, a dangling link, a name read as an option, or a folder
    that is not empty."""
    if root.name.startswith("-"):
        raise ScaffoldError(_("'{root}' starts with '-': every command given that folder "
                              "(`livingsys lint -r {root}`, `git add {root}`) would read it "
                              "as an option").format(root=root),
                            _("choose a folder name that does not start with '-'"))
    if root.is_symlink() and not root.exists():
        raise ScaffoldError(_("'{root}' is a symbolic link to '{target}', which does not "
                              "exist").format(root=root, target=os.readlink(root)),
                            _("give init a new folder, or create the link's target"))
    if root.is_file() or (root.exists() and not root.is_dir()):
        raise ScaffoldError(_("'{root}' is a file, not a folder").format(root=root),
                            _("give init the folder to create, e.g. `livingsys init registry`"))
    if not root.exists():
        return
    present = sorted(p.name + ("/" if p.is_dir() else "") for p in root.iterdir()
                     if p.name not in TOLERATED)
    if not present:
        return
    clashes = sorted((rel for rel in files if (root / rel).exists()),
                     key=lambda rel: (rel.startswith("."), rel))
    listed = clashes or present
    shown = ", ".join(listed[:8])
    if len(listed) > 8:
        shown = ngettext("{names} and {n} more", "{names} and {n} more", len(listed) - 8).format(
            names=shown, n=len(listed) - 8)
    hint = _("choose a new or empty folder, or add automations to an existing registry with "
             "`livingsys new ID`")
    if clashes:
        raise ScaffoldError(_("'{root}' already has {names}; init never overwrites a file, so "
                              "nothing was written").format(root=root, names=shown), hint)
    raise ScaffoldError(_("'{root}' is not empty (it holds {names}); init only writes into a "
                          "new or empty folder, so nothing was written").format(
                              root=root, names=shown), hint)


def init_paths() -> list[str]:
    """The paths `livingsys init` writes inside the registry."""
    return list(init_files("x"))


def git_available() -> bool:
    return shutil.which("git") is not None


def git_home(root: Path, cwd: Path | None = None) -> Path:
    """Where init makes a repository for a registry at ``root`` that is in none: the current
    folder when the registry is inside it (a company keeps ``registry/`` at its repository's
    root), else the registry's folder itself. Never the home folder or ``/``: a registry made
    from there gets its own repository."""
    cwd = (cwd or Path.cwd()).resolve()
    target = root.resolve()
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):  # no home folder (a service account)
        home = None
    if cwd in (home, Path(cwd.anchor)):
        return target
    return cwd if target == cwd or cwd in target.parents else target


def ensure_git(root: Path, cwd: Path | None = None) -> GitOutcome:
    """Run `git init` (where :func:`git_home` says) unless ``root`` already lies inside a git
    repository."""
    if not git_available():
        return GitOutcome("missing", _(
            "git is not installed, so the registry is not under version control yet; install "
            "git, then run `git init` in '{root}' (review-due and diff read the registry's git "
            "history)").format(root=root))
    root = root.resolve()  # absolute: a folder named '--bare' is never read as an option
    probe = gitcmd.run(root, "rev-parse", "--show-toplevel", text=True)
    if probe.returncode == 0:
        top = Path(probe.stdout.strip())
        return GitOutcome("inside", _("the registry is inside the git repository at "
                                      "'{top}'").format(top=top), top)
    if "not a git repository" not in probe.stderr.lower():
        return GitOutcome("failed", _(
            "could not tell whether the registry is in a git repository: {why}; no "
            "repository was created").format(why=probe.stderr.strip() or _("git failed")))
    home = git_home(root, cwd)
    done = gitcmd.run(root, "init", "--quiet", "--", str(home), text=True)
    if done.returncode != 0:
        return GitOutcome("failed", _("`git init` failed: {why}").format(
            why=done.stderr.strip()))
    if home == (cwd or Path.cwd()).resolve():
        said = _("initialised a new git repository in the current folder")
    else:
        said = _("initialised a new git repository in '{folder}'").format(folder=home)
    return GitOutcome("initialised", said, home)


def init_registry(root: Path, organisation: str,
                  incident_channel: str = DEFAULT_INCIDENT_CHANNEL, *,
                  today: dt.date | None = None, git: bool = True) -> InitResult:
    """Scaffold a complete registry at ``root`` (a new or empty folder), then `git init`."""
    if not organisation or not organisation.strip():
        raise ScaffoldError(_("the organisation's name is empty"),
                            _("pass --organisation 'Your company'"))
    files = init_files(organisation, incident_channel, today)
    check_init_target(root, files)
    result = InitResult(root=root)
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = inside(root, root / rel)
        try:
            write_text_atomic(path, text)
        except (WriteError, OSError) as exc:
            message = str(exc) if isinstance(exc, WriteError) else _(
                "cannot write '{path}': {why}").format(path=path, why=exc.strerror or exc)
            done = ", ".join(result.written) or _("none")
            raise ScaffoldError(_("{message} (files already written: {files})").format(
                message=message, files=done),
                _("fix the cause, remove the folder and run init again")) from exc
        result.written.append(rel)
    if git:
        result.git = ensure_git(root)
    return result


# --------------------------------------------------------------------------------------------
# new


def business_people(people: dict[str, Any]) -> list[Any]:
    return [p for p in people.values() if p.kind == "business"]


def describe(person) -> str:
    return f"{person.id} ({person.name}{', ' + person.role if person.role else ''})"


def owner_problem(people: dict[str, Any], owner: str) -> ScaffoldError | None:
    """None if ``owner`` is a person of kind business in people.yaml, else why not."""
    from livingsys.reading.validation import did_you_mean

    business = business_people(people)
    choices = ", ".join(p.id for p in business) or _("none yet")
    person = people.get(owner)
    if person is None:
        guess = did_you_mean(owner, [p.id for p in business] or list(people))
        message = (_("owner '{id}' is not in people.yaml — did you mean '{guess}'?") if guess
                   else _("owner '{id}' is not in people.yaml"))
        return ScaffoldError(
            message.format(id=owner, guess=guess),
            _("business people you can choose: {choices}; or add the owner to people.yaml "
              "with kind: business").format(choices=choices))
    if person.kind != "business":
        hint = (_("choose a business person: {choices}; a technical person goes in "
                  "--maintainer") if person.kind == "technical"
                else _("choose a business person: {choices}"))
        return ScaffoldError(
            _("owner '{id}' ({name}) is a person of kind {kind}, not business: an "
              "automation's owner answers for the business result (article, rule 2)").format(
                  id=owner, name=person.name, kind=person.kind),
            hint.format(choices=choices))
    return None


def maintainer_problem(people: dict[str, Any], maintainer: str) -> ScaffoldError | None:
    from livingsys.reading.validation import did_you_mean

    if maintainer in people:
        return None
    guess = did_you_mean(maintainer, list(people))
    message = (_("maintainer '{id}' is not in people.yaml — did you mean '{guess}'?") if guess
               else _("maintainer '{id}' is not in people.yaml"))
    return ScaffoldError(message.format(id=maintainer, guess=guess),
                         _("people in people.yaml: {ids}").format(
                             ids=", ".join(people) or _("none yet")))


OPTIONAL_FIELDS = ("maintainer", "description", "tool", "location")
"""What `livingsys new` may leave empty, for the user to fill in later."""


def _optional(value: str | None) -> str:
    """`` value`` after a key (a YAML scalar), or nothing: the key stays empty."""
    return f" {yaml_scalar(value.strip())}" if value and value.strip() else ""


def new_automation_text(automation_id: str, *, name: str, owner: str, trigger: str,
                        perimeter: str = "first", maintainer: str | None = None,
                        description: str | None = None, tool: str | None = None,
                        location: str | None = None, schema_line: bool = True) -> str:
    """The text of a new automation file: every field present and explained."""
    text = render(
        "automation-new.yaml",
        modeline=modeline("automation", "automations") if schema_line else "",
        id=automation_id, name=yaml_scalar(name.strip()), owner=owner,
        maintainer=maintainer or "", trigger=yaml_scalar(trigger.strip()),
        perimeter=perimeter, description=_optional(description), tool=_optional(tool),
        location=_optional(location))
    return text.lstrip("\n")


def create_automation(root: Path, automation_id: str, *, name: str | None, owner: str,
                      trigger: str, perimeter: str = "first",
                      maintainer: str | None = None, description: str | None = None,
                      tool: str | None = None, location: str | None = None) -> Path:
    """Write automations/<id>.yaml from the template, atomically, never overwriting."""
    problem = id_problem(automation_id, "automation id")
    if problem:
        raise problem
    if perimeter not in PERIMETERS:
        raise ScaffoldError(_("perimeter '{perimeter}' is not first or extended").format(
            perimeter=perimeter))
    if not trigger or not trigger.strip():
        raise ScaffoldError(_("the trigger is empty"),
                            _("say when and why it starts, e.g. --trigger 'Every morning at "
                              "8:00 for each unpaid invoice'"))
    path = inside(root, automation_path(root, automation_id))
    schema_line = (root / REGISTRY_SCHEMA_DIR / "automation.json").is_file()
    text = new_automation_text(automation_id, name=name or name_from_id(automation_id),
                               owner=owner, trigger=trigger, perimeter=perimeter,
                               maintainer=maintainer, description=description, tool=tool,
                               location=location, schema_line=schema_line)
    write_text_atomic(path, text)
    return path
