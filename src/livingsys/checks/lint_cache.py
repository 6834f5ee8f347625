"""lint's cache: a second lint of files that did not change costs a look-up, as with ruff.

One cache file per registry folder, in the user's cache folder (:func:`default_cache_dir`):
``lint/<hash of the registry's real path>.json``. It holds

- the whole report of the last run, with the fingerprint of everything it was computed from:
  when nothing changed, lint reads no YAML at all and shows that report again;
- for each automation file, the findings of the checks that look at that file alone, keyed by
  its content and by everything those checks read besides it (settings and policy, people,
  shared rules, reviews, incidents, indicators): after an edit, lint reads the registry again
  and runs the registry-wide checks, but re-checks only the files that changed, or all of
  them when a file they depend on changed.

Every key also holds livingsys's version and a stamp of its installed code, the language of
the run, the ``--today`` date (expiry dates, review cadences) and where the registry is and
how it is shown. The checks that look outside the registry (G043, G044: the tool's export)
run every time; on a full hit, what they looked at is looked at again.

The cache is never trusted blindly: it is data only (JSON, never pickle), its body carries a
digest, and a file that is truncated, corrupted, of another format or version, or about
another registry is ignored (and rewritten); so is one that someone else could have written
(a link, a file or folder of another user or writable by others: the folder is made 0700).
``LIVINGSYS_NO_CACHE=1`` turns it off, like ``--no-cache``. It is written atomically; when
it cannot be written (a read-only home, CI) lint works as without it, silently. Deleting the
folder is always safe. It never changes the output: the tests compare outputs cold, warm, after an
edit, after corrupting the cache and with ``--no-cache``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from livingsys.checks.base import Check
from livingsys.checks.lint import LintReport, StoredWaiver, Waived, run_checks, run_checks_for
from livingsys.checks.silenced import ActiveWaiver, PolicyChange, Silenced
from livingsys.findings import Finding, Severity
from livingsys.reading.registry import (
    FOLDERS,
    Entry,
    Registry,
    cycle_collector_paused,
    display_root_for,
    load_registry,
    with_models,
)

FORMAT = 1
"""The layout of a cache file; an entry of another layout is ignored."""

ENV = "LIVINGSYS_CACHE_DIR"
"""The environment variable naming the cache folder (before $XDG_CACHE_HOME/livingsys)."""


def default_cache_dir() -> Path | None:
    """$LIVINGSYS_CACHE_DIR, else $XDG_CACHE_HOME/livingsys, else ~/.cache/livingsys (None
    when there is no home folder to put it in, or when $LIVINGSYS_NO_CACHE is set, as for
    the CEL parser's cache)."""
    if os.environ.get("LIVINGSYS_NO_CACHE"):
        return None
    chosen = os.environ.get(ENV)
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "livingsys"
    try:
        return Path.home() / ".cache" / "livingsys"
    except RuntimeError:  # no home folder known
        return None


# --------------------------------------------------------------------------------------------
# what a result depends on


def digest(*parts: str) -> str:
    """A short hex digest of ``parts`` (a cache key, or the check of a cache file's body)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


_CODE_STAMP: str | None = None


def code_stamp() -> str:
    """livingsys's version and a stamp of its installed files (name, size, time): an edited
    checkout, or another version, never reads the results of the previous one."""
    global _CODE_STAMP
    if _CODE_STAMP is None:
        import livingsys

        package = Path(livingsys.__file__).parent
        parts = [livingsys.__version__]
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                parts.append(f"{os.path.relpath(os.path.join(folder, name), package)}"
                             f":{stat.st_size}:{stat.st_mtime_ns}")
        _CODE_STAMP = digest(*parts)
    return _CODE_STAMP


def _version() -> str:
    import livingsys

    return livingsys.__version__


def _language() -> str:
    from livingsys import i18n

    language = getattr(i18n, "language", None)
    return language() if callable(language) else "en"


def _describe(path: str) -> str:
    """A file as lint would read it: its content's digest (and where a link leads); only a
    regular file is opened (a named pipe would block), anything else by its kind."""
    import stat

    link = ""
    try:
        if os.path.islink(path):
            link = "link:" + os.readlink(path) + ":"
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"{link}unreadable:{exc.errno}"
    if stat.S_ISDIR(mode):
        return link + "folder"
    if not stat.S_ISREG(mode):
        return f"{link}special:{stat.S_IFMT(mode)}"
    try:  # non-blocking, and checked again once open: it may have been replaced meanwhile
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return f"{link}special"
            return link + hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError as exc:
        return f"{link}unreadable:{exc.errno}"


def fingerprint(root: Path) -> dict[str, str]:
    """Every entry lint looks at in the registry folder, by path inside it (``automations/x.yaml``),
    with its content's digest: the top level's entries, and the files of the four folders
    (their sub-folders by name only: lint does not read them)."""
    found: dict[str, str] = {}
    try:
        top = sorted(os.listdir(root))
    except OSError as exc:
        return {".": f"unreadable:{exc.errno}"}
    for name in top:
        path = os.path.join(root, name)
        found[name] = _describe(path)
        if name in FOLDERS and found[name].endswith("folder"):
            try:
                inside = sorted(os.listdir(path))
            except OSError as exc:
                found[name] += f":unreadable:{exc.errno}"
                continue
            for child in inside:
                found[f"{name}/{child}"] = _describe(os.path.join(path, child))
    return found


def _run_key(root: Path, display_root: str, today: dt.date) -> str:
    return digest(str(FORMAT), code_stamp(), _language(), today.isoformat(), display_root,
                   str(root.resolve()))


def _context(run_key: str, files: dict[str, str]) -> str:
    """What the checks of one automation read besides its file: every other file."""
    return digest(run_key, *(f"{rel}={h}" for rel, h in files.items()
                              if not rel.startswith("automations/")))


def _full_key(run_key: str, files: dict[str, str]) -> str:
    return digest(run_key, *(f"{rel}={h}" for rel, h in files.items()))


def _export_probe(root: Path, export: str) -> list[Any]:
    """What G043 and G044 see of an export: where it leads (None when it cannot be used)
    and whether it is a file there."""
    from livingsys.tools.drift import resolve_export

    path, _problem = resolve_export(root, export)
    return [export, None if path is None else str(path), path is not None and path.is_file()]


# --------------------------------------------------------------------------------------------
# the cache file: a header line (format, version, digest of the body), then the body


def cache_file(cache_dir: Path, root: Path) -> Path:
    return cache_dir / "lint" / f"{digest(str(root.resolve()))}.json"


def _private(path: Path, kind: Any) -> bool:
    """Whether ``path`` is of ``kind`` (a folder, a regular file: not a link), belongs to
    the user and nobody else may write it: only then could no one else have put findings
    there (or hidden some)."""
    import stat

    try:
        info = path.lstat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return bool(kind(info.st_mode)) and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(file: Path) -> dict[str, Any] | None:
    import stat

    if not (_private(file.parent, stat.S_ISDIR) and _private(file, stat.S_ISREG)):
        return None
    try:
        text = file.read_text(encoding="utf-8")
        head, body = text.split("\n", 1)
        header = json.loads(head)
        if (not isinstance(header, dict) or header.get("format") != FORMAT
                or header.get("livingsys") != _version()
                or header.get("digest") != digest(body)):
            return None
        data = json.loads(body)
    except (OSError, ValueError, UnicodeError):
        return None
    return data if isinstance(data, dict) else None


def _write(file: Path, data: dict[str, Any]) -> None:
    import stat

    from livingsys.reading.writing import WriteError, write_text_atomic

    try:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):  # a finding with data JSON cannot hold: no cache
        return
    header = json.dumps({"format": FORMAT, "livingsys": _version(), "digest": digest(body)})
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if file.is_symlink() or (file.exists() and not _private(file, stat.S_ISREG)):
            file.unlink()  # not the user's own: a new file, not this one's mode
        write_text_atomic(file, header + "\n" + body, overwrite=True)
    except (WriteError, OSError):
        pass  # a read-only cache folder: lint works as without a cache


# --------------------------------------------------------------------------------------------
# findings and reports as data


_FINDING_FIELDS = ("code", "severity", "message", "path", "line", "col", "hint", "name",
                   "unreadable", "extra")


def _finding_data(finding: Finding) -> list[Any]:
    return [finding.code, finding.severity.value, finding.message, finding.path, finding.line,
            finding.col, finding.hint, finding.name, finding.unreadable, finding.extra]


_FINDING_TYPES: dict[str, tuple[type, ...]] = {
    "code": (str,), "message": (str,), "path": (str, type(None)), "line": (int, type(None)),
    "col": (int, type(None)), "hint": (str, type(None)), "name": (str,), "unreadable": (bool,),
    "extra": (dict,)}


def _finding(data: list[Any]) -> Finding:
    """A finding from the cache, its fields checked (ValueError when one is not as lint
    writes it)."""
    values = dict(zip(_FINDING_FIELDS, data, strict=True))
    values["severity"] = Severity(values["severity"])
    if any(not isinstance(values[k], types) for k, types in _FINDING_TYPES.items()):
        raise ValueError("not a finding")
    return Finding(**values)


def _plain(item: Any) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v
            for k, v in dataclasses.asdict(item).items()}


def _report_data(report: LintReport) -> dict[str, Any]:
    return {
        "findings": [_finding_data(f) for f in report.findings],
        "waived": [[_finding_data(w.finding), w.waiver.reason, w.waiver.approved_by,
                    w.waiver.expires.isoformat()] for w in report.waived],
        "policy": [_plain(c) for c in report.silenced.policy],
        "waivers": [_plain(w) for w in report.silenced.waivers],
        "files": report.files,
        "automations": report.automation_count,
        "not_checked": report.not_checked,
    }


def _report(data: dict[str, Any], root: Path, display_root: str, today: dt.date) -> LintReport:
    waivers = []
    for item in data["waivers"]:
        waivers.append(ActiveWaiver(**{**item, "expires": dt.date.fromisoformat(item["expires"])}))
    report = LintReport(
        registry=Registry(root=root, display_root=display_root), today=today,
        findings=[_finding(f) for f in data["findings"]],
        waived=[Waived(_finding(f), StoredWaiver(str(reason), str(by),
                                                 dt.date.fromisoformat(expires)))
                for f, reason, by, expires in data["waived"]],
        silenced=Silenced(policy=[PolicyChange(**c) for c in data["policy"]], waivers=waivers))
    report.stored_counts = (int(data["files"]), int(data["automations"]),
                            [str(p) for p in data["not_checked"]])
    return report


# --------------------------------------------------------------------------------------------
# lint with the cache


class _Memo:
    """The findings of each automation file's own checks, from the cache or just computed."""

    def __init__(self, stored: dict[str, Any], context: str, files: dict[str, str]) -> None:
        self.stored = stored
        self.context = context
        self.files = files
        self.fresh: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}

    def _key(self, rel: str) -> str:
        """The key of an automation file's results (computed once per file, not per check)."""
        key = self.keys.get(rel)
        if key is None:
            key = self.keys[rel] = digest(self.context, rel, self.files.get(rel, "?"))
        return key

    def get(self, entry: Entry, check: Check) -> list[Finding] | None:
        if check.reads_files:
            return None
        record = self.stored.get(entry.rel)
        if not isinstance(record, dict) or record.get("key") != self._key(entry.rel):
            return None
        ran = record.get("ran")
        if not isinstance(ran, list) or check.code not in ran:
            return None
        try:
            found = [_finding(f) for f in record.get("found", {}).get(check.code, [])]
        except (TypeError, ValueError, KeyError, AttributeError):
            return None
        self.put(entry, check, found)
        return found

    def put(self, entry: Entry, check: Check, findings: list[Finding]) -> None:
        if check.reads_files:
            return
        record = self.fresh.get(entry.rel)
        if record is None:
            record = self.fresh[entry.rel] = {"key": self._key(entry.rel), "ran": [],
                                              "found": {}}
        record["ran"].append(check.code)
        if findings:
            record["found"][check.code] = [_finding_data(f) for f in findings]


