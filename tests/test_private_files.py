"""Private files (keys, the config with the PIN hash, personal data) are written one way."""

from __future__ import annotations

import os
import sys

import pytest

from kiosk.private_files import write_private


def test_a_private_file_is_owner_only_atomic_and_leaves_no_temporary_file(tmp_path):
    # GIVEN a folder that does not exist yet
    path = tmp_path / "secret" / "keys.json"
    # WHEN a private file is written, then written again
    write_private(path, "first")
    write_private(path, b"second")
    # THEN it holds the last data, nothing else is in the folder
    assert path.read_bytes() == b"second" and os.listdir(path.parent) == ["keys.json"]
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0


def test_exclusive_never_replaces_an_existing_file(tmp_path):
    path = tmp_path / "antrean.toml"
    write_private(path, "mine", exclusive=True)
    with pytest.raises(FileExistsError):
        write_private(path, "theirs", exclusive=True)
    assert path.read_text() == "mine" and os.listdir(tmp_path) == ["antrean.toml"]
