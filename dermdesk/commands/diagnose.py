"""`dermdesk diagnose --patient REC --lesion LABEL --dx CODE --confirm TYPE [--sign-off]`: a doctor's
diagnosis of a followed lesion. `--sign-off` signs it as final at once; the service re-checks the
doctor's password for that, so a signed diagnosis is always the doctor's own act. A signed diagnosis
that differs from the lesion's signed final one is refused unless `--amends ID` names that one (the
refusal says its id): an amendment is a decision, never an accident of two rooms signing at once.
"""

from __future__ import annotations

import argparse

from dermdesk.commands import CommandContext
from dermdesk.commands.records_session import clinical, emit, open_records, sign_in, values_text
from dermdesk.i18n import _

DIAGNOSES = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")
CONFIRMATIONS = ("histopathology", "follow-up", "consensus", "clinical", "teledermatology")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "diagnose", help=_("record (and sign off) a doctor's diagnosis of a lesion")
    )
    parser.add_argument("--patient", required=True, metavar="REC", help=_("the patient's record number"))
    parser.add_argument("--lesion", required=True, metavar="LABEL", help=_("the lesion, e.g. L1"))
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--dx",
        metavar="CODE",
        help=_("diagnosis class: {codes}").format(codes=values_text("diagnosis", DIAGNOSES)),
    )
    what.add_argument("--dx-other", metavar="TEXT", help=_("any other diagnosis, as free text"))
    parser.add_argument(
        "--confirm",
        required=True,
        metavar="TYPE",
        help=_("how it was confirmed: {types}").format(types=values_text("confirmation", CONFIRMATIONS)),
    )
    parser.add_argument("--notes", help=_("free-text notes"))
    parser.add_argument(
        "--sign-off", action="store_true", help=_("sign the diagnosis as final (re-checks password)")
    )
    parser.add_argument(
        "--amends",
        type=int,
        metavar="ID",
        help=_("with --sign-off: the signed final diagnosis this one knowingly replaces"),
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.records import NewDiagnosis

    with open_records(ctx) as records:
        doctor, password = sign_in(records)
        new = NewDiagnosis(args.confirm, dx_code=args.dx, dx_other=args.dx_other, notes=args.notes)
        diagnosis = records.diagnoses.record(
            doctor,
            args.patient,
            args.lesion,
            new,
            sign_off_password=password if args.sign_off else None,
            amends=args.amends,
        )
        state = (
            _("signed off by {doctor}").format(doctor=diagnosis.signed_off_by)
            if diagnosis.signed_off_at
            else _("not signed off")
        )
        if diagnosis.amends_id is not None:
            state += _(", amending diagnosis {id}").format(id=diagnosis.amends_id)
        emit(
            args.json,
            diagnosis,
            _("Diagnosis {id} of {patient} {lesion}: {diagnosis} ({confirmation}), {state}.").format(
                id=diagnosis.id,
                patient=args.patient.strip().upper(),
                lesion=diagnosis.lesion_label,
                diagnosis=diagnosis.dx_code or diagnosis.dx_other,
                confirmation=clinical("confirmation", diagnosis.confirmation),
                state=state,
            ),
        )
    return 0
