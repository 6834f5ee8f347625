"""Sparklines: a row of figures drawn in one line of block characters (▁▂▃▄▅▆▇█)."""

from __future__ import annotations

from collections.abc import Sequence

SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_MISSING = "·"


def sparkline(values: Sequence[float | None], *, missing: str = SPARK_MISSING) -> str:
    """One character per value, ▁ for the lowest and █ for the highest; ``missing`` for
    months without figures. Equal values are drawn at mid height (▄)."""
    known = [v for v in values if v is not None]
    if not known:
        return missing * len(values)
    low, high = min(known), max(known)
    out = []
    for value in values:
        if value is None:
            out.append(missing)
        elif high == low:
            out.append(SPARK_BARS[3] if high else SPARK_BARS[0])
        else:
            index = round((value - low) / (high - low) * (len(SPARK_BARS) - 1))
            out.append(SPARK_BARS[index])
    return "".join(out)

