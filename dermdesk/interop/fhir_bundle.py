"""A visit as a FHIR R4 transaction Bundle for the clinic's EHR, built and validated with the R4B models of
`fhir.resources` (R4B is wire-compatible with R4; R5 has no `Media`).

What is in it: the Patient, the signing (or visit) Practitioner, the Encounter, a BodyStructure per
lesion seen at the visit, a Media per still (the picture itself), the model as a Device, an Observation
per model result (its ranking, "not a diagnosis", focused on the lesion and derived from the still),
and a DiagnosticReport carrying the newest signed report PDF.

Why every entry is a PUT to an id made from the visit's own identity: sending the same visit again
(a retry after a dropped connection, or a resend after an amendment) updates the same resources at
the EHR instead of making new ones; the Patient is matched on its record number (a conditional PUT).
The ids are hashes and carry no name or record number, since servers log URLs.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from dermdesk.i18n import _
from dermdesk.interop.anatomy import body_site
from dermdesk.interop.export import software_version
from dermdesk.interop.lights import light_of
from dermdesk.records import ImageInfo, LesionInfo, Records, RecordsError, UserInfo
from dermdesk.records.reports import VisitKey
from dermdesk.reports.data import diagnosis_name
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

RECORD_NUMBER_SYSTEM = "urn:dermdesk:record-number"
SNOMED = "http://snomed.info/sct"
_NAMESPACE = uuid.UUID("5b0c5a8e-4a86-4f55-9a59-2a8f8a3c26d1")
_GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}
_SYSTEMS = {"SCT": SNOMED, "DCM": "http://dicom.nema.org/resources/ontology/DCM"}


class FhirExportError(RuntimeError):
    """The visit cannot be made into a Bundle; the message says why, for staff."""


@dataclass(frozen=True)
class VisitBundle:
    bundle: Bundle
    record_number: str
    visit_id: int
    visit_date: date
    notes: tuple[str, ...]

    def json(self) -> str:
        return str(self.bundle.model_dump_json(by_alias=True, exclude_none=True, indent=1))


def _id(*parts: object) -> str:
    """A stable resource id for one object of this clinic's records (a UUID, nothing readable in it)."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _ref(kind: str, ident: str) -> dict[str, str]:
    return {"reference": f"{kind}/{ident}"}


