"""Reading YAML files safely, keeping where every key and value was written.

A linter meets bad input more often than good input, so this module never raises for a
problem in a file: it returns the data it could build and a list of findings, each with a
1-based line and column and a hint in plain words.

Parsing uses ruamel.yaml's C parser (libyaml) when it is installed, and its pure-Python
composer otherwise. We do not use ruamel's constructors: ours builds plain dicts and lists
(which pydantic validates fast), records positions on the side, reports duplicate keys, and
bounds the expanded size of aliases so that a "billion laughs" file cannot exhaust memory.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livingsys.findings import Finding, Severity

MAX_FILE_BYTES = 1_000_000
"""Files larger than this are refused: an automation file is a page, not a data dump."""

MAX_NODES = 50_000
"""Upper bound of values in one file once aliases are expanded (alias bombs)."""

MAX_DEPTH = 60
"""Upper bound of nesting in one file."""

# Codes of the input problems; their titles, rationale and hints live in checks/input.py.
UNREADABLE = "Y001"
SYNTAX = "Y002"
DUPLICATE_KEY = "Y003"
EMPTY = "Y004"
SEVERAL_DOCUMENTS = "Y005"
ALIAS_BOMB = "Y006"
TOO_LARGE = "Y007"
OUTSIDE = "Y008"
BOM = "Y009"
TAB = "Y010"
COMMENT_CUTS_VALUE = "Y011"
INVISIBLE = "Y013"


class YamlMap(dict):
    """A mapping read from YAML, with the position of each key and value (0-based)."""

    __slots__ = ("marks", "mark")

    def key_position(self, key: Any) -> tuple[int, int] | None:
        m = self.marks.get(key)
        return (m[0], m[1]) if m else None

    def value_position(self, key: Any) -> tuple[int, int] | None:
        m = self.marks.get(key)
        return (m[2], m[3]) if m else None


class YamlList(list):
    """A sequence read from YAML, with the position of each item (0-based)."""

    __slots__ = ("marks", "mark")


@dataclass
class YamlDocument:
    """What reading one file gave: its data (None when unusable) and its problems."""

    path: str
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    text: str | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None


def _finding(code: str, path: str, message: str, hint: str, line: int | None = None,
             col: int | None = None, severity: Severity = Severity.ERROR,
             unreadable: bool = False) -> Finding:
    from livingsys.checks.input import INPUT_NAMES

    return Finding(code=code, severity=severity, message=message, path=path, line=line,
                   col=col, hint=hint, name=INPUT_NAMES.get(code, ""), unreadable=unreadable)


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
    return YamlDocument(path, findings=[_finding(
        TOO_LARGE, path, f"{where} is {size:,} bytes, more than the {MAX_FILE_BYTES:,} allowed",
        "an automation file describes one automation in a page or two; "
        "split it or remove pasted data", unreadable=True)])


def decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """Decode a file's bytes as UTF-8, reporting anything else plainly."""
    findings: list[Finding] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        findings.append(_finding(
            BOM, path, "the file starts with a byte-order mark (BOM)",
            "save the file as 'UTF-8' rather than 'UTF-8 with BOM' (most editors offer both)",
            1, 1, Severity.WARNING))
    elif raw.startswith(_UTF16_32_BOMS) or (b"\x00" in raw[:400] and _looks_utf16(raw)):
        findings.append(_finding(
            UNREADABLE, path, "the file is saved as UTF-16 or UTF-32, not UTF-8",
            "open it in your editor and save it with the encoding 'UTF-8'", 1, 1,
            unreadable=True))
        return None, findings
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        findings.append(_finding(
            UNREADABLE, path, "the file contains NUL bytes: it looks like a binary file, not YAML",
            "keep only YAML text files in the registry folders", line, 1, unreadable=True))
        return None, findings
    try:
        return raw.decode("utf-8"), findings
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1
        bad = raw[exc.start:exc.start + 1].hex().upper()
        findings.append(_finding(
            UNREADABLE, path, f"byte 0x{bad} is not valid UTF-8",
            "the file was probably saved as Latin-1 or Windows-1252; "
            "save it again with the encoding 'UTF-8'", line, col, unreadable=True))
        return None, findings


