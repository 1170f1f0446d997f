"""One lesion, one advice (issue 20): stills under two lights that disagree, and the stated rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dermdesk.inference.postprocess import Assessment
from dermdesk.records import CaptureMetadata, PredictionInput, Records
from dermdesk.records.lesion_advice import ADVICE_RULE, lesion_advice
from records.helpers import Team
from records.test_captures import MODEL, capture

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def predicted(probabilities: dict[str, float], refer: bool) -> PredictionInput:
    ranking = sorted(probabilities, key=lambda code: -probabilities[code])
    found = Assessment(probabilities, ranking, "malignant" if refer else "benign", "", refer, [], "")
    return PredictionInput.from_assessment(found, MODEL, 30.0)


def still(patient: str, seed: int, light: str, minutes: int, prediction: PredictionInput, **kw: object):
    metadata = CaptureMetadata(lighting_mode=light, captured_at=AT + timedelta(minutes=minutes))
    return capture(patient, seed, metadata=metadata, prediction=prediction, **kw)


def test_stills_that_disagree_give_the_most_cautious_advice_naming_still_and_light(
    records: Records, team: Team, patient: str
) -> None:
    records.captures.save(
        team.staff, still(patient, 1, "white_polarised", 0, predicted({"mel": 0.55, "nv": 0.45}, True))
    )
    records.captures.save(
        team.staff,
        still(
            patient,
            2,
            "white",
            5,
            predicted({"bkl": 0.64, "nv": 0.36}, False),
            new_lesion=None,
            lesion_label="L1",
        ),
    )
    lesion = records.patients.get(team.doctor, patient).lesions[0]
    advice = lesion_advice(lesion.images)
    assert advice is not None and advice.refer and advice.disagree
    assert advice.decided_by.image.number == 1 and advice.decided_by.image.lighting_mode == "white_polarised"
    assert [r.text for r in advice.readings] == [
        "white polarised, picture 1: Melanoma 55%, advises referral",
        "white, picture 2: Benign keratosis 64%, no referral advised",
    ]
    assert "from picture 1 (white polarised" in advice.summary and ADVICE_RULE in advice.summary


def test_without_any_referral_the_newest_still_speaks_and_left_out_stills_are_not_used(
    records: Records, team: Team, patient: str
) -> None:
    records.captures.save(team.staff, still(patient, 1, "white_polarised", 0, predicted({"nv": 0.98}, False)))
    records.captures.save(
        team.staff,
        still(patient, 2, "white", 5, predicted({"mel": 0.7}, True), new_lesion=None, lesion_label="L1"),
    )
    lesion = records.patients.get(team.doctor, patient).lesions[0]
    records.captures.set_for_report(team.staff, lesion.images[1].id, False, "blurred")
    lesion = records.patients.get(team.doctor, patient).lesions[0]
    advice = lesion_advice(lesion.images)
    assert advice is not None and not advice.refer and not advice.disagree
    assert advice.summary.startswith("No referral advised — Melanocytic naevus 98%, from picture 1")
