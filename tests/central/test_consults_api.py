"""The consult API on a real server on 127.0.0.1, with the database on SQLite and on PostgreSQL: clinics
see only their own consults, answers are given once and amended in versions, every step is audited, and
answered consults of consenting patients become labelled training cases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sync.servers import LiveServer

from central.consult_helpers import answer, key, picture, request_body
from dermdesk.central import audit, clinics, store
from dermdesk.central.app import create_app
from dermdesk.central.config import CentralConfig


@dataclass
class Centre:
    url: str
    config: CentralConfig
    engine: object
    clinic_a: str
    clinic_b: str
    specialist: str
    outsider: str

    def post(self, path: str, token: str, body: bytes | dict, k: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if k:
            headers["Idempotency-Key"] = k
        if isinstance(body, dict):
            return requests.post(self.url + path, json=body, headers=headers, timeout=10)
        return requests.post(self.url + path, data=body, headers=headers, timeout=10)

    def get(self, path: str, token: str) -> requests.Response:
        return requests.get(self.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10)


@pytest.fixture
def centre(tmp_path: Path, database_url: str | None) -> Iterator[Centre]:
    config = CentralConfig(home=tmp_path / "central", database_url=database_url)
    server = LiveServer(create_app(config)).start()
    engine = store.open_engine(config.url)
    tokens = {}
    for name in ("Clinic A", "Clinic B"):
        clinic = clinics.add_clinic(engine, name)
        tokens[name] = store.add_device(engine, f"{name}-station")
        device = store.device_for_token(engine, tokens[name])
        assert device is not None
        clinics.attach_device(engine, device, clinic)
    _, specialist = clinics.add_dermatologist(engine, "Dr Hana Seo", "KMA-12345")
    clinics.assign(engine, "KMA-12345", "Clinic A")
    _, outsider = clinics.add_dermatologist(engine, "Dr Out Sider", "KMA-99999")
    clinics.assign(engine, "KMA-99999", "Clinic B")
    try:
        yield Centre(server.url, config, engine, tokens["Clinic A"], tokens["Clinic B"], specialist, outsider)
    finally:
        server.stop()
        engine.dispose()  # type: ignore[attr-defined]


def send(centre: Centre, **changes: object) -> str:
    response = centre.post("/v1/consults", centre.clinic_a, request_body(**changes), key())  # type: ignore[arg-type]
    assert response.status_code == 201, response.text
    return str(response.json()["consult_id"])


def test_a_consult_is_answered_after_more_information_and_becomes_training_cases(centre: Centre) -> None:
    consult = send(centre)
    assert centre.get(f"/v1/consults/{consult}", centre.clinic_a).json()["state"] == "received"
    seen = centre.get(f"/v1/review/consults/{consult}", centre.specialist).json()
    assert seen["state"] == "in review" and len(seen["media"]) == 2
    assert seen["request"]["question"].startswith("Changing naevus")
    ask = centre.post(
        f"/v1/review/consults/{consult}/replies", centre.specialist, answer("more information"), key()
    )
    assert ask.status_code == 201 and ask.json()["version"] == 1
    assert (
        centre.get(f"/v1/consults/{consult}", centre.clinic_a).json()["state"] == "more information requested"
    )
    added = centre.post(
        f"/v1/consults/{consult}/information",
        centre.clinic_a,
        {"note": "closer still", "pictures": [picture(7)]},
        key(),
    )
    assert added.status_code == 201, added.text
    assert centre.get(f"/v1/consults/{consult}", centre.clinic_a).json()["state"] == "received"
    reply = centre.post(f"/v1/review/consults/{consult}/replies", centre.specialist, answer(), key())
    assert reply.status_code == 201 and reply.json()["version"] == 2
    status = centre.get(f"/v1/consults/{consult}", centre.clinic_a).json()
    assert status["state"] == "answered"
    final = status["answers"][-1]
    assert (final["diagnosis"], final["management"], final["follow_up_months"]) == ("nv", "follow-up", 6)
    assert (final["specialist_name"], final["specialist_registration"]) == ("Dr Hana Seo", "KMA-12345")
    cases = [
        c
        for c in store.all_cases(centre.engine)
        if c["metadata"]["diagnosis_confirm_type"] == "teledermatology"
    ]  # type: ignore[arg-type]
    assert len(cases) == 3 and all(c["labelled"] and c["metadata"]["diagnosis"] == "nv" for c in cases)
    assert all(store.image_path(centre.config.images_dir, c["image_sha256"]).is_file() for c in cases)
    actions = [e["action"] for e in audit.entries(centre.engine)]  # type: ignore[arg-type]
    for step in (
        "consult received",
        "consult viewed",
        "more information given",
        "information added",
        "answer given",
        "status fetched",
    ):
        assert step in actions


def test_answers_are_immutable_and_corrected_by_versioned_amendments(centre: Centre) -> None:
    consult = send(centre)
    first_key = key()
    first = centre.post(f"/v1/review/consults/{consult}/replies", centre.specialist, answer(), first_key)
    again = centre.post(f"/v1/review/consults/{consult}/replies", centre.specialist, answer(), first_key)
    assert first.status_code == 201 and again.status_code == 200 and again.json()["replayed"]
    double = centre.post(
        f"/v1/review/consults/{consult}/replies",
        centre.specialist,
        answer(diagnosis="mel", management="excision", follow_up_months=None),
        key(),
    )
    assert double.status_code == 409 and "amendment" in double.json()["detail"]
    amend = centre.post(
        f"/v1/review/consults/{consult}/replies",
        centre.specialist,
        answer("amendment", diagnosis="mel", management="excision", follow_up_months=None, amends=1),
        key(),
    )
    assert amend.status_code == 201 and amend.json()["version"] == 2
    answers = centre.get(f"/v1/consults/{consult}", centre.clinic_a).json()["answers"]
    assert [(a["kind"], a["diagnosis"]) for a in answers] == [("answer", "nv"), ("amendment", "mel")]
    labels = {c["metadata"]["diagnosis"] for c in store.all_cases(centre.engine)}  # type: ignore[arg-type]
    assert labels == {"mel"}  # the label follows the newest version


def test_no_research_consent_means_no_training_case(centre: Centre) -> None:
    consult = send(centre, consent=False)
    assert (
        centre.post(f"/v1/review/consults/{consult}/replies", centre.specialist, answer(), key()).status_code
        == 201
    )
    assert store.all_cases(centre.engine) == []  # type: ignore[arg-type]


def test_another_clinics_consult_is_not_found(centre: Centre) -> None:
    consult = send(centre)
    assert centre.get(f"/v1/consults/{consult}", centre.clinic_b).status_code == 404
    assert centre.post(f"/v1/consults/{consult}/cancel", centre.clinic_b, b"").status_code == 404
    info = centre.post(
        f"/v1/consults/{consult}/information", centre.clinic_b, {"pictures": [picture(3)]}, key()
    )
    assert info.status_code == 404
    assert centre.get(f"/v1/review/consults/{consult}", centre.outsider).status_code == 404
    assert centre.get("/v1/consults/TC-9999999", centre.clinic_a).status_code == 404
    assert centre.get("/v1/consults/not-an-id", centre.clinic_a).status_code == 404
    assert centre.get("/v1/consults", centre.clinic_b).json() == []
    assert centre.get(f"/v1/consults/{consult}", centre.clinic_a).json()["state"] == "received"


def test_an_answer_to_a_cancelled_consult_is_refused(centre: Centre) -> None:
    consult = send(centre)
    cancelled = centre.post(f"/v1/consults/{consult}/cancel", centre.clinic_a, b"")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    reply = centre.post(f"/v1/review/consults/{consult}/replies", centre.specialist, answer(), key())
    assert reply.status_code == 409 and "cancelled" in reply.json()["detail"]
    late = centre.post(
        f"/v1/consults/{consult}/information", centre.clinic_a, {"pictures": [picture(4)]}, key()
    )
    assert late.status_code == 409


def test_a_consult_with_no_picture_is_refused(centre: Centre) -> None:
    response = centre.post("/v1/consults", centre.clinic_a, request_body(pictures=[]), key())
    assert response.status_code == 422 and "pictures" in response.json()["detail"]
    overview_only = request_body(pictures=[picture(1, kind="overview", light="white")])
    response = centre.post("/v1/consults", centre.clinic_a, overview_only, key())
    assert response.status_code == 422 and "dermoscopic" in response.json()["detail"]
    assert centre.get("/v1/consults", centre.clinic_a).json() == []


def test_a_clip_that_is_not_webm_is_refused(centre: Centre) -> None:
    import base64
    import hashlib

    consult = send(centre)
    fake = b"RIFF....AVI "
    clip = {
        "webm_base64": base64.b64encode(fake).decode(),
        "sha256": hashlib.sha256(fake).hexdigest(),
        "seconds": 2,
    }
    response = centre.post(f"/v1/consults/{consult}/information", centre.clinic_a, {"clip": clip}, key())
    assert response.status_code == 422 and "WebM" in response.json()["detail"]
    too_long = dict(clip, seconds=60)
    response = centre.post(f"/v1/consults/{consult}/information", centre.clinic_a, {"clip": too_long}, key())
    assert response.status_code == 422


def test_a_resent_consult_is_stored_once_and_a_key_cannot_change_its_body(centre: Centre) -> None:
    k = key()
    first = centre.post("/v1/consults", centre.clinic_a, request_body(), k)
    second = centre.post("/v1/consults", centre.clinic_a, request_body(), k)
    assert first.status_code == 201 and second.status_code == 200 and second.json()["replayed"]
    assert first.json()["consult_id"] == second.json()["consult_id"]
    other = centre.post("/v1/consults", centre.clinic_a, request_body(urgency="urgent"), k)
    assert other.status_code == 409
    assert len(centre.get("/v1/consults", centre.clinic_a).json()) == 1


def test_devices_without_a_clinic_and_unknown_tokens_cannot_consult(centre: Centre) -> None:
    loose = store.add_device(centre.engine, "no-clinic")  # type: ignore[arg-type]
    response = centre.post("/v1/consults", loose, request_body(), key())
    assert response.status_code == 403 and "no clinic" in response.json()["detail"]
    assert centre.post("/v1/consults", "nonsense", request_body(), key()).status_code == 401
    assert centre.get("/v1/review/consults", centre.clinic_a).status_code == 401  # a device is no specialist
