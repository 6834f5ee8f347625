"""Writing files safely: atomically, never overwriting by accident, never outside the registry.

Edits of existing YAML files go through ruamel.yaml's round-trip mode so comments and key order
the user wrote are kept.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from livingsys.i18n import _
from livingsys.models.common import ID_PATTERN


class WriteError(Exception):
    """A file could not be written; the message says why in plain words."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def check_id(value: str, what: str = "id") -> str:
    """Refuse ids that are not plain file names (no '/', '..', spaces or capitals)."""
    if not re.fullmatch(ID_PATTERN, value or ""):
        rule = _("use lowercase letters, digits, '-' and '_', starting with a letter or digit "
                 "(e.g. payment-reminders)")
        if what == "id":
            message = _("id '{value}' is not allowed: {rule}")
        elif what == "automation id":
            message = _("automation id '{value}' is not allowed: {rule}")
        else:
            # Translators: {what} is the kind of id, in English ("rule id").
            message = _("{what} '{value}' is not allowed: {rule}")
        raise WriteError(
            message.format(what=what, value=value, rule=rule),
            _("ids are also file names, so they cannot contain '/', '..' or spaces"))
    return value


def inside(root: Path, target: Path) -> Path:
    """``target`` if it lies inside ``root`` once resolved, else a WriteError."""
    real_root = root.resolve()
    real = target.resolve()
    try:
        real.relative_to(real_root)
    except ValueError:
        link = _first_link(root, target)
        if link is not None:
            raise WriteError(
                _("'{link}' is a symbolic link to '{target}', outside the registry folder "
                  "'{root}'; nothing was written").format(link=link, target=os.readlink(link),
                                                          root=root),
                _("livingsys writes only inside the registry: replace the link with a real "
                  "folder (move its files into it)")
            ) from None
        raise WriteError(_("'{target}' would be written outside the registry folder "
                           "'{root}'").format(target=target, root=root)) from None
    return target


def _first_link(root: Path, target: Path) -> Path | None:
    """The first symbolic link on the way from ``root`` to ``target``, if any."""
    try:
        parts = target.relative_to(root).parts
    except ValueError:
        return None
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            return path
    return None


def write_text_atomic(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` in one step: a reader sees the old file or the new one,
    never half of it. Refuses to replace an existing file unless ``overwrite``, and never
    replaces anything but a regular file (not a link, a pipe or a device)."""
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Like :func:`write_text_atomic`, for binary files (an XLSX workbook)."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise WriteError(_("'{path}' already exists; it was not changed").format(path=path),
                         _("choose another name, or remove the file first"))
    if overwrite:
        check_replaceable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file readable by its owner only; give it the mode a plain
        # `open()` would (or keep the mode of the file it replaces).
        os.chmod(tmp, _mode_for(path))
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target appeared meanwhile: no silent overwrite race.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise WriteError(_("'{path}' already exists; it was not changed").format(
                    path=path)) from None
            except OSError:  # filesystems without hard links
                if path.exists():
                    raise WriteError(_("'{path}' already exists; it was not changed").format(
                        path=path)) from None
                os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def check_replaceable(path: Path) -> None:
    """A WriteError unless ``path`` is missing or a regular file (not a link, a pipe...)."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        if path.is_symlink():
            message = _("'{path}' is a symbolic link; only a regular file is replaced, so it "
                        "was not changed")
        else:
            message = _("'{path}' is not a regular file (a pipe, a device or a socket); only a "
                        "regular file is replaced, so it was not changed")
        raise WriteError(message.format(path=path),
                         _("write to a new file name, or remove it first"))


def _mode_for(path: Path) -> int:
    """The permission bits a file written at ``path`` should get."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def round_trip_yaml():
    """A ruamel.yaml instance that keeps comments, key order and quotes."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml
