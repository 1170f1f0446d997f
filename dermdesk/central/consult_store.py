"""Consults at the central service: stored once per idempotency key, seen only by their own clinic and
the dermatologists assigned to it, answered once, corrected only by versioned amendments.

Why the rules live here and not in the HTTP layer: the API, the CLI and the tests all go through these
functions, each one transaction with its audit entry. States: received -> in review (a dermatologist opened
it) -> more information requested -> received (the clinic added some) ... -> answered; a clinic may cancel
until it is answered. An answer whose patient gave research consent turns the consult's white-light stills
into labelled training cases ("teledermatology" as the label's source).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from dermdesk.central import store
from dermdesk.central.audit import audit
from dermdesk.central.clinics import Dermatologist
from dermdesk.central.schema import CaseRejectedError, check_png
from dermdesk.files import write_atomic
from dermdesk.i18n import N_
from dermdesk.sync.consult_payload import (
    AnswerSubmission,
    ConsultAddition,
    ConsultAnswer,
    ConsultPicture,
    ConsultRequest,
    ConsultStatus,
)
from dermdesk.sync.deidentify import PAYLOAD_FIELDS, SCHEMA_VERSION

consults = Table(
    "consults",
    store.metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", ForeignKey("clinics.id"), nullable=False, index=True),
    Column("device_id", ForeignKey("devices.id"), nullable=False),
    Column("idempotency_key", String(100), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("state", String(32), nullable=False),
    Column("urgency", String(8), nullable=False),
    Column("request", JSON, nullable=False),  # the request without its pictures (those are media rows)
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("device_id", "idempotency_key"),
)

additions = Table(
    "consult_additions",
    store.metadata,
    Column("id", Integer, primary_key=True),
    Column("consult_id", ForeignKey("consults.id"), nullable=False, index=True),
    Column("device_id", ForeignKey("devices.id"), nullable=False),
    Column("idempotency_key", String(100), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("note", Text, nullable=False),
    Column("received_at", DateTime, nullable=False),
    UniqueConstraint("device_id", "idempotency_key"),
)

media = Table(
    "consult_media",
    store.metadata,
    Column("id", Integer, primary_key=True),
    Column("consult_id", ForeignKey("consults.id"), nullable=False, index=True),
    Column("addition_id", ForeignKey("consult_additions.id")),
    Column("kind", String(16), nullable=False),  # dermoscopic, overview, clip
    Column("light", String(20)),
    Column("sha256", String(64), nullable=False),
    Column("seconds", JSON),
)

answers = Table(
    "consult_answers",
    store.metadata,
    Column("id", Integer, primary_key=True),
    Column("consult_id", ForeignKey("consults.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("opinion", Text, nullable=False),
    Column("diagnosis", String(16)),
    Column("management", String(20)),
    Column("follow_up_months", Integer),
    Column("amends", Integer),
    Column("dermatologist_id", ForeignKey("dermatologists.id"), nullable=False),
    Column("specialist_name", String(120), nullable=False),
    Column("specialist_registration", String(40), nullable=False),
    Column("submission_key", String(100), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("answered_at", DateTime, nullable=False),
    UniqueConstraint("consult_id", "version"),
    UniqueConstraint("dermatologist_id", "submission_key"),
)

OPEN_STATES = frozenset({"received", "in review", "more information requested"})
TRAINING_LIGHTS = {"white": "contact non-polarized", "white_polarised": "contact polarized"}


class ConsultNotFoundError(LookupError):
    """No consult of that id for this clinic or dermatologist (HTTP 404: ids that are not yours)."""


class ConsultConflictError(ValueError):
    """The consult's state does not allow this (HTTP 409); the message says why.

    The message is kept as its English template with named placeholders, so the dermatologists' pages can
    show it in their language (`translated`) while the API answers in English (`str`)."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values))
        self.template = message
        self.values = values

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.template).format(**self.values)


class ConsultRefusedError(ValueError):
    """The content is not acceptable (HTTP 422); the message says why."""


@dataclass(frozen=True)
class ConsultReceipt:
    consult_id: str
    replayed: bool
    version: int | None = None


def consult_name(consult_id: int) -> str:
    return f"TC-{consult_id:07d}"


def parse_name(name: str) -> int:
    if not name.startswith("TC-") or not name[3:].isdigit() or len(name) > 20:
        raise ConsultNotFoundError("no such consult")
    return int(name[3:])


def media_path(media_dir: Path, digest: str, suffix: str) -> Path:
    return media_dir / digest[:2] / f"{digest}.{suffix}"


def _put_media(media_dir: Path, data: bytes, suffix: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = media_path(media_dir, digest, suffix)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, mode=0o600)
    return digest


def _store_pictures(media_dir: Path, pictures: list[ConsultPicture]) -> None:
    for picture in pictures:
        try:
            png = picture.png()
            check_png(png)
        except (ValueError, CaseRejectedError) as exc:
            raise ConsultRefusedError(str(exc)) from exc
        _put_media(media_dir, png, "png")


def create(
    engine: Engine,
    media_dir: Path,
    clinic_id: int,
    device_id: int,
    key: str,
    body_sha256: str,
    request: ConsultRequest,
) -> ConsultReceipt:
    """Store a new consult once per (device, key); a repeat with the same body gets the first receipt."""
    _store_pictures(media_dir, request.pictures)  # before the row: a crash leaves a file, never a hole
    kept = request.model_dump(mode="json", exclude={"pictures"})
    now = store.utcnow()
    with engine.begin() as conn:
        found = _existing(conn, consults, device_id, key)
        if found is not None:
            return _replay(found, body_sha256)
        try:
            with conn.begin_nested():
                result = conn.execute(
                    insert(consults).values(
                        clinic_id=clinic_id,
                        device_id=device_id,
                        idempotency_key=key,
                        body_sha256=body_sha256,
                        state="received",
                        urgency=request.urgency,
                        request=kept,
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError:
            found = _existing(conn, consults, device_id, key)
            if found is None:
                raise
            return _replay(found, body_sha256)
        new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        _add_media(conn, new_id, None, request.pictures)
        audit(
            conn,
            "consult received",
            "device",
            device_id,
            clinic_id=clinic_id,
            consult_id=new_id,
            detail={"pictures": len(request.pictures), "urgency": request.urgency},
        )
    return ConsultReceipt(consult_name(new_id), replayed=False)


def _add_media(
    conn: Connection, consult_id: int, addition_id: int | None, pictures: list[ConsultPicture]
) -> None:
    for picture in pictures:
        conn.execute(
            insert(media).values(
                consult_id=consult_id,
                addition_id=addition_id,
                kind=picture.kind,
                light=picture.light,
                sha256=picture.sha256,
            )
        )


def _existing(conn: Connection, table: Table, device_id: int, key: str) -> Any:
    return (
        conn.execute(select(table).where(table.c.device_id == device_id, table.c.idempotency_key == key))
        .mappings()
        .first()
    )


def _replay(row: Any, body_sha256: str) -> ConsultReceipt:
    if row["body_sha256"] != body_sha256:
        raise ConsultConflictError(N_("this Idempotency-Key was already used for a different request"))
    consult_id = row["consult_id"] if "consult_id" in row else row["id"]
    return ConsultReceipt(consult_name(int(consult_id)), replayed=True)


def _own(conn: Connection, name: str, clinic_ids: frozenset[int]) -> Any:
    """The consult row if it belongs to one of `clinic_ids`; ConsultNotFoundError otherwise (never 403)."""
    row = conn.execute(select(consults).where(consults.c.id == parse_name(name))).mappings().first()
    if row is None or row["clinic_id"] not in clinic_ids:
        raise ConsultNotFoundError(f"no consult {name} for you")
    return row


def add_information(
    engine: Engine,
    media_dir: Path,
    clinic_id: int,
    device_id: int,
    name: str,
    key: str,
    body_sha256: str,
    addition: ConsultAddition,
) -> ConsultReceipt:
    """New stills and/or a clip for an open consult; it goes back to the dermatologists' queue."""
    _store_pictures(media_dir, addition.pictures)
    if addition.clip is not None:
        try:
            webm = addition.clip.webm()
        except ValueError as exc:
            raise ConsultRefusedError(str(exc)) from exc
        _put_media(media_dir, webm, "webm")
    with engine.begin() as conn:
        row = _own(conn, name, frozenset({clinic_id}))
        found = _existing(conn, additions, device_id, key)
        if found is not None:
            return _replay(found, body_sha256)
        if row["state"] not in OPEN_STATES:
            raise ConsultConflictError(
                N_("consult {name} is {state}; nothing can be added to it"), name=name, state=row["state"]
            )
        result = conn.execute(
            insert(additions).values(
                consult_id=row["id"],
                device_id=device_id,
                idempotency_key=key,
                body_sha256=body_sha256,
                note=addition.note,
                received_at=store.utcnow(),
            )
        )
        addition_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        _add_media(conn, row["id"], addition_id, addition.pictures)
        if addition.clip is not None:
            conn.execute(
                insert(media).values(
                    consult_id=row["id"],
                    addition_id=addition_id,
                    kind="clip",
                    sha256=addition.clip.sha256,
                    seconds=addition.clip.seconds,
                )
            )
        _set_state(conn, row["id"], "received")
        audit(
            conn,
            "information added",
            "device",
            device_id,
            clinic_id=clinic_id,
            consult_id=row["id"],
            detail={"pictures": len(addition.pictures), "clip": addition.clip is not None},
        )
    return ConsultReceipt(name, replayed=False)


def _set_state(conn: Connection, consult_id: int, state: str) -> None:
    conn.execute(
        update(consults).where(consults.c.id == consult_id).values(state=state, updated_at=store.utcnow())
    )


def status(engine: Engine, clinic_id: int, device_id: int, name: str) -> ConsultStatus:
    """The consult's state and replies, for a station of its clinic (audited: answers were seen)."""
    with engine.begin() as conn:
        row = _own(conn, name, frozenset({clinic_id}))
        result = _status(conn, row)
        audit(
            conn,
            "status fetched",
            "device",
            device_id,
            clinic_id=clinic_id,
            consult_id=row["id"],
            detail={"state": row["state"], "answers": len(result.answers)},
        )
    return result


def _status(conn: Connection, row: Any) -> ConsultStatus:
    replies = conn.execute(
        select(answers).where(answers.c.consult_id == row["id"]).order_by(answers.c.version)
    ).mappings()
    return ConsultStatus(
        consult_id=consult_name(row["id"]),
        state=row["state"],
        answers=[
            ConsultAnswer(
                version=a["version"],
                kind=a["kind"],
                opinion=a["opinion"],
                diagnosis=a["diagnosis"],
                management=a["management"],
                follow_up_months=a["follow_up_months"],
                amends=a["amends"],
                specialist_name=a["specialist_name"],
                specialist_registration=a["specialist_registration"],
                answered_at=a["answered_at"],
            )
            for a in replies
        ],
    )


def cancel(engine: Engine, clinic_id: int, device_id: int, name: str) -> ConsultStatus:
    """The clinic withdraws its consult (again is harmless); an answered consult stays answered."""
    with engine.begin() as conn:
        row = _own(conn, name, frozenset({clinic_id}))
        if row["state"] == "answered":
            raise ConsultConflictError(
                N_("consult {name} is answered already; it cannot be cancelled"), name=name
            )
        if row["state"] != "cancelled":
            _set_state(conn, row["id"], "cancelled")
            audit(conn, "consult cancelled", "device", device_id, clinic_id=clinic_id, consult_id=row["id"])
        row = _own(conn, name, frozenset({clinic_id}))
        return _status(conn, row)


def open_for_review(engine: Engine, person: Dermatologist, name: str) -> dict[str, Any]:
    """What a dermatologist reads: the request, its media and any earlier replies (audited)."""
    with engine.begin() as conn:
        row = _own(conn, name, person.clinic_ids)
        if row["state"] == "received":
            _set_state(conn, row["id"], "in review")
        audit(
            conn,
            "consult viewed",
            "dermatologist",
            person.id,
            clinic_id=row["clinic_id"],
            consult_id=row["id"],
        )
        items = conn.execute(
            select(media).where(media.c.consult_id == row["id"]).order_by(media.c.id)
        ).mappings()
        notes = conn.execute(
            select(additions.c.note).where(additions.c.consult_id == row["id"]).order_by(additions.c.id)
        ).scalars()
        current = _own(conn, name, person.clinic_ids)
        return {
            "consult_id": name,
            "state": current["state"],
            "request": dict(row["request"]),
            "media": [
                {
                    "kind": m["kind"],
                    "light": m["light"],
                    "sha256": m["sha256"],
                    "added": m["addition_id"] is not None,
                }
                for m in items
            ],
            "notes": list(notes),
            "answers": [a.model_dump(mode="json") for a in _status(conn, current).answers],
        }


def owned(engine: Engine, clinic_ids: frozenset[int], name: str) -> dict[str, Any]:
    """The consult row (id, clinic, state, urgency, times) if it belongs to one of `clinic_ids`, without
    auditing: for checks made on behalf of a view that is audited itself (the web pages' pictures)."""
    with engine.connect() as conn:
        return dict(_own(conn, name, clinic_ids))


def media_item(engine: Engine, clinic_ids: frozenset[int], name: str, digest: str) -> tuple[str, str]:
    """The kind ("png" or "webm") and media type of a still or clip of one of these clinics' consults."""
    with engine.connect() as conn:
        row = _own(conn, name, clinic_ids)
        kind = conn.execute(
            select(media.c.kind).where(media.c.consult_id == row["id"], media.c.sha256 == digest)
        ).scalar()
    if kind is None:
        raise ConsultNotFoundError("no such picture or clip in this consult")
    return ("webm", "video/webm") if kind == "clip" else ("png", "image/png")


def submit_answer(
    engine: Engine,
    images_dir: Path,
    media_dir: Path,
    person: Dermatologist,
    name: str,
    key: str,
    submission: AnswerSubmission,
) -> ConsultReceipt:
    """Store one reply version; a repeat of the same submission gets the first receipt."""
    body_sha256 = hashlib.sha256(submission.model_dump_json().encode()).hexdigest()
    with engine.begin() as conn:
        row = _own(conn, name, person.clinic_ids)
        found = (
            conn.execute(
                select(answers).where(
                    answers.c.dermatologist_id == person.id, answers.c.submission_key == key
                )
            )
            .mappings()
            .first()
        )
        if found is not None:
            if found["body_sha256"] != body_sha256 or found["consult_id"] != row["id"]:
                raise ConsultConflictError(N_("this submission key was already used for a different reply"))
            return ConsultReceipt(name, replayed=True, version=int(found["version"]))
        _check_allowed(conn, row, submission)
        version = 1 + len(conn.execute(select(answers.c.id).where(answers.c.consult_id == row["id"])).all())
        conn.execute(
            insert(answers).values(
                consult_id=row["id"],
                version=version,
                kind=submission.kind,
                opinion=submission.opinion,
                diagnosis=submission.diagnosis,
                management=submission.management,
                follow_up_months=submission.follow_up_months,
                amends=submission.amends,
                dermatologist_id=person.id,
                specialist_name=person.name,
                specialist_registration=person.registration_number,
                submission_key=key,
                body_sha256=body_sha256,
                answered_at=store.utcnow(),
            )
        )
        state = "more information requested" if submission.kind == "more information" else "answered"
        _set_state(conn, row["id"], state)
        audit(
            conn,
            f"{submission.kind} given",
            "dermatologist",
            person.id,
            clinic_id=row["clinic_id"],
            consult_id=row["id"],
            detail={
                "version": version,
                "diagnosis": submission.diagnosis,
                "management": submission.management,
            },
        )
        if submission.diagnosis is not None and row["request"].get("research_consent"):
            _label_training_cases(conn, images_dir, media_dir, row, submission.diagnosis)
    return ConsultReceipt(name, replayed=False, version=version)


def _check_allowed(conn: Connection, row: Any, submission: AnswerSubmission) -> None:
    name, state = consult_name(row["id"]), row["state"]
    if state == "cancelled":
        raise ConsultConflictError(
            N_("consult {name} was cancelled by the clinic; no reply can be sent"), name=name
        )
    if submission.kind == "amendment":
        if state != "answered":
            raise ConsultConflictError(
                N_("consult {name} has no answer yet; send an answer, not an amendment"), name=name
            )
        versions = set(
            conn.execute(
                select(answers.c.version).where(
                    answers.c.consult_id == row["id"], answers.c.kind != "more information"
                )
            ).scalars()
        )
        if submission.amends not in versions:
            raise ConsultConflictError(
                N_("consult {name} has no answer version {version} to amend"),
                name=name,
                version=submission.amends,
            )
    elif state == "answered":
        raise ConsultConflictError(
            N_(
                "consult {name} is answered already; an answer cannot change — "
                "send a correction as an amendment"
            ),
            name=name,
        )


def _label_training_cases(
    conn: Connection, images_dir: Path, media_dir: Path, row: Any, diagnosis: str
) -> None:
    """Each white-light dermoscopic still becomes (or, after an amendment, stays) one labelled case."""
    request = row["request"]
    prediction = request.get("prediction") or {}
    stills = conn.execute(
        select(media.c.sha256, media.c.light).where(
            media.c.consult_id == row["id"], media.c.kind == "dermoscopic"
        )
    ).all()
    for digest, light in stills:
        if light not in TRAINING_LIGHTS:
            continue
        meta: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "patient_id": request["patient_id"],
            "lesion_id": request["lesion_id"],
            "age_approx": request["age_approx"],
            "sex": request["sex"],
            "anatom_site_general": request["anatom_site_general"],
            "diagnosis": diagnosis,
            "diagnosis_confirm_type": "teledermatology",
            "image_type": "dermoscopic",
            "dermoscopic_type": TRAINING_LIGHTS[light],
            "clin_size_long_diam_mm": None,
            "prediction": prediction.get("probabilities"),
            "model_name": prediction.get("model_name"),
            "model_version": prediction.get("model_version"),
            "image_sha256": digest,
        }
        assert tuple(meta) == PAYLOAD_FIELDS  # the training cases keep the upload schema exactly
        store.put_image(images_dir, media_path(media_dir, digest, "png").read_bytes())
        key = f"consult-{row['id']}-{digest[:40]}"
        body = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()
        existing = conn.execute(
            select(store.cases.c.id).where(
                store.cases.c.device_id == row["device_id"], store.cases.c.idempotency_key == key
            )
        ).first()
        if existing is None:
            conn.execute(
                insert(store.cases).values(
                    device_id=row["device_id"],
                    idempotency_key=key,
                    body_sha256=body,
                    image_sha256=digest,
                    metadata=meta,
                    labelled=True,
                    received_at=store.utcnow(),
                )
            )
        else:  # an amendment changed the diagnosis: the label follows the newest answer
            conn.execute(
                update(store.cases)
                .where(store.cases.c.id == existing.id)
                .values(metadata=meta, body_sha256=body)
            )


def consults_of(engine: Engine, clinic_ids: frozenset[int]) -> list[dict[str, Any]]:
    """The consults of these clinics, newest first: id, state, urgency, when (no patient facts)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(consults.c.id, consults.c.state, consults.c.urgency, consults.c.created_at)
            .where(consults.c.clinic_id.in_(clinic_ids))
            .order_by(consults.c.id.desc())
        ).all()
    return [
        {
            "consult_id": consult_name(r.id),
            "state": r.state,
            "urgency": r.urgency,
            "created_at": r.created_at.isoformat(),
        }
        for r in rows
    ]
