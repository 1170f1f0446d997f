"""The visit report in the app: preview it, sign it off (doctors, password again), and print it.

Everything slow runs on the dialog's own TaskRunner: gathering the records and laying out the PDF,
signing off (password check, storing the new version), and rasterising pages with pdfium for the
preview and for the printer (`dermdesk.reports.preview`). The GUI thread only turns finished page
pictures into pixmaps and paints them on the printer. Closing the dialog (or the records locking,
which closes it) cancels and waits for its tasks.

Signing off asks for the doctor's password in a `PasswordDialog`; the records core checks it (a wrong
one counts towards the lock-out), stores the signed PDF as the visit's next immutable version and
audits it. Accounts that may not sign off see the core's explanation instead of an enabled button.
Printing is audited as an export of the report shown (draft or signed).

Save PDF… writes the document shown to a file through the core's atomic writer (a full disk leaves
nothing behind and says so), audited as an export. The "Show" list offers the draft made from the
records now and every signed version stored for the visit: choosing one reads it back from the record
exactly as signed (checked against its checksum, audited as a view), so after a restart version 1 is
opened, saved and printed again unchanged, and "Compare…" lists what changed between two versions.
"Referral letter…" opens the letter window for a lesion of this visit (doctors).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import Permission, PermissionDenied, RecordsError, ReportVersion, UserInfo
from dermdesk.records.access import require
from dermdesk.reports import ReportError
from dermdesk.reports.preview import (
    PageImage,
    RenderedReport,
    StoredVersion,
    compare_versions,
    draft_preview,
    open_version,
    print_pages,
    sign_visit_report,
)
from dermdesk.station import PatientInView
from dermdesk.tasks import TaskCancelledError, TaskState
from dermdesk.ui.common.patient_banner import PatientBanner
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.sign_in_dialogs import PasswordDialog, error_line
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.reports.diagnosis_form import BANNER_STYLE, NO_PATIENT_TO_SIGN
from dermdesk.ui.reports.pdf_output import (
    ask_save_path,
    new_printer,
    page_pixmap,
    paint_pages,
    printer_problem,
    save_pdf,
)
from dermdesk.ui.reports.referral_dialog import ReferralDialog

logger = logging.getLogger(__name__)

PAGE_STYLE = "background: white; border: 1px solid #9aa5ad;"
DRAFT_CHOICE = QT_TRANSLATE_NOOP("report_dialog", "Draft from the records now")


@dataclass(frozen=True)
class Refused:
    """The core refused (wrong password, empty visit, bad logo): an answer to show, not a crash."""

    error: RecordsError | ReportError


def answer(state: TaskState, fn: Callable[..., Any], *args: Any) -> Any:
    """Run a report task function on a worker, handing expected refusals back as `Refused`."""
    try:
        return fn(state, *args)
    except (RecordsError, ReportError) as exc:
        return Refused(exc)


def versions_text(versions: tuple[ReportVersion, ...]) -> str:
    """The visit's stored versions in a line, newest last."""
    if not versions:
        return QCoreApplication.translate(
            "report_dialog", "No signed version of this visit's report is stored yet."
        )
    signed = "; ".join(
        f"version {v.version} by {v.signed_by_name or v.signed_by}"
        + (f", {v.signed_at.astimezone():%Y-%m-%d %H:%M}" if v.signed_at else "")
        for v in versions
    )
    return QCoreApplication.translate(
        "report_dialog",
        "Stored in the patient's record: {signed}. Signing off again stores the next version.",
    ).format(signed=signed)


