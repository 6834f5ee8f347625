"""Benchmark: the timings the tests used to assert with a clock, as ratios to a reference.

Each pair is measured in the same run, in this process, best of ``--repeat``:

  demo lint      `lint()` of the demo registry (a copy), in a new process that imports it
                 first, against the same process doing only the imports (the reference).
                 Was: under 2 s (tests/test_condition_checks.py).
  too long       refusing a condition over the length limit ("vip || " * 400)
  too deep       refusing the slowest of the deeply nested conditions of
                 tests/test_conditions.py
                 Both against compiling an accepted condition near the limits: 40 text
                 tests, 1,186 characters, read by CEL's parser (the reference: a refusal
                 comes up front, not after a blow-up). Were: under 5 s.
  repeated       one compilation among 10,000 of 20 conditions (a large registry repeating
                 them), against one compilation of the 20 the first time (the reference:
                 the cache makes a repeat cheaper). Was: 10,000 under 2 s.

and prints each time, its reference and their ratio, marked ok or MISS against TARGETS
(generous: a ratio moves much less than a time on a busy machine, but it still moves).

    python bench/limits_bench.py
    python bench/limits_bench.py --repeat 1
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from livingsys.conditions import ConditionError, compile_condition  # noqa: E402
from livingsys.models.automation import Fact  # noqa: E402

FACTS = [
    Fact(name="days_without_reply", type="int", unit="days"),
    Fact(name="amount_due", type="number", unit="EUR"),
    Fact(name="segment", type="string"),
    Fact(name="vip", type="bool"),
]
TOO_LONG = "vip || " * 400 + "vip"
TOO_DEEP = [
    "(" * 30 + "vip" + ")" * 30,
    "(" * 990 + "vip" + ")" * 990,
    "!" * 1990 + "vip",
    "-" * 1980 + "1 > 0",
    "1 + " * 490 + "1 > 0",
    "vip ? vip : " * 150 + "vip",
]
REPEATED = [f"days_without_reply >= {i % 20} && amount_due <= 5000" for i in range(20)]
#: target ratios (time / reference); a refusal costs about as much as compiling a short condition
TARGETS = {"demo lint": 10.0, "too long": 10.0, "too deep": 10.0, "repeated": 1.0}

_IMPORTS = "import sys, time; from livingsys.checks.lint import lint"
_LINT = _IMPORTS + "; start = time.perf_counter(); lint(sys.argv[1])"


def best(repeat: int, work: Callable[[int], object]) -> float:
    """The fastest of ``repeat`` runs of ``work(run)``, in seconds."""
    times = []
    for run in range(repeat):
        start = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - start)
    return min(times)


def refuse(expression: str, run: int, why: str) -> None:
    """Compile ``expression`` after ``run`` spaces (a new text: refusals are cached by text
    too, and the spaces change nothing else) and expect a refusal saying ``why``."""
    try:
        compile_condition(" " * run + expression, FACTS)
    except ConditionError as error:
        assert error.kind == "too_complex" and why in error.message, error.message
    else:
        raise AssertionError(f"not refused: {expression[:40]}...")


def fresh(run: int) -> None:
    """Compile an accepted condition near the limits, never seen before (no cache helps)."""
    compile_condition(" || ".join(f'segment.startsWith("{run}-{i}")' for i in range(40)),
                      FACTS)


def cold_then_repeated(run: int) -> tuple[float, float]:
    """Compile 20 new conditions once (cold), then 10,000 times among them: the time of one
    compilation of each kind."""
    texts = [f"{e} && days_without_reply != {-run}" for e in REPEATED]
    start = time.perf_counter()
    for text in texts:
        compile_condition(text, FACTS)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(10_000):
        compile_condition(texts[i % 20], FACTS)
    return (time.perf_counter() - start) / 10_000, cold / len(texts)


def demo_lint(registry: Path, repeat: int) -> tuple[float, float]:
    """Wall time of a new process linting the demo, and of one doing only the imports."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(registry)], check=True)
        return time.perf_counter() - start
    return (min(run(_LINT) for _ in range(repeat)),
            min(run(_IMPORTS) for _ in range(repeat)))


def rows(repeat: int) -> list[tuple[str, float, float]]:
    """(name, time, reference time) for each pair."""
    # both parsers (the fast path's and CEL's) are built once, outside every timing
    compile_condition('vip && segment.startsWith("w")', FACTS)
    reference = best(repeat, fresh)
    out = [("too long", best(repeat, lambda run: refuse(TOO_LONG, run, "too long")),
            reference)]
    out.append(("too deep", max(best(repeat, lambda run, e=e: refuse(e, run, "nested too deeply"))
                                for e in TOO_DEEP), reference))
    out.append(("repeated", *min((cold_then_repeated(run) for run in range(repeat)),
                                 key=lambda pair: pair[0])))
    with tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "registry"
        shutil.copytree(ROOT / "registry", registry)
        out.insert(0, ("demo lint", *demo_lint(registry, repeat)))
    return out


def format_table(measured: list[tuple[str, float, float]]) -> str:
    lines = [f"{'what':<10} {'time s':>9} {'ref s':>9} {'ratio':>8} {'target':>7}",
             "-" * 47]
    for name, value, reference in measured:
        ratio = value / reference if reference else float("inf")
        mark = "ok" if ratio <= TARGETS[name] else "MISS"
        lines.append(f"{name:<10} {value:>9.4f} {reference:>9.4f} {ratio:>8.2f} "
                     f"{TARGETS[name]:>5.0f}x {mark}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, choices=range(1, 6),
                        help="runs of each side, 1 to 5; the best counts")
    args = parser.parse_args(argv)
    print(format_table(rows(args.repeat)))


if __name__ == "__main__":
    main()
