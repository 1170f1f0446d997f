"""`dermdesk upload [--once]`: send consented, pseudonymised cases to the central service.

Without `--once` it keeps running, a pass every `upload_interval_minutes`, until interrupted. `--status`
only prints the queue; `--retry-failed` puts cases refused for good back in the queue first (after the
cause was fixed). Exit code 1 with a one-line reason when the service cannot be used (unreachable,
token refused, not configured); cases are never lost, they wait for the next run. Each pass holds the
station's sender lock (`dermdesk.sync.sender_lock`): while the window is sending, the service skips its
pass, and the reverse. This is what the systemd unit and the Windows scheduled task under installer/
run.
"""

from __future__ import annotations

import argparse
import logging
import threading
from typing import TYPE_CHECKING

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records
from dermdesk.i18n import _

if TYPE_CHECKING:
    from dermdesk.records import Records

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "upload", help=_("send consented, pseudonymised cases to the central service")
    )
    parser.add_argument("--once", action="store_true", help=_("one pass, then exit"))
    parser.add_argument("--status", action="store_true", help=_("print the queue and exit"))
    parser.add_argument("--retry-failed", action="store_true", help=_("requeue cases refused for good"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.sync.station_sender import send_pass

    with open_records(ctx) as records:
        if args.retry_failed:
            print(_("{count} failed case(s) queued again").format(count=records.outbox.requeue_failed()))
        if args.status:
            counts = records.outbox.counts()
            rows = records.outbox.rows()
            lines = [", ".join(f"{n} {state}" for state, n in counts.items())]
            lines += [
                _("case {case} (image {image}): {state}, {attempts} attempt(s)").format(
                    case=r.entry_id, image=r.image_id, state=r.state, attempts=r.attempts
                )
                + (f"; {r.last_error}" if r.last_error else "")
                for r in rows
            ]
            emit(args.json, {**counts, "cases": rows}, lines)
            return 0
        if not ctx.settings.upload_url:
            raise CommandError(_("No central service is configured (DERMDESK_UPLOAD_URL)."))
        if not args.once:
            _keep_sending(records, ctx)
            return 0
        outcome = send_pass(records, ctx.settings)
        counts = records.outbox.counts()
    if outcome.skipped:
        print(" ".join(outcome.notes))
        return 0
    report = outcome.report
    if report is None:
        raise CommandError(outcome.problem or _("the upload could not run"))
    data = {
        "sent": report.sent,
        "replayed": report.replayed,
        "failed": {str(k): v for k, v in report.failed.items()},
        "retry_later": {str(k): v for k, v in report.retry_later.items()},
        "stopped": report.stopped,
        "queue": counts,
    }
    lines = [_("Upload: {summary}").format(summary=report.summary())]
    lines += [
        _("case {case}: failed: {reason}").format(case=entry, reason=reason)
        for entry, reason in report.failed.items()
    ]
    queue = ", ".join(f"{n} {state}" for state, n in counts.items())
    lines.append(_("Queue: {counts}").format(counts=queue))
    warning = outcome.contact.clock_warning()
    if warning:
        lines.append(_("Warning: {warning}").format(warning=warning))
    emit(args.json, data, lines)
    if report.stopped:
        raise CommandError(report.stopped)
    return 0


def _keep_sending(records: Records, ctx: CommandContext) -> None:
    """The service: a pass now and every `upload_interval_minutes`, taking turns with the window (lock)."""
    from dermdesk.sync.station_sender import send_pass

    stop = threading.Event()
    period = ctx.settings.upload_interval_minutes * 60.0
    try:
        while not stop.is_set():
            outcome = send_pass(records, ctx.settings)
            if outcome.problem:
                log.warning("Upload pass: %s", outcome.problem)
            stop.wait(period)
    except KeyboardInterrupt:
        stop.set()
