"""The report dialog offscreen: the preview shows the pages, a doctor signs off with the password again,
staff cannot, printing goes through QPrinter (to a PDF file here) and is audited; the patient page's
"Report…" button asks for the chosen visit; the printed body map matches the station's."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from records.helpers import PASSWORD, Clock, Team
from reports.seed import Clinic, seed_clinic

from dermdesk.records import Records, SecurityPolicy, passwords
from dermdesk.records.reports import report_relative_path
from dermdesk.reports import body_figure
from dermdesk.settings import DermDeskSettings, load_settings
from dermdesk.station import PatientInView
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records import body_map
from dermdesk.ui.records.patient_page import PatientPage
from dermdesk.ui.reports.report_dialog import ReportDialog

WAIT_MS = 30_000


@dataclass
class Station:
    session: RecordsSession
    records: Records
    team: Team
    clinic: Clinic
    settings: DermDeskSettings


@pytest.fixture
def station(qtbot, station_dirs, monkeypatch) -> Iterator[Station]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("DERMDESK_CLINIC_NAME", "Hautarztpraxis Am Stadtpark")
    settings = load_settings().settings
    clock = Clock()
    records = Records.open(settings, clock=clock, policy=SecurityPolicy())
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    team = Team(
        admin,
        records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD),
        records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD),
    )
    clinic = seed_clinic(records, team, clock)
    host = QWidget()
    qtbot.addWidget(host)
    session = RecordsSession(settings, TaskRunner(host), host, clock=clock)
    session.records = records
    yield Station(session, records, team, clinic, settings)
    records.close()
    passwords.use_hasher(previous)


def open_dialog(qtbot, station: Station, user_index: int) -> ReportDialog:
    user = [station.team.staff, station.team.doctor][user_index]
    station.session.sign_in(user)
    patient = PatientInView.of(station.records.patients.get(user, station.clinic.record_number))
    dialog = ReportDialog(
        station.session, station.clinic.record_number, None, preview_dpi=40, patient=patient
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_shown, timeout=WAIT_MS):
        dialog.show()
    return dialog


def test_a_doctor_previews_signs_off_and_prints(qtbot, station: Station, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, station, 1)
    assert len(dialog.pages) >= 2 and all(not label.pixmap().isNull() for label in dialog.pages)
    assert dialog.pages[0].pixmap().width() == dialog.rendered.pages[0].width
    assert (
        "Draft" in dialog.status.text() and dialog.sign_button.isEnabled() and dialog.print_button.isEnabled()
    )
    assert dialog.versions_label.text() == "No signed version of this visit's report is stored yet."

    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    password_dialog = dialog.password_dialog
    assert password_dialog is not None and password_dialog.isVisible()
    password_dialog.password.setText("not my password")
    qtbot.mouseClick(password_dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: password_dialog.error.isVisible(), timeout=WAIT_MS)
    assert "Wrong user name or password" in password_dialog.error.text()

    password_dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.sig_signed, timeout=WAIT_MS) as signed:
        qtbot.mouseClick(password_dialog.submit_button, Qt.MouseButton.LeftButton)
    version = signed.args[0]
    assert version.version == 1 and version.signed_by == "dora"
    stored = station.records.store.root / report_relative_path(version.sha256)
    assert stored.read_bytes() == dialog.rendered.pdf
    assert "Signed off by Dr Dora Derm, version 1" in dialog.status.text()
    assert dialog.versions_label.text().startswith(
        "Stored in the patient's record: version 1 by Dr Dora Derm, "
    )
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(dialog.rendered.pdf)).pages]
    assert all("DRAFT" not in text for text in texts)

    target = tmp_path / "printed.pdf"
    printer = dialog.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(50)  # the suite stays quick; a real printer gets up to 300 dpi
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT_MS) as printed:
        dialog.print_to(printer)
    assert printed.args[0] == len(texts)
    pages = PdfReader(target).pages
    assert len(pages) == len(texts)
    assert (
        abs(float(pages[0].mediabox.width) - 595.3) < 1.5
        and abs(float(pages[0].mediabox.height) - 841.9) < 1.5
    )
    assert all(len(page.images) == 1 for page in pages)
    exports = [e.detail["kind"] for e in station.records.audit.list(station.team.admin, action="export")]
    assert "printed signed visit report" in exports
    dialog.close()


def test_print_button_prints_through_the_print_dialog_to_a_pdf_printer(
    qtbot, station: Station, tmp_path: Path, monkeypatch
) -> None:
    """Report ▸ Print…: the print dialog opens (it used to raise a TypeError), and accepting it prints
    every page through a real QPrinter, here set to PDF output since CI has no printer."""
    dialog = open_dialog(qtbot, station, 0)
    target = tmp_path / "printed.pdf"
    new_printer = dialog.new_printer

    def pdf_printer() -> QPrinter:
        printer = new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setResolution(50)
        return printer

    monkeypatch.setattr(dialog, "new_printer", pdf_printer)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    print_dialog = dialog.print_dialog
    assert print_dialog is not None and print_dialog.isVisible()
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT_MS) as printed:
        print_dialog.accept()
    assert dialog.print_dialog is None
    assert dialog.printer is not None and dialog.printer.outputFileName() == str(target)
    assert target.is_file()
    pages = PdfReader(target).pages
    assert len(pages) == printed.args[0] == len(dialog.rendered.pages) >= 2
    assert all(len(page.images) == 1 for page in pages)
    exports = [e.detail["kind"] for e in station.records.audit.list(station.team.admin, action="export")]
    assert exports.count("printed visit report") == 1


def test_staff_see_the_draft_but_cannot_sign(qtbot, station: Station) -> None:
    dialog = open_dialog(qtbot, station, 0)
    assert not dialog.sign_button.isEnabled() and dialog.print_button.isEnabled()
    assert "sam is signed in as staff and may not sign off" in dialog.banner.text()
    dialog.close()


def test_a_refusal_is_shown_in_the_dialog(qtbot, station: Station) -> None:
    station.session.sign_in(station.team.doctor)
    dialog = ReportDialog(station.session, "DD-404404", None, preview_dpi=40)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT_MS) as failed:
        dialog.show()
    assert failed.args[0] == "No patient has the record number DD-404404."
    assert (
        dialog.error.isVisible()
        and not dialog.sign_button.isEnabled()
        and not dialog.print_button.isEnabled()
    )
    dialog.close()


def test_the_patient_page_asks_for_the_chosen_or_newest_visit(qtbot, station: Station) -> None:
    page = PatientPage()
    qtbot.addWidget(page)
    assert not page.report_button.isEnabled()
    page.show_record(station.records.patients.get(station.team.doctor, station.clinic.record_number))
    assert page.report_button.isEnabled()
    with qtbot.waitSignal(page.sig_report_requested) as newest:
        qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert newest.args == [station.clinic.second_visit]
    page.visits.setCurrentRow(1)  # the list shows the newest visit first
    with qtbot.waitSignal(page.sig_report_requested) as chosen:
        qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert chosen.args == [station.clinic.first_visit]
    page.clear()
    assert not page.report_button.isEnabled()


def test_the_printed_body_map_has_the_stations_outlines() -> None:
    def box(kind: str, values: tuple[float, ...]) -> tuple[float, ...]:
        if kind == "ellipse":
            cx, cy, rx, ry = values
            return (cx - rx, cy - ry, cx + rx, cy + ry)
        xs, ys = values[0::2], values[1::2]
        return (min(xs), min(ys), max(xs), max(ys))

    printed = sorted(tuple(round(v, 1) for v in box(kind, values)) for kind, values in body_figure.parts())
    rects = [part.outline.boundingRect() for part in body_map.PARTS]
    shown = sorted(tuple(round(v, 1) for v in (r.left(), r.top(), r.right(), r.bottom())) for r in rects)
    assert printed == shown
    assert (body_figure.UNIT_W, body_figure.UNIT_H) == (body_map.UNIT_W, body_map.UNIT_H)


def test_the_station_opens_the_report_from_the_patient_page_and_closes_it_on_lock(
    qtbot, main_window, tmp_path: Path
) -> None:
    from dermdesk.ui.records.records_dock import PATIENT
    from dermdesk.ui.shell.records_station import RecordsStation

    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    try:
        clock = Clock()
        attached = RecordsStation(main_window, clock=clock)
        qtbot.waitUntil(lambda: attached.session.records is not None, timeout=WAIT_MS)
        records = attached.session.records
        admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
        staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
        doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
        clinic = seed_clinic(records, Team(admin, staff, doctor), clock)
        attached.sign_in.close()
        attached.session.sign_in(doctor)
        assert attached.dock.open_patient(clinic.record_number) is not None
        assert attached.dock.pages.currentIndex() == PATIENT
        qtbot.mouseClick(attached.dock.patient_page.report_button, Qt.MouseButton.LeftButton)
        dialogs = [w for w in attached.patient_windows if isinstance(w, ReportDialog)]
        assert len(dialogs) == 1 and dialogs[0].visit == clinic.second_visit
        qtbot.waitUntil(lambda: bool(dialogs[0].pages), timeout=WAIT_MS)
        attached.session.lock()
        assert attached.patient_windows == []  # locking closes the report with the patient data
    finally:
        passwords.use_hasher(previous)
