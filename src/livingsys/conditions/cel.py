"""The bridge to cel-python, loaded lazily: the one parser and CEL environment of the
process, Lark's parser tables kept between runs, the operators CEL evaluates with, and
values into and out of CEL."""

from __future__ import annotations

import functools
import math
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from livingsys.conditions.errors import ConditionError
from livingsys.conditions.nodes import STRING_TESTS
from livingsys.i18n import _

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class CelModules:
    """cel-python's modules, once imported, with the process's one parser and environment."""

    celpy: Any
    celtypes: Any
    evaluation: Any
    lark: Any
    parser: Any
    environment: Any


@functools.cache
def cel_modules() -> CelModules:
    """Import cel-python and build the process's one parser and CEL environment (~0.25 s).

    The parser is cel-python's own grammar and options, with one difference: cel-python turns
    ``true``/``false`` into literals with a lexer callback that drops their position, and
    every error needs a position. cel-python keeps one parser per process in
    ``CELParser.CEL_PARSER``; when it has none yet, it is given this one rather than building
    the same tables a second time.
    """
    from pathlib import Path

    import celpy
    import celpy.celparser
    import celpy.celtypes
    import celpy.evaluation
    import lark

    def literals(token: Any) -> Any:
        if token.value in ("true", "false"):
            return token.new_borrow_pos("BOOL_LIT", token.value, token)
        return token

    grammar = (Path(celpy.celparser.__file__).parent / "cel.lark").read_text(encoding="utf-8")
    options = dict(parser="lalr", start="expr", g_regex_flags=re.M,
                   lexer_callbacks={"IDENT": literals}, propagate_positions=True,
                   maybe_placeholders=False, priority="invert")
    cache = _parser_cache_file(grammar, lark.__version__)
    try:
        parser = lark.Lark(grammar, cache=str(cache) if cache else False, **options)
    except Exception:  # an unreadable or stale cache must never stop lint
        parser = lark.Lark(grammar, **options)
    if celpy.celparser.CELParser.CEL_PARSER is None:
        celpy.celparser.CELParser.CEL_PARSER = parser
    return CelModules(celpy=celpy, celtypes=celpy.celtypes, evaluation=celpy.evaluation,
                      lark=lark, parser=parser, environment=celpy.Environment())


