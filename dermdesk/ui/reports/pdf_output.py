"""Where a finished PDF goes from the window: a file the user chose, or a printer.

Shared by the report and referral-letter windows. Saving goes through the core's atomic writer
(`dermdesk.reports.write_pdf`), so a full disk or a read-only folder gives a `ReportError` a person can
act on and leaves neither a half-written file nor a changed old one. Printing paints the pages
rasterised by pdfium onto a `QPrinter`; a printer that is not there is named before anything is sent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QWidget

from dermdesk.reports import write_pdf
from dermdesk.reports.preview import PageImage
from dermdesk.settings import PaperSize

PAPER_IDS = {PaperSize.A4: QPageSize.PageSizeId.A4, PaperSize.LETTER: QPageSize.PageSizeId.Letter}


def new_printer(paper: PaperSize, name: str) -> QPrinter:
    """A printer set to `paper`, printing the whole sheet (the PDF has its own margins)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(PAPER_IDS[paper]))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName(name)
    return printer


def printer_problem(printer: QPrinter) -> str | None:
    """Why `printer` cannot print now (it is not installed or not there), or None when it can.

    A printer writing a PDF file always can; a named printer must be one the system lists (Qt quietly
    turns a printer it cannot find into a PDF writer with no file, which would print nothing)."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return None
    name = printer.printerName()
    if name and (name not in QPrinterInfo.availablePrinterNames() or not printer.isValid()):
        return QCoreApplication.translate(
            "pdf_output",
            "The printer {name!r} is not available (switched off, disconnected or "
            "removed); nothing was printed. Choose another printer or save the PDF.",
        ).format(name=name)
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat or not name:
        return QCoreApplication.translate(
            "pdf_output",
            "No printer is set up on this computer; nothing was printed. Save the PDF instead.",
        )
    return None


def paint_pages(printer: QPrinter, pages: tuple[PageImage, ...]) -> tuple[int, str]:
    """Paint `pages` on `printer`; the number printed and, when not all were, why."""
    problem = printer_problem(printer)
    if problem:
        return 0, problem
    painter = QPainter()
    if not painter.begin(printer):
        return 0, QCoreApplication.translate(
            "pdf_output", "The printer could not be started; check that it is connected and try again."
        )
    try:
        for index, page in enumerate(pages):
            if index and not printer.newPage():
                return index, QCoreApplication.translate(
                    "pdf_output", "The printer stopped after page {index}; the rest was not printed."
                ).format(index=index)
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            image = QImage(page.rgb, page.width, page.height, 3 * page.width, QImage.Format.Format_RGB888)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(pages), ""


def save_pdf(path: Path, data: bytes) -> Path:
    """Write the PDF shown to `path` (atomically); ReportError with a reason when it cannot be."""
    return write_pdf(path, data, what=QCoreApplication.translate("pdf_output", "save the PDF"))


def ask_save_path(parent: QWidget, suggested: str) -> QFileDialog:
    """A non-blocking Save PDF… dialog (Qt's own, so it looks the same on every system)."""
    dialog = QFileDialog(
        parent,
        QCoreApplication.translate("pdf_output", "Save PDF"),
        str(Path.home() / suggested),
        QCoreApplication.translate("pdf_output", "PDF documents (*.pdf)"),
    )
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def page_pixmap(page: PageImage) -> QPixmap:
    image = QImage(page.rgb, page.width, page.height, 3 * page.width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())  # copy: the QImage must not outlive the bytes it wraps
