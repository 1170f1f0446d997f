"""The referral letter to a dermatologist: why, what was seen, and how to reach the referring doctor.

`render_referral_letter(letter)` turns a `ReferralLetter` into PDF bytes. The letter is signed by hand
(or sent as it is) by the referring doctor named in it; it carries the same footer as reports: page x
of y, the model's name, version and manifest sha256, and that the model's output is decision support.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Spacer

from dermdesk.reports.data import ReferralLetter, role_title
from dermdesk.reports.fonts import BASE
from dermdesk.reports.layout import PageDecor, build_pdf, letterhead, para, styles
from dermdesk.reports.sections import lesion_block

TITLE = "Referral to a dermatologist"


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
    contact = [para("With kind regards,", s["body"]), Spacer(1, 8 * mm)]
    contact.append(para(letter.referrer, s["body"], bold=True))
    role = f"Referring {role_title(letter.referrer_role)}" + (
        f", {letter.clinic.name}" if letter.clinic.name else ""
    )
    contact.append(para(role, s["body"]))
    reach = [*letter.clinic.address, *([f"Tel. {letter.clinic.phone}"] if letter.clinic.phone else [])]
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
        para(f"Date: {letter.written_at.astimezone():%Y-%m-%d}", s["body"]),
        Spacer(1, 3 * mm),
        para(TITLE, s["title"]),
        para(
            f"Re: {patient.family_name}, {patient.given_name} · born {patient.date_of_birth.isoformat()} · "
            f"{patient.sex} · record number {patient.record_number}",
            s["body"],
            bold=True,
        ),
        Spacer(1, 3 * mm),
        para(f"Dear {letter.recipient_name},", s["body"]),
        Spacer(1, 2 * mm),
        para(
            f"I would be grateful if you would see this patient about the lesion {lesion.label} on the "
            f"{lesion.where}, followed since {lesion.first_seen.isoformat()} (now: {lesion.status}).",
            s["body"],
        ),
        Spacer(1, 3 * mm),
        para("Reason for referral", s["h2"]),
        _reasons(letter),
        Spacer(1, 3 * mm),
        *lesion_block(
            lesion,
            width,
            doctor_title="Latest diagnosis",
            space_after=3 * mm,
            lead=[para("Findings", s["h2"]), Spacer(1, 2 * mm)],
        ),
        _closing(letter),
    ]
    return story


def render_referral_letter(letter: ReferralLetter) -> bytes:
    """The letter as PDF bytes (A4 or Letter as the letter says)."""
    patient = letter.patient
    day = letter.written_at.astimezone().date().isoformat()
    identity = f"{patient.name} · {patient.record_number} · referral letter of {day}"
    return build_pdf(
        lambda width: _story(letter, width),
        paper=letter.paper,
        decor=lambda size: PageDecor(identity, letter.models, False, size),
        title=f"{TITLE} — {patient.record_number} — lesion {letter.lesion.label}",
        author=letter.referrer,
    )
