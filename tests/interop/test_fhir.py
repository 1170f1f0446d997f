"""A visit as a FHIR R4 (R4B models) Bundle: it validates, its PDF attachment opens, it is written to a
file atomically and sent to a real HTTP endpoint on 127.0.0.1 that validates it with the same models;
an OperationOutcome error is shown in the EHR's words and nothing is lost."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pypdfium2
import pytest
from fhir.resources.R4B.bundle import Bundle
from records.helpers import Team

from dermdesk.interop.destinations import DestinationError
from dermdesk.interop.fhir_bundle import RECORD_NUMBER_SYSTEM, visit_bundle
from dermdesk.interop.fhir_send import export_fhir, queue_fhir, send_fhir_pending
from dermdesk.interop.outbox import InteropOutbox, JobState
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from interop.conftest import Visit
from interop.fhir_server import fhir_server


def kinds(bundle: Bundle) -> list[str]:
    return [entry.resource.get_resource_type() for entry in bundle.entry or []]


def test_a_visit_bundle_validates_and_its_pdf_opens(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    path = tmp_path / "visit.json"
    written = export_fhir(records, team.doctor, visit.record_number, None, path, settings)

    bundle = Bundle.model_validate_json(path.read_bytes())  # read back with the validating models
    found = kinds(bundle)
    record = records.patients.get(team.doctor, visit.record_number)
    latest = max(v.visit_date for v in record.visits)
    today = [
        (lesion.label, image)
        for lesion in record.lesions
        for image in lesion.images
        if image.visit_date == latest
    ]
    assert found.count("Patient") == found.count("Practitioner") == found.count("Encounter") == 1
    assert found.count("BodyStructure") == len({label for label, _ in today})
    assert found.count("Media") == len(today)
    assert found.count("Observation") == sum(len(image.predictions) for _, image in today) > 0
    assert found.count("Device") >= 1 and found.count("DiagnosticReport") == 1
    assert written.entries == len(found)

    (report,) = [
        e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == "DiagnosticReport"
    ]
    pdf = report.presentedForm[0].data  # the model decodes the base64 of the file
    raw = json.loads(path.read_text(encoding="utf-8"))
    (wire,) = [e["resource"] for e in raw["entry"] if e["resource"]["resourceType"] == "DiagnosticReport"]
    assert base64.b64decode(wire["presentedForm"][0]["data"]) == pdf
    document = pypdfium2.PdfDocument(pdf)  # the attachment opens as a PDF
    assert len(document) >= 1
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert record.family_name in text
    (patient,) = [e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == "Patient"]
    assert patient.identifier[0].system == RECORD_NUMBER_SYSTEM
    assert patient.identifier[0].value == visit.record_number
    media = [e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == "Media"]
    assert all(m.content.data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0") for m in media)
    # ids carry no name or record number (servers log URLs)
    ids = " ".join(str(e.resource.id) for e in bundle.entry or [])
    assert visit.record_number not in ids and record.family_name not in ids
    audit = records.audit.list(team.admin, action="export")
    assert any(entry.detail.get("format") == "fhir" for entry in audit)


def test_a_bundle_sent_to_the_ehr_is_accepted_and_a_resend_changes_nothing(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    with fhir_server() as ehr:
        settings = settings.with_overrides(fhir_url=ehr.url)
        queue_fhir(records, team.doctor, visit.record_number, None, settings)
        report = send_fhir_pending(records, team.doctor, settings)
        assert report.stopped is None and report.jobs[0].state is JobState.SENT
        first = dict(ehr.stored)
        queue_fhir(records, team.doctor, visit.record_number, None, settings)
        send_fhir_pending(records, team.doctor, settings)
    assert ehr.posts == 2
    assert set(ehr.stored) == set(first)  # PUT by id: the same resources, not new ones
    (report_resource,) = ehr.of_type("DiagnosticReport")
    assert base64.b64decode(report_resource["presentedForm"][0]["data"]).startswith(b"%PDF")


def test_an_operation_outcome_error_is_shown_in_the_ehrs_words_and_the_bundle_kept(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    with fhir_server() as ehr:
        ehr.fail_with.append((422, "Patient.birthDate: not allowed in the future"))
        settings = settings.with_overrides(fhir_url=ehr.url)
        job = queue_fhir(records, team.doctor, visit.record_number, None, settings)
        report = send_fhir_pending(records, team.doctor, settings)
    (done,) = report.jobs
    assert done.state is JobState.FAILED
    assert "Patient.birthDate: not allowed in the future" in (done.last_error or "")
    outbox = InteropOutbox.of(settings)
    kept = json.loads(outbox.read_object(done, done.objects[0]))
    assert kept["resourceType"] == "Bundle" and job.job_id == done.job_id


def test_a_server_error_is_retried_and_then_left_queued(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    with fhir_server() as ehr:
        ehr.fail_with.extend([(503, "busy")] * 2)  # retried within the run: the third try succeeds
        settings = settings.with_overrides(fhir_url=ehr.url)
        queue_fhir(records, team.doctor, visit.record_number, None, settings)
        report = send_fhir_pending(records, team.doctor, settings)
        assert report.jobs[0].state is JobState.SENT and ehr.posts == 3

        ehr.fail_with.extend([(500, "database down")] * 10)
        queue_fhir(records, team.doctor, visit.record_number, None, settings)
        report = send_fhir_pending(records, team.doctor, settings)
    assert report.stopped is not None and "database down" in report.stopped
    assert report.jobs[0].state is JobState.QUEUED


def test_an_unreachable_or_insecure_ehr(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    settings = settings.with_overrides(fhir_url="http://127.0.0.1:9/fhir")
    queue_fhir(records, team.doctor, visit.record_number, None, settings)
    report = send_fhir_pending(records, team.doctor, settings)
    assert report.stopped is not None and "cannot be reached" in report.stopped
    remote = settings.with_overrides(fhir_url="http://ehr.example.org/fhir")
    with pytest.raises(DestinationError, match="unencrypted"):
        send_fhir_pending(records, team.doctor, remote)


def test_an_unsigned_earlier_visit_gives_a_preliminary_report_without_pdf(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    made = visit_bundle(records, team.doctor, visit.record_number, visit.clinic.first_visit, settings)
    bundle = Bundle.model_validate_json(made.json())
    (report,) = [
        e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == "DiagnosticReport"
    ]
    assert report.status == "preliminary" and not report.presentedForm
    assert any("no signed report" in note for note in made.notes)
