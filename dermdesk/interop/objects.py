"""Building the DICOM objects DermDesk writes, from plain facts: stills, the signed report, model results.

Why hand-built with pydicom rather than highdicom: highdicom has no Dermoscopic Photography or VL
Photographic constructor, and the modules are few and flat; each builder below fills exactly the
modules of its IOD (PS3.3 A.32.4 VL Photographic, A.32.10 Dermoscopic Photography, A.45.1 Encapsulated
PDF, A.35.2 Enhanced SR), and `dciodvfy` checks every kind in the tests. Pixels are written
uncompressed (Explicit VR Little Endian, RGB, 8 bits), so the PACS receives exactly the filed pixels.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from pydicom import Dataset, dcmwrite
from pydicom.dataset import FileMetaDataset
from pydicom.sequence import Sequence as DicomSequence
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code
from pydicom.uid import (
    PYDICOM_IMPLEMENTATION_UID,
    UID,
    DermoscopicPhotographyImageStorage,
    EncapsulatedPDFStorage,
    EnhancedSRStorage,
    ExplicitVRLittleEndian,
    VLPhotographicImageStorage,
)

from dermdesk.interop.anatomy import BodySite, modifier_of_view
from dermdesk.interop.lights import StillKind, StillLight

MANUFACTURER = "DermDesk"
MODEL_NAME = "DermDesk station"
CLASS_SCHEME = "99DERMDESK"  # local coding scheme of the model's diagnosis classes (PS3.16 8.2: 99…)
_SEX = {"female": "F", "male": "M", "other": "O"}


@dataclass(frozen=True)
class PatientFacts:
    record_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: str  # dermdesk.records.Sex value


@dataclass(frozen=True)
class StudyFacts:
    study_uid: str
    visit_id: int
    visit_date: date
    clinician: str  # display name
    started_at: datetime | None = None  # aware; the first capture of the visit


@dataclass(frozen=True)
class Equipment:
    institution: str
    software_version: str
    device: str | None = None  # camera or dermatoscope
    serial_number: str = "unknown"  # the capture layer does not read the device's serial number


@dataclass(frozen=True)
class Placement:
    """Where an object goes: its series and its own UID and numbers."""

    series_uid: str
    series_number: int
    sop_instance_uid: str
    instance_number: int
    series_description: str


@dataclass(frozen=True)
class StillFacts:
    pixels: np.ndarray  # RGB, uint8, H × W × 3
    light: StillLight
    site: BodySite
    captured_at: datetime  # aware
    contact: bool | None
    magnification: float | None
    mm_per_px: float | None
    lesion_label: str


@dataclass(frozen=True)
class ReportFacts:
    pdf: bytes
    version: int
    signed_at: datetime | None
    signed_by: str | None  # display name


@dataclass(frozen=True)
class ClassProbability:
    code: str
    name: str
    probability: float  # 0..1


@dataclass(frozen=True)
class ResultFacts:
    """The model's result for one still, and the still it was computed from."""

    model_name: str
    model_version: str
    manifest_sha256: str
    ranking: Sequence[ClassProbability]
    triage: str
    refer: bool
    created_at: datetime
    source_sop_class_uid: str
    source_sop_instance_uid: str
    source_series_uid: str


# --- value formats ------------------------------------------------------------------------------------


def da(day: date) -> str:
    return day.strftime("%Y%m%d")


def tm(moment: datetime) -> str:
    return moment.astimezone().strftime("%H%M%S.%f")


def dt(moment: datetime) -> str:
    """A DT value in the station's local time with its UTC offset (a round trip keeps the instant)."""
    return moment.astimezone().strftime("%Y%m%d%H%M%S.%f%z")


def person_name(family: str, given: str) -> str:
    return f"{family.strip()}^{given.strip()}".replace("\\", " ")


def code_item(code: Code) -> Dataset:
    item = Dataset()
    item.CodeValue = code.value
    item.CodingSchemeDesignator = code.scheme_designator
    item.CodeMeaning = code.meaning
    return item


