"""The central service's database on SQLite and on a real PostgreSQL server (the records suite's
embedded server, started once per session when a test asks for it)."""

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


@pytest.fixture(params=["sqlite", "postgresql"])
def central_database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (SQLite in the service's folder) or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        yield None
        return
    server: EmbeddedPostgres = request.getfixturevalue("central_postgres")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)
