"""Today's patients from the clinic's DICOM Modality Worklist (C-FIND), so staff pick instead of typing.

Why entries are read defensively: a worklist is filled by the clinic's scheduling system, not by us.
An entry may lack the birth date or the sex DermDesk needs to register a patient, carry a record
number in another format, or write the name in another character set (Korean in ISO 2022 IR 149,
Japanese in ISO 2022 IR 87...). pydicom decodes the name by the entry's Specific Character Set; what is
missing is listed on the entry (`problems`) so the window can open registration with what is known and
ask staff for the rest. Picking an entry whose patient is already registered opens that patient.
Manual registration stays: the worklist is a shortcut, never the only way in.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from pydicom import Dataset
from pydicom.valuerep import PersonName

from dermdesk.i18n import _
from dermdesk.interop.destinations import DicomNode, worklist_node
from dermdesk.interop.pacs import _application_entity, _tls_args
from dermdesk.records import NewPatient, NotFound, PatientRecord, Records, RecordsError, UserInfo
from dermdesk.records.vocabulary import Sex, normalise_record_number
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

_ESCAPES = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]|[\x00-\x1f\x7f]")
"""ISO 2022 escape sequences (and other control characters) left in a decoded name: some PACS (Orthanc
1.10 among them) transcode an ISO 2022 IR 149 name to UTF-8 but keep its escapes."""
WORKLIST_FIND = "1.2.840.10008.5.1.4.31"  # Modality Worklist Information Model - FIND
_SEX = {"F": Sex.FEMALE.value, "M": Sex.MALE.value, "O": Sex.OTHER.value}


class WorklistError(RuntimeError):
    """The worklist cannot be asked (unreachable, refused); the message is for staff."""


@dataclass(frozen=True)
class WorklistEntry:
    """One scheduled patient as the worklist gives it, decoded, with what is missing for registration."""

    patient_id: str
    family_name: str
    given_name: str
    name_text: str  # the whole name as written (all its groups), for the pick list
    date_of_birth: date | None
    sex: str | None  # a records Sex value
    accession_number: str
    scheduled: datetime | None
    procedure: str
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return not self.problems

    def new_patient(self) -> NewPatient:
        """The registration this entry gives; RecordsError naming what is missing when incomplete."""
        if self.problems:
            raise WorklistIncompleteError(self)
        assert self.date_of_birth is not None and self.sex is not None
        return NewPatient(
            record_number=self.patient_id,
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
        )


class WorklistIncompleteError(RecordsError):
    """An entry lacks what registration needs; staff complete it in the registration form."""

    def __init__(self, entry: WorklistEntry) -> None:
        self.entry = entry
        missing = "; ".join(entry.problems)
        number = entry.accession_number or entry.patient_id or "(no number)"
        super().__init__(
            f"The worklist entry {number} cannot register "
            f"the patient by itself: {missing}. Complete it in the registration form."
        )


def query(day: date) -> Dataset:
    """The C-FIND identifier: today's (`day`'s) scheduled steps, with the fields registration needs."""
    step = Dataset()
    step.ScheduledStationAETitle = ""
    step.ScheduledProcedureStepStartDate = day.strftime("%Y%m%d")
    step.ScheduledProcedureStepStartTime = ""
    step.Modality = ""
    step.ScheduledProcedureStepDescription = ""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"  # asks for UTF-8 answers; any other set is decoded too
    ds.PatientName = ""
    ds.PatientID = ""
    ds.PatientBirthDate = ""
    ds.PatientSex = ""
    ds.AccessionNumber = ""
    ds.RequestedProcedureDescription = ""
    ds.ScheduledProcedureStepSequence = [step]
    return ds


def _name_parts(name: PersonName) -> tuple[str, str, str]:
    """(family, given, whole): from the alphabetic group, else the ideographic, else the phonetic one."""
    groups = [_ESCAPES.sub("", g).strip() for g in (name.alphabetic, name.ideographic, name.phonetic)]
    for group in groups:
        if group:
            parts = group.split("^")
            family = parts[0].strip()
            given = " ".join(p.strip() for p in parts[1:3] if p.strip())
            whole = " = ".join(" ".join(p for p in g.split("^") if p.strip()) for g in groups if g)
            return family, given, whole
    return "", "", ""


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%Y%m%d").date() if text.strip() else None
    except ValueError:
        return None


def _time(text: str) -> time | None:
    digits = text.strip().split(".")[0]
    try:
        return datetime.strptime(digits.ljust(6, "0")[:6], "%H%M%S").time() if digits else None
    except ValueError:
        return None


def entry_from(identifier: Dataset) -> WorklistEntry:
    """Read one C-FIND answer into an entry, decoding the name by its character set."""
    problems: list[str] = []
    try:
        name = identifier.get("PatientName") or PersonName("")
        family, given, whole = _name_parts(PersonName(name) if isinstance(name, str) else name)
    except (LookupError, ValueError, UnicodeError) as exc:
        family, given, whole = "", "", ""
        problems.append(f"the name cannot be read ({type(exc).__name__})")
    raw_id = str(identifier.get("PatientID", "") or "").strip()
    patient_id = raw_id
    if not raw_id:
        problems.append("no patient ID (record number)")
    else:
        try:
            patient_id = normalise_record_number(raw_id)
        except RecordsError:
            problems.append(f"the patient ID {raw_id!r} is not a record number this clinic uses")
    if whole and not family:
        problems.append("no family name")
    elif not whole and not any(p.startswith("the name") for p in problems):
        problems.append("no name")
    if whole and not given:
        problems.append("no given name")
    birth_text = str(identifier.get("PatientBirthDate", "") or "")
    birth = _date(birth_text)
    if birth is None:
        problems.append("no date of birth" if not birth_text.strip() else f"date of birth {birth_text!r}")
    sex = _SEX.get(str(identifier.get("PatientSex", "") or "").strip().upper())
    if sex is None:
        problems.append("no sex")
    steps = identifier.get("ScheduledProcedureStepSequence") or []
    step = steps[0] if steps else Dataset()
    day = _date(str(step.get("ScheduledProcedureStepStartDate", "") or ""))
    at = _time(str(step.get("ScheduledProcedureStepStartTime", "") or ""))
    scheduled = datetime.combine(day, at or time(0, 0)) if day else None
    procedure = str(
        step.get("ScheduledProcedureStepDescription", "")
        or identifier.get("RequestedProcedureDescription", "")
        or ""
    )
    return WorklistEntry(
        patient_id=patient_id,
        family_name=family,
        given_name=given,
        name_text=whole,
        date_of_birth=birth,
        sex=sex,
        accession_number=str(identifier.get("AccessionNumber", "") or ""),
        scheduled=scheduled,
        procedure=procedure,
        problems=tuple(problems),
    )


def fetch_worklist(settings: DermDeskSettings, day: date) -> list[WorklistEntry]:
    """The day's worklist from the configured worklist SCP, earliest first."""
    node = worklist_node(settings)
    answers = _find(node, query(day), WORKLIST_FIND)
    entries = [entry_from(identifier) for identifier in answers]
    log.info("Worklist: %d entries for %s", len(entries), day.isoformat())
    return sorted(entries, key=lambda e: (e.scheduled or datetime.max, e.accession_number))


