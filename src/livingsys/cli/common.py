"""Options and helpers every command shares."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn, Protocol, TypeVar

import typer

from livingsys.i18n import _, pgettext

REGISTRY_ENV = "LIVINGSYS_REGISTRY"

RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry", "-r",
        help="Registry folder. Default: $LIVINGSYS_REGISTRY, then \\[tool.livingsys] registry in "
        "./pyproject.toml, then ./registry (or . when it holds livingsys.yaml).",
        show_default=False,
    ),
]


def registry_path(option: Path | None) -> Path:
    """Where the registry is: the option, the environment, pyproject.toml, or ./registry
    (searched for in the folders above too). Exits 2 saying why when the environment or
    pyproject.toml names no folder, or when the folder is one of a registry's subfolders.

    From then on, livingsys speaks the registry's language (unless --lang chose one)."""
    root, source = _chosen(option)
    _check_root(root, source)
    speak_for(root)
    return root


#: The language --lang or $LIVINGSYS_LANG asked for in this run (None: the registry's).
_asked_language: str | None = None


def choose_language(asked: str | None) -> None:
    """--lang (or $LIVINGSYS_LANG): speak that language from now on, or exit 2 naming the
    languages livingsys speaks. Without one, English until the registry says otherwise."""
    global _asked_language
    from livingsys import i18n

    try:
        _asked_language = i18n.normalise(asked) if asked else None
    except i18n.UnknownLanguage as exc:
        i18n.use(None)
        fail(str(exc), "e.g. livingsys --lang fr agenda, or LIVINGSYS_LANG=fr")
    i18n.use(_asked_language)


def speak_for(root: Path | None = None) -> None:
    """Speak the language of the registry at ``root`` (default: the registry livingsys would
    use here, if there is one), unless --lang chose one. A registry that names no language,
    or one livingsys does not speak (lint reports it), is spoken to in English."""
    from livingsys import i18n

    if _asked_language is not None:
        return
    if root is None:
        try:
            root, _source = _chosen(None)
        except typer.Exit:
            return
    i18n.use(registry_language(root))


_LANGUAGE_LINE = re.compile(r"""^language:[ \t]*(["']?)([A-Za-z_-]{2,10})\1[ \t]*(?:#.*)?$""",
                            re.MULTILINE)


def registry_language(root: Path) -> str | None:
    """The ``language:`` livingsys.yaml sets, if it is one livingsys speaks. Read from the
    file's text (a top-level line), so that the language is known before the registry is
    read: a file that does not parse still gets its errors in its language."""
    from livingsys import i18n

    try:
        text = (root / "livingsys.yaml").read_text("utf-8", errors="replace")
    except OSError:
        return None
    found = _LANGUAGE_LINE.search(text)
    if found is None:
        return None
    try:
        return i18n.normalise(found.group(2))
    except i18n.UnknownLanguage:
        return None


def _chosen(option: Path | None) -> tuple[Path, str]:
    """(the registry folder, what named it: an option, the environment, pyproject.toml or
    the default)."""
    if option is not None:
        return option, "--registry"
    if os.environ.get(REGISTRY_ENV):
        return Path(os.environ[REGISTRY_ENV]), f"${REGISTRY_ENV}"
    configured = _configured()
    if configured is not None:
        return configured, "pyproject.toml"
    return _default_root(), "default"


def _default_root(cwd: Path | None = None) -> Path:
    """./registry, or . when it holds livingsys.yaml; else the same looked for in the folders
    above (as git does), up to the top of a git repository, the home folder or ``/``."""
    cwd = cwd or Path.cwd()
    if not Path("registry").exists() and Path("livingsys.yaml").exists():
        return Path(".")
    if Path("registry").exists():
        return Path("registry")
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no home folder (a service account): search to the top
        home = None
    for folder in cwd.resolve().parents:
        for candidate in (folder, folder / "registry"):
            if (candidate / "livingsys.yaml").is_file():
                return Path(os.path.relpath(candidate))
        if (folder / ".git").exists() or folder == home:
            break
    return Path("registry")


