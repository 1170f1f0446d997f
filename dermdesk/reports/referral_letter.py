"""The referral letter to a dermatologist: why, what was seen, and how to reach the referring doctor.

`render_referral_letter(letter)` turns a `ReferralLetter` into PDF bytes. The letter is signed by hand
(or sent as it is) by the referring doctor named in it; it carries the same footer as reports: page x
of y, the model's name, version and manifest sha256, and that the model's output is decision support.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Spacer

from dermdesk.i18n import N_
from dermdesk.reports.data import ReferralLetter, role_title
from dermdesk.reports.fonts import BASE
from dermdesk.reports.language import _, day, stored, written_in
from dermdesk.reports.layout import PageDecor, build_pdf, letterhead, para, styles
from dermdesk.reports.sections import lesion_block

TITLE = N_("Referral to a dermatologist")


def _address_block(letter: ReferralLetter) -> list[Flowable]:
    s = styles()
    lines = [para(letter.recipient_name, s["body"], bold=True)]
    if letter.recipient_clinic:
        lines.append(para(letter.recipient_clinic, s["body"]))
    return lines


def _reasons(letter: ReferralLetter) -> Flowable:
    s = styles()
    items = [ListItem(para(reason, s["body"]), leftIndent=10) for reason in letter.reasons]
    return ListFlowable(
        items, bulletType="bullet", start="•", leftIndent=10, bulletFontName=BASE, bulletFontSize=8
    )


def _closing(letter: ReferralLetter) -> Flowable:
    """Regards, room to sign, and how to reach the referring doctor."""
    s = styles()
    contact = [para(_("With kind regards,"), s["body"]), Spacer(1, 8 * mm)]
    contact.append(para(letter.referrer, s["body"], bold=True))
    role = _("Referring {role}").format(role=role_title(letter.referrer_role)) + (
        f", {letter.clinic.name}" if letter.clinic.name else ""
    )
    contact.append(para(role, s["body"]))
    phone = [_("Tel. {phone}").format(phone=letter.clinic.phone)] if letter.clinic.phone else []
    reach = [*letter.clinic.address, *phone]
    if reach:
        contact.append(para(" · ".join(reach), s["small"]))
    return KeepTogether(contact)


def _story(letter: ReferralLetter, width: float) -> list[Flowable]:
    s = styles()
    patient = letter.patient
    lesion = letter.lesion
    story: list[Flowable] = []
    head = letterhead(letter.clinic, width)
    if head is not None:
        story += [head, Spacer(1, 4 * mm)]
    story += _address_block(letter)
    story += [
        Spacer(1, 3 * mm),
        para(_("Date: {day}").format(day=day(letter.written_at.astimezone().date())), s["body"]),
        Spacer(1, 3 * mm),
        para(_(TITLE), s["title"]),
        para(
            _("Re: {name} · born {born} · {sex} · record number {record}").format(
                name=patient.name,
                born=day(patient.date_of_birth),
                sex=stored("sex", patient.sex),
                record=patient.record_number,
            ),
            s["body"],
            bold=True,
        ),
        Spacer(1, 3 * mm),
        para(_("Dear {name},").format(name=letter.recipient_name), s["body"]),
        Spacer(1, 2 * mm),
        para(
            _(
                "I would be grateful if you would see this patient about the lesion {label} on the {where}, "
                "followed since {since} (now: {status})."
            ).format(
                label=lesion.label, where=lesion.where, since=day(lesion.first_seen), status=lesion.status
            ),
            s["body"],
        ),
        Spacer(1, 3 * mm),
        para(_("Reason for referral"), s["h2"]),
        _reasons(letter),
        Spacer(1, 3 * mm),
        *lesion_block(
            lesion,
            width,
            doctor_title=_("Latest diagnosis"),
            space_after=3 * mm,
            lead=[para(_("Findings"), s["h2"]), Spacer(1, 2 * mm)],
        ),
        _closing(letter),
    ]
    return story


def render_referral_letter(letter: ReferralLetter) -> bytes:
    """The letter as PDF bytes (A4 or Letter as the letter says), in the letter's language."""
    with written_in(letter.language):
        patient = letter.patient
        written = day(letter.written_at.astimezone().date())
        identity = _("{name} · {record} · referral letter of {day}").format(
            name=patient.name, record=patient.record_number, day=written
        )
        return build_pdf(
            lambda width: _story(letter, width),
            paper=letter.paper,
            decor=lambda size: PageDecor(identity, letter.models, False, size),
            title=_("{title} — {record} — lesion {label}").format(
                title=_(TITLE), record=patient.record_number, label=letter.lesion.label
            ),
            author=letter.referrer,
        )