# --- the modules every object shares --------------------------------------------------------------------


def _base(sop_class: str, placement: Placement, modality: str) -> Dataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UID(sop_class)
    meta.MediaStorageSOPInstanceUID = UID(placement.sop_instance_uid)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    meta.ImplementationVersionName = "DERMDESK"
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 192"  # UTF-8: names in any script
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = placement.sop_instance_uid
    ds.Modality = modality
    ds.SeriesInstanceUID = placement.series_uid
    ds.SeriesNumber = placement.series_number
    ds.SeriesDescription = placement.series_description[:64]
    ds.InstanceNumber = placement.instance_number
    return ds


def _patient_and_study(ds: Dataset, patient: PatientFacts, study: StudyFacts) -> None:
    ds.PatientName = person_name(patient.family_name, patient.given_name)
    ds.PatientID = patient.record_number
    ds.PatientBirthDate = da(patient.birth_date)
    ds.PatientSex = _SEX.get(patient.sex, "")
    ds.StudyInstanceUID = study.study_uid
    ds.StudyDate = da(study.visit_date)
    ds.StudyTime = tm(study.started_at) if study.started_at else ""
    ds.StudyID = str(study.visit_id)[:16]
    ds.AccessionNumber = ""
    ds.ReferringPhysicianName = ""
    ds.StudyDescription = "Dermatology visit"


def _equipment(ds: Dataset, equipment: Equipment) -> None:
    ds.Manufacturer = MANUFACTURER
    model = f"{MODEL_NAME} with {equipment.device}" if equipment.device else MODEL_NAME
    ds.ManufacturerModelName = model[:64]
    ds.DeviceSerialNumber = equipment.serial_number[:64]
    ds.SoftwareVersions = equipment.software_version
    if equipment.institution:
        ds.InstitutionName = equipment.institution[:64]


def _content_time(ds: Dataset, moment: datetime) -> None:
    ds.ContentDate = da(moment.astimezone().date())
    ds.ContentTime = tm(moment)
    ds.TimezoneOffsetFromUTC = moment.astimezone().strftime("%z")


# --- stills ---------------------------------------------------------------------------------------------


def still_dataset(
    patient: PatientFacts, study: StudyFacts, equipment: Equipment, placement: Placement, still: StillFacts
) -> Dataset:
    """A Dermoscopic Photography Image (white light), else a VL Photographic Image (UV, band, overview)."""
    dermoscopy = still.light.kind is StillKind.DERMOSCOPY
    sop_class = DermoscopicPhotographyImageStorage if dermoscopy else VLPhotographicImageStorage
    ds = _base(sop_class, placement, "DMS" if dermoscopy else "XC")
    _patient_and_study(ds, patient, study)
    _equipment(ds, equipment)
    _content_time(ds, still.captured_at)
    ds.AcquisitionDateTime = dt(still.captured_at)
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.PatientOrientation = ""
    ds.ImageLaterality = still.site.laterality or "U"
    ds.RecognizableVisualFeatures = "YES" if still.light.kind is StillKind.OVERVIEW else "NO"
    ds.LossyImageCompression = "00"
    _anatomy(ds, still.site)
    _pixels(ds, still.pixels)
    if still.mm_per_px is not None and still.mm_per_px > 0:
        spacing = f"{still.mm_per_px:.8g}"
        ds.PixelSpacing = [spacing, spacing]
    ds.AcquisitionContextSequence = DicomSequence(_wavelength_context(still.light))
    if dermoscopy:
        _dermoscopy(ds, still, placement)
    return ds


