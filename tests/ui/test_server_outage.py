"""The clinic's PostgreSQL server goes away while a room is working, and comes back.

The window (a real RecordsSession and CaptureFiler) and the command line (`dermdesk images add`, a real
process) of one station file pictures before, during and after the outage; the server is stopped and
started again; nothing is restarted. Every picture must be filed exactly once, the window must say in
its status line that it is offline and then that the spool was filed. A window started while the server
is down opens offline and recovers by itself. And a change made in the other room (a signed diagnosis)
appears in this room's open diagnosis form without losing what the doctor is typing there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QWidget
from records.pg_server import EmbeddedPostgres
from sqlalchemy import func, select

from dermdesk.capture.session_stills import CapturedStill
from dermdesk.capture.stills import SavedStill
from dermdesk.filing import CaptureTarget
from dermdesk.records import NewDiagnosis, NewLesion, NewPatient, Records, models, passwords
from dermdesk.settings import load_settings
from dermdesk.source_spec import SourceSpec
from dermdesk.station import PatientInView, StationModel
from dermdesk.ui.common.records_session import RecordsSession, ServerState
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records.capture_filing import CaptureFiler
from dermdesk.ui.records.change_watch import ChangeWatch
from dermdesk.ui.records.server_status import ServerStatus
from dermdesk.ui.reports.diagnosis_form import DiagnosisForm

pytestmark = pytest.mark.slow  # two PostgreSQL restarts and four command-line runs: minutes on CI

PASSWORD = "correct horse battery"
PATIENT = "DD-000029"
REPO = Path(__file__).resolve().parents[2]
DERMDESK = [sys.executable, "-m", "dermdesk"]
LESION_L1 = ["--lesion", "L1", "--no-classify", "--json"]


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedPostgres]:
    root = Path(tempfile.mkdtemp(prefix="dermdesk-pg-"))  # not under pytest's 0700 tmp: another user runs it
    root.chmod(0o755)
    pg = EmbeddedPostgres(root)
    try:
        pg.init()
        pg.start()
        yield pg
    finally:
        if pg.running:
            pg.stop()
        shutil.rmtree(root)


@pytest.fixture
def clinic(server: EmbeddedPostgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh clinic database with an administrator, a nurse (sam), a patient and lesion L1."""
    if not server.running:
        server.start()
    name = server.create_database()
    monkeypatch.setenv("DERMDESK_DATABASE_URL", server.url(name))
    (tmp_path / "shared-images").mkdir()  # the clinic's share, mounted
    monkeypatch.setenv("DERMDESK_IMAGE_STORE", str(tmp_path / "shared-images"))
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with Records.open(load_settings().settings) as records:
        admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
        staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
        records.patients.register(
            staff, NewPatient(PATIENT, "Ada", "Lovelace", datetime(1971, 5, 17).date(), "female")
        )
        records.lesions.add(staff, PATIENT, NewLesion("upper extremity", "left forearm"))
    yield name
    passwords.use_hasher(previous)
    if not server.running:
        server.start()
    server.drop_database(name)


def open_session(qtbot, *, interval_ms: int = 300) -> RecordsSession:
    owner = QWidget()
    qtbot.addWidget(owner)
    session = RecordsSession(load_settings().settings, TaskRunner(owner), owner)
    session._reconnect_timer.setInterval(interval_ms)  # the test need not wait ten seconds
    session.owner = owner  # type: ignore[attr-defined]  # the window lives as long as its session
    with qtbot.waitSignal(session.sig_opened, timeout=30_000):
        session.open()
    return session


def still(folder: Path, seed: int) -> CapturedStill:
    picture = np.full((120, 160, 3), 60 + seed, np.uint8)
    cv2.circle(picture, (80, 60), 30, (40, 60 + seed, 120), -1)
    path = folder / f"still-{seed:04d}.png"
    cv2.imwrite(str(path), picture)
    return CapturedStill(SavedStill(path, path.with_suffix(".json"), "unused", seed), picture)


