"""What the dermatologists' pages read and record beside part 1's consult store: the queue, sorted by
urgency then waiting time, and each dermatologist's first impression of a consult.

Why a first impression is kept: the model's differential is shown only after the dermatologist has
committed to a reading of their own, so the model does not anchor it; the impression is audited and kept
once (the first one stays the first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from dermdesk.central import consult_store
from dermdesk.central.audit import audit
from dermdesk.central.clinics import Dermatologist, clinics
from dermdesk.central.consult_store import additions, consults
from dermdesk.central.store import metadata, utcnow
from dermdesk.inference.classes import CLASS_CODES

URGENCY_ORDER = {"urgent": 0, "soon": 1, "routine": 2}
STATES = ("received", "in review", "more information requested", "answered", "cancelled")
AWAITING = ("received", "in review")  # the queue's default: consults waiting for a dermatologist

impressions = Table(
    "consult_impressions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consult_id", ForeignKey("consults.id"), nullable=False),
    Column("dermatologist_id", ForeignKey("dermatologists.id"), nullable=False),
    Column("diagnosis", String(16), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint("consult_id", "dermatologist_id"),
)


class ImpressionRefusedError(ValueError):
    """The first impression is not one of the model's classes."""


@dataclass(frozen=True)
class QueueRow:
    consult_id: str
    clinic: str
    urgency: str
    state: str
    waiting_since: datetime  # when it last came to the dermatologists: sent, or information added
    waiting_hours: float
    site: str | None
    age_approx: int | None
    additions: int
    escalated: bool


def queue(
    engine: Engine,
    clinic_ids: frozenset[int],
    *,
    clinic: int | None = None,
    states: tuple[str, ...] = AWAITING,
    escalation_hours: float = 4.0,
    now: datetime | None = None,
) -> list[QueueRow]:
    """The consults of these clinics in the given states: most urgent first, then longest waiting."""
    now = now or utcnow()
    wanted = clinic_ids & {clinic} if clinic is not None else clinic_ids
    latest = (
        select(
            additions.c.consult_id, func.max(additions.c.received_at).label("added"), func.count().label("n")
        )
        .group_by(additions.c.consult_id)
        .subquery()
    )
    query = (
        select(consults, clinics.c.name.label("clinic"), latest.c.added, latest.c.n)
        .join(clinics, clinics.c.id == consults.c.clinic_id)
        .outerjoin(latest, latest.c.consult_id == consults.c.id)
        .where(consults.c.clinic_id.in_(wanted), consults.c.state.in_(states))
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    result = []
    for r in rows:
        since = max(r["created_at"], r["added"] or r["created_at"])
        hours = (now - r["created_at"]).total_seconds() / 3600
        result.append(
            QueueRow(
                consult_id=consult_store.consult_name(r["id"]),
                clinic=r["clinic"],
                urgency=r["urgency"],
                state=r["state"],
                waiting_since=since,
                waiting_hours=(now - since).total_seconds() / 3600,
                site=r["request"].get("anatom_site_general"),
                age_approx=r["request"].get("age_approx"),
                additions=int(r["n"] or 0),
                escalated=is_escalated(r["urgency"], r["state"], hours, escalation_hours),
            )
        )
    result.sort(key=lambda q: (not q.escalated, URGENCY_ORDER.get(q.urgency, 9), q.waiting_since))
    return result


def is_escalated(urgency: str, state: str, hours_open: float, escalation_hours: float) -> bool:
    """Part 1's rule, as the station flags it: an urgent consult still unanswered after so many hours."""
    return urgency == "urgent" and state in consult_store.OPEN_STATES and hours_open >= escalation_hours


def clinics_of(engine: Engine, clinic_ids: frozenset[int]) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(clinics.c.id, clinics.c.name).where(clinics.c.id.in_(clinic_ids)).order_by(clinics.c.name)
        ).all()
    return [{"id": r.id, "name": r.name} for r in rows]


def record_impression(engine: Engine, person: Dermatologist, name: str, diagnosis: str) -> str:
    """Keep this dermatologist's first impression of the consult (audited); return the one kept."""
    if diagnosis not in CLASS_CODES:
        raise ImpressionRefusedError(f"the first impression must be one of {', '.join(CLASS_CODES)}")
    row = consult_store.owned(engine, person.clinic_ids, name)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(impressions).values(
                    consult_id=row["id"],
                    dermatologist_id=person.id,
                    diagnosis=diagnosis,
                    recorded_at=utcnow(),
                )
            )
            audit(
                conn,
                "first impression recorded",
                "dermatologist",
                person.id,
                clinic_id=row["clinic_id"],
                consult_id=row["id"],
                detail={"diagnosis": diagnosis},
            )
    except IntegrityError:
        pass  # recorded already (a second tab, a double click): the first one stays
    kept = impression(engine, person, int(row["id"]))
    assert kept is not None
    return kept


def impression(engine: Engine, person: Dermatologist, consult_id: int) -> str | None:
    with engine.connect() as conn:
        found = conn.execute(
            select(impressions.c.diagnosis).where(
                impressions.c.consult_id == consult_id, impressions.c.dermatologist_id == person.id
            )
        ).scalar()
    return None if found is None else str(found)
