"""Plain data as the JSON every command prints, quickly.

:func:`dumps` gives exactly the text of ``json.dumps(data, indent=2, ensure_ascii=False)``
(the standard library's C encoder only writes compact JSON; with an indent it falls back to
a generator per value, which took most of ``review-due --format json``'s rendering time on a
large registry). Strings are escaped by the standard library's own C function, numbers are
written as ``json`` writes them (subclasses too: the data read from YAML is made of dict
and list subclasses); any value it does not know (a type ``json`` would refuse) is left to
``json.dumps`` itself, so the text and the errors stay the standard library's.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any


class _Unusual(Exception):
    """A value this writer leaves to ``json.dumps``."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str:
    """A value that is not a list or a mapping, as ``json`` writes it."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise _Unusual


def _key(key: Any) -> str:
    """A mapping's key as ``json`` writes it: a text, or a number, true, false or null
    written as a text."""
    return encode_basestring(key if isinstance(key, str) else _scalar(key))


def dumps(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, the same text, faster."""
    out: list[str] = []
    write = out.append
    indents = ["\n"]
    string = encode_basestring

    def value(item: Any, level: int) -> None:
        kind = type(item)
        if kind is not dict and kind is not list and kind is not tuple:
            if kind is str:
                write(string(item))
                return
            if kind is int:
                write(int.__repr__(item))
                return
            if kind is bool or item is None or kind is float or isinstance(
                    item, (str, int, float)):
                write(_scalar(item))
                return
            # subclasses of the containers are written as json writes them: as containers
            if isinstance(item, (list, tuple)):
                kind = list
            elif isinstance(item, dict):
                kind = dict
            else:
                raise _Unusual
        if kind is dict:
            if not item:
                write("{}")
                return
            if len(indents) <= level + 1:
                indents.append(indents[-1] + "  ")
            sep = "{" + indents[level + 1]
            for key, sub in item.items():
                head = sep + (string(key) if type(key) is str else _key(key)) + ": "
                sep = "," + indents[level + 1]
                kind = type(sub)
                if kind is str:
                    write(head + string(sub))
                elif sub is None:
                    write(head + "null")
                elif kind is int:
                    write(head + int.__repr__(sub))
                elif kind is bool:
                    write(head + ("true" if sub else "false"))
                else:
                    write(head)
                    value(sub, level + 1)
            write(indents[level] + "}")
        else:
            if not item:
                write("[]")
                return
            if len(indents) <= level + 1:
                indents.append(indents[-1] + "  ")
            sep = "[" + indents[level + 1]
            for sub in item:
                kind = type(sub)
                if kind is str:
                    write(sep + string(sub))
                else:
                    write(sep)
                    value(sub, level + 1)
                sep = "," + indents[level + 1]
            write(indents[level] + "]")

    try:
        value(data, 0)
    except (_Unusual, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(out)


__all__ = ["dumps"]
