"""`livingsys lint FILE...` (pre-commit passes the files of the commit): those files are
reported, rules between files still hold, the rest is counted, not shown."""

from __future__ import annotations

import json

TODAY = "2026-12-02"


def lint_json(cli, root, *files):
    result = cli("lint", "--registry", root, "--today", TODAY, "--format", "json", *files)
    return result.exit_code, json.loads(result.output)


def codes_by_file(data) -> set[tuple[str, str]]:
    return {(f["path"].rsplit("/", 1)[-1] if f["path"] else "", f["code"])
            for f in data["findings"]}


def broken_registry(make_registry):
    """Two automations, each with a problem of its own (an unknown owner)."""
    root = make_registry()
    text = (root / "automations" / "reminders.yaml").read_text(encoding="utf-8")
    (root / "automations" / "reminders.yaml").write_text(
        text.replace("owner: b.owner", "owner: x.nobody"), encoding="utf-8")
    (root / "automations" / "second.yaml").write_text(
        text.replace("id: reminders", "id: second").replace("owner: b.owner", "owner: y.nobody"),
        encoding="utf-8")
    return root


def test_only_the_files_given_are_reported_and_the_others_counted(cli, make_registry):
    root = broken_registry(make_registry)
    _code, everything = lint_json(cli, root)
    code, data = lint_json(cli, root, root / "automations" / "second.yaml")
    assert code == 1
    assert {p for p, _ in codes_by_file(data)} == {"second.yaml"}
    assert data["summary"]["not_shown"] == len(everything["findings"]) - len(data["findings"])
    assert data["summary"]["not_shown"] > 0
    assert data["summary"]["files_given"] == [f"{root}/automations/second.yaml".replace(
        str(root), data["registry"])]


def test_the_text_summary_says_findings_elsewhere_are_not_shown(cli, make_registry):
    root = broken_registry(make_registry)
    result = cli("lint", "-r", root, "--today", TODAY, root / "automations" / "second.yaml")
    assert "x.nobody" not in result.output and "y.nobody" in result.output
    assert "in other files not shown" in result.output


def test_a_clean_file_given_passes_even_when_others_have_findings(cli, make_registry):
    root = broken_registry(make_registry)
    (root / "automations" / "clean.yaml").write_text(
        (root / "automations" / "reminders.yaml").read_text(encoding="utf-8")
        .replace("id: reminders", "id: clean").replace("owner: x.nobody", "owner: b.owner"),
        encoding="utf-8")
    code, data = lint_json(cli, root, root / "automations" / "clean.yaml")
    assert code == 0 and data["findings"] == []


def test_a_file_that_clashes_with_an_unchanged_one_is_reported_on_both(cli, make_registry):
    root = make_registry()
    # a new file with the id of an existing automation; the duplicate is reported on the
    # file that sorts last (reminders.yaml), which was not given
    text = (root / "automations" / "reminders.yaml").read_text(encoding="utf-8")
    (root / "automations" / "aaa-new.yaml").write_text(text, encoding="utf-8")
    code, data = lint_json(cli, root, root / "automations" / "aaa-new.yaml")
    found = codes_by_file(data)
    assert code == 1
    assert ("reminders.yaml", "G016") in found  # caused by the file given
    assert ("aaa-new.yaml", "G017") in found


def test_an_unrelated_finding_of_another_file_stays_hidden(cli, make_registry):
    root = broken_registry(make_registry)
    text = (root / "automations" / "second.yaml").read_text(encoding="utf-8")
    (root / "automations" / "aaa-new.yaml").write_text(
        text.replace("id: second", "id: aaa-new").replace("owner: y.nobody", "owner: b.owner"),
        encoding="utf-8")
    _code, data = lint_json(cli, root, root / "automations" / "aaa-new.yaml")
    assert "second.yaml" not in {p for p, _ in codes_by_file(data)}


def test_people_given_shows_every_file_it_concerns(cli, make_registry):
    root = make_registry()
    people = (root / "people.yaml").read_text(encoding="utf-8")
    (root / "people.yaml").write_text(people.replace("id: b.owner", "id: b.gone"),
                                      encoding="utf-8")
    code, data = lint_json(cli, root, root / "people.yaml")
    assert code == 1
    assert any(p == "reminders.yaml" for p, _ in codes_by_file(data))
    assert data["summary"]["not_shown"] == 0


def test_files_given_give_the_same_report_with_and_without_the_cache(cli, make_registry):
    root = broken_registry(make_registry)
    given = root / "automations" / "second.yaml"
    first = cli("lint", "-r", root, "--today", TODAY, given).output
    assert cli("lint", "-r", root, "--today", TODAY, given).output == first
    assert cli("lint", "-r", root, "--today", TODAY, "--no-cache", given).output == first
    # and the whole registry afterwards, as if the cache had never seen the files given
    assert (cli("lint", "-r", root, "--today", TODAY).output
            == cli("lint", "-r", root, "--today", TODAY, "--no-cache").output)


def test_a_file_outside_the_registry_or_missing_is_a_usage_error(cli, make_registry, tmp_path):
    root = make_registry()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("id: x\n", encoding="utf-8")
    result = cli("lint", "-r", root, outside)
    assert result.exit_code == 2 and "is not in the registry folder" in result.output
    result = cli("lint", "-r", root, root / "automations" / "missing.yaml")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_without_files_the_report_has_no_files_given(cli, make_registry):
    _code, data = lint_json(cli, make_registry())
    assert "files_given" not in data["summary"] and "not_shown" not in data["summary"]


def test_a_file_lint_does_not_read_shows_nothing_of_the_others(cli, make_registry):
    root = broken_registry(make_registry)
    (root / "README.md").write_text("# Our registry\n", encoding="utf-8")
    code, data = lint_json(cli, root, root / "README.md")
    assert code == 0 and data["findings"] == [] and data["summary"]["not_shown"] > 0


def test_a_shared_rule_given_shows_the_automations_it_concerns(cli, make_registry):
    root = make_registry()
    rule = root / "rules" / "threshold.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("id: threshold", "id: other"),
                    encoding="utf-8")
    code, data = lint_json(cli, root, rule)
    assert code == 1 and any(p == "reminders.yaml" for p, _ in codes_by_file(data))
