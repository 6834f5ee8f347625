"""Hostile content: what an attacker puts in a registry must do nothing where it lands.

One test (or a pair, one on each side) per problem of issue 10 that hostile input revealed;
the corpus under tests/hostile/ runs every such input through every command
(tests/test_hostile_corpus.py).
"""

from __future__ import annotations

import csv
import io
import os
import stat
import textwrap

import pytest

from registryrepo import company, minutes, registry

HYPERLINK = '=HYPERLINK("http://evil.example/x","click")'


def _name(text: str) -> dict[str, str]:
    """MINIMAL's automation with another name (a YAML double-quoted string)."""
    from conftest import MINIMAL

    reminders = textwrap.dedent(MINIMAL["automations/reminders.yaml"])
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\e") \
        .replace("\x07", "\\a").replace("\n", "\\n").replace("\x01", "\\x01")
    return {"automations/reminders.yaml":
            reminders.replace("name: Payment reminders", f'name: "{quoted}"')}


# --------------------------------------------------------------------------------------------
# 1. export: no formula, no crash on control characters


def test_csv_export_writes_a_formula_looking_name_as_text(cli, make_registry):
    root = make_registry({**_name(HYPERLINK), "people.yaml": """\
        people:
          - {id: b.owner, name: "=1+1", kind: business}
          - {id: t.tech, name: "@SUM(A1)", kind: technical}
          - {id: m.boss, name: Max Boss, kind: manager}
        """})
    result = cli("export", "-r", root, "-o", "-", "--format", "csv")
    assert result.exit_code == 0, result.output
    row = next(r for r in csv.DictReader(io.StringIO(result.stdout)) if r["id"] == "reminders")
    assert row["name"] == "'" + HYPERLINK
    assert row["owner"] == "'=1+1" and row["maintainer"] == "'@SUM(A1)"


