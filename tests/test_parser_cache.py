"""The CEL parser tables are cached per user, and a damaged cache never breaks lint.

Common conditions are parsed without CEL's parser (the fast path of livingsys.conditions):
the registry linted here has one condition outside that subset, a text test, so that lint
builds the parser.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def registry(demo_registry):
    """The demo registry, with a condition only CEL's parser reads."""
    path = demo_registry / "automations" / "quote-follow-up.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'when: quote_status == "revised"' in text
    path.write_text(text.replace('when: quote_status == "revised"',
                                 'when: quote_status.startsWith("rev")'), encoding="utf-8")
    return demo_registry


def _lint(cache_home, registry, *extra_env):
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("LIVINGSYS_NO_CACHE", None)
    env.update(dict(extra_env))
    return subprocess.run([sys.executable, "-m", "livingsys", "lint", "-r", str(registry),
                           "--format", "concise"], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cache_is_written_in_the_users_cache_folder_and_reused(tmp_path, registry):
    first = _lint(tmp_path, registry)
    assert first.returncode == 0, first.stdout + first.stderr
    files = list((tmp_path / "livingsys").glob("cel-parser-*.lark"))
    assert len(files) == 1
    assert (tmp_path / "livingsys").stat().st_mode & 0o077 == 0  # private folder
    second = _lint(tmp_path, registry)
    assert second.returncode == 0 and second.stdout == first.stdout


def test_a_damaged_cache_is_ignored(tmp_path, registry):
    _lint(tmp_path, registry)
    (cache,) = (tmp_path / "livingsys").glob("cel-parser-*.lark")
    cache.write_bytes(b"not a pickle at all")
    result = _lint(tmp_path, registry)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_cache_can_be_switched_off(tmp_path, registry):
    result = _lint(tmp_path, registry, ("LIVINGSYS_NO_CACHE", "1"))
    assert result.returncode == 0
    assert not (tmp_path / "livingsys").exists()
