"""Importing a DICOM dermoscopy still (Dermoscopic Photography or VL Photographic) into a lesion.

Why so strict: the file comes from another system, and a picture filed in the wrong record is worse
than one not filed. So the file must be DICOM, one of the two picture classes, uncompressed (Explicit
or Implicit VR Little Endian), one frame, 8-bit RGB or MONOCHROME2, no larger than the bounded
decoder allows (`dermdesk.decoding.check_dimensions`, checked before the pixels are read), and of the
same patient: its Patient ID must be the record number, and where it states a birth date or a family
name those must match too. Anything else is refused with a sentence for staff and nothing is filed.

What the file says is kept: pixels (filed as a lossless PNG), acquisition time, light (polarisation,
or the wavelength), contact, magnification, pixel spacing (as mm per pixel), the body site for a new
lesion, and the UIDs (`records.dicom.adopt`), so exporting the still again names the same object.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np
from pydicom import Dataset, dcmread
from pydicom.errors import InvalidDicomError
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code
from pydicom.uid import (
    DermoscopicPhotographyImageStorage,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    VLPhotographicImageStorage,
)
from pydicom.valuerep import DT

from dermdesk.decoding import MAX_PICTURE_BYTES, PictureRefused, check_dimensions
from dermdesk.i18n import _
from dermdesk.interop.anatomy import BodySite, isic_site, view_of_modifier
from dermdesk.interop.lights import StillKind, light_of, lighting_mode_of
from dermdesk.interop.objects import MANUFACTURER, MODEL_NAME
from dermdesk.interop.uids import is_valid_uid
from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion, Records, UserInfo
from dermdesk.records.dicom_uids import ImportedUids
from dermdesk.records.vocabulary import normalise_record_number

log = logging.getLogger(__name__)

PICTURE_CLASSES: dict[str, StillKind] = {
    DermoscopicPhotographyImageStorage: StillKind.DERMOSCOPY,
    VLPhotographicImageStorage: StillKind.OVERVIEW,
}
SUPPORTED_SYNTAXES = (ExplicitVRLittleEndian, ImplicitVRLittleEndian)
_PIXEL_ATTRIBUTES = ("Rows", "Columns", "SamplesPerPixel", "BitsAllocated", "PhotometricInterpretation")


class DicomImportError(ValueError):
    """The file is not imported; the message says why, for staff. Nothing was filed."""


@dataclass(frozen=True)
class ImportedStill:
    image_id: int | None
    record_number: str
    lesion_label: str | None
    lighting_mode: str | None
    captured_at: datetime
    uids_kept: bool
    spooled: bool

    @property
    def message(self) -> str:
        where = f"lesion {self.lesion_label} of {self.record_number}"
        if self.spooled:
            return f"Saved on this station for {where}; it is filed when the records server is back."
        kept = "its DICOM UIDs kept" if self.uids_kept else "new DICOM UIDs at its next export"
        return f"Imported as image {self.image_id} of {where} ({kept})."


def read_still(path: Path) -> Dataset:
    """The file, checked to be a picture DermDesk can import (its pixels are not read yet)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DicomImportError(
            _("Cannot read {name}: {value}.").format(name=path.name, value=exc.strerror or exc)
        ) from exc
    if size > MAX_PICTURE_BYTES:
        raise DicomImportError(
            _("{name} is too large to be a picture DermDesk imports.").format(name=path.name)
        )
    try:
        ds = dcmread(path, defer_size=4096)  # large values (the pixels) are read when first used
    except InvalidDicomError:
        raise DicomImportError(_("{name} is not a DICOM file.").format(name=path.name)) from None
    except (OSError, ValueError, EOFError) as exc:
        raise DicomImportError(
            _("{name} is not a readable DICOM file ({exc}).").format(name=path.name, exc=exc)
        ) from exc
    _check_class_and_syntax(ds, path.name)
    _check_pixel_module(ds, path.name)
    return ds