# --------------------------------------------------------------------------------------------
# text -> nodes


_COMPOSER: Any = None


def _composer_class() -> Any:
    """The composer class (built once): ruamel's C parser with a fast YAML 1.2 resolver, or
    False when ruamel.yaml.clib is not installed."""
    global _COMPOSER
    if _COMPOSER is not None:
        return _COMPOSER
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - pure-Python fallback without ruamel.yaml.clib
        _COMPOSER = False
        return _COMPOSER
    from ruamel.yaml.compat import _DEFAULT_YAML_VERSION
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
    from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
    from ruamel.yaml.tag import Tag

    # The implicit resolvers of the default YAML version (1.2: only true/false are booleans,
    # octals need 0o), exactly as ruamel's VersionedResolver picks them, but looked up once:
    # ruamel works out the version for every scalar, which costs more than parsing it. A
    # '%YAML 1.1' directive never changed this (the version was always 1.2 here either way).
    version = _DEFAULT_YAML_VERSION
    tags: dict[str, Any] = {}
    table: dict[Any, list[tuple[Any, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if version in versions:
            shared = tags.setdefault(tag, Tag(suffix=tag))
            match = regexp.match  # the compiled pattern's, not through ruamel's lazy wrapper
            for ch in first if first is not None else [None]:
                table.setdefault(ch, []).append((shared, match))
    anywhere = table.pop(None, [])
    if anywhere:  # pragma: no cover - no resolver of ruamel's applies to any first character
        table = {ch: resolvers + anywhere for ch, resolvers in table.items()}
    default_scalar = VersionedResolver.DEFAULT_SCALAR_TAG
    default_sequence = VersionedResolver.DEFAULT_SEQUENCE_TAG
    default_mapping = VersionedResolver.DEFAULT_MAPPING_TAG
    for tag_object in (*tags.values(), default_scalar, default_sequence, default_mapping):
        _KNOWN_TAGS[id(tag_object)] = (tag_object, _tag_kind(str(tag_object)))

    class _Composer(CParser, VersionedResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            VersionedResolver.__init__(self, loader=self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                for tag, match in table.get(value[0] if value else "", anywhere):
                    if match(value):
                        return tag
            if self.yaml_path_resolvers:  # pragma: no cover - nobody adds path resolvers
                return VersionedResolver.resolve(self, kind, value, (False, implicit[1]))
            if kind is ScalarNode:
                return default_scalar
            if kind is SequenceNode:
                return default_sequence
            return default_mapping if kind is MappingNode else None

    _COMPOSER = _Composer
    return _COMPOSER


def _compose(text: str):
    """Compose the single YAML document in ``text`` into ruamel nodes (or None if empty)."""
    composer_class = _composer_class()
    if composer_class is False:  # pragma: no cover - without ruamel.yaml.clib
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).compose(text)
    composer = composer_class(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()
        # The composer refers to itself (as its parser, composer and loader): drop those
        # references so it is freed at once rather than by the cycle collector.
        composer.__dict__.clear()


_NESTING_MARKS = ("[", "{", "- ", "-\n", "-\r", "-\t", ": ", ":\n", ":\r", ":\t", "? ")
"""Every level of YAML nesting starts with one of these: their count bounds the depth."""

SCAN_DEPTH_ABOVE = 1_000
"""Files whose nesting could exceed this are scanned for depth before being composed."""


def _too_deep(text: str, *, always: bool = False) -> tuple[int, int] | None:
    """Where (0-based line, column) nesting first goes past MAX_DEPTH, or None.

    libyaml's parser is iterative, but ruamel's C composer recurses once per level: a file
    of 40,000 '[' (80 KB, well under MAX_FILE_BYTES) overflows the C stack and kills the
    interpreter with a segmentation fault, which no ``except`` can catch. So a file that
    *could* be that deep (counted cheaply) is first walked event by event, without
    building anything. Ordinary files never pay for this walk.
    """
    if not always and sum(text.count(mark) for mark in _NESTING_MARKS) <= SCAN_DEPTH_ABOVE:
        return None
    from ruamel.yaml import YAML

    depth = 0
    events = YAML(typ="safe").parse(text)  # libyaml's parser when installed
    try:
        for event in events:
            kind = type(event).__name__
            if kind in ("SequenceStartEvent", "MappingStartEvent"):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the level at which _Builder stops too
                    return event.start_mark.line, event.start_mark.column
            elif kind in ("SequenceEndEvent", "MappingEndEvent"):
                depth -= 1
    except Exception:  # a syntax error: the composer reports it with its position
        return None
    finally:
        events.close()
    return None


def _quoted(value: str) -> str:
    """``value`` written between quotes as YAML reads it back: 'single' when it holds a double
    quote (and no single one), else "double" with backslashes and double quotes escaped."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_OPENERS = {"flow sequence": ("list", "[", "]"), "flow mapping": ("block", "{", "}")}


def _syntax_finding(exc: Exception, text: str, path: str) -> Finding:
    """A Y002 (or Y005, Y010) finding in plain words for one of ruamel's parse errors.

    The parser says where it gave up (``problem_mark``); when the mistake is elsewhere —
    a bracket or a quote opened lines above (``context_mark``) — the finding points there.
    """
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    opened = getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    lines = text.splitlines()
    bad_line = lines[line - 1] if line and line <= len(lines) else ""
    indent = bad_line[: len(bad_line) - len(bad_line.lstrip())]
    if "expected a single document" in str(exc):
        return _finding(SEVERAL_DOCUMENTS, path,
                        "the file holds several YAML documents (separated by '---')",
                        "keep one document per file: one automation, one file", line, col)
    if "\t" in indent or ("\t" in bad_line and "cannot start any token" in problem):
        return _finding(TAB, path, "a tab character is used for indentation",
                        "YAML indents with spaces only: replace the tab with spaces "
                        "(most editors can 'convert indentation to spaces')",
                        line, (bad_line.index("\t") + 1) if "\t" in bad_line else col)
    where = f"line {line}, column {col}"
    kind = next((v for k, v in _OPENERS.items() if k in context), None)
    if kind and opened is not None and "expected" in problem:
        what, opener, closer = kind
        hidden = _comment_hiding_closer(text, opened.line, mark.line if mark else opened.line)
        if hidden is not None:
            h_line, h_col, value = hidden
            return _finding(
                SYNTAX, path, f"invalid YAML: the ' #' on line {h_line + 1} starts a comment, "
                f"which hides the rest of the line, so the {what} opened with '{opener}' on "
                f"line {opened.line + 1} is never closed with '{closer}'",
                f"put the value in quotes: {_quoted(value)}", h_line + 1, h_col + 1)
        return _finding(
            SYNTAX, path, f"invalid YAML: the {what} opened with '{opener}' here is not closed "
            f"with '{closer}' (the reader gave up at {where})",
            f"add the closing '{closer}', and separate the items with ','",
            opened.line + 1, opened.column + 1)
    if "quoted scalar" in context and opened is not None and "end of stream" in problem:
        return _finding(
            SYNTAX, path, "invalid YAML: the quote opened here is never closed",
            "add the closing quote at the end of the value (the same kind: ' or \")",
            opened.line + 1, opened.column + 1)
    if "unknown escape character" in problem:
        return _finding(
            SYNTAX, path, f"invalid YAML: {problem} in a double-quoted value",
            "between double quotes a backslash starts an escape like \\n; use single quotes "
            "('C:\\data') or double the backslash", line, col)
    if "mapping values are not allowed" in problem and bad_line:
        before = bad_line[: (col or 1) - 1].lstrip(" -")
        if ": " not in before and ":\t" not in before:
            # "  owner: x" read as the continuation of the value on the line above
            key = before.strip()
            return _finding(
                SYNTAX, path, f"invalid YAML: '{key}:' is indented deeper than the key above "
                "it, which already has a value",
                f"indent '{key}:' like the other keys of its block (same number of spaces), "
                "or, if it belongs under the key above, remove that key's value",
                line, len(indent) + 1)
        key, _, value = bad_line.strip().lstrip("- ").partition(": ")
        quoted = _quoted(value.split(" #", 1)[0].strip())
        return _finding(
            SYNTAX, path, f"invalid YAML: the value of '{key}' contains ': ' (a colon and a "
            "space), which YAML reads as a new key",
            f"put the whole value between quotes: {key}: {quoted}", line, col)
    if "found undefined alias" in problem:
        return _finding(
            SYNTAX, path, "invalid YAML: an alias (*name) refers to an anchor (&name) that is "
            "not defined above it", "define '&name' on a value above, or write the value out "
            "(a value starting with '*' must be quoted)", line, col)
    if problem in ("did not find expected key", "did not find expected '-' indicator") \
            and opened is not None:
        return _finding(
            SYNTAX, path, f"invalid YAML: line {line} is not indented like the block it "
            f"belongs to (started on line {opened.line + 1})",
            "indent every key of one block, and every '- ' of one list, with the same number "
            "of spaces", line, col)
    message = f"invalid YAML: {problem}"
    if context and "while" not in context:
        message += f" ({context})"
    return _finding(SYNTAX, path, message,
                    "check the indentation, the ':' after each key and that brackets and quotes "
                    "are closed", line, col)


# --------------------------------------------------------------------------------------------
# nodes -> plain data with marks


class _TooBig(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, node) -> None:
        self.node = node


class _Recursive(Exception):
    def __init__(self, node) -> None:
        self.node = node


_BOOL = {"true": True, "false": False}

# What a scalar's tag makes of its text.
_STR, _NULL, _BOOL_KIND, _INT, _FLOAT, _MERGE = range(6)


def _tag_kind(tag: str) -> int:
    if tag.endswith(":merge"):
        return _MERGE  # as a key: merge the mapping(s) given; as a value: plain text
    if tag.endswith(":str") or not tag.startswith("tag:yaml.org,2002:"):
        return _STR
    return {"null": _NULL, "bool": _BOOL_KIND, "int": _INT, "float": _FLOAT}.get(
        tag.rsplit(":", 1)[1], _STR)


#: Tags the resolver hands out (shared objects), by id: (the tag, its kind). Holding the tag
#: keeps its id from being reused. Tags written in the file (!!int...) are new objects each
#: time and take the slow path through their text.
_KNOWN_TAGS: dict[int, tuple[Any, int]] = {}
_KIND_OF_TEXT: dict[str, int] = {}


def _kind(node) -> int:
    known = _KNOWN_TAGS.get(id(node.ctag))
    if known is not None:
        return known[1]
    tag = node.tag or ""
    kind = _KIND_OF_TEXT.get(tag)
    if kind is None:
        kind = _KIND_OF_TEXT[tag] = _tag_kind(tag)
    return kind


def _convert(kind: int, value: str) -> Any:
    """A scalar's text as the value its tag says (only for kinds other than _STR)."""
    if kind == _NULL:
        return None
    if kind == _BOOL_KIND:
        return _BOOL.get(value.lower(), value)
    if kind == _INT:
        text = value.replace("_", "")
        try:
            if text.startswith(("0o", "-0o", "+0o")):
                return int(text.replace("0o", ""), 8)
            return int(text, 0) if text.lower().startswith(("0x", "-0x", "+0x")) else int(text)
        except ValueError:
            return value
    if kind == _FLOAT:
        text = value.replace("_", "").lower()
        if text.endswith(".inf"):
            return -math.inf if text.startswith("-") else math.inf
        if text.endswith(".nan"):
            return math.nan
        try:
            return float(text)
        except ValueError:
            return value
    # timestamps, binary, merge and the rest stay text: the models parse dates themselves.
    return value


def _scalar(node) -> Any:
    kind = _kind(node)
    return node.value if kind == _STR else _convert(kind, node.value)


class _Builder:
    """Turns composed nodes into YamlMap/YamlList/scalars, with marks and limits.

    Collections are memoised by identity (an alias is the same node object again), which also
    catches an alias inside the block it names. Plain scalars are converted inline in the
    loops below, the hot path of reading a registry.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.memo: dict[int, tuple[Any, int]] = {}
        self.building: set[int] = set()

    def build(self, node, depth: int = 0) -> tuple[Any, int]:
        key = id(node)
        done = self.memo.get(key)
        if done is not None:
            return done
        if key in self.building:
            raise _Recursive(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        node_id = node.id
        if node_id == "scalar":
            result = (_scalar(node), 1)
            if node.anchor:
                self.memo[key] = result
            return result
        self.building.add(key)
        try:
            if node_id == "sequence":
                result = self._sequence(node, depth)
            else:
                result = self._mapping(node, depth)
        finally:
            self.building.discard(key)
        self.memo[key] = result
        return result

    def _sequence(self, node, depth: int) -> tuple[Any, int]:
        out = YamlList()
        mark = node.start_mark
        out.mark = (mark.line, mark.column)
        marks = []
        append_mark = marks.append
        append = out.append
        weight = 1
        depth += 1
        known = _KNOWN_TAGS
        for child in node.value:
            mark = child.start_mark
            tag_kind = known.get(id(child.ctag))
            if tag_kind is not None and child.anchor is None and child.id == "scalar":
                if depth > MAX_DEPTH:
                    raise _TooDeep(child)
                kind = tag_kind[1]
                value = child.value if kind == _STR else _convert(kind, child.value)
                weight += 1
            else:
                value, w = self.build(child, depth)
                weight += w
            if weight > MAX_NODES:
                raise _TooBig()
            append(value)
            append_mark((mark.line, mark.column))
        out.marks = marks
        return out, weight

    def _mapping(self, node, depth: int) -> tuple[Any, int]:
        out = YamlMap()
        mark = node.start_mark
        out.mark = (mark.line, mark.column)
        marks: dict[Any, tuple[int, int, int, int]] = {}
        weight = 1
        merged: list[YamlMap] = []
        depth += 1
        known = _KNOWN_TAGS
        for key_node, value_node in node.value:
            key_known = known.get(id(key_node.ctag))
            if key_known is not None and key_known[1] == _STR and key_node.id == "scalar":
                key = key_node.value  # the usual case: a plain text key
            else:
                key_kind = _kind(key_node)
                if key_kind == _MERGE:
                    value, w = self.build(value_node, depth)
                    weight += w
                    sources = value if isinstance(value, list) else [value]
                    merged.extend(s for s in sources if isinstance(s, YamlMap))
                    continue
                if key_node.id != "scalar":
                    self.findings.append(_finding(
                        SYNTAX, self.path, "a key is a list or a mapping, which is not supported",
                        "write keys as plain words", key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1))
                    continue
                key = key_node.value if key_kind == _STR else _convert(key_kind, key_node.value)
                if not isinstance(key, str):
                    key = key_node.value  # keys are always text in the registry format
            tag_kind = known.get(id(value_node.ctag))
            if tag_kind is not None and value_node.anchor is None and value_node.id == "scalar":
                if depth > MAX_DEPTH:
                    raise _TooDeep(value_node)
                kind = tag_kind[1]
                value = value_node.value if kind == _STR else _convert(kind, value_node.value)
                weight += 2
            else:
                value, w = self.build(value_node, depth)
                weight += w + 1
            if weight > MAX_NODES:
                raise _TooBig()
            key_mark = key_node.start_mark
            value_mark = value_node.start_mark
            if key in marks:
                first = marks[key][0] + 1
                self.findings.append(_finding(
                    DUPLICATE_KEY, self.path,
                    f"key '{key}' appears twice in the same block (first on line {first})",
                    "keep one of the two; YAML would silently keep only the last one",
                    key_mark.line + 1, key_mark.column + 1))
            out[key] = value
            marks[key] = (key_mark.line, key_mark.column, value_mark.line, value_mark.column)
        for source in merged:
            for k, v in source.items():
                if k not in out:
                    out[k] = v
                    marks[k] = source.marks[k]
        out.marks = marks
        return out, weight


def _deep_finding(path: str, line: int, col: int) -> Finding:
    return _finding(SYNTAX, path, f"the YAML is nested more than {MAX_DEPTH} levels deep",
                    "an automation file needs only a few levels; flatten the structure",
                    line + 1, col + 1)


def parse(text: str, path: str) -> YamlDocument:
    """Parse YAML text into plain data with positions, never raising for bad input."""
    doc = YamlDocument(path=path, text=text)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        doc.findings.append(_finding(
            EMPTY, path, "the file is empty",
            "fill it in (see `livingsys schema` for the fields) or delete it", 1, 1))
        return doc
    too_deep = _too_deep(text)
    if too_deep is not None:
        doc.findings.append(_deep_finding(path, *too_deep))
        return doc
    try:
        node = _compose(text)
    except RecursionError:  # the pure-Python composer, a few hundred levels deep
        too_deep = _too_deep(text, always=True)
        if too_deep is not None:
            doc.findings.append(_deep_finding(path, *too_deep))
            return doc
        doc.findings.append(_finding(
            SYNTAX, path, "the YAML is nested too deeply to be read",
            f"an automation file needs at most a few levels (limit {MAX_DEPTH})", 1, 1))
        return doc
    except Exception as exc:  # ruamel raises several error types; all are input problems
        doc.findings.append(_syntax_finding(exc, text, path))
        return doc
    if node is None:
        doc.findings.append(_finding(EMPTY, path, "the file holds no data", "fill it in", 1, 1))
        return doc
    builder = _Builder(path)
    try:
        doc.data, _ = builder.build(node)
    except _TooBig:
        doc.findings.append(_finding(
            ALIAS_BOMB, path,
            f"the file expands to more than {MAX_NODES:,} values once its aliases (*name) are "
            "followed — this is how 'billion laughs' attacks work",
            "write the values out, or use far fewer aliases", 1, 1))
        return doc
    except _TooDeep as exc:
        doc.findings.append(_deep_finding(path, exc.node.start_mark.line,
                                          exc.node.start_mark.column))
        return doc
    except _Recursive as exc:
        doc.findings.append(_finding(
            ALIAS_BOMB, path, "an alias (*name) refers to the block that contains it",
            "a value cannot contain itself; write the values out",
            exc.node.start_mark.line + 1, exc.node.start_mark.column + 1))
        return doc
    doc.findings.extend(builder.findings)
    doc.findings.extend(comments_cutting_values(node, text, path))
    doc.findings.extend(invisible_characters(node, text, path))
    return doc


# --------------------------------------------------------------------------------------------
# a ' #' that cuts a value short


_CONTINUATION = re.compile(r"[ \t]#\w")
"""A comment that starts with a word (`#support-escalations`, `#finance`): where YAML reads a
comment after a value, such text is far more often the rest of the value (a chat channel, a
ticket number) than a note, which people write `# like this`."""


def _comment_hiding_closer(text: str, first: int, last: int) -> tuple[int, int, str] | None:
    """In a bracket left open between lines ``first`` and ``last`` (0-based), the first
    `<space>#<word>` comment, as (line, column of '#', the value it starts, up to the next
    ',', ']' or '}'): `{channel: #finance}` reads as `{channel:` and a comment."""
    for number, line in enumerate(text.split("\n")[first:last + 1], start=first):
        match = _CONTINUATION.search(line)
        if match:
            before = re.split(r"[\[{,]|:(?:\s|$)", line[:match.start()])[-1].strip()
            after = re.split(r"[,\]}]", line[match.start() + 1:], maxsplit=1)[0].strip()
            return number, match.start() + 1, f"{before} {after}".strip()
    return None


def comments_cutting_values(node, text: str, path: str) -> list[Finding]:
    """Y011 where a plain (unquoted) value is followed, on its last line, by a comment whose
    text looks like the rest of the value: `does: posts them in #support-escalations.` gives
    'posts them in'.

    Only the lines where `<space>#<word>` occurs are looked at (one regular expression over
    the text; most files have none); then the composed nodes are walked once to find the
    plain values that end just before such a comment. Quoted values and `|` / `>` blocks,
    where `#` is text, are never concerned, nor keys.
    """
    if node is None or not _CONTINUATION.search(text):
        return []
    lines = text.split("\n")
    candidates = set()
    for match in _CONTINUATION.finditer(text):
        candidates.add(text.count("\n", 0, match.start()))
    findings: list[Finding] = []
    seen: set[int] = set()
    # (key or None for a list item, value node)
    stack: list[tuple[Any, Any]] = [(None, node)]
    while stack:
        key, current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        kind = current.id
        if kind == "mapping":
            stack.extend((k.value if k.id == "scalar" else None, v) for k, v in current.value)
            continue
        if kind == "sequence":
            stack.extend((None, item) for item in current.value)
            continue
        if current.style or current.end_mark.line not in candidates or \
                _kind(current) in (_INT, _FLOAT, _BOOL_KIND):
            continue  # `daily_cap: 40 #max`: a number is not cut text, the rest is a note
        end = current.end_mark
        line = lines[end.line] if end.line < len(lines) else ""
        rest = line[end.column:]
        gap = len(rest) - len(rest.lstrip(" \t"))
        if not gap or not rest[gap:].startswith("#") or not re.match(r"\w", rest[gap + 1:]):
            continue
        comment = rest[gap + 1:].rstrip("\r").rstrip()
        value = current.value
        whole = f"{value} #{comment}" if value else f"#{comment}"
        written = _quoted(whole)
        if key is not None:
            written = f"{key}: {written}"
        elif current is not node:
            written = f"- {written}"
        what = (f"the value is '{value}'" if value else
                (f"'{key}' has no value" if key is not None else "the item has no value"))
        findings.append(_finding(
            COMMENT_CUTS_VALUE, path,
            f"the text after ' #' was read as a YAML comment, so {what}",
            f"put the whole value in quotes: {written} (if it really is a comment, write "
            "'# ' with a space)", end.line + 1, end.column + gap + 1, Severity.WARNING))
    findings.sort(key=lambda f: (f.line, f.col))
    return findings


# Bidirectional controls can be typed as they are; every other control character needs a
# double-quoted escape (YAML refuses them raw), which always holds a backslash.
_BIDI_RAW = re.compile("[\u202a-\u202e\u2066-\u2069\u2028\u2029\x85]")


def invisible_characters(node, text: str, path: str) -> list[Finding]:
    """Y013 at each key or value holding a control character (an escape sequence, a
    backspace, a bidirectional override): it hides or disguises what people read, or drives
    the terminal that shows it. Files without a backslash or a bidirectional character, almost
    all of them, are not walked."""
    from livingsys.neutral import control_characters

    if node is None or ("\\" not in text and not _BIDI_RAW.search(text)):
        return []
    findings: list[Finding] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.id == "mapping":
            for key, value in current.value:
                stack += [key, value]
            continue
        if current.id == "sequence":
            stack.extend(current.value)
            continue
        found = control_characters(str(current.value))
        if found:
            mark = current.start_mark
            findings.append(_finding(
                INVISIBLE, path, f"this text holds {found}, invisible or misleading where "
                "people read it (a terminal may even act on it)",
                "remove it: write the text with visible characters only",
                mark.line + 1, mark.column + 1, Severity.WARNING))
    findings.sort(key=lambda f: (f.line, f.col))
    return findings


def read(file: Path, display: str) -> YamlDocument:
    """Read and parse one file; ``display`` is the path shown to the user."""
    import stat

    try:
        info = file.stat()
    except OSError as exc:
        return YamlDocument(display, findings=[_finding(
            UNREADABLE, display, f"cannot read the file: {exc.strerror or exc}",
            "check that the file exists and that you may read it", unreadable=True)])
    if not stat.S_ISREG(info.st_mode):  # reading a named pipe or a device would never end
        return YamlDocument(display, findings=[_finding(
            UNREADABLE, display, "this is not a regular file (a named pipe, socket or device)",
            "keep only YAML text files in the registry folders", unreadable=True)])
    size = info.st_size
    if size > MAX_FILE_BYTES:
        return too_large(display, size)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return YamlDocument(display, findings=[_finding(
            UNREADABLE, display, f"cannot read the file: {exc.strerror or exc}",
            "check that you may read it", unreadable=True)])
    text, findings = decode(raw, display)
    if text is None:
        return YamlDocument(display, findings=findings)
    doc = parse(text, display)
    doc.findings[:0] = findings
    return doc


def locate(data: Any, loc: tuple, *, key: bool = False) -> tuple[int, int] | None:
    """The 1-based (line, col) of the value at ``loc`` inside ``data``, or of the deepest
    part of ``loc`` that exists. With ``key=True`` the position of the last key itself."""
    best = (data.mark[0] + 1, data.mark[1] + 1) if isinstance(data, (YamlMap, YamlList)) else None
    current = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, YamlMap) and part in current.marks:
            m = current.marks[part]
            best = (m[0] + 1, m[1] + 1) if (key and last) else (m[2] + 1, m[3] + 1)
            current = current[part]
        elif isinstance(current, YamlList) and isinstance(part, int) and 0 <= part < len(current):
            m = current.marks[part]
            best = (m[0] + 1, m[1] + 1)
            current = current[part]
        else:
            break
    return best


def scalar_position(text: str, start: tuple[int, int], value: str,
                    offset: int) -> tuple[int, int]:
    """The 1-based (line, col) in the file of character ``offset`` of a text value.

    ``start`` is the 0-based position where the value's node starts (``value_position``),
    ``value`` the text YAML gave. Works for plain scalars (on one line or folded over
    several), 'single' and "double" quoted ones, and ``|`` / ``>`` block scalars, whose text
    starts on the line after the indicator. The value's characters are matched in order
    against the file, skipping only indentation, line breaks and quoting (a quote, a
    doubled quote, a backslash); when that fails (an escape such as ``\\t`` or ``\\u00e9``),
    the position of the value's start is returned.
    """
    line0, col0 = start
    fallback = (line0 + 1, col0 + 1)
    lines = text.split("\n")
    if line0 >= len(lines):
        return fallback
    pos = sum(len(line) + 1 for line in lines[:line0]) + col0
    # An anchor (&name) or a tag (!tag) before the value.
    while pos < len(text) and text[pos] in "&!":
        while pos < len(text) and not text[pos].isspace():
            pos += 1
        while pos < len(text) and text[pos] in " \t":
            pos += 1
    skippable = " \t\r\n"
    if pos < len(text) and text[pos] in "|>":
        newline = text.find("\n", pos)
        if newline < 0:
            return fallback
        pos = newline + 1
    elif pos < len(text) and text[pos] in "'\"":
        skippable += text[pos] + ("\\" if text[pos] == '"' else "")
        pos += 1
    if not value:
        return _line_col(text, pos)
    target = max(0, min(offset, len(value)))
    found = pos
    for index, char in enumerate(value[:target + 1]):
        if char in " \t\r\n":
            if pos < len(text) and text[pos] == char:
                found = pos
                pos += 1
            else:
                found = pos
            if index == target:
                break
            continue
        while pos < len(text) and text[pos] != char:
            if text[pos] not in skippable:
                return fallback
            pos += 1
        if pos >= len(text):
            return fallback
        found = pos
        pos += 1
    if offset >= len(value):
        found = pos  # just after the last character
    return _line_col(text, found)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col
