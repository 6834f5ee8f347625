"""Reading a tool's export: which tool made it, then that tool's reader.

:func:`read_export` is the one entry point (``livingsys import`` and ``livingsys drift`` call
it): it reads the file (:func:`~livingsys.tools.model.load_json`), refuses secrets, and hands the
data to :mod:`livingsys.tools.n8n` or :mod:`livingsys.tools.make`, which build the neutral
:class:`~livingsys.tools.model.Workflow`. It lives apart from the model so that the readers
import the model and nothing imports back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from livingsys.tools.model import TOOLS, ExportError, Workflow, load_json, plain, refuse_secrets


def detect(data: Any) -> str | None:
    """Which tool's export ``data`` looks like: 'n8n', 'make' or None."""
    if isinstance(data, dict):
        if isinstance(data.get("nodes"), list) and "flow" not in data:
            return "n8n"
        if isinstance(data.get("flow"), list):
            return "make"
        if isinstance(data.get("blueprint"), dict) or isinstance(
                data.get("response"), dict) and isinstance(data["response"].get("blueprint"),
                                                           dict):
            return "make"
    if isinstance(data, list) and data and all(isinstance(w, dict) and isinstance(
            w.get("nodes"), list) for w in data):
        return "n8n"
    return None


def read_export(kind: str, path: Path | str) -> Workflow:
    """Read the export at ``path`` as a ``kind`` ('n8n' or 'make') export."""
    path = Path(path)
    if kind not in TOOLS:
        raise ExportError(f"'{kind}' is not a tool livingsys reads",
                          "use n8n or make")
    data = load_json(path)
    found = detect(data)
    if found != kind:
        what = (f"{'an' if found == 'n8n' else 'a'} {TOOLS[found]} export" if found else
                "neither an n8n workflow (it has no 'nodes' list) nor a Make blueprint (it "
                "has no 'flow' list)")
        hint = (f"run `livingsys import {found} {path}`, or set source.kind: {found}"
                if found else "export the workflow from n8n (⋯ › Download) or the scenario "
                "from Make (⋯ › Export Blueprint), and give that file")
        raise ExportError(f"'{path}' is {what}, not a{'n' if kind == 'n8n' else ''} "
                          f"{TOOLS[kind]} export", hint)
    refuse_secrets(data, path, kind)
    reader: Callable[[Any, Path], Workflow]
    if kind == "n8n":
        from livingsys.tools.n8n import read as reader
    else:
        from livingsys.tools.make import read as reader
    try:
        return reader(data, path)
    except ExportError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # A shape the reader did not expect: said plainly, never a traceback.
        raise ExportError(f"'{path}' does not have the shape of a {TOOLS[kind]} export "
                          f"livingsys knows ({type(exc).__name__}: {plain(exc, 80)})",
                          "export it again from the tool; if it comes from a recent version, "
                          "tell the livingsys maintainers which one") from None
