"""Stored pictures re-hashed in the background: a changed file is reported by image number, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QWidget

from dermdesk.records import CaptureRequest, NewLesion, NewPatient, passwords
from dermdesk.settings import load_settings
from dermdesk.source_spec import SourceSpec
from dermdesk.station import Notice, StationModel
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records.picture_recheck import PictureRecheck
from tests.records.helpers import png_bytes

PASSWORD = "correct horse battery"


@pytest.fixture
def session(qtbot) -> Iterator[RecordsSession]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    owner = QWidget()
    qtbot.addWidget(owner)
    opened = RecordsSession(load_settings().settings, TaskRunner(owner), owner)
    yield opened
    opened.tasks.shutdown()
    opened.close()
    passwords.use_hasher(previous)


def test_a_changed_picture_is_reported_by_image_number_and_only_once(qtbot, session: RecordsSession) -> None:
    model = StationModel(session.settings, SourceSpec.parse("virtual"))
    notices: list[Notice] = []
    model.notice.connect(notices.append)
    recheck = PictureRecheck(session, model, interval_ms=60_000)
    with qtbot.waitSignal(session.sig_opened, timeout=15_000):
        session.open()
    assert recheck.timer.isActive()  # checking in the background from the moment the records open
    records = session.require_records()
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    records.patients.register(staff, NewPatient("DD-000009", "Ada", "Lovelace", date(1971, 5, 17), "female"))
    filed = [
        records.captures.save(
            staff, CaptureRequest("DD-000009", png_bytes(seed), new_lesion=NewLesion("posterior torso"))
        )
        for seed in (1, 2)
    ]
    picture = records.store.path(records.store.relative_path(filed[1].sha256, "png"))
    damaged = bytearray(picture.read_bytes())
    damaged[-20] ^= 0xFF  # one flipped byte
    picture.write_bytes(bytes(damaged))

    for _ in range(3):  # round the whole store, then round again: reported once
        recheck.recheck_now()
        qtbot.waitUntil(lambda: not recheck._busy, timeout=15_000)
    warnings = [n for n in notices if n.title == "Damaged pictures"]
    assert len(warnings) == 1
    assert "1 stored picture(s)" in warnings[0].text and f"image {filed[1].image_id}" in warnings[0].text
    assert "DD-000009" not in warnings[0].text and "Lovelace" not in warnings[0].text
    recheck.stop()
    assert not recheck.timer.isActive()