def _check_root(root: Path, source: str) -> None:
    if not root.exists() and source in (f"${REGISTRY_ENV}", "pyproject.toml"):
        if source.startswith("$"):
            fail(_("${variable} names '{folder}', and there is no folder there").format(
                variable=REGISTRY_ENV, folder=root),
                 _("fix or unset {variable} (`unset {variable}`), or pass --registry "
                   "PATH").format(variable=REGISTRY_ENV))
        fail(_("pyproject.toml ([tool.livingsys] registry) names '{folder}', and there is no "
               "folder there").format(folder=root),
             _("fix [tool.livingsys] registry in pyproject.toml, or pass --registry PATH"))
    if not root.is_dir() or (root / "livingsys.yaml").exists():
        return
    from livingsys.reading.registry import FOLDERS, SETTINGS_FILE

    real = root.resolve()
    if real.name in FOLDERS and (real.parent / SETTINGS_FILE).is_file():
        parent = os.path.relpath(real.parent)
        import shlex

        use = (_("use --registry {path} (named by {source})") if source not in (
            "--registry", "default") else _("use --registry {path}"))
        fail(_("'{folder}' is the {name} folder of the registry at '{parent}', not a "
               "registry").format(folder=root, name=real.name, parent=parent),
             use.format(path=shlex.quote(parent), source=source))


def _configured() -> Path | None:
    """The registry pyproject.toml's [tool.livingsys] names, if any."""
    pyproject = Path("pyproject.toml")
    if pyproject.is_file():
        import tomllib

        try:
            tool = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            tool = {}
        section = tool.get("livingsys") if isinstance(tool, dict) else None
        configured = section.get("registry") if isinstance(section, dict) else section
        if configured is not None and not (isinstance(section, dict)
                                           and isinstance(configured, str)):
            fail(_("pyproject.toml: the livingsys setting should be a table naming the "
                   "registry folder, not {value}").format(value=repr(configured)),
                 _('write it as [tool.livingsys] with registry = "registry" under it'))
        if configured is not None:
            return Path(configured)
    return None


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from livingsys.reading.validation import date_problem

        impossible = date_problem(value)
        if impossible is not None:
            fail(f"{option} {impossible[0]}", impossible[1])
        fail(_("{option} '{value}' is not a date").format(option=option, value=value),
             _("write it YYYY-MM-DD, e.g. 2026-11-30"))


def fail(message: str, hint: str | None = None, code: int = 2) -> NoReturn:
    """Print a usage or input error in plain words and exit (2 by default)."""
    from livingsys.neutral import for_terminal

    err = stderr()
    error, hint_label = _("error:"), _("hint:")
    err.print(f"[bold red]{error}[/] {for_terminal(message)}", highlight=False)
    if hint:
        err.print(f"[dim]{hint_label}[/] {for_terminal(hint)}", highlight=False)
    raise typer.Exit(code)


def load(registry_option: Path | None, today: dt.date | None = None):
    """Load the registry named by --registry (or the default), or exit 2 saying why."""
    from livingsys.reading.registry import RegistryNotFound, load_registry

    try:
        return load_registry(registry_path(registry_option), today=today)
    except RegistryNotFound as exc:
        fail(str(exc), _("pass the folder with --registry PATH, or create one with "
                         "`livingsys init`"))


def valid_automation(registry, automation_id: str, doing: str):
    """The automation ``automation_id`` with a valid model, or exit 2 with a "did you mean"
    (unknown id) or a pointer to lint (format errors). ``doing``: 'drawn', 'explained'..."""
    from livingsys.reading.validation import suggestion

    entry = registry.automation(automation_id)
    if entry is None:
        known = [e.model.id for e in registry.valid_automations]
        fail(_("there is no automation '{id}'{suggestion}").format(
            id=automation_id, suggestion=suggestion(automation_id, known)),
             _("automations: {ids}").format(
                 ids=", ".join(known) or pgettext("no automation", "none")))
    if entry.model is None:
        fail(_("{path} has format errors, so it cannot be {doing}").format(
            path=entry.path, doing=_(doing)),
             _("run `livingsys lint` and fix {path} first").format(path=entry.path))
    return entry


