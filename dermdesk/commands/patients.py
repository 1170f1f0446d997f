"""`dermdesk patients add|list|show`: register and look up patients (every read is audited).

`list` shows one page (200 patients unless `--per-page` says otherwise) and says on stderr when
more follow and how to see them (`--page`). `show` prints the whole record — visits, lesions with
their images, predictions, diagnoses and referrals — as text for people or with `--json` for
programs.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import clinical, emit, open_records, sign_in, values_text
from dermdesk.i18n import _, current_language
from dermdesk.i18n.names import full_name

if TYPE_CHECKING:
    from dermdesk.records import LesionInfo, PatientRecord

PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000
FITZPATRICK = ["", "I", "II", "III", "IV", "V", "VI"]
SEXES = ("female", "male", "other", "unknown")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date like 1971-05-17").format(text=text)
        ) from None


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("patients", help=_("register, list and show patients"))
    actions = parser.add_subparsers(dest="patients_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("register a patient"))
    add.add_argument("record_number", metavar="RECORD_NUMBER")
    add.add_argument("--given", required=True, help=_("given name(s)"))
    add.add_argument("--family", required=True, help=_("family name"))
    add.add_argument("--born", required=True, type=_iso_date, metavar="YYYY-MM-DD")
    add.add_argument(
        "--sex", required=True, help=_("one of: {names}").format(names=values_text("sex", SEXES))
    )
    add.add_argument("--fitzpatrick", type=int, choices=range(1, 7), metavar="1-6")
    add.add_argument("--contact", help=_("phone or e-mail"))
    add.add_argument(
        "--research-consent", action="store_true", help=_("the patient consented to research use")
    )
    add.add_argument(
        "--report-language",
        choices=("en", "ko"),
        help=_("the language of the patient's reports and letters (default: the clinic's report_language)"),
    )
    add.add_argument("--json", action="store_true")

    listing = actions.add_parser("list", help=_("list patients"))
    listing.add_argument("--search", help=_("part of a record number or name"))
    listing.add_argument("--page", type=int, default=1, help=_("which page of patients (default: 1)"))
    listing.add_argument(
        "--per-page",
        type=int,
        default=PAGE_SIZE,
        help=_("patients per page (default: {size})").format(size=PAGE_SIZE),
    )
    listing.add_argument("--json", action="store_true")

    show = actions.add_parser("show", help=_("show a patient's whole record"))
    show.add_argument("record_number", metavar="RECORD_NUMBER")
    show.add_argument("--json", action="store_true")

    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.records import NewPatient

    with open_records(ctx) as records:
        user = sign_in(records)[0]
        if args.patients_action == "add":
            new = NewPatient(
                args.record_number,
                args.given,
                args.family,
                args.born,
                args.sex,
                args.fitzpatrick,
                args.contact,
                args.research_consent,
                args.report_language,
            )
            record = records.patients.register(user, new)
            emit(args.json, record, _("Patient {record} registered.").format(record=record.record_number))
        elif args.patients_action == "list":
            if args.page < 1 or not 1 <= args.per_page <= MAX_PAGE_SIZE:
                raise CommandError(
                    _("--page must be 1 or more and --per-page 1 to {most}").format(most=MAX_PAGE_SIZE)
                )
            total = records.patients.count(user, search=args.search)
            first = (args.page - 1) * args.per_page
            found = records.patients.list(user, search=args.search, limit=args.per_page, offset=first)
            language = current_language()
            lines = [
                _("{record}  {name}  born {born}").format(
                    record=f"{p.record_number:<20}",
                    name=full_name(p.family_name, p.given_name, language),
                    born=p.date_of_birth,
                )
                for p in found
            ]
            emit(args.json, found, lines or [_("No patients found.")])
            if total > first + len(found):  # never a silent cut at the page size (stderr: JSON stays clean)
                print(
                    _("Patients {first}-{last} of {total}; the next ones: --page {next}").format(
                        first=first + 1, last=first + len(found), total=total, next=args.page + 1
                    ),
                    file=sys.stderr,
                )
        else:
            record = records.patients.get(user, args.record_number)
            emit(args.json, record, describe(record))
    return 0


def describe(record: PatientRecord) -> list[str]:
    """The record as lines for a person at a terminal."""
    consent = _("no")
    if record.research_consent:
        consent = _("yes ({date}, recorded by {user})").format(
            date=record.consent_date, user=record.consent_recorded_by
        )
    skin = f"  Fitzpatrick {FITZPATRICK[record.fitzpatrick]}" if record.fitzpatrick else ""
    name = (
        f"{record.family_name}, {record.given_name}"
        if current_language() == "en"
        else full_name(record.family_name, record.given_name, current_language())
    )
    visits = ", ".join(f"{v.visit_date} ({v.clinician})" for v in record.visits) or _("none")
    lines = [
        _("{record}  {name}  born {born}  {sex}{skin}").format(
            record=record.record_number,
            name=name,
            born=record.date_of_birth,
            sex=clinical("sex", record.sex),
            skin=skin,
        ),
        _("Research consent: {consent}").format(consent=consent),
        _("Visits: {visits}").format(visits=visits),
    ]
    for lesion in record.lesions:
        lines += _lesion_lines(lesion)
    return lines


def _lesion_lines(lesion: LesionInfo) -> list[str]:
    where = clinical("body_site", lesion.anatom_site_general) + (
        f", {lesion.site_detail}" if lesion.site_detail else ""
    )
    lines = [
        _("{lesion}  {site}  [{status}]  first seen {date}").format(
            lesion=lesion.label,
            site=where,
            status=clinical("lesion_status", lesion.status),
            date=lesion.first_seen,
        )
    ]
    for image in lesion.images:
        advice = _("no prediction")
        if image.predictions:
            p = image.predictions[-1]
            top = ", ".join(f"{code} {p.probabilities[code]:.0%}" for code in p.ranking[:3])
            advice = _("{ranking}; triage {triage}").format(ranking=top, triage=clinical("triage", p.triage))
            advice += _("; REFER") if p.refer else ""
        lines.append(
            _("    image {id}  {time}  sha256 {sha256}  {advice}").format(
                id=image.id,
                time=f"{image.captured_at.astimezone():%Y-%m-%d %H:%M}",
                sha256=image.sha256[:12],
                advice=advice,
            )
        )
    for dx in lesion.diagnoses:
        signed = (
            _(", signed off by {doctor}").format(doctor=dx.signed_off_by)
            if dx.signed_off_at
            else _(", not signed off")
        )
        lines.append(
            _("    diagnosis {id}: {diagnosis} ({confirmation}) by {doctor}{signed}").format(
                id=dx.id,
                diagnosis=dx.dx_code or dx.dx_other,
                confirmation=clinical("confirmation", dx.confirmation),
                doctor=dx.doctor,
                signed=signed,
            )
        )
    for referral in lesion.referrals:
        lines.append(
            _("    referral ({status}): {reason}").format(
                status=clinical("referral_status", referral.status), reason=referral.reason
            )
        )
    return lines
