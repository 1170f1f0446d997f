"""`dermdesk backup DEST`: a consistent snapshot of the records and images into a new or empty folder.

Needs an administrator's credentials; the backup is audited as an export. A full or read-only target
is a one-line error and leaves nothing behind.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dermdesk.commands import CommandContext
from dermdesk.commands.records_session import emit, open_records, sign_in


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("backup", help="back up the records and images to a folder")
    parser.add_argument("destination", type=Path, metavar="DEST", help="a new or empty folder")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    with open_records(ctx) as records:
        admin, _ = sign_in(records)
        result = records.backup(admin, args.destination)
    counts = ", ".join(f"{n} {table}" for table, n in result.counts.items() if n)
    emit(
        args.json, result, f"Backup written to {result.destination}: {counts}; {result.images} image file(s)."
    )
    if result.missing_images:
        print(
            f"dermdesk: warning: {len(result.missing_images)} image file(s) were missing or damaged in the "
            "store and are not in the backup; see the log",
            file=sys.stderr,
        )
    return 0
