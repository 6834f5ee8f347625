"""Benchmark: how long `livingsys site` takes, against `livingsys lint` of the same registry.

Measured in the same run, each command as a subprocess started cold (both pay interpreter
start-up), best of N:

  site   `livingsys site --registry DIR --output OUT --as-of DAY` (a fresh OUT each time)
  lint   `livingsys lint --registry DIR --format json --today DAY`

on the bundled demo registry (this repository's git history) and on generated registries of
N automations (bench/lint_bench.py's generator, from a fixed seed) committed to a git
repository of their own, with a second commit that changes a shared rule (rule 3: every
automation using it is then due, with the change in its reasons). Prints the times and the
ratio site/lint. The site does everything lint does (report), plus the reviews due from git,
the agenda, each file's history and the pages.

    python bench/site_bench.py                     # the demo, and 1,000 automations, best of 3
    python bench/site_bench.py --sizes 200 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lint_bench import SEED, TODAY, _best, _tool, generate  # noqa: E402

REPO = HERE.parent
DEMO = REPO / "registry"
DEMO_DAY = "2026-12-02"


def site_command(registry: Path, output: Path, day: str) -> list[str]:
    return [*_tool("livingsys"), "site", "--registry", str(registry), "--output", str(output),
            "--as-of", day]


def lint_command(registry: Path, day: str) -> list[str]:
    return [*_tool("livingsys"), "lint", "--registry", str(registry), "--format", "json",
            "--today", day]


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": "2026-11-20T09:00:00+01:00",
           "GIT_COMMITTER_DATE": "2026-11-20T09:00:00+01:00"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def committed_registry(root: Path, n: int, seed: int) -> Path:
    """A generated registry of ``n`` automations in a git repository, two commits."""
    registry = generate(root / "registry", n, seed)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Registry: first version")
    rule = registry / "rules" / "threshold-finance.yaml"
    text = rule.read_text("utf-8")
    rule.write_text(text.replace("statement:", "statement: (revised)", 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Finance threshold revised")
    return registry


def timed_site(registry: Path, day: str, repeat: int, scratch: Path) -> float:
    best = float("inf")
    for i in range(repeat):
        out = scratch / f"site-{i}"
        cmd = site_command(registry, out, day)
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"livingsys site exited with {proc.returncode}:\n"
                             f"{proc.stderr.decode(errors='replace')[-2000:]}")
        pages = sum(1 for _ in out.rglob("*.html"))
        shutil.rmtree(out)
        best = min(best, elapsed)
    print(f"  ({pages} pages)", file=sys.stderr)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated automation counts")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="livingsys-site-bench-") as tmp:
        scratch = Path(tmp)
        cases = [("demo (4)", DEMO, DEMO_DAY)]
        for size in (int(s) for s in args.sizes.split(",") if s):
            print(f"generating {size} automations...", file=sys.stderr)
            cases.append((f"{size:,}", committed_registry(scratch / f"r{size}", size,
                                                          args.seed), TODAY))
        for label, registry, day in cases:
            print(f"measuring {label}...", file=sys.stderr)
            lint = _best(lint_command(registry, day), args.repeat, ok=(0, 1))
            site = timed_site(registry, day, args.repeat, scratch)
            rows.append((label, site, lint))
    print(f"{'automations':<12} {'site (s)':>9} {'lint (s)':>9} {'site/lint':>10}")
    for label, site, lint in rows:
        print(f"{label:<12} {site:>9.2f} {lint:>9.2f} {site / lint:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
