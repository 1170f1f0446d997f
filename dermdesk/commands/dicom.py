"""`dermdesk dicom export|import|send|worklist`: a visit's stills, signed report and model results as DICOM
files or sent to the clinic's PACS, DICOM dermoscopy stills filed into a lesion, and today's worklist.

    dermdesk dicom export --patient REC --visit ID --out FOLDER
    dermdesk dicom import FILE... --patient REC [--lesion L2]
    dermdesk dicom send --patient REC [--visit ID]    # queue the visit for the PACS and send what waits
    dermdesk dicom send --retry [--failed]            # send what waits (and what failed, once fixed)
    dermdesk dicom worklist [--date YYYY-MM-DD] [--pick ACCESSION]

`send` goes by STOW-RS or C-STORE (`DERMDESK_PACS_SEND_BY`), through the outbox in the data folder: a
visit that cannot go now stays queued with the reason and goes at the next `send`; the exit code is 1
while anything is left queued or refused. `worklist --pick` registers the entry's patient (or finds
them already registered) instead of typing them in.

`--visit` is the visit's date (YYYY-MM-DD), its number, or `latest`. Export writes one `.dcm` file per
object into FOLDER; the UIDs are assigned at the first export and reused after, and the export is
audited. Import files each still in the lesion given, or in a new lesion at the body site the file
states; a file of another patient, or one DermDesk cannot read safely, is refused with its reason and
the others are still imported (the exit code is 1 when any was refused).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records, sign_in
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("dicom", help=_("export a visit as DICOM files, import DICOM dermoscopy"))
    actions = parser.add_subparsers(dest="dicom_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help=_("write a visit's stills, signed report and results as DICOM")
    )
    export.add_argument("--patient", required=True, metavar="REC", help=_("the patient's record number"))
    export.add_argument(
        "--visit",
        default="latest",
        metavar="ID",
        help=_("the visit: its date (YYYY-MM-DD), number, or 'latest'"),
    )
    export.add_argument(
        "--out", required=True, type=Path, metavar="FOLDER", help=_("folder for the .dcm files")
    )
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=run_export)
    into = actions.add_parser("import", help=_("file DICOM dermoscopy or VL photographic stills in a lesion"))
    into.add_argument("files", nargs="+", type=Path, metavar="FILE")
    into.add_argument("--patient", required=True, metavar="REC", help=_("the patient's record number"))
    into.add_argument("--lesion", metavar="LABEL", help=_("an already followed lesion (default: a new one)"))
    into.add_argument("--json", action="store_true")
    into.set_defaults(handler=run_import)
    send = actions.add_parser("send", help=_("send a visit to the clinic's PACS (and whatever waits to go)"))
    send.add_argument("--patient", metavar="REC", help=_("the patient's record number (omit with --retry)"))
    send.add_argument(
        "--visit", default="latest", metavar="ID", help=_("date (YYYY-MM-DD), number or 'latest'")
    )
    send.add_argument("--retry", action="store_true", help=_("only send what already waits in the outbox"))
    send.add_argument("--failed", action="store_true", help=_("also resend visits the PACS refused before"))
    send.add_argument("--json", action="store_true")
    send.set_defaults(handler=run_send)
    worklist = actions.add_parser("worklist", help=_("today's patients from the clinic's modality worklist"))
    worklist.add_argument("--date", metavar="YYYY-MM-DD", help=_("another day than today"))
    worklist.add_argument("--pick", metavar="ACCESSION", help=_("register (or open) this entry's patient"))
    worklist.add_argument("--json", action="store_true")
    worklist.set_defaults(handler=run_worklist)


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.interop.export import DicomExportError, export_visit
    from dermdesk.records.reports import parse_visit

    with open_records(ctx) as records:
        user = sign_in(records)[0]
        try:
            result = export_visit(
                records, user, args.patient, parse_visit(args.visit), args.out, ctx.settings
            )
        except DicomExportError as exc:
            raise CommandError(str(exc)) from exc
    for note in result.notes:
        print(_("dermdesk: note: {note}").format(note=note), file=sys.stderr)
    facts: dict[str, Any] = {
        "patient": result.record_number,
        "visit_id": result.visit_id,
        "visit_date": result.visit_date,
        "study_uid": result.study_uid,
        "files": [
            {
                "path": file.path,
                "kind": file.kind,
                "sop_class_uid": file.sop_class_uid,
                "sop_instance_uid": file.sop_instance_uid,
                "series_uid": file.series_uid,
                "lesion": file.lesion_label,
            }
            for file in result.files
        ],
        "notes": list(result.notes),
    }
    emit(args.json, facts, [result.summary, _("Folder: {folder}").format(folder=args.out)])
    return 0


def run_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.interop.dicom_import import DicomImportError, import_still

    imported: list[dict[str, Any]] = []
    refused: dict[str, str] = {}
    with open_records(ctx) as records:
        user = sign_in(records)[0]
        lesion = args.lesion
        for path in args.files:
            try:
                still = import_still(records, user, path, args.patient, lesion)
            except DicomImportError as exc:
                refused[str(path)] = str(exc)
                if len(args.files) > 1:
                    reason = str(exc) if path.name in str(exc) else f"{path.name}: {exc}"
                    print(_("dermdesk: refused: {reason}").format(reason=reason), file=sys.stderr)
                continue
            imported.append(
                {
                    "file": path,
                    "image_id": still.image_id,
                    "lesion": still.lesion_label,
                    "lighting_mode": still.lighting_mode,
                    "captured_at": still.captured_at,
                    "uids_kept": still.uids_kept,
                    "spooled": still.spooled,
                    "message": still.message,
                }
            )
    if not imported and refused:
        if len(refused) == 1:
            raise CommandError(next(iter(refused.values())))
        raise CommandError(
            _("none of the {count} files was imported (reasons above)").format(count=len(refused))
        )
    emit(args.json, {"imported": imported, "refused": refused}, [item["message"] for item in imported])
    return 1 if refused else 0


def run_send(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.commands.outbox_send import send_visit
    from dermdesk.interop.destinations import DestinationError
    from dermdesk.interop.export import DicomExportError
    from dermdesk.interop.outbox import Destination
    from dermdesk.interop.pacs_send import queue_visit, send_pending

    return send_visit(
        args, ctx, Destination.PACS, queue_visit, send_pending, (DicomExportError, DestinationError)
    )


def run_worklist(args: argparse.Namespace, ctx: CommandContext) -> int:
    from datetime import date

    from dermdesk.interop.destinations import DestinationError
    from dermdesk.interop.worklist import WorklistError, fetch_worklist, pick
    from dermdesk.records import RecordsError

    try:
        day = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError as exc:
        raise CommandError(_("--date {date!r} is not a date (YYYY-MM-DD)").format(date=args.date)) from exc
    try:
        entries = fetch_worklist(ctx.settings, day)
    except (WorklistError, DestinationError) as exc:
        raise CommandError(str(exc)) from exc
    if args.pick is None:
        facts = [
            {
                "accession_number": e.accession_number,
                "patient_id": e.patient_id,
                "family_name": e.family_name,
                "given_name": e.given_name,
                "name": e.name_text,
                "date_of_birth": e.date_of_birth,
                "sex": e.sex,
                "scheduled": e.scheduled,
                "procedure": e.procedure,
                "problems": list(e.problems),
            }
            for e in entries
        ]
        lines = [
            (f"{e.scheduled:%H:%M} " if e.scheduled else "      ")
            + f"{e.accession_number:<12} {e.patient_id:<12} {e.name_text}"
            + (_("  (incomplete: {problems})").format(problems="; ".join(e.problems)) if e.problems else "")
            for e in entries
        ] or [_("No patients on the worklist for {date}.").format(date=day.isoformat())]
        emit(args.json, facts, lines)
        return 0
    chosen = [e for e in entries if e.accession_number == args.pick]
    if not chosen:
        raise CommandError(
            _("the worklist of {date} has no entry {entry!r}").format(date=day.isoformat(), entry=args.pick)
        )
    with open_records(ctx) as records:
        user = sign_in(records)[0]
        try:
            picked = pick(records, user, chosen[0])
        except RecordsError as exc:
            raise CommandError(str(exc)) from exc
    line = (
        _("{patient}: registered.") if picked.registered else _("{patient}: already registered; opened.")
    ).format(patient=picked.record.record_number)
    emit(args.json, {"record_number": picked.record.record_number, "registered": picked.registered}, line)
    return 0