def cli_add(picture: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DERMDESK_USER": "sam", "DERMDESK_PASSWORD": PASSWORD}
    return subprocess.run(
        [*DERMDESK, "images", "add", str(picture), "--patient", PATIENT, *LESION_L1],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=180,
    )


def file_in_window(qtbot, filer: CaptureFiler, captured: CapturedStill) -> bool:
    """File one still through the window's filer; True when it was spooled."""
    with qtbot.waitSignal(filer.sig_filed, timeout=60_000) as filed:
        filer.file(captured)
    return bool(filed.args[0].spooled)


def test_pictures_filed_from_the_window_and_the_cli_during_an_outage_are_filed_once_when_it_ends(
    qtbot, server: EmbeddedPostgres, clinic: str, tmp_path: Path
) -> None:
    session = open_session(qtbot)
    records = session.require_records()
    status = ServerStatus(session)
    assert session.server == ServerState(True, "Records server connected")
    session.sign_in(records.sign_in("sam", PASSWORD))  # online: also noted for offline sign-in
    session.set_target(CaptureTarget(PATIENT, "L1", "upper extremity, left forearm"))
    filer = CaptureFiler(session)
    assert not file_in_window(qtbot, filer, still(tmp_path, 1))
    online_cli = cli_add(still(tmp_path, 2).saved.path)
    assert online_cli.returncode == 0 and not json.loads(online_cli.stdout)["spooled"], online_cli.stderr

    server.stop()
    spooled = [file_in_window(qtbot, filer, still(tmp_path, seed)) for seed in (3, 4)]
    outage_cli = [cli_add(still(tmp_path, seed).saved.path) for seed in (5, 6)]
    assert spooled == [True, True]
    for done in outage_cli:  # the command line spools too, and says so
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["spooled"] and "cannot be reached" in done.stderr
    assert session.server is not None and not session.server.reachable
    assert "working offline" in status.text()  # at once, from the window's own spooled still
    qtbot.waitUntil(lambda: "4 picture(s) kept" in status.text(), timeout=30_000)  # and the CLI's
    qtbot.wait(1000)  # a few more reconnect attempts while the server is still away: nothing lost
    assert records.spool is not None and len(records.spool.pending()) == 4

    server.start()  # nothing restarted: the window's reconnect timer files the station's spool
    qtbot.waitUntil(lambda: session.server is not None and session.server.reachable, timeout=60_000)
    qtbot.waitUntil(lambda: records.spool is not None and records.spool.pending() == [], timeout=60_000)
    assert "reachable again" in status.text() and "4 spooled capture(s) filed" in status.text()

    with records.database.transaction() as session_db:
        rows = session_db.scalars(select(models.Image)).all()
        captures = session_db.scalar(
            select(func.count()).select_from(models.AuditEvent).where(models.AuditEvent.action == "capture")
        )
    assert len(rows) == 6 and len({row.capture_uid for row in rows}) == 6  # each picture exactly once
    assert len({row.sha256 for row in rows}) == 6 and captures == 6
    assert records.integrity_check().consistent
    session.tasks.shutdown()
    session.close()


def test_a_window_started_while_the_server_is_down_opens_offline_and_recovers(
    qtbot, server: EmbeddedPostgres, clinic: str
) -> None:
    server.stop()
    session = open_session(qtbot)
    status = ServerStatus(session)
    status._on_server(session.server)  # the label was made after the first word: show it as the bar does
    assert session.server is not None and not session.server.reachable
    assert "Records server unreachable" in status.text()
    records = session.require_records()
    assert not records.online

    server.start()
    qtbot.waitUntil(lambda: session.server is not None and session.server.reachable, timeout=60_000)
    assert records.online and "reachable again" in status.text()
    user = records.sign_in("sam", PASSWORD)  # the records work without restarting the window
    assert records.patients.get(user, PATIENT).lesions[0].label == "L1"
    session.tasks.shutdown()
    session.close()


def test_a_diagnosis_signed_in_the_other_room_appears_here_without_losing_what_is_typed(
    qtbot, clinic: str
) -> None:
    with Records.open(load_settings().settings) as other_room:
        admin = other_room.users.login("admin", PASSWORD)
        other_room.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
        other_room.users.add(admin, "dan", "Dr Dan Derm", "doctor", PASSWORD)
        session = open_session(qtbot)
        records = session.require_records()
        model = StationModel(session.settings, SourceSpec.parse("virtual"))
        watch = ChangeWatch(session, model)
        watch.timer.setInterval(200)
        dan = records.sign_in("dan", PASSWORD)
        session.sign_in(dan)
        record = records.patients.get(dan, PATIENT)
        model.set_patient(PatientInView.of(record))
        form = DiagnosisForm(session, PATIENT, record.lesions[0])
        qtbot.addWidget(form)
        form.notes.setPlainText("Irregular pigment network at 3 o'clock, I")  # the doctor is typing
        watch.poll()
        qtbot.waitUntil(lambda: PATIENT in watch._seen, timeout=30_000)  # the stamp as first seen

        dora = other_room.users.login("dora", PASSWORD)
        signed = other_room.diagnoses.record(
            dora, PATIENT, "L1", NewDiagnosis("clinical", dx_code="nv"), sign_off_password=PASSWORD
        )
        with qtbot.waitSignal(session.sig_patient_changed, timeout=30_000):
            pass  # the watch notices the other room's signature within a poll or two
        qtbot.waitUntil(lambda: [d.id for d in form.diagnoses] == [signed.id], timeout=30_000)
        assert "signed by dora" in form.history.item(0).text()
        assert form.notes.toPlainText() == "Irregular pigment network at 3 o'clock, I"
        session.tasks.shutdown()
        session.close()
