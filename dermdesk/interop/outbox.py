"""The interop outbox: what waits to go to the clinic's PACS or EHR, kept on this station's disk.

Why on disk, and why the bytes themselves: a send started while the PACS is down, or cut off midway
(the PACS restarting, the network dropping, the station closing), must go out later exactly as it was
made, with the UIDs the export assigned, without asking the records again. Each job is a folder
`<data_dir>/interop/outbox/<job-id>/` holding the objects (`NNN.dcm`, or `bundle.json`) and `job.json`
(what they are and how far each got), written to a temporary folder and renamed, so a job folder that
exists is whole; `job.json` is rewritten atomically after each step. The data folder is the user's only
(0700): these files carry the patient's name, and nothing here is logged with it.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from dermdesk.files import fsync_dir, private_dir, write_atomic, write_text_atomic
from dermdesk.i18n import _
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

JOB_FILE = "job.json"


class Destination(StrEnum):
    PACS = "pacs"
    EHR = "ehr"


class JobState(StrEnum):
    QUEUED = "queued"  # waiting for the first or a next attempt
    SENT = "sent"  # every object confirmed by the destination
    FAILED = "failed"  # refused for a reason a retry cannot fix (the reason is kept)


class ObjectState(StrEnum):
    WAITING = "waiting"
    STORED = "stored"  # the destination said yes; not yet seen in its answer to a query
    CONFIRMED = "confirmed"  # found again by QIDO-RS / C-FIND (or the FHIR server's answer)
    REFUSED = "refused"


class JobObject(BaseModel):
    """One object of a job: its file in the job folder and its identity at the destination."""

    model_config = ConfigDict(extra="forbid")

    file: str
    kind: str
    sop_class_uid: str = ""
    sop_instance_uid: str = ""
    series_uid: str = ""
    state: ObjectState = ObjectState.WAITING
    reason: str | None = None


class SendJob(BaseModel):
    """A visit on its way to the PACS or the EHR (`job.json`)."""

    model_config = ConfigDict(extra="forbid")

    job_id: str
    destination: Destination
    record_number: str
    visit_id: int
    visit_date: str
    study_uid: str = ""
    queued_at: datetime
    queued_by: str
    state: JobState = JobState.QUEUED
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    objects: list[JobObject]

    @property
    def summary(self) -> str:
        counts = {state: 0 for state in ObjectState}
        for item in self.objects:
            counts[item.state] += 1
        confirmed = counts[ObjectState.CONFIRMED]
        template = (
            _("Visit {day} to the PACS: {confirmed} of {total} confirmed")
            if self.destination is Destination.PACS
            else _("Visit {day} to the EHR: {confirmed} of {total} confirmed")
        )
        text = template.format(day=self.visit_date, confirmed=confirmed, total=len(self.objects))
        if counts[ObjectState.REFUSED]:
            text += _(", {count} refused").format(count=counts[ObjectState.REFUSED])
        if self.state is JobState.QUEUED and self.last_error:
            text += _("; will retry ({reason})").format(reason=self.last_error)
        elif self.state is JobState.FAILED and self.last_error:
            text += _("; failed: {reason}").format(reason=self.last_error)
        return text + "."


class OutboxError(RuntimeError):
    """The outbox folder cannot be written; the message says why, for staff."""


class InteropOutbox:
    """The job folders under `<data_dir>/interop/outbox`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def of(cls, settings: DermDeskSettings) -> InteropOutbox:
        return cls(settings.data_dir / "interop" / "outbox")

    def add(self, job: SendJob, files: Iterable[tuple[JobObject, bytes]]) -> SendJob:
        """Write the job's objects and description into a new job folder, whole or not at all."""
        try:
            private_dir(self.folder)
            temp = self.folder / f".new-{job.job_id}"
            temp.mkdir()
            objects: list[JobObject] = []
            for item, data in files:
                write_atomic(temp / item.file, data)
                objects.append(item)
            job = job.model_copy(update={"objects": objects})
            write_text_atomic(temp / JOB_FILE, job.model_dump_json(indent=1))
            os.replace(temp, self.folder / job.job_id)
            fsync_dir(self.folder)
        except OSError as exc:
            shutil.rmtree(self.folder / f".new-{job.job_id}", ignore_errors=True)
            raise OutboxError(
                _("Cannot write the outbox in {folder}: {value}.").format(
                    folder=self.folder, value=exc.strerror or exc
                )
            ) from exc
        log.info("Outbox job %s queued for the %s (%d objects)", job.job_id, job.destination, len(objects))
        return job

    def save(self, job: SendJob) -> None:
        write_text_atomic(self.folder / job.job_id / JOB_FILE, job.model_dump_json(indent=1))

    def read_object(self, job: SendJob, item: JobObject) -> bytes:
        return (self.folder / job.job_id / item.file).read_bytes()

    def jobs(self) -> list[SendJob]:
        """Every whole job, oldest first; a job.json that cannot be read is reported, never deleted."""
        if not self.folder.is_dir():
            return []
        found: list[SendJob] = []
        for path in sorted(self.folder.glob(f"*/{JOB_FILE}")):
            if path.parent.name.startswith("."):
                continue
            try:
                found.append(SendJob.model_validate_json(path.read_text(encoding="utf-8")))
            except (OSError, ValidationError) as exc:
                log.error("Outbox job %s cannot be read: %s", path.parent.name, type(exc).__name__)
        return sorted(found, key=lambda job: (job.queued_at, job.job_id))

    def pending(self, destination: Destination) -> list[SendJob]:
        return [j for j in self.jobs() if j.destination is destination and j.state is JobState.QUEUED]

    def requeue_failed(self, destination: Destination) -> int:
        """Failed jobs (and their refused objects) back in the queue, once the cause is fixed."""
        count = 0
        for job in self.jobs():
            if job.destination is destination and job.state is JobState.FAILED:
                for item in job.objects:
                    if item.state is ObjectState.REFUSED:
                        item.state, item.reason = ObjectState.WAITING, None
                job.state = JobState.QUEUED
                self.save(job)
                count += 1
        return count


def new_job_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
