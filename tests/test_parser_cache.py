"""The CEL parser tables are cached per user, and a damaged cache never breaks lint."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import DEMO


def _lint(cache_home, *extra_env):
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("LIVINGSYS_NO_CACHE", None)
    env.update(dict(extra_env))
    return subprocess.run([sys.executable, "-m", "livingsys", "lint", "-r", str(DEMO),
                           "--format", "concise"], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cache_is_written_in_the_users_cache_folder_and_reused(tmp_path):
    first = _lint(tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    files = list((tmp_path / "livingsys").glob("cel-parser-*.lark"))
    assert len(files) == 1
    assert (tmp_path / "livingsys").stat().st_mode & 0o077 == 0  # private folder
    second = _lint(tmp_path)
    assert second.returncode == 0 and second.stdout == first.stdout


def test_a_damaged_cache_is_ignored(tmp_path):
    _lint(tmp_path)
    (cache,) = (tmp_path / "livingsys").glob("cel-parser-*.lark")
    cache.write_bytes(b"not a pickle at all")
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_cache_can_be_switched_off(tmp_path):
    result = _lint(tmp_path, ("LIVINGSYS_NO_CACHE", "1"))
    assert result.returncode == 0
    assert not (tmp_path / "livingsys").exists()
