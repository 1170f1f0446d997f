"""The visit report: letterhead, patient and visit, each lesion examined, and the sign-off.

`render_visit_report(report)` turns a `VisitReport` into PDF bytes. Until the report carries a
`SignOff`, every page says DRAFT across it and the sign-off block says that it is not signed.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from dermdesk.reports.data import VisitReport, role_title
from dermdesk.reports.layout import (
    ACCENT,
    REFER_RED,
    RULE,
    PageDecor,
    build_pdf,
    facts_table,
    letterhead,
    local,
    para,
    styles,
    table_style,
)
from dermdesk.reports.sections import lesion_block

FITZPATRICK = ("", "I", "II", "III", "IV", "V", "VI")
TITLE = "Dermatology visit report"


def _patient_and_visit(report: VisitReport, width: float) -> Table:
    patient = report.patient
    rows = [
        ("Family name", patient.family_name),
        ("Visit date", report.visit_date.isoformat()),
        ("Given name(s)", patient.given_name),
        ("Seen by", f"{report.clinician}, {role_title(report.clinician_role)}"),
        ("Record number", patient.record_number),
        ("Lesions examined", str(len(report.lesions))),
        ("Date of birth", patient.date_of_birth.isoformat()),
        ("Report prepared", f"{report.generated_at.astimezone():%Y-%m-%d %H:%M} by {report.prepared_by}"),
        ("Sex", patient.sex),
        (
            "Skin type",
            f"Fitzpatrick {FITZPATRICK[patient.fitzpatrick]}" if patient.fitzpatrick else "not recorded",
        ),
    ]
    label = 28 * mm
    return facts_table(rows, [label, width / 2 - label, label, width / 2 - label])


def _summary(report: VisitReport, width: float) -> Table:
    """One row per lesion: where, the model's top suggestion, triage, referral, the doctor's diagnosis."""
    s = styles()
    small = s["small"]
    header = ["Lesion", "Site", "Model's top suggestion", "Triage group", "Referral", "Doctor's diagnosis"]
    rows: list[list[Flowable]] = [[para(text, small, bold=True) for text in header]]
    for section in report.lesions:
        model = section.model
        top = f"{model.ranked[0][1]} {model.ranked[0][2]:.0%}" if model and model.ranked else "—"
        refer = ("advised" if model.refer else "not advised") if model else "—"
        doctor = section.doctor
        diagnosis = "—"
        if doctor is not None:
            diagnosis = doctor.diagnosis + ("" if doctor.signed_at else " (not signed off)")
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
        text = f'<font color="#{REFER_RED.hexval()[2:]}"><b>Draft</b></font> — not signed off by a doctor'
    else:
        text = (
            f'<font color="#{ACCENT.hexval()[2:]}"><b>Signed off</b></font> — '
            f"version {report.sign_off.version} of this visit's report"
        )
    return Paragraph(text, styles()["body"])


def _sign_off_block(report: VisitReport, width: float) -> Flowable:
    s = styles()
    sign_off = report.sign_off
    if sign_off is None:
        cells = [
            para("Sign-off", s["h3"]),
            para(
                "DRAFT — not signed off. A doctor signs the report off in DermDesk with their password; only "
                "signed versions are stored in the patient's record.",
                s["body"],
            ),
            Spacer(1, 5 * mm),
            para("Doctor: ______________________________      Date: ________________", s["body"]),
        ]
    else:
        cells = [
            para("Sign-off", s["h3"]),
            para(
                f"Signed off by {sign_off.signed_by}, {role_title(sign_off.role)} ({sign_off.username})",
                s["body"],
                bold=True,
            ),
            para(
                f"on {local(sign_off.signed_at)}; version {sign_off.version} of this visit's report, stored "
                "unchanged in the patient's record (re-entering the password in DermDesk).",
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
        para(TITLE, s["title"]),
        _status_line(report),
        Spacer(1, 3 * mm),
        _patient_and_visit(report, width),
    ]
    if report.visit_notes:
        story += [Spacer(1, 2 * mm), para("Visit notes", s["h3"]), para(report.visit_notes, s["body"])]
    story += [Spacer(1, 5 * mm), para("Summary of this visit", s["h2"]), Spacer(1, 1 * mm)]
    story += [_summary(report, width), Spacer(1, 6 * mm)]
    for section in report.lesions:
        story += lesion_block(section, width)
    story.append(_sign_off_block(report, width))
    return story


def render_visit_report(report: VisitReport) -> bytes:
    """The report as PDF bytes (A4 or Letter as the report says)."""
    patient = report.patient
    identity = f"{patient.name} · {patient.record_number} · visit report of {report.visit_date.isoformat()}"
    return build_pdf(
        lambda width: _story(report, width),
        paper=report.paper,
        decor=lambda size: PageDecor(identity, report.models, report.sign_off is None, size),
        title=f"{TITLE} — {patient.record_number} — {report.visit_date.isoformat()}",
        author=report.clinic.name or "DermDesk",
    )
