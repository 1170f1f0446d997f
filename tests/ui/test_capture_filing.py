"""Filing the station's stills to a lesion: metadata from the sidecar, the live prediction, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from dermdesk.capture.session_stills import CapturedStill
from dermdesk.capture.sidecar import StillSidecar
from dermdesk.capture.stills import SavedStill
from dermdesk.filing import (
    CaptureTarget,
    camera_exposure,
    capture_metadata,
    live_prediction,
    magnification_value,
)
from dermdesk.inference.gate import SUITABLE
from dermdesk.inference.live import LiveResult
from dermdesk.inference.live_display import LiveDisplay
from dermdesk.inference.postprocess import Assessment
from dermdesk.records import NewLesion, NewPatient, PredictionInput, UserInfo
from dermdesk.settings import load_settings
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records.capture_filing import CaptureFiler

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse battery"
MODEL = {"name": "dermdesk-effnet", "version": "1.2.0", "sha256": "ab" * 32}
CAPTURED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SIDECAR = {
    "file": "still-0001.png",
    "sha256": "5e" * 32,
    "captured_at": "2026-03-02T09:29:59.875+00:00",
    "saved_at": "2026-03-02T09:30:00.012+00:00",
    "source": "Virtual dermatoscope",
    "width": 640,
    "height": 480,
    "lighting": "white_polarised",
    "polarised": True,
    "wavelength_nm": None,
    "frame_index": 412,
    "frame_metadata": {"virtual": True, "lighting": "white_polarised"},
    "device": "virtual",
    "contact": True,
    "scale": {"mm_per_pixel": 0.02, "width": 1280, "height": 960, "magnification": "20x"},
    "quality": {"passed": True, "scores": {"sharpness": 812.5, "brightness": 120.0, "lesion_contrast": None}},
    "quality_gate": "applied",
    "quality_gate_overridden": False,
}


def assessment() -> Assessment:
    return Assessment(
        probabilities={"mel": 0.62, "nv": 0.30, "bkl": 0.08},
        ranking=["mel", "nv", "bkl"],
        triage="malignant",
        triage_name="",
        refer=True,
        referral_reasons=["mel probability 62% reaches its referral threshold 30%"],
        guidance="",
    )


def display_of(result: LiveResult | None) -> LiveDisplay | None:
    return None if result is None else LiveDisplay(result=result, heatmap=None, heatmap_class=None)


def live_result(model: dict[str, str], *, with_assessment: bool = True) -> LiveResult:
    found = assessment() if with_assessment else None
    return LiveResult(7, SUITABLE, found, found, None, None, 38.5, 4, model)


def test_the_sidecar_becomes_capture_metadata() -> None:
    metadata = capture_metadata(StillSidecar.model_validate(SIDECAR), CAPTURED_AT, exposure=-4.0)
    assert (metadata.camera, metadata.lighting_mode, metadata.polarised, metadata.contact) == (
        "Virtual dermatoscope",
        "white_polarised",
        True,
        True,
    )
    assert metadata.mm_per_px == pytest.approx(0.04)  # measured at 1280 px across, the still is 640
    assert metadata.magnification == 20.0 and metadata.exposure == -4.0
    assert metadata.quality_scores == {"sharpness": 812.5, "brightness": 120.0}
    assert metadata.captured_at == CAPTURED_AT and not metadata.quality_gate_overridden


def test_no_sidecar_gives_empty_metadata_not_an_error() -> None:
    metadata = capture_metadata(None, CAPTURED_AT, exposure=None)
    assert (metadata.camera, metadata.mm_per_px, metadata.magnification, metadata.quality_scores) == (
        None,
        None,
        None,
        {},
    )


@pytest.mark.parametrize(("label", "value"), [("20x", 20.0), ("10×", 10.0), ("2.5", 2.5), ("default", None)])
def test_magnification_labels(label: str, value: float | None) -> None:
    assert magnification_value(label) == value


def test_the_live_result_is_filed_as_the_prediction_only_when_it_is_current_and_complete() -> None:
    prediction = live_prediction(display_of(live_result(MODEL)))
    assert prediction is not None
    assert (prediction.model_name, prediction.ranking[0], prediction.refer, prediction.latency_ms) == (
        "dermdesk-effnet",
        "mel",
        True,
        38.5,
    )
    assert live_prediction(display_of(live_result(MODEL, with_assessment=False))) is None
    assert live_prediction(display_of(live_result({"name": "x"}))) is None
    assert live_prediction(None) is None  # paused, stale or no result yet: the station model holds None
    assert live_prediction(SimpleNamespace(result=live_result(MODEL))) is None


def test_the_manual_exposure_is_recorded_but_not_an_automatic_one() -> None:
    assert camera_exposure({"exposure": -5.0, "exposure.auto": False}) == -5.0
    assert camera_exposure({"exposure": -5.0, "exposure.auto": True}) is None
    assert camera_exposure({}) is None


# --- filing through a real session ------------------------------------------------------------------


@pytest.fixture
def session(qtbot) -> Iterator[RecordsSession]:
    owner = QWidget()
    qtbot.addWidget(owner)
    opened = RecordsSession(load_settings().settings, TaskRunner(owner), owner, clock=lambda: CAPTURED_AT)
    with qtbot.waitSignal(opened.sig_opened, timeout=15_000):
        opened.open()
    yield opened
    opened.tasks.shutdown()
    opened.close()


def staff_with_lesion(session: RecordsSession) -> UserInfo:
    records = session.require_records()
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    patient = NewPatient("DD-000009", "Ada", "Lovelace", datetime(1971, 5, 17).date(), "female")
    records.patients.register(staff, patient)
    records.lesions.add(staff, "DD-000009", NewLesion("upper extremity", "left forearm"))
    session.sign_in(staff)
    session.set_target(CaptureTarget("DD-000009", "L1", "upper extremity, left forearm"))
    return staff


def saved_still(folder: Path) -> CapturedStill:
    picture = np.full((480, 640, 3), 90, np.uint8)
    cv2.circle(picture, (320, 240), 80, (40, 60, 120), -1)
    path = folder / "still-0001.png"
    cv2.imwrite(str(path), picture)
    path.with_suffix(".json").write_text(json.dumps(SIDECAR))
    return CapturedStill(
        SavedStill(path, path.with_suffix(".json"), "unused", 1), np.zeros((4, 4, 3), np.uint8)
    )


def test_a_saved_still_is_filed_with_its_metadata_and_the_prediction(
    qtbot, session: RecordsSession, tmp_path: Path
) -> None:
    staff = staff_with_lesion(session)
    prediction = PredictionInput.from_assessment(assessment(), MODEL, 38.5)
    filer = CaptureFiler(session, prediction=lambda: prediction, exposure=lambda: -4.0)
    with qtbot.waitSignal(filer.sig_filed, timeout=15_000) as filed:
        filer.file(saved_still(tmp_path))
    assert filed.args[0].lesion_label == "L1" and not filed.args[0].spooled
    lesion = session.require_records().patients.get(staff, "DD-000009").lesions[0]
    (image,) = lesion.images
    assert (image.camera, image.lighting_mode, image.mm_per_px, image.magnification, image.exposure) == (
        "Virtual dermatoscope",
        "white_polarised",
        pytest.approx(0.04),
        20.0,
        -4.0,
    )
    assert image.captured_at == CAPTURED_AT and image.visit_date == CAPTURED_AT.astimezone().date()
    assert image.predictions[0].model_name == "dermdesk-effnet" and image.predictions[0].ranking[0] == "mel"
    assert lesion.referrals[0].status == "suggested"  # the model advised referral


def test_nothing_is_filed_while_locked_and_the_status_bar_says_so(
    qtbot, session: RecordsSession, tmp_path: Path
) -> None:
    staff = staff_with_lesion(session)
    filer = CaptureFiler(session)
    session.lock()
    with qtbot.waitSignal(filer.sig_message, timeout=1000) as message:
        filer.file(saved_still(tmp_path))
    assert "was not filed to DD-000009: the records are locked" in message.args[0]
    assert session.tasks.running() == []
    assert session.require_records().patients.get(staff, "DD-000009").lesions[0].images == ()


def test_a_still_that_cannot_be_read_back_is_reported_not_lost_silently(
    qtbot, session: RecordsSession, tmp_path: Path
) -> None:
    staff_with_lesion(session)
    filer = CaptureFiler(session)
    still = saved_still(tmp_path)
    still.saved.path.unlink()
    with qtbot.waitSignal(filer.sig_message, timeout=15_000) as message:
        filer.file(still)
    assert "still-0001.png was NOT filed to DD-000009 L1" in message.args[0]
