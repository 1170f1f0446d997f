"""Sending a visit to the clinic's PACS through the outbox: queue it (its objects made now, with the UIDs
the records keep), then send what waits, confirm it by a query, and audit what arrived.

Why a resend is safe: each object is the same Part 10 file with the same SOP Instance UID however many
times it goes, so a PACS that already has it files it over itself (or keeps the first), never as a
second object. A run stops at the first sign the PACS is away (unreachable, full, busy) and leaves the
job queued with the reason; an object the PACS will never take is marked refused with its reason and
the others still go.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from dermdesk.i18n import _
from dermdesk.interop.destinations import describe
from dermdesk.interop.export import visit_objects
from dermdesk.interop.outbox import (
    Destination,
    InteropOutbox,
    JobObject,
    JobState,
    ObjectState,
    SendJob,
    new_job_id,
)
from dermdesk.interop.pacs import ObjectRefusedError, PacsSender, PacsUnavailableError, make_sender
from dermdesk.records import Records, UserInfo
from dermdesk.records.reports import VisitKey
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

ObjectSent = Callable[[SendJob, JobObject], None]


@dataclass
class SendReport:
    """What one run of the outbox did."""

    jobs: list[SendJob] = field(default_factory=list)
    stopped: str | None = None  # why the run ended early (the PACS away); the jobs stay queued

    def lines(self) -> list[str]:
        out = [job.summary for job in self.jobs]
        if self.stopped:
            out.append(f"Stopped: {self.stopped}. The rest will be sent at the next try.")
        return out or ["Nothing waits to be sent."]


def queue_visit(
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    settings: DermDeskSettings,
) -> SendJob:
    """Make the visit's objects (assigning or reusing their UIDs) and queue them for the PACS."""
    made = visit_objects(records, user, record_number, visit, settings)
    now = records.clock()
    job = SendJob(
        job_id=new_job_id(now),
        destination=Destination.PACS,
        record_number=made.record_number,
        visit_id=made.visit_id,
        visit_date=made.visit_date.isoformat(),
        study_uid=made.study_uid,
        queued_at=now,
        queued_by=user.username,
        objects=[],
    )
    files = (
        (
            JobObject(
                file=f"{number:03d}.dcm",
                kind=item.kind,
                sop_class_uid=item.sop_class_uid,
                sop_instance_uid=item.sop_instance_uid,
                series_uid=item.series_uid,
            ),
            item.data,
        )
        for number, item in enumerate(made.objects, start=1)
    )
    return InteropOutbox.of(settings).add(job, files)


def send_pending(
    records: Records,
    user: UserInfo,
    settings: DermDeskSettings,
    *,
    sender: PacsSender | None = None,
    on_object: ObjectSent | None = None,
) -> SendReport:
    """Send every queued PACS job, oldest first, until done or the PACS is away."""
    outbox = InteropOutbox.of(settings)
    report = SendReport()
    pending = outbox.pending(Destination.PACS)
    if not pending:
        return report
    pacs = sender or make_sender(settings)
    where = describe(settings).get("pacs", "PACS")
    try:
        for job in pending:
            _send_job(records, user, outbox, pacs, job, where, report, on_object)
            report.jobs.append(job)
            if report.stopped:
                break
    finally:
        pacs.close()
    return report


def _send_job(
    records: Records,
    user: UserInfo,
    outbox: InteropOutbox,
    pacs: PacsSender,
    job: SendJob,
    where: str,
    report: SendReport,
    on_object: ObjectSent | None,
) -> None:
    job.attempts += 1
    outbox.save(job)
    try:
        for item in job.objects:
            if item.state is not ObjectState.WAITING:
                continue
            try:
                stored = pacs.store(outbox.read_object(job, item))
            except ObjectRefusedError as exc:
                item.state, item.reason = ObjectState.REFUSED, str(exc)
            else:
                item.state, item.reason = ObjectState.STORED, stored.warning
            outbox.save(job)
            if on_object is not None:
                on_object(job, item)
        _confirm(pacs, job)
    except PacsUnavailableError as exc:
        job.last_error = str(exc)
        report.stopped = str(exc)
        outbox.save(job)
        log.warning("Outbox job %s stopped: the PACS is unavailable", job.job_id)
        return
    refused = [item for item in job.objects if item.state is ObjectState.REFUSED]
    if all(item.state is ObjectState.CONFIRMED for item in job.objects if item not in refused):
        job.state = JobState.FAILED if refused else JobState.SENT
        job.last_error = refused[0].reason if refused else None
        job.sent_at = records.clock()
        outbox.save(job)
        confirmed = sum(item.state is ObjectState.CONFIRMED for item in job.objects)
        records.dicom.sent(
            user,
            job.record_number,
            job.visit_id,
            {
                "format": "dicom",
                "to": where,
                "objects": confirmed,
                "refused": len(refused),
                "job": job.job_id,
            },
        )
        log.info("Outbox job %s: %d object(s) confirmed at the PACS", job.job_id, confirmed)
    else:
        job.last_error = _("the PACS said it stored objects it then could not find; they will be sent again")
        outbox.save(job)


def _confirm(pacs: PacsSender, job: SendJob) -> None:
    """Ask the PACS what it holds of the study; objects it has are confirmed, stored ones it lacks wait."""
    series = sorted({item.series_uid for item in job.objects if item.state is ObjectState.STORED})
    if not series:
        return
    held = pacs.present(job.study_uid, series)
    for item in job.objects:
        if item.state is ObjectState.STORED:
            item.state = ObjectState.CONFIRMED if item.sop_instance_uid in held else ObjectState.WAITING
