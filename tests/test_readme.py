"""The README's checks table is generated from the check units; keep it in sync."""

from __future__ import annotations

import re

from conftest import REPO


def test_readme_checks_table_matches_the_check_units():
    from livingsys.checks.base import catalogue
    from livingsys.render.catalogue import markdown_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- checks:start[^>]*-->\n(.*?)\n<!-- checks:end -->", readme, re.S)
    assert match, "README lost its checks table markers"
    assert match.group(1).strip() == markdown_table(catalogue()).strip(), (
        "README's checks table is out of date: paste `livingsys rules --format markdown` "
        "between the markers")


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n# 2\.[^\n]*\n([^\n]+)\n```", readme)
    assert commands and commands[0] in ci
