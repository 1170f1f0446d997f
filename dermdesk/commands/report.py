"""`dermdesk report --patient REC --visit ID --out FILE.pdf [--sign-off]`: a visit's report as a PDF.

`--visit` is the visit's date (YYYY-MM-DD), its number, or `latest`. Without `--sign-off` the report is
a draft (DRAFT across every page). With it, the signed-in doctor's password is checked again, and the
signed report is stored unchanged in the patient's record as the visit's next version before it is
written to FILE. Writing FILE is audited as an export. A folder that is missing, read-only or full is a
one-line error before anything is signed, and no partial file is left behind.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records, sign_in

if TYPE_CHECKING:
    from dermdesk.reports.data import LesionSection


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("report", help="write a visit's report as a PDF (and sign it off)")
    parser.add_argument("--patient", required=True, metavar="REC", help="the patient's record number")
    parser.add_argument(
        "--visit", required=True, metavar="ID", help="the visit: its date (YYYY-MM-DD), number, or 'latest'"
    )
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF")
    parser.add_argument(
        "--sign-off",
        action="store_true",
        help="sign the report off (doctors; re-checks the password) and store it in the patient's record",
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def warn_about_pictures(lesions: tuple[LesionSection, ...]) -> None:
    from dermdesk.reports.data import problems

    for line in problems(lesions):
        print(f"dermdesk: warning: {line}", file=sys.stderr)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.records.reports import ReportVersion, SignOff, parse_visit
    from dermdesk.reports import ReportError, VisitReport, render_visit_report, visit_report_data, write_pdf
    from dermdesk.reports.output import check_writable
    from dermdesk.reports.preview import page_count

    with open_records(ctx) as records:
        user, password = sign_in(records)
        visit = parse_visit(args.visit)
        try:
            out = check_writable(args.out)
            made: dict[str, tuple[VisitReport, bytes]] = {}

            def render(sign_off: SignOff | None) -> bytes:
                report = visit_report_data(
                    records, user, args.patient, visit, ctx.settings, sign_off=sign_off
                )
                made["report"] = (report, render_visit_report(report))
                return made["report"][1]

            version: ReportVersion | None = None
            if args.sign_off:
                version = records.reports.sign_off(user, args.patient, visit, password, render)
            else:
                render(None)
            report, pdf = made["report"]
            warn_about_pictures(report.lesions)
            write_pdf(out, pdf)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        sha256 = hashlib.sha256(pdf).hexdigest()
        records.reports.record_export(user, args.patient, "visit report", sha256, visit_id=report.visit_id)
    pages = page_count(pdf)
    state = f"signed off by {user.username} as version {version.version}" if version else "draft"
    facts: dict[str, Any] = {
        "out": str(out),
        "patient": report.patient.record_number,
        "visit_id": report.visit_id,
        "visit_date": report.visit_date.isoformat(),
        "lesions": len(report.lesions),
        "pages": pages,
        "sha256": sha256,
        "signed": version is not None,
        "version": version.version if version else None,
    }
    emit(
        args.json,
        facts,
        f"Visit report of {report.patient.record_number}, {report.visit_date.isoformat()} "
        f"({len(report.lesions)} lesion(s), {pages} page(s), {state}) written to {out}.",
    )
    return 0
