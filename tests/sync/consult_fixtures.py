"""A centre with a clinic, its station's token and an assigned dermatologist, and the dermatologist's
side of the API (what issue 23's pages will do), for the station's consult tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

from dermdesk.central import clinics, store
from dermdesk.central.config import CentralConfig
from dermdesk.consults.sender import ConsultSender
from dermdesk.records import Records
from dermdesk.records.consults import ConsultDraft
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.uploader import make_session


@dataclass
class Specialist:
    url: str
    token: str

    def _headers(self, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def review(self, consult: str) -> dict[str, Any]:
        response = requests.get(
            f"{self.url}/v1/review/consults/{consult}", headers=self._headers(), timeout=10
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def reply(self, consult: str, body: dict[str, Any], key: str | None = None) -> requests.Response:
        return requests.post(
            f"{self.url}/v1/review/consults/{consult}/replies",
            json=body,
            headers=self._headers(key or uuid.uuid4().hex),
            timeout=10,
        )


def clinic_station(config: CentralConfig) -> tuple[str, str]:
    """A clinic with one station and one dermatologist; (device token, dermatologist token)."""
    engine = store.open_engine(config.url)
    clinic = clinics.add_clinic(engine, "Seoul Skin Clinic")
    token = store.add_device(engine, "seoul-station-1")
    device = store.device_for_token(engine, token)
    assert device is not None
    clinics.attach_device(engine, device, clinic)
    _, specialist = clinics.add_dermatologist(engine, "Dr Hana Seo", "KMA-12345")
    clinics.assign(engine, "KMA-12345", "Seoul Skin Clinic")
    engine.dispose()
    return token, specialist


def sender(records: Records, settings: DermDeskSettings) -> ConsultSender:
    return ConsultSender(records, settings, session=make_session(settings, backoff_factor=0.01, retries=3))


def draft(number: str, question: str = "Changing naevus; excise or follow?", **changes: Any) -> ConsultDraft:
    values: dict[str, Any] = {
        "record_number": number,
        "lesion_label": "L1",
        "question": question,
        "urgency": "soon",
        "history": {"duration_weeks": 12, "recent_change": True, "skin_type": 2},
    }
    values.update(changes)
    return ConsultDraft(**values)


ANSWER = {
    "kind": "answer",
    "opinion": "Symmetric network, no regression structures: benign naevus.",
    "diagnosis": "nv",
    "management": "follow-up",
    "follow_up_months": 6,
}
MORE = {"kind": "more information", "opinion": "Please send a closer polarised still and a short clip."}
