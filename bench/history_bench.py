"""Benchmark: the one-pass history reader against the floor, `git log --name-status -M`.

Builds, in a temporary folder and with `git fast-import`, a repository whose registry holds
``--files`` small automation files and ``--commits`` commits each touching 1 to 3 of them (a
threshold, a daily cap, an owner, a status, a comment...; about 1 % are renames, and every
``--review-every`` commits the minutes of a review are added). Then it times, in the same
run and on the same history:

(a) what ``review-due`` does: open the history (one ``git log``), read the text of every
    version of every file (one ``git cat-file --batch``), and for each automation parse the
    version at the last review and the current one (parses cached per blob) and compare them
    semantically, listing the commits in between;
(b) ``git log --name-status -M`` over the registry folder: the floor.

It prints both times and their ratio (the target is 3x or less). Each side runs ``--repeat``
times after a warm-up; the best time counts.

    python bench/history_bench.py                       # 1,000 files, 20,000 commits
    python bench/history_bench.py --files 20 --commits 200 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from livingsys.history import open_history  # noqa: E402
from livingsys.semantic_diff import diff_automation  # noqa: E402

PEOPLE = ["c.moreau", "j.dupont", "a.martin", "l.bernard", "s.petit", "m.durand", "n.leroy"]
TOOLS = ["Make", "Zapier", "n8n", "Power Automate"]
CADENCES = ["monthly", "quarterly"]
EPOCH = 1_672_531_200  # 2023-01-01


def render(state: dict) -> bytes:
    """A realistic automation file (about 60 lines)."""
    s = state
    status = f"status: {s['status']}\n"
    if s["status"] == "paused":
        status += ("status_reason: cut after reminders went to the wrong clients\n"
                   f"status_since: 2024-0{1 + s['rev'] % 9}-1{s['rev'] % 9}\n")
    comment = f"# revised {s['rev']} times\n" if s["comment"] else ""
    return f"""{comment}id: {s['id']}
name: {s['name']}
description: >
  Sends payment reminders for unpaid invoices and escalates large amounts to the
  account owner. Part of the collections process.
{status}owner: {s['owner']}
maintainer: agency-{s['tool'].lower().replace(' ', '-')}
tool: {s['tool']}
location: "{s['tool']} / Finance / {s['id']}"
key: {str(s['key']).lower()}
criticality: medium
trigger: every morning at 8, for invoices unpaid {s['days']} days after their due date
perimeter: first
facts:
  - name: days_without_reply
    type: int
    unit: days
  - name: amount_due
    type: number
    unit: EUR
steps:
  - id: detect
    kind: automatic
    does: list the invoices unpaid for {s['days']} days
    by: {s['tool']}
  - id: draft
    kind: ai
    does: draft a polite reminder in the client's language
    by: assistant
  - id: validate
    kind: human
    does: check the draft and the amount
    by: {s['owner']}
  - id: send
    kind: automatic
    does: send the reminder
    sends:
      - audience: client
        channel: email
        content: reminder-mail
rules:
  - id: remind
    if: an invoice is unpaid {s['days']} days after its due date
    then: send a reminder
    when: days_without_reply >= {s['days']} && amount_due <= {s['threshold']}
exceptions:
  - id: over-threshold
    if: the amount is above {s['threshold']} EUR
    then: the account owner calls the client
    when: amount_due > {s['threshold']}
    handled_by: {s['owner']}
guardrails:
  human_validation:
    by: {s['owner']}
    scope: all
  daily_cap: {s['cap']}
  notify_on_exception:
    channel: "#collections"
  kill_switch: turn off the scenario '{s['id']}' in {s['tool']}
uses_rules: [payment-threshold]
content:
  - id: reminder-mail
    description: reminder email template
    valid_until: 2025-12-31
review:
  cadence: {s['cadence']}