def _check_class_and_syntax(ds: Dataset, name: str) -> None:
    sop_class = str(ds.get("SOPClassUID", ""))
    if sop_class not in PICTURE_CLASSES:
        from pydicom.uid import UID

        kind = UID(sop_class).name if sop_class else "an object without a SOP class"
        raise DicomImportError(
            _(
                "{name} is {kind}; DermDesk imports Dermoscopic Photography and VL Photographic images only."
            ).format(name=name, kind=kind)
        )
    syntax = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
    if syntax not in SUPPORTED_SYNTAXES:
        label = syntax.name if syntax is not None else "no transfer syntax"
        raise DicomImportError(
            _(
                "{name} is stored as {label}, which DermDesk does not import; ask for it "
                "uncompressed (Explicit VR Little Endian)."
            ).format(name=name, label=label)
        )


def _check_pixel_module(ds: Dataset, name: str) -> None:
    missing = [keyword for keyword in _PIXEL_ATTRIBUTES if keyword not in ds]
    if missing or "PixelData" not in ds:
        raise DicomImportError(
            _("{name} has no picture in it (its image pixel module is missing or incomplete).").format(
                name=name
            )
        )
    if int(ds.get("NumberOfFrames", 1) or 1) > 1:
        raise DicomImportError(
            _("{name} holds {NumberOfFrames} frames; DermDesk imports single pictures only.").format(
                name=name, NumberOfFrames=ds.NumberOfFrames
            )
        )
    if int(ds.BitsAllocated) != 8 or int(ds.get("BitsStored", 8)) != 8:
        raise DicomImportError(
            _(
                "{name} has {BitsAllocated}-bit pixels; DermDesk imports 8-bit colour or grey pictures only."
            ).format(name=name, BitsAllocated=ds.BitsAllocated)
        )
    photometric = str(ds.PhotometricInterpretation)
    samples = int(ds.SamplesPerPixel)
    if (photometric, samples) not in (("RGB", 3), ("MONOCHROME2", 1)):
        raise DicomImportError(
            _(
                "{name} stores its colours as {photometric}; DermDesk imports RGB or MONOCHROME2 "
                "pictures only."
            ).format(name=name, photometric=photometric)
        )
    try:
        check_dimensions(int(ds.Columns), int(ds.Rows))
    except PictureRefused as exc:
        raise DicomImportError(f"{name}: {exc}") from exc


def check_patient(ds: Dataset, record_number: str, family_name: str, birth_date: date) -> None:
    """Refuse a file whose patient is not this one (Patient ID; family name and birth date if given)."""
    given_id = str(ds.get("PatientID", "")).strip()
    try:
        same_id = normalise_record_number(given_id) == record_number
    except ValueError:
        same_id = False
    birth = str(ds.get("PatientBirthDate", "")).strip()
    same_birth = not birth or birth == birth_date.strftime("%Y%m%d")
    family = str(getattr(ds.get("PatientName"), "family_name", "") or "").strip()
    same_family = not family or family.casefold() == family_name.strip().casefold()
    if not (same_id and same_birth and same_family):
        shown = given_id or "no patient ID"
        raise DicomImportError(
            _(
                "The file belongs to another patient ({shown}), not to {record_number}; nothing was imported."
            ).format(shown=shown, record_number=record_number)
        )


def _pixels_bgr(path: Path, header: Dataset) -> np.ndarray:
    try:
        data = header.PixelData
    except (OSError, ValueError, EOFError) as exc:
        raise DicomImportError(
            _("{name} is damaged: its picture cannot be read ({exc}).").format(name=path.name, exc=exc)
        ) from exc
    rows, columns, samples = int(header.Rows), int(header.Columns), int(header.SamplesPerPixel)
    expected = rows * columns * samples
    if len(data) < expected:
        raise DicomImportError(
            _("{name} is damaged: its picture is shorter than {rows} × {columns} pixels.").format(
                name=path.name, rows=rows, columns=columns
            )
        )
    flat = np.frombuffer(data, dtype=np.uint8, count=expected)
    if samples == 1:
        return cv2.cvtColor(flat.reshape(rows, columns), cv2.COLOR_GRAY2BGR)
    if int(header.get("PlanarConfiguration", 0) or 0) == 1:
        rgb = flat.reshape(3, rows, columns).transpose(1, 2, 0)
    else:
        rgb = flat.reshape(rows, columns, 3)
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR)


