"""livingsys: keep business automations explicit, owned, drawn, guarded and reviewed.

The package is a core library that knows nothing of the terminal (models, loading, checks,
history, reviews, indicators) and a thin command line in :mod:`livingsys.cli`.
"""

__version__ = "0.1.0"
