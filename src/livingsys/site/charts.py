"""The indicator charts of the site, as SVG written when the site is built.

One line chart per indicator over the report's months: a line through the months with
figures (broken where a month has none), a dot per month, the alert threshold as a dashed
line when the indicator has one. Every number is formatted with fixed decimals, so the same
figures give the same bytes. The SVG carries a ``<title>`` and a ``<desc>`` (what a screen
reader says), and the page puts the figures in a table beside it.

Why not a chart library: see assets/README.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 320, 168
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 28


@dataclass(frozen=True)
class Chart:
    """What one chart shows."""

    #: Unique in the page (used for the ids of the title and description).
    key: str
    title: str
    months: list[str]
    values: list[float | None]
    #: "count", "percent" (values are fractions), "hours", "score" (1 to 5).
    unit: str
    threshold: float | None = None
    #: What the text alternative says after the title (last value, trend, threshold).
    summary: str = ""

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values)


def fmt(value: float, unit: str) -> str:
    """A value as the chart and its table write it."""
    if unit == "percent":
        return f"{value * 100:.1f}%"
    if unit == "count":
        return f"{value:.0f}"
    if unit == "hours":
        return f"{value:.1f} h"
    return f"{value:.1f}"


def _nice_max(value: float, unit: str) -> float:
    """A round top for the axis, at or above ``value``."""
    if unit == "score":
        return 5.0
    if value <= 0:
        return 1.0 if unit != "percent" else 0.1
    exponent = math.floor(math.log10(value))
    base = 10 ** exponent
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * base >= value - 1e-12:
            return step * base
    return 10 * base  # pragma: no cover - the loop always returns


def _n(value: float) -> str:
    """A coordinate: one decimal, no '-0.0'."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def svg(chart: Chart) -> str:
    """The chart as an inline SVG element (safe to put in HTML as is: every text escaped)."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    present = [v for v in chart.values if v is not None]
    top = max(present + ([chart.threshold] if chart.threshold is not None else []) + [0.0])
    top = _nice_max(top * 1.08 if top else 0.0, chart.unit)
    bottom = 1.0 if chart.unit == "score" else 0.0
    count = len(chart.months)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * (v - bottom) / ((top - bottom) or 1)

    title_id, desc_id = f"{chart.key}-title", f"{chart.key}-desc"
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="{title_id}">{escape(chart.title)}</title>',
           f'<desc id="{desc_id}">{escape(chart.summary)}</desc>']
    # horizontal grid: bottom, middle, top
    for level in (bottom, (bottom + top) / 2, top):
        gy = _n(y(level))
        out.append(f'<line class="grid" x1="{LEFT}" y1="{gy}" x2="{WIDTH - RIGHT}" '
                   f'y2="{gy}"/>')
        out.append(f'<text class="axis" x="{LEFT - 4}" y="{_n(y(level) + 3.5)}" '
                   f'text-anchor="end">{escape(fmt(level, chart.unit))}</text>')
    # months: first, middle, last
    shown = sorted({0, (count - 1) // 2, count - 1}) if count else []
    for i in shown:
        anchor = "start" if i == 0 and count > 1 else "end" if i == count - 1 and count > 1 \
            else "middle"
        out.append(f'<text class="axis" x="{_n(x(i))}" y="{HEIGHT - 8}" '
                   f'text-anchor="{anchor}">{escape(chart.months[i])}</text>')
    if chart.threshold is not None:
        ty = _n(y(chart.threshold))
        out.append(f'<line class="threshold" x1="{LEFT}" y1="{ty}" x2="{WIDTH - RIGHT}" '
                   f'y2="{ty}"/>')
        label = f"alert {fmt(chart.threshold, chart.unit)}"
        out.append(f'<text class="threshold-label" x="{WIDTH - RIGHT}" '
                   f'y="{_n(y(chart.threshold) - 4)}" text-anchor="end">{escape(label)}</text>')
    # the line, broken where a month has no figure
    runs: list[list[str]] = []
    current: list[str] = []
    for i, value in enumerate(chart.values):
        if value is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(f"{_n(x(i))},{_n(y(value))}")
    if current:
        runs.append(current)
    for run in runs:
        out.append(f'<polyline class="line" points="{" ".join(run)}"/>')
    for i, value in enumerate(chart.values):
        if value is not None:
            over = chart.threshold is not None and value > chart.threshold
            out.append(f'<circle class="dot{" over" if over else ""}" cx="{_n(x(i))}" '
                       f'cy="{_n(y(value))}" r="2.6"><title>{escape(chart.months[i])}: '
                       f'{escape(fmt(value, chart.unit))}</title></circle>')
    out.append("</svg>")
    return "\n".join(out)


__all__ = ["Chart", "fmt", "svg"]
