"""Reading YAML files safely, keeping where every key and value was written.

A linter meets bad input more often than good input, so this module never raises for a
problem in a file: it returns the data it could build and a list of findings, each with a
1-based line and column and a hint in plain words.

This module reads a file (bytes to text, then :func:`parse`) and is where the rest of the code
imports YAML reading from. The parts live in modules of their own:

- :mod:`~livingsys.reading.yamldata`: the data with positions, the document, the Y codes;
- :mod:`~livingsys.reading.yamlloader`: the safe loader and its limits (alias bombs, depth,
  duplicate keys);
- :mod:`~livingsys.reading.yamlwording`: syntax errors in plain words;
- :mod:`~livingsys.reading.yamlhidden`: text YAML reads otherwise than people see it;
- :mod:`~livingsys.reading.yamlpositions`: the line and column of a value, or of a character.
"""

from __future__ import annotations

from pathlib import Path

from livingsys.findings import Finding, Severity
from livingsys.i18n import _, number
from livingsys.reading.yamldata import (
    ALIAS_BOMB,
    BOM,
    COMMENT_CUTS_VALUE,
    DUPLICATE_KEY,
    EMPTY,
    INVISIBLE,
    OUTSIDE,
    SEVERAL_DOCUMENTS,
    SYNTAX,
    TAB,
    TOO_LARGE,
    UNREADABLE,
    YamlDocument,
    YamlList,
    YamlMap,
)
from livingsys.reading.yamldata import finding as _finding
from livingsys.reading.yamlhidden import comments_cutting_values, invisible_characters
from livingsys.reading.yamlloader import (
    MAX_DEPTH,
    MAX_NODES,
    NESTING_MARKS,
    SCAN_DEPTH_ABOVE,
    Builder,
    Recursive,
    TooBig,
    TooDeep,
    compose,
    too_deep_at,
)
from livingsys.reading.yamlpositions import locate, scalar_position
from livingsys.reading.yamlwording import deep_finding, syntax_finding

__all__ = [
    "ALIAS_BOMB", "BOM", "COMMENT_CUTS_VALUE", "DUPLICATE_KEY", "EMPTY", "INVISIBLE",
    "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "NESTING_MARKS", "OUTSIDE", "SCAN_DEPTH_ABOVE",
    "SEVERAL_DOCUMENTS", "SYNTAX", "TAB", "TOO_LARGE", "UNREADABLE", "YamlDocument", "YamlList",
    "YamlMap", "comments_cutting_values", "decode", "invisible_characters", "locate", "parse",
    "read", "scalar_position", "too_large",
]

MAX_FILE_BYTES = 1_000_000
"""Files larger than this are refused: an automation file is a page, not a data dump."""


# --------------------------------------------------------------------------------------------
# bytes -> text


_UTF16_32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")


def _looks_utf16(raw: bytes) -> bool:
    """Text saved as UTF-16 or UTF-32 without a BOM: mostly-ASCII characters leave NUL
    bytes at every other (or three in four) positions."""
    sample = raw[:400]
    if len(sample) < 4:
        return False
    for width in (2, 4):
        for offset in range(width):
            text_bytes = sample[offset::width]
            if sum(1 for b in text_bytes if b) >= 0.9 * len(text_bytes) and all(
                    b == 0 for i, b in enumerate(sample) if i % width != offset):
                return True
    return False


def too_large(path: str, size: int, where: str = "the file") -> YamlDocument:
    """The document of a file over :data:`MAX_FILE_BYTES`: not read, one Y007 finding
    (``where``: "the file", or "this version of the file" for one read from git)."""
    if where == "this version of the file":
        message = _("this version of the file is {size} bytes, more than the {limit} allowed")
    else:
        message = _("the file is {size} bytes, more than the {limit} allowed")
    return YamlDocument(path, findings=[_finding(
        TOO_LARGE, path, message.format(size=number(size), limit=number(MAX_FILE_BYTES)),
        _("an automation file describes one automation in a page or two; "
          "split it or remove pasted data"), unreadable=True)])


def decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """Decode a file's bytes as UTF-8, reporting anything else plainly."""
    findings: list[Finding] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        findings.append(_finding(
            BOM, path, _("the file starts with a byte-order mark (BOM)"),
            _("save the file as 'UTF-8' rather than 'UTF-8 with BOM' (most editors offer "
              "both)"),
            1, 1, Severity.WARNING))
    elif raw.startswith(_UTF16_32_BOMS) or (b"\x00" in raw[:400] and _looks_utf16(raw)):
        findings.append(_finding(
            UNREADABLE, path, _("the file is saved as UTF-16 or UTF-32, not UTF-8"),
            _("open it in your editor and save it with the encoding 'UTF-8'"), 1, 1,
            unreadable=True))
        return None, findings
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        findings.append(_finding(
            UNREADABLE, path,
            _("the file contains NUL bytes: it looks like a binary file, not YAML"),
            _("keep only YAML text files in the registry folders"), line, 1, unreadable=True))
        return None, findings
    try:
        return raw.decode("utf-8"), findings
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1
        bad = raw[exc.start:exc.start + 1].hex().upper()
        findings.append(_finding(
            UNREADABLE, path, _("byte 0x{byte} is not valid UTF-8").format(byte=bad),
            _("the file was probably saved as Latin-1 or Windows-1252; "
              "save it again with the encoding 'UTF-8'"), line, col, unreadable=True))
        return None, findings



def parse(text: str, path: str) -> YamlDocument:
    """Parse YAML text into plain data with positions, never raising for bad input."""
    doc = YamlDocument(path=path, text=text)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        doc.findings.append(_finding(
            EMPTY, path, _("the file is empty"),
            _("fill it in (see `livingsys schema` for the fields) or delete it"), 1, 1))
        return doc
    too_deep = too_deep_at(text)
    if too_deep is not None:
        doc.findings.append(deep_finding(path, *too_deep))
        return doc
    try:
        node = compose(text)
    except RecursionError:  # the pure-Python composer, a few hundred levels deep
        too_deep = too_deep_at(text, always=True)
        if too_deep is not None:
            doc.findings.append(deep_finding(path, *too_deep))
            return doc
        doc.findings.append(_finding(
            SYNTAX, path, _("the YAML is nested too deeply to be read"),
            _("an automation file needs at most a few levels (limit {limit})").format(
                limit=MAX_DEPTH), 1, 1))
        return doc
    except Exception as exc:  # ruamel raises several error types; all are input problems
        doc.findings.append(syntax_finding(exc, text, path))
        return doc
    if node is None:
        doc.findings.append(_finding(EMPTY, path, _("the file holds no data"), _("fill it in"),
                                     1, 1))
        return doc
    builder = Builder(path)
    try:
        doc.data, _weight = builder.build(node)
    except TooBig:
        doc.findings.append(_finding(
            ALIAS_BOMB, path,
            _("the file expands to more than {limit} values once its aliases (*name) are "
              "followed — this is how 'billion laughs' attacks work").format(
                  limit=number(MAX_NODES)),
            _("write the values out, or use far fewer aliases"), 1, 1))
        return doc
    except TooDeep as exc:
        doc.findings.append(deep_finding(path, exc.node.start_mark.line,
                                          exc.node.start_mark.column))
        return doc
    except Recursive as exc:
        doc.findings.append(_finding(
            ALIAS_BOMB, path, _("an alias (*name) refers to the block that contains it"),
            _("a value cannot contain itself; write the values out"),
            exc.node.start_mark.line + 1, exc.node.start_mark.column + 1))
        return doc
    doc.findings.extend(builder.findings)
    doc.findings.extend(comments_cutting_values(node, text, path))
    doc.findings.extend(invisible_characters(node, text, path))
    return doc


def read(file: Path, display: str) -> YamlDocument:
    """Read and parse one file; ``display`` is the path shown to the user."""
    import stat

    try:
        info = file.stat()
    except OSError as exc:
        return YamlDocument(display, findings=[_finding(
            UNREADABLE, display, _("cannot read the file: {why}").format(
                why=exc.strerror or exc),
            _("check that the file exists and that you may read it"), unreadable=True)])
    if not stat.S_ISREG(info.st_mode):  # reading a named pipe or a device would never end
        return YamlDocument(display, findings=[_finding(
            UNREADABLE, display,
            _("this is not a regular file (a named pipe, socket or device)"),
            _("keep only YAML text files in the registry folders"), unreadable=True)])
    size = info.st_size
    if size > MAX_FILE_BYTES:
        return too_large(display, size)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return YamlDocument(display, findings=[_finding(
            UNREADABLE, display, _("cannot read the file: {why}").format(
                why=exc.strerror or exc),
            _("check that you may read it"), unreadable=True)])
    text, findings = decode(raw, display)
    if text is None:
        return YamlDocument(display, findings=findings)
    doc = parse(text, display)
    doc.findings[:0] = findings
    return doc


