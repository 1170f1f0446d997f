"""CPU time the central service spends on one upload, outside HTTP: `_store_case` in this process.

    python scripts/central_case_cpu.py [DATABASE_URL] [--cases 200]

It stores the bench's cases (the same de-identified 600×450 pictures) one after another and prints the
process CPU time per case. Unlike `dermdesk-central bench` it does not depend on what else the machine is
running, so it compares two versions of the request path on a shared machine. The database's own CPU
(PostgreSQL's backend) is not counted.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
from pathlib import Path

from dermdesk.central import bench, jobs, store
from dermdesk.central.app import _store_case
from dermdesk.central.config import CentralConfig


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database_url", nargs="?", default=None, help="default: SQLite in a new folder")
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    config = CentralConfig(
        home=Path(tempfile.mkdtemp(prefix="dermdesk-case-cpu-")), database_url=args.database_url
    )
    engine = jobs.open_engine(config.url)
    device_id = store.device_for_token(engine, store.add_device(engine, "case-cpu-" + secrets.token_hex(4)))
    assert device_id is not None
    bodies = [bench.case_body(png) for png in bench.picture_pool(None, 16)]
    for n in range(10):  # warm: the pool's connections, prepared statements, imports
        _store_case(config, engine, device_id, f"warm-{secrets.token_hex(10)}", bodies[n % 16])
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(args.cases):
        _store_case(config, engine, device_id, f"cpu-{secrets.token_hex(10)}", bodies[n % 16])
    cpu_ms = 1000 * (time.process_time() - cpu) / args.cases
    wall_ms = 1000 * (time.perf_counter() - wall) / args.cases
    print(f"{engine.dialect.name}: {cpu_ms:.1f} ms CPU per case ({wall_ms:.1f} ms wall), {args.cases} cases")


if __name__ == "__main__":
    main()
