"""A small registry in a real git repository, and the files a review cycle adds to it.

    repo = company(tmp_path)                     # registry/ = conftest.MINIMAL, committed
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20", "reminders"))
    repo.commit("Review of 2024-01-20")
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import MINIMAL
from gitrepo import GitRepo

NATHALIE = "Nathalie Lefebvre <nathalie@example.com>"
THOMAS = "Thomas Nguyen <thomas@example.com>"


def company(tmp_path: Path, overrides: dict[str, str | None] | None = None,
            message: str = "Registry: first version") -> GitRepo:
    """A repository whose registry/ holds conftest.MINIMAL (with ``overrides``), committed."""
    repo = GitRepo(tmp_path / "company")
    repo.write("README.md", "# Company\n")
    for rel, text in {**MINIMAL, **(overrides or {})}.items():
        if text is not None:
            repo.write(f"registry/{rel}", textwrap.dedent(text))
    repo.commit(message)
    return repo


def registry(repo: GitRepo) -> Path:
    return repo.root / "registry"


def minutes(day: str, *automations: str, commit: str | None = None,
            attendees: tuple[str, ...] = ("b.owner", "t.tech", "m.boss")) -> str:
    """Hand-written minutes (``commit``: their registry_commit); the attendees are the
    reminders' business owner and maintainer, and the manager (lint's G028)."""
    lines = [f"date: {day}"]
    if commit:
        lines.append(f"registry_commit: {commit}")
    lines.append(f"attendees: [{', '.join(attendees)}]")
    lines.append("automations:")
    for ident in automations or ("reminders",):
        lines += [f"  - id: {ident}",
                  '    answers: {rules_changed: "no", incidents: none, simplify: not yet}']
    return "\n".join(lines) + "\n"


def incident(day: str, automation: str = "reminders", severity: str = "medium",
             summary: str = "Reminder sent for an invoice already paid") -> str:
    return (f"date: {day}\nautomation: {automation}\nsummary: {summary}\n"
            f"severity: {severity}\n")


def reminders(*, threshold: int = 5000, cap: int = 40, owner: str = "b.owner",
              description: str | None = None, comment: str = "") -> str:
    """The MINIMAL reminders automation, with a few values to change."""
    text = textwrap.dedent(MINIMAL["automations/reminders.yaml"])
    text = text.replace("amount over 5,000 EUR", f"amount over {threshold:,} EUR")
    text = text.replace("    handled_by: m.boss", "    handled_by: m.boss\n"
                        f"    when: amount_due > {threshold}")
    text = text.replace("daily_cap: 40", f"daily_cap: {cap}")
    text = text.replace("owner: b.owner", f"owner: {owner}")
    if description:
        text = text.replace("name: Payment reminders\n",
                            f"name: Payment reminders\ndescription: {description}\n")
    return comment + text


def threshold_rule(amount: int = 5000, since: str = "2024-01-01") -> str:
    return (f"id: threshold\nname: Validation threshold\n"
            f"statement: If the amount is over {amount:,} EUR, then a manager validates.\n"
            f"parameters: {{amount_threshold_eur: {amount}}}\nsince: {since}\n")
