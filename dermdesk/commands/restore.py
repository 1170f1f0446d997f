"""`dermdesk restore SRC`: restore a backup into this station's empty data folder (or empty database).

The credentials asked for are those of an administrator account *in the backup*; every file is
checked against the backup's sha256 manifest before anything is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dermdesk.commands import CommandContext
from dermdesk.commands.records_session import credentials, emit, open_records
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("restore", help=_("restore a backup into an empty data folder"))
    parser.add_argument("source", type=Path, metavar="SRC", help=_("a folder written by 'dermdesk backup'"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    with open_records(ctx) as records:
        username, password = credentials(_("restore the backup as one of its administrators"))
        result = records.restore(args.source, username, password)
    rows = sum(result.counts.values())
    line = _("Restored {rows} rows and {images} image file(s) from {folder}.").format(
        rows=rows, images=result.images, folder=args.source
    )
    emit(args.json, result, line)
    return 0
