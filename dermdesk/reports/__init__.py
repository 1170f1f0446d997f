"""PDF visit reports and referral letters (reportlab; Qt-free, an import-linter contract keeps it so).

Two steps, so that the layout never touches the database or the disk:

    report = visit_report_data(records, user, "DD-000123", date(2026, 11, 21), settings)   # facts, audited
    pdf = render_visit_report(report)                                                  # bytes
    write_pdf(Path("report.pdf"), pdf)                                                 # atomic

Signing off goes through the records (`records.reports.sign_off`), which re-checks the doctor's
password and stores the signed PDF as a new immutable version; `sign_visit_report` here does both.
Names and notes in any script are set in embedded TrueType fonts (`dermdesk.reports.fonts`).
"""

from __future__ import annotations

from dermdesk.reports.data import ReferralLetter, VisitReport, referral_letter_data, visit_report_data
from dermdesk.reports.errors import ReportError
from dermdesk.reports.output import write_pdf
from dermdesk.reports.referral_letter import render_referral_letter
from dermdesk.reports.visit_report import render_visit_report

__all__ = [
    "ReferralLetter",
    "ReportError",
    "VisitReport",
    "referral_letter_data",
    "render_referral_letter",
    "render_visit_report",
    "visit_report_data",
    "write_pdf",
]