def lint_cached(root: Path | str, today: dt.date, cache_dir: Path,
                files: list[str] | None = None) -> LintReport:
    """:func:`livingsys.checks.lint.lint` with the cache in ``cache_dir`` (same report).
    With ``files`` the registry is read (the files given are compared with the others), but
    only the automation files that changed are checked again."""
    root = Path(root)
    if not root.is_dir():
        from livingsys.checks.lint import lint

        return lint(root, today, files)  # says why (RegistryNotFound)
    display_root = display_root_for(root)
    seen = fingerprint(root)
    run_key = _run_key(root, display_root, today)
    full_key = _full_key(run_key, seen)
    file = cache_file(cache_dir, root)
    stored = _read(file) or {}
    try:
        if files is None and stored.get("key") == full_key and all(
                _export_probe(root, probe[0]) == probe for probe in stored["probes"]):
            return _report(stored["report"], root, display_root, today)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError):
        pass  # an entry of another shape: computed again below
    context = _context(run_key, seen)
    previous = stored.get("files") if stored.get("context") == context else None
    memo = _Memo(previous if isinstance(previous, dict) else {}, context, seen)
    with cycle_collector_paused():
        registry = load_registry(root, today=today)
        report = (run_checks(registry, today, memo=memo) if files is None
                  else run_checks_for(registry, today, files, memo=memo))
    probes = [_export_probe(root, automation.source.export)
              for _entry, automation in with_models(registry.automations)
              if automation.source is not None]
    if files is not None:  # a partial report: keep the per-file results, not the report
        full_key, report_data = "", None
    else:
        report_data = _report_data(report)
    _write(file, {"key": full_key, "context": context, "probes": probes,
                  "report": report_data, "files": memo.fresh})
    return report