def test_csv_export_leaves_ordinary_text_alone(cli, make_registry):
    result = cli("export", "-r", make_registry(), "-o", "-", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["name"] == "Payment reminders" and row["owner"] == "Bea Owner"


def test_xlsx_export_stores_formula_looking_names_as_text_and_survives_controls(
        cli, make_registry, tmp_path):
    from openpyxl import load_workbook

    root = make_registry(_name(HYPERLINK + "\x01\x1b[31m"))
    out = tmp_path / "sheet.xlsx"
    result = cli("export", "-r", root, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    sheet = load_workbook(out)["Tracking"]
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Name") + 1)
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.value == HYPERLINK + "\u2401\u241b[31m"


# --------------------------------------------------------------------------------------------
# 2. terminal, CI log and Markdown


def test_escape_sequences_in_names_and_commits_never_reach_the_terminal(cli, tmp_path):
    repo = company(tmp_path, _name("Reminders \x1b]0;owned\x07 \x1b[2J [bold]x[/bold]"),
                   message="Registry \x1b[31mred\x1b[0m")
    repo.write("registry/automations/reminders.yaml",
               (registry(repo) / "automations/reminders.yaml").read_text()
               .replace("daily_cap: 40", "daily_cap: 30"))
    repo.commit("Lower the cap \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\")
    for args in (["review-due", "--as-of", "2024-06-01"], ["agenda", "--date", "2024-06-01"],
                 ["report", "--as-of", "2024-06-01"], ["diff", "HEAD~1..HEAD"],
                 ["explain", "reminders", "--case", "x=1"], ["lint"]):
        result = cli(*args, "-r", registry(repo))
        assert "\x1b" not in result.output, args
        assert "Traceback" not in result.output, args
    shown = cli("review-due", "-r", registry(repo), "--as-of", "2024-06-01").output
    assert "[bold]x[/bold]" in shown and "␛]0;owned" in shown


def test_an_unknown_key_with_a_newline_starts_no_workflow_command(cli, make_registry):
    from conftest import MINIMAL

    text = textwrap.dedent(MINIMAL["automations/reminders.yaml"])
    root = make_registry({"automations/reminders.yaml":
                          text + '"x\\n::error file=a::pwned\\n  ::add-mask::y": 1\n'})
    for fmt in ("text", "concise", "github"):
        result = cli("lint", "-r", root, "--format", fmt)
        assert result.exit_code == 2 or result.exit_code == 1
        lines = result.stdout.splitlines()
        ours = [ln for ln in lines if ln.lstrip().startswith("::")]
        if fmt == "github":  # the annotations we emit, the key's newline escaped in them
            assert ours and all("%0A::error file=a::pwned" in ln for ln in ours
                                if "pwned" in ln)
        else:
            assert ours == [], fmt
        assert any("pwned" in ln for ln in lines)


def test_markdown_outputs_cannot_be_broken_out_of(cli, make_registry):
    evil = "x\n# Owned heading\n```\n| a | b |"
    root = make_registry({**_name(evil), "livingsys.yaml": """\
        organisation: "ACME\\n# Injected\\n```html"
        incident_channel: {kind: chat, where: "#incidents"}
        review: {default_cadence: monthly, chair: m.boss}
        """})
    graph = cli("graph", "reminders", "-r", root, "--format", "markdown").stdout
    agenda = cli("agenda", "-r", root, "--no-history", "--date", "2030-01-01",
                 "--format", "markdown").stdout
    for out in (graph, agenda):
        lines = out.splitlines()
        # the names stay inside their heading or table row: no line of their own
        assert not [ln for ln in lines if ln.lstrip().startswith(("# Owned", "# Injected",
                                                                   "| a | b |"))]
        fences = [ln for ln in lines if ln.lstrip().startswith("```")]
        assert fences in ([], ["```mermaid", "```"], ["```bash", "```"]), fences
        assert "Owned heading" in out


def test_neutral_layer_keeps_ordinary_text_as_it_is():
    from livingsys.neutral import for_ci_log, for_markdown, for_spreadsheet, for_terminal

    text = "Relances de paiement — seuil 5 000 € (amount_due)"
    assert for_terminal(text) == text and for_ci_log(text) == text
    assert for_markdown(text) == text and for_spreadsheet(text) == text
    assert for_spreadsheet(12.5) == 12.5 and for_spreadsheet("5 EUR") == "5 EUR"


# --------------------------------------------------------------------------------------------
# 3. git runs no program the repository names


@pytest.fixture
def booby_trapped(tmp_path):
    """A committed registry whose repository config names programs that leave a marker."""
    repo = company(tmp_path)
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\ncat\n")
    script.chmod(0o755)
    for key, value in (("core.fsmonitor", script), ("filter.evil.clean", script),
                       ("filter.evil.smudge", script), ("filter.evil.process", script),
                       ("diff.evil.textconv", script), ("diff.external", script),
                       ("core.pager", script), ("gpg.program", script),
                       ("log.showSignature", "true")):
        repo.git("config", key, str(value))
    (repo.root / ".git" / "info" / "attributes").write_text("* filter=evil diff=evil\n")
    # edited files: status must look at their content
    path = registry(repo) / "automations" / "reminders.yaml"
    path.write_text(path.read_text().replace("daily_cap: 40", "daily_cap: 41"))
    (registry(repo) / "people.yaml").touch()
    return repo, marker


def test_calendar_text_keeps_ordinary_text_and_shows_controls():
    from livingsys.neutral import for_calendar

    text = "Relances, 1er niveau; seuil 5 000 €\n\tpuis appel"
    assert for_calendar(text) == text  # icalendar escapes , ; and line breaks itself
    assert for_calendar("Bea\x1b]0;pwned\x07\u202eOwner") == "Bea\u241b]0;pwned\u2407\ufffdOwner"


def test_a_calendar_parameter_stays_on_one_line_and_inside_its_quotes():
    from livingsys.neutral import for_calendar

    assert for_calendar("Bea Owner", param=True) == "Bea Owner"
    assert for_calendar('Bea "x"\nBCC: e@evil.example', param=True) == \
        "Bea 'x'\u2424BCC: e@evil.example"


def test_no_repository_program_runs_in_any_command(cli, booby_trapped, tmp_path):
    repo, marker = booby_trapped
    reg = registry(repo)
    for args in (["review-due"], ["report"], ["agenda"], ["diff"], ["export", "-o", "-"],
                 ["review", "record", "--automation", "reminders", "--attendee", "b.owner",
                  "--attendee", "t.tech", "--date", "2024-03-01", "--no-input"]):
        result = cli(*args, "-r", reg)
        assert not marker.exists(), (args, marker.read_text())
        assert "Traceback" not in result.output
    # and the uncommitted change was still seen
    due = cli("review-due", "-r", reg, "--format", "json").stdout
    assert '"uncommitted"' in due and "automations/reminders.yaml" in due


def test_git_helper_blanks_every_filter_driver_the_config_defines(tmp_path):
    from gitrepo import GitRepo
    from livingsys.history import gitcmd

    repo = GitRepo(tmp_path / "r")
    repo.git("config", "filter.lfs.clean", "false")
    repo.git("config", "filter.my.driver.process", "false")
    opts = gitcmd.options(repo.root)
    for expected in ("core.fsmonitor=false", "filter.lfs.clean=", "filter.my.driver.process=",
                     "protocol.allow=never"):
        assert expected in opts
    plain = gitcmd.options(GitRepo(tmp_path / "plain").root)
    assert not any(o.startswith("filter.") for o in plain)


# --------------------------------------------------------------------------------------------
# 5. init


def test_init_refuses_a_folder_read_as_an_option(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--organisation", "X", "--no-input", "--", "--bare")
    assert result.exit_code == 2
    assert "starts with '-'" in result.output
    assert list(tmp_path.iterdir()) == []  # no bare repository in the current folder


def test_init_names_a_dangling_link(cli, tmp_path):
    link = tmp_path / "registry"
    link.symlink_to(tmp_path / "nowhere")
    result = cli("init", link, "--organisation", "X", "--no-input")
    assert result.exit_code == 2
    assert "symbolic link" in result.output and "does not exist" in result.output


def test_init_follows_a_link_to_an_empty_folder(cli, tmp_path):
    (tmp_path / "real").mkdir()
    link = tmp_path / "registry"
    link.symlink_to(tmp_path / "real")
    result = cli("init", link, "--organisation", "X", "--no-input")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "real" / "livingsys.yaml").is_file()


# --------------------------------------------------------------------------------------------
# 6. huge numbers


def test_a_400_digit_figure_is_a_finding_in_every_command(cli, tmp_path):
    repo = company(tmp_path, {"indicators.csv": "automation,period,volume,exceptions\n"
                              f"reminders,2024-01,{'9' * 400},3\nreminders,2024-02,100,3\n"})
    reg = registry(repo)
    lint = cli("lint", "-r", reg, "--today", "2024-03-01", "--format", "concise")
    assert lint.exit_code == 1 and "I015" in lint.stdout
    for args in (["report", "--as-of", "2024-03-01"], ["export", "--as-of", "2024-03-01"],
                 ["review-due", "--as-of", "2024-03-01"], ["agenda", "--date", "2024-03-01"]):
        result = cli(*args, "-r", reg)
        assert result.exit_code in (0, 1), (args, result.output)


@pytest.mark.parametrize("value, message", [
    ("9" * 5000, "has 5,000 digits: it is too large"),
    ("9" * 41, "has 41 digits"),
    ("١٠", "digits other than 0-9"),
    ("１０", "digits other than 0-9"),
])
def test_explain_refuses_huge_and_non_ascii_numbers_plainly(cli, demo_registry, value, message):
    result = cli("explain", "payment-reminders", "-r", demo_registry, "-c",
                 f"days_without_reply={value}", "-c", "amount_due=6000", "-c",
                 "in_dispute=false", "-c", "reminders_sent=1")
    assert result.exit_code == 2
    assert message in result.output


def test_explain_takes_a_long_but_ordinary_number(cli, demo_registry):
    result = cli("explain", "payment-reminders", "-r", demo_registry, "-c",
                 "days_without_reply=10", "-c", f"amount_due={'1' * 15}.5", "-c",
                 "in_dispute=false", "-c", "reminders_sent=1")
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------------------------
# 7. review-due --fail-on-due never passes over what it cannot read


def test_fail_on_due_fails_when_the_only_automation_is_unreadable(cli, tmp_path):
    repo = company(tmp_path, {"automations/reminders.yaml": "id: [broken\n"})
    result = cli("review-due", "-r", registry(repo), "--fail-on-due")
    assert result.exit_code == 2
    assert "automations/reminders.yaml" in result.output and "format errors" in result.output
    shown = cli("review-due", "-r", registry(repo))  # without the flag: shown, not an error
    assert shown.exit_code == 0 and "Unreadable" in shown.output
    assert "No automation in the registry yet" not in shown.output


def test_fail_on_due_passes_a_registry_with_nothing_due(cli, tmp_path):
    repo = company(tmp_path)
    repo.write("registry/reviews/2024-01-20.yaml", minutes("2024-01-20", "reminders"))
    repo.commit("Review")
    result = cli("review-due", "-r", registry(repo), "--fail-on-due", "--as-of", "2024-01-25")
    assert result.exit_code == 0, result.output


def test_review_due_refuses_a_folder_that_is_not_a_registry(cli, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("hello")
    for extra in ([], ["--no-history"], ["--fail-on-due"]):
        result = cli("review-due", "-r", tmp_path / "docs", *extra)
        assert result.exit_code == 2
        assert "is not a registry" in result.output


# --------------------------------------------------------------------------------------------
# 9. writing where the user points


def test_export_to_dash_writes_to_the_screen(cli, make_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("export", "-r", make_registry(), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("id,name,")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling symlink"])
def test_export_force_replaces_only_a_regular_file(cli, make_registry, tmp_path, kind):
    target = tmp_path / "out.csv"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        target.symlink_to(victim)
    else:
        target.symlink_to(tmp_path / "nowhere.csv")
    result = cli("export", "-r", make_registry(), "-o", target, "--force")
    assert result.exit_code == 2
    assert "only a regular file is replaced" in result.output or "already exists" in result.output
    assert victim.read_text() == "keep me"
    assert target.is_symlink() or stat.S_ISFIFO(target.lstat().st_mode)


def test_export_force_replaces_a_regular_file(cli, make_registry, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    result = cli("export", "-r", make_registry(), "-o", target, "--force")
    assert result.exit_code == 0
    assert target.read_text().startswith("id,name,")


@pytest.mark.parametrize("folder, args", [
    ("reviews", ["review", "record", "--automation", "reminders", "--attendee", "b.owner",
                 "--attendee", "t.tech", "--date", "2024-03-01", "--rules-changed", "no",
                 "--incidents", "none", "--simplify", "no", "--no-input"]),
    ("incidents", ["incident", "add", "--automation", "reminders", "--summary", "Sent twice",
                   "--severity", "low", "--date", "2024-03-01", "--no-input"]),
])
def test_a_folder_linked_outside_the_registry_is_refused_plainly(cli, make_registry, tmp_path,
                                                                 folder, args):
    root = make_registry()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / folder).symlink_to(outside)
    result = cli(*args, "-r", root)
    assert result.exit_code == 2
    assert "is a symbolic link to" in result.output and "nothing was written" in result.output
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("text", ['[tool]\nlivingsys = "x"\n',
                                  '[tool.livingsys]\nregistry = 5\n', 'tool = "x"\n'])
def test_a_malformed_pyproject_setting_is_refused_plainly(cli, tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(text)
    result = cli("lint")
    if text.startswith("tool ="):  # no [tool] table at all: not livingsys's business
        assert "pyproject.toml" not in result.output
    else:
        assert result.exit_code == 2
        assert "[tool.livingsys]" in result.output


def test_a_good_pyproject_setting_names_the_registry(cli, make_registry, tmp_path, monkeypatch):
    make_registry(name="ops")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.livingsys]\nregistry = "ops"\n')
    assert cli("lint").exit_code == 0


def test_diff_does_not_print_a_version_lint_would_refuse(cli, tmp_path):
    from livingsys.reading.yamlsource import MAX_FILE_BYTES

    repo = company(tmp_path)
    path = registry(repo) / "automations" / "reminders.yaml"
    small = path.read_text()
    repo.write("registry/automations/reminders.yaml", small.replace(
        "name: Payment reminders", "name: Payment reminders\ndescription: "
        + "x" * (MAX_FILE_BYTES + 10)))
    repo.commit("Paste a whole export by mistake")
    repo.write("registry/automations/reminders.yaml", small.replace("daily_cap: 40",
                                                                    "daily_cap: 30"))
    repo.commit("Undo the paste, lower the cap")
    result = cli("diff", "HEAD~1..HEAD", "-r", registry(repo))
    assert result.exit_code == 0
    assert len(result.output) < 5_000
    assert "(Y007), so it is not compared" in " ".join(result.output.split())
    whole = cli("diff", "HEAD~2..HEAD", "-r", registry(repo)).output  # both sides readable
    assert "Y007" not in whole and "30" in whole


# --------------------------------------------------------------------------------------------
# issue 8's boundary: a mapping-built alias bomb (cases Y006-mapping-bomb, Y006-a-few-aliases)


def _mapping_aliases(extra: int) -> str:
    """A mapping of 24 keys named 998 times by another mapping, and a list of ``extra``
    values: 49,955 + ``extra`` values once the aliases are expanded."""
    a = "{" + ", ".join(f"k{i}: 0" for i in range(24)) + "}"
    b = "{" + ", ".join(f"x{j}: *a" for j in range(998)) + "}"
    return f"a: &a {a}\nb: {b}\nc: [{', '.join('0' * extra)}]\n"


@pytest.mark.parametrize("extra, refused", [(45, False), (46, True)])
def test_mapping_aliases_are_counted_up_to_the_limit(extra, refused):
    from livingsys.reading.yamlsource import MAX_NODES, parse

    assert MAX_NODES == 50_000  # 45 extra values make exactly 50,000
    codes = [f.code for f in parse(_mapping_aliases(extra), "x.yaml").findings]
    assert codes == (["Y006"] if refused else [])


# --------------------------------------------------------------------------------------------
# 4. no home folder (a service account): never a traceback


def test_commands_work_without_a_home_folder(cli, tmp_path, monkeypatch):
    import pathlib

    def no_home(cls=None):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(pathlib.Path, "home", classmethod(no_home))
    monkeypatch.chdir(tmp_path)
    nothing = cli("lint")  # the registry is looked for in the folders above
    assert nothing.exit_code == 2 and "Traceback" not in nothing.output
    made = cli("init", "--organisation", "X", "--no-input")
    assert made.exit_code == 0, made.output
    assert cli("lint").exit_code == 0
