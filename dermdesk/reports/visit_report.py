"""The visit report: letterhead, patient and visit, each lesion examined, and the sign-off.

`render_visit_report(report)` turns a `VisitReport` into PDF bytes. Until the report carries a
`SignOff`, every page says DRAFT across it and the sign-off block says that it is not signed.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from dermdesk.i18n import N_
from dermdesk.reports.data import VisitReport, role_title
from dermdesk.reports.fonts import markup
from dermdesk.reports.language import _, clinical, day, moment, percent, stored, time_of_day, written_in
from dermdesk.reports.layout import (
    ACCENT,
    REFER_RED,
    RULE,
    PageDecor,
    build_pdf,
    facts_table,
    letterhead,
    para,
    styles,
    table_style,
)
from dermdesk.reports.sections import lesion_block

FITZPATRICK = ("", "I", "II", "III", "IV", "V", "VI")
TITLE = N_("Dermatology visit report")


def _patient_and_visit(report: VisitReport, width: float) -> Table:
    patient = report.patient
    prepared = report.generated_at.astimezone()
    skin = (
        f"{clinical('skin_type.fitzpatrick')} {FITZPATRICK[patient.fitzpatrick]}"
        if patient.fitzpatrick
        else _("not recorded")
    )
    rows = [
        (_("Family name"), patient.family_name),
        (_("Visit date"), day(report.visit_date)),
        (_("Given name(s)"), patient.given_name),
        (_("Seen by"), f"{report.clinician}, {role_title(report.clinician_role)}"),
        (_("Record number"), patient.record_number),
        (_("Lesions examined"), str(len(report.lesions))),
        (_("Date of birth"), day(patient.date_of_birth)),
        (
            _("Report prepared"),
            _("{time} by {person}").format(
                time=f"{day(prepared.date())} {time_of_day(prepared)}", person=report.prepared_by
            ),
        ),
        (_("Sex"), stored("sex", patient.sex)),
        (_("Skin type"), skin),
    ]
    label = 28 * mm
    return facts_table(rows, [label, width / 2 - label, label, width / 2 - label])


def _summary(report: VisitReport, width: float) -> Table:
    """One row per lesion: where, the model's top suggestion, triage, referral, the doctor's diagnosis."""
    s = styles()
    small = s["small"]
    header = [
        _("Lesion"),
        _("Site"),
        _("Model's top suggestion"),
        _("Triage group"),
        _("Referral"),
        _("Doctor's diagnosis"),
    ]
    rows: list[list[Flowable]] = [[para(text, small, bold=True) for text in header]]
    for section in report.lesions:
        model = section.model
        top = f"{model.ranked[0][1]} {percent(model.ranked[0][2])}" if model and model.ranked else "—"
        refer = clinical("referral.advised" if model.refer else "referral.not_advised") if model else "—"
        doctor = section.doctor
        diagnosis = "—"
        if doctor is not None:
            diagnosis = doctor.diagnosis + ("" if doctor.signed_at else _(" (not signed off)"))
        cells = [section.label, section.where, top, model.triage_name if model else "—", refer, diagnosis]
        rows.append([para(text, s["body"] if i == 0 else small, bold=i == 0) for i, text in enumerate(cells)])
    fractions = (0.07, 0.23, 0.2, 0.15, 0.1, 0.25)
    table = Table(rows, colWidths=[width * f for f in fractions], repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _status_line(report: VisitReport) -> Flowable:
    if report.sign_off is None:
        colour, state = REFER_RED, _("Draft")
        rest = _("not signed off by a doctor")
    else:
        colour, state = ACCENT, _("Signed off")
        rest = _("version {version} of this visit's report").format(version=report.sign_off.version)
    text = f'<font color="#{colour.hexval()[2:]}"><b>{markup(state)}</b></font> — {markup(rest)}'
    return Paragraph(text, styles()["body"])


def _sign_off_block(report: VisitReport, width: float) -> Flowable:
    s = styles()
    sign_off = report.sign_off
    if sign_off is None:
        cells = [
            para(_("Sign-off"), s["h3"]),
            para(
                _(
                    "DRAFT — not signed off. A doctor signs the report off in DermDesk with their password; "
                    "only signed versions are stored in the patient's record."
                ),
                s["body"],
            ),
            Spacer(1, 5 * mm),
            para(_("Doctor: ______________________________      Date: ________________"), s["body"]),
        ]
    else:
        cells = [
            para(_("Sign-off"), s["h3"]),
            para(
                _("Signed off by {name}, {role} ({username})").format(
                    name=sign_off.signed_by, role=role_title(sign_off.role), username=sign_off.username
                ),
                s["body"],
                bold=True,
            ),
            para(
                _(
                    "on {time}; version {version} of this visit's report, stored unchanged in the patient's "
                    "record (re-entering the password in DermDesk)."
                ).format(time=moment(sign_off.signed_at), version=sign_off.version),
                s["body"],
            ),
        ]
    table = Table([[cells]], colWidths=[width])
    table.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, ACCENT if sign_off else REFER_RED),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return KeepTogether([table])


def _story(report: VisitReport, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = []
    head = letterhead(report.clinic, width)
    if head is not None:
        story += [head, Spacer(1, 5 * mm)]
    story += [
        para(_(TITLE), s["title"]),
        _status_line(report),
        Spacer(1, 3 * mm),
        _patient_and_visit(report, width),
    ]
    if report.visit_notes:
        story += [Spacer(1, 2 * mm), para(_("Visit notes"), s["h3"]), para(report.visit_notes, s["body"])]
    story += [Spacer(1, 5 * mm), para(_("Summary of this visit"), s["h2"]), Spacer(1, 1 * mm)]
    story += [_summary(report, width), Spacer(1, 6 * mm)]
    for section in report.lesions:
        story += lesion_block(section, width)
    story.append(_sign_off_block(report, width))
    return story


def render_visit_report(report: VisitReport) -> bytes:
    """The report as PDF bytes (A4 or Letter as the report says), in the report's language."""
    with written_in(report.language):
        patient = report.patient
        identity = _("{name} · {record} · visit report of {day}").format(
            name=patient.name, record=patient.record_number, day=day(report.visit_date)
        )
        return build_pdf(
            lambda width: _story(report, width),
            paper=report.paper,
            decor=lambda size: PageDecor(identity, report.models, report.sign_off is None, size),
            title=f"{_(TITLE)} — {patient.record_number} — {report.visit_date.isoformat()}",
            author=report.clinic.name or "DermDesk",
        )
