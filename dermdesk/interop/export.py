"""Exporting a visit as DICOM files: its stills, its latest signed report and the model's results.

What goes out, in one study (the visit's):
- each white-light still as a Dermoscopic Photography Image, each UV / narrow-band still and each
  overview photo as a VL Photographic Image; a series per lesion and light;
- the newest signed version of the visit report as an Encapsulated PDF (series "report");
- each prediction as an Enhanced SR referencing its still (series "model result").
UIDs come from the records (`records.dicom.assign`): made at the first export and reused on every
later one, so a PACS (and part 2's outbox, which resends) sees the same objects. The export is
audited there. `visit_objects` makes the objects one at a time as Part 10 bytes (for writing here,
or for sending); `export_visit` writes them atomically, one file per object, named after lesion,
light and number.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import cv2
from pydicom.uid import EncapsulatedPDFStorage, EnhancedSRStorage

from dermdesk.decoding import PictureRefused, decode_picture
from dermdesk.files import write_atomic
from dermdesk.i18n import _
from dermdesk.interop.anatomy import body_site
from dermdesk.interop.lights import StillKind, light_of
from dermdesk.interop.objects import (
    ClassProbability,
    Equipment,
    PatientFacts,
    Placement,
    ReportFacts,
    ResultFacts,
    StillFacts,
    StudyFacts,
    report_dataset,
    result_dataset,
    still_dataset,
    to_bytes,
)
from dermdesk.interop.uids import new_uid
from dermdesk.records import ImageInfo, LesionInfo, Records, RecordsError, UserInfo
from dermdesk.records.dicom_uids import DicomObject, InstanceUids, ObjectToExport
from dermdesk.records.reports import VisitKey
from dermdesk.records.views import PredictionInfo
from dermdesk.reports.data import diagnosis_name
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

REPORT_SERIES = "report"
RESULT_SERIES = "model result"
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


class DicomExportError(RuntimeError):
    """The visit could not be exported; the message says why, for staff."""


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    kind: str  # "dermoscopy", "spectral", "overview", "report", "model result"
    sop_class_uid: str
    sop_instance_uid: str
    series_uid: str
    lesion_label: str | None = None


@dataclass(frozen=True)
class VisitExport:
    record_number: str
    visit_id: int
    visit_date: date
    study_uid: str
    files: tuple[ExportedFile, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        kinds = [file.kind for file in self.files]
        counts = ", ".join(f"{kinds.count(kind)} {kind}" for kind in dict.fromkeys(kinds)) or "nothing"
        return f"Visit {self.visit_date.isoformat()} of {self.record_number}: {counts} written as DICOM."


@dataclass(frozen=True)
class _Still:
    lesion: LesionInfo
    image: ImageInfo


def _sop_class(image: ImageInfo) -> str:
    from pydicom.uid import DermoscopicPhotographyImageStorage, VLPhotographicImageStorage

    dermoscopy = light_of(image.lighting_mode, image.polarised).kind is StillKind.DERMOSCOPY
    return DermoscopicPhotographyImageStorage if dermoscopy else VLPhotographicImageStorage


def _objects(stills: list[_Still], report_id: int | None) -> list[ObjectToExport]:
    wanted = [
        ObjectToExport(
            DicomObject.IMAGE,
            still.image.id,
            light_of(still.image.lighting_mode, still.image.polarised).series_content,
            still.lesion.label,
            _sop_class(still.image),
        )
        for still in stills
    ]
    for still in stills:
        for prediction in still.image.predictions:
            if prediction.id is not None:
                wanted.append(
                    ObjectToExport(
                        DicomObject.PREDICTION, prediction.id, RESULT_SERIES, None, EnhancedSRStorage
                    )
                )
    if report_id is not None:
        wanted.append(
            ObjectToExport(DicomObject.REPORT, report_id, REPORT_SERIES, None, EncapsulatedPDFStorage)
        )
    return wanted


def _placement(uids: InstanceUids, description: str) -> Placement:
    return Placement(
        uids.series_uid, uids.series_number, uids.sop_instance_uid, uids.instance_number, description
    )


@dataclass
class VisitObjects:
    """A visit's DICOM objects, made one at a time as `objects` is iterated (a still is large);
    `notes` collects what could not be made (a missing picture) while iterating."""

    record_number: str
    visit_id: int
    visit_date: date
    study_uid: str
    objects: Iterator[DicomFile]
    notes: list[str]


@dataclass(frozen=True)
class DicomFile:
    """One DICOM object as Part 10 bytes, ready to be written (here) or sent (part 2's outbox)."""

    name: str  # file name, e.g. L1_white_polarised_1.dcm
    kind: str
    sop_class_uid: str
    sop_instance_uid: str
    series_uid: str
    lesion_label: str | None
    data: bytes


def visit_objects(
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    settings: DermDeskSettings,
    *,
    make_uid: Callable[[], str] | None = None,
) -> VisitObjects:
    """The visit's objects with their UIDs (assigned and stored now, or read back); audited."""
    record = records.patients.get(user, record_number)
    context = records.reports.context(user, record_number, visit)
    stills = [
        _Still(lesion, image)
        for lesion in record.lesions
        for image in lesion.images
        if image.visit_date == context.visit_date
    ]
    signed = [version for version in context.versions if version.signed_at is not None]
    report = signed[-1] if signed else None
    notes: list[str] = []
    if report is None:
        notes.append("The visit has no signed report; only pictures and model results were exported.")
    if not stills and report is None:
        raise DicomExportError(
            _("The visit of {visit_date} has nothing to export yet.").format(
                visit_date=context.visit_date.isoformat()
            )
        )
    root = settings.dicom_uid_root
    uids = records.dicom.assign(
        user,
        record.record_number,
        context.visit_id,
        _objects(stills, report.id if report else None),
        make_uid or (lambda: new_uid(root)),
    )
    patient = PatientFacts(
        record.record_number, record.family_name, record.given_name, record.date_of_birth, record.sex
    )
    started = min((still.image.captured_at for still in stills), default=None)
    study = StudyFacts(uids.study_uid, context.visit_id, context.visit_date, context.clinician, started)

    def made() -> Iterator[DicomFile]:
        for still in stills:
            picture = _still(
                records, settings, patient, study, still, uids.of(DicomObject.IMAGE, still.image.id)
            )
            if picture is None:
                notes.append(
                    f"The picture {still.image.id} of lesion {still.lesion.label} is missing or damaged."
                )
                continue
            yield picture
            for prediction in still.image.predictions:
                if prediction.id is not None:
                    result_uids = uids.of(DicomObject.PREDICTION, prediction.id)
                    yield _result(settings, patient, study, still, prediction, picture, result_uids)
        if report is not None:
            pdf = records.reports.read(user, report.id)
            placement = _placement(uids.of(DicomObject.REPORT, report.id), "Signed visit report")
            facts = ReportFacts(pdf, report.version, report.signed_at, report.signed_by_name)
            ds = report_dataset(patient, study, _equipment(settings, None), placement, facts)
            yield DicomFile(
                f"report_v{report.version}.dcm",
                REPORT_SERIES,
                EncapsulatedPDFStorage,
                placement.sop_instance_uid,
                placement.series_uid,
                None,
                to_bytes(ds),
            )

    return VisitObjects(
        record.record_number, context.visit_id, context.visit_date, uids.study_uid, made(), notes
    )


def export_visit(
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    out_dir: Path,
    settings: DermDeskSettings,
    *,
    make_uid: Callable[[], str] | None = None,
) -> VisitExport:
    """Write the visit's DICOM objects into `out_dir` (created if missing); their UIDs are kept."""
    made = visit_objects(records, user, record_number, visit, settings, make_uid=make_uid)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DicomExportError(
            _("Cannot create the folder {out_dir}: {value}.").format(
                out_dir=out_dir, value=exc.strerror or exc
            )
        ) from exc
    files: list[ExportedFile] = []
    for item in made.objects:
        path = out_dir / item.name
        try:
            write_atomic(path, item.data)
        except OSError as exc:
            raise DicomExportError(
                _("Cannot write {path}: {value}.").format(path=path, value=exc.strerror or exc)
            ) from exc
        files.append(
            ExportedFile(
                path, item.kind, item.sop_class_uid, item.sop_instance_uid, item.series_uid, item.lesion_label
            )
        )
    log.info("Visit %s exported as %d DICOM objects", made.visit_id, len(files))
    return VisitExport(
        made.record_number, made.visit_id, made.visit_date, made.study_uid, tuple(files), tuple(made.notes)
    )


def software_version() -> str:
    try:
        return f"DermDesk {version('dermdesk')}"
    except PackageNotFoundError:  # a frozen build without package metadata
        return "DermDesk"


def _equipment(settings: DermDeskSettings, device: str | None) -> Equipment:
    return Equipment(settings.clinic_name, software_version(), device)


def _still(
    records: Records,
    settings: DermDeskSettings,
    patient: PatientFacts,
    study: StudyFacts,
    still: _Still,
    uids: InstanceUids,
) -> DicomFile | None:
    image, lesion = still.image, still.lesion
    try:
        bgr = decode_picture(records.store.read(image.relative_path))
    except (RecordsError, PictureRefused) as exc:
        log.error("Image %s not exported: %s", image.id, exc)
        return None
    light = light_of(image.lighting_mode, image.polarised)
    site = body_site(
        lesion.anatom_site_general, lesion.site_detail, lesion.map_x, lesion.map_y, lesion.map_view
    )
    facts = StillFacts(
        pixels=cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB),
        light=light,
        site=site,
        captured_at=image.captured_at,
        contact=image.contact,
        magnification=image.magnification,
        mm_per_px=image.mm_per_px,
        lesion_label=lesion.label,
    )
    placement = _placement(uids, f"{lesion.label} {site.words}, {light.description}")
    ds = still_dataset(patient, study, _equipment(settings, image.camera), placement, facts)
    name = _SAFE.sub("_", f"{lesion.label}_{light.series_content}_{uids.instance_number}")
    return DicomFile(
        f"{name}.dcm",
        light.kind.value,
        str(ds.SOPClassUID),
        uids.sop_instance_uid,
        uids.series_uid,
        lesion.label,
        to_bytes(ds),
    )


def _result(
    settings: DermDeskSettings,
    patient: PatientFacts,
    study: StudyFacts,
    still: _Still,
    prediction: PredictionInfo,
    source: DicomFile,
    uids: InstanceUids,
) -> DicomFile:
    ranking = [
        ClassProbability(code, diagnosis_name(code, None), float(prediction.probabilities.get(code, 0.0)))
        for code in prediction.ranking
    ]
    facts = ResultFacts(
        model_name=prediction.model_name,
        model_version=prediction.model_version,
        manifest_sha256=prediction.manifest_sha256,
        ranking=ranking,
        triage=prediction.triage,
        refer=prediction.refer,
        created_at=prediction.created_at,
        source_sop_class_uid=source.sop_class_uid,
        source_sop_instance_uid=source.sop_instance_uid,
        source_series_uid=source.series_uid,
    )
    placement = _placement(uids, "Model results (not a diagnosis)")
    ds = result_dataset(patient, study, _equipment(settings, None), placement, facts)
    return DicomFile(
        f"result_{still.lesion.label}_{uids.instance_number}.dcm",
        RESULT_SERIES,
        EnhancedSRStorage,
        uids.sop_instance_uid,
        uids.series_uid,
        still.lesion.label,
        to_bytes(ds),
    )
