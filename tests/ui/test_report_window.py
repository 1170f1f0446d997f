"""Issue 19's "Done when" for reports, offscreen with pytest-qt: a doctor signs the report off, saves the
PDF, prints it to a QPrinter writing a PDF file, writes a referral letter, and after a restart of the
records opens signed version 1 again, saves and prints it unchanged, and compares versions. Every PDF is
read back (text and fonts). Bad input: a printer that is not there, a full disk on Save PDF."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from records.helpers import PASSWORD, Clock, Team
from reports import pdf
from reports.seed import Clinic, seed_clinic

import dermdesk.files
from dermdesk.records import Records, SecurityPolicy, passwords
from dermdesk.records.reports import report_relative_path
from dermdesk.settings import DermDeskSettings, load_settings
from dermdesk.station import PatientInView
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.reports.report_dialog import DRAFT_CHOICE, ReportDialog

WAIT_MS = 30_000
CLINIC = "Hautarztpraxis Am Stadtpark"


@dataclass
class Station:
    settings: DermDeskSettings
    clock: Clock
    records: Records
    team: Team
    clinic: Clinic
    host: QWidget


@pytest.fixture
def station(qtbot, station_dirs, monkeypatch) -> Iterator[Station]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("DERMDESK_CLINIC_NAME", CLINIC)
    monkeypatch.setenv("DERMDESK_CLINIC_PHONE", "+49 30 1234567")
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
    station = Station(settings, clock, records, team, clinic, host)
    yield station
    station.records.close()
    passwords.use_hasher(previous)


def open_report(qtbot, station: Station) -> ReportDialog:
    session = RecordsSession(station.settings, TaskRunner(station.host), station.host, clock=station.clock)
    session.records = station.records
    session.sign_in(station.team.doctor)
    record = station.records.patients.get(station.team.doctor, station.clinic.record_number)
    dialog = ReportDialog(
        session, station.clinic.record_number, None, preview_dpi=40, patient=PatientInView.of(record)
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_shown, timeout=WAIT_MS):
        dialog.show()
    return dialog


def pdf_printer(dialog: ReportDialog, target: Path) -> QPrinter:
    printer = dialog.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(50)  # quick; a real printer gets up to 300 dpi
    return printer


def assert_fonts_embedded(data: bytes) -> None:
    fonts = pdf.fonts(data)
    assert fonts and all(font.embedded_as == "FontFile2" for font in fonts.values()), fonts


def restart(station: Station) -> None:
    """Close the records and open them again from the same files, as a station restart does."""
    station.records.close()
    station.records = Records.open(station.settings, clock=station.clock, policy=SecurityPolicy())


def test_sign_off_save_print_letter_and_reopen_version_one_after_a_restart(
    qtbot, station: Station, tmp_path: Path
) -> None:
    dialog = open_report(qtbot, station)
    assert dialog.version_choice.count() == 1 and dialog.version_choice.itemText(0) == DRAFT_CHOICE
    with qtbot.waitSignal(dialog.sig_signed, timeout=WAIT_MS) as signed:
        dialog.sign(PASSWORD)
    version = signed.args[0]
    stored = (station.records.store.root / report_relative_path(version.sha256)).read_bytes()

    # Save PDF…: the signed report, byte for byte as stored, read back.
    saved = tmp_path / "saved.pdf"
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT_MS):
        dialog.save_pdf_to(saved)
    assert saved.read_bytes() == stored
    text = " ".join(pdf.texts(stored))
    assert "Signed off by Dr Dora Derm, doctor (dora)" in text and CLINIC in text
    assert "Tel. +49 30 1234567" in text and "DRAFT" not in text
    assert_fonts_embedded(stored)

    # Print… to a QPrinter in PDF output mode.
    printed = tmp_path / "printed.pdf"
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT_MS) as done:
        dialog.print_to(pdf_printer(dialog, printed))
    assert done.args[0] == len(pdf.texts(stored)) == len(PdfReader(printed).pages)

    # The referral letter for the suspicious lesion.
    letter = dialog.open_letter()
    assert letter is not None
    qtbot.addWidget(letter)
    letter.lesion.setCurrentText("L2")
    letter.recipient.setText("Dr A. Specialist, City Skin Clinic")
    with qtbot.waitSignal(letter.sig_shown, timeout=WAIT_MS):
        letter.make_letter()
    letter_file = tmp_path / "letter.pdf"
    with qtbot.waitSignal(letter.sig_saved, timeout=WAIT_MS):
        letter.save_pdf_to(letter_file)
    letter_text = " ".join(pdf.texts(letter_file.read_bytes()))
    for expected in ("Referral to a dermatologist", "Dr A. Specialist", "City Skin Clinic", CLINIC):
        assert expected in letter_text, expected
    assert "Findings" in letter_text and "Referring doctor" in letter_text
    assert_fonts_embedded(letter_file.read_bytes())
    with qtbot.waitSignal(letter.sig_printed, timeout=WAIT_MS):
        letter.print_to(pdf_printer(dialog, tmp_path / "letter-printed.pdf"))
    letter.close()
    dialog.close()

    # After a restart the report opens as a draft, and signed version 1 is there to open unchanged.
    restart(station)
    again = open_report(qtbot, station)
    assert "Draft" in again.status.text()
    assert again.version_choice.count() == 2
    assert again.version_choice.itemText(1).startswith("Signed version 1 — Dr Dora Derm")
    with qtbot.waitSignal(again.sig_version_shown, timeout=WAIT_MS):
        again.version_choice.setCurrentIndex(1)
        again.version_choice.activated.emit(1)
    assert again.shown_pdf == stored and not again.sign_button.isEnabled()
    assert "Signed version 1 by Dr Dora Derm" in again.status.text()
    reopened = tmp_path / "version-1-again.pdf"
    with qtbot.waitSignal(again.sig_saved, timeout=WAIT_MS):
        again.save_pdf_to(reopened)
    assert reopened.read_bytes() == stored
    with qtbot.waitSignal(again.sig_printed, timeout=WAIT_MS):
        again.print_to(pdf_printer(again, tmp_path / "version-1-printed.pdf"))
    kinds = [e.detail["kind"] for e in station.records.audit.list(station.team.admin, action="export")]
    for kind in ("saved signed visit report", "printed signed visit report", "saved referral letter"):
        assert kind in kinds, kind

    # A second sign-off, then the two versions compared.
    with qtbot.waitSignal(again.version_choice.activated, timeout=WAIT_MS):
        again.version_choice.setCurrentIndex(0)
        again.version_choice.activated.emit(0)
    qtbot.waitUntil(lambda: again.sign_button.isEnabled(), timeout=WAIT_MS)
    with qtbot.waitSignal(again.sig_signed, timeout=WAIT_MS):
        again.sign(PASSWORD)
    assert again.compare_button.isEnabled()
    with qtbot.waitSignal(again.sig_compared, timeout=WAIT_MS) as compared:
        again.compare_button.click()
    changes = compared.args[0]
    assert any(line.startswith("-") and "version 1" in line for line in changes), changes
    assert any(line.startswith("+") and "version 2" in line for line in changes), changes
    again.close()


def test_a_printer_that_is_not_there_is_named_and_nothing_is_printed(
    qtbot, station: Station, tmp_path: Path
) -> None:
    dialog = open_report(qtbot, station)
    printer = dialog.new_printer()
    printer.setPrinterName("Ward 3 laser")
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT_MS) as failed:
        dialog.print_to(printer)
    # Qt keeps the name of a printer the system lists but cannot reach ("... 'Ward 3 laser' is not
    # available"), and forgets a name no print system knows (as here, with no CUPS): both are refused.
    message = failed.args[0]
    assert "nothing was printed" in message
    assert "'Ward 3 laser' is not available" in message or "No printer is set up" in message
    assert dialog.error.isVisible() and dialog.print_button.isEnabled()
    assert station.records.audit.list(station.team.admin, action="export") == []
    dialog.close()


def test_a_full_disk_on_save_pdf_says_so_and_keeps_the_old_file(
    qtbot, station: Station, tmp_path: Path, monkeypatch
) -> None:
    dialog = open_report(qtbot, station)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.pdf"
    target.write_bytes(b"%PDF-1.4 the earlier copy")

    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dermdesk.files, "_write_all", disk_full)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT_MS) as failed:
        assert dialog.save_pdf_to(target) is None
    assert "is full" in failed.args[0] and "Nothing was written" in failed.args[0]
    assert target.read_bytes() == b"%PDF-1.4 the earlier copy"
    assert sorted(p.name for p in folder.iterdir()) == ["report.pdf"]  # no temp file left behind
    monkeypatch.undo()
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT_MS):
        dialog.save_pdf_to(target)
    assert target.read_bytes() == dialog.shown_pdf
    dialog.close()
