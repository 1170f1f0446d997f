"""The uploader against the real central service on 127.0.0.1: exactly once through dropped responses
and a stopped server, refused tokens, refused payloads, and nothing identifying on the server."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
import requests
from PIL import Image, PngImagePlugin
from records.helpers import Team

from dermdesk.central.config import CentralConfig
from dermdesk.records import AuditEntry, Records
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.uploader import Uploader, UploadError, make_session
from sync.conftest import add_capture, add_patient, confirm, shareable_case, station_settings
from sync.servers import DroppingProxy, LiveServer


def uploader(records: Records, settings: DermDeskSettings) -> Uploader:
    return Uploader(
        records, settings, session=make_session(settings, backoff_factor=0.01, retries=3), timeout=(2, 5)
    )


def central_cases(config: CentralConfig) -> list[dict]:  # type: ignore[type-arg]
    from dermdesk.central import store

    return store.all_cases(store.open_engine(config.url))


def test_cases_arrive_once_and_are_audited(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    for n in range(3):
        shareable_case(records, team, f"DD-00020{n}", n)
    report = uploader(records, station_settings(settings, central.url, device_token)).run_once()
    assert len(report.sent) == 3 and not report.failed and report.stopped is None
    assert records.outbox.counts()["sent"] == 3
    assert len(central_cases(central_config)) == 3
    uploads = [e for e in records.audit.list(team.admin) if e.action == "upload"]
    assert len(uploads) == 3 and all(isinstance(e, AuditEntry) and e.username == "uploader" for e in uploads)
    again = uploader(records, station_settings(settings, central.url, device_token)).run_once()
    assert again.sent == [] and len(central_cases(central_config)) == 3


def test_a_lost_response_is_retried_and_the_case_is_stored_once(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    for n in range(3):
        shareable_case(records, team, f"DD-00030{n}", n)
    proxy = DroppingProxy(central.port)
    proxy.drop_responses = 2  # the server stores the first case twice over, the clinic hears nothing
    try:
        report = uploader(records, station_settings(settings, proxy.url, device_token)).run_once()
    finally:
        proxy.close()
    assert proxy.dropped == 2
    assert len(report.sent) + len(report.replayed) == 3 and report.replayed  # the retry found it there
    cases = central_cases(central_config)
    assert len(cases) == 3 and len({c["idempotency_key"] for c in cases}) == 3
    assert records.outbox.counts()["sent"] == 3


def test_a_server_killed_during_an_upload_loses_nothing_and_duplicates_nothing(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    for n in range(4):
        shareable_case(records, team, f"DD-00040{n}", n)
    proxy = DroppingProxy(central.port)
    proxy.drop_responses = 1  # the first case is stored, then the server dies before answering
    proxy.after_drop = central.stop
    try:
        station = station_settings(settings, proxy.url, device_token)
        down = uploader(records, station).run_once()
        assert down.stopped and "cannot be reached" in down.stopped
        assert records.outbox.counts() == {"queued": 4, "sending": 0, "sent": 0, "failed": 0}
        assert len(central_cases(central_config)) == 1  # it got there; the clinic does not know yet
        central.start()
        up = uploader(records, station).run_once()
    finally:
        proxy.close()
    assert len(up.replayed) == 1 and len(up.sent) == 3
    assert records.outbox.counts()["sent"] == 4
    assert len(central_cases(central_config)) == 4


def test_a_wrong_token_stops_the_run_and_keeps_every_case(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    for n in range(2):
        shareable_case(records, team, f"DD-00050{n}", n)
    report = uploader(records, station_settings(settings, central.url, "not-a-token")).run_once()
    assert report.stopped and "device token" in report.stopped and "401" in report.stopped
    assert records.outbox.counts()["queued"] == 2 and central_cases(central_config) == []


def test_withdrawn_consent_after_queueing_is_never_sent(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    shareable_case(records, team, "DD-000600", 1)
    records.patients.record_consent(team.staff, "DD-000600", False)
    report = uploader(records, station_settings(settings, central.url, device_token)).run_once()
    assert report.sent == [] and central_cases(central_config) == []


def post(url: str, token: str, body: bytes, key: str = "k" * 20) -> requests.Response:
    return requests.post(
        url + "/v1/cases",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
        },
        timeout=5,
    )


def valid_body(records: Records, team: Team, settings: DermDeskSettings) -> dict:  # type: ignore[type-arg]
    from dermdesk.sync.deidentify import deidentify
    from dermdesk.sync.secret import load_or_create_secret
    from dermdesk.sync.uploader import case_facts, request_body

    shareable_case(records, team, "DD-000700", 7)
    (entry,) = records.outbox.claim(1)
    case = records.outbox.case(entry)
    payload = deidentify(case_facts(case), case.image, load_or_create_secret(settings.clinic_secret_path))
    return json.loads(request_body(payload))


def test_the_service_refuses_bad_input_with_reasons(
    records: Records, team: Team, settings: DermDeskSettings, central: LiveServer, device_token: str
) -> None:
    body = valid_body(records, team, settings)
    assert post(central.url, device_token, json.dumps(body).encode(), key="a" * 20).status_code == 201
    assert post(central.url, device_token, json.dumps(body).encode(), key="a" * 20).json()["replayed"] is True
    changed = {**body, "metadata": {**body["metadata"], "age_approx": 30}}
    conflict = post(central.url, device_token, json.dumps(changed).encode(), key="a" * 20)
    assert conflict.status_code == 409 and "different case" in conflict.json()["detail"]
    extra = {**body, "metadata": {**body["metadata"], "notes": "called Ada"}}
    assert (
        "unknown fields: notes"
        in post(central.url, device_token, json.dumps(extra).encode()).json()["detail"]
    )
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ada Lovelace")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    texted = {
        "metadata": {**body["metadata"], "image_sha256": hashlib.sha256(out.getvalue()).hexdigest()},
        "image_png": base64.b64encode(out.getvalue()).decode(),
    }
    refused = post(central.url, device_token, json.dumps(texted).encode())
    assert refused.status_code == 422 and "tEXt chunk" in refused.json()["detail"]
    assert post(central.url, device_token, b"{not json").status_code == 422
    assert post(central.url, device_token, json.dumps(body).encode(), key="short").status_code == 400
    assert post(central.url, "wrong", json.dumps(body).encode()).status_code == 401
    huge = post(central.url, device_token, b"x" * (17 * 1024 * 1024))
    assert huge.status_code == 413


def test_uploads_need_configuration(records: Records, settings: DermDeskSettings) -> None:
    with pytest.raises(UploadError, match="DERMDESK_UPLOAD_URL"):
        Uploader(records, settings)
    with pytest.raises(UploadError, match="device token"):
        make_session(settings.with_overrides(upload_url="https://central.example.org"))
    with pytest.raises(UploadError, match="CA bundle"):
        make_session(settings.with_overrides(device_token="t", upload_ca_bundle=Path("/nonexistent/ca.pem")))


def test_nothing_identifying_reaches_the_central_service(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    names = [
        ("Quentinella", "Xyloberg", "ZQ-48151623", date(1963, 8, 29)),
        ("Bartholomew", "Vanderquist", "ZQ-99887766", date(1988, 2, 3)),
    ]
    for n, (given, family, number, born) in enumerate(names):
        add_patient(
            records,
            team,
            number,
            given_name=given,
            family_name=family,
            date_of_birth=born,
            contact="ring 0176 5550199",
        )
        add_capture(records, team, number, 10 + n)
        confirm(records, team, number)
    report = uploader(records, station_settings(settings, central.url, device_token)).run_once()
    assert len(report.sent) == 2
    central.stop()
    needles: list[str] = [
        "Seen by Dr Zed",
        "SN-99812",
        "0176 5550199",
        "left shoulder blade",
        "Dr Dora",
        "dora",
    ]
    for given, family, number, born in names:
        needles += [
            given,
            family,
            number,
            born.isoformat(),
            born.strftime("%d.%m.%Y"),
            born.strftime("%d/%m/%Y"),
            born.strftime("%m/%d/%Y"),
            born.strftime("%Y%m%d"),
            born.strftime("%d %B %Y"),
            born.strftime("%B %d, %Y"),
        ]
    blobs = [p.read_bytes() for p in central_config.home.rglob("*") if p.is_file()]
    assert blobs
    for needle in needles:
        for blob in blobs:
            assert needle.encode() not in blob and needle.lower().encode() not in blob.lower(), needle


def test_a_server_that_cannot_store_keeps_the_case_queued(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    shareable_case(records, team, "DD-000800", 1)
    central_config.images_dir.write_bytes(b"")  # the image folder cannot be created: an OSError, like ENOSPC
    station = station_settings(settings, central.url, device_token)
    report = uploader(records, station).run_once()
    assert report.stopped and "507" in report.stopped and records.outbox.counts()["queued"] == 1
    assert central_cases(central_config) == []
    central_config.images_dir.unlink()
    assert len(uploader(records, station).run_once().sent) == 1


def test_a_server_that_never_answers_times_out_and_keeps_the_case(
    records: Records, team: Team, settings: DermDeskSettings, device_token: str
) -> None:
    import socket

    shareable_case(records, team, "DD-000810", 1)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections, never answers
    try:
        station = station_settings(settings, f"http://127.0.0.1:{silent.getsockname()[1]}", device_token)
        session = make_session(station, backoff_factor=0.01, retries=1)
        report = Uploader(records, station, session=session, timeout=(1, 0.3)).run_once()
    finally:
        silent.close()
    assert report.stopped and "cannot be reached" in report.stopped
    assert records.outbox.counts() == {"queued": 1, "sending": 0, "sent": 0, "failed": 0}
