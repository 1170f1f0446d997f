"""Issue 20 in the report: one lesion, one advice naming its still and light; pictures left out."""

from __future__ import annotations

from datetime import date

from records.helpers import Clock, Team

from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion, NewPatient, Records
from dermdesk.records.lesion_advice import ADVICE_RULE
from dermdesk.reports import render_visit_report, visit_report_data
from dermdesk.settings import DermDeskSettings
from reports import pdf
from reports.seed import picture, prediction

RECORD = "DD-000820"
NAEVUS = {"nv": 0.98, "mel": 0.01, "bkl": 0.01}
KERATOSIS = {"bkl": 0.64, "mel": 0.31, "nv": 0.05}


def seed(records: Records, team: Team, clock: Clock) -> None:
    records.patients.register(team.staff, NewPatient(RECORD, "Grace", "Hopper", date(1966, 12, 9), "female"))
    records.captures.save(
        team.staff,
        CaptureRequest(
            RECORD,
            picture(1),
            new_lesion=NewLesion("upper extremity", "right forearm"),
            metadata=CaptureMetadata(lighting_mode="white_polarised", captured_at=clock.now),
            prediction=prediction(NAEVUS, False),
        ),
    )
    clock.advance(minutes=2)
    records.captures.save(
        team.staff,
        CaptureRequest(
            RECORD,
            picture(2),
            lesion_label="L1",
            metadata=CaptureMetadata(lighting_mode="white", captured_at=clock.now),
            prediction=prediction(KERATOSIS, True),
        ),
    )
    clock.advance(minutes=2)
    records.captures.save(  # a black still kept by mistake, then left out of reports
        team.staff,
        CaptureRequest(
            RECORD,
            picture(3),
            lesion_label="L1",
            metadata=CaptureMetadata(
                lighting_mode="off", captured_at=clock.now, quality_gate_overridden=True
            ),
        ),
    )


def test_the_report_quotes_one_advice_with_its_still_light_and_rule(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings
) -> None:
    seed(records, team, clock)
    images = records.patients.get(team.doctor, RECORD).lesions[0].images
    data = render_visit_report(visit_report_data(records, team.doctor, RECORD, None, settings))
    whole = " ".join(pdf.texts(data))
    assert "from the picture in white light (non-polarised), " in whole and "(picture 2)" in whole
    assert "The stills disagree:" in whole
    assert "white polarised, picture 1: Melanocytic naevus 98%, no referral advised" in whole
    assert "white, picture 2: Benign keratosis 64%, advises referral" in whole
    assert " ".join(f"Rule: {ADVICE_RULE}".split()) in whole
    assert "kept despite the quality check" in whole
    assert sum(pdf.picture_counts(data)) == 3
    records.captures.set_for_report(team.staff, images[2].id, False, "black still")
    data = render_visit_report(visit_report_data(records, team.doctor, RECORD, None, settings))
    assert sum(pdf.picture_counts(data)) == 2  # the left-out picture is not printed
    assert "kept despite the quality check" not in " ".join(pdf.texts(data))
