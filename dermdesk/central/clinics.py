"""Clinics, the devices they own and the dermatologists who answer them (central database).

Why a clinic is its own entity: a consult belongs to the clinic whose device sent it, and every station of
that clinic may follow it, while no other clinic may even learn that it exists. A device belongs to one
clinic (devices registered before clinics existed belong to none and cannot consult). A dermatologist
answers the clinics assigned to them; their token, like a device token, is kept as a sha256 digest.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from dermdesk.central.store import _digest, devices, metadata, utcnow
from dermdesk.i18n import _

clinics = Table(
    "clinics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), unique=True, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

device_clinics = Table(  # a table of its own, so databases from before clinics need no ALTER
    "device_clinics",
    metadata,
    Column("device_id", ForeignKey("devices.id"), primary_key=True),
    Column("clinic_id", ForeignKey("clinics.id"), nullable=False, index=True),
)

dermatologists = Table(
    "dermatologists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("registration_number", String(40), unique=True, nullable=False),
    Column("token_sha256", String(64), unique=True, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

assignments = Table(
    "dermatologist_clinics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dermatologist_id", ForeignKey("dermatologists.id"), nullable=False),
    Column("clinic_id", ForeignKey("clinics.id"), nullable=False),
    UniqueConstraint("dermatologist_id", "clinic_id"),
)


class ClinicError(ValueError):
    """A clinic, device or dermatologist cannot be added or found; the message says which."""


@dataclass(frozen=True)
class Dermatologist:
    id: int
    name: str
    registration_number: str
    clinic_ids: frozenset[int]


def add_clinic(engine: Engine, name: str) -> int:
    name = name.strip()
    if not name or len(name) > 80:
        raise ClinicError(_("a clinic needs a name of 1-80 characters"))
    try:
        with engine.begin() as conn:
            result = conn.execute(insert(clinics).values(name=name, created_at=utcnow()))
    except IntegrityError as exc:
        raise ClinicError(_("a clinic called {name} exists already").format(name=repr(name))) from exc
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def clinic_id(engine: Engine, name: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(select(clinics.c.id).where(clinics.c.name == name)).scalar()
    if found is None:
        raise ClinicError(
            _("there is no clinic called {name}; add it with `dermdesk-central clinics add`").format(
                name=repr(name)
            )
        )
    return int(found)


def list_clinics(engine: Engine) -> list[dict[str, object]]:
    """Every clinic with its devices' names."""
    with engine.connect() as conn:
        rows = conn.execute(select(clinics).order_by(clinics.c.id)).mappings().all()
        owned = conn.execute(
            select(device_clinics.c.clinic_id, devices.c.name).join(
                devices, devices.c.id == device_clinics.c.device_id
            )
        ).all()
    return [
        {"id": r["id"], "name": r["name"], "devices": sorted(n for c, n in owned if c == r["id"])}
        for r in rows
    ]


def attach_device(engine: Engine, device_id: int, clinic: int) -> None:
    with engine.begin() as conn:
        conn.execute(insert(device_clinics).values(device_id=device_id, clinic_id=clinic))


def clinic_of_device(engine: Engine, device_id: int) -> int | None:
    with engine.connect() as conn:
        found = conn.execute(
            select(device_clinics.c.clinic_id).where(device_clinics.c.device_id == device_id)
        ).scalar()
    return None if found is None else int(found)


def add_dermatologist(engine: Engine, name: str, registration_number: str) -> tuple[int, str]:
    """Register a dermatologist; return their id and token (shown once: only its digest is kept)."""
    name, registration_number = name.strip(), registration_number.strip()
    if not name or not registration_number:
        raise ClinicError(_("a dermatologist needs a name and a registration number"))
    token = secrets.token_urlsafe(32)
    try:
        with engine.begin() as conn:
            result = conn.execute(
                insert(dermatologists).values(
                    name=name[:120],
                    registration_number=registration_number[:40],
                    token_sha256=_digest(token),
                    active=True,
                    created_at=utcnow(),
                )
            )
    except IntegrityError as exc:
        raise ClinicError(
            _("registration number {number} is registered already").format(number=repr(registration_number))
        ) from exc
    return int(result.inserted_primary_key[0]), token  # type: ignore[index]


def assign(engine: Engine, registration_number: str, clinic_name: str) -> None:
    clinic = clinic_id(engine, clinic_name)
    person = _by_registration(engine, registration_number)
    try:
        with engine.begin() as conn:
            conn.execute(insert(assignments).values(dermatologist_id=person, clinic_id=clinic))
    except IntegrityError:
        return  # assigned already: nothing to do


def _by_registration(engine: Engine, registration_number: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            select(dermatologists.c.id).where(dermatologists.c.registration_number == registration_number)
        ).scalar()
    if found is None:
        raise ClinicError(
            _("no dermatologist has registration number {number}").format(number=repr(registration_number))
        )
    return int(found)


def dermatologist(engine: Engine, person_id: int) -> Dermatologist:
    with engine.connect() as conn:
        row = conn.execute(select(dermatologists).where(dermatologists.c.id == person_id)).mappings().one()
        owned = conn.execute(
            select(assignments.c.clinic_id).where(assignments.c.dermatologist_id == person_id)
        ).scalars()
        return Dermatologist(row["id"], row["name"], row["registration_number"], frozenset(owned))


def dermatologist_for_token(engine: Engine, token: str) -> Dermatologist | None:
    with engine.connect() as conn:
        found = conn.execute(
            select(dermatologists.c.id).where(
                dermatologists.c.token_sha256 == _digest(token), dermatologists.c.active
            )
        ).scalar()
    return None if found is None else dermatologist(engine, int(found))


def list_dermatologists(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(select(dermatologists).order_by(dermatologists.c.id)).mappings().all()
        pairs = conn.execute(
            select(assignments.c.dermatologist_id, clinics.c.name).join(
                clinics, clinics.c.id == assignments.c.clinic_id
            )
        ).all()
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "registration_number": r["registration_number"],
            "clinics": sorted(n for d, n in pairs if d == r["id"]),
        }
        for r in rows
    ]
