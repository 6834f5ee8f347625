"""Loading a whole registry: every file read, parsed and validated, every problem reported.

Loading never stops at the first bad file: each file is read on its own, and a file that
cannot be read or validated simply has no model (its findings say why); the rest is checked.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from livingsys import codes
from livingsys.findings import Finding, Severity
from livingsys.i18n import _
from livingsys.models import Automation, Incident, People, Person, Review, Settings, SharedRule
from livingsys.reading import yamlsource
from livingsys.reading.validation import validate

if TYPE_CHECKING:
    from livingsys.reading.indicators import Indicators

M = TypeVar("M", bound=BaseModel)

SETTINGS_FILE = "livingsys.yaml"
PEOPLE_FILE = "people.yaml"
INDICATORS_FILE = "indicators.csv"
FOLDERS: dict[str, type[BaseModel]] = {"automations": Automation, "rules": SharedRule,
                                       "reviews": Review, "incidents": Incident}
YAML_SUFFIXES = (".yaml", ".yml")
#: Files and folders livingsys reads or tolerates at the registry's top level.
KNOWN_TOP = {SETTINGS_FILE, PEOPLE_FILE, INDICATORS_FILE, "README.md", *FOLDERS}


class RegistryNotFound(Exception):
    """The registry folder does not exist or is not a folder (a usage error, exit 2)."""


@dataclass
class Entry(Generic[M]):
    """One file of the registry: where it is, what was read, and its model if valid."""

    rel: str
    path: str
    doc: yamlsource.YamlDocument
    model: M | None = None

    @property
    def stem(self) -> str:
        name = self.rel.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0]

    def where(self, key: str, fallback: str = "id") -> tuple:
        """``(key,)`` when the file writes ``key``, else ``(fallback,)``: where a finding about
        something missing points (the empty list if there is one, else the automation's id)."""
        data = self.doc.data
        return (key,) if isinstance(data, dict) and key in data else (fallback,)

    def position(self, loc: tuple, *, key: bool = False) -> tuple[int, int] | None:
        return yamlsource.locate(self.doc.data, loc, key=key) if self.doc.data is not None else None


def with_models(entries: Iterable[Entry[M]]) -> list[tuple[Entry[M], M]]:
    """The entries whose file is valid, in their order, each with its model (never None)."""
    return [(entry, entry.model) for entry in entries if entry.model is not None]


@dataclass
class Registry:
    """Everything read from a registry folder."""

    root: Path
    display_root: str
    settings: Entry[Settings] | None = None
    people_file: Entry[People] | None = None
    shared_rules: list[Entry[SharedRule]] = field(default_factory=list)
    automations: list[Entry[Automation]] = field(default_factory=list)
    reviews: list[Entry[Review]] = field(default_factory=list)
    incidents: list[Entry[Incident]] = field(default_factory=list)
    #: The monthly figures of indicators.csv (valid rows only), or None without the file.
    indicators: Indicators | None = None
    #: Problems found while reading and validating (input and schema findings).
    findings: list[Finding] = field(default_factory=list)

    # Checks ask for these once per automation: each is computed once and kept while the
    # objects it comes from are the same ones and its list keeps its length. The dict and set
    # returned are shared: read them, do not modify them.

    def _cached(self, name: str, sources: tuple, size: int, compute):
        caches = self.__dict__.setdefault("_caches", {})
        hit = caches.get(name)
        if hit is not None and hit[1] == size and len(hit[0]) == len(sources) and all(
                kept is current for kept, current in zip(hit[0], sources, strict=False)):
            return hit[2]
        value = compute()
        caches[name] = (sources, size, value)
        return value

    @property
    def people(self) -> dict[str, Person] | None:
        """People by id, or None when people.yaml is missing or invalid (checks that need it
        then stay silent rather than report every reference as unknown)."""
        if self.people_file is None or self.people_file.model is None:
            return None
        people = self.people_file.model.people
        return self._cached("people", (self.people_file, self.people_file.model, people),
                            len(people), lambda: {p.id: p for p in people})

    @property
    def rule_ids(self) -> set[str]:
        rules = self.shared_rules
        return self._cached("rule_ids", (rules,), len(rules),
                            lambda: {e.model.id if e.model else e.stem for e in rules})

    def automation(self, automation_id: str) -> Entry[Automation] | None:
        for entry in self.automations:
            if entry.model is not None and entry.model.id == automation_id:
                return entry
        for entry in self.automations:
            if entry.stem == automation_id:
                return entry
        return None

    @property
    def valid_automations(self) -> list[Entry[Automation]]:
        return [e for e in self.automations if e.model is not None]

    def display(self, rel: str) -> str:
        return f"{self.display_root}/{rel}" if self.display_root not in ("", ".") else rel


def display_root_for(root: Path) -> str:
    """How to show the registry's folder: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(root)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(root)
    return str(root) if rel.startswith("..") else rel


def _load_file(registry: Registry, file: Path, rel: str, model: type[M]) -> Entry[M]:
    display = registry.display(rel)
    doc = yamlsource.read(file, display)
    entry: Entry[M] = Entry(rel=rel, path=display, doc=doc)
    registry.findings.extend(doc.findings)
    if doc.data is not None and not any(f.severity is Severity.ERROR and f.code != "Y003"
                                        for f in doc.findings):
        entry.model, findings = validate(model, doc.data, display)
        registry.findings.extend(findings)
    return entry


def _link_problem(registry: Registry, file: Path, rel: str, real_root: Path) -> Finding | None:
    """Why a file (usually a symbolic link) cannot be read where it is, or None."""
    try:
        target = file.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        return codes.finding(yamlsource.UNREADABLE,
                             _("this link leads round in a loop of links to itself"),
                             registry.display(rel), unreadable=True,
                             hint=_("remove the link, or point it at a real file"))
    try:
        inside = target.relative_to(real_root)
    except ValueError:
        return codes.finding(yamlsource.OUTSIDE, _("this is a link to '{target}', outside the "
                                                   "registry folder; it is not read").format(
                                                       target=target), registry.display(rel))
    if file.is_symlink() and not target.exists():
        return codes.finding(yamlsource.UNREADABLE,
                             _("this link points to '{target}', which does not exist").format(
                                 target=inside.as_posix()),
                             registry.display(rel), unreadable=True,
                             hint=_("remove the link, or restore the file it points to"))
    return None


def _misplaced(registry: Registry, rel: str, why: str) -> Finding:
    return codes.finding("S005", _("this file is not read by livingsys: {why}").format(why=why),
                         registry.display(rel))


def _scan_folder(registry: Registry, real_root: Path, folder: str) -> list[tuple[Path, str]]:
    base = registry.root / folder
    if not base.is_dir():
        if base.exists() or base.is_symlink():
            problem = _link_problem(registry, base, folder, real_root)
            registry.findings.append(problem or _misplaced(
                registry, folder, _("'{folder}' should be a folder of .yaml files, not a "
                                    "file").format(folder=folder)))
        return []
    out = []
    for file in sorted(base.iterdir()):
        rel = f"{folder}/{file.name}"
        if file.name.startswith(".") or file.name.endswith("~"):
            continue
        problem = _link_problem(registry, file, rel, real_root)
        if problem is not None:
            registry.findings.append(problem)
            continue
        if file.is_dir():
            registry.findings.append(_misplaced(registry, rel, _("sub-folders are not read")))
            continue
        if not file.name.endswith(YAML_SUFFIXES):
            registry.findings.append(_misplaced(registry, rel, _("only .yaml files are read")))
            continue
        out.append((file, rel))
    return out


def _single(registry: Registry, real_root: Path, name: str, model: type[M],
            *, required: bool) -> Entry[M] | None:
    file = registry.root / name
    if not file.exists() and not file.is_symlink():
        alternative = registry.root / (name[:-5] + ".yml")
        if alternative.exists():
            file, name = alternative, alternative.name
        elif required:
            registry.findings.append(codes.finding(
                "S004", _("the registry has no {name}").format(name=name),
                registry.display(name),
                hint=_("create it (`livingsys init` writes a complete example registry)")))
            return None
        else:
            return None
    problem = _link_problem(registry, file, name, real_root)
    if problem is not None:
        registry.findings.append(problem)
        return None
    return _load_file(registry, file, name, model)


def _indicators(registry: Registry, real_root: Path, today: dt.date | None) -> Indicators | None:
    file = registry.root / INDICATORS_FILE
    if not file.exists() and not file.is_symlink():
        return None
    problem = _link_problem(registry, file, INDICATORS_FILE, real_root)
    if problem is not None:
        registry.findings.append(problem)
        return None
    from livingsys.reading import indicators
    from livingsys.reading.renames import names

    # rows under an old id (formerly) count for the automation as it is named now
    known = names(registry).aliases
    result, findings = indicators.read(file, known, today=today,
                                       path=registry.display(INDICATORS_FILE))
    registry.findings.extend(findings)
    return result


@contextmanager
def cycle_collector_paused():
    """Pause Python's cycle collector while reading (and linting) a registry.

    Loading creates hundreds of objects per file and the registry keeps them all: the collector
    would scan the growing heap again and again and find nothing (reading leaves no cycles
    behind), which at 10,000 files costs as much as the parsing. On the way out, everything
    allocated meanwhile is moved straight to the oldest generation (``freeze`` + ``unfreeze``)
    instead of being scanned as young objects at the next collection; it is still collected
    as usual later. Nested uses only act at the outermost one.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def load_registry(root: Path | str, *, display_root: str | None = None,
                  today: dt.date | None = None) -> Registry:
    """Read, parse and validate every file of the registry at ``root``.

    ``today`` (default: the real date) is when indicators.csv's periods stop being "in the
    future"."""
    with cycle_collector_paused():
        return _load_registry(root, display_root, today)


def as_registry(registry: Registry | Path | str) -> Registry:
    """The registry the core's entry points work on: ``registry`` itself when it is loaded
    already (a caller that has it reads the files once), else the one read from that folder
    with :func:`load_registry` (raises :class:`RegistryNotFound` like it)."""
    return registry if isinstance(registry, Registry) else load_registry(registry)


def _load_registry(root: Path | str, display_root: str | None,
                   today: dt.date | None) -> Registry:
    root = Path(root)
    if not root.exists():
        raise RegistryNotFound(_("there is no registry folder at '{root}'").format(root=root))
    if not root.is_dir():
        raise RegistryNotFound(_("'{root}' is a file, not a registry folder").format(root=root))
    registry = Registry(root=root, display_root=display_root if display_root is not None
                        else display_root_for(root))
    real_root = root.resolve()
    registry.settings = _single(registry, real_root, SETTINGS_FILE, Settings, required=True)
    registry.people_file = _single(registry, real_root, PEOPLE_FILE, People, required=True)
    for folder, model in FOLDERS.items():
        entries = [_load_file(registry, file, rel, model)
                   for file, rel in _scan_folder(registry, real_root, folder)]
        setattr(registry, {"rules": "shared_rules"}.get(folder, folder), entries)
    registry.indicators = _indicators(registry, real_root, today)
    for item in sorted(root.iterdir()):
        if item.name.startswith(".") or item.name in KNOWN_TOP or item.name in (
                SETTINGS_FILE[:-5] + ".yml", PEOPLE_FILE[:-5] + ".yml"):
            continue
        if item.suffix in YAML_SUFFIXES:
            registry.findings.append(_misplaced(
                registry, item.name, _("automation files go in automations/, shared rules in "
                                       "rules/")))
    return registry


def load_one(file: Path, model: type[M], display: str) -> tuple[M | None, list[Finding], Any]:
    """Read and validate a single file (used by commands that edit one file)."""
    doc = yamlsource.read(file, display)
    if doc.data is None:
        return None, doc.findings, None
    instance, findings = validate(model, doc.data, display)
    return instance, doc.findings + findings, doc.data
