"""The teledermatology screens offscreen against a real central service on 127.0.0.1: "Ask a
dermatologist" refuses without consent and with identifiers in the question, shows exactly what will
leave and sends; the inbox sends, shows the request for more information, records a clip from the live
picture, sends it with a newer still, shows the answer, and a doctor acknowledges it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QWidget
from records.helpers import PASSWORD, Clock, Team
from sync.conftest import add_capture, add_patient
from sync.consult_fixtures import ANSWER, MORE, Specialist, clinic_station
from sync.servers import LiveServer

from dermdesk.central.app import create_app
from dermdesk.central.config import CentralConfig
from dermdesk.records import Records, SecurityPolicy, passwords
from dermdesk.settings import load_settings
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records.consult_dialog import ConsultDialog
from dermdesk.ui.records.consult_inbox import CLIP_FPS, CLIP_SECONDS, ConsultInbox
from dermdesk.ui.records.patient_page import PatientPage

WAIT_MS = 60_000
NUMBER = "DD-002201"


@dataclass
class Station:
    session: RecordsSession
    records: Records
    team: Team
    specialist: Specialist


@pytest.fixture
def station(qtbot, station_dirs, tmp_path) -> Iterator[Station]:  # type: ignore[no-untyped-def]
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    config = CentralConfig(home=tmp_path / "central")
    server = LiveServer(create_app(config)).start()
    token, specialist = clinic_station(config)
    settings = load_settings().settings.with_overrides(upload_url=server.url, device_token=token)
    records = Records.open(settings, clock=Clock(), policy=SecurityPolicy())
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    team = Team(
        admin,
        records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD),
        records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD),
    )
    add_patient(records, team, NUMBER, given_name="지민", family_name="김")
    add_capture(records, team, NUMBER, 1)
    add_capture(records, team, NUMBER, 2, lighting="white", label="L1")
    host = QWidget()
    qtbot.addWidget(host)
    session = RecordsSession(settings, TaskRunner(host), host, clock=records.clock)
    session.records = records
    try:
        yield Station(session, records, team, Specialist(server.url, specialist))
    finally:
        session.tasks.shutdown()
        records.close()
        server.stop()
        passwords.use_hasher(previous)


def lesion(station: Station):  # type: ignore[no-untyped-def]
    return station.records.patients.get(station.team.staff, NUMBER).lesions[0]


def test_ask_refuses_without_consent_and_with_identifiers_then_sends(qtbot, station: Station) -> None:
    station.session.sign_in(station.team.staff)
    page = PatientPage()
    qtbot.addWidget(page)
    page.show_record(station.records.patients.get(station.team.staff, NUMBER), select="L1")
    assert page.consult_button.isEnabled() and "referral advised" in page.consult_button.text()
    dialog = ConsultDialog(station.session, NUMBER, lesion(station))
    qtbot.addWidget(dialog)
    assert dialog.consent_button.isVisibleTo(dialog) and "not consented" in dialog.message.text()
    dialog.question.setPlainText("Changing mole on the back")
    assert not dialog.check() and not dialog.send_button.isEnabled()
    station.records.consults.set_consent(station.team.staff, NUMBER, True)
    dialog.question.setPlainText("김지민 씨의 점이 변했습니다")
    assert not dialog.check() and "name" in dialog.message.text()
    dialog.question.setPlainText("Changing mole on the back; excise or follow?")
    assert dialog.check() and dialog.send_button.isEnabled()
    shown = dialog.preview.toPlainText()
    assert "pseudonym" in shown and "지민" not in shown and NUMBER not in shown
    assert shown.count("bare PNG") == 2  # the white and polarised stills, ticked by default
    dialog.question.setPlainText("Changing mole on the back; excise or follow? Soon please.")
    assert not dialog.send_button.isEnabled()  # changed after the check: check again
    assert dialog.check()
    info = dialog.send()
    assert info is not None and info.state == "queued"


@pytest.mark.slow
def test_the_inbox_follows_a_consult_to_its_acknowledged_answer(qtbot, station: Station) -> None:
    from dermdesk.consults import desk
    from dermdesk.records.consults import ConsultDraft

    station.records.consults.set_consent(station.team.staff, NUMBER, True)
    info = desk.send(station.records, station.team.staff, ConsultDraft(NUMBER, "L1", "Excise or follow?"))
    station.session.sign_in(station.team.staff)
    frames = iter([np.full((96, 128, 3), n % 255, np.uint8) for n in range(1000)])
    inbox = ConsultInbox(station.session, live_frame=lambda: next(frames))
    qtbot.addWidget(inbox)

    def sync() -> None:
        with qtbot.waitSignal(inbox.sig_changed, timeout=WAIT_MS):
            inbox.check_for_answers()

    sync()
    central_id = station.records.consults.get(station.team.staff, info.id).central_id
    assert central_id is not None and "sent" in inbox.detail.toPlainText()
    station.specialist.review(central_id)
    assert station.specialist.reply(central_id, MORE).status_code == 201
    sync()
    assert "More information requested by Dr Hana Seo" in inbox.detail.toPlainText()
    assert inbox.more_button.isEnabled() and inbox.clip_button.isEnabled()
    add_capture(station.records, station.team, NUMBER, 7, label="L1")
    inbox.refresh()
    assert inbox.stills.count() == 1
    inbox.start_clip()
    qtbot.waitUntil(lambda: inbox.clip is not None, timeout=WAIT_MS)
    assert inbox.clip is not None and inbox.clip.frames == int(CLIP_SECONDS * CLIP_FPS)
    inbox.send_more()
    assert "queued" in inbox.status.text()
    sync()
    seen = station.specialist.review(central_id)
    assert sorted(m["kind"] for m in seen["media"]).count("clip") == 1
    assert station.specialist.reply(central_id, ANSWER).status_code == 201
    sync()
    text = inbox.detail.toPlainText()
    assert "Answer by Dr Hana Seo (reg. KMA-12345)" in text and "follow-up in 6 months" in text
    assert inbox.table.item(0, 5).text() == "answer to acknowledge"
    inbox.acknowledge()
    assert "record diagnoses" in inbox.status.text()  # staff may not
    station.session.sign_in(station.team.doctor)
    inbox.acknowledge()
    assert (
        "acknowledged" in inbox.status.text() and "Acknowledged by Dr Dora Derm" in inbox.detail.toPlainText()
    )


def test_the_lesion_timeline_shows_the_specialists_answer(qtbot, station: Station) -> None:
    from dermdesk.ui.records.lesion_timeline import LesionTimeline

    lines = ("Answer by Dr Hana Seo (reg. KMA-12345), 2026-12-06 10:00 UTC", "Diagnosis: Melanocytic naevus")
    timeline = LesionTimeline(
        NUMBER, lesion(station), station.records.store, station.session.tasks, specialist=lines
    )
    qtbot.addWidget(timeline)
    with qtbot.waitSignal(timeline.sig_loaded, timeout=WAIT_MS):
        timeline.show()
    assert timeline.specialist.isVisible() and "Dr Hana Seo" in timeline.specialist.text()
    plain = LesionTimeline(NUMBER, lesion(station), station.records.store, station.session.tasks)
    qtbot.addWidget(plain)
    assert not plain.specialist.isVisibleTo(plain)
