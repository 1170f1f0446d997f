"""Two rooms, one clinic server: two station processes race on the same records, round after round.

Each round both stations meet at a barrier and then, at the same instant, sign off the same diagnosis,
sign contradictory final diagnoses of one lesion, start a new lesion on one patient, or edit the same
patient. Afterwards the database must hold no silent overwrite (one sign-off, one final diagnosis, the
winner's edit, distinct lesion labels) and every station that lost must have been told so in words.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from dermdesk.records import NewDiagnosis, NewLesion, Records, models
from records.helpers import PASSWORD, Team, new_patient
from records.two_rooms import Step, run_station

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]

ROUNDS = 50


def _race(
    records: Records, database_url: str, tmp_path: Path, steps: dict[str, list[Step]]
) -> dict[str, list[tuple[Any, ...]]]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(steps))
    results = context.Queue()
    store = records.store.root
    store.mkdir(parents=True, exist_ok=True)  # the clinic's share, mounted in both rooms
    stations = [
        context.Process(
            target=run_station,
            args=(database_url, tmp_path / f"room-{name}", store, name, plan, barrier, results),
        )
        for name, plan in steps.items()
    ]
    for station in stations:
        station.start()
    outcomes = dict(results.get(timeout=600) for _ in stations)
    for station in stations:
        station.join(timeout=60)
        assert station.exitcode == 0
    return outcomes


def test_two_stations_racing_never_overwrite_silently_and_every_loser_is_told(
    records: Records, team: Team, patient: str, database_url: str, tmp_path: Path
) -> None:
    dan = records.users.add(team.admin, "dan", "Dr Dan Derm", "doctor", PASSWORD)
    both = {team.doctor.username: [], dan.username: []}  # type: dict[str, list[Step]]
    rounds: list[tuple[str, Any]] = []
    for _ in range(ROUNDS):  # sign-off against sign-off: one unsigned diagnosis each round
        label = records.lesions.add(team.staff, patient, NewLesion("posterior torso")).label
        dx = records.diagnoses.record(team.doctor, patient, label, NewDiagnosis("clinical", dx_code="nv"))
        for name in both:
            both[name].append(Step("sign_off", diagnosis_id=dx.id))
        rounds.append(("sign_off", dx.id))
    for _ in range(ROUNDS):  # contradictory final diagnoses of one lesion
        label = records.lesions.add(team.staff, patient, NewLesion("posterior torso")).label
        for name, code in zip(both, ("mel", "nv"), strict=True):
            both[name].append(Step("diagnose", record_number=patient, lesion_label=label, dx_code=code))
        rounds.append(("diagnose", label))
    for index in range(ROUNDS):  # a new lesion (with its first picture) on one patient from both rooms
        for offset, name in enumerate(both):
            both[name].append(Step("new_lesion", record_number=patient, seed=10 + 2 * index + offset))
        rounds.append(("new_lesion", index))
    for index in range(ROUNDS):  # both rooms correct the same patient's contact, opened at one version
        other = records.patients.register(team.staff, new_patient(f"DD-9{index:05d}"))
        for name in both:
            step = Step("edit", record_number=other.record_number, seen_version=other.row_version)
            both[name].append(Step(**{**step.__dict__, "contact": f"phone of {name}"}))
        rounds.append(("edit", other.record_number))
    lesions_before = len(records.patients.get(team.staff, patient).lesions)

    outcomes = _race(records, str(database_url), tmp_path, both)

    names = list(both)
    errors = [o for name in names for o in outcomes[name] if o[0] == "error"]
    assert errors == []  # nothing reached a person as a crash or a raw database error
    tally: Counter[str] = Counter()
    with records.database.transaction() as session:
        for index, (kind, key) in enumerate(rounds):
            got = {name: outcomes[name][index] for name in names}
            winners = [name for name in names if got[name][0] == "ok"]
            losers = [name for name in names if got[name][0] == "told"]
            tally[f"{kind}: {len(winners)} saved, {len(losers)} told"] += 1
            if kind == "sign_off":
                row = session.get_one(models.Diagnosis, key)
                signed = session.scalar(
                    select(func.count())
                    .select_from(models.AuditEvent)
                    .where(models.AuditEvent.action == "sign-off", models.AuditEvent.object_id == str(key))
                )
                assert len(winners) == 1 and len(losers) == 1, got
                assert row.signed_off_by is not None and row.signed_off_by.username == winners[0]
                assert signed == 1
                assert "already signed off by " + winners[0] in got[losers[0]][2]
            elif kind == "diagnose":
                finals = session.scalars(
                    select(models.Diagnosis)
                    .join(models.Lesion)
                    .where(
                        models.Lesion.patient.has(record_number=patient),
                        models.Lesion.label == key,
                        models.Diagnosis.signed_off_at.is_not(None),
                    )
                ).all()
                assert len(winners) == 1 and len(losers) == 1, got
                assert [d.id for d in finals] == [got[winners[0]][1]]
                assert got[losers[0]][1] == "DiagnosisConflict"
                assert f"diagnosis {finals[0].id}, signed by {winners[0]}" in got[losers[0]][2]
            elif kind == "new_lesion":
                assert len(winners) == 2, got  # both rooms' lesions are kept, each with its own label
                labels = {got[name][1][0] for name in names}
                assert len(labels) == 2 and not any(got[name][1][2] for name in names)
            else:
                row = session.scalar(select(models.Patient).where(models.Patient.record_number == key))
                updates = session.scalar(
                    select(func.count())
                    .select_from(models.AuditEvent)
                    .where(models.AuditEvent.action == "update patient", models.AuditEvent.object_id == key)
                )
                assert len(winners) == 1 and len(losers) == 1, got
                assert row is not None and row.contact == f"phone of {winners[0]}" and updates == 1
                assert got[losers[0]][1] == "ChangedElsewhere"
    after = records.patients.get(team.staff, patient)
    assert len(after.lesions) == lesions_before + 2 * ROUNDS
    assert len({lesion.label for lesion in after.lesions}) == len(after.lesions)
    print(dict(tally))
