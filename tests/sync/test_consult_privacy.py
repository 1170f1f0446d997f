"""The privacy scan of teledermatology: identifiers planted in every field a station holds (names in
Latin and Hangul, record number, birth date, phone, free-text notes, the camera's serial, the pictures' own
metadata with a resident registration number, which the records themselves refuse, the question and the
note) are found nowhere in the central
service's database or files after a consult went back and forth."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import numpy as np
import pytest
from PIL import Image, PngImagePlugin
from records.helpers import Team

from dermdesk.central.config import CentralConfig
from dermdesk.consults import desk
from dermdesk.consults.clips import write_clip
from dermdesk.consults.sender import clips_dir
from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    NewDiagnosis,
    NewLesion,
    Records,
    RecordValidationError,
)
from dermdesk.settings import DermDeskSettings
from sync.conftest import PREDICTION, add_patient, station_settings
from sync.consult_fixtures import ANSWER, MORE, Specialist, clinic_station, draft, sender
from sync.servers import LiveServer

PEOPLE = [  # given, family, record number, born, phone, resident registration number
    ("Quentinella", "Xyloberg", "ZQ-48151623", date(1963, 8, 29), "010-7319-2468", "630829-2718281"),
    ("서윤", "황보", "ZQ-99887766", date(1988, 2, 3), "02-3141-5926", "880203-1414213"),
]


def marked_png(seed: int, text: str) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, (48, 48, 3), dtype=np.uint8)
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Comment", text)  # the picture's own metadata names the patient
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.mark.slow
def test_no_identifier_reaches_the_central_service(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
) -> None:
    token, specialist_token = clinic_station(central_config)
    specialist = Specialist(central.url, specialist_token)
    station = station_settings(settings, central.url, token)
    for n, (given, family, number, born, phone, rrn) in enumerate(PEOPLE):
        identity = f"{given} {family} {number} {phone} {rrn}"
        with pytest.raises(RecordValidationError, match="resident registration number"):
            add_patient(  # the records never hold a resident registration number (issue 27) ...
                records,
                team,
                number,
                given_name=given,
                family_name=family,
                date_of_birth=born,
                contact=identity,
            )
        add_patient(  # ... so it is planted where a station may still carry it: the pictures' own metadata
            records, team, number, given_name=given, family_name=family, date_of_birth=born, contact=phone
        )
        for seed, light in ((1, "white_polarised"), (2, "white")):
            records.captures.save(
                team.staff,
                CaptureRequest(
                    record_number=number,
                    image=marked_png(10 * n + seed, identity),
                    new_lesion=NewLesion("posterior torso", f"{given} {family}'s shoulder")
                    if seed == 1
                    else None,
                    lesion_label=None if seed == 1 else "L1",
                    metadata=CaptureMetadata(
                        camera=f"Dermatoscope of {family} SN-77{n}",
                        lighting_mode=light,
                        polarised=light == "white_polarised",
                        contact=True,
                        captured_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
                    ),
                    prediction=PREDICTION,
                ),
            )
        records.diagnoses.record(
            team.doctor,
            number,
            "L1",
            NewDiagnosis("clinical", dx_code="nv", notes=f"Seen with {given} {family}, {phone}"),
        )
        records.consults.set_consent(team.staff, number, True)
        for leaky in (
            f"{family}{given} 환자의 점",
            f"{given} {family}: changing mole",
            f"born {born.year}년 {born.month}월 {born.day}일",
            f"born {born:%d/%m/%Y}",
            f"record {number}",
            f"call {phone}",
            f"RRN {rrn}",
        ):
            with pytest.raises(RecordValidationError):
                desk.send(records, team.staff, draft(number, leaky))
        info = desk.send(records, team.staff, draft(number, "Changing mole on the back; please advise"))
        sender(records, station).run_once()
        central_id = records.consults.get(team.staff, info.id).central_id
        assert central_id is not None
        specialist.review(central_id)
        assert specialist.reply(central_id, MORE).status_code == 201
        sender(records, station).run_once()
        clip = write_clip([np.full((64, 64, 3), 90, np.uint8)] * 10, 10.0, clips_dir(station))
        with pytest.raises(RecordValidationError):
            desk.more_information(records, team.staff, info.id, [], clip=clip, note=f"for {given} {family}")
        desk.more_information(records, team.staff, info.id, [], clip=clip, note="the clip you asked for")
        sender(records, station).run_once()
        assert specialist.reply(central_id, ANSWER).status_code == 201
        assert sender(records, station).run_once().replies == 1
    central.stop()
    needles = ["Dr Dora", "dora", "SN-77", "Dermatoscope of"]
    for given, family, number, born, phone, rrn in PEOPLE:
        needles += [given, family, number, number.replace("-", ""), phone, phone.replace("-", ""), rrn]
        needles += [born.isoformat(), born.strftime("%Y%m%d"), born.strftime("%d/%m/%Y"), f"{born.year}년"]
    blobs = [p.read_bytes() for p in central_config.home.rglob("*") if p.is_file()]
    assert len(blobs) > 5
    for needle in needles:
        forms = {needle.encode(), needle.lower().encode(), json.dumps(needle)[1:-1].encode()}  # \\uXXXX too
        for blob in blobs:
            for form in forms:
                assert form not in blob and form.lower() not in blob.lower(), needle