def _parser_cache_file(grammar: str, lark_version: str) -> Path | None:
    """Where Lark keeps the built parser tables between runs (0.2 s -> 0.01 s per run), or
    None: then the parser is built each time, silently.

    Lark's cache is a pickle, and loading a pickle runs whatever it says: a file that someone
    else could write must never be loaded. So the cache is used only in a per-user folder
    (``$XDG_CACHE_HOME/livingsys``, or ``~/.cache/livingsys``; never the shared temporary
    folder Lark uses by default) that belongs to the user and that nobody else may write in
    (it is created 0700; a folder or file writable by the group or others, owned by someone
    else, or a link is refused), so only the user could have written what it holds. No home
    folder, a relative ``$XDG_CACHE_HOME`` or a folder that cannot be made: no cache. The name
    carries the grammar's hash and Lark's version, so an upgrade builds a new one.
    ``LIVINGSYS_NO_CACHE=1`` turns it off.
    """
    import hashlib
    import os
    import stat
    from pathlib import Path

    if os.environ.get("LIVINGSYS_NO_CACHE") or not hasattr(os, "getuid"):
        return None
    digest = hashlib.sha256(f"{lark_version}\n{grammar}".encode()).hexdigest()[:16]
    try:
        configured = os.environ.get("XDG_CACHE_HOME")
        home = Path(configured) if configured and os.path.isabs(configured) else \
            Path.home() / ".cache"
        base = home / "livingsys"
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        cache = base / f"cel-parser-{digest}.lark"
        for path, kind in ((base, stat.S_ISDIR), (cache, stat.S_ISREG)):
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue  # not written yet
            if (not kind(info.st_mode) or info.st_uid != os.getuid()
                    or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
                return None
        if not os.access(base, os.W_OK):
            return None
    except (OSError, RuntimeError, KeyError, ValueError):  # no home folder, unwritable...
        return None
    return cache


class _Recorder(threading.local):
    calls: list[tuple[Any, Any, Any]]

    def __init__(self) -> None:
        self.calls = []


_RECORDER: _Recorder | None = None


def trace_recorder() -> _Recorder:
    """Where the comparisons evaluated with ``record`` note their operands (one per thread)."""
    global _RECORDER
    if _RECORDER is None:
        _RECORDER = _Recorder()
    return _RECORDER


@functools.cache
def _functions(record: bool) -> dict[str, Any]:
    """The operators CEL evaluates with: all-decimal arithmetic that refuses division by
    zero and overflow; with ``record``, comparisons also note their operands for the trace."""
    cel = cel_modules()
    base = cel.evaluation.base_functions
    double = cel.celtypes.DoubleType

    def finite(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            raise OverflowError("overflow")
        return value

    def add(a: Any, b: Any) -> Any:
        return finite(base["_+_"](a, b))

    def sub(a: Any, b: Any) -> Any:
        return finite(base["_-_"](a, b))

    def mul(a: Any, b: Any) -> Any:
        return finite(base["_*_"](a, b))

    def div(a: Any, b: Any) -> Any:
        if isinstance(b, (int, float)) and float(b) == 0.0:
            raise ZeroDivisionError("division by zero")
        return finite(base["_/_"](a, b))

    def mod(a: Any, b: Any) -> Any:
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
            raise TypeError("no such overload")
        if float(b) == 0.0:
            raise ZeroDivisionError("division by zero")
        return double(math.fmod(float(a), float(b)))

    functions: dict[str, Any] = {"_+_": add, "_-_": sub, "_*_": mul, "_/_": div, "_%_": mod}
    if record:
        recorder = trace_recorder()

        def recording(name: str) -> Any:
            original = base[name]

            def call(a: Any, b: Any) -> Any:
                result = original(a, b)
                recorder.calls.append((a, b, result))
                return result

            return call

        for name in ("_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_", "_in_", *STRING_TESTS):
            functions[name] = recording(name)
    return functions


def run(expression: str, tree: Any, activation: dict[str, Any], *,
        record: bool = False) -> Any:
    """Evaluate a (sub)tree with CEL; every failure becomes a ConditionError."""
    cel = cel_modules()
    try:
        program = cel.environment.program(tree, functions=_functions(record))
        return program.evaluate(activation)
    except cel.evaluation.CELEvalError as err:
        raise _evaluation_error(expression, err, tree) from None
    except Exception as err:  # noqa: BLE001 - never a traceback for a user's condition
        raise ConditionError(
            "evaluation", _("the condition could not be evaluated ({error})").format(
                error=err), expression=expression, offset=_meta_start(tree) or 0,
            hint=_("Check the values given and the condition.")) from None


def _evaluation_error(expression: str, err: Any, fallback_tree: Any) -> ConditionError:
    cause = err.args[1] if len(err.args) > 1 and isinstance(err.args[1], type) else None
    where_tree = getattr(err, "tree", None)
    token = getattr(err, "token", None)
    offset: int | None = None
    snippet = ""
    if where_tree is not None and not where_tree.meta.empty:
        offset = where_tree.meta.start_pos
        snippet = expression[where_tree.meta.start_pos:where_tree.meta.end_pos]
    elif token is not None and getattr(token, "start_pos", None) is not None:
        offset = token.start_pos
    if offset is None:
        offset = _meta_start(fallback_tree) or 0
    where = " ".join(snippet.split()) if snippet else ""
    if cause is ZeroDivisionError:
        message = (_("division by zero in '{part}'") if where else _("division by zero"))
        hint = _("With these values, a number is divided by 0; guard it, e.g. months > 0 && "
                 "amount_due / months > 100.")
    elif cause in (OverflowError, ValueError):
        message = (_("a number is too large in '{part}'") if where
                   else _("a number is too large"))
        hint = _("Check the values given: the result cannot be represented.")
    else:
        message = (_("the condition could not be evaluated in '{part}'") if where
                   else _("the condition could not be evaluated"))
        hint = _("Check the values given and the condition.")
    return ConditionError("evaluation", message.format(part=where), expression=expression,
                          offset=offset, hint=hint)


def _meta_start(tree: Any) -> int | None:
    meta = getattr(tree, "meta", None)
    if meta is None or meta.empty:
        return None
    return int(meta.start_pos)


def to_cel(celtypes: Any, fact_type: str, value: Any) -> Any:
    """A fact's or parameter's value as CEL evaluates it: every number as a decimal."""
    if fact_type in ("int", "number"):
        return celtypes.DoubleType(float(value))
    if fact_type == "bool":
        return celtypes.BoolType(value)
    return celtypes.StringType(value)


def from_cel(value: Any, static_type: str) -> Any:
    """A CEL value as plain Python, whole numbers shown as int where the type says so."""
    if isinstance(value, bool):  # BoolType is an int subclass: test it first
        return bool(value)
    if isinstance(value, float):
        if static_type == "int" and value.is_integer():
            return int(value)
        return float(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        element = static_type[5:-1] if static_type.startswith("list[") else ""
        return [from_cel(v, element) for v in value]
    return value