def _instant(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.isoformat(timespec="seconds")


def _entry(resource: dict[str, Any], *, url: str | None = None) -> dict[str, Any]:
    kind, ident = resource["resourceType"], resource["id"]
    return {
        "fullUrl": f"urn:uuid:{ident}",
        "resource": resource,
        "request": {"method": "PUT", "url": url or f"{kind}/{ident}"},
    }


def _site_concept(lesion: LesionInfo) -> dict[str, Any]:
    site = body_site(
        lesion.anatom_site_general, lesion.site_detail, lesion.map_x, lesion.map_y, lesion.map_view
    )
    coding = {
        "system": _SYSTEMS.get(site.region.scheme_designator, site.region.scheme_designator),
        "code": str(site.region.value),
        "display": site.region.meaning,
    }
    return {"coding": [coding], "text": site.words}


def visit_bundle(
    records: Records, user: UserInfo, record_number: str, visit: VisitKey, settings: DermDeskSettings
) -> VisitBundle:
    """The visit as a validated transaction Bundle; reading the record and the report is audited."""
    record = records.patients.get(user, record_number)
    context = records.reports.context(user, record_number, visit)
    signed = [v for v in context.versions if v.signed_at is not None]
    report = signed[-1] if signed else None
    notes: list[str] = []
    stills = [
        (lesion, image)
        for lesion in record.lesions
        for image in lesion.images
        if image.visit_date == context.visit_date
    ]
    if not stills and report is None:
        raise FhirExportError(
            _("The visit of {visit_date} has nothing to send yet.").format(
                visit_date=context.visit_date.isoformat()
            )
        )
    key = (record.record_number, context.visit_id)
    patient_id = _id("patient", record.record_number)
    encounter_id = _id("encounter", *key)
    doctor = (report.signed_by_name if report else None) or context.clinician
    practitioner_id = _id(
        "practitioner", (report.signed_by if report else None) or context.clinician_username
    )
    entries: list[dict[str, Any]] = []

    identifier = {"system": RECORD_NUMBER_SYSTEM, "value": record.record_number}
    entries.append(
        _entry(
            {
                "resourceType": "Patient",
                "id": patient_id,
                "identifier": [identifier],
                "name": [{"family": record.family_name, "given": [record.given_name]}],
                "gender": _GENDER.get(record.sex, "unknown"),
                "birthDate": record.date_of_birth.isoformat(),
            },
            url=f"Patient?identifier={RECORD_NUMBER_SYSTEM}|{record.record_number}",
        )
    )
    entries.append(
        _entry({"resourceType": "Practitioner", "id": practitioner_id, "name": [{"text": doctor}]})
    )
    started = min((image.captured_at for _, image in stills), default=None)
    period = {"start": _instant(started)} if started else {"start": context.visit_date.isoformat()}
    entries.append(
        _entry(
            {
                "resourceType": "Encounter",
                "id": encounter_id,
                "status": "finished",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "AMB",
                    "display": "ambulatory",
                },
                "subject": _ref("Patient", patient_id),
                "participant": [{"individual": _ref("Practitioner", practitioner_id)}],
                "period": period,
                "serviceProvider": {"display": settings.clinic_name} if settings.clinic_name else None,
            }
        )
    )
    lesions = {lesion.label: lesion for lesion, _ in stills}
    structure_ids: dict[str, str] = {}
    for label, lesion in lesions.items():
        structure_ids[label] = _id("lesion", record.record_number, label)
        entries.append(
            _entry(
                {
                    "resourceType": "BodyStructure",
                    "id": structure_ids[label],
                    "identifier": [{"system": "urn:dermdesk:lesion-label", "value": label}],
                    "description": f"Lesion {label}",
                    "location": _site_concept(lesion),
                    "patient": _ref("Patient", patient_id),
                }
            )
        )
    observation_ids: list[str] = []
    media_ids: list[str] = []
    devices: dict[tuple[str, str], str] = {}
    for lesion, image in stills:
        media = _media(records, image, lesion, patient_id, encounter_id, notes)
        if media is None:
            continue
        entries.append(_entry(media))
        media_ids.append(media["id"])
        for prediction in image.predictions:
            device_key = (prediction.model_name, prediction.model_version)
            if device_key not in devices:
                devices[device_key] = _id("device", *device_key, prediction.manifest_sha256)
                entries.append(
                    _entry(
                        {
                            "resourceType": "Device",
                            "id": devices[device_key],
                            "deviceName": [{"name": prediction.model_name, "type": "model-name"}],
                            "version": [{"value": prediction.model_version}],
                            "manufacturer": software_version(),
                            "note": [
                                {"text": f"Model package manifest SHA-256 {prediction.manifest_sha256}"}
                            ],
                        }
                    )
                )
            observation_id = _id("observation", image.capture_uid, prediction.id, prediction.created_at)
            observation_ids.append(observation_id)
            entries.append(
                _entry(
                    {
                        "resourceType": "Observation",
                        "id": observation_id,
                        "status": "final",
                        "code": {"text": "Dermoscopy model ranking of likely diagnoses (not a diagnosis)"},
                        "subject": _ref("Patient", patient_id),
                        "encounter": _ref("Encounter", encounter_id),
                        "focus": [_ref("BodyStructure", structure_ids[lesion.label])],
                        "effectiveDateTime": _instant(prediction.created_at),
                        "device": _ref("Device", devices[device_key]),
                        "derivedFrom": [_ref("Media", media["id"])],
                        "valueString": f"triage: {prediction.triage}; refer: {_yes(prediction.refer)}",
                        "component": [
                            {
                                "code": {
                                    "coding": [{"system": "urn:dermdesk:diagnosis-class", "code": code}],
                                    "text": diagnosis_name(code, None),
                                },
                                "valueQuantity": {
                                    "value": round(float(prediction.probabilities.get(code, 0.0)), 4),
                                    "unit": "probability",
                                },
                            }
                            for code in prediction.ranking
                        ],
                    }
                )
            )
    report_entry: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": _id("report", *key),
        "status": "final" if report else "preliminary",
        "code": {
            "coding": [{"system": "http://loinc.org", "code": "11488-4", "display": "Consult note"}],
            "text": "Dermatology visit report",
        },
        "subject": _ref("Patient", patient_id),
        "encounter": _ref("Encounter", encounter_id),
        "effectiveDateTime": context.visit_date.isoformat(),
        "performer": [_ref("Practitioner", practitioner_id)],
        "result": [_ref("Observation", i) for i in observation_ids],
        "media": [{"link": _ref("Media", i)} for i in media_ids],
    }
    if report is not None:
        pdf = records.reports.read(user, report.id)
        report_entry["issued"] = _instant(report.signed_at) if report.signed_at else None
        report_entry["presentedForm"] = [
            {
                "contentType": "application/pdf",
                "data": base64.b64encode(pdf).decode("ascii"),
                "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),
                "size": len(pdf),
                "title": f"Visit report {context.visit_date.isoformat()} v{report.version}",
                "creation": _instant(report.signed_at) if report.signed_at else None,
            }
        ]
    else:
        notes.append("The visit has no signed report; the DiagnosticReport is preliminary, without a PDF.")
    entries.append(_entry(report_entry))
    bundle = validated_bundle(
        {
            "resourceType": "Bundle",
            "id": _id("bundle", *key),
            "type": "transaction",
            "timestamp": _instant(records.clock()),
            "entry": entries,
        }
    )
    log.info("Visit %s made into a FHIR Bundle of %d entries", context.visit_id, len(entries))
    return VisitBundle(bundle, record.record_number, context.visit_id, context.visit_date, tuple(notes))


