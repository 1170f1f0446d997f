"""Exporting a visit as DICOM: every kind of object passes dciodvfy, dcmdump reads back what we wrote,
UIDs are assigned once, and the export is audited."""

from __future__ import annotations

import re
from pathlib import Path

import pydicom
import pytest
from records.helpers import Clock, Team

from dermdesk.interop.export import DicomExportError, VisitExport, export_visit
from dermdesk.records import NewPatient, Records
from dermdesk.settings import DermDeskSettings
from interop.conftest import CLINIC_NAME, Visit, run_tool

DMS = "1.2.840.10008.5.1.4.1.1.77.1.7"
VL_PHOTO = "1.2.840.10008.5.1.4.1.1.77.1.4"
PDF = "1.2.840.10008.5.1.4.1.1.104.1"
ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22"

# The warnings dciodvfy (dicom3tools 2022) still gives, each explained in docs/dicom.md.
ACCEPTED_WARNINGS = (
    re.compile(r"^Warning - Unrecognized defined term <DMS> for value 1 of attribute <Modality>$"),
    re.compile(
        r"^Warning - Unrecognized defined term <99DERMDESK> for value 1 of attribute "
        r"<Coding Scheme Designator>$"
    ),
)


def export(records: Records, team: Team, visit: Visit, settings: DermDeskSettings, out: Path) -> VisitExport:
    return export_visit(records, team.doctor, visit.record_number, None, out, settings)


def by_name(result: VisitExport) -> dict[str, pydicom.Dataset]:
    return {file.path.name: pydicom.dcmread(file.path) for file in result.files}


