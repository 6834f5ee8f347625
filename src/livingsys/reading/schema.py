"""JSON Schema of every registry file kind, generated from the models, for editors and CI.

The schemas follow JSON Schema draft 2020-12. Editors use them to complete and check the YAML
files as they are typed: VS Code's YAML extension (Red Hat) reads a first line such as

    # yaml-language-server: $schema=../.livingsys/schema/automation.json

`livingsys init` writes the schemas into the registry's `.livingsys/schema/` folder so that
line works offline; this project commits the same files under `schema/`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingsys.i18n import N_, _
from livingsys.models import FILE_KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where the schemas are published (this repository's `schema/` folder).
BASE_URL = "https://raw.githubusercontent.com/livingsys/livingsys/main/schema/"
#: The folder, inside a registry, where `livingsys init` writes the schemas.
REGISTRY_SCHEMA_DIR = ".livingsys/schema"


@dataclass(frozen=True)
class Kind:
    """A file kind: its name for `livingsys schema KIND` and the files it describes."""

    name: str
    files: str
    #: What the files hold, in English (the schema's description); ``_(what)`` to show it.
    what: str


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("settings", "livingsys.yaml",
         N_("the organisation, how incidents are reported, review habits, lint policy")),
    Kind("people", "people.yaml",
         N_("who is who: business owners, technical maintainers, managers")),
    Kind("rule", "rules/<id>.yaml", N_("a key business rule shared by several automations")),
    Kind("automation", "automations/<id>.yaml", N_("one automation: owner, trigger, flow, "
                                                   "rules, exceptions, guardrails, review")),
    Kind("review", "reviews/<YYYY-MM-DD>.yaml", N_("the minutes of a review meeting")),
    Kind("incident", "incidents/<YYYY-MM-DD>-<slug>.yaml",
         N_("an incident or negative feedback about an automation")),
)}


class UnknownKind(ValueError):
    """No file kind has this name."""

    def __init__(self, name: str) -> None:
        from livingsys.reading.validation import did_you_mean

        self.name = name
        self.guess = did_you_mean(name, list(KINDS))
        if self.guess:
            message = _("there is no file kind '{name}' — did you mean '{guess}'?")
        else:
            message = _("there is no file kind '{name}'")
        super().__init__(message.format(name=name, guess=self.guess))


def kind_names() -> list[str]:
    return list(KINDS)


def url(kind: str) -> str:
    return f"{BASE_URL}{kind}.json"


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind, with `$schema`, `$id`, `title` and `description`."""
    if kind not in KINDS:
        raise UnknownKind(kind)
    info = KINDS[kind]
    model = FILE_KINDS[kind]
    generated = model.model_json_schema(by_alias=True)
    header = {
        "$schema": DIALECT,
        "$id": url(kind),
        "title": f"livingsys {kind} file ({info.files})",
        "description": f"{info.what[0].upper()}{info.what[1:]} ({info.files} in a livingsys "
        "registry). Generated from livingsys's models by `livingsys schema`.",
    }
    for key in header:
        generated.pop(key, None)
    return {**header, **generated}


def schema_text(kind: str) -> str:
    """The schema as written to `<kind>.json`: stable, indented, ending with a newline."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path, kinds: list[str] | None = None) -> list[tuple[Path, bool]]:
    """Write `<kind>.json` for each kind into ``folder``, atomically.

    These files are generated, so they are replaced when they differ. Returns, per file,
    whether it changed.
    """
    from livingsys.reading.writing import WriteError, write_text_atomic

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise WriteError(_("'{folder}' is a file, not a folder").format(folder=folder),
                         _("give --output the folder the schemas go into"))
    out = []
    for kind in kinds or kind_names():
        text = schema_text(kind)
        path = folder / f"{kind}.json"
        try:
            unchanged = path.is_file() and path.read_text("utf-8") == text
        except (OSError, UnicodeDecodeError):
            unchanged = False
        if not unchanged:
            write_text_atomic(path, text, overwrite=True)
        out.append((path, not unchanged))
    return out


def modeline(kind: str, relative_to: str = "") -> str:
    """The first line that points editors at the schema inside the registry.

    ``relative_to`` is the file's folder inside the registry ('' for the registry's top, or
    'automations').
    """
    up = "../" * (len(Path(relative_to).parts) if relative_to else 0)
    return f"# yaml-language-server: $schema={up}{REGISTRY_SCHEMA_DIR}/{kind}.json"