def _captured_at(ds: Dataset, name: str) -> datetime:
    """When the picture was taken: Acquisition DateTime, else Content Date and Time; aware."""
    offset_text = str(ds.get("TimezoneOffsetFromUTC", "") or "")
    zone = _zone(offset_text)
    text = str(ds.get("AcquisitionDateTime", "") or "")
    if not text and ds.get("ContentDate"):
        text = f"{ds.ContentDate}{ds.get('ContentTime', '') or ''}"
    if not text:
        raise DicomImportError(_("{name} does not say when the picture was taken.").format(name=name))
    try:
        moment = DT(text)
    except ValueError as exc:
        raise DicomImportError(
            _("{name} has an unreadable acquisition time ({text}).").format(name=name, text=text)
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone) if zone else moment.astimezone()
    return datetime.fromtimestamp(moment.timestamp(), moment.tzinfo)


def _zone(text: str) -> timezone | None:
    if len(text) == 5 and text[0] in "+-" and text[1:].isdigit():
        minutes = int(text[1:3]) * 60 + int(text[3:5])
        return timezone(timedelta(minutes=minutes if text[0] == "+" else -minutes))
    return None


def _code(item: Dataset) -> Code | None:
    if "CodeValue" in item and "CodingSchemeDesignator" in item:
        return Code(str(item.CodeValue), str(item.CodingSchemeDesignator), str(item.get("CodeMeaning", "")))
    return None


def body_site_of(ds: Dataset) -> BodySite | None:
    """The coded region, laterality and front/back of the file, if it states a region."""
    regions = ds.get("AnatomicRegionSequence") or []
    if not regions:
        return None
    region = _code(regions[0])
    if region is None:
        return None
    modifiers = regions[0].get("AnatomicRegionModifierSequence") or []
    view = view_of_modifier(_code(modifiers[0])) if modifiers else None
    laterality = str(ds.get("ImageLaterality", "") or "")
    return BodySite(region, laterality if laterality in ("R", "L") else None, view)


def _wavelength(ds: Dataset) -> int | None:
    for item in ds.get("AcquisitionContextSequence") or []:
        concept = (item.get("ConceptNameCodeSequence") or [None])[0]
        if (
            concept is not None
            and _code(concept) == codes.DCM.IlluminationWavelength
            and "NumericValue" in item
        ):
            return round(float(item.NumericValue))
    return None


def _light(ds: Dataset) -> tuple[str | None, bool | None]:
    """The lighting mode to file and whether it was polarised."""
    if PICTURE_CLASSES[str(ds.SOPClassUID)] is StillKind.DERMOSCOPY:
        polarisation = str(ds.get("LightSourcePolarization", "") or "")
        polarised = {"POLARIZED": True, "NON_POLARIZED": False}.get(polarisation)
        return lighting_mode_of(StillKind.DERMOSCOPY, polarised, None), polarised
    wavelength = _wavelength(ds)
    kind = StillKind.SPECTRAL if wavelength is not None else StillKind.OVERVIEW
    return lighting_mode_of(kind, None, wavelength), None


def _camera(ds: Dataset) -> str:
    model = str(ds.get("ManufacturerModelName", "") or "")
    if str(ds.get("Manufacturer", "")) == MANUFACTURER and model.startswith(f"{MODEL_NAME} with "):
        return model[len(MODEL_NAME) + 6 :]
    maker = str(ds.get("Manufacturer", "") or "")
    return " ".join(part for part in (maker, model) if part) or "imported DICOM file"


