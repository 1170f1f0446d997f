"""`dermdesk report --patient REC --visit ID --out FILE.pdf [--sign-off | --version N]`: a visit's report.

`--visit` is the visit's date (YYYY-MM-DD), its number, or `latest`. Without `--sign-off` the report is
a draft (DRAFT across every page). With it, the signed-in doctor's password is checked again, and the
signed report is stored unchanged in the patient's record as the visit's next version before it is
written to FILE. `--version N` writes the stored signed version N again, byte for byte. Writing FILE
is audited as an export. A folder that is missing or read-only is a one-line error before anything is
signed; a full disk is one too; no partial file is left behind.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records, sign_in
from dermdesk.i18n import _

if TYPE_CHECKING:
    from dermdesk.records import Records, UserInfo
    from dermdesk.records.reports import VisitKey
    from dermdesk.reports.data import LesionSection


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("report", help=_("write a visit's report as a PDF (and sign it off)"))
    parser.add_argument("--patient", required=True, metavar="REC", help=_("the patient's record number"))
    parser.add_argument(
        "--visit",
        required=True,
        metavar="ID",
        help=_("the visit: its date (YYYY-MM-DD), number, or 'latest'"),
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help=_("where to write the PDF")
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--sign-off",
        action="store_true",
        help=_("sign the report off (doctors; re-checks the password) and store it in the patient's record"),
    )
    which.add_argument(
        "--version",
        type=int,
        metavar="N",
        help=_("write the stored signed version N instead of a new report"),
    )
    parser.add_argument(
        "--language",
        choices=("en", "ko"),
        help=_("the report's language (default: the patient's language of reports, else the clinic's)"),
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def warn_about_pictures(lesions: tuple[LesionSection, ...]) -> None:
    from dermdesk.reports.data import problems

    for line in problems(lesions):
        print(_("dermdesk: warning: {notice}").format(notice=line), file=sys.stderr)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.records.reports import parse_visit
    from dermdesk.reports import ReportError
    from dermdesk.reports.output import check_writable

    with open_records(ctx) as records:
        user, password = sign_in(records)
        visit = parse_visit(args.visit)
        try:
            out = check_writable(args.out)
            if args.version is not None:
                facts, line = _write_stored(records, user, args, visit, out)
            else:
                facts, line = _write_new(records, user, password, args, visit, out, ctx)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
    emit(args.json, facts, line)
    return 0


def _write_new(
    records: Records,
    user: UserInfo,
    password: str,
    args: argparse.Namespace,
    visit: VisitKey,
    out: Path,
    ctx: CommandContext,
) -> tuple[dict[str, Any], str]:
    """Gather and lay out the report (signing it off and storing it first with --sign-off); write it."""
    from dermdesk.records.reports import ReportVersion, SignOff
    from dermdesk.reports import ReportError, VisitReport, render_visit_report, visit_report_data, write_pdf
    from dermdesk.reports.preview import page_count

    made: dict[str, tuple[VisitReport, bytes]] = {}

    def render(sign_off: SignOff | None) -> bytes:
        report = visit_report_data(
            records, user, args.patient, visit, ctx.settings, sign_off=sign_off, language=args.language
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
    try:
        write_pdf(out, pdf)
    except ReportError as exc:
        if version is None:
            raise
        raise ReportError(
            _(
                "{problem} The report was signed off and stored as version {version}; write it with "
                "--version {version}."
            ).format(problem=exc, version=version.version)
        ) from exc
    sha256 = hashlib.sha256(pdf).hexdigest()
    records.reports.record_export(user, args.patient, "visit report", sha256, visit_id=report.visit_id)
    pages = page_count(pdf)
    state = (
        _("signed off by {user} as version {version}").format(user=user.username, version=version.version)
        if version
        else _("draft")
    )
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
        "language": report.language,
    }
    line = _(
        "Visit report of {patient}, {date} ({lesions} lesion(s), {pages} page(s), {state}) written to {file}."
    ).format(
        patient=report.patient.record_number,
        date=report.visit_date.isoformat(),
        lesions=len(report.lesions),
        pages=pages,
        state=state,
        file=out,
    )
    return facts, line


def _write_stored(
    records: Records, user: UserInfo, args: argparse.Namespace, visit: VisitKey, out: Path
) -> tuple[dict[str, Any], str]:
    """Write a stored signed version, checked against its sha256, unchanged."""
    from dermdesk.reports import write_pdf
    from dermdesk.reports.preview import page_count

    versions = records.reports.versions(user, args.patient, visit)
    chosen = next((v for v in versions if v.version == args.version), None)
    if chosen is None:
        signed = ", ".join(str(v.version) for v in versions) or _("none")
        raise CommandError(
            _("this visit of {patient} has no signed version {version} (signed versions: {signed})").format(
                patient=args.patient.strip().upper(), version=args.version, signed=signed
            )
        )
    pdf = records.reports.read(user, chosen.id)
    write_pdf(out, pdf)
    records.reports.record_export(
        user, args.patient, "stored visit report", chosen.sha256, visit_id=chosen.visit_id
    )
    facts: dict[str, Any] = {
        "out": str(out),
        "patient": args.patient.strip().upper(),
        "visit_id": chosen.visit_id,
        "visit_date": chosen.visit_date.isoformat(),
        "pages": page_count(pdf),
        "sha256": chosen.sha256,
        "signed": True,
        "version": chosen.version,
    }
    line = _(
        "Signed version {version} of the visit report of {patient}, {date} (signed off by {doctor}) "
        "written to {file}."
    ).format(
        version=chosen.version,
        patient=facts["patient"],
        date=chosen.visit_date.isoformat(),
        doctor=chosen.signed_by,
        file=out,
    )
    return facts, line
