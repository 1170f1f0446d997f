"""Sending a visit to the clinic's PACS (a private Orthanc) by STOW-RS and by C-STORE through the outbox:
read back by QIDO-RS and WADO-RS, pixels and key attributes compared; Orthanc killed mid-send and
restarted, every object stored once with its original UIDs; and the answers a PACS gives when it will
not or cannot take a visit."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pydicom
import pytest
from dicomweb_client.api import DICOMwebClient
from records.helpers import Team

from dermdesk.interop.destinations import DestinationError
from dermdesk.interop.export import export_visit
from dermdesk.interop.outbox import InteropOutbox, JobObject, JobState, ObjectState, SendJob
from dermdesk.interop.pacs_send import queue_visit, send_pending
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from interop.conftest import Visit
from interop.fake_pacs import StowAnswer, storage_scp, stow_server
from interop.orthanc import PACS_AE, STATION_AE, Orthanc, free_port

DMS = "1.2.840.10008.5.1.4.1.1.77.1.7"
CT = "1.2.840.10008.5.1.4.1.1.2"
KEY_ATTRIBUTES = (
    "PatientID",
    "PatientName",
    "PatientBirthDate",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "SOPClassUID",
    "Modality",
)


def pacs_settings(settings: DermDeskSettings, orthanc: Orthanc, send_by: str) -> DermDeskSettings:
    return settings.with_overrides(
        pacs_send_by=send_by,
        pacs_dicomweb_url=orthanc.dicomweb_url,
        pacs_host="127.0.0.1",
        pacs_port=orthanc.dicom_port,
        pacs_ae_title=PACS_AE,
        station_ae_title=STATION_AE,
    )


def expected(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, out: Path
) -> dict[str, pydicom.Dataset]:
    """The visit's objects as an export here writes them (same UIDs as any send), by SOP Instance UID."""
    done = export_visit(records, team.doctor, visit.record_number, None, out, settings)
    return {file.sop_instance_uid: pydicom.dcmread(file.path) for file in done.files}


def assert_same_object(sent: pydicom.Dataset, back: pydicom.Dataset) -> None:
    for keyword in KEY_ATTRIBUTES:
        assert str(back.get(keyword, "")) == str(sent.get(keyword, "")), keyword
    if "PixelData" in sent:
        assert np.array_equal(back.pixel_array, sent.pixel_array)
    if "EncapsulatedDocument" in sent:
        assert bytes(back.EncapsulatedDocument).rstrip(b"\0") == bytes(sent.EncapsulatedDocument).rstrip(
            b"\0"
        )


@pytest.mark.parametrize("send_by", ["dicomweb", "dimse"])
def test_a_visit_sent_is_found_again_with_the_same_pixels_and_attributes(
    records: Records,
    team: Team,
    visit: Visit,
    settings: DermDeskSettings,
    orthanc: Orthanc,
    tmp_path: Path,
    send_by: str,
) -> None:
    settings = pacs_settings(settings, orthanc, send_by)
    job = queue_visit(records, team.staff, visit.record_number, None, settings)
    report = send_pending(records, team.staff, settings)

    assert report.stopped is None
    (done,) = report.jobs
    assert done.state is JobState.SENT, done.summary
    assert all(item.state is ObjectState.CONFIRMED for item in done.objects)
    sent = expected(records, team, visit, settings, tmp_path / "export")
    assert set(sent) == {item.sop_instance_uid for item in job.objects}

    web = DICOMwebClient(orthanc.dicomweb_url)
    found = web.search_for_instances(study_instance_uid=job.study_uid)  # QIDO-RS
    assert {item["00080018"]["Value"][0] for item in found} == set(sent)
    for uid, dataset in sent.items():
        back = web.retrieve_instance(dataset.StudyInstanceUID, dataset.SeriesInstanceUID, uid)  # WADO-RS
        assert_same_object(dataset, back)
    audit = records.audit.list(team.admin, action="export")
    assert any(entry.detail.get("to") and entry.detail.get("objects") == len(sent) for entry in audit)


@pytest.mark.parametrize("send_by", ["dicomweb", "dimse"])
def test_orthanc_killed_mid_send_gets_every_object_once_with_its_uids_after_a_restart(
    records: Records,
    team: Team,
    visit: Visit,
    settings: DermDeskSettings,
    orthanc: Orthanc,
    tmp_path: Path,
    send_by: str,
) -> None:
    settings = pacs_settings(settings, orthanc, send_by)
    job = queue_visit(records, team.staff, visit.record_number, None, settings)
    assert len(job.objects) >= 4

    def cut_power(_job: SendJob, item: JobObject) -> None:
        if item.file == "002.dcm":
            orthanc.kill()

    first = send_pending(records, team.staff, settings, on_object=cut_power)
    assert first.stopped is not None and "PACS" in first.stopped
    (waiting,) = InteropOutbox.of(settings).pending(job.destination)
    assert waiting.state is JobState.QUEUED and waiting.last_error

    orthanc.start()
    second = send_pending(records, team.staff, settings)
    assert second.stopped is None
    assert second.jobs[0].state is JobState.SENT
    stored = orthanc.instance_uids()
    assert sorted(stored) == sorted(item.sop_instance_uid for item in job.objects)  # each once
    assert set(stored) == set(expected(records, team, visit, settings, tmp_path / "export"))
    assert InteropOutbox.of(settings).pending(job.destination) == []


