"""A station process for the two-rooms race tests: opens the shared records as its own room would and,
round by round, meets the other station at a barrier and then does its step at the same instant.

Runs in a process of its own (multiprocessing, spawn), so the two stations share nothing but the
PostgreSQL server and the image store, as two rooms of a clinic do. Each outcome is reported back:
("ok", what was saved), ("told", error class, message) or ("error", repr) for anything a person would
have seen as a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from dermdesk.records import CaptureRequest, NewDiagnosis, NewLesion, Records, RecordsError, passwords
from dermdesk.records.edits import PatientDetails
from dermdesk.settings import DermDeskSettings
from records.helpers import PASSWORD, png_bytes


@dataclass(frozen=True)
class Step:
    kind: str  # sign_off | diagnose | new_lesion | edit
    record_number: str = ""
    diagnosis_id: int = 0
    lesion_label: str = ""
    dx_code: str = ""
    seen_version: int = 0
    contact: str = ""
    seed: int = 0


def run_station(
    database_url: str,
    data_dir: Path,
    image_store: Path,
    username: str,
    steps: list[Step],
    barrier: Barrier,
    results: Queue[tuple[str, list[tuple[Any, ...]]]],
) -> None:
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    settings = DermDeskSettings(data_dir=data_dir, database_url=database_url, image_store=image_store)
    outcomes: list[tuple[Any, ...]] = []
    with Records.open(settings) as records:
        user = records.users.login(username, PASSWORD)
        for step in steps:
            barrier.wait(timeout=120)
            try:
                outcomes.append(("ok", _do(records, user, step)))
            except RecordsError as exc:
                outcomes.append(("told", type(exc).__name__, str(exc)))
            except Exception as exc:
                outcomes.append(("error", repr(exc)))
    results.put((username, outcomes))


def _do(records: Records, user: Any, step: Step) -> Any:
    if step.kind == "sign_off":
        return records.diagnoses.sign_off(user, step.diagnosis_id, PASSWORD).signed_off_by
    if step.kind == "diagnose":
        new = NewDiagnosis("clinical", dx_code=step.dx_code)
        return records.diagnoses.record(
            user, step.record_number, step.lesion_label, new, sign_off_password=PASSWORD
        ).id
    if step.kind == "new_lesion":
        request = CaptureRequest(
            step.record_number, png_bytes(step.seed), new_lesion=NewLesion("anterior torso")
        )
        result = records.captures.save(user, request)
        return (result.lesion_label, result.image_id, result.spooled)
    if step.kind == "edit":
        details = PatientDetails(contact=step.contact, fitzpatrick=3)
        return records.edits.update_patient(
            user, step.record_number, details, seen_version=step.seen_version
        ).contact
    raise ValueError(step.kind)
