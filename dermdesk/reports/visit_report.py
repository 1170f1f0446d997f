"""The visit report: letterhead, patient and visit, each lesion examined, and the sign-off.

`render_visit_report(report)` turns a `VisitReport` into PDF bytes. Until the report carries a
`SignOff`, every page says DRAFT across it and the sign-off block says that it is not signed.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from dermdesk.reports.data import VisitReport
from dermdesk.reports.layout import (
    ACCENT,
    REFER_RED,
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
        ("Clinician", report.clinician),
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
            para(f"Signed off by {sign_off.signed_by} ({sign_off.username})", s["body"], bold=True),
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
    story.append(Spacer(1, 6 * mm))
    story += [lesion_block(section, width) for section in report.lesions]
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
