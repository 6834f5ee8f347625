"""Benchmark: lint and explain on an automation with many rules over the same two facts.

Issue 10, point 8: 150 rules like ``(a > i || b < 0.5) && a < i + 100``, each with its own
action, all overlapping. Every pair of rules contradicts (C008), and no pair is decided by the
exact fast path (a ``||``), so lint's pairwise search and explain's evaluation do the most
work. Measured in the same run, each command as a cold subprocess:

  lint      `livingsys lint --format concise` on N rules
  explain   `livingsys explain --case a=50,b=0.1` on N rules
  start     `livingsys rules C008` (interpreter and import start-up, the reference)

and prints each time, its ratio to the start-up, and the time per rule beyond start-up, for
each N (so the growth shows: linear when the per-rule time stays flat).

    python bench/rules_bench.py                  # N = 50, 150, 300; best of 3
    python bench/rules_bench.py --sizes 150 --repeat 1
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

BIN = Path(sys.executable).parent
LIVINGSYS = [str(BIN / "livingsys")] if (BIN / "livingsys").exists() else [
    sys.executable, "-m", "livingsys"]

SETTINGS = """\
organisation: Bench SARL
incident_channel: {kind: chat, where: "#incidents"}
review: {default_cadence: monthly, chair: m.boss}
"""
PEOPLE = """\
people:
  - {id: b.owner, name: Bea Owner, kind: business}
  - {id: t.tech, name: Tom Tech, kind: technical}
  - {id: m.boss, name: Max Boss, kind: manager}
"""
HEAD = """\
id: many-rules
name: Many overlapping rules
owner: b.owner
maintainer: t.tech
perimeter: extended
trigger: Every morning
steps:
  - {id: decide, kind: automatic, does: Applies the rules}
  - {id: check, kind: human, does: Checks the exceptions, by: b.owner}
facts:
  - {name: a, type: int}
  - {name: b, type: number}
exceptions:
  - {id: huge, if: a is huge, then: the manager looks, when: a > 100000, handled_by: m.boss}
review: {cadence: monthly}
rules:
"""


def generate(root: Path, n: int) -> Path:
    """A registry whose one automation has ``n`` rules, each overlapping all the others."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "automations").mkdir(parents=True)
    (root / "livingsys.yaml").write_text(SETTINGS, "utf-8")
    (root / "people.yaml").write_text(PEOPLE, "utf-8")
    rules = "".join(textwrap.dedent(f"""\
          - id: r{i}
            if: a over {i} or b small
            then: action {i}
            when: (a > {i} || b < 0.5) && a < {i + 100}
            action: act-{i}
        """) for i in range(n))
    (root / "automations" / "many-rules.yaml").write_text(HEAD + rules, "utf-8")
    return root


def best(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 150, 300])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    start = best([*LIVINGSYS, "rules", "C008"], args.repeat)
    print(f"start-up (livingsys rules C008): {start:.2f} s")
    print(f"{'rules':>6} {'command':>8} {'time':>8} {'/start':>7} {'ms/rule':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            root = generate(Path(tmp) / f"r{n}", n)
            commands = {
                "lint": [*LIVINGSYS, "lint", "-r", str(root), "--format", "concise"],
                "explain": [*LIVINGSYS, "explain", "many-rules", "-r", str(root),
                            "--case", "a=50,b=0.1"],
            }
            for name, cmd in commands.items():
                took = best(cmd, args.repeat)
                per_rule = (took - start) / n * 1000
                print(f"{n:>6} {name:>8} {took:>7.2f}s {took / start:>7.1f} {per_rule:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
