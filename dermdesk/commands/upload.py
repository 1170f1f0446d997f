"""`dermdesk upload [--once]`: send consented, pseudonymised cases to the central service.

Without `--once` it keeps running, a pass every `upload_interval_minutes`, until interrupted. `--status`
only prints the queue; `--retry-failed` puts cases refused for good back in the queue first (after the
cause was fixed). Exit code 1 with a one-line reason when the service cannot be used (unreachable,
token refused, not configured); cases are never lost, they wait for the next run.
"""

from __future__ import annotations

import argparse
import threading

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "upload", help="send consented, pseudonymised cases to the central service"
    )
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    parser.add_argument("--status", action="store_true", help="print the queue and exit")
    parser.add_argument("--retry-failed", action="store_true", help="requeue cases refused for good")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.sync.uploader import Uploader, UploadError

    with open_records(ctx) as records:
        if args.retry_failed:
            print(f"{records.outbox.requeue_failed()} failed case(s) queued again")
        if args.status:
            counts = records.outbox.counts()
            rows = records.outbox.rows()
            lines = [", ".join(f"{n} {state}" for state, n in counts.items())]
            lines += [
                f"case {r.entry_id} (image {r.image_id}): {r.state}, {r.attempts} attempt(s)"
                + (f"; {r.last_error}" if r.last_error else "")
                for r in rows
            ]
            emit(args.json, {**counts, "cases": rows}, lines)
            return 0
        try:
            uploader = Uploader(records, ctx.settings)
        except UploadError as exc:
            raise CommandError(str(exc)) from exc
        if not args.once:
            stop = threading.Event()
            try:
                uploader.run_periodically(stop)
            except KeyboardInterrupt:
                stop.set()
            return 0
        report = uploader.run_once()
        counts = records.outbox.counts()
    data = {
        "sent": report.sent,
        "replayed": report.replayed,
        "failed": {str(k): v for k, v in report.failed.items()},
        "retry_later": {str(k): v for k, v in report.retry_later.items()},
        "stopped": report.stopped,
        "queue": counts,
    }
    lines = [f"Upload: {report.summary()}"]
    lines += [f"case {entry}: failed: {reason}" for entry, reason in report.failed.items()]
    lines.append("Queue: " + ", ".join(f"{n} {state}" for state, n in counts.items()))
    emit(args.json, data, lines)
    if report.stopped:
        raise CommandError(report.stopped)
    return 0