def test_every_kind_of_object_we_write_has_no_dciodvfy_errors(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    result = export(records, team, visit, settings, tmp_path / "out")
    kinds = {file.kind for file in result.files}
    assert kinds == {"dermoscopy", "spectral", "overview", "report", "model result"}
    classes = {file.sop_class_uid for file in result.files}
    assert classes == {DMS, VL_PHOTO, PDF, ENHANCED_SR}
    for file in result.files:
        checked = run_tool("dciodvfy", file.path)
        lines = [line for line in checked.stderr.splitlines() if line.startswith(("Error", "Warning"))]
        errors = [line for line in lines if line.startswith("Error")]
        assert not errors, f"{file.path.name} ({file.kind}): {errors}"
        unexplained = [line for line in lines if not any(p.match(line) for p in ACCEPTED_WARNINGS)]
        assert not unexplained, f"{file.path.name}: warnings not listed in docs/dicom.md: {unexplained}"


def dcmdump(path: Path) -> dict[str, list[str]]:
    """Every value dcmdump prints, by tag ("0008,0060"), at any depth of sequences."""
    done = run_tool("dcmdump", "-q", "+L", path)
    assert done.returncode == 0, done.stderr
    values: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        found = re.match(r"^\s*\(([0-9a-f]{4},[0-9a-f]{4})\) \w\w (?:\[(.*?)\]|=(\S+)|(\d[\d.]*) )", line)
        if found:
            value = next(group for group in found.groups()[1:] if group is not None)
            values.setdefault(found.group(1), []).append(value)
    return values


def test_dcmdump_reads_back_the_key_attributes(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    result = export(records, team, visit, settings, tmp_path / "out")
    files = {file.path.name: file for file in result.files}

    dms = dcmdump(files["L1_white_polarised_1.dcm"].path)
    assert dms["0008,0016"] == ["DermoscopicPhotographyImageStorage"]
    assert dms["0008,0060"] == ["DMS"]
    assert dms["0016,1001"] == ["POLARIZED"]
    assert dms["0010,0020"] == ["DD-000777"]
    assert dms["0020,000d"] == [result.study_uid]
    assert dms["0008,0100"] == ["14975008", "255549009"]  # SNOMED CT Forearm, Anterior (the map's front)
    assert dms["0020,0062"] == ["R"]  # L1 is on the right forearm
    assert dms["0028,0030"] == ["0.05\\0.05"]
    assert dms["0028,0004"] == ["RGB"] and dms["0028,0100"] == ["8"]
    assert dms["0008,0080"] == [CLINIC_NAME]
    assert dms["0002,0010"] == ["LittleEndianExplicit"]

    contact = dcmdump(files["L2_white_1.dcm"].path)
    assert contact["0016,1001"] == ["NON_POLARIZED"] and contact["0016,1003"] == ["CONTACT"]
    assert contact["0016,1005"] == ["10"]

    uv = dcmdump(files["L1_uv_365_1.dcm"].path)
    assert uv["0008,0016"] == ["VLPhotographicImageStorage"] and uv["0008,0060"] == ["XC"]
    assert uv["0040,a30a"] == ["365"] and "Illumination wavelength" in uv["0008,0104"]
    assert "nm" in uv["0008,0100"]

    report = dcmdump(files["report_v1.dcm"].path)
    assert report["0042,0012"] == ["application/pdf"] and report["0008,0060"] == ["DOC"]
    assert report["0020,000d"] == [result.study_uid]

    sr = dcmdump(files["result_L1_1.dcm"].path)
    assert sr["0040,a493"] == ["UNVERIFIED"]
    assert files["L1_white_polarised_1.dcm"].sop_instance_uid in sr["0008,1155"]
    assert "72" in sr["0040,a30a"]  # nv 72 % in the seeded routine prediction


def test_the_pdf_inside_is_the_signed_report_byte_for_byte(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    result = export(records, team, visit, settings, tmp_path / "out")
    ds = by_name(result)["report_v1.dcm"]
    stored = records.reports.versions(team.doctor, visit.record_number)[-1]
    pdf = records.reports.read(team.doctor, stored.id)
    assert bytes(ds.EncapsulatedDocument)[: int(ds.EncapsulatedDocumentLength)] == pdf


def test_uids_are_assigned_once_and_grouped_by_visit_lesion_and_light(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    first = export(records, team, visit, settings, tmp_path / "first")
    again = export(records, team, visit, settings, tmp_path / "again")
    assert first.study_uid == again.study_uid
    assert [(f.path.name, f.sop_instance_uid, f.series_uid) for f in first.files] == [
        (f.path.name, f.sop_instance_uid, f.series_uid) for f in again.files
    ]
    datasets = by_name(first)
    assert {str(ds.StudyInstanceUID) for ds in datasets.values()} == {first.study_uid}
    series = {name: str(ds.SeriesInstanceUID) for name, ds in datasets.items()}
    assert series["L1_white_polarised_1.dcm"] != series["L1_uv_365_1.dcm"]
    assert series["L1_white_polarised_1.dcm"] != series["L2_white_polarised_1.dcm"]
    assert series["result_L1_1.dcm"] == series["result_L2_2.dcm"]
    assert all(uid.startswith("2.25.") and len(uid) <= 64 for uid in series.values())
    exports = [
        e for e in records.audit.list(team.admin, action="export") if e.detail.get("format") == "dicom"
    ]
    assert len(exports) == 2 and exports[0].detail["new_uids"] > 0 and exports[1].detail["new_uids"] == 0


def test_a_clinic_uid_root_is_used(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    rooted = settings.with_overrides(dicom_uid_root="1.2.826.0.1.3680043.10.99")
    result = export_visit(records, team.doctor, visit.record_number, None, tmp_path / "out", rooted)
    assert result.study_uid.startswith("1.2.826.0.1.3680043.10.99.")
    assert all(len(f.sop_instance_uid) <= 64 for f in result.files)


def test_a_visit_without_pictures_or_report_is_refused_with_a_reason(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings, tmp_path: Path
) -> None:
    from datetime import date

    from dermdesk.records import NewDiagnosis, NewLesion

    records.patients.register(
        team.staff, NewPatient("DD-000900", "Ada", "Lovelace", date(1971, 5, 17), "female")
    )
    records.lesions.add(team.staff, "DD-000900", NewLesion("head/neck"))
    records.diagnoses.record(team.doctor, "DD-000900", "L1", NewDiagnosis("clinical", dx_code="nv"))
    with pytest.raises(DicomExportError, match="nothing to export"):
        export_visit(records, team.doctor, "DD-000900", None, tmp_path / "out", settings)
    assert not (tmp_path / "out").exists()


def test_a_missing_picture_is_named_and_the_rest_is_exported(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    record = records.patients.get(team.staff, visit.record_number)
    day = visit.clinic.second_visit
    lost = next(image for image in record.lesions[0].images if image.visit_date == day)
    records.store.path(lost.relative_path).unlink()
    result = export(records, team, visit, settings, tmp_path / "out")
    assert f"The picture {lost.id} of lesion L1 is missing or damaged." in result.notes
    assert sum(file.kind == "report" for file in result.files) == 1
    assert len(result.files) == len(list((tmp_path / "out").glob("*.dcm")))


def test_a_folder_that_cannot_be_made_is_refused_with_a_reason(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DicomExportError, match="Cannot create the folder"):
        export(records, team, visit, settings, blocker / "out")
