"""writing.write_text_atomic: one step, never overwriting by accident, usual permissions."""

from __future__ import annotations

import os
import sys

import pytest

from livingsys.reading.writing import WriteError, write_text_atomic


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_new_files_get_the_usual_permissions(tmp_path):
    path = tmp_path / "a.yaml"
    write_text_atomic(path, "x: 1\n")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_text_atomic(path, "new\n", overwrite=True)
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_never_overwrites_unless_asked_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("mine\n")
    with pytest.raises(WriteError):
        write_text_atomic(path, "theirs\n")
    assert path.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    import livingsys.reading.writing

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(livingsys.reading.writing.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        write_text_atomic(tmp_path / "a.yaml", "x: 1\n")
    assert list(tmp_path.iterdir()) == []
