"""The clinic secret: created once with 0600 permissions, then read back unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dermdesk.sync.secret import ClinicSecretError, load_or_create_secret


def test_created_once_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "sync" / "clinic-secret"
    first = load_or_create_secret(path)
    assert len(first) == 32 and load_or_create_secret(path) == first
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


def test_a_damaged_secret_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "clinic-secret"
    path.write_bytes(b"short")
    with pytest.raises(ClinicSecretError, match="damaged"):
        load_or_create_secret(path)