def _dermoscopy(ds: Dataset, still: StillFacts, placement: Placement) -> None:
    """The Dermoscopic Image Module and the Frame of Reference the DMS object requires."""
    polarised = still.light.polarised
    ds.LightSourcePolarization = "" if polarised is None else ("POLARIZED" if polarised else "NON_POLARIZED")
    ds.EmitterColorTemperature = ""  # not measured by the station
    ds.ContactMethod = "" if still.contact is None else ("CONTACT" if still.contact else "NON_CONTACT")
    if still.contact:
        ds.ImmersionMedia = ""  # type 2C: the station does not record the fluid used, if any
    magnified = still.magnification is not None and still.magnification > 0
    ds.OpticalMagnificationFactor = f"{still.magnification:.8g}" if magnified else ""
    ds.FrameOfReferenceUID = derived_uid(placement.sop_instance_uid, "frame of reference")
    ds.PositionReferenceIndicator = ""


def derived_uid(uid: str, purpose: str) -> str:
    """A UID that follows from another one (the same on every export, nothing to store)."""
    return f"2.25.{uuid.uuid5(uuid.NAMESPACE_OID, f'{uid}/{purpose}').int}"


def _anatomy(ds: Dataset, site: BodySite) -> None:
    region = code_item(site.region)
    modifier = modifier_of_view(site.view)
    if modifier is not None:
        region.AnatomicRegionModifierSequence = DicomSequence([code_item(modifier)])
    ds.AnatomicRegionSequence = DicomSequence([region])


def _pixels(ds: Dataset, pixels: np.ndarray) -> None:
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError("stills are written as 8-bit RGB")
    ds.Rows, ds.Columns = int(pixels.shape[0]), int(pixels.shape[1])
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = "RGB"
    ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = np.ascontiguousarray(pixels).tobytes()


def _wavelength_context(light: StillLight) -> list[Dataset]:
    """The Acquisition Context of a VL photo: the wavelength for UV and narrow band; empty otherwise."""
    if light.wavelength_nm is None:
        return []
    item = Dataset()
    item.ValueType = "NUMERIC"
    item.ConceptNameCodeSequence = DicomSequence([code_item(codes.DCM.IlluminationWavelength)])
    item.NumericValue = str(light.wavelength_nm)
    item.MeasurementUnitsCodeSequence = DicomSequence([code_item(Code("nm", "UCUM", "nanometer"))])
    return [item]


# --- the signed report ----------------------------------------------------------------------------------


def report_dataset(
    patient: PatientFacts, study: StudyFacts, equipment: Equipment, placement: Placement, report: ReportFacts
) -> Dataset:
    """The signed visit report as an Encapsulated PDF in the visit's study."""
    ds = _base(EncapsulatedPDFStorage, placement, "DOC")
    _patient_and_study(ds, patient, study)
    _equipment(ds, equipment)
    moment = report.signed_at or datetime.now().astimezone()
    _content_time(ds, moment)
    ds.AcquisitionDateTime = dt(moment)
    ds.ConversionType = "WSD"  # workstation: the PDF was made here
    ds.BurnedInAnnotation = "YES"  # the report names the patient
    ds.DocumentTitle = f"Dermatology visit report, version {report.version}"
    ds.ConceptNameCodeSequence = DicomSequence([])
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    pdf = report.pdf if len(report.pdf) % 2 == 0 else report.pdf + b"\0"
    ds.EncapsulatedDocument = pdf
    ds.EncapsulatedDocumentLength = len(report.pdf)
    if report.signed_by:
        ds.VerificationFlag = "VERIFIED"
    return ds


# --- the model's result -----------------------------------------------------------------------------------


def _content_item(relationship: str | None, value_type: str, concept: Code) -> Dataset:
    item = Dataset()
    if relationship:
        item.RelationshipType = relationship
    item.ValueType = value_type
    item.ConceptNameCodeSequence = DicomSequence([code_item(concept)])
    return item


def _text(relationship: str, concept: Code, text: str) -> Dataset:
    item = _content_item(relationship, "TEXT", concept)
    item.TextValue = text
    return item


def _probability(entry: ClassProbability) -> Dataset:
    item = _content_item("CONTAINS", "NUM", Code(entry.code, CLASS_SCHEME, entry.name))
    measured = Dataset()
    measured.NumericValue = f"{entry.probability * 100:.4g}"
    measured.MeasurementUnitsCodeSequence = DicomSequence([code_item(codes.UCUM.Percent)])
    item.MeasuredValueSequence = DicomSequence([measured])
    return item


