"""`dermdesk dicom send` and `dermdesk fhir send`: one way to queue a visit for a clinic system, send what
waits in the outbox and report every job, so the PACS and the EHR answer a clinic the same way."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records, sign_in
from dermdesk.i18n import _


def outbox_facts(jobs: list[Any]) -> list[dict[str, Any]]:
    """The outbox jobs as `--json` prints them."""
    return [
        {
            "job": job.job_id,
            "destination": job.destination.value,
            "visit_date": job.visit_date,
            "state": job.state.value,
            "attempts": job.attempts,
            "last_error": job.last_error,
            "objects": [
                {"sop_instance_uid": o.sop_instance_uid, "state": o.state.value} for o in job.objects
            ],
        }
        for job in jobs
    ]


def send_visit(
    args: argparse.Namespace,
    ctx: CommandContext,
    destination: Any,
    queue: Callable[..., Any],
    send_pending: Callable[..., Any],
    errors: tuple[type[Exception], ...],
) -> int:
    """Requeue what failed (``--failed``), queue the named visit, send what waits to ``destination``;
    exit 1 while anything is left queued or was refused. ``errors`` become the command's message."""
    from dermdesk.interop.outbox import InteropOutbox, JobState, OutboxError
    from dermdesk.records.reports import parse_visit

    if not args.retry and not args.patient:
        raise CommandError(_("name the visit to send with --patient (or use --retry to send what waits)"))
    refusals: tuple[type[Exception], ...] = (*errors, OutboxError)
    with open_records(ctx) as records:
        user = sign_in(records)[0]
        try:
            if args.failed:
                InteropOutbox.of(ctx.settings).requeue_failed(destination)
            if args.patient:
                queue(records, user, args.patient, parse_visit(args.visit), ctx.settings)
            report = send_pending(records, user, ctx.settings)
        except refusals as exc:
            raise CommandError(str(exc)) from exc
    emit(args.json, {"jobs": outbox_facts(report.jobs), "stopped": report.stopped}, report.lines())
    unfinished = report.stopped or any(job.state is not JobState.SENT for job in report.jobs)
    return 1 if unfinished else 0
