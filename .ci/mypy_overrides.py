"""The temporary mypy overrides (issue 9) list only modules that still fail.

pyproject.toml's [[tool.mypy.overrides]] with ``ignore_errors = true`` hold the modules other
tasks are restructuring. Like the KNOWN list of tests/test_architecture.py, the list only
shrinks: this runs mypy once without those overrides and fails when a listed module is clean,
so its entry gets deleted. Run by .ci/run after mypy; by hand:
    .venv/bin/python .ci/mypy_overrides.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config = pyproject["tool"]["mypy"]
    overrides = config.get("overrides", [])
    listed = {m for o in overrides if o.get("ignore_errors") for m in o["module"]}
    if not listed:
        return 0
    kept = dict(config, overrides=[o for o in overrides if not o.get("ignore_errors")])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mypy.ini"
        path.write_text(_ini(kept), encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(path)],
                             cwd=ROOT, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):  # 2: mypy could not run (configuration, crash)
        print(run.stdout + run.stderr, end="")
        return 2
    failing = set()
    for line in run.stdout.splitlines():
        found = re.match(r"src/(livingsys/\S+?)\.py:\d+: error", line)
        if found:
            failing.add(found.group(1).removesuffix("/__init__").replace("/", "."))
    clean = sorted(listed - failing)
    if clean:
        print("mypy: these modules are clean now; delete them from the temporary overrides in "
              "pyproject.toml ([[tool.mypy.overrides]] with ignore_errors):")
        for module in clean:
            print(f"  {module}")
        return 1
    return 0


def _ini(config: dict) -> str:
    """The configuration as a mypy.ini (a plain [mypy] section and one per override)."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "True" if v else "False"
        if isinstance(v, list):
            return ", ".join(str(x) for x in v)
        return str(v)

    lines = ["[mypy]"]
    lines += [f"{k} = {value(v)}" for k, v in config.items() if k != "overrides"]
    for override in config["overrides"]:
        modules = override["module"]
        lines.append(f"[mypy-{','.join(modules if isinstance(modules, list) else [modules])}]")
        lines += [f"{k} = {value(v)}" for k, v in override.items() if k != "module"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