class ReportDialog(QWidget):
    """A window with the report's pages and what can be done with them."""

    sig_shown = Signal(int)
    """The number of pages now shown (after the preview or a sign-off)."""
    sig_signed = Signal(object)
    """The ReportVersion stored by a sign-off in this dialog."""
    sig_printed = Signal(int)
    """The number of pages sent to the printer."""
    sig_failed = Signal(str)
    """Why the report could not be made, signed or printed (also shown in the dialog)."""
    sig_saved = Signal(str)
    """The path a Save PDF… wrote the document shown to."""
    sig_version_shown = Signal(int)
    """The number of the stored signed version now shown."""
    sig_compared = Signal(list)
    """The lines that changed between two signed versions ("- " removed, "+ " added)."""

    def __init__(
        self,
        session: RecordsSession,
        record_number: str,
        visit: date | None,
        parent: QWidget | None = None,
        *,
        preview_dpi: float = 110.0,
        patient: PatientInView | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.patient = patient
        self.patient_banner = PatientBanner(patient=patient, parent=self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._session = session
        self.record_number = record_number
        self.visit = visit
        self.preview_dpi = preview_dpi
        self.rendered: RenderedReport | None = None
        self.password_dialog: PasswordDialog | None = None
        self.print_dialog: QPrintDialog | None = None
        self.printer: QPrinter | None = None
        self._printing_pdf = b""
        self.shown_pdf = b""  # the document on screen: the draft, the just-signed or a stored version
        self.shown_version: int | None = None  # a stored version's number, None for the draft
        self.save_dialog: QFileDialog | None = None
        self.letter_window: ReferralDialog | None = None
        self.compare_view: QPlainTextEdit | None = None
        self._versions: tuple[ReportVersion, ...] = ()
        self._compared = (0, 0)
        self.pages: list[QLabel] = []
        self.can_sign = False
        self.tasks = TaskRunner(self, max_threads=1)
        when = visit.isoformat() if visit else self.tr("latest visit")
        self.setWindowTitle(
            self.tr("DermDesk — report of {record_number}, {when}").format(
                record_number=record_number, when=when
            )
        )
        fit_window(self, 1000, 820)
        self._build()
        self._apply_permission()
        self.refresh()

    # --- construction ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.status = QLabel(self.tr("Preparing the report…"), self)
        self.status.setWordWrap(True)
        self.versions_label = QLabel(self)
        self.versions_label.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.error = error_line(self)
        self.page_column = QWidget(self)
        self.page_layout = QVBoxLayout(self.page_column)
        self.page_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_layout.setSpacing(12)
        self.page_scroll = QScrollArea(self)  # not `scroll`: that is QWidget.scroll()
        self.page_scroll.setWidget(self.page_column)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setStyleSheet("QScrollArea { background: #5f6b73; }")
        self.sign_button = QPushButton(self.tr("Sign off and save…"), self)
        self.sign_button.setToolTip(
            self.tr("Doctors: sign the report with your password; it is stored unchanged")
        )
        self.save_button = QPushButton(self.tr("Save PDF…"), self)
        self.save_button.setToolTip(self.tr("Write the document shown to a PDF file"))
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.letter_button = QPushButton(self.tr("Referral letter…"), self)
        self.letter_button.setToolTip(self.tr("Doctors: write a referral letter for a lesion of this visit"))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.version_choice = QComboBox(self)
        self.version_choice.setToolTip(
            self.tr("The draft from the records now, or a signed version as stored")
        )
        self.version_choice.addItem(QCoreApplication.translate("report_dialog", DRAFT_CHOICE), None)
        self.compare_button = QPushButton(self.tr("Compare…"), self)
        self.compare_button.setToolTip(self.tr("What changed between the two newest signed versions"))
        self.compare_button.setEnabled(False)
        choice_row = QHBoxLayout()
        choice_row.addWidget(QLabel(self.tr("Show:"), self))
        choice_row.addWidget(self.version_choice, 1)
        choice_row.addWidget(self.compare_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.letter_button)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.patient_banner)
        column.addWidget(self.banner)
        column.addLayout(choice_row)
        column.addWidget(self.versions_label)
        column.addWidget(self.page_scroll, 1)
        column.addWidget(self.error)
        column.addLayout(buttons)
        self.sign_button.clicked.connect(self.ask_password)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.letter_button.clicked.connect(self.open_letter)
        self.compare_button.clicked.connect(self._on_compare_clicked)
        self.version_choice.activated.connect(self._on_version_chosen)
        self.close_button.clicked.connect(self.close)
        self._set_busy(True)

    def _apply_permission(self) -> None:
        user = self._session.clinical_user
        try:
            if user is None:
                raise PermissionDenied(self.tr("Sign in to sign reports off."))
            require(user, Permission.SIGN_OFF)
        except PermissionDenied as exc:
            self.can_sign = False
            self.banner.setText(self.tr("{exc} You can preview and print the draft.").format(exc=exc))
            self.banner.show()
            return
        self.can_sign = True

    def _set_busy(self, busy: bool, message: str = "") -> None:
        if message:
            self.status.setText(message)
        ready = not busy and self.rendered is not None
        self.sign_button.setEnabled(ready and self.can_sign and self.shown_version is None)
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.letter_button.setEnabled(ready and self.can_sign)
        self.version_choice.setEnabled(not busy)
        self.compare_button.setEnabled(not busy and len(self._versions) >= 2)

    # --- the preview -----------------------------------------------------------------------------

    def _user_and_records(self) -> tuple[UserInfo, Any] | None:
        user, records = self._session.clinical_user, self._session.records
        if user is None or records is None:
            self.show_error(self.tr("The records are locked; sign in again."))
            return None
        return user, records

    def refresh(self) -> None:
        """Gather and lay out the draft on a worker; the pages follow."""
        found = self._user_and_records()
        if found is None:
            return
        user, records = found
        self._set_busy(True, self.tr("Preparing the report…"))
        args = (records, user, self.record_number, self.visit, self._session.settings, self.preview_dpi)
        self.tasks.start(answer, draft_preview, *args, name="report-preview", on_done=self._on_rendered)

    def _on_rendered(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError):
            return
        outcome = self._outcome(result, error, self.tr("The report could not be prepared"))
        if outcome is None:
            self._set_busy(False, self.tr("No report to show."))
            return
        self._show(outcome)

    def _outcome(self, result: object, error: BaseException | None, what: str) -> RenderedReport | None:
        if isinstance(result, Refused):
            self.show_error(str(result.error))
            return None
        if error is not None or not isinstance(result, RenderedReport):
            self.show_error(f"{what}: {error}")
            return None
        return result

    def _show_pages(self, pages: tuple[PageImage, ...]) -> None:
        for label in self.pages:
            label.deleteLater()
        self.pages = []
        for page in pages:
            label = QLabel(self.page_column)
            label.setPixmap(page_pixmap(page))
            label.setStyleSheet(PAGE_STYLE)
            self.page_layout.addWidget(label)
            self.pages.append(label)

    def _list_versions(self, versions: tuple[ReportVersion, ...]) -> None:
        """Offer the draft and every stored signed version in the "Show" list."""
        self._versions = versions
        self.version_choice.clear()
        self.version_choice.addItem(QCoreApplication.translate("report_dialog", DRAFT_CHOICE), None)
        for v in versions:
            when = f", {v.signed_at.astimezone():%Y-%m-%d %H:%M}" if v.signed_at else ""
            self.version_choice.addItem(
                self.tr("Signed version {version} — {value}{when}").format(
                    version=v.version, value=v.signed_by_name or v.signed_by, when=when
                ),
                v.version,
            )
        index = self.version_choice.findData(self.shown_version)
        self.version_choice.setCurrentIndex(max(index, 0))

    def _show(self, rendered: RenderedReport) -> None:
        self.rendered = rendered
        self.shown_pdf = rendered.pdf
        self.shown_version = rendered.version.version if rendered.version else None
        self._show_pages(rendered.pages)
        self.show_error("")
        self.versions_label.setText(versions_text(rendered.versions))
        self._list_versions(rendered.versions)
        report = rendered.report
        count = len(rendered.pages)
        if report.sign_off is None:
            state = self.tr("Draft — not signed off")
        else:
            state = self.tr("Signed off by {signed_by}, version {version} (saved)").format(
                signed_by=report.sign_off.signed_by, version=report.sign_off.version
            )
        self._set_busy(
            False,
            self.tr("{isoformat} · {lesions} lesion(s) · {count} page(s) · {state}").format(
                isoformat=report.visit_date.isoformat(), lesions=len(report.lesions), count=count, state=state
            ),
        )
        self.sig_shown.emit(count)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message:
            logger.info("Report dialog: %s", message)
            self.sig_failed.emit(message)

    # --- signing off -----------------------------------------------------------------------------

    def ask_password(self) -> None:
        found = self._user_and_records()
        if found is None or self.rendered is None:
            return
        user, _ = found
        if self.patient is None or self.patient.record_number != self.record_number:
            self.show_error(QCoreApplication.translate("diagnosis_form", NO_PATIENT_TO_SIGN))
            return
        purpose = self.tr(
            "Sign the report of {isoformat} off; it is stored unchanged in the "
            "patient's record as a new version."
        ).format(isoformat=self.rendered.report.visit_date.isoformat())
        # Bound methods only (no lambdas holding the dialog): the dialog deletes itself on close.
        dialog = PasswordDialog(user.username, purpose, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_submitted.connect(self.sign)
        dialog.finished.connect(self._on_password_dialog_finished)
        self.password_dialog = dialog
        dialog.open()

    def _on_password_dialog_finished(self, _result: int) -> None:
        self.password_dialog = None

    def sign(self, password: str) -> None:
        """Sign off with `password` on a worker; the password dialog (if open) shows the core's answer."""
        found = self._user_and_records()
        if found is None:
            if self.password_dialog is not None:
                self.password_dialog.show_error(self.tr("The records are locked; sign in again."))
            return
        user, records = found
        self._set_busy(True, self.tr("Signing off…"))
        settings = self._session.settings
        args = (records, user, self.record_number, self.visit, settings, password, self.preview_dpi)
        self.tasks.start(answer, sign_visit_report, *args, name="report-sign-off", on_done=self._on_signed)

    def _on_signed(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError):
            return
        dialog = self.password_dialog
        if isinstance(result, Refused) and dialog is not None:
            self._set_busy(False, self.status.text())
            dialog.show_error(str(result.error))
            return
        outcome = self._outcome(result, error, self.tr("The report could not be signed off"))
        if outcome is None or outcome.version is None:
            self._set_busy(False, self.status.text())
            return
        if dialog is not None:
            dialog.accept()
        self._show(outcome)
        version: ReportVersion = outcome.version
        logger.info("Report of %s signed off as version %d", self.record_number, version.version)
        self._session.patient_changed(self.record_number)
        self.sig_signed.emit(version)

    # --- printing --------------------------------------------------------------------------------

    def new_printer(self) -> QPrinter:
        """A printer set to the report's paper, printing the whole sheet (the PDF has its margins)."""
        paper = self.rendered.report.paper if self.rendered else self._session.settings.paper_size
        return new_printer(paper, self.windowTitle())

    def _on_print_clicked(self) -> None:
        self.printer = self.new_printer()
        dialog = QPrintDialog(self.printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_print_dialog_accepted)
        dialog.finished.connect(self._on_print_dialog_finished)
        self.print_dialog = dialog
        # QDialog.open(), window-modal and not blocking: PySide6's QPrintDialog.open only offers the
        # (receiver, member) overload and raises a TypeError when called without arguments.
        QDialog.open(dialog)

    def _on_print_dialog_accepted(self) -> None:
        if self.printer is not None:
            self.print_to(self.printer)

    def _on_print_dialog_finished(self, _result: int) -> None:
        self.print_dialog = None

    def print_to(self, printer: QPrinter) -> None:
        """Rasterise the document shown at the printer's resolution on a worker, then print it.

        A printer that is not there is refused at once, before any work. The printer is kept by the
        dialog (never by a lambda of a signal connection), so it is not destroyed while Qt tears a
        connection down."""
        if self.rendered is None or not self.shown_pdf:
            return
        problem = printer_problem(printer)
        if problem:
            self.show_error(problem)
            return
        self.printer = printer
        self._printing_pdf = self.shown_pdf
        self._set_busy(True, self.tr("Preparing the pages for the printer…"))
        dpi = float(printer.resolution())
        self.tasks.start(
            answer, print_pages, self._printing_pdf, dpi, name="report-print", on_done=self._on_print_pages
        )

    def _on_print_pages(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError) or self.printer is None:
            return
        if isinstance(result, Refused) or error is not None or not isinstance(result, tuple):
            reason = result.error if isinstance(result, Refused) else error
            self._set_busy(False, self.status.text())
            self.show_error(self.tr("The report could not be printed: {reason}").format(reason=reason))
            return
        printed, problem = paint_pages(self.printer, result)
        self._set_busy(False, self.status.text())
        if problem:
            self.show_error(problem)
        if printed:
            self._audit_export("printed", self._printing_pdf)
            self.sig_printed.emit(printed)

    # --- saving ----------------------------------------------------------------------------------

    def suggested_name(self) -> str:
        day = self.rendered.report.visit_date.isoformat() if self.rendered else "visit"
        which = f"signed-v{self.shown_version}" if self.shown_version else "draft"
        return f"report-{self.record_number}-{day}-{which}.pdf"

    def _on_save_clicked(self) -> None:
        dialog = ask_save_path(self, self.suggested_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_save_path_chosen)
        dialog.finished.connect(self._on_save_dialog_finished)
        self.save_dialog = dialog
        dialog.open()

    def _on_save_path_chosen(self, path: str) -> None:
        if path:
            self.save_pdf_to(Path(path))

    def _on_save_dialog_finished(self, _result: int) -> None:
        self.save_dialog = None

    def save_pdf_to(self, path: Path) -> Path | None:
        """Write the document shown to `path`; the path written, or None with the reason shown."""
        if not self.shown_pdf:
            return None
        try:
            written = save_pdf(path, self.shown_pdf)
        except ReportError as exc:
            self.show_error(str(exc))
            return None
        self.show_error("")
        self.status.setText(self.tr("Saved to {written}").format(written=written))
        self._audit_export("saved", self.shown_pdf)
        self.sig_saved.emit(str(written))
        return written

    def _audit_export(self, how: str, pdf: bytes) -> None:
        """Audit the document shown leaving the station: printed or saved, draft or signed."""
        found = self._user_and_records()
        if found is None or self.rendered is None:
            return
        user, records = found
        kind = f"{how} {'signed ' if self.shown_version else ''}visit report"  # the audit log's words
        try:
            records.reports.record_export(
                user,
                self.record_number,
                kind,
                hashlib.sha256(pdf).hexdigest(),
                visit_id=self.rendered.report.visit_id,
            )
        except RecordsError as exc:
            self.show_error(
                self.tr("Done, but it could not be recorded in the audit log: {exc}").format(exc=exc)
            )

    # --- signed versions -------------------------------------------------------------------------

    def _on_version_chosen(self, index: int) -> None:
        number = self.version_choice.itemData(index)
        if number is None:
            self.shown_version = None
            self.refresh()
        else:
            self.show_version(int(number))

    def show_version(self, number: int) -> None:
        """Read signed version `number` back from the record and show it as stored (worker)."""
        found = self._user_and_records()
        if found is None:
            return
        user, records = found
        visit = self.rendered.report.visit_id if self.rendered else self.visit
        self._set_busy(True, self.tr("Opening signed version {number}…").format(number=number))
        args = (records, user, self.record_number, visit, number, self.preview_dpi)
        self.tasks.start(answer, open_version, *args, name="report-version", on_done=self._on_version_opened)

    def _on_version_opened(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError):
            return
        if isinstance(result, Refused) or error is not None or not isinstance(result, StoredVersion):
            reason = result.error if isinstance(result, Refused) else error
            self._set_busy(False, self.status.text())
            self.show_error(self.tr("The signed version could not be opened: {reason}").format(reason=reason))
            return
        version = result.version
        self.shown_version = version.version
        self.shown_pdf = result.pdf
        self._show_pages(result.pages)
        self.show_error("")
        index = self.version_choice.findData(version.version)
        if index >= 0:
            self.version_choice.setCurrentIndex(index)
        when = f" on {version.signed_at.astimezone():%Y-%m-%d %H:%M}" if version.signed_at else ""
        self._set_busy(
            False,
            self.tr("Signed version {version} by {value}{when}, as stored · {pages} page(s)").format(
                version=version.version,
                value=version.signed_by_name or version.signed_by,
                when=when,
                pages=len(result.pages),
            ),
        )
        self.sig_version_shown.emit(version.version)

    def _on_compare_clicked(self) -> None:
        if len(self._versions) >= 2:
            self.compare(self._versions[-2].version, self._versions[-1].version)

    def compare(self, older: int, newer: int) -> None:
        """List what changed in the text between two signed versions (worker), in a window."""
        found = self._user_and_records()
        if found is None:
            return
        user, records = found
        visit = self.rendered.report.visit_id if self.rendered else self.visit
        self._compared = (older, newer)
        self._set_busy(
            True, self.tr("Comparing versions {older} and {newer}…").format(older=older, newer=newer)
        )
        args = (records, user, self.record_number, visit, older, newer)
        self.tasks.start(answer, compare_versions, *args, name="report-compare", on_done=self._on_compared)

    def _on_compared(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError):
            return
        self._set_busy(False, self.status.text())
        if isinstance(result, Refused) or error is not None or not isinstance(result, list):
            reason = result.error if isinstance(result, Refused) else error
            self.show_error(self.tr("The versions could not be compared: {reason}").format(reason=reason))
            return
        older, newer = self._compared
        view = QPlainTextEdit(self)
        view.setWindowFlag(Qt.WindowType.Window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.setReadOnly(True)
        view.setWindowTitle(
            self.tr("DermDesk — signed versions {older} and {newer} compared").format(
                older=older, newer=newer
            )
        )
        head = self.tr("Lines removed from version {older} (-) and added in version {newer} (+):\n\n").format(
            older=older, newer=newer
        )
        view.setPlainText(head + ("\n".join(result) or self.tr("The two versions say the same.")))
        fit_window(view, 760, 520)
        view.show()
        self.compare_view = view
        self.sig_compared.emit(result)

    # --- the referral letter ---------------------------------------------------------------------

    def open_letter(self) -> ReferralDialog | None:
        """The referral-letter window for a lesion of this visit."""
        if self.rendered is None:
            return None
        labels = [section.label for section in self.rendered.report.lesions]
        window = ReferralDialog(
            self._session,
            self.record_number,
            labels,
            self,
            patient=self.patient,
            preview_dpi=self.preview_dpi,
        )
        window.show()
        self.letter_window = window
        return window
