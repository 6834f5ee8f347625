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


# --------------------------------------------------------------------------------------------
# a pickle planted by someone else is never loaded (issue 10, point 4)

MALICIOUS = """\
import os, pickle
class Boom:
    def __reduce__(self):
        return (os.system, ("touch {marker}",))
open({path!r}, "wb").write(b"0" * 64 + b"\\n" + pickle.dumps(Boom()))
"""


def _cache_name() -> str:
    import hashlib
    from pathlib import Path

    import celpy.celparser
    import lark

    grammar = (Path(celpy.celparser.__file__).parent / "cel.lark").read_text(encoding="utf-8")
    digest = hashlib.sha256(f"{lark.__version__}\n{grammar}".encode()).hexdigest()[:16]
    return f"cel-parser-{digest}.lark"


def _plant(folder, marker):
    path = folder / _cache_name()
    subprocess.run([sys.executable, "-c", MALICIOUS.format(marker=marker, path=str(path))],
                   check=True)
    return path


@pytest.mark.parametrize("writable", ["folder", "file"])
def test_a_cache_others_can_write_is_never_loaded(tmp_path, registry, writable):
    folder = tmp_path / "cache" / "livingsys"
    folder.mkdir(parents=True, mode=0o700)
    marker = tmp_path / "code-ran"
    planted = _plant(folder, marker)
    if writable == "folder":
        folder.chmod(0o777)
    else:
        planted.chmod(0o666)
    result = _lint(tmp_path / "cache", registry)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists()


def test_the_private_cache_is_what_lark_loads(tmp_path, registry):
    """The other side: in a private folder the file is trusted (it is the user's own), so a
    planted one there would run: the protection is the folder, which only the user can write."""
    folder = tmp_path / "cache" / "livingsys"
    folder.mkdir(parents=True, mode=0o700)
    marker = tmp_path / "code-ran"
    _plant(folder, marker)
    _lint(tmp_path / "cache", registry)
    assert marker.exists()


def test_no_home_folder_means_no_cache_and_no_error(tmp_path, monkeypatch, cli, registry):
    import pathlib

    from livingsys.conditions import cel

    def no_home(cls=None):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LIVINGSYS_NO_CACHE", raising=False)
    monkeypatch.setattr(pathlib.Path, "home", classmethod(no_home))
    assert cel._parser_cache_file("grammar", "1.0") is None
    cel.cel_modules.cache_clear()
    try:
        lint = cli("lint", "-r", registry, "--format", "concise")
        explain = cli("explain", "quote-follow-up", "-r", registry,
                      "-c", "quote_status=revised", "-c", "days_since_quote_sent=3",
                      "-c", "quote_amount=100", "-c", "follow_ups_sent=0")
    finally:
        cel.cel_modules.cache_clear()
    assert lint.exit_code == 0 and "X001" not in lint.output, lint.output
    assert explain.exit_code == 0, explain.output


def test_a_relative_cache_folder_is_ignored(tmp_path, monkeypatch, registry):
    monkeypatch.chdir(tmp_path)
    result = _lint("relative-cache", registry)
    assert result.returncode == 0
    assert not (tmp_path / "relative-cache").exists()
