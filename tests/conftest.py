"""Test isolation for the whole suite: no test touches the real settings, data folder or display.

Every test gets its own config and data folders (through DERMDESK_CONFIG_DIR / DERMDESK_DATA_DIR),
no other DERMDESK_* variable leaks in from the developer's shell, and Qt runs offscreen.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before pytest-qt creates the QApplication


@dataclass(frozen=True)
class StationDirs:
    """Where this test's settings file and data folder live."""

    config_dir: Path
    data_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"


@pytest.fixture(autouse=True)
def station_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StationDirs]:
    """Autouse: per-test config and data folders, a clean DERMDESK_* environment, offscreen Qt."""
    for name in list(os.environ):
        if name.startswith("DERMDESK_"):
            monkeypatch.delenv(name)
    dirs = StationDirs(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    monkeypatch.setenv("DERMDESK_CONFIG_DIR", str(dirs.config_dir))
    monkeypatch.setenv("DERMDESK_DATA_DIR", str(dirs.data_dir))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    yield dirs
