"""The real tools: reading n8n workflows and Make blueprints into one neutral model.

An export is read by :func:`read_export` into a :class:`Workflow`: its name, its trigger, its
working steps (nodes or modules, sticky notes and no-ops aside) with a first guess of their
kind (automatic, human, ai) and of the messages they send, and the simple comparisons of its
conditions (n8n IF, Switch and Filter nodes; Make filters and routers). What cannot be read as a
simple comparison (an expression, code) is kept as plain words in ``untranslated``, never
guessed.

:mod:`livingsys.tools.importer` turns a workflow into a draft automation file;
:mod:`livingsys.tools.drift` compares it with the registry. Nothing here prints: problems are
:class:`ExportError` with a message and a hint.
"""

from __future__ import annotations

from livingsys.tools.model import (
                                   MAX_EXPORT_BYTES,
                                   MAX_STEPS,
                                   TOOLS,
                                   Comparison,
                                   Condition,
                                   ExportError,
                                   Send,
                                   ToolStep,
                                   Workflow,
)
from livingsys.tools.reader import read_export

__all__ = ["MAX_EXPORT_BYTES", "MAX_STEPS", "TOOLS", "Comparison", "Condition", "ExportError",
           "Send", "ToolStep", "Workflow", "read_export"]
