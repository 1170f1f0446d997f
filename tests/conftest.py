"""Test isolation for the whole suite: no test touches the real settings, data folder or display.

Every test gets its own config and data folders (through DERMDESK_CONFIG_DIR / DERMDESK_DATA_DIR),
no other DERMDESK_* variable leaks in from the developer's shell, and Qt runs offscreen.
"""

from __future__ import annotations

import os
import sys
import threading
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


@pytest.fixture
def cheap_hashing() -> Iterator[None]:
    """Argon2 at its cheapest: signing in is the same code, thousands of times faster. Suites that create
    accounts use it (autouse in their conftest, or `pytestmark = pytest.mark.usefixtures(...)`)."""
    from argon2 import PasswordHasher

    from dermdesk.records import passwords

    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.use_hasher(previous)


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


THREAD_PREFIX = "dermdesk"


@pytest.fixture(autouse=True)
def no_station_thread_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Autouse: every camera, classifier and worker thread a test starts must end with its owner."""
    yield
    left = [t for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX) and t.is_alive()]
    for thread in left:
        thread.join(timeout=2.0)
    still = [t.name for t in left if t.is_alive()]
    if still:
        pytest.fail(f"{request.node.nodeid} left thread(s) running: {', '.join(still)}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A leaked non-daemon thread would hang the interpreter at exit and CI with it: end the run instead."""
    leaked = [t.name for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX) and t.is_alive()]
    if leaked:
        sys.stderr.write(f"\nthreads still running at the end of the test session: {', '.join(leaked)}\n")
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(int(exitstatus) or 1)
