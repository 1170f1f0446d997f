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
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("backup", help=_("back up the records and images to a folder"))
    parser.add_argument("destination", type=Path, metavar="DEST", help=_("a new or empty folder"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    with open_records(ctx) as records:
        admin = sign_in(records)[0]
        result = records.backup(admin, args.destination)
    counts = ", ".join(f"{n} {table}" for table, n in result.counts.items() if n)
    line = _("Backup written to {folder}: {counts}; {images} image file(s).").format(
        folder=result.destination, counts=counts, images=result.images
    )
    emit(args.json, result, line)
    if result.missing_images:
        problem = _(
            "{count} image file(s) were missing or damaged in the store and are not in the backup; see the "
            "log"
        ).format(count=len(result.missing_images))
        print(_("dermdesk: warning: {notice}").format(notice=problem), file=sys.stderr)
    return 0
