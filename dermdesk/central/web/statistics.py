"""The administrators' figures: open consults, median time to answer per dermatologist and per clinic,
and the escalated consults (urgent ones left unanswered too long), which the page shows first.

Why computed here in Python: the medians are over answered consults of a service that answers hundreds a
week, not millions; one query and `statistics.median` read the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select

from dermdesk.central import consult_store
from dermdesk.central.clinics import clinics, dermatologists
from dermdesk.central.consult_store import answers, consults
from dermdesk.central.store import utcnow
from dermdesk.central.web.review import is_escalated


@dataclass(frozen=True)
class Figure:
    name: str
    open: int = 0
    answered: int = 0
    median_hours: float | None = None


@dataclass(frozen=True)
class Escalated:
    consult_id: str
    clinic: str
    state: str
    hours_open: float


@dataclass(frozen=True)
class Overview:
    open_total: int
    median_hours: float | None
    escalated: list[Escalated] = field(default_factory=list)
    by_clinic: list[Figure] = field(default_factory=list)
    by_dermatologist: list[Figure] = field(default_factory=list)


def overview(engine: Engine, escalation_hours: float, now: datetime | None = None) -> Overview:
    now = now or utcnow()
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                consults.c.id, consults.c.state, consults.c.urgency, consults.c.created_at, clinics.c.name
            ).join(clinics, clinics.c.id == consults.c.clinic_id)
        ).all()
        firsts = (
            conn.execute(  # each consult's first answer (not a request for information, not an amendment)
                select(answers.c.consult_id, answers.c.answered_at, dermatologists.c.name)
                .join(dermatologists, dermatologists.c.id == answers.c.dermatologist_id)
                .where(answers.c.kind == "answer")
            ).all()
        )
    answered_at = {a.consult_id: (a.answered_at, a.name) for a in firsts}
    open_by_clinic: dict[str, int] = defaultdict(int)
    hours_by_clinic: dict[str, list[float]] = defaultdict(list)
    hours_by_person: dict[str, list[float]] = defaultdict(list)
    escalated, all_hours = [], []
    for r in rows:
        if r.state in consult_store.OPEN_STATES:
            open_by_clinic[r.name] += 1
            hours_open = (now - r.created_at).total_seconds() / 3600
            if is_escalated(r.urgency, r.state, hours_open, escalation_hours):
                escalated.append(Escalated(consult_store.consult_name(r.id), r.name, r.state, hours_open))
        elif r.id in answered_at:
            when, person = answered_at[r.id]
            hours = (when - r.created_at).total_seconds() / 3600
            hours_by_clinic[r.name].append(hours)
            hours_by_person[person].append(hours)
            all_hours.append(hours)
    clinic_names = sorted({r.name for r in rows})
    return Overview(
        open_total=sum(open_by_clinic.values()),
        median_hours=statistics.median(all_hours) if all_hours else None,
        escalated=sorted(escalated, key=lambda e: -e.hours_open),
        by_clinic=[
            Figure(n, open_by_clinic[n], len(hours_by_clinic[n]), _median(hours_by_clinic[n]))
            for n in clinic_names
        ],
        by_dermatologist=[Figure(n, 0, len(h), _median(h)) for n, h in sorted(hours_by_person.items())],
    )


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
