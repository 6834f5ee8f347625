"""The pre-commit hook and the CI examples: they parse, and the commands they run are real."""

from __future__ import annotations

import shlex
from pathlib import Path

from conftest import REPO


def read_yaml(path: Path):
    from livingsys.reading.yamlsource import read

    doc = read(path, str(path))
    assert doc.data is not None, [f.message for f in doc.findings]
    return doc.data


def test_pre_commit_hook_runs_a_real_command(cli):
    import re
    import tomllib

    hooks = read_yaml(REPO / ".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "livingsys-lint")
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["always_run"] is False
    assert hook["require_serial"] is True  # one run sees every file of the commit
    assert re.search(hook["files"], "registry/automations/payment-reminders.yaml")
    program, *args = shlex.split(hook["entry"])
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert program in scripts
    result = cli(*args, "-r", REPO / "registry")
    assert result.exit_code == 0, result.output
    # as pre-commit calls it: the files of the commit after the arguments
    files = [REPO / "registry/automations/payment-reminders.yaml", REPO / "registry/people.yaml"]
    result = cli(*args, "-r", REPO / "registry", *files)
    assert result.exit_code == 0, result.output


def test_pre_commit_example_uses_the_hook():
    config = read_yaml(REPO / "examples/pre-commit-config.yaml")
    hooks = read_yaml(REPO / ".pre-commit-hooks.yaml")
    repo = config["repos"][0]
    assert repo["repo"] == "https://github.com/livingsys/livingsys"
    assert repo["rev"] == "v0.1.0"
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks}


def test_github_actions_example(cli, demo_registry, monkeypatch):
    workflow = read_yaml(REPO / "examples/github-actions.yml")
    assert "on" in workflow
    steps = workflow["jobs"]["lint"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"] == "always()"
    runs = [s["run"] for s in steps if "run" in s and s["run"].startswith("livingsys ")]
    assert any("--format github" in r for r in runs)
    sarif = next(r for r in runs if "--format sarif" in r)
    assert f"-o {upload['with']['sarif_file']}" in sarif
    # every livingsys command of the workflow runs, in a checkout holding ./registry
    monkeypatch.chdir(demo_registry.parent)
    for run in runs:
        result = cli(*shlex.split(run)[1:])
        assert result.exit_code == 0, (run, result.output)
    assert (demo_registry.parent / "livingsys.sarif").is_file()


def test_pages_example_builds_the_site_with_full_history(cli, demo_registry, monkeypatch):
    workflow = read_yaml(REPO / "examples/pages.yml")
    assert "on" in workflow and workflow["permissions"]["pages"] == "write"
    steps = workflow["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "actions/upload-pages-artifact"))
    runs = [s["run"] for s in steps if "run" in s and s["run"].startswith("livingsys ")]
    assert runs == [f"livingsys site --output {upload['with']['path']}"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    # the command runs, in a checkout holding ./registry, and writes what is uploaded
    monkeypatch.chdir(demo_registry.parent)
    result = cli(*shlex.split(runs[0])[1:])
    assert result.exit_code == 0, result.output
    assert (demo_registry.parent / upload["with"]["path"] / "index.html").is_file()


def test_gitlab_pages_example_builds_the_site_with_full_history(cli, demo_registry,
                                                                 monkeypatch):
    job = read_yaml(REPO / "examples/gitlab-pages.yml")["pages"]
    assert job["variables"]["GIT_DEPTH"] == 0
    runs = [r for r in job["script"] if r.startswith("livingsys ")]
    assert runs == ["livingsys site --output public"] and job["artifacts"]["paths"] == ["public"]
    monkeypatch.chdir(demo_registry.parent)
    result = cli(*shlex.split(runs[0])[1:])
    assert result.exit_code == 0, result.output
    assert (demo_registry.parent / "public" / "index.html").is_file()