def stdout():
    from livingsys.neutral import console

    return console(highlight=False, soft_wrap=False)


def stderr():
    from livingsys.neutral import console

    return console(stderr=True, highlight=False, soft_wrap=True)


def write_raw(text: str, kind: str = "text") -> None:
    """Write output without wrapping or markup, made safe for its ``kind`` (text, json or
    github: see :func:`livingsys.neutral.finish`)."""
    from livingsys.neutral import finish

    text = finish(text, kind)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --------------------------------------------------------------------------------------------
# --format: one result, shown the way the user chose

FormatT = TypeVar("FormatT", bound=Enum)
ResultT = TypeVar("ResultT")
TextT = TypeVar("TextT", bound="str | None")

#: How each format's text is made safe before it is written (see :func:`write_raw`).
_KINDS = {"json": "json", "sarif": "json", "github": "github"}


def format_option(help: str, *, show_default: bool = True) -> Any:
    """The ``--format``/``-f`` option of a command that shows its result in several formats
    (``help`` names each one in the user's words), for ``Annotated[XFormat, format_option(...)]``.
    """
    return typer.Option("--format", "-f", help=help, show_default=show_default)


class HasDict(Protocol):
    def to_dict(self) -> Any: ...


def as_json(data: object) -> str:
    """``data`` as every command prints JSON: indented by 2, non-ASCII characters as they are
    (the text of ``json.dumps(data, indent=2, ensure_ascii=False)``, written faster)."""
    from livingsys.render.jsontext import dumps

    return dumps(data)


def to_json(result: HasDict) -> str:
    """The ``--format json`` of a result that knows its data (``to_dict()``)."""
    return as_json(result.to_dict())


def output_kind(output_format: Enum) -> str:
    """What ``output_format``'s text is made safe as (see :func:`livingsys.neutral.finish`):
    json for JSON and SARIF, github for annotations, text for every other format."""
    return _KINDS.get(output_format.value, "text")


def rendered(output_format: FormatT, result: ResultT,
             renderers: Mapping[FormatT, Callable[[ResultT], TextT]]) -> TextT:
    """``result`` in ``output_format``: the text its renderer returns, or None when the
    renderer printed it itself (text for the terminal, in colour and wrapped to its width).
    ``renderers`` has one entry per value of the command's format enum."""
    return renderers[output_format](result)


def show(output_format: FormatT, result: ResultT,
         renderers: Mapping[FormatT, Callable[[ResultT], str | None]]) -> None:
    """Show ``result`` on standard output in the ``--format`` chosen (see :func:`rendered`):
    a renderer's text is written as is, made safe for its kind (:func:`output_kind`)."""
    text = rendered(output_format, result, renderers)
    if text is not None:
        write_raw(text, output_kind(output_format))


def history_fail(exc, fallback: str | None = None) -> NoReturn:
    """Print a :class:`livingsys.history.HistoryError` with what to do, and exit 2.

    ``fallback`` adds how to run without the history (e.g. "--no-history")."""
    hint = exc.hint or ""
    if fallback:
        hint = _("{hint}; or {fallback}").format(hint=hint, fallback=fallback) if hint \
            else fallback
    fail(exc.message, hint or None)


InteractiveOption = Annotated[bool | None, typer.Option(
    "--interactive/--no-input",
    help="Ask for missing values, or never ask and fail if one is missing (scripts, CI). "
    "Default: ask only when the terminal is interactive.", show_default=False)]


def interactive(option: bool | None) -> bool:
    """Whether to ask for missing values: the option, else whether stdin is a terminal."""
    if option is not None:
        return option
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