def _media(
    records: Records,
    image: ImageInfo,
    lesion: LesionInfo,
    patient_id: str,
    encounter_id: str,
    notes: list[str],
) -> dict[str, Any] | None:
    try:
        picture = records.store.read(image.relative_path)
    except RecordsError as exc:
        log.error("Image %s left out of the FHIR Bundle: %s", image.id, exc)
        notes.append(f"The picture {image.id} of lesion {lesion.label} is missing or damaged.")
        return None
    light = light_of(image.lighting_mode, image.polarised)
    content_type = "image/png" if picture[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return {
        "resourceType": "Media",
        "id": _id("media", image.capture_uid),
        "identifier": [{"system": "urn:dermdesk:capture-uid", "value": image.capture_uid}],
        "status": "completed",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/media-type",
                    "code": "image",
                    "display": "Image",
                }
            ]
        },
        "modality": {"text": light.description},
        "subject": _ref("Patient", patient_id),
        "encounter": _ref("Encounter", encounter_id),
        "createdDateTime": _instant(image.captured_at),
        "bodySite": _site_concept(lesion),
        "deviceName": image.camera,
        "note": [{"text": f"Lesion {lesion.label}"}],
        "content": {
            "contentType": content_type,
            "data": base64.b64encode(picture).decode("ascii"),
            "size": len(picture),
            "title": f"{lesion.label} {light.description}",
        },
    }


def validated_bundle(data: dict[str, Any]) -> Bundle:
    """The Bundle as the R4B models read it (None values dropped); ValueError on anything invalid."""
    return Bundle.model_validate(_without_none(data))


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def resources_of(bundle: Bundle) -> list[Resource]:
    return [entry.resource for entry in bundle.entry or [] if entry.resource is not None]