""".encode()


def mutate(state: dict, rng: random.Random) -> str:
    """Change one thing; returns the commit message."""
    state["rev"] += 1
    what = rng.randrange(8)
    if what == 0:
        state["threshold"] = rng.choice([3000, 4000, 5000, 7500])
        return f"{state['id']}: threshold {state['threshold']} EUR"
    if what == 1:
        state["cap"] = rng.choice([10, 20, 40, 80])
        return f"{state['id']}: daily cap {state['cap']}"
    if what == 2:
        state["owner"] = rng.choice(PEOPLE)
        return f"{state['id']}: owner is now {state['owner']}"
    if what == 3:
        state["status"] = "paused" if state["status"] == "active" else "active"
        return f"{state['id']}: {state['status']}"
    if what == 4:
        state["days"] = rng.choice([5, 7, 10, 14])
        return f"{state['id']}: remind after {state['days']} days"
    if what == 5:
        state["cadence"] = rng.choice(CADENCES)
        return f"{state['id']}: review {state['cadence']}"
    state["comment"] = not state["comment"]
    return f"{state['id']}: comment"


def fast_import_stream(files: int, commits: int, review_every: int, seed: int):
    rng = random.Random(seed)
    states = []
    for i in range(files):
        ident = f"auto-{i:04d}"
        states.append({"id": ident, "name": f"Reminders {i}", "owner": rng.choice(PEOPLE),
                       "tool": rng.choice(TOOLS), "key": i % 7 == 0, "days": 7,
                       "threshold": 5000, "cap": 40, "status": "active",
                       "cadence": rng.choice(CADENCES), "rev": 0, "comment": False})
    when = EPOCH
    mark = 0

    def data(raw: bytes) -> bytes:
        return b"data %d\n%s\n" % (len(raw), raw)

    def header(message: str, who: str) -> bytes:
        nonlocal when, mark
        when += rng.randrange(600, 3600)
        mark += 1
        person = f"{who} <{who}@example.com> {when} +0100"
        out = b"commit refs/heads/main\nmark :%d\nauthor %s\ncommitter %s\n" % (
            mark, person.encode(), person.encode())
        out += data(message.encode())
        if mark > 1:
            out += b"from :%d\n" % (mark - 1)
        return out

    # the first commit: settings, people, the shared rule and every automation
    parts = [header("Registry: first version", "c.moreau")]
    parts.append(b"M 100644 inline registry/livingsys.yaml\n" + data(b"organisation: Bench\n"))
    parts.append(b"M 100644 inline registry/rules/payment-threshold.yaml\n" + data(
        b"id: payment-threshold\nname: Threshold\nstatement: above 5000 EUR a person calls\n"
        b"parameters:\n  amount_threshold_eur: 5000\n"))
    for s in states:
        parts.append(b"M 100644 inline registry/automations/%s.yaml\n" % s["id"].encode()
                     + data(render(s)))
    yield b"".join(parts)
    reviews = 0
    for n in range(1, commits):
        if review_every and n % review_every == 0:
            reviews += 1
            day = time.strftime("%Y-%m-%d", time.gmtime(when + 3600))
            listed = rng.sample(states, min(3, len(states)))
            body = f"date: {day}\nattendees: [c.moreau]\nautomations:\n" + "".join(
                f"  - id: {s['id']}\n    answers: {{rules_changed: no, incidents: none, "
                f"simplify: no}}\n" for s in listed)
            yield header(f"Review of {day}", "c.moreau") + (
                b"M 100644 inline registry/reviews/%s-%d.yaml\n" % (day.encode(), reviews)
                + data(body.encode()))
            continue
        touched = rng.sample(range(len(states)), rng.choice([1, 1, 2, 3]))
        if rng.random() < 0.01:  # a rename: the id changes with the file name
            s = states[touched[0]]
            old = s["id"]
            s["id"] = f"{old}-v{s['rev'] + 1}"
            s["rev"] += 1
            yield header(f"Rename {old} to {s['id']}", rng.choice(PEOPLE)) + (
                b"R registry/automations/%s.yaml registry/automations/%s.yaml\n"
                % (old.encode(), s["id"].encode())
                + b"M 100644 inline registry/automations/%s.yaml\n" % s["id"].encode()
                + data(render(s)))
            continue
        messages = []
        ops = []
        for i in touched:
            s = states[i]
            messages.append(mutate(s, rng))
            ops.append(b"M 100644 inline registry/automations/%s.yaml\n" % s["id"].encode()
                       + data(render(s)))
        yield header("; ".join(messages), rng.choice(PEOPLE)) + b"".join(ops)


def build(dest: Path, files: int, commits: int, review_every: int, seed: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=dest, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for chunk in fast_import_stream(files, commits, review_every, seed):
        proc.stdin.write(chunk)
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=dest, check=True)


def floor(repo: Path) -> tuple[float, int]:
    start = time.perf_counter()
    out = subprocess.run(["git", "log", "--name-status", "-M", "--", "registry"], cwd=repo,
                         check=True, stdout=subprocess.PIPE).stdout
    return time.perf_counter() - start, len(out)


def review_due_read(registry: Path, *, every_text: bool = True) -> tuple[float, dict]:
    """What review-due does with the history; returns the time and what it saw.

    ``every_text=False`` reads only the texts it compares (the lazy way the API allows)."""
    start = time.perf_counter()
    stats = {"files": 0, "versions": 0, "texts_bytes": 0, "parsed": 0, "changed": 0,
             "significant_changes": 0, "commits_since_review": 0}
    with open_history(registry) as history:
        t_log = time.perf_counter() - start
        everything = history.all_versions()
        versions = [v for vs in everything.values() for v in vs]
        if every_text:
            history.prefetch(versions)  # every version of every file, each blob once
            for v in versions:
                if v.blob:
                    stats["texts_bytes"] += len(history.read_blob(v.blob) or b"")
        t_texts = time.perf_counter() - start - t_log
        reviews = history.files(under="reviews")
        last_review = history.first_commit_touching(reviews[-1]) if reviews else None
        for path, vs in everything.items():
            stats["versions"] += len(vs)
            if not path.startswith("automations/") or not vs[-1].exists:
                continue
            stats["files"] += 1
            current = vs[-1]
            base = history.version_at(path, last_review.sha) if last_review else None
            if base is not None and base.blob == current.blob:
                continue
            changes = diff_automation(base.data if base else None, current.data)
            stats["parsed"] += 2
            if changes:
                stats["changed"] += 1
                stats["significant_changes"] += sum(c.significant for c in changes)
            stats["commits_since_review"] += len(history.commits_touching(path, base))
        stats["parsed_distinct"] = len(history._docs)
    total = time.perf_counter() - start
    stats["t_log"] = round(t_log, 3)
    stats["t_texts"] = round(t_texts, 3)
    stats["t_parse_diff"] = round(total - t_log - t_texts, 3)
    return total, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--review-every", type=int, default=500,
                        help="a review's minutes every N commits (0: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: reuse the repository already built there")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="livingsys-bench-") as tmp:
        repo = args.keep or Path(tmp) / "repo"
        t0 = time.perf_counter()
        if args.reuse and (repo / ".git").is_dir():
            pass  # a repository built by an earlier --keep run
        else:
            build(repo, args.files, args.commits, args.review_every, args.seed)
        t_build = time.perf_counter() - t0
        floor(repo)  # warm the caches
        review_due_read(repo / "registry")
        floors, reads = [], []
        for _ in range(max(1, args.repeat)):
            floors.append(floor(repo)[0])
            reads.append(review_due_read(repo / "registry"))
        t_floor = min(floors)
        t_read, stats = min(reads, key=lambda r: r[0])
        t_lazy = min(review_due_read(repo / "registry", every_text=False)[0]
                     for _ in range(max(1, args.repeat)))
        result = {"files": args.files, "commits": args.commits, "build_s": round(t_build, 2),
                  "floor_s": round(t_floor, 3), "history_s": round(t_read, 3),
                  "ratio": round(t_read / t_floor, 2) if t_floor else None,
                  "history_lazy_s": round(t_lazy, 3),
                  "ratio_lazy": round(t_lazy / t_floor, 2) if t_floor else None, **stats}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"repository: {args.files} files, {args.commits} commits "
              f"(built in {t_build:.1f}s)")
        print(f"  versions read: {stats['versions']} "
              f"({stats['texts_bytes'] / 1e6:.1f} MB of text), automations compared with the "
              f"last review: {stats['files']}, parsed: {stats['parsed_distinct']} distinct")
        print(f"  (b) git log --name-status -M : {t_floor:.3f}s")
        print(f"  (a) history, review-due read : {t_read:.3f}s  (log {stats['t_log']}s, "
              f"texts {stats['t_texts']}s, parse+diff {stats['t_parse_diff']}s)")
        print(f"  ratio (a)/(b): {t_read / t_floor:.2f}x  (target: 3x or less)")
        print(f"  (a') the same, reading only the texts it compares: {t_lazy:.3f}s "
              f"({t_lazy / t_floor:.2f}x)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    sys.exit(main())
