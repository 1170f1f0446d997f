"""What a clinic hears when the service cannot take a case now, each with Retry-After and nothing lost: a
device flooding uploads gets 429, a locked database 503, a full database 507; several API workers serve
one database; pictures no case refers to are swept."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests
from sqlalchemy import event
from sync.servers import LiveServer, free_port

from central.test_bookkeeping import upload
from dermdesk.central import store
from dermdesk.central.app import create_app
from dermdesk.central.cli import main
from dermdesk.central.config import CentralConfig


def test_a_device_flooding_uploads_is_answered_429_with_retry_after(tmp_path: Path) -> None:
    config = CentralConfig(home=tmp_path / "central", device_rate_per_minute=6, device_burst=2)
    app = create_app(config)
    token, other = store.add_device(app.state.engine, "flood"), store.add_device(app.state.engine, "calm")
    server = LiveServer(app).start()
    try:
        assert [upload(server.url, token, n).status_code for n in range(2)] == [201, 201]
        refused = upload(server.url, token, 2)
        assert refused.status_code == 429 and "faster than the service accepts" in refused.json()["detail"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 10
        assert upload(server.url, other, 3).status_code == 201  # per device: another clinic is not held
    finally:
        server.stop()
    assert len(store.all_cases(app.state.engine)) == 3  # the refused case was not stored


def test_a_locked_database_is_answered_503_with_retry_after_and_the_retry_is_stored(tmp_path: Path) -> None:
    config = CentralConfig(home=tmp_path / "central")
    app = create_app(config)
    token = store.add_device(app.state.engine, "station")
    server = LiveServer(app).start()
    holder = sqlite3.connect(config.home / "central.sqlite", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock longer than the busy timeout
        started = time.monotonic()
        answer = upload(server.url, token, 1)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
        assert "busy" in answer.json()["detail"]
        assert time.monotonic() - started >= store.SQLITE_BUSY_MS / 1000 * 0.9  # it waited first
        holder.execute("ROLLBACK")
        assert upload(server.url, token, 1).status_code == 201  # the station's retry is stored
    finally:
        holder.close()
        server.stop()
    assert len(store.all_cases(app.state.engine)) == 1
    assert [p.stem for p in config.images_dir.rglob("*.png")] == [
        store.all_cases(app.state.engine)[0]["image_sha256"]
    ]


def test_a_full_database_is_answered_507_with_a_clear_reason(tmp_path: Path) -> None:
    config = CentralConfig(home=tmp_path / "central")
    app = create_app(config)
    engine = app.state.engine
    token = store.add_device(engine, "station")
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    def cap(connection: object, _record: object) -> None:  # the disk holds no more pages than now
        connection.execute(f"PRAGMA max_page_count={pages}")  # type: ignore[attr-defined]

    event.listen(engine, "connect", cap)
    engine.dispose()
    server = LiveServer(app).start()
    try:
        answers = [upload(server.url, token, n) for n in range(40)]
    finally:
        server.stop()
    full = [a for a in answers if a.status_code == 507]
    assert full, [a.status_code for a in answers]
    assert (
        "database has no space left" in full[0].json()["detail"] and int(full[0].headers["Retry-After"]) > 0
    )
    assert {a.status_code for a in answers} <= {201, 507}  # never a bare 500
    event.remove(engine, "connect", cap)
    engine.dispose()
    store.sweep_pictures(engine, config.images_dir, older_than_s=0)
    kept = {p.stem for p in config.images_dir.rglob("*.png")}
    assert kept == {c["image_sha256"] for c in store.all_cases(engine)}


def test_several_api_workers_serve_one_database(tmp_path: Path) -> None:
    home = tmp_path / "central"
    config = CentralConfig(home=home)
    engine = store.open_engine(config.url)
    token = store.add_device(engine, "station")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dermdesk.central.cli",
            "--home",
            str(home),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/v1/models/latest", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "the service did not start"
                time.sleep(0.3)
        workers = [p for p in psutil.Process(server.pid).children(recursive=True) if "python" in p.name()]
        assert len(workers) >= 2
        assert [upload(url, token, n).status_code for n in range(6)] == [201] * 6
    finally:
        server.terminate()
        server.wait(30)
    assert len(store.all_cases(engine)) == 6


def test_sweep_removes_only_old_pictures_no_case_refers_to(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    config = CentralConfig(home=tmp_path / "central")
    app = create_app(config)
    token = store.add_device(app.state.engine, "station")
    server = LiveServer(app).start()
    try:
        assert upload(server.url, token, 1).status_code == 201
    finally:
        server.stop()
    kept = store.image_path(config.images_dir, store.all_cases(app.state.engine)[0]["image_sha256"])
    orphan, young = (store.image_path(config.images_dir, c * 64) for c in "ab")
    for path in (orphan, young):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"png")
    an_hour_ago = time.time() - 7200
    for path in (kept, orphan):
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert main(["--home", str(config.home), "sweep"]) == 0
    assert "removed 1 picture" in capsys.readouterr().out
    assert kept.is_file() and young.is_file() and not orphan.exists()
