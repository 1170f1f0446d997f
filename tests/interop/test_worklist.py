"""Today's patients from a modality worklist (Orthanc's ModalityWorklists plugin): staff pick an entry and
the patient is registered (or opened) without typing; entries with missing fields or a name in another
character set are read as far as they can be and say what is missing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pydicom import Dataset
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from records.helpers import Team

from dermdesk.interop.worklist import (
    WorklistError,
    WorklistIncompleteError,
    entry_from,
    fetch_worklist,
    pick,
)
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from interop.orthanc import PACS_AE, STATION_AE, Orthanc, free_port

TODAY = date.today()


def worklist_file(
    path: Path,
    *,
    patient_id: str,
    name: str,
    birth: str = "19610302",
    sex: str = "F",
    accession: str,
    day: date = TODAY,
    at: str = "093000",
    charset: str | list[str] = "ISO_IR 100",
) -> Path:
    ds = Dataset()
    ds.SpecificCharacterSet = charset
    ds.PatientName = name
    ds.PatientID = patient_id
    if birth:
        ds.PatientBirthDate = birth
    if sex:
        ds.PatientSex = sex
    ds.AccessionNumber = accession
    ds.RequestedProcedureDescription = "Dermoscopy follow-up"
    step = Dataset()
    step.ScheduledStationAETitle = STATION_AE
    step.ScheduledProcedureStepStartDate = day.strftime("%Y%m%d")
    step.ScheduledProcedureStepStartTime = at
    step.Modality = "DMS"
    step.ScheduledProcedureStepDescription = "Mole check"
    ds.ScheduledProcedureStepSequence = [step]
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.276.0.7230010.3.1.0.1"  # DCMTK's worklist file class
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(path, enforce_file_format=True)
    return path


def worklist_settings(settings: DermDeskSettings, orthanc: Orthanc) -> DermDeskSettings:
    return settings.with_overrides(
        pacs_host="127.0.0.1",
        pacs_port=orthanc.dicom_port,
        pacs_ae_title=PACS_AE,
        station_ae_title=STATION_AE,
    )


def test_staff_pick_a_patient_from_a_worklist_entry(
    records: Records, team: Team, settings: DermDeskSettings, orthanc: Orthanc
) -> None:
    worklist_file(orthanc.worklists / "a.wl", patient_id="DD-004711", name="Müller^Anna", accession="ACC1")
    worklist_file(
        orthanc.worklists / "b.wl",
        patient_id="DD-004712",
        name="Berg^Ole",
        sex="M",
        accession="ACC2",
        at="081500",
    )
    worklist_file(  # tomorrow's: not today's list
        orthanc.worklists / "c.wl",
        patient_id="DD-004713",
        name="Later^Lisa",
        accession="ACC3",
        day=TODAY + timedelta(days=1),
    )
    entries = fetch_worklist(worklist_settings(settings, orthanc), TODAY)

    assert [e.accession_number for e in entries] == ["ACC2", "ACC1"]  # earliest first, today only
    anna = entries[1]
    assert (anna.family_name, anna.given_name, anna.date_of_birth, anna.sex) == (
        "Müller",
        "Anna",
        date(1961, 3, 2),
        "female",
    )
    assert anna.complete and anna.procedure == "Mole check"
    picked = pick(records, team.staff, anna)
    assert picked.registered and picked.record.record_number == "DD-004711"
    assert records.patients.get(team.staff, "DD-004711").family_name == "Müller"
    again = pick(records, team.staff, anna)  # picked twice: opened, not registered twice
    assert not again.registered


@pytest.mark.filterwarnings("ignore:Found unknown escape sequence:UserWarning")  # the Utf8 case, on purpose
@pytest.mark.parametrize("answered_in", ["Korean", "Utf8"])
def test_a_korean_name_in_iso_2022_ir_149_is_read_in_hangul(
    records: Records, team: Team, settings: DermDeskSettings, orthanc: Orthanc, answered_in: str
) -> None:
    worklist_file(
        orthanc.worklists / "k.wl",
        patient_id="DD-008001",
        name="Hong^Gildong=洪^吉洞=홍^길동",
        sex="M",
        accession="ACCK",
        charset=["", "ISO 2022 IR 149"],
    )
    orthanc.encoding = answered_in  # in ISO 2022 IR 149 as stored, or transcoded to UTF-8 by the PACS
    orthanc.restart()
    (entry,) = fetch_worklist(worklist_settings(settings, orthanc), TODAY)
    assert entry.name_text == "Hong Gildong = 洪 吉洞 = 홍 길동"  # no escape sequences left over
    assert (entry.family_name, entry.given_name) == ("Hong", "Gildong")
    picked = pick(records, team.staff, entry)
    assert picked.record.family_name == "Hong"


def test_a_hangul_only_name_fills_registration_in_hangul() -> None:
    ds = Dataset()
    ds.SpecificCharacterSet = ["", "ISO 2022 IR 149"]
    ds.PatientName = "=홍^길동"
    ds.PatientID = "DD-008002"
    ds.PatientBirthDate = "19800101"
    ds.PatientSex = "F"
    entry = entry_from(ds)
    assert (entry.family_name, entry.given_name) == ("홍", "길동") and entry.complete


def test_an_entry_with_missing_fields_says_what_is_missing_and_registers_nothing(
    records: Records, team: Team, settings: DermDeskSettings, orthanc: Orthanc
) -> None:
    worklist_file(
        orthanc.worklists / "m.wl", patient_id="DD-009009", name="Nobirth", birth="", sex="", accession="ACCM"
    )
    (entry,) = fetch_worklist(worklist_settings(settings, orthanc), TODAY)
    assert not entry.complete
    assert {"no given name", "no date of birth", "no sex"} <= set(entry.problems)
    with pytest.raises(
        WorklistIncompleteError, match=r"no date of birth.*Complete it in the registration form"
    ):
        pick(records, team.staff, entry)
    assert records.patients.list(team.staff, "DD-009009") == []


def test_an_entry_without_a_usable_record_number_is_flagged() -> None:
    ds = Dataset()
    ds.PatientName = "Roe^Jane"
    ds.PatientID = "12 34/56"
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "F"
    entry = entry_from(ds)
    assert any("not a record number" in p for p in entry.problems)


def test_an_unreachable_worklist_says_so(settings: DermDeskSettings) -> None:
    settings = settings.with_overrides(pacs_host="127.0.0.1", pacs_port=free_port())
    with pytest.raises(WorklistError, match="cannot be reached"):
        fetch_worklist(settings, TODAY)