def _find(node: DicomNode, identifier: Dataset, model: str) -> list[Dataset]:
    ae = _application_entity(node)
    ae.add_requested_context(model)
    assoc = ae.associate(node.host, node.port, ae_title=node.called_ae, **_tls_args(node))
    if not assoc.is_established:
        reason = "it rejected this station" if assoc.is_rejected else "no answer"
        raise WorklistError(
            _("The worklist {words} cannot be reached ({reason}).").format(words=node.words, reason=reason)
        )
    found: list[Dataset] = []
    try:
        for status, answer in assoc.send_c_find(identifier, model):
            code = getattr(status, "Status", None)
            if code is None:
                raise WorklistError(_("The worklist {words} stopped answering.").format(words=node.words))
            if int(code) in (0xFF00, 0xFF01) and answer is not None:
                found.append(answer)
            elif int(code) not in (0x0000, 0xFF00, 0xFF01):
                raise WorklistError(
                    _("The worklist {words} refused the query (status 0x{code:04X}).").format(
                        words=node.words, code=int(code)
                    )
                )
    finally:
        if assoc.is_established:
            assoc.release()
    return found


@dataclass(frozen=True)
class Picked:
    record: PatientRecord
    registered: bool  # False: the patient was already registered here


def pick(records: Records, user: UserInfo, entry: WorklistEntry) -> Picked:
    """Open the entry's patient: the one already registered with its record number, or a new
    registration from the entry (WorklistIncompleteError when the entry lacks what that needs)."""
    if entry.patient_id and not any("patient ID" in p for p in entry.problems):
        try:
            return Picked(records.patients.get(user, entry.patient_id), registered=False)
        except NotFound:
            pass
    return Picked(records.patients.register(user, entry.new_patient()), registered=True)
