"""`dermdesk referral --patient REC --lesion LABEL --to "NAME, CLINIC" --out FILE.pdf`: a referral letter.

Written by the signed-in doctor to a dermatologist: the reason (`--reason`, a referral on file, or the
model's referral rule), the lesion's pictures and findings, and the referring doctor's contact from the
clinic settings. Writing the letter is audited as an export; an unwritable folder is a one-line error
and no partial file is left behind.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records, sign_in
from dermdesk.commands.report import warn_about_pictures
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("referral", help=_("write a referral letter for a lesion as a PDF"))
    parser.add_argument("--patient", required=True, metavar="REC", help=_("the patient's record number"))
    parser.add_argument("--lesion", required=True, metavar="LABEL", help=_("the lesion, e.g. L1"))
    parser.add_argument(
        "--to",
        required=True,
        metavar='"NAME, CLINIC"',
        help=_('the dermatologist, e.g. "Dr A. Berg, City Skin Clinic"'),
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help=_("where to write the PDF")
    )
    parser.add_argument("--reason", help=_("why you refer (added to any referral reason on file)"))
    parser.add_argument(
        "--language",
        choices=("en", "ko"),
        help=_("the letter's language (default: the patient's language of reports, else the clinic's)"),
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.reports import ReportError, referral_letter_data, render_referral_letter, write_pdf
    from dermdesk.reports.output import check_writable
    from dermdesk.reports.preview import page_count

    with open_records(ctx) as records:
        user = sign_in(records)[0]
        try:
            out = check_writable(args.out, what=_("write the letter"))
            letter = referral_letter_data(
                records,
                user,
                args.patient,
                args.lesion,
                args.to,
                ctx.settings,
                reason=args.reason,
                language=args.language,
            )
            pdf = render_referral_letter(letter)
            warn_about_pictures((letter.lesion,))
            write_pdf(out, pdf, what=_("write the letter"))
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        sha256 = hashlib.sha256(pdf).hexdigest()
        records.reports.record_export(
            user, args.patient, "referral letter", sha256, lesion=letter.lesion.label
        )
    facts: dict[str, Any] = {
        "out": str(out),
        "patient": letter.patient.record_number,
        "lesion": letter.lesion.label,
        "to": letter.recipient_name,
        "pages": page_count(pdf),
        "sha256": sha256,
    }
    emit(
        args.json,
        facts,
        _("Referral letter for {patient} {lesion} to {recipient} written to {file}.").format(
            patient=letter.patient.record_number,
            lesion=letter.lesion.label,
            recipient=letter.recipient_name,
            file=out,
        ),
    )
    return 0
