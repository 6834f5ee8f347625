"""Issue 10, a newcomer's first days: output that fits the terminal, init's git repository
and next steps, the guides shipped with the package, help that keeps its indent."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest

from conftest import REPO, shallow_clone_reason
from registryrepo import company, registry, reminders

AS_OF = "2026-11-25"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def too_wide(text: str, width: int) -> list[str]:
    return [line for line in text.splitlines() if len(line) > width]


@pytest.fixture
def demo_history(cli, monkeypatch):
    """The repository's own demo registry, from the repository's root (for a short -r)."""
    monkeypatch.chdir(REPO)
    if reason := shallow_clone_reason():
        pytest.skip(reason)
    probe = cli("review-due", "-r", "registry", "--as-of", AS_OF, "-f", "json")
    assert probe.exit_code != 2, probe.output  # the history is there: it must be read
    return "registry"


@pytest.fixture
def long_diff(tmp_path, monkeypatch):
    """A repository where a long trigger was reworded (diff shows both texts); the current
    folder is its root, for a short -r."""
    repo = company(tmp_path, {"automations/reminders.yaml": reminders()})
    old = "Every morning for unpaid invoices"
    new = ("Every working morning at 8:00 for each unpaid invoice past its due date, except "
           "invoices in dispute, which the finance team follows by hand")
    text = (registry(repo) / "automations/reminders.yaml").read_text("utf-8")
    repo.write("registry/automations/reminders.yaml", text.replace(old, new))
    repo.commit("Trigger reworded")
    monkeypatch.chdir(repo.root)
    return "registry"


COMMANDS = {
    "review-due": ["review-due", "--as-of", AS_OF],
    "agenda": ["agenda", "--date", AS_OF],
    "report": ["report", "--as-of", AS_OF],
}


@needs_git
@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_people_output_fits_the_terminal_width(cli, demo_history, monkeypatch, command, width):
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*COMMANDS[command], "-r", demo_history)
    assert result.exit_code == 0, result.output
    assert too_wide(result.stdout, width) == []
    # a reason that wraps below 100 columns: its continuation lines up under its first word
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "shared key rule" in line)
    column = lines[at].index("shared key rule")
    assert ("(rule 3)" in lines[at]) == (width == 120)
    if width < 120:
        assert lines[at + 1].startswith(" " * column) and lines[at + 1][column] != " "


@needs_git
@pytest.mark.parametrize("width", [60, 80, 120])
def test_diff_fits_the_terminal_width(cli, long_diff, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli("diff", "HEAD~1..HEAD", "-r", long_diff)
    assert result.exit_code == 0, result.output
    assert too_wide(result.stdout, width) == []
    assert "trigger" in result.stdout


@needs_git
def test_piped_output_is_not_wrapped(cli, demo_history):
    """Not a terminal and no $COLUMNS: one line per item, for grep and for mail."""
    result = cli("review-due", "-r", demo_history, "--as-of", AS_OF)
    statement = [line for line in result.stdout.splitlines() if "statement changed" in line]
    assert statement and "3,000 EUR" in statement[0] and len(statement[0]) > 120


@needs_git
def test_piped_diff_is_not_wrapped(cli, long_diff):
    diff = cli("diff", "HEAD~1..HEAD", "-r", long_diff).stdout
    assert any("except invoices in dispute, which the finance team follows by hand" in line
               for line in diff.splitlines())


def test_report_indicators_table_below_its_width_lists_figures_under_each_name(
        cli, demo_registry, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("report", "-r", demo_registry, "--as-of", AS_OF).stdout
    assert "time saved  satisf." not in out  # the table's header needs ~100 columns
    assert re.search(r"\n  payment-reminders\n    volume \d+ ", out)
    monkeypatch.setenv("COLUMNS", "120")
    out = cli("report", "-r", demo_registry, "--as-of", AS_OF).stdout
    assert "time saved  satisf." in out


@pytest.mark.parametrize("command", [["new"], ["init"], ["explain"], ["rules"]])
def test_help_examples_keep_their_indent_when_wrapped(cli, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "60")
    out = cli(*command, "--help").stdout
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Examples:")
    examples = [line for line in lines[start + 1:] if line.strip()]
    examples = examples[:next((i for i, line in enumerate(examples) if "─" in line),
                              len(examples))]
    assert examples
    assert all(line.startswith("   ") for line in examples), examples
    assert too_wide(out, 60) == []


# -- init: the repository where the user expects it, next steps that work -----------------


@pytest.fixture
def no_repo_above(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = tmp_path / "company"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def _step(output: str, label: str) -> str:
    lines = output.splitlines()
    i = next(i for i, line in enumerate(lines) if label in line)
    rest = lines[i].split(label, 1)[1].strip()
    return rest or lines[i + 1].strip()


@needs_git
def test_init_outside_git_makes_the_repository_here_and_its_commit_step_works(
        cli, no_repo_above):
    result = cli("init", "--organisation", "ACME", "--no-input")
    assert result.exit_code == 0, result.output
    assert (no_repo_above / ".git").is_dir()
    assert not (no_repo_above / "registry" / ".git").exists()
    assert "initialised a new git repository in the current folder" in result.stdout
    step = _step(result.stdout, "Commit it:")
    assert step.startswith("git add registry && git commit -m")
    subprocess.run(["git", "config", "user.email", "t@example.com"], check=True)
    subprocess.run(["git", "config", "user.name", "T"], check=True)
    done = subprocess.run(step, shell=True, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert cli("review-due", "--as-of", "2030-01-01").exit_code == 0  # history is readable


@needs_git
def test_init_of_a_folder_elsewhere_makes_its_own_repository(cli, no_repo_above, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "registry"
    result = cli("init", elsewhere, "--organisation", "ACME", "--no-input")
    assert result.exit_code == 0, result.output
    assert (elsewhere / ".git").is_dir() and not (no_repo_above / ".git").exists()
    step = _step(result.stdout, "Commit it:")
    assert step.startswith(f"git -C {shlex.quote(str(elsewhere.resolve()))} add . && ")


@needs_git
def test_init_from_the_home_folder_does_not_make_home_a_repository(
        cli, no_repo_above, monkeypatch):
    monkeypatch.setenv("HOME", str(no_repo_above))
    result = cli("init", "--organisation", "ACME", "--no-input")
    assert result.exit_code == 0, result.output
    assert not (no_repo_above / ".git").exists()
    assert (no_repo_above / "registry" / ".git").is_dir()


def test_init_writes_an_indicators_csv_that_lints_clean(cli, tmp_path):
    root = tmp_path / "registry"
    assert cli("init", root, "--organisation", "ACME", "--no-input").exit_code == 0
    rows = (root / "indicators.csv").read_text("utf-8").splitlines()
    assert rows[0] == "automation,period,volume,exceptions,time_saved_hours,satisfaction"
    assert rows[1].startswith("payment-reminders,")
    assert cli("lint", "-r", root, "--format", "json").exit_code == 0
    report = cli("report", "-r", root).stdout
    assert "no indicators yet" not in report and "payment-reminders" in report


# -- the guides, for a pip user ------------------------------------------------------------


def test_help_lists_and_prints_the_guides(cli):
    listing = cli("help")
    assert listing.exit_code == 0
    assert "indicators" in listing.stdout and "decisions" in listing.stdout
    guide = cli("help", "indicators")
    assert guide.exit_code == 0
    assert guide.stdout == (REPO / "docs" / "indicators.md").read_text("utf-8")
    wrong = cli("help", "indicator")
    assert wrong.exit_code == 2
    assert "did you mean 'indicators'" in wrong.stderr


def test_messages_point_at_a_guide_a_pip_install_has(cli, make_registry):
    root = make_registry()
    report = " ".join(cli("report", "-r", root).stdout.split())
    assert "`livingsys help indicators`" in report and "docs/indicators.md" not in report
    export = cli("export", "-r", root, "-o", root.parent / "sheet.csv")
    assert "docs/indicators.md" not in export.output


# -- finding the registry ------------------------------------------------------------------


def test_lint_from_inside_the_registry_finds_it_in_the_folders_above(
        cli, make_registry, monkeypatch):
    root = make_registry()
    monkeypatch.chdir(root / "automations")
    result = cli("lint", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"automations": 1' in result.stdout
    monkeypatch.chdir(root.parent)  # the folder holding registry/: found as ./registry
    assert cli("lint").exit_code == 0


def test_the_search_above_stops_at_the_top_of_a_git_repository(cli, make_registry, monkeypatch,
                                                               tmp_path):
    make_registry()  # tmp_path/registry
    inner = tmp_path / "project" / "sub"
    inner.mkdir(parents=True)
    (tmp_path / "project" / ".git").mkdir()
    monkeypatch.chdir(inner)
    result = cli("lint")
    assert result.exit_code == 2
    assert "there is no registry folder at 'registry'" in result.stderr
    (tmp_path / "project" / ".git").rmdir()
    assert cli("lint").exit_code == 0  # no repository in the way: ../../registry


def test_a_registry_subfolder_given_as_the_registry_says_which_to_use(cli, make_registry,
                                                                      monkeypatch):
    root = make_registry()
    monkeypatch.chdir(root.parent)
    result = cli("lint", "--registry", "registry/automations")
    assert result.exit_code == 2
    assert "S005" not in result.output
    assert ("'registry/automations' is the automations folder of the registry at 'registry'"
            in result.stderr)
    assert "use --registry registry" in result.stderr


def test_a_wrong_environment_variable_is_named(cli, make_registry, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LIVINGSYS_REGISTRY", "no-such-folder")
    result = cli("report")
    assert result.exit_code == 2
    assert "$LIVINGSYS_REGISTRY names 'no-such-folder', and there is no folder there" in \
        result.stderr
    assert "unset LIVINGSYS_REGISTRY" in result.stderr


# -- messages that said the wrong thing ----------------------------------------------------


@pytest.mark.parametrize("value, message, hint", [
    ("2027-02-30", "'2027-02-30' is not a date: February 2027 has 28 days",
     "write a day that exists, e.g. 2027-02-28"),
    ("2028-02-30", "'2028-02-30' is not a date: February 2028 has 29 days",
     "write a day that exists, e.g. 2028-02-29"),
    ("2027-13-01", "'2027-13-01' is not a date: there is no month 13",
     "write it YYYY-MM-DD, e.g. 2027-12-01"),
    ("30/06/2027", "should be a date written YYYY-MM-DD, not '30/06/2027'",
     "write the year, month and day with dashes, e.g. 2026-11-30"),
])
def test_a_date_that_does_not_exist_says_why(cli, make_registry, value, message, hint):
    from conftest import MINIMAL

    text = MINIMAL["automations/reminders.yaml"].replace("valid_until: 2099-12-31",
                                                         f"valid_until: {value}")
    root = make_registry({"automations/reminders.yaml": text})
    result = cli("lint", "-r", root, "--format", "json")
    import json

    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "S002"]
    assert message in finding["message"]
    assert finding["hint"] == hint  # not the field's description


def test_an_option_date_that_does_not_exist_says_why(cli, make_registry):
    result = cli("review-due", "-r", make_registry(), "--as-of", "2027-02-29")
    assert result.exit_code == 2
    assert "'2027-02-29' is not a date: February 2027 has 28 days" in result.stderr


@pytest.mark.parametrize("value, hint", [
    ("2,500", "'2,500' is ambiguous (a comma between thousands, or a decimal comma): write "
              "2500 or 2.5, without a comma."),
    ("12,5", "Use a dot for decimals: 12.5."),
    ("1,250,000", "Write it without a separator between thousands: 1250000."),
])
def test_a_number_with_a_comma(cli, demo_registry, value, hint):
    result = cli("explain", "payment-reminders", "-r", demo_registry, "-c",
                 f"amount_due={value}", "-c", "days_without_reply=8", "-c", "in_dispute=false",
                 "-c", "reminders_sent=0")
    assert result.exit_code == 2
    assert hint in " ".join(result.stderr.split())


def test_an_unknown_format_is_named_plainly(cli):
    result = cli("lint", "--format", "nope")
    assert result.exit_code == 2
    text = " ".join(result.output.replace("│", " ").split())
    assert "unknown format 'nope'; choose text, concise, json, github or sarif" in text
    assert "Value error" not in text


def test_a_value_cut_at_a_comma_in_braces_says_to_quote_it(cli, make_registry):
    from conftest import MINIMAL

    text = MINIMAL["automations/reminders.yaml"].replace(
        "{id: detect, kind: automatic, does: List unpaid invoices}",
        "{id: detect, kind: automatic, does: reads, edits and sends}")
    result = cli("lint", "-r", make_registry({"automations/reminders.yaml": text}))
    out = " ".join(result.stdout.split())
    assert "unknown key 'edits and sends'" in out
    assert ('YAML cut the value of \'does\' there: put the whole value between quotes, '
            'does: "reads, edits and sends"') in out


# -- help and shell ------------------------------------------------------------------------


def _commands(group, prefix=()):
    for name, command in getattr(group, "commands", {}).items():
        yield (*prefix, name)
        yield from _commands(command, (*prefix, name))


def test_no_flag_shows_a_bool_metavar_in_help(cli, monkeypatch):
    import typer.main

    from livingsys.cli.main import app

    monkeypatch.setenv("COLUMNS", "120")
    for command in [(), *_commands(typer.main.get_command(app))]:
        out = cli(*command, "--help").stdout
        assert "<bool>" not in out, command
        assert "Show this message and exit." in out


def test_shell_completion_is_offered(cli):
    assert "--install-completion" in cli("--help").stdout
    script = cli("--show-completion", "bash")
    assert script.exit_code == 0
    assert "_livingsys_completion" in script.stdout


def test_graph_without_an_id_suggests_one_of_this_registry(cli, make_registry):
    result = cli("graph", "-r", make_registry())
    assert result.exit_code == 2
    assert "e.g. livingsys graph reminders; automations: reminders" in result.stderr
    assert "payment-reminders" not in result.stderr


def test_no_escape_codes_in_a_pipe_and_no_colour_with_no_color(make_registry, tmp_path):
    """NO_COLOR (no-color.org) asks for no colour: bold and dim stay on a terminal. A pipe
    gets no escape code at all, NO_COLOR or not."""
    import os
    import sys

    root = make_registry({"people.yaml": "people:\n  - {id: x, name: X, kind: business}\n"})
    command = [sys.executable, "-m", "livingsys", "lint", "-r", str(root)]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    piped = subprocess.run(command, capture_output=True, text=True, env=env)
    assert piped.returncode == 1 and "\x1b" not in piped.stdout + piped.stderr
    terminal = subprocess.run(command, capture_output=True, text=True,
                              env={**env, "FORCE_COLOR": "1", "NO_COLOR": "1"})
    codes = set(re.findall(r"\x1b\[([0-9;]*)m", terminal.stdout))
    assert codes and not any(re.search(r"(^|;)(3|4|9|10)\d", c) for c in codes), codes


# -- the meeting's calendar invite ---------------------------------------------------------


def _invite(cli, root, *extra):
    import icalendar

    result = cli("agenda", "-r", root, "--no-history", "--date", "2026-12-16", "--format",
                 "ics", *extra)
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    (event,) = calendar.walk("VEVENT")
    return event, result


def test_agenda_as_a_calendar_invite(cli, demo_registry):
    import datetime as dt

    event, result = _invite(cli, demo_registry, "--at", "14:30")
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 16, 14, 30)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 16, 15, 15)  # 45 minutes
    assert str(event["organizer"]) == "mailto:claire.moreau@dauphine-fournitures.example"
    attendees = {str(a): a.params["cn"] for a in event["attendee"]}
    assert attendees["mailto:nathalie.lefebvre@dauphine-fournitures.example"] == \
        "Nathalie Lefebvre"
    assert str(event["summary"]).startswith("Automation review — Dauphiné Fournitures SAS: ")
    text = str(event["description"])
    assert "ATTENDEES" in text and "The three questions" in text
    assert "[bold]" not in text and "\x1b" not in text
    assert str(event["uid"]) == "livingsys-review-2026-12-16@dauphine-fournitures-sas"


def test_the_invite_neutralises_registry_text_and_says_who_it_cannot_reach(
        cli, make_registry):
    people = ("people:\n"
              "  - {id: b.owner, name: \"Bea\\u0007, Owner;\\nBCC: x@evil.example\", "
              "kind: business, contact: bea@example.com}\n"
              "  - {id: t.tech, name: Tom Tech, kind: technical, contact: '#tom'}\n"
              "  - {id: m.boss, name: Max Boss, kind: manager}\n")
    root = make_registry({"people.yaml": people})
    event, result = _invite(cli, root)
    (attendee,) = [a for a in (event.get("attendee") if isinstance(event.get("attendee"), list)
                               else [event["attendee"]])]
    assert str(attendee) == "mailto:bea@example.com"
    assert "\x07" not in attendee.params["cn"]
    assert "BCC" not in [k.upper() for k in event.keys()]  # the newline stayed inside the name
    assert "not invited" in result.stderr and "Tom Tech" in result.stderr


def test_a_hostile_organisation_name_reaches_the_invite_harmless(cli, make_registry):
    import icalendar

    config = ("organisation: \"Evil\\e]0;pwned\\a SARL\\nEND:VEVENT\"\n"
              "incident_channel: {kind: chat, where: \"#incidents\"}\n"
              "review: {default_cadence: monthly, chair: m.boss}\n")
    root = make_registry({"livingsys.yaml": config})
    event, result = _invite(cli, root)
    summary = str(event["summary"])
    assert "\x1b" not in summary and "\x07" not in summary and "\u241b]0;pwned" in summary
    assert "END:VEVENT" in summary  # still inside the summary: the line break was escaped
    assert len(icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT")) == 1


def test_the_invite_written_to_a_file(cli, demo_registry, tmp_path):
    import icalendar

    target = tmp_path / "next.ics"
    result = cli("agenda", "-r", demo_registry, "--no-history", "--date", "2026-12-16",
                 "--format", "ics", "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {target}" in " ".join(result.stderr.split())
    (event,) = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event.decoded("dtstart")) == "2026-12-16 10:00:00"  # --at's default


@pytest.mark.parametrize("value, start", [("0:00", "00:00"), ("9:05", "09:05"),
                                          ("23:59", "23:59")])
def test_start_times_at_the_edges_of_the_day(cli, make_registry, value, start):
    event, _ = _invite(cli, make_registry(), "--at", value)
    assert event.decoded("dtstart").strftime("%H:%M") == start


@pytest.mark.parametrize("value", ["24:00", "23:60", "25:00", "10h", "10", "10:00:00", ""])
def test_a_wrong_start_time(cli, make_registry, value):
    result = cli("agenda", "-r", make_registry(), "--no-history", "--format", "ics", "--at",
                 value)
    assert result.exit_code == 2
    err = " ".join(result.stderr.split())
    assert f"--at '{value}' is not a time of day" in err and "from 00:00 to 23:59" in err
    assert "Traceback" not in result.output


def test_a_wrong_meeting_date(cli, make_registry):
    result = cli("agenda", "-r", make_registry(), "--format", "ics", "--date", "2026-02-30")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--date" in result.stderr and "BEGIN:VCALENDAR" not in result.stdout


# -- new: questions that say what they are for, and what is left -------------------------


def test_new_asks_each_question_with_what_it_is_for(cli, make_registry):
    root = make_registry()
    answers = "\n".join(["b.owner", "t.tech", "Every morning at 8:00", "extended", "Make",
                         "Finance › Reminders v2", "Reminds clients of unpaid invoices", ""])
    result = cli("new", "billing", "-r", root, "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    order = ["Business owner: the person who answers for the result", "b.owner (Bea Owner",
             "Owner (an id from the list)", "Maintainer: who configured it",
             "Trigger: when and why it starts", "Perimeter: first while it is new",
             "Tool: the tool it runs in", "Location: where to find it",
             "Description: what it is for"]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Left empty" not in out
    text = (root / "automations" / "billing.yaml").read_text("utf-8")
    for line in ("maintainer: t.tech", "tool: Make", "location: Finance › Reminders v2",
                 "description: Reminds clients of unpaid invoices", "perimeter: extended"):
        assert f"\n{line}\n" in text, line


def test_new_without_questions_says_what_is_left_empty(cli, make_registry):
    root = make_registry()
    result = cli("new", "billing", "-r", root, "--owner", "b.owner", "--trigger", "Daily",
                 "--tool", "Zapier", "--no-input")
    assert result.exit_code == 0, result.output
    assert "Left empty, to fill in: maintainer, description, location." in result.stdout
    assert "Still to fill in (from livingsys lint):" in result.stdout
    assert "\ntool: Zapier\n" in (root / "automations" / "billing.yaml").read_text("utf-8")
