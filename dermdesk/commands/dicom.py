"""`dermdesk dicom export|import`: a visit's stills, signed report and model results as DICOM files, and
DICOM dermoscopy stills filed into a lesion.

    dermdesk dicom export --patient REC --visit ID --out FOLDER
    dermdesk dicom import FILE... --patient REC [--lesion L2]

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


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("dicom", help="export a visit as DICOM files, import DICOM dermoscopy")
    actions = parser.add_subparsers(dest="dicom_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write a visit's stills, signed report and results as DICOM")
    export.add_argument("--patient", required=True, metavar="REC", help="the patient's record number")
    export.add_argument(
        "--visit",
        default="latest",
        metavar="ID",
        help="the visit: its date (YYYY-MM-DD), number, or 'latest'",
    )
    export.add_argument("--out", required=True, type=Path, metavar="FOLDER", help="folder for the .dcm files")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=run_export)
    into = actions.add_parser("import", help="file DICOM dermoscopy or VL photographic stills in a lesion")
    into.add_argument("files", nargs="+", type=Path, metavar="FILE")
    into.add_argument("--patient", required=True, metavar="REC", help="the patient's record number")
    into.add_argument("--lesion", metavar="LABEL", help="an already followed lesion (default: a new one)")
    into.add_argument("--json", action="store_true")
    into.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.interop.export import DicomExportError, export_visit
    from dermdesk.records.reports import parse_visit

    with open_records(ctx) as records:
        user, _ = sign_in(records)
        try:
            result = export_visit(
                records, user, args.patient, parse_visit(args.visit), args.out, ctx.settings
            )
        except DicomExportError as exc:
            raise CommandError(str(exc)) from exc
    for note in result.notes:
        print(f"dermdesk: note: {note}", file=sys.stderr)
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
    emit(args.json, facts, [result.summary, f"Folder: {args.out}"])
    return 0


def run_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.interop.dicom_import import DicomImportError, import_still

    imported: list[dict[str, Any]] = []
    refused: dict[str, str] = {}
    with open_records(ctx) as records:
        user, _ = sign_in(records)
        lesion = args.lesion
        for path in args.files:
            try:
                still = import_still(records, user, path, args.patient, lesion)
            except DicomImportError as exc:
                refused[str(path)] = str(exc)
                if len(args.files) > 1:
                    reason = str(exc) if path.name in str(exc) else f"{path.name}: {exc}"
                    print(f"dermdesk: refused: {reason}", file=sys.stderr)
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
        raise CommandError(f"none of the {len(refused)} files was imported (reasons above)")
    emit(args.json, {"imported": imported, "refused": refused}, [item["message"] for item in imported])
    return 1 if refused else 0
