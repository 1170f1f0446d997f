"""`dermdesk dicom send|worklist` and `dermdesk fhir export|send` end to end (in-process
`dermdesk.cli.main`) against the private Orthanc and FHIR endpoint; and the privacy rule: what goes to the
clinic's PACS and EHR adds nothing to the central service's upload queue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from records.helpers import PASSWORD, Team

from dermdesk.cli import main
from dermdesk.records import Records
from interop.conftest import Visit
from interop.fhir_server import fhir_server
from interop.orthanc import PACS_AE, STATION_AE, Orthanc, free_port
from interop.test_worklist import TODAY, worklist_file


def as_user(monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    monkeypatch.setenv("DERMDESK_USER", username)
    monkeypatch.setenv("DERMDESK_PASSWORD", PASSWORD)


def point_at(monkeypatch: pytest.MonkeyPatch, orthanc: Orthanc | None, *, port: int | None = None) -> None:
    dicom_port = port if orthanc is None else orthanc.dicom_port
    web = f"http://127.0.0.1:{port}/dicom-web" if orthanc is None else orthanc.dicomweb_url
    monkeypatch.setenv("DERMDESK_PACS_DICOMWEB_URL", web)
    monkeypatch.setenv("DERMDESK_PACS_HOST", "127.0.0.1")
    monkeypatch.setenv("DERMDESK_PACS_PORT", str(dicom_port))
    monkeypatch.setenv("DERMDESK_PACS_AE_TITLE", PACS_AE)
    monkeypatch.setenv("DERMDESK_STATION_AE_TITLE", STATION_AE)


def test_dicom_send_queues_while_the_pacs_is_away_and_retry_sends_it(
    records: Records,
    team: Team,
    visit: Visit,
    orthanc: Orthanc,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    as_user(monkeypatch, "sam")
    point_at(monkeypatch, None, port=free_port())
    records.patients.record_consent(team.staff, visit.record_number, True)  # the centre may have cases
    before = records.outbox.rows()
    capsys.readouterr()
    assert main(["dicom", "send", "--patient", visit.record_number, "--json"]) == 1
    away = json.loads(capsys.readouterr().out)
    assert away["stopped"] and away["jobs"][0]["state"] == "queued"

    point_at(monkeypatch, orthanc)
    assert main(["dicom", "send", "--retry", "--json"]) == 0
    sent = json.loads(capsys.readouterr().out)
    uids = [o["sop_instance_uid"] for o in sent["jobs"][0]["objects"]]
    assert sent["jobs"][0]["state"] == "sent" and sorted(orthanc.instance_uids()) == sorted(uids)
    assert main(["dicom", "send", "--retry"]) == 0
    assert "Nothing waits to be sent." in capsys.readouterr().out
    assert records.outbox.rows() == before  # nothing more for the central service because of this


def test_dicom_worklist_lists_today_and_picks_a_patient(
    records: Records,
    team: Team,
    orthanc: Orthanc,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    worklist_file(orthanc.worklists / "a.wl", patient_id="DD-004711", name="Berg^Ada", accession="ACC9")
    point_at(monkeypatch, orthanc)
    capsys.readouterr()
    assert main(["dicom", "worklist", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["patient_id"] == "DD-004711" and entry["problems"] == []
    as_user(monkeypatch, "sam")
    assert main(["dicom", "worklist", "--pick", "ACC9"]) == 0
    assert "DD-004711: registered." in capsys.readouterr().out
    assert records.patients.get(team.staff, "DD-004711").given_name == "Ada"
    assert main(["dicom", "worklist", "--pick", "NOPE"]) == 1
    assert "has no entry 'NOPE'" in capsys.readouterr().err
    assert main(["dicom", "worklist", "--date", (TODAY.replace(year=TODAY.year + 1)).isoformat()]) == 0


def test_fhir_export_and_send_through_the_cli(
    records: Records,
    team: Team,
    visit: Visit,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    as_user(monkeypatch, "dora")
    before = records.outbox.counts()
    out = tmp_path / "visit.fhir.json"
    assert main(["fhir", "export", "--patient", visit.record_number, "--out", str(out)]) == 0
    assert Bundle.model_validate_json(out.read_bytes()).type == "transaction"
    with fhir_server() as ehr:
        monkeypatch.setenv("DERMDESK_FHIR_URL", ehr.url)
        capsys.readouterr()
        assert main(["fhir", "send", "--patient", visit.record_number, "--json"]) == 0
        sent = json.loads(capsys.readouterr().out)
        assert sent["jobs"][0]["state"] == "sent" and ehr.of_type("Patient")
        ehr.fail_with.append((400, "Encounter.status: unknown code"))
        assert main(["fhir", "send", "--patient", visit.record_number]) == 1
        assert "Encounter.status: unknown code" in capsys.readouterr().out
    monkeypatch.delenv("DERMDESK_FHIR_URL")
    assert main(["fhir", "send", "--retry", "--failed"]) == 1
    assert "No FHIR endpoint is configured" in capsys.readouterr().err
    assert records.outbox.counts() == before  # nothing for the central service because of this
