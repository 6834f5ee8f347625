"""The safe YAML loader: text composed into ruamel's nodes, nodes built into plain data with
positions (:class:`~livingsys.reading.yamldata.YamlMap`, ``YamlList``), within limits.

Parsing uses ruamel.yaml's C parser (libyaml) when it is installed, and its pure-Python
composer otherwise. We do not use ruamel's constructors: ours builds plain dicts and lists
(which pydantic validates fast), records positions on the side, reports duplicate keys, and
bounds the expanded size of aliases so that a "billion laughs" file cannot exhaust memory, and
the nesting depth so that a deep file cannot overflow the C stack.
"""

from __future__ import annotations

import math
from typing import Any

from livingsys.findings import Finding
from livingsys.i18n import _
from livingsys.reading.yamldata import DUPLICATE_KEY, SYNTAX, YamlList, YamlMap
from livingsys.reading.yamldata import finding as _finding

MAX_NODES = 50_000
"""Upper bound of values in one file once aliases are expanded (alias bombs)."""

MAX_DEPTH = 60
"""Upper bound of nesting in one file."""

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

    class _Composer(CParser, VersionedResolver):
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


def compose(text: str):
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


NESTING_MARKS = ("[", "{", "- ", "-\n", "-\r", "-\t", ": ", ":\n", ":\r", ":\t", "? ")
"""Every level of YAML nesting starts with one of these: their count bounds the depth."""

SCAN_DEPTH_ABOVE = 1_000
"""Files whose nesting could exceed this are scanned for depth before being composed."""


def too_deep_at(text: str, *, always: bool = False) -> tuple[int, int] | None:
    """Where (0-based line, column) nesting first goes past MAX_DEPTH, or None.

    libyaml's parser is iterative, but ruamel's C composer recurses once per level: a file
    of 40,000 '[' (80 KB, well under MAX_FILE_BYTES) overflows the C stack and kills the
    interpreter with a segmentation fault, which no ``except`` can catch. So a file that
    *could* be that deep (counted cheaply) is first walked event by event, without
    building anything. Ordinary files never pay for this walk.
    """
    if not always and sum(text.count(mark) for mark in NESTING_MARKS) <= SCAN_DEPTH_ABOVE:
        return None
    from ruamel.yaml import YAML

    depth = 0
    events = YAML(typ="safe").parse(text)  # libyaml's parser when installed
    try:
        for event in events:
            kind = type(event).__name__
            if kind in ("SequenceStartEvent", "MappingStartEvent"):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the level at which Builder stops too
                    return event.start_mark.line, event.start_mark.column
            elif kind in ("SequenceEndEvent", "MappingEndEvent"):
                depth -= 1
    except Exception:  # a syntax error: the composer reports it with its position
        return None
    finally:
        events.close()
    return None

# --------------------------------------------------------------------------------------------
# nodes -> plain data with marks


class TooBig(Exception):
    """Raised by :class:`Builder` past :data:`MAX_NODES` values (aliases expanded)."""


class TooDeep(Exception):
    """Raised by :class:`Builder` at the ``node`` nested past :data:`MAX_DEPTH`."""

    def __init__(self, node) -> None:
        self.node = node


class Recursive(Exception):
    """Raised by :class:`Builder` at an alias ``node`` inside the block it names."""

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


def is_number_or_boolean(node) -> bool:
    """Whether a scalar node reads as a number or a boolean (by its tag, resolved or written)."""
    return _kind(node) in (_INT, _FLOAT, _BOOL_KIND)


class Builder:
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
            raise Recursive(node)
        if depth > MAX_DEPTH:
            raise TooDeep(node)
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
        marks: list[tuple[int, int]] = []
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
                    raise TooDeep(child)
                kind = tag_kind[1]
                value = child.value if kind == _STR else _convert(kind, child.value)
                weight += 1
            else:
                value, w = self.build(child, depth)
                weight += w
            if weight > MAX_NODES:
                raise TooBig()
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
                        SYNTAX, self.path,
                        _("a key is a list or a mapping, which is not supported"),
                        _("write keys as plain words"), key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1))
                    continue
                key = key_node.value if key_kind == _STR else _convert(key_kind, key_node.value)
                if not isinstance(key, str):
                    key = key_node.value  # keys are always text in the registry format
            tag_kind = known.get(id(value_node.ctag))
            if tag_kind is not None and value_node.anchor is None and value_node.id == "scalar":
                if depth > MAX_DEPTH:
                    raise TooDeep(value_node)
                kind = tag_kind[1]
                value = value_node.value if kind == _STR else _convert(kind, value_node.value)
                weight += 2
            else:
                value, w = self.build(value_node, depth)
                weight += w + 1
            if weight > MAX_NODES:
                raise TooBig()
            key_mark = key_node.start_mark
            value_mark = value_node.start_mark
            if key in marks:
                first = marks[key][0] + 1
                self.findings.append(_finding(
                    DUPLICATE_KEY, self.path,
                    _("key '{key}' appears twice in the same block (first on line "
                      "{first})").format(key=key, first=first),
                    _("keep one of the two; YAML would silently keep only the last one"),
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

