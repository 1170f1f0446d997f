"""The referral letter in the window: choose the lesion, say to whom and why, look, save or print.

The letter is laid out on the window's own TaskRunner (`dermdesk.reports.preview.letter_preview`) from
the records as they are; the core refuses a letter nobody has a reason for, or one written by an
account that may not diagnose, and the refusal is shown here. Saving and printing go through the same
helpers as the report (`pdf_output`) and are audited as exports of the letter.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import RecordsError
from dermdesk.reports import ReportError
from dermdesk.reports.preview import PageImage, RenderedLetter, letter_preview, print_pages
from dermdesk.station import PatientInView
from dermdesk.tasks import TaskCancelledError, TaskState
from dermdesk.ui.common.patient_banner import PatientBanner
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.sign_in_dialogs import error_line
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.reports.pdf_output import (
    ask_save_path,
    new_printer,
    page_pixmap,
    paint_pages,
    printer_problem,
    save_pdf,
)

logger = logging.getLogger(__name__)

PAGE_STYLE = "background: white; border: 1px solid #9aa5ad;"


def _answer(state: TaskState, fn: object, *args: object) -> object:
    try:
        return fn(state, *args)  # type: ignore[operator]
    except (RecordsError, ReportError) as exc:
        return exc


class ReferralDialog(QWidget):
    """A window that writes a referral letter for one lesion and saves or prints it."""

    sig_shown = Signal(int)
    """The number of pages of the letter now shown."""
    sig_saved = Signal(str)
    """The path the letter was saved to."""
    sig_printed = Signal(int)
    """The number of pages sent to the printer."""
    sig_failed = Signal(str)
    """Why the letter could not be made, saved or printed (also shown in the window)."""

    def __init__(
        self,
        session: RecordsSession,
        record_number: str,
        lesion_labels: list[str],
        parent: QWidget | None = None,
        *,
        patient: PatientInView | None = None,
        preview_dpi: float = 110.0,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._session = session
        self.record_number = record_number
        self.preview_dpi = preview_dpi
        self.rendered: RenderedLetter | None = None
        self.printer: QPrinter | None = None
        self.save_dialog: QFileDialog | None = None
        self.pages: list[QLabel] = []
        self.tasks = TaskRunner(self, max_threads=1)
        self.setWindowTitle(
            self.tr("DermDesk — referral letter for {record_number}").format(record_number=record_number)
        )
        fit_window(self, 900, 780)
        self.patient_banner = PatientBanner(patient=patient, parent=self)
        self.lesion = QComboBox(self)
        self.lesion.addItems(lesion_labels)
        self.recipient = QLineEdit(self)
        self.recipient.setPlaceholderText(self.tr("Dr A. Specialist, City Skin Clinic"))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why you refer (needed when the model did not advise it)"))
        form = QFormLayout()
        form.addRow(self.tr("Lesion"), self.lesion)
        form.addRow(self.tr("To (name, clinic)"), self.recipient)
        form.addRow(self.tr("Your reason"), self.reason)
        self.make_button = QPushButton(self.tr("Write the letter"), self)
        self.save_button = QPushButton(self.tr("Save PDF…"), self)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.status = QLabel(self.tr("Choose the lesion and say to whom the letter goes."), self)
        self.status.setWordWrap(True)
        self.error = error_line(self)
        self.page_column = QWidget(self)
        self.page_layout = QVBoxLayout(self.page_column)
        self.page_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_scroll = QScrollArea(self)
        self.page_scroll.setWidget(self.page_column)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setStyleSheet("QScrollArea { background: #5f6b73; }")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.make_button, self.save_button, self.print_button, self.close_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.patient_banner)
        column.addLayout(form)
        column.addWidget(self.page_scroll, 1)
        column.addWidget(self.error)
        column.addLayout(buttons)
        self.make_button.clicked.connect(self.make_letter)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.close_button.clicked.connect(self.close)
        self._set_busy(False)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        if message:
            self.status.setText(message)
        ready = not busy and self.rendered is not None
        self.make_button.setEnabled(not busy)
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message:
            logger.info("Referral letter: %s", message)
            self.sig_failed.emit(message)

    # --- the letter ------------------------------------------------------------------------------

    def make_letter(self) -> None:
        """Lay the letter out from the records on a worker; the pages follow."""
        user, records = self._session.clinical_user, self._session.records
        if user is None or records is None:
            self.show_error(self.tr("The records are locked; sign in again."))
            return
        self._set_busy(True, self.tr("Writing the letter…"))
        args = (
            records,
            user,
            self.record_number,
            self.lesion.currentText(),
            self.recipient.text(),
            self._session.settings,
            self.reason.text().strip() or None,
            self.preview_dpi,
        )
        self.tasks.start(_answer, letter_preview, *args, name="referral-letter", on_done=self._on_made)

    def _on_made(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError):
            return
        if not isinstance(result, RenderedLetter):
            self._set_busy(False, self.tr("No letter to show."))
            self.show_error(str(result if isinstance(result, Exception) else error))
            return
        self.rendered = result
        for label in self.pages:
            label.deleteLater()
        self.pages = []
        for page in result.pages:
            label = QLabel(self.page_column)
            label.setPixmap(page_pixmap(page))
            label.setStyleSheet(PAGE_STYLE)
            self.page_layout.addWidget(label)
            self.pages.append(label)
        self.show_error("")
        letter = result.letter
        self._set_busy(
            False,
            self.tr("Letter about lesion {label} to {recipient_name} · {pages} page(s)").format(
                label=letter.lesion.label, recipient_name=letter.recipient_name, pages=len(result.pages)
            ),
        )
        self.sig_shown.emit(len(result.pages))

    # --- saving and printing ---------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        label = self.rendered.letter.lesion.label if self.rendered else "lesion"
        dialog = ask_save_path(
            self,
            f"referral-{self.record_number}-{label}.pdf",
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_save_path_chosen)
        self.save_dialog = dialog
        dialog.open()

    def _on_save_path_chosen(self, path: str) -> None:
        if path:
            self.save_pdf_to(Path(path))

    def save_pdf_to(self, path: Path) -> Path | None:
        """Write the letter to `path`; the path written, or None with the reason shown."""
        if self.rendered is None:
            return None
        try:
            written = save_pdf(path, self.rendered.pdf)
        except ReportError as exc:
            self.show_error(str(exc))
            return None
        self.show_error("")
        self.status.setText(self.tr("Saved to {written}").format(written=written))
        self._audit("saved referral letter", self.rendered.pdf)
        self.sig_saved.emit(str(written))
        return written

    def new_printer(self) -> QPrinter:
        paper = self.rendered.letter.paper if self.rendered else self._session.settings.paper_size
        return new_printer(paper, self.windowTitle())

    def _on_print_clicked(self) -> None:
        self.printer = self.new_printer()
        dialog = QPrintDialog(self.printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_print_dialog_accepted)
        QDialog.open(dialog)

    def _on_print_dialog_accepted(self) -> None:
        if self.printer is not None:
            self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> None:
        """Rasterise the letter at the printer's resolution on a worker, then print it."""
        if self.rendered is None:
            return
        problem = printer_problem(printer)
        if problem:
            self.show_error(problem)
            return
        self.printer = printer
        self._set_busy(True, self.tr("Preparing the pages for the printer…"))
        args = (self.rendered.pdf, float(printer.resolution()))
        self.tasks.start(_answer, print_pages, *args, name="letter-print", on_done=self._on_print_pages)

    def _on_print_pages(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError) or self.printer is None or self.rendered is None:
            return
        self._set_busy(False, self.status.text())
        if not isinstance(result, tuple):
            self.show_error(
                self.tr("The letter could not be printed: {value}").format(
                    value=result if error is None else error
                )
            )
            return
        pages: tuple[PageImage, ...] = result
        printed, problem = paint_pages(self.printer, pages)
        if problem:
            self.show_error(problem)
        if printed:
            self._audit("printed referral letter", self.rendered.pdf)
            self.sig_printed.emit(printed)

    def _audit(self, kind: str, pdf: bytes) -> None:
        user, records = self._session.clinical_user, self._session.records
        if user is None or records is None or self.rendered is None:
            return
        try:
            records.reports.record_export(
                user,
                self.record_number,
                kind,
                hashlib.sha256(pdf).hexdigest(),
                lesion=self.rendered.letter.lesion.label,
            )
        except RecordsError as exc:
            self.show_error(
                self.tr("Done, but it could not be recorded in the audit log: {exc}").format(exc=exc)
            )
