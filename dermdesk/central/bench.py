"""`dermdesk-central bench`: N clinics upload cases to a real `dermdesk-central serve` on loopback.

    dermdesk-central bench --clients 50 --seconds 30 [--seed 1000000] [--database-url URL] [--workers 2]
                           [--pictures DIR] [--retraining] [--json]

It seeds the database with `--seed` synthetic cases by one bulk SQL statement (not through the API),
registers one device per clinic, starts the service (`--workers` processes) and, with `--retraining`, a job
runner with a retraining queued (DERMDESK_CENTRAL_BASE_DATA/_BASE_SPLITS must be set). Each clinic sends
cases back to back, as a station draining a long queue would, for `--seconds`. Cases are de-identified
with the station's own code (`reencode_image`) from `--pictures` (default: a pool of synthetic ones);
a pool of `--pool` pictures is reused, so a repeated picture is written once. It prints accepted cases/s,
p50/p95/p99 latency, errors by kind, the API's peak memory (all its processes), and counts afterwards that
every accepted case is stored exactly once. The per-device rate limit is off unless `--device-rate` says.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED_METADATA = {
    "schema_version": 1,
    "patient_id": "patient_" + "0" * 32,
    "lesion_id": "lesion_" + "0" * 32,
    "age_approx": 45,
    "sex": "female",
    "anatom_site_general": "posterior torso",
    "diagnosis": "nv",
    "diagnosis_confirm_type": "histopathology",
    "image_type": "dermoscopic",
    "dermoscopic_type": "contact polarized",
    "clin_size_long_diam_mm": 4.5,
    "prediction": {"akiec": 0.01, "bcc": 0.02, "bkl": 0.1, "df": 0.01, "mel": 0.2, "nv": 0.65, "vasc": 0.01},
    "model_name": "dermdesk-lesion",
    "model_version": "1.0.0",
    "image_sha256": "0" * 64,
}
DIAGNOSES = ("nv", "mel", "bkl", "bcc", "akiec", "df", "vasc")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", type=int, default=20, help="concurrent clinics (default 20)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long they upload (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic cases stored before the run")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temporary home)")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--pictures", type=Path, help="a folder of .jpg/.png pictures to de-identify")
    parser.add_argument("--pool", type=int, default=256, help="distinct pictures sent (default 256)")
    parser.add_argument("--device-rate", type=float, default=0.0, help="cases/min per device (0: off)")
    parser.add_argument("--retraining", action="store_true", help="a retraining runs during the load")
    parser.add_argument("--bench-home", type=Path, help="the service's folder (default: temporary)")
    parser.add_argument("--json", action="store_true")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    accepted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, accepted: bool) -> None:
        with self.lock:
            self.statuses[kind] += 1
            self.latencies.append(seconds)
            self.accepted += accepted


def seed_cases(url: str, count: int) -> float:
    """`count` labelled cases (used by an earlier model) in one INSERT ... SELECT; returns seconds taken."""
    from sqlalchemy import text

    from dermdesk.central import jobs, store

    engine = jobs.open_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        inserted = conn.execute(
            store.devices.insert().values(
                name=f"seed-{secrets.token_hex(4)}",
                token_sha256=secrets.token_hex(32),
                active=False,
                created_at=store.utcnow(),
            )
        ).inserted_primary_key
        device = int(inserted[0]) if inserted is not None else 0
        columns = (
            "device_id, idempotency_key, body_sha256, image_sha256, metadata, labelled, received_at, "
            "used_by_model"
        )
        meta = json.dumps(SEED_METADATA)
        if engine.dialect.name == "postgresql":
            sql = (
                f"INSERT INTO cases ({columns}) SELECT :device, 'seed-' || lpad(g::text, 16, '0'), "
                "md5(g::text) || md5(g::text), md5(g::text) || md5(g::text), CAST(:meta AS json), true, "
                "now() - make_interval(secs => g), 'seed' FROM generate_series(1, :n) AS g"
            )
        else:
            sql = (
                f"INSERT INTO cases ({columns}) WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                "FROM g WHERE x < :n) SELECT :device, printf('seed-%016d', x), printf('%064x', x), "
                "printf('%064x', x), :meta, 1, datetime('now'), 'seed' FROM g"
            )
        conn.execute(text(sql), {"device": device, "meta": meta, "n": count})
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE cases"))
    engine.dispose()
    return time.perf_counter() - started


def picture_pool(folder: Path | None, size: int) -> list[bytes]:
    """Bare PNGs as a station sends them (the station's own re-encoding), `size` distinct ones."""
    import cv2
    import numpy as np

    from dermdesk.sync.deidentify import reencode_image

    found: list[bytes] = []
    if folder is not None:
        for path in sorted(folder.glob("*.jpg"))[:size] + sorted(folder.glob("*.png"))[:size]:
            found.append(reencode_image(path.read_bytes()))
            if len(found) >= size:
                return found
    rng = np.random.default_rng(7)
    while len(found) < size:  # a skin-toned gradient with a dark blot: compresses like a photograph does
        base = np.full((450, 600, 3), (150, 170, 200), np.uint8)
        base = (base + rng.normal(0, 12, base.shape)).clip(0, 255).astype(np.uint8)
        centre = (int(rng.integers(150, 450)), int(rng.integers(120, 330)))
        cv2.circle(base, centre, int(rng.integers(30, 90)), (60, 70, 90), -1)
        found.append(reencode_image(cv2.imencode(".png", base)[1].tobytes()))
    return found


def case_body(png: bytes) -> bytes:
    meta = {
        **SEED_METADATA,
        "patient_id": "patient_" + secrets.token_hex(16),
        "lesion_id": "lesion_" + secrets.token_hex(16),
        "diagnosis": DIAGNOSES[secrets.randbelow(len(DIAGNOSES))],
        "image_sha256": hashlib.sha256(png).hexdigest(),
    }
    return json.dumps({"metadata": meta, "image_png": base64.b64encode(png).decode("ascii")}).encode()


def clinic(url: str, token: str, bodies: list[bytes], until: float, tally: Tally, index: int) -> None:
    """One clinic uploading back to back over one kept-alive connection. `http.client`, not `requests`:
    the load generator shares the machine with the service, and every millisecond it spends per request
    is taken from the service it measures."""
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    n = 0
    while time.monotonic() < until:
        body = bodies[(index * 7919 + n) % len(bodies)]
        key = f"bench-{index:05d}-{n:08d}-{secrets.token_hex(4)}"
        n += 1
        started = time.perf_counter()
        try:
            connection.request("POST", "/v1/cases", body, {**headers, "Idempotency-Key": key})
            response = connection.getresponse()
            response.read()
            kind = str(response.status)
            ok = response.status == 201
            if response.status in (429, 503):
                time.sleep(min(float(response.getheader("Retry-After") or "1"), 5.0))
        except (OSError, http.client.HTTPException) as exc:
            kind, ok = exc.__class__.__name__, False
            connection.close()  # the next request opens a new connection
        tally.add(kind, time.perf_counter() - started, ok)
    connection.close()


class MemoryWatch:
    """Peak resident memory of a process and its children, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self.first = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def current(self) -> int:
        import psutil

        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
        return total

    def _watch(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, self.current())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    import requests

    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(url + "/v1/models/latest", timeout=2)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the central service did not start") from None
            time.sleep(0.3)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    import platform

    from dermdesk.central import jobs, store
    from dermdesk.central.config import CentralConfig

    home = args.bench_home or Path(tempfile.mkdtemp(prefix="dermdesk-central-bench-"))
    config = CentralConfig(home=home, database_url=args.database_url)
    home.mkdir(parents=True, exist_ok=True)
    seeded_s = seed_cases(config.url, args.seed) if args.seed else 0.0
    engine = jobs.open_engine(config.url)
    tokens = [store.add_device(engine, f"bench-{secrets.token_hex(6)}") for _ in range(args.clients)]
    with engine.connect() as conn:
        from sqlalchemy import func, select

        stored_before = int(conn.execute(select(func.count()).select_from(store.cases)).scalar_one())
    bodies = [case_body(png) for png in picture_pool(args.pictures, args.pool)]
    port = _free_port()
    env = {
        **os.environ,
        "DERMDESK_CENTRAL_HOME": str(home),
        "DERMDESK_CENTRAL_DEVICE_RATE_PER_MINUTE": str(args.device_rate),
        "DERMDESK_CENTRAL_RETRAIN_THRESHOLD": str(10**9),  # the bench's cases never queue a retraining
        "DERMDESK_CENTRAL_MAX_IN_FLIGHT": str(max(64, 2 * args.clients)),
    }
    if args.database_url:
        env["DERMDESK_CENTRAL_DATABASE_URL"] = args.database_url
    cli = [sys.executable, "-m", "dermdesk.central.cli"]
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    runner = None
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, server)
        watch = MemoryWatch(server.pid)
        watch.first = watch.current()
        if args.retraining:
            with engine.begin() as conn:
                conn.execute(
                    jobs.jobs.insert().values(kind=jobs.RETRAIN, state=jobs.QUEUED, queued_at=store.utcnow())
                )
            runner = subprocess.Popen(
                [*cli, "jobs", "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            deadline = time.monotonic() + 300  # the load begins once torchrun trains
            while time.monotonic() < deadline and not str(jobs.recent(engine, 1)[0]["progress"]).startswith(
                "training"
            ):
                time.sleep(1)
            time.sleep(20)  # past torchrun's start-up, into the epochs
        watch.thread.start()
        tally = Tally()
        until = time.monotonic() + args.seconds
        started = time.perf_counter()
        threads = [
            threading.Thread(target=clinic, args=(url, token, bodies, until, tally, i), daemon=True)
            for i, token in enumerate(tokens)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        watch.stop.set()
        job_states = [f"{j['id']}:{j['state']} {j['progress'] or ''}" for j in jobs.recent(engine, 3)]
    finally:
        for process in (runner, server):
            if process is not None:
                process.terminate()
                process.wait(30)
    with engine.connect() as conn:
        stored_after = int(conn.execute(select(func.count()).select_from(store.cases)).scalar_one())
    latencies = sorted(tally.latencies)

    def pct(p: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else 0.0
        )

    errors = {k: v for k, v in tally.statuses.items() if k != "201"}
    return {
        "machine": f"{platform.node()} {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
        "database": engine.dialect.name,
        "workers": args.workers,
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "stored_before": stored_before,
        "seeded_in_s": round(seeded_s, 1),
        "requests": len(latencies),
        "accepted": tally.accepted,
        "accepted_per_s": round(tally.accepted / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
        "errors": errors,
        "server_errors": sum(v for k, v in errors.items() if not k.isdigit() or k.startswith("5")),
        "api_memory_start_mib": round(watch.first / 2**20, 1),
        "api_memory_peak_mib": round(max(watch.peak, watch.first) / 2**20, 1),
        "stored_after": stored_after,
        "exactly_once": stored_after - stored_before == tally.accepted,
        "jobs": job_states if args.retraining else [],
    }
