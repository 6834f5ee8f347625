"""Counts in words and the renderers' shared text helpers (livingsys.wording, render.text)."""

from livingsys.render.text import percent, wrap
from livingsys.render.width import wrapping
from livingsys.wording import plural


def test_plural_on_each_side_of_one():
    assert plural(0, "change") == "0 changes"
    assert plural(1, "change") == "1 change"
    assert plural(2, "change") == "2 changes"
    assert plural(1, "automation needs", "automations need") == "1 automation needs"
    assert plural(3, "automation needs", "automations need") == "3 automations need"


def test_wrap_escapes_the_text_not_the_lead():
    with wrapping(None):
        assert wrap("[bold]name[/]", 4, "  [dim]•[/] ", "dim") == [
            "  [dim]•[/] [dim]\\[bold]name\\[/][/]"]


def test_wrap_hangs_continuation_lines_under_the_text():
    with wrapping(30):
        lines = wrap("one two three four five six seven eight nine", 4, "  • ")
    assert len(lines) > 1
    assert all(line.startswith("    ") for line in lines[1:])


def test_percent_says_when_a_rate_is_unknown():
    assert percent(None) == "–"
    assert percent(0.125) == "12.5%"
    assert percent(0) == "0.0%"