def test_a_resend_of_a_visit_the_pacs_has_adds_nothing(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, orthanc: Orthanc
) -> None:
    settings = pacs_settings(settings, orthanc, "dicomweb")
    first = queue_visit(records, team.staff, visit.record_number, None, settings)
    send_pending(records, team.staff, settings)
    again = queue_visit(records, team.staff, visit.record_number, None, settings)
    send_pending(records, team.staff, settings)
    assert [o.sop_instance_uid for o in again.objects] == [o.sop_instance_uid for o in first.objects]
    assert len(orthanc.instance_uids()) == len(first.objects)


# --- bad answers --------------------------------------------------------------------------------------


def test_a_pacs_that_refuses_the_dermoscopy_class_says_so_and_the_rest_still_goes(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    with storage_scp([CT, "1.2.840.10008.5.1.4.1.1.104.1"]) as (port, received):
        settings = settings.with_overrides(pacs_send_by="dimse", pacs_host="127.0.0.1", pacs_port=port)
        job = queue_visit(records, team.staff, visit.record_number, None, settings)
        report = send_pending(records, team.staff, settings)
    (done,) = report.jobs
    refused = [item for item in done.objects if item.state is ObjectState.REFUSED]
    dermoscopy = [item for item in refused if item.sop_class_uid == DMS]
    assert dermoscopy and "does not accept Dermoscopic Photography Image Storage" in (
        dermoscopy[0].reason or ""
    )
    assert done.state is JobState.FAILED and "does not accept" in (done.last_error or "")
    pdf = [item for item in job.objects if item.kind == "report"]
    assert [item.sop_instance_uid for item in pdf] == received  # the report went anyway
    # nothing is lost: the files stay, and the job goes back in the queue once IT fixes the PACS
    assert InteropOutbox.of(settings).requeue_failed(done.destination) == 1
    assert InteropOutbox.of(settings).pending(done.destination)[0].objects[0].state is ObjectState.WAITING


def test_a_full_pacs_leaves_the_visit_queued_with_the_reason(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    with storage_scp([DMS, CT], status=0xA700) as (port, received):
        settings = settings.with_overrides(pacs_send_by="dimse", pacs_host="127.0.0.1", pacs_port=port)
        queue_visit(records, team.staff, visit.record_number, None, settings)
        report = send_pending(records, team.staff, settings)
    assert received  # it was asked
    assert report.stopped is not None and "full" in report.stopped
    assert report.jobs[0].state is JobState.QUEUED


@pytest.mark.parametrize(
    ("answer", "words", "state"),
    [
        (StowAnswer(409, 0x0122), "does not support this kind of object", JobState.FAILED),
        (StowAnswer(500), "the PACS had a problem (HTTP 500", JobState.QUEUED),
        (StowAnswer(507), "the PACS is full", JobState.QUEUED),
    ],
)
def test_stow_refusals_and_errors_are_told_apart(
    records: Records,
    team: Team,
    visit: Visit,
    settings: DermDeskSettings,
    answer: StowAnswer,
    words: str,
    state: JobState,
) -> None:
    with stow_server(answer) as url:
        settings = settings.with_overrides(pacs_send_by="dicomweb", pacs_dicomweb_url=url)
        queue_visit(records, team.staff, visit.record_number, None, settings)
        report = send_pending(records, team.staff, settings)
    (job,) = report.jobs
    assert job.state is state
    assert words in (job.last_error or ""), job.last_error
    assert answer.received  # the objects did reach it


@pytest.mark.parametrize("send_by", ["dicomweb", "dimse"])
def test_an_unreachable_pacs_keeps_the_visit_queued(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, send_by: str
) -> None:
    port = free_port()  # nothing listens there
    settings = settings.with_overrides(
        pacs_send_by=send_by,
        pacs_dicomweb_url=f"http://127.0.0.1:{port}/dicom-web",
        pacs_host="127.0.0.1",
        pacs_port=port,
    )
    job = queue_visit(records, team.staff, visit.record_number, None, settings)
    report = send_pending(records, team.staff, settings)
    assert report.stopped is not None and "cannot be reached" in report.stopped
    (waiting,) = InteropOutbox.of(settings).pending(job.destination)
    assert all(item.state is ObjectState.WAITING for item in waiting.objects)
    first = InteropOutbox.of(settings).read_object(waiting, waiting.objects[0])
    assert pydicom.dcmread(io.BytesIO(first)).SOPInstanceUID == job.objects[0].sop_instance_uid


@pytest.mark.parametrize(
    "overrides",
    [
        {"pacs_send_by": "dicomweb", "pacs_dicomweb_url": "http://pacs.example.org/dicom-web"},
        {"pacs_send_by": "dimse", "pacs_host": "pacs.example.org"},
    ],
)
def test_another_machine_needs_tls_unless_it_is_explicitly_allowed(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, overrides: dict[str, str]
) -> None:
    settings = settings.with_overrides(**overrides)
    queue_visit(records, team.staff, visit.record_number, None, settings)
    with pytest.raises(DestinationError, match="unencrypted"):
        send_pending(records, team.staff, settings)
    from dermdesk.interop.pacs import make_sender

    make_sender(settings.with_overrides(interop_allow_insecure=True)).close()  # IT allowed it: accepted
