"""What leaves the clinic for a consult: the same pseudonyms, age band, sex and site as a research upload,
bare PNG stills, the screened question, and nothing else.

Why built from plain facts in one function: the sender shows exactly this before it is queued (`lines`),
and the sender's background pass builds the very same thing from the records when it sends.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from dermdesk.consults.identifiers import describe, find_identifiers
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.records import RecordValidationError
from dermdesk.records.consults import ConsultMessageFacts, PatientIdentity, StillFacts
from dermdesk.sync.consult_payload import (
    ConsultAddition,
    ConsultClip,
    ConsultHistory,
    ConsultPicture,
    ConsultPrediction,
    ConsultRequest,
)
from dermdesk.sync.deidentify import SEXES, SITES, age_bin, pseudonym, reencode_image


def screen(who: PatientIdentity, text: str) -> None:
    """Refuse text naming the patient (the records call this inside the consult's transaction)."""
    findings = find_identifiers(text, who)
    if findings:
        raise RecordValidationError(describe(findings))


def picture(still: StillFacts) -> ConsultPicture:
    png = reencode_image(still.data)  # decoded and written again: no metadata survives
    return ConsultPicture(
        kind="overview" if still.lighting_mode is None else "dermoscopic",
        light=still.lighting_mode,
        png_base64=base64.b64encode(png).decode("ascii"),
        sha256=hashlib.sha256(png).hexdigest(),
    )


def build_request(facts: ConsultMessageFacts, secret: bytes) -> ConsultRequest:
    prediction = None
    if facts.prediction is not None:
        probabilities = {
            c: round(float(facts.prediction["probabilities"].get(c, 0.0)), 4) for c in CLASS_CODES
        }
        prediction = ConsultPrediction(
            probabilities=probabilities,
            model_name=facts.prediction["model_name"],
            model_version=facts.prediction["model_version"],
            refer=bool(facts.prediction["refer"]),
        )
    return ConsultRequest(
        patient_id=pseudonym(secret, "patient", facts.record_number),
        lesion_id=pseudonym(secret, "lesion", f"{facts.record_number}/{facts.lesion_label}"),
        age_approx=age_bin(facts.date_of_birth, facts.capture_date),
        sex=facts.sex if facts.sex in SEXES else None,
        anatom_site_general=facts.anatom_site_general if facts.anatom_site_general in SITES else None,
        research_consent=facts.research_consent,
        question=facts.question,
        urgency=facts.urgency,  # type: ignore[arg-type]
        history=ConsultHistory(**facts.history),
        pictures=[picture(s) for s in facts.stills],
        prediction=prediction,
    )


def build_addition(facts: ConsultMessageFacts, clips_dir: Path) -> ConsultAddition:
    clip = None
    if facts.clip_path is not None:
        data = (clips_dir / facts.clip_path).read_bytes()
        clip = ConsultClip(
            webm_base64=base64.b64encode(data).decode("ascii"),
            sha256=hashlib.sha256(data).hexdigest(),
            seconds=float(facts.clip_seconds or 0.0),
        )
    return ConsultAddition(note=facts.note, pictures=[picture(s) for s in facts.stills], clip=clip)


def lines(request: ConsultRequest) -> list[str]:
    """What will leave, field by field, as the sender reads it before sending."""
    history = ", ".join(
        f"{k.replace('_', ' ')}: {v}" for k, v in request.history.model_dump().items() if v is not None
    )
    out = [
        f"Patient: {request.patient_id} (a pseudonym; the centre never learns who)",
        f"Lesion: {request.lesion_id}",
        f"Age band: {request.age_approx if request.age_approx is not None else 'unknown'}",
        f"Sex: {request.sex or 'not sent'}",
        f"Body site: {request.anatom_site_general or 'not sent'}",
        f"Research use of the answer: {'yes (the patient consented)' if request.research_consent else 'no'}",
        f"Urgency: {request.urgency}",
        f"Question: {request.question}",
        f"History: {history or 'none given'}",
    ]
    for n, p in enumerate(request.pictures, start=1):
        size = len(p.png_base64) * 3 // 4
        out.append(
            f"Picture {n}: {p.kind}, light {p.light or 'none'}, bare PNG of {size // 1024} KiB (no metadata)"
        )
    if request.prediction is not None:
        model = request.prediction
        code, share = max(model.probabilities.items(), key=lambda kv: kv[1])
        out.append(f"Model result: {code} {share:.0%} ({model.model_name} {model.model_version})")
    return out