def _float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _metadata(ds: Dataset, captured_at: datetime) -> CaptureMetadata:
    lighting, polarised = _light(ds)
    contact = {"CONTACT": True, "NON_CONTACT": False}.get(str(ds.get("ContactMethod", "") or ""))
    spacing = ds.get("PixelSpacing")
    mm_per_px = _float(spacing[0]) if spacing and len(spacing) == 2 and spacing[0] == spacing[1] else None
    return CaptureMetadata(
        camera=_camera(ds)[:120],
        lighting_mode=lighting,
        polarised=polarised,
        contact=contact,
        magnification=_float(ds.get("OpticalMagnificationFactor")),
        mm_per_px=mm_per_px,
        captured_at=captured_at,
    )


def _new_lesion(site: BodySite | None, name: str) -> NewLesion:
    if site is None:
        raise DicomImportError(
            _("{name} does not say where on the body it was taken; name the lesion to file it in.").format(
                name=name
            )
        )
    try:
        isic = isic_site(site.region, site.view)
    except KeyError:
        raise DicomImportError(
            _(
                "{name} names a body region DermDesk does not map ({meaning}); name the lesion to file it in."
            ).format(name=name, meaning=site.region.meaning)
        ) from None
    detail = site.words + (f" ({site.view})" if site.view else "")
    return NewLesion(isic.value, detail)


def import_still(
    records: Records, user: UserInfo, path: Path, record_number: str, lesion_label: str | None = None
) -> ImportedStill:
    """File the DICOM still at `path` in the patient's lesion (`lesion_label`), or in a new lesion at the
    body site the file states; refuses with DicomImportError and files nothing when it cannot."""
    header = read_still(path)
    record = records.patients.get(user, record_number)
    check_patient(header, record.record_number, record.family_name, record.date_of_birth)
    sop_uid = str(header.SOPInstanceUID)
    known = records.dicom.known_instance(user, sop_uid)
    if known is not None:
        raise DicomImportError(
            _("{name} is already filed here, as {known}.").format(name=path.name, known=known)
        )
    if lesion_label is not None:
        wanted = lesion_label.strip().upper()
        if wanted not in {lesion.label for lesion in record.lesions}:
            raise DicomImportError(
                _("Patient {record_number} has no lesion {wanted}.").format(
                    record_number=record.record_number, wanted=wanted
                )
            )
        new_lesion = None
    else:
        wanted = None
        new_lesion = _new_lesion(body_site_of(header), path.name)
    captured_at = _captured_at(header, path.name)
    bgr = _pixels_bgr(path, header)
    ok, png = cv2.imencode(".png", bgr)
    if not ok:  # pragma: no cover - encoding a valid uint8 array does not fail
        raise DicomImportError(
            _("{name}: the picture could not be converted for filing.").format(name=path.name)
        )
    metadata = _metadata(header, captured_at)
    request = CaptureRequest(
        record.record_number, png.tobytes(), lesion_label=wanted, new_lesion=new_lesion, metadata=metadata
    )
    result = records.captures.save(user, request)
    kept = False
    if result.image_id is not None:
        kept = _adopt(records, user, result.image_id, header, metadata)
    log.info("DICOM still imported as image %s (UIDs kept: %s)", result.image_id, kept)
    return ImportedStill(
        result.image_id,
        result.record_number,
        result.lesion_label,
        metadata.lighting_mode,
        captured_at,
        kept,
        result.spooled,
    )


def _adopt(records: Records, user: UserInfo, image_id: int, ds: Dataset, metadata: CaptureMetadata) -> bool:
    study, series, sop = (
        str(ds.get(k, "")) for k in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID")
    )
    if not all(is_valid_uid(uid) for uid in (study, series, sop)):
        return False
    content = light_of(metadata.lighting_mode, metadata.polarised).series_content
    numbers = [ds.get("SeriesNumber"), ds.get("InstanceNumber")]
    series_number, instance_number = (int(n) if n not in (None, "") else None for n in numbers)
    uids = ImportedUids(study, series, sop, str(ds.SOPClassUID), series_number, instance_number)
    return records.dicom.adopt(user, image_id, content, uids)
