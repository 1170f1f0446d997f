"""Records to report on: a patient followed over two visits, pictures, predictions and diagnoses."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageDraw
from records.helpers import PASSWORD, Clock, Team

from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    NewDiagnosis,
    NewLesion,
    NewPatient,
    PredictionInput,
    Records,
)

MODEL_SHA = "9e" * 32
RECORD = "DD-000777"
GIVEN = "Ærøskøbing Ольга"
FAMILY = "김민준 王小明 やまだ"
ROUTINE = {"nv": 0.72, "mel": 0.15, "bkl": 0.06, "bcc": 0.03, "akiec": 0.02, "df": 0.01, "vasc": 0.01}
SUSPECT = {"mel": 0.41, "nv": 0.33, "bkl": 0.12, "bcc": 0.08, "akiec": 0.04, "df": 0.01, "vasc": 0.01}
SITES = [
    (0.17, 0.45, "front"),
    (0.5, 0.3, "back"),
    (0.62, 0.7, "front"),
    (0.4, 0.85, "back"),
    (0.5, 0.06, "front"),
]


@dataclass(frozen=True)
class Clinic:
    record_number: str
    first_visit: date
    second_visit: date
    lesions: int


def picture(seed: int, size: tuple[int, int] = (320, 240), fmt: str = "PNG") -> bytes:
    """A small skin-coloured picture with a brown lesion; different bytes for every seed."""
    image = Image.new("RGB", size, (226 - seed % 20, 178, 160))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.3, h * 0.25, w * 0.7, h * 0.75), fill=(110 + seed % 60, 60, 40))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def prediction(probabilities: dict[str, float], refer: bool) -> PredictionInput:
    ranking = sorted(probabilities, key=lambda code: probabilities[code], reverse=True)
    reasons = ["mel probability 41% reaches its referral threshold 30%"] if refer else []
    triage = "indeterminate" if refer else "benign_mole"
    return PredictionInput(
        "dermdesk-lesion", "1.2.0", MODEL_SHA, probabilities, ranking, triage, refer, 9.0, reasons
    )


def seed_clinic(
    records: Records,
    team: Team,
    clock: Clock,
    *,
    lesions: int = 2,
    given: str = GIVEN,
    family: str = FAMILY,
    record_number: str = RECORD,
) -> Clinic:
    """`lesions` lesions photographed at a first visit and, 60 days later, again in two lights, with the
    model's prediction and a doctor's diagnosis (L1 signed, L2 with a suspicious prediction)."""
    records.patients.register(
        team.staff, NewPatient(record_number, given, family, date(1971, 5, 17), "female", fitzpatrick=2)
    )
    first = clock.now.astimezone().date()
    for index in range(lesions):
        x, y, view = SITES[index % len(SITES)]
        records.captures.save(
            team.staff,
            CaptureRequest(
                record_number,
                picture(index),
                new_lesion=NewLesion("upper extremity", "right forearm", x, y, view),
                metadata=CaptureMetadata(
                    lighting_mode="white_polarised", mm_per_px=0.05, captured_at=clock.now
                ),
                prediction=prediction(ROUTINE, False),
            ),
        )
    clock.advance(days=60)
    for index in range(lesions):
        label = f"L{index + 1}"
        suspect = index % 2 == 1
        records.captures.save(
            team.staff,
            CaptureRequest(
                record_number,
                picture(100 + index),
                lesion_label=label,
                metadata=CaptureMetadata(
                    lighting_mode="white_polarised", mm_per_px=0.05, captured_at=clock.now
                ),
                prediction=prediction(SUSPECT if suspect else ROUTINE, suspect),
            ),
        )
        records.captures.save(
            team.staff,
            CaptureRequest(
                record_number,
                picture(200 + index),
                lesion_label=label,
                metadata=CaptureMetadata(lighting_mode="uv_365", captured_at=clock.now),
            ),
        )
        records.diagnoses.record(
            team.doctor,
            record_number,
            label,
            NewDiagnosis(
                "clinical",
                dx_code=None if suspect else "nv",
                dx_other="Atypical naevus, excision advised" if suspect else None,
                notes="Regular network; Kontrolle in 6 Monaten. 경과 관찰.",
            ),
            sign_off_password=PASSWORD if index == 0 else None,
        )
    return Clinic(record_number, first, clock.now.astimezone().date(), lesions)
