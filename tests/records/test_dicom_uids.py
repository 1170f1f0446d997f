"""DICOM UIDs in the records (SQLite and PostgreSQL): assigned once, reused, adopted from an import
only when they do not clash, and forgotten with a still deleted in error."""

from __future__ import annotations

import itertools

import pytest

from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion, PermissionDenied, Records
from dermdesk.records.dicom_uids import DicomObject, ImportedUids, ObjectToExport
from records.helpers import Team, png_bytes

DMS = "1.2.840.10008.5.1.4.1.1.77.1.7"
counter = itertools.count(1)


def make_uid() -> str:
    return f"2.25.{next(counter)}"


def file_two_stills(records: Records, team: Team, patient: str) -> list[int]:
    first = records.captures.save(
        team.staff,
        CaptureRequest(
            patient, png_bytes(1), new_lesion=NewLesion("head/neck"), metadata=CaptureMetadata("cam", "white")
        ),
    )
    second = records.captures.save(
        team.staff,
        CaptureRequest(patient, png_bytes(2), lesion_label="L1", metadata=CaptureMetadata("cam", "white")),
    )
    assert first.image_id is not None and second.image_id is not None
    return [first.image_id, second.image_id]


def stills(image_ids: list[int], light: str = "white") -> list[ObjectToExport]:
    return [ObjectToExport(DicomObject.IMAGE, image_id, light, "L1", DMS) for image_id in image_ids]


def test_uids_are_made_once_and_read_back_on_every_later_export(
    records: Records, team: Team, patient: str
) -> None:
    image_ids = file_two_stills(records, team, patient)
    visit_id = records.reports.context(team.staff, patient).visit_id
    first = records.dicom.assign(team.staff, patient, visit_id, stills(image_ids), make_uid)
    again = records.dicom.assign(team.doctor, patient, visit_id, stills(image_ids), make_uid)
    assert first == again
    one, two = (first.of(DicomObject.IMAGE, image_id) for image_id in image_ids)
    assert one.series_uid == two.series_uid and one.sop_instance_uid != two.sop_instance_uid
    assert (one.series_number, one.instance_number, two.instance_number) == (1, 1, 2)
    assert (
        records.dicom.known_instance(team.staff, two.sop_instance_uid)
        == f"image {image_ids[1]} of lesion L1 ({patient})"
    )
    assert records.dicom.known_instance(team.staff, "2.25.999999") is None
    with pytest.raises(PermissionDenied):
        records.dicom.assign(team.admin, patient, visit_id, stills(image_ids), make_uid)


def test_imported_uids_are_kept_unless_they_clash(records: Records, team: Team, patient: str) -> None:
    image_ids = file_two_stills(records, team, patient)
    study, series = "2.25.4242", "2.25.4343"
    kept = records.dicom.adopt(
        team.staff, image_ids[0], "white", ImportedUids(study, series, "2.25.4444", DMS, 3, 7)
    )
    assert kept
    # the same SOP instance again, or another study for this visit, is not taken over
    assert not records.dicom.adopt(
        team.staff, image_ids[1], "white", ImportedUids(study, series, "2.25.4444", DMS)
    )
    assert not records.dicom.adopt(
        team.staff, image_ids[1], "white", ImportedUids("2.25.1", series, "2.25.45", DMS)
    )
    visit_id = records.reports.context(team.staff, patient).visit_id
    uids = records.dicom.assign(team.staff, patient, visit_id, stills(image_ids), make_uid)
    adopted = uids.of(DicomObject.IMAGE, image_ids[0])
    assert (uids.study_uid, adopted.series_uid, adopted.sop_instance_uid) == (study, series, "2.25.4444")
    assert (adopted.series_number, adopted.instance_number) == (3, 7)
    assert uids.of(DicomObject.IMAGE, image_ids[1]).series_uid == series  # joins the adopted series


def test_a_still_deleted_in_error_takes_its_uids_with_it(records: Records, team: Team, patient: str) -> None:
    image_ids = file_two_stills(records, team, patient)
    visit_id = records.reports.context(team.staff, patient).visit_id
    uids = records.dicom.assign(team.staff, patient, visit_id, stills(image_ids), make_uid)
    records.captures.delete_image(team.doctor, image_ids[0], "wrong patient")
    assert (
        records.dicom.known_instance(team.staff, uids.of(DicomObject.IMAGE, image_ids[0]).sop_instance_uid)
        is None
    )
    assert records.dicom.known_instance(team.staff, uids.of(DicomObject.IMAGE, image_ids[1]).sop_instance_uid)