RESULT_TITLE = Code("121071", "DCM", "Finding")
LABEL_TEXT = (
    "Computer-aided result of the DermDesk model: probabilities of diagnosis classes for one still. "
    "Not a diagnosis and not reviewed by a doctor; the signed visit report states the doctor's diagnosis."
)


def result_dataset(
    patient: PatientFacts, study: StudyFacts, equipment: Equipment, placement: Placement, result: ResultFacts
) -> Dataset:
    """The model's result for one still as an Enhanced SR, unverified, referencing the still."""
    ds = _base(EnhancedSRStorage, placement, "SR")
    _patient_and_study(ds, patient, study)
    _equipment(ds, equipment)
    _content_time(ds, result.created_at)
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "UNVERIFIED"
    ds.PerformedProcedureCodeSequence = DicomSequence([])
    ds.ReferencedPerformedProcedureStepSequence = DicomSequence([])
    ds.CurrentRequestedProcedureEvidenceSequence = DicomSequence([_evidence(study, result)])
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = DicomSequence([code_item(RESULT_TITLE)])
    ds.ContinuityOfContent = "SEPARATE"
    image = _content_item("CONTAINS", "IMAGE", codes.DCM.SourceOfMeasurement)
    reference = Dataset()
    reference.ReferencedSOPClassUID = result.source_sop_class_uid
    reference.ReferencedSOPInstanceUID = result.source_sop_instance_uid
    image.ReferencedSOPSequence = DicomSequence([reference])
    device = f"{result.model_name} {result.model_version}"
    ds.CodingSchemeIdentificationSequence = DicomSequence([_class_scheme()])
    ds.ContentSequence = DicomSequence(
        [
            _observer_type(),
            _text("HAS OBS CONTEXT", codes.DCM.DeviceObserverName, device[:64]),
            _text("CONTAINS", codes.DCM.Comment, LABEL_TEXT),
            _text("CONTAINS", codes.DCM.AlgorithmName, result.model_name),
            _text("CONTAINS", codes.DCM.AlgorithmVersion, result.model_version),
            _text(
                "CONTAINS", codes.DCM.AlgorithmParameters, f"model manifest sha256 {result.manifest_sha256}"
            ),
            image,
            *(_probability(entry) for entry in result.ranking),
            _text("CONTAINS", codes.DCM.Recommendation, _advice(result)),
        ]
    )
    return ds


def _class_scheme() -> Dataset:
    item = Dataset()
    item.CodingSchemeDesignator = CLASS_SCHEME
    item.CodingSchemeName = "DermDesk model diagnosis classes (HAM10000 dx codes)"
    item.CodingSchemeResponsibleOrganization = MANUFACTURER
    return item


def _observer_type() -> Dataset:
    item = _content_item("HAS OBS CONTEXT", "CODE", codes.DCM.ObserverType)
    item.ConceptCodeSequence = DicomSequence([code_item(codes.DCM.Device)])
    return item


def _advice(result: ResultFacts) -> str:
    refer = "the model advises referral" if result.refer else "the model does not advise referral"
    return f"Triage: {result.triage}; {refer}."


def _evidence(study: StudyFacts, result: ResultFacts) -> Dataset:
    instance = Dataset()
    instance.ReferencedSOPClassUID = result.source_sop_class_uid
    instance.ReferencedSOPInstanceUID = result.source_sop_instance_uid
    series = Dataset()
    series.SeriesInstanceUID = result.source_series_uid
    series.ReferencedSOPSequence = DicomSequence([instance])
    item = Dataset()
    item.StudyInstanceUID = study.study_uid
    item.ReferencedSeriesSequence = DicomSequence([series])
    return item


def to_bytes(ds: Dataset) -> bytes:
    """The object as a DICOM Part 10 file (preamble, DICM, file meta)."""
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()
