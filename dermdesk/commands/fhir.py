"""`dermdesk fhir export|send`: a visit as a FHIR R4 Bundle for the clinic's EHR.

    dermdesk fhir export --patient REC [--visit ID] --out FILE.json
    dermdesk fhir send --patient REC [--visit ID]     # queue the Bundle for the EHR and send what waits
    dermdesk fhir send --retry [--failed]

The Bundle (Patient, Practitioner, Encounter, a BodyStructure per lesion, a Media per still, the model's
results as Observations with their Device, and a DiagnosticReport carrying the signed PDF) is validated
before it is written or queued. `send` posts it to `DERMDESK_FHIR_URL`; the exit code is 1 while it is
left queued or the EHR refused it (its OperationOutcome's words are printed).
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
    parser = subparsers.add_parser("fhir", help=_("a visit as a FHIR Bundle, to a file or the clinic's EHR"))
    actions = parser.add_subparsers(dest="fhir_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help=_("write a visit's FHIR Bundle to a JSON file"))
    export.add_argument("--patient", required=True, metavar="REC", help=_("the patient's record number"))
    export.add_argument(
        "--visit", default="latest", metavar="ID", help=_("date (YYYY-MM-DD), number or 'latest'")
    )
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help=_("the .json file to write"))
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=run_export)
    send = actions.add_parser("send", help=_("send a visit's FHIR Bundle to the EHR (and whatever waits)"))
    send.add_argument("--patient", metavar="REC", help=_("the patient's record number (omit with --retry)"))
    send.add_argument(
        "--visit", default="latest", metavar="ID", help=_("date (YYYY-MM-DD), number or 'latest'")
    )
    send.add_argument("--retry", action="store_true", help=_("only send what already waits in the outbox"))
    send.add_argument("--failed", action="store_true", help=_("also resend Bundles the EHR refused before"))
    send.add_argument("--json", action="store_true")
    send.set_defaults(handler=run_send)


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.interop.destinations import DestinationError
    from dermdesk.interop.fhir_bundle import FhirExportError
    from dermdesk.interop.fhir_send import export_fhir
    from dermdesk.records.reports import parse_visit

    with open_records(ctx) as records:
        user = sign_in(records)[0]
        try:
            done = export_fhir(records, user, args.patient, parse_visit(args.visit), args.out, ctx.settings)
        except (FhirExportError, DestinationError) as exc:
            raise CommandError(str(exc)) from exc
    for note in done.notes:
        print(_("dermdesk: note: {note}").format(note=note), file=sys.stderr)
    facts: dict[str, Any] = {
        "patient": done.record_number,
        "visit_id": done.visit_id,
        "path": done.path,
        "entries": done.entries,
        "notes": list(done.notes),
    }
    line = _("FHIR Bundle of {count} resources written to {file}.").format(count=done.entries, file=done.path)
    emit(args.json, facts, line)
    return 0


def run_send(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.commands.outbox_send import send_visit
    from dermdesk.interop.destinations import DestinationError
    from dermdesk.interop.fhir_bundle import FhirExportError
    from dermdesk.interop.fhir_send import queue_fhir, send_fhir_pending
    from dermdesk.interop.outbox import Destination

    return send_visit(
        args, ctx, Destination.EHR, queue_fhir, send_fhir_pending, (FhirExportError, DestinationError)
    )
