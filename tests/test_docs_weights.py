"""docs/reviews.md's ranking table says what the code does: one row per reason kind, in the
order reasons of equal weight are listed, each weight, cap and worked example as the code
computes it (src/livingsys/ritual/due_reasons.py). Change the code and the table together."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from conftest import REPO
from livingsys.ritual import due_reasons
from livingsys.ritual.due_reasons import (
    INCIDENT_WEIGHTS,
    INCIDENTS_CAP,
    OVERDUE_CAP,
    OVERDUE_PER_WEEK,
    WEIGHTS,
    ReasonKind,
    cadence_weight,
    incidents_weight,
)

DOC = REPO / "docs" / "reviews.md"
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}


def _rows(text: str) -> dict[str, str]:
    """kind -> weight cell of the table whose header is `| reason | `kind` in the JSON |...`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("| reason | `kind` in the JSON |"))
    rows: dict[str, str] = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == 4, f"docs/reviews.md: a weights row has not 4 cells: {line}"
        kind = cells[1].strip("`")
        assert kind not in rows, f"docs/reviews.md lists the reason '{kind}' twice"
        rows[kind] = cells[3]
    return rows


ROWS = _rows(DOC.read_text(encoding="utf-8"))


def _first_number(cell: str) -> int:
    found = re.match(r"\d+", cell)
    assert found, f"the weight '{cell}' does not start with a number"
    return int(found.group(0))


def test_every_reason_has_one_row_and_no_row_is_unknown():
    assert set(ROWS) == set(typing.get_args(ReasonKind))


def test_rows_of_equal_weight_are_in_the_order_reasons_are_listed():
    # review_due sorts an automation's reasons by weight, then by their place in WEIGHTS
    # (incidents, which are not in WEIGHTS, after the others)
    assert [kind for kind in ROWS if kind != "incidents"] == list(WEIGHTS)
    assert "incidents" not in WEIGHTS


@pytest.mark.parametrize("kind", [k for k in WEIGHTS if k != "cadence"])
def test_each_plain_weight_is_the_codes(kind):
    assert _first_number(ROWS[kind]) == WEIGHTS[kind], (
        f"docs/reviews.md gives '{kind}' the weight '{ROWS[kind]}', the code {WEIGHTS[kind]}")


def test_incident_weights_cap_and_examples():
    cell = ROWS["incidents"]
    assert dict((s, int(n)) for s, n in re.findall(r"\b(critical|high|medium|low) (\d+)\b",
                                                     cell.split("—")[0])) == INCIDENT_WEIGHTS
    assert int(re.search(r"at most (\d+)", cell).group(1)) == INCIDENTS_CAP
    examples = re.findall(r"([a-z ]+): (?:still )?(\d+)", cell.split("(", 1)[1])
    assert len(examples) >= 2
    for words, weight in examples:
        severities: list[str] = []
        for part in words.strip().split(" and "):
            count, severity = part.split()
            severities += [severity] * COUNTS[count]
        assert incidents_weight(severities) == int(weight), f"{words}: {weight}"


def test_cadence_weight_per_week_cap_and_examples():
    cell = ROWS["cadence"]
    base = WEIGHTS["cadence"]
    assert _first_number(cell) == base
    assert int(re.search(r"plus (\d+) per full week", cell).group(1)) == OVERDUE_PER_WEEK
    assert int(re.search(r"at most (\d+) more", cell).group(1)) == OVERDUE_CAP
    days = re.findall(r"(\d+) days(?: overdue)?(?: adds)? (\d+)", cell)
    assert len(days) >= 2
    for day, more in days:
        assert cadence_weight(int(day)) - base == int(more), f"{day} days: {more}"
    weeks, most = re.search(r"(\d+) weeks or more (\d+)", cell).groups()
    assert cadence_weight(7 * int(weeks)) - base == int(most) == OVERDUE_CAP
    assert cadence_weight(7 * int(weeks) - 1) - base < OVERDUE_CAP  # not reached before


def test_the_doc_names_the_module_that_holds_the_weights():
    path = Path(due_reasons.__file__).resolve().relative_to(REPO).as_posix()
    words = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"(`WEIGHTS` in `{path}`" in words
