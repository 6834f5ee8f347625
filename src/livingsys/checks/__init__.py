"""The governance checks. Each module holds the checks of one concern.

The codes of problems found while reading the files (Y, S, I) are no checks: the readers report
them, and their metadata is in livingsys.codes.
"""

from __future__ import annotations

import importlib

MODULES = (
    "ownership",
    "flow",
    "rules",
    "conditions",
    "scenarios",
    "contradictions",
    "guardrails",
    "documented",
    "frictions",
    "review",
    "content",
    "identity",
    "settings",
    "waivers",
    "indicators",
    "source",
    "drift",
)

_loaded = False


def load_all() -> None:
    """Import every check module once, so their checks register themselves."""
    global _loaded
    if _loaded:
        return
    for module in MODULES:
        importlib.import_module(f"livingsys.checks.{module}")
    _loaded = True
