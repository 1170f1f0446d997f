"""Issue 20: one lesion shows one advice — live advice withheld on frames the gate would refuse, the
panel naming live and still figures (and the still's light), the diagnosis form quoting the lesion's
one advice with the still and light behind it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from records.helpers import png_bytes

from dermdesk.capture.controls import ControlName
from dermdesk.capture.lighting import LightingMode
from dermdesk.inference.postprocess import Assessment
from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    NewLesion,
    NewPatient,
    PredictionInput,
)
from dermdesk.settings import load_settings
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.reports.diagnosis_form import DiagnosisForm
from dermdesk.ui.shell.main_window import MainWindow
from tests.ui.test_capture_controls import TIMEOUT_MS, ready
from tests.ui.test_deliberate_filing import switch_light

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse battery"
MODEL = {"name": "dermdesk-effnet", "version": "1.2.0", "sha256": "ab" * 32}
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_live_advice_is_withheld_on_an_overexposed_frame_with_the_reason(
    qtbot, main_window: MainWindow
) -> None:
    ready(qtbot, main_window)
    panel = main_window.analysis.panel
    qtbot.waitUntil(lambda: panel.ranking() != [], timeout=60_000)  # a good frame: live advice
    assert panel.status.text().startswith("Live (not filed)")
    switch_light(qtbot, main_window, LightingMode.WHITE)
    controls = main_window.desk.controls_panel
    qtbot.waitUntil(lambda: ControlName.EXPOSURE in controls.visible_controls(), timeout=TIMEOUT_MS)
    controls.auto_box(ControlName.EXPOSURE).setChecked(False)
    slider = controls.slider(ControlName.EXPOSURE)
    slider.setValue(slider.maximum())
    qtbot.waitUntil(lambda: "No live advice on this frame" in panel.message_text(), timeout=60_000)
    assert "Overexposed" in panel.message_text() and panel.ranking() == []


def test_the_last_still_names_its_light(qtbot, main_window: MainWindow) -> None:
    ready(qtbot, main_window)
    with qtbot.waitSignal(main_window.analysis.sig_still_analysed, timeout=60_000):
        qtbot.mouseClick(main_window.capture_button, Qt.MouseButton.LeftButton)
    status = main_window.analysis.panel.still_status.text()
    assert status.startswith("Still still-") and "White light, cross-polarised" in status


# --- the diagnosis form ----------------------------------------------------------------------------------


@pytest.fixture
def session(qtbot) -> Iterator[RecordsSession]:
    owner = QWidget()
    qtbot.addWidget(owner)
    opened = RecordsSession(load_settings().settings, TaskRunner(owner), owner, clock=lambda: AT)
    with qtbot.waitSignal(opened.sig_opened, timeout=15_000):
        opened.open()
    yield opened
    opened.tasks.shutdown()
    opened.close()


def predicted(probabilities: dict[str, float], refer: bool) -> PredictionInput:
    ranking = sorted(probabilities, key=lambda code: -probabilities[code])
    found = Assessment(probabilities, ranking, "malignant" if refer else "benign", "", refer, [], "")
    return PredictionInput.from_assessment(found, MODEL, 30.0)


def form_with_disagreeing_stills(qtbot, session: RecordsSession, patient: NewPatient) -> DiagnosisForm:
    """A doctor's diagnosis form for a lesion whose two stills disagree: polarised white light sees a naevus
    (no referral), plain white light a keratosis with melanoma behind it (referral)."""
    records = session.require_records()
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    records.patients.register(doctor, patient)
    stills = [
        ("white_polarised", predicted({"nv": 0.98, "bkl": 0.02}, False)),
        ("white", predicted({"bkl": 0.64, "mel": 0.36}, True)),
    ]
    for seed, (light, prediction) in enumerate(stills):
        records.captures.save(
            doctor,
            CaptureRequest(
                patient.record_number,
                png_bytes(seed),
                new_lesion=NewLesion("upper extremity", "left forearm") if seed == 0 else None,
                lesion_label=None if seed == 0 else "L1",
                metadata=CaptureMetadata(lighting_mode=light, captured_at=AT + timedelta(minutes=seed)),
                prediction=prediction,
            ),
        )
    session.sign_in(doctor)
    lesion = records.patients.get(doctor, patient.record_number).lesions[0]
    form = DiagnosisForm(session, patient.record_number, lesion)
    qtbot.addWidget(form)
    return form


def test_the_diagnosis_form_quotes_the_lesions_one_advice_with_still_and_light(
    qtbot, session: RecordsSession
) -> None:
    form = form_with_disagreeing_stills(
        qtbot, session, NewPatient("DD-000031", "Grace", "Hopper", date(1966, 12, 9), "female")
    )
    text = form.suggestion.text()
    assert "Referral advised — Benign keratosis 64%, from picture 2 (white, " in text
    assert "The stills disagree; rule: Most cautious referral" in text
    assert "white polarised, picture 1: Melanocytic naevus 98%, no referral advised" in text
    assert form.close_button.isVisible() or form.close_button.isVisibleTo(form)


def test_the_diagnosis_form_lists_the_disagreeing_stills_in_korean(
    qtbot, session: RecordsSession, korean: str
) -> None:
    """Issue 27: the per-picture lines and the rule follow the window's language (glossary terms)."""
    from dermdesk.i18n.glossary import term

    form = form_with_disagreeing_stills(
        qtbot, session, NewPatient("DD-000032", "민수", "김", date(1966, 12, 9), "male")
    )
    text = form.suggestion.text()
    polarised, white = term("light.white_polarised", "ko"), term("light.white", "ko")
    naevus, keratosis = term("diagnosis.nv", "ko"), term("diagnosis.bkl", "ko")
    assert f"• {polarised}, 사진 1: {naevus} 98%, 의뢰 권고 없음" in text
    assert f"• {white}, 사진 2: {keratosis} 64%, 의뢰 권고" in text
    assert "정지 영상들의 판독이 서로 다릅니다. 규칙: 가장 신중한 의뢰" in text
    for english in ("picture", "advises referral", "no referral advised", "Most cautious"):
        assert english not in text


def test_the_about_box_says_the_cpu_cap_in_korean(korean: str) -> None:
    """Issue 27: the ONEDNN_MAX_CPU_ISA line of the About box in the window's language; the log keeps
    the English message."""
    from dermdesk.inference.cpu_isa import read_isa_setting
    from dermdesk.ui.shell.about import isa_text

    features = {"SSE41": True, "AVX": True, "AVX2": True, "FMA3": True, "AVX512F": False}
    unknown = read_isa_setting({"ONEDNN_MAX_CPU_ISA": "PENTIUM"}, features)
    assert (
        "OpenVINO가 아는 명령어 집합" in isa_text(unknown) and "is not an instruction set" in unknown.message
    )
    capped = read_isa_setting({"ONEDNN_MAX_CPU_ISA": "AVX2"}, features)
    assert isa_text(capped).startswith("ONEDNN_MAX_CPU_ISA=AVX2: 모델이 AVX2(으)로 제한된 CPU에서처럼")
    assert isa_text(read_isa_setting({}, features)) == ""
