"""lint's cache: the same report cold, warm, after an edit, after corrupting the cache and
with --no-cache; each thing a result depends on, changed, makes lint check again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import write_files
from livingsys.checks import lint_cache

TODAY = "2026-12-02"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LIVINGSYS_CACHE_DIR", str(folder))
    return folder


def lint(cli, root, *args: str):
    result = cli("lint", "--registry", root, "--today", TODAY, *args)
    return result.exit_code, result.output


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "lint").glob("*.json"))


def poison(cache_dir: Path, text: str = "A FINDING ONLY THE CACHE KNOWS") -> None:
    """Rewrite the cached report as an attacker or a bug would, keeping its digest right: a
    lint that shows this text read the cache; one that does not, ignored it."""
    (file,) = cache_files(cache_dir)
    head, body = file.read_text(encoding="utf-8").split("\n", 1)
    data = json.loads(body)
    data["report"]["findings"].append(
        ["G001", "error", text, None, None, None, None, "business-owner", False, {}])
    body = json.dumps(data)
    header = {**json.loads(head), "digest": lint_cache.digest(body)}
    file.write_text(json.dumps(header) + "\n" + body, encoding="utf-8")


def same_as_without_cache(cli, root, *args: str) -> tuple[int, str]:
    warm = lint(cli, root, *args)
    assert warm == lint(cli, root, "--no-cache", *args)
    return warm


def test_cold_warm_and_no_cache_give_the_same_report_in_every_format(cli, demo_registry,
                                                                      cache_dir):
    for fmt in ("text", "json", "sarif", "github", "concise"):
        cold = lint(cli, demo_registry, "--format", fmt)
        assert cache_files(cache_dir)
        assert lint(cli, demo_registry, "--format", fmt) == cold
        assert lint(cli, demo_registry, "--format", fmt, "--no-cache") == cold


def test_a_warm_lint_reads_the_cache_and_no_cache_does_not(cli, make_registry, cache_dir):
    root = make_registry()
    lint(cli, root)
    poison(cache_dir)
    assert "ONLY THE CACHE KNOWS" in lint(cli, root)[1]
    assert "ONLY THE CACHE KNOWS" not in lint(cli, root, "--no-cache")[1]


def test_one_byte_changed_in_an_automation_is_checked_again(cli, make_registry, cache_dir):
    root = make_registry()
    assert lint(cli, root)[0] == 0
    poison(cache_dir)
    path = root / "automations" / "reminders.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("owner: b.owner", "owner: b.ownef"), encoding="utf-8")
    code, out = same_as_without_cache(cli, root)
    assert code == 1 and "b.ownef" in out and "ONLY THE CACHE KNOWS" not in out
    path.write_text(text, encoding="utf-8")
    assert same_as_without_cache(cli, root)[0] == 0


def test_another_version_of_livingsys_ignores_the_entry_and_rewrites_it(
        cli, make_registry, cache_dir, monkeypatch):
    root = make_registry()
    lint(cli, root)
    poison(cache_dir)
    monkeypatch.setattr("livingsys.__version__", "99.0.0")
    monkeypatch.setattr(lint_cache, "_CODE_STAMP", None)
    assert "ONLY THE CACHE KNOWS" not in lint(cli, root)[1]
    (file,) = cache_files(cache_dir)
    assert json.loads(file.read_text(encoding="utf-8").split("\n", 1)[0])["livingsys"] == "99.0.0"


def test_edited_livingsys_code_ignores_the_entry(cli, make_registry, cache_dir, monkeypatch):
    root = make_registry()
    lint(cli, root)
    poison(cache_dir)
    monkeypatch.setattr(lint_cache, "_CODE_STAMP", "another build")
    assert "ONLY THE CACHE KNOWS" not in lint(cli, root)[1]


def test_another_language_ignores_the_entry(cli, make_registry, cache_dir):
    root = make_registry()
    lint(cli, root)
    poison(cache_dir)
    assert "ONLY THE CACHE KNOWS" in lint(cli, root)[1]
    result = cli("--lang", "fr", "lint", "--registry", root, "--today", TODAY)
    assert "ONLY THE CACHE KNOWS" not in result.output


def test_another_date_checks_the_time_rules_again(cli, make_registry, cache_dir):
    root = make_registry()
    # the content is valid until 2099-12-31: expired the day after, not on the day
    on_the_day = cli("lint", "-r", root, "--today", "2099-12-31", "--format", "json")
    assert "G013" not in on_the_day.output
    after = cli("lint", "-r", root, "--today", "2100-01-01", "--format", "json")
    assert "G013" in after.output
    assert cli("lint", "-r", root, "--today", "2099-12-31", "--format", "json").output == (
        on_the_day.output)
    assert cli("lint", "-r", root, "--today", "2100-01-01", "--format", "json",
               "--no-cache").output == after.output


def test_people_changed_checks_the_owners_again(cli, make_registry, cache_dir):
    root = make_registry()
    assert lint(cli, root)[0] == 0
    people = (root / "people.yaml").read_text(encoding="utf-8")
    (root / "people.yaml").write_text(people.replace("id: b.owner", "id: b.someone"),
                                      encoding="utf-8")
    code, out = same_as_without_cache(cli, root)
    assert code == 1 and "b.owner" in out
    (root / "people.yaml").write_text(people, encoding="utf-8")
    assert same_as_without_cache(cli, root)[0] == 0


def test_a_shared_rule_changed_checks_the_automations_again(cli, make_registry, cache_dir):
    root = make_registry()
    assert lint(cli, root)[0] == 0
    rule = (root / "rules" / "threshold.yaml").read_text(encoding="utf-8")
    (root / "rules" / "threshold.yaml").write_text(rule.replace("id: threshold", "id: other"),
                                                   encoding="utf-8")
    code, out = same_as_without_cache(cli, root, "--format", "json")
    # the automation's uses_rules names a rule that is gone: its own check says so
    assert any(f["path"].endswith("reminders.yaml") and "threshold" in f["message"]
               for f in json.loads(out)["findings"])
    (root / "rules" / "threshold.yaml").write_text(rule, encoding="utf-8")
    assert same_as_without_cache(cli, root)[0] == 0


def test_cross_file_rules_stay_right_when_one_file_changes(cli, make_registry, cache_dir):
    root = make_registry()
    lint(cli, root)
    # a second automation with the same id: both files are concerned, one changed
    text = (root / "automations" / "reminders.yaml").read_text(encoding="utf-8")
    (root / "automations" / "copy.yaml").write_text(text, encoding="utf-8")
    code, out = same_as_without_cache(cli, root, "--format", "json")
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert code == 1 and {"G016", "G017"} <= codes  # duplicate id, id and file name differ
    (root / "automations" / "copy.yaml").unlink()
    assert same_as_without_cache(cli, root)[0] == 0


@pytest.mark.parametrize("damage", ["truncated", "garbage", "not json", "empty", "wrong shape",
                                    "foreign"])
def test_a_damaged_cache_is_ignored_and_rewritten(cli, make_registry, cache_dir, damage):
    root = make_registry()
    other = make_registry(name="other")
    cold = lint(cli, root)
    (file,) = cache_files(cache_dir)
    text = file.read_text(encoding="utf-8")
    if damage == "truncated":
        file.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "garbage":
        file.write_bytes(os.urandom(300))
    elif damage == "not json":
        head, body = text.split("\n", 1)
        file.write_text(head + "\n" + body.replace('"', "'"), encoding="utf-8")
    elif damage == "empty":
        file.write_text("", encoding="utf-8")
    elif damage == "wrong shape":
        body = json.dumps({"key": [1], "report": "x", "files": 3, "probes": None})
        header = {"format": lint_cache.FORMAT, "livingsys": "0.1.0",
                  "digest": lint_cache.digest(body)}
        file.write_text(json.dumps(header) + "\n" + body, encoding="utf-8")
    else:  # the entry of another registry, copied under this one's name
        lint(cli, other, "--format", "json")
        other_file = next(f for f in cache_files(cache_dir) if f != file)
        file.write_text(other_file.read_text(encoding="utf-8"), encoding="utf-8")
    assert lint(cli, root) == cold
    head = file.read_text(encoding="utf-8").split("\n", 1)[0]
    assert json.loads(head)["format"] == lint_cache.FORMAT  # written again
    assert lint(cli, root) == cold


def test_without_a_writable_cache_folder_lint_works_silently(cli, make_registry, tmp_path,
                                                             monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("LIVINGSYS_CACHE_DIR", str(blocker / "cache"))
    root = make_registry()
    assert lint(cli, root) == lint(cli, root, "--no-cache")
    assert lint(cli, root)[0] == 0


def test_an_export_that_appears_is_seen_on_a_warm_lint(cli, make_registry, cache_dir):
    root = make_registry()
    path = root / "automations" / "reminders.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "tool: Make\n", "tool: Make\nsource: {kind: make, export: exports/reminders.json}\n"),
        encoding="utf-8")
    (root.parent / ".git").mkdir()  # the repository's top folder: the registry's parent
    code, out = same_as_without_cache(cli, root)
    assert code == 1 and "G044" in out
    write_files(root.parent, {"exports/reminders.json": "{}"})
    code, out = same_as_without_cache(cli, root)
    assert "G044" not in out


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LIVINGSYS_CACHE_DIR", str(tmp_path / "mine"))
    assert lint_cache.default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("LIVINGSYS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert lint_cache.default_cache_dir() == tmp_path / "xdg" / "livingsys"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert lint_cache.default_cache_dir() == tmp_path / "home" / ".cache" / "livingsys"


def test_the_cache_holds_data_only(cli, demo_registry, cache_dir):
    lint(cli, demo_registry)
    (file,) = cache_files(cache_dir)
    head, body = file.read_text(encoding="utf-8").split("\n", 1)
    assert json.loads(head)["digest"] == lint_cache.digest(body)
    json.loads(body)  # JSON, nothing a loader would execute


def test_a_cache_file_others_may_write_is_not_read(cli, make_registry, cache_dir):
    root = make_registry()
    lint(cli, root)
    poison(cache_dir)
    (file,) = cache_files(cache_dir)
    file.chmod(0o666)
    assert "ONLY THE CACHE KNOWS" not in lint(cli, root)[1]
    assert file.stat().st_mode & 0o022 == 0  # written again, as the user's own
    assert (cache_dir / "lint").stat().st_mode & 0o077 == 0


def test_livingsys_no_cache_turns_it_off(cli, make_registry, cache_dir, monkeypatch):
    root = make_registry()
    lint(cli, root)
    poison(cache_dir)
    monkeypatch.setenv("LIVINGSYS_NO_CACHE", "1")
    assert "ONLY THE CACHE KNOWS" not in lint(cli, root)[1]
