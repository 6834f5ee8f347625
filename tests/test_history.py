"""The history reader, on real git repositories built by running git (see gitrepo.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from gitrepo import GitRepo
from livingsys.history import (
    FileVersion,
    History,
    HistoryError,
    open_history,
    open_history_soon,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def automation(ident: str, *, threshold: int = 5000, owner: str = "c.moreau",
               cap: int = 40, comment: str = "") -> str:
    return f"""{comment}id: {ident}
name: Payment reminders
owner: {owner}
exceptions:
  - id: over-threshold
    if: the amount is above {threshold} EUR
    then: the owner calls the client
    when: amount_due > {threshold}
    handled_by: {owner}
guardrails:
  daily_cap: {cap}
"""


def opened(repo: GitRepo, folder: str = "registry", **kwargs) -> History:
    return open_history(repo.root / folder, **kwargs)


@pytest.fixture
def company(tmp_path: Path) -> GitRepo:
    """A registry with a small, linear history."""
    repo = GitRepo(tmp_path / "company")
    repo.write("README.md", "# Company\n")
    repo.write("registry/livingsys.yaml", "organisation: ACME\n")
    repo.write("registry/automations/reminders.yaml", automation("reminders"))
    repo.commit("Registry: first version", author="Claire Moreau <claire@acme.fr>")
    repo.write("registry/automations/reminders.yaml", automation("reminders", threshold=3000))
    repo.commit("Lower the reminder threshold to 3000", author="Jean Dupont <jean@acme.fr>")
    repo.write("README.md", "# Company\n\nNothing to do with the registry.\n")
    repo.commit("Readme")
    repo.write("registry/automations/reminders.yaml",
               automation("reminders", threshold=3000, cap=20))
    repo.commit("Daily cap 20")
    return repo


# ------------------------------------------------------------------------------------- basics


def test_versions_in_order_with_commit_author_date_and_subject(company: GitRepo) -> None:
    with opened(company) as history:
        versions = history.versions("automations/reminders.yaml")
    assert [v.change for v in versions] == ["added", "modified", "modified"]
    assert [v.subject for v in versions] == [
        "Registry: first version", "Lower the reminder threshold to 3000", "Daily cap 20"]
    first, second, _ = versions
    assert first.author_name == "Claire Moreau" and first.author_email == "claire@acme.fr"
    assert second.author_name == "Jean Dupont"
    assert all(v.date.tzinfo is not None for v in versions)
    assert first.date == dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert versions[0].date < versions[1].date < versions[2].date
    assert len({v.sha for v in versions}) == 3 and all(len(v.sha) == 40 for v in versions)


def test_texts_and_parsed_data_are_read_lazily(company: GitRepo) -> None:
    with opened(company) as history:
        first, second, third = history.versions("automations/reminders.yaml")
        assert history._blobs == {}  # nothing read yet
        assert "amount_due > 5000" in first.text
        assert second.data["exceptions"][0]["when"] == "amount_due > 3000"
        assert third.data["guardrails"]["daily_cap"] == 20
        assert second.document is history.document(second)  # parsed once, cached


def test_registry_files_and_paths_are_relative_to_the_registry(company: GitRepo) -> None:
    with opened(company) as history:
        assert history.files() == ["automations/reminders.yaml", "livingsys.yaml"]
        assert history.files(under="automations") == ["automations/reminders.yaml"]
        assert history.prefix == "registry"
        # the README commit does not touch the registry: not on the registry's main line
        assert [c.subject for c in history.mainline] == [
            "Registry: first version", "Lower the reminder threshold to 3000", "Daily cap 20"]


def test_one_git_log_for_the_whole_history(company: GitRepo, monkeypatch) -> None:
    """The design promise: one `git log` for all files, not one per file."""
    import git

    calls: list[list[str]] = []
    original = git.Git.execute

    def spy(self, command, *args, **kwargs):
        if isinstance(command, (list, tuple)):
            calls.append([str(c) for c in command])
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(git.Git, "execute", spy)
    with opened(company) as history:
        for path in history.files():
            for version in history.versions(path):
                assert version.text
    logs = [c for c in calls if "log" in c]
    assert len(logs) == 1
    assert {"--raw", "-M", "-z", "--no-abbrev"} <= set(logs[0])


def test_a_history_opened_in_the_background_is_the_same(company: GitRepo) -> None:
    """review-due starts reading git before it reads the registry: what it gets then is
    what open_history gives, and so are the errors (raised when the result is asked for)."""
    opening = open_history_soon(company.root / "registry")
    with opening.result() as background, opened(company) as direct:
        assert background.head == direct.head
        assert [v.sha for v in background.versions("automations/reminders.yaml")] == [
            v.sha for v in direct.versions("automations/reminders.yaml")]
    opening.close()  # closing again, after use, is harmless
    missing = open_history_soon(company.root / "nowhere")
    with pytest.raises(HistoryError) as caught:
        missing.result()
    assert caught.value.kind == "not_found"
    missing.close()


def test_to_dict_is_plain_json(company: GitRepo) -> None:
    import json

    with opened(company) as history:
        data = history.current("automations/reminders.yaml").to_dict()
    assert json.loads(json.dumps(data))["subject"] == "Daily cap 20"
    assert data["change"] == "modified" and data["via_merge"] is None


# ------------------------------------------------------------------------------------- renames


def test_a_renamed_file_keeps_its_history(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/automations/a.yaml", automation("a"))
    repo.commit("Add a")
    repo.write("registry/automations/a.yaml", automation("a", threshold=4000))
    repo.commit("a: threshold 4000")
    repo.mv("registry/automations/a.yaml", "registry/automations/b.yaml")
    repo.write("registry/automations/b.yaml", automation("b", threshold=4000))
    repo.commit("Rename a to b")
    repo.write("registry/automations/b.yaml", automation("b", threshold=3000))
    repo.commit("b: threshold 3000")
    with opened(repo) as history:
        versions = history.versions("automations/b.yaml")
        assert [(v.change, v.path) for v in versions] == [
            ("added", "automations/a.yaml"), ("modified", "automations/a.yaml"),
            ("renamed", "automations/b.yaml"), ("modified", "automations/b.yaml")]
        assert versions[2].old_path == "automations/a.yaml"
        # the old name leads to the same history; only the new name exists now
        assert history.versions("automations/a.yaml") == versions
        assert history.files() == ["automations/b.yaml"]
        assert history.first_commit_touching("automations/b.yaml").subject == "Add a"


def test_swapping_two_files_in_one_commit_reads_as_two_edits(tmp_path: Path) -> None:
    """git detects renames among deleted and added paths only (no -B, which would cost a
    similarity check of every modified file): a swap is two edits, and nothing breaks."""
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/a.yaml", automation("a", owner="alice"))
    repo.write("registry/b.yaml", automation("b", owner="bob"))
    repo.commit("Add a and b")
    repo.git("mv", "registry/a.yaml", "registry/tmp.yaml")
    repo.git("mv", "registry/b.yaml", "registry/a.yaml")
    repo.git("mv", "registry/tmp.yaml", "registry/b.yaml")
    repo.commit("Swap")
    with opened(repo) as history:
        assert "owner: bob" in history.current("a.yaml").text
        assert [v.change for v in history.versions("a.yaml")] == ["added", "modified"]
        assert "owner: alice" in history.current("b.yaml").text


# ------------------------------------------------------------------------------------- merges


@pytest.fixture
def merged(tmp_path: Path) -> dict:
    """main: add; branch 'threshold': two commits on reminders; main: a people change; merge."""
    repo = GitRepo(tmp_path / "merged")
    repo.write("registry/automations/reminders.yaml", automation("reminders"))
    repo.write("registry/people.yaml", "people: []\n")
    base = repo.commit("Add reminders")
    repo.branch("threshold")
    repo.write("registry/automations/reminders.yaml", automation("reminders", threshold=4000))
    b1 = repo.commit("Threshold 4000", author="Jean Dupont <jean@acme.fr>")
    repo.write("registry/automations/reminders.yaml", automation("reminders", threshold=3000))
    b2 = repo.commit("Threshold 3000", author="Jean Dupont <jean@acme.fr>")
    repo.checkout("main")
    repo.write("registry/people.yaml", "people: [{id: c.moreau}]\n")
    m1 = repo.commit("People: Claire")
    repo.write("README.md", "unrelated\n")
    repo.commit("Unrelated")
    merge = repo.merge("threshold", "Merge the new threshold")
    repo.write("README.md", "unrelated again\n")
    after = repo.commit("Unrelated after the merge")
    return {"repo": repo, "base": base, "b1": b1, "b2": b2, "m1": m1, "merge": merge,
            "after": after}


def test_merge_versions_follow_the_main_line_and_credit_the_branch_commit(merged: dict) -> None:
    with opened(merged["repo"]) as history:
        versions = history.versions("automations/reminders.yaml")
        assert len(versions) == 2  # the branch's 4000 never was the main line's state
        added, from_branch = versions
        assert added.commit.sha == merged["base"]
        assert from_branch.commit.sha == merged["merge"] and from_branch.via_merge
        assert from_branch.authored_by.sha == merged["b2"]
        assert from_branch.author_name == "Jean Dupont"
        assert from_branch.subject == "Threshold 3000"
        assert [c.sha for c in from_branch.contributors] == [merged["b1"], merged["b2"]]
        assert "amount_due > 3000" in from_branch.text
        # the main-line change made meanwhile is its own version, not credited to the branch
        people = history.versions("people.yaml")
        assert [v.commit.sha for v in people] == [merged["base"], merged["m1"]]
        assert history.landing(merged["b1"]).sha == merged["merge"]
        assert history.is_mainline(merged["merge"]) and not history.is_mainline(merged["b1"])


def test_version_at_a_branch_commit_is_exact(merged: dict) -> None:
    with opened(merged["repo"]) as history:
        at_b1 = history.version_at("automations/reminders.yaml", merged["b1"])
        assert "amount_due > 4000" in at_b1.text and at_b1.sha == merged["b1"]
        at_m1 = history.version_at("automations/reminders.yaml", merged["m1"])
        assert "amount_due > 5000" in at_m1.text
        # a commit that does not touch the registry: the state of its nearest ancestor
        at_after = history.version_at("automations/reminders.yaml", merged["after"])
        assert at_after is history.current("automations/reminders.yaml")
        assert history.version_at("automations/reminders.yaml", "HEAD~1").commit.sha \
            == merged["merge"]
        # what changed since the branch's first commit: the merged version
        since = history.versions_between("automations/reminders.yaml", merged["b1"])
        assert [v.commit.sha for v in since] == [merged["merge"]]
        assert [c.sha for c in history.commits_touching("automations/reminders.yaml",
                                                          merged["base"])] == \
            [merged["b1"], merged["b2"]]


def test_a_merge_that_combines_both_sides_is_its_own_author(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    text = automation("reminders")
    repo.write("registry/automations/reminders.yaml", text)
    repo.commit("Add")
    repo.branch("cap")
    repo.write("registry/automations/reminders.yaml", text.replace("daily_cap: 40",
                                                                   "daily_cap: 20"))
    branch = repo.commit("Cap 20")
    repo.checkout("main")
    repo.write("registry/automations/reminders.yaml", text.replace("name: Payment reminders",
                                                                   "name: Reminders"))
    main = repo.commit("Rename the automation")
    merge = repo.merge("cap", "Merge cap")
    with opened(repo) as history:
        versions = history.versions("automations/reminders.yaml")
        assert [v.commit.sha for v in versions][1:] == [main, merge]
        last = versions[-1]
        assert last.authored_by.sha == merge  # new content: nobody on the branch wrote it
        assert [c.sha for c in last.contributors] == [branch]
        assert "daily_cap: 20" in last.text and "name: Reminders" in last.text


def test_fast_forward_merge_keeps_branch_commits_on_the_main_line(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/a.yaml", automation("a"))
    repo.commit("Add")
    repo.branch("f")
    repo.write("registry/a.yaml", automation("a", cap=10))
    c = repo.commit("Cap 10")
    repo.checkout("main")
    repo.merge("f", ff=True)
    with opened(repo) as history:
        assert history.current("a.yaml").commit.sha == c
        assert history.current("a.yaml").via_merge is None


# ------------------------------------------------------------------------------ deleted files


def test_deleted_file_and_recreated_file(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/automations/old.yaml", automation("old"))
    repo.write("registry/automations/kept.yaml", automation("kept"))
    repo.commit("Add two")
    repo.delete("registry/automations/old.yaml")
    deleted = repo.commit("Retire old")
    with opened(repo) as history:
        versions = history.versions("automations/old.yaml")
        assert [v.change for v in versions] == ["added", "deleted"]
        assert versions[-1].blob is None and not versions[-1].exists
        assert versions[-1].text is None and versions[-1].data is None
        assert versions[-1].commit.sha == deleted
        assert history.files() == ["automations/kept.yaml"]
        assert history.files(include_deleted=True) == ["automations/kept.yaml",
                                                       "automations/old.yaml"]
    repo.write("registry/automations/old.yaml", automation("old", owner="j.dupont"))
    repo.commit("Bring old back")
    with opened(repo) as history:
        assert [v.change for v in history.versions("automations/old.yaml")] == [
            "added", "deleted", "added"]


# ------------------------------------------------------------------------ bad files and text


def test_a_version_that_is_not_valid_yaml_keeps_its_findings(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/automations/a.yaml", "id: a\nname: [unclosed\n")
    repo.commit("Broken")
    repo.write("registry/automations/a.yaml", b"id: a\nname: caf\xe9\n")  # Latin-1
    repo.commit("Latin-1")
    repo.write("registry/automations/a.yaml", automation("a"))
    repo.commit("Fixed")
    with opened(repo) as history:
        broken, latin1, fixed = history.versions("automations/a.yaml")
        assert broken.data is None
        assert broken.document.findings and broken.document.findings[0].line is not None
        assert broken.document.findings[0].path == "automations/a.yaml"
        assert latin1.data is None and latin1.text is None
        assert "UTF-8" in latin1.document.findings[0].message
        assert fixed.data["id"] == "a" and not fixed.document.findings


def test_non_utf8_commit_messages_and_names_never_crash(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/a.yaml", automation("a"))
    # declared Latin-1: git converts it to UTF-8 for us
    repo.commit("Seuil abaiss\xe9 \xe0 3000".encode("latin-1"),
                author="H\xe9l\xe8ne Fran\xe7ois <helene@acme.fr>".encode("latin-1"),
                encoding="latin1")
    repo.write("registry/a.yaml", automation("a", threshold=3000))
    # invalid UTF-8 with no encoding declared (git commit would repair it; a raw object not)
    repo.commit_raw(b"Broken \xff\xfe message", author=b"Bad \xff Name <bad@acme.fr>")
    repo.write("registry/a.yaml", automation("a", threshold=2000))
    # an encoding git does not know
    repo.commit_raw(b"Odd \xe9 encoding", author=b"Odd <odd@acme.fr>",
                    encoding=b"x-no-such-charset")
    with opened(repo) as history:
        first, second, third = history.versions("a.yaml")
        assert third.data["exceptions"][0]["when"] == "amount_due > 2000"
    assert first.subject == "Seuil abaissé à 3000"
    assert first.author_name == "Hélène François"
    assert second.subject.startswith("Broken ") and "\ufffd" in second.subject
    assert "\ufffd" in second.author_name and second.author_email == "bad@acme.fr"
    assert third.subject.startswith("Odd ") and third.author_name == "Odd"


def test_paths_with_spaces_and_unicode(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "société démo")
    repo.write("mon registre/automations/relances clients é.yaml", automation("x"))
    repo.commit("Add")
    repo.mv("mon registre/automations/relances clients é.yaml",
            "mon registre/automations/relances «VIP».yaml")
    repo.commit("Rename")
    with opened(repo, "mon registre") as history:
        assert history.files() == ["automations/relances «VIP».yaml"]
        versions = history.versions("automations/relances «VIP».yaml")
        assert [v.path for v in versions] == ["automations/relances clients é.yaml",
                                              "automations/relances «VIP».yaml"]
        assert versions[-1].data["id"] == "x"


def test_registry_at_the_repository_root(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "root")
    repo.write("livingsys.yaml", "organisation: ACME\n")
    repo.write("automations/a.yaml", automation("a"))
    repo.commit("Registry at the root")
    with open_history(repo.root) as history:
        assert history.prefix == ""
        assert history.files() == ["automations/a.yaml", "livingsys.yaml"]
        repo.write("automations/b.yaml", automation("b"))
        assert history.uncommitted() == {"automations/b.yaml": "untracked"}


def test_registry_folder_reached_through_a_relative_path(company: GitRepo, monkeypatch) -> None:
    monkeypatch.chdir(company.root)
    with open_history("registry") as history:
        assert "automations/reminders.yaml" in history.files()


# ------------------------------------------------------------------------ dates and commits


def test_version_at_a_date_and_between_versions(company: GitRepo) -> None:
    path = "automations/reminders.yaml"
    with opened(company) as history:
        v1, v2, v3 = history.versions(path)
        assert history.version_at(path, dt.date(2024, 1, 7)) is None
        assert history.version_at(path, dt.date(2024, 1, 8)) is v1
        assert history.version_at(path, dt.date(2024, 1, 10)) is v2  # the Readme day
        assert history.version_at(path, dt.date(2030, 1, 1)) is v3
        noon = dt.datetime(2024, 1, 9, 12, 0, tzinfo=dt.UTC)
        assert history.version_at(path, noon) is v2
        with pytest.raises(ValueError):
            history.version_at(path, dt.datetime(2024, 1, 9, 12, 0))
        assert history.versions_between(path, v1) == [v2, v3]
        assert history.versions_between(path, dt.date(2024, 1, 9)) == [v3]
        assert history.version_at(path, "2024-01-09") is v2
        assert history.versions_between(path, None, until=v2.sha) == [v1, v2]
        assert [c.subject for c in history.commits_touching(path, v1)] == [
            "Lower the reminder threshold to 3000", "Daily cap 20"]
        assert history.version_at(path, v2.sha[:8]) is v2
        assert history.last_commit_touching(path).sha == v3.sha


def test_commits_that_exist_and_commits_that_do_not(merged: dict, tmp_path: Path) -> None:
    repo: GitRepo = merged["repo"]
    repo.branch("elsewhere")
    repo.write("registry/other.yaml", "x: 1\n")
    elsewhere = repo.commit("Not on main")
    repo.checkout("main")
    with opened(repo) as history:
        assert history.commit_exists(merged["b1"])
        assert history.commit_exists(merged["after"])  # not a registry commit, but history
        assert history.commit_exists(merged["merge"][:12])
        assert not history.commit_exists("0" * 40)
        assert not history.commit_exists(elsewhere)
        with pytest.raises(HistoryError) as missing:
            history.require_commit("1234567890abcdef1234567890abcdef12345678")
        assert missing.value.kind == "missing_commit" and missing.value.hint
        with pytest.raises(HistoryError) as other:
            history.version_at("automations/reminders.yaml", elsewhere)
        assert other.value.kind == "not_in_history"
        assert history.commit("HEAD").sha == merged["merge"]  # nearest registry commit


def test_a_commit_older_than_the_registry(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("README.md", "hello\n")
    before = repo.commit("Before the registry")
    repo.write("registry/a.yaml", automation("a"))
    repo.commit("Registry")
    with opened(repo) as history:
        assert history.commit_exists(before)
        assert history.version_at("a.yaml", before) is None


# ------------------------------------------------------------------------ what git can't give


def test_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    with pytest.raises(HistoryError) as err:
        open_history(tmp_path / "registry")
    assert err.value.kind == "no_repo"
    assert "git init" in err.value.hint and "commit" in err.value.hint


def test_missing_registry_folder(tmp_path: Path) -> None:
    with pytest.raises(HistoryError) as err:
        open_history(tmp_path / "nowhere")
    assert err.value.kind == "not_found"


def test_repository_without_commits_or_without_the_registry(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "empty")
    repo.write("registry/a.yaml", automation("a"))
    with pytest.raises(HistoryError) as err:
        opened(repo)
    assert err.value.kind == "no_commits" and "commit" in err.value.hint
    repo.write("README.md", "x\n")
    repo.add("README.md")
    repo.commit("Only the readme", add=False)
    with pytest.raises(HistoryError) as err:
        opened(repo)
    assert err.value.kind == "no_commits" and "git add registry" in err.value.hint


def test_shallow_clone_is_detected(company: GitRepo, tmp_path: Path) -> None:
    clone = company.clone(tmp_path / "shallow", depth=1)
    with pytest.raises(HistoryError) as err:
        opened(clone)
    assert err.value.kind == "shallow"
    assert "fetch-depth: 0" in err.value.hint and "git fetch --unshallow" in err.value.hint
    with opened(clone, allow_shallow=True) as history:
        assert history.shallow
        assert history.shallow_error().kind == "shallow"
        assert len(history.versions("automations/reminders.yaml")) == 1
        with pytest.raises(HistoryError) as gone:
            history.require_commit(company.git("rev-parse", "HEAD~3"))
        assert gone.value.kind == "missing_commit" and "fetch-depth: 0" in gone.value.hint
    full = company.clone(tmp_path / "full")
    with opened(full) as history:
        assert not history.shallow and history.shallow_error() is None
        assert len(history.versions("automations/reminders.yaml")) == 3


# ------------------------------------------------------------------------ the working tree


def test_uncommitted_and_untracked_changes(company: GitRepo) -> None:
    company.write("registry/automations/reminders.yaml",
                  automation("reminders", threshold=1000))          # modified, not staged
    company.write("registry/automations/new.yaml", automation("new"))  # untracked
    company.write("registry/rules/staged.yaml", "id: staged\n")
    company.add("registry/rules/staged.yaml")                          # added (staged)
    (company.root / "registry/livingsys.yaml").unlink()                 # deleted
    company.write("README.md", "outside the registry\n")               # not reported
    with opened(company) as history:
        assert history.uncommitted() == {
            "automations/new.yaml": "untracked",
            "automations/reminders.yaml": "modified",
            "livingsys.yaml": "deleted",
            "rules/staged.yaml": "added",
        }


def test_clean_working_tree_has_nothing_uncommitted(company: GitRepo) -> None:
    with opened(company) as history:
        assert history.uncommitted() == {}


def test_history_error_reads_plainly() -> None:
    err = HistoryError("shallow", "message", "hint")
    assert str(err) == "message" and err.to_dict() == {"kind": "shallow", "message": "message",
                                                       "hint": "hint"}


def test_versions_of_an_unknown_file(company: GitRepo) -> None:
    with opened(company) as history:
        assert history.versions("automations/nope.yaml") == []
        assert history.current("automations/nope.yaml") is None
        assert history.version_at("automations/nope.yaml", "HEAD") is None
        assert history.first_commit_touching("automations/nope.yaml") is None


def test_file_version_repr_is_short(company: GitRepo) -> None:
    with opened(company) as history:
        text = repr(history.current("automations/reminders.yaml"))
    assert text.startswith("FileVersion('automations/reminders.yaml', modified")
    assert isinstance(history.current("automations/reminders.yaml"), FileVersion)


def test_rename_on_a_branch_and_main_merged_into_the_branch(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/automations/a.yaml", automation("a"))
    repo.write("registry/people.yaml", "people: []\n")
    repo.commit("Add")
    repo.branch("rename")
    repo.mv("registry/automations/a.yaml", "registry/automations/b.yaml")
    renamed = repo.commit("Rename a to b")
    repo.checkout("main")
    repo.write("registry/people.yaml", "people: [{id: x}]\n")
    repo.commit("People")
    repo.checkout("rename")
    repo.merge("main", "Update the branch with main")  # a merge on the branch
    repo.write("registry/automations/b.yaml", automation("b", cap=5))
    capped = repo.commit("b: cap 5")
    repo.checkout("main")
    merge = repo.merge("rename", "Merge rename")
    with opened(repo) as history:
        versions = history.versions("automations/b.yaml")
        assert [v.change for v in versions] == ["added", "renamed"]
        last = versions[-1]
        assert last.commit.sha == merge and last.old_path == "automations/a.yaml"
        assert last.authored_by.sha == capped
        assert [c.sha for c in last.contributors] == [renamed, capped]
        assert history.version_at("automations/b.yaml", renamed).path == "automations/b.yaml"
        assert [v.commit.subject for v in history.versions("people.yaml")] == ["Add", "People"]


def test_a_branch_deleting_a_file_and_an_unrelated_root(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("registry/a.yaml", automation("a"))
    repo.write("registry/b.yaml", automation("b"))
    repo.commit("Add")
    repo.branch("cleanup")
    repo.delete("registry/b.yaml")
    removal = repo.commit("Retire b")
    repo.checkout("main")
    repo.git("checkout", "-q", "--orphan", "imported")
    repo.git("rm", "-rq", "--cached", ".")
    for leftover in ("registry/a.yaml", "registry/b.yaml"):
        (repo.root / leftover).unlink()
    repo.write("registry/imported.yaml", "x: 1\n")
    repo.commit("Imported from elsewhere")
    repo.checkout("main")
    repo.merge("cleanup", "Merge cleanup")
    repo.merge("imported", "Merge the imported registry", unrelated=True)
    with opened(repo) as history:
        deleted = history.current("b.yaml")
        assert deleted.change == "deleted" and deleted.authored_by.sha == removal
        assert history.files() == ["a.yaml", "imported.yaml"]
        assert history.current("imported.yaml").subject == "Imported from elsewhere"
