"""Per-upload bookkeeping that does not grow with the store: the retraining count reads a bounded slice of a
partial index, the API records a due retraining once (never twice, also while one runs) and never trains;
SQLite runs in WAL mode with a busy timeout. On SQLite and on a real PostgreSQL."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sync.servers import LiveServer

from central.test_collection import case_body
from dermdesk.central import jobs, store
from dermdesk.central.app import create_app
from dermdesk.central.config import CentralConfig

THRESHOLD = 3


def upload(url: str, token: str, n: int, dx: str | None = "nv") -> requests.Response:
    return requests.post(
        url + "/v1/cases",
        data=case_body(n, dx),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"key-{n:020d}",
        },
        timeout=30,
    )


def job_states(config: CentralConfig) -> list[str]:
    return [str(j["state"]) for j in reversed(jobs.recent(jobs.open_engine(config.url)))]


def test_a_due_retraining_is_queued_once_also_while_one_runs(
    tmp_path: Path, database_url: str | None
) -> None:
    config = CentralConfig(home=tmp_path / "central", database_url=database_url, retrain_threshold=THRESHOLD)
    app = create_app(config)
    engine = app.state.engine
    token = store.add_device(engine, "station")
    server = LiveServer(app).start()
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:  # many at once: still one queued job
            answers = list(pool.map(lambda n: upload(server.url, token, n).status_code, range(12)))
        assert answers == [201] * 12
        assert job_states(config) == [jobs.QUEUED]

        job = jobs.claim_next(engine)  # the runner takes it: it trains on the cases up to the newest
        assert job is not None and job.up_to_case == store.last_case_id(engine)
        assert job_states(config) == [jobs.RUNNING]
        for n in range(12, 12 + THRESHOLD - 1):
            assert upload(server.url, token, n).status_code == 201
        assert job_states(config) == [jobs.RUNNING]  # fewer than the threshold since it started
        for n in range(20, 26):
            assert upload(server.url, token, n).status_code == 201
        assert job_states(config) == [jobs.RUNNING, jobs.QUEUED]  # due while one runs: queued once
        assert upload(server.url, token, 99, dx=None).status_code == 201  # unlabelled: never counted
        assert job_states(config) == [jobs.RUNNING, jobs.QUEUED]
    finally:
        server.stop()


def test_the_retraining_count_reads_a_bounded_slice_of_an_index(tmp_path: Path) -> None:
    engine = store.open_engine(f"sqlite:///{tmp_path / 'central.sqlite'}")
    device = store.add_device(engine, "station")
    device_id = store.device_for_token(engine, device)
    assert device_id is not None
    for n in range(10):
        meta = {"image_sha256": f"{n:064x}", "diagnosis": "nv"}
        store.record_case(engine, device_id, f"key-{n:020d}", "0" * 64, meta)
    assert store.new_labelled_cases(engine) == 10
    assert store.new_labelled_cases(engine, at_most=3) == 3
    assert store.new_labelled_cases(engine, after=8) == 2
    with engine.connect() as conn:
        compiled = (
            store.select(store.cases.c.id)
            .where(store.cases.c.labelled, store.cases.c.used_by_model.is_(None), store.cases.c.id > 0)
            .order_by(store.cases.c.id)
            .limit(3)
            .compile(engine, compile_kwargs={"literal_binds": True})
        )
        plan = " ".join(str(row) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_cases_unused_labelled" in plan  # the partial index, not a scan of every case


def test_an_older_database_gains_the_index_and_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    old = create_engine(url)
    store.metadata.create_all(old, tables=[store.devices, store.cases])
    with old.begin() as conn:
        conn.execute(text("DROP INDEX IF EXISTS ix_cases_unused_labelled"))
    old.dispose()
    engine = jobs.open_engine(url)
    with engine.connect() as conn:
        names = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}
        assert {"ix_cases_unused_labelled", "ix_jobs_one_queued"} <= names
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == store.SQLITE_BUSY_MS


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_case_refused_for_its_key_never_writes_a_picture(tmp_path: Path, database_url: str | None) -> None:
    """Two different bodies for one key at once, many times: only the accepted ones' pictures are kept."""
    config = CentralConfig(home=tmp_path / "central", database_url=database_url)
    app = create_app(config)
    token = store.add_device(app.state.engine, "station")
    server = LiveServer(app).start()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def send(args: tuple[int, int]) -> int:
        key, n = args
        return requests.post(
            server.url + "/v1/cases",
            data=case_body(n, "nv"),
            headers={**headers, "Idempotency-Key": f"race-{key:016d}"},
            timeout=30,
        ).status_code

    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(send, [(key, key * 2 + side) for key in range(12) for side in (0, 1)]))
    finally:
        server.stop()
    assert sorted(set(codes)) == [201, 409] and codes.count(201) == 12
    on_disk = {p.stem for p in config.images_dir.rglob("*.png")}
    assert on_disk == {c["image_sha256"] for c in store.all_cases(app.state.engine)}
