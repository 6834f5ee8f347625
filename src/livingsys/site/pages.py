"""The site's pages, from :class:`~livingsys.site.data.SiteData`, with Jinja2 templates.

Escaping: the environment escapes every value it prints (``autoescape``), in text and in
attributes alike, so an automation named ``<script>`` is shown as those characters. The only
values marked safe are the SVG charts, built from escaped parts (:mod:`charts` escapes each
text); no JSON is embedded (the charts are drawn at build time). Mermaid's source is
printed escaped inside ``<pre>``: the browser hands Mermaid the exact text back. Page names
are registry ids (lowercase slugs, checked again in :func:`livingsys.site.data.page_name`) and
links are quoted as URLs on top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from livingsys.site import charts
from livingsys.site.data import AutomationPage, SiteData, plain

TEMPLATES = Path(__file__).parent / "templates"

#: Impact figures are optional in indicators.csv: charted only when some month has them.
OPTIONAL_METRICS = ("time_saved_hours", "satisfaction")
_KIND_LABEL = {"automatic": "automatic", "human": "human", "ai": "AI", None: "kind not set"}
_AUDIENCE = {"client": "clients", "internal": "the team"}


def url(path: str) -> str:
    """A relative link to a page of the site, quoted (ids are slugs; this is belt and braces)."""
    return quote(path, safe="/#.-_~")


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["plain"] = plain
    env.filters["url"] = url
    env.filters["pct"] = lambda v: "–" if v is None else f"{v * 100:.1f}%"
    env.globals["kind_label"] = lambda k: _KIND_LABEL.get(k, str(k))
    env.globals["audience"] = lambda a: _AUDIENCE.get(a, str(a))
    return env


def _person_helpers(data: SiteData):
    def name(person_id: str | None) -> str:
        person = data.person(person_id)
        return person.name if person else (person_id or "nobody named")

    def who(person_id: str | None) -> str:
        """'Name (role)' or the id as written when it is not in people.yaml."""
        person = data.person(person_id)
        if person is None:
            return f"{person_id} (not in people.yaml)" if person_id else "nobody named"
        return f"{person.name} ({person.role or person.kind})"

    return name, who


def _describe_change(change) -> str:
    from livingsys.history.semantic_diff import describe_change

    return describe_change(change)


def automation_charts(page: AutomationPage, data: SiteData) -> list[dict[str, Any]]:
    """The charts of one automation (volume, exception rate with the alert threshold, then
    the impact figures it has), each with its SVG and its table of figures."""
    ind = page.indicators
    if ind is None:
        return []
    section = data.report.indicators
    months = [str(m) for m in section.months]
    threshold = section.policy.exception_rate_alert
    specs = [
        ("volume", "Volume", "count", "cases handled each month", None),
        ("exception_rate", "Exception rate", "percent",
         "share of cases a person had to take over", threshold),
        ("time_saved_hours", "Time saved", "hours", "hours of work saved each month", None),
        ("satisfaction", "Satisfaction", "score", "the team's satisfaction, 1 to 5", None),
    ]
    out = []
    for metric, label, unit, meaning, limit in specs:
        values = ind.values(metric)
        if metric in OPTIONAL_METRICS and not any(v is not None for v in values):
            continue  # impact not measured: no empty chart (volume and rate always shown)
        last = next(((m, v) for m, v in zip(reversed(months), reversed(values), strict=False)
                     if v is not None), None)
        trend = ind.trend(metric)
        summary = [f"{label} of {plain(page.model.name)}, {meaning}, from {months[0]} to "
                   f"{months[-1]}." if months else f"{label}: no months."]
        if last is not None:
            summary.append(f"Last: {charts.fmt(last[1], unit)} in {last[0]}.")
        if trend is not None:
            summary.append(f"Trend: {trend.describe()} since {trend.previous_period}.")
        if limit is not None:
            summary.append(f"Alert threshold: {charts.fmt(limit, unit)}.")
            if ind.alert is not None:
                summary.append(f"Alert: {ind.alert.message}.")
        title = f"{label} — {months[0]} to {months[-1]}" if months else label
        chart = charts.Chart(f"chart-{metric.replace('_', '-')}", title, months, values, unit,
                             limit, " ".join(summary))
        out.append({
            "label": label, "meaning": meaning,
            "svg": Markup(charts.svg(chart)) if chart.has_data else None,
            "rows": [(m, charts.fmt(v, unit) if v is not None else "–")
                     for m, v in zip(months, values, strict=False)],
            "trend": trend, "alert": ind.alert if limit is not None else None,
        })
    return out


def render(data: SiteData) -> dict[str, bytes]:
    """Every page, by its path in the site."""
    env = _environment()
    name, who = _person_helpers(data)
    common = {"data": data, "report": data.report, "name": name, "who": who,
              "describe_change": _describe_change, "organisation": data.organisation}
    files: dict[str, bytes] = {}

    def page(template: str, path: str, **context: Any) -> None:
        depth = path.count("/")
        text = env.get_template(template).render(root="../" * depth, path=path, **common,
                                                  **context)
        files[path] = text.encode("utf-8")

    page("index.html", "index.html", title="Automations")
    from livingsys.render.agenda import (
        SILENCED_HEAD,
        action_text,
        no_change_text,
        nothing_due_text,
        record_help,
    )
    from livingsys.ritual.agenda import clock

    page("agenda.html", "agenda.html", title="Next review meeting", agenda=data.agenda,
         clock=clock, empty=nothing_due_text(data.agenda), no_change=no_change_text,
         record_help=record_help(data.agenda), action_text=action_text,
         silenced_head=SILENCED_HEAD)
    for automation in data.automations:
        page("automation.html", automation.page, title=plain(automation.model.name),
             a=automation, m=automation.model, charts=automation_charts(automation, data))
    for rule in data.rules:
        page("rule.html", rule.page, title=plain(rule.model.name), rule=rule, m=rule.model)
    return files


__all__ = ["automation_charts", "render", "url"]
