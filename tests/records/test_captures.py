"""Filing captures: content-addressed files, rows with metadata and predictions, roles, refusals."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from dermdesk.inference.postprocess import Assessment
from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    NewLesion,
    NotFound,
    PermissionDenied,
    PredictionInput,
    Records,
    RecordValidationError,
    models,
)
from records.helpers import Team, png_bytes

MODEL = {"name": "dermdesk-effnet", "version": "1.2.0", "sha256": "ab" * 32}


def assessment(refer: bool) -> Assessment:
    probabilities = {"mel": 0.62, "nv": 0.30, "bkl": 0.08} if refer else {"nv": 0.91, "bkl": 0.09}
    return Assessment(
        probabilities=probabilities,
        ranking=list(probabilities),
        triage="malignant" if refer else "benign",
        triage_name="",
        refer=refer,
        referral_reasons=["mel probability 62% reaches its referral threshold 30%"] if refer else [],
        guidance="",
    )


def capture(patient: str, seed: int, **changes: object) -> CaptureRequest:
    values: dict[str, object] = {
        "record_number": patient,
        "image": png_bytes(seed),
        "new_lesion": NewLesion("upper extremity", "left forearm", 0.2, 0.55, "front"),
        "metadata": CaptureMetadata(
            camera="Virtual dermatoscope",
            lighting_mode="white_polarised",
            polarised=True,
            contact=False,
            magnification=10.0,
            mm_per_px=0.02,
            exposure=-1.0,
            captured_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            quality_scores={"sharpness": 0.8, "exposure": 0.6},
        ),
    }
    values.update(changes)
    return CaptureRequest(**values)  # type: ignore[arg-type]


def test_a_capture_files_the_image_and_its_rows(records: Records, team: Team, patient: str) -> None:
    request = capture(patient, 1, prediction=PredictionInput.from_assessment(assessment(False), MODEL, 41.5))
    result = records.captures.save(team.staff, request)
    assert not result.spooled and result.lesion_label == "L1"
    digest = hashlib.sha256(request.image).hexdigest()
    stored = records.store.root / digest[:2] / digest[2:4] / f"{digest}.png"
    assert stored.read_bytes() == request.image
    lesion = records.patients.get(team.doctor, patient).lesions[0]
    image = lesion.images[0]
    assert (image.sha256, image.relative_path, image.captured_by) == (
        digest,
        f"{digest[:2]}/{digest[2:4]}/{digest}.png",
        "sam",
    )
    assert (image.camera, image.polarised, image.mm_per_px, image.quality_scores) == (
        "Virtual dermatoscope",
        True,
        0.02,
        {"sharpness": 0.8, "exposure": 0.6},
    )
    prediction = image.predictions[0]
    assert (prediction.model_version, prediction.ranking[0], prediction.refer, prediction.latency_ms) == (
        "1.2.0",
        "nv",
        False,
        41.5,
    )
    assert lesion.referrals == ()
    assert image.visit_date == request.metadata.captured_at.astimezone().date()


def test_follow_up_captures_join_the_lesion_and_a_referral_is_suggested(
    records: Records, team: Team, patient: str
) -> None:
    records.captures.save(team.staff, capture(patient, 1))
    follow_up = capture(
        patient,
        2,
        new_lesion=None,
        lesion_label="l1",
        prediction=PredictionInput.from_assessment(assessment(True), MODEL),
    )
    records.captures.save(team.doctor, follow_up)
    (lesion,) = records.patients.get(team.doctor, patient).lesions
    assert len(lesion.images) == 2
    assert lesion.referrals[0].status == "suggested" and "mel probability" in lesion.referrals[0].reason


def test_the_same_picture_twice_is_stored_once(records: Records, team: Team, patient: str) -> None:
    records.captures.save(team.staff, capture(patient, 7))
    records.captures.save(team.staff, capture(patient, 7, new_lesion=None, lesion_label="L1"))
    assert len(list(records.store.files())) == 1


def test_refusals_leave_nothing_behind(records: Records, team: Team, patient: str) -> None:
    with pytest.raises(PermissionDenied, match="may not capture images"):
        records.captures.save(team.admin, capture(patient, 1))
    with pytest.raises(RecordValidationError, match="not a picture"):
        records.captures.save(team.staff, capture(patient, 1, image=b"%PDF-1.7 not an image"))
    with pytest.raises(RecordValidationError, match="Unknown body site"):
        records.captures.save(team.staff, capture(patient, 1, new_lesion=NewLesion("elbow")))
    with pytest.raises(NotFound, match="has no lesion L9"):
        records.captures.save(team.staff, capture(patient, 1, new_lesion=None, lesion_label="L9"))
    with records.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(models.Image)) == 0
        assert session.scalar(select(func.count()).select_from(models.Lesion)) == 0


def test_capture_is_audited_with_ids_only(records: Records, team: Team, patient: str) -> None:
    result = records.captures.save(team.staff, capture(patient, 3))
    (event,) = records.audit.list(team.admin, action="capture")
    assert event.object_id == str(result.image_id)
    assert event.detail["patient"] == patient and event.detail["sha256"] == result.sha256


def test_a_doctor_deletes_an_image_filed_in_error_with_a_reason(
    records: Records, team: Team, patient: str
) -> None:
    result = records.captures.save(team.staff, capture(patient, 4))
    assert result.image_id is not None
    with pytest.raises(PermissionDenied):
        records.captures.delete_image(team.staff, result.image_id, "wrong patient")
    records.captures.delete_image(team.doctor, result.image_id, "wrong patient")
    assert records.patients.get(team.doctor, patient).lesions[0].images == ()
    (event,) = records.audit.list(team.admin, action="delete")
    assert event.detail["reason"] == "wrong patient"
