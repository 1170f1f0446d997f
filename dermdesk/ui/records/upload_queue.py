"""Records ▸ Upload queue: what waits for the central service, what went, what failed and why.

Why a window of its own: cases leave in the background, so the clinic needs one place that says whether
they do — the counts, the last successful contact with the centre, when the next try is, the reason a
case did not go (in words a person can act on), and cases taken out because a patient withdrew
consent. From here a person retries cases refused for good (after fixing the cause), sends now, or
pauses sending. It shows picture numbers and states only: no names, no record numbers.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermdesk.sync.station_sender import QueueSnapshot
from dermdesk.sync.uploader import reason_in_words
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.sign_in_dialogs import ERROR_STYLE
from dermdesk.ui.records.central_link import CentralLink

FAILED = QColor("#f8d7da")
RETRYING = QColor("#fff3cd")
REMOVED = QColor("#e2e3e5")


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""


class UploadQueueView(QWidget):
    """The queue, refreshed from the link's snapshots; closes with the window."""

    def __init__(self, link: CentralLink, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("DermDesk — upload queue (central service)"))
        self.link = link
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.contact = QLabel(self)
        self.contact.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Case"),
                self.tr("Picture"),
                self.tr("State"),
                self.tr("Tries"),
                self.tr("When / reason"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.send_button = QPushButton(self.tr("Send now"), self)
        self.retry_button = QPushButton(self.tr("Retry failed"), self)
        self.pause_button = QPushButton(self)
        self.close_button = QPushButton(self.tr("Close"), self)
        buttons = QHBoxLayout()
        for button in (self.send_button, self.retry_button, self.pause_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.contact)
        layout.addWidget(self.problem)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.send_button.clicked.connect(link.send_now)
        self.retry_button.clicked.connect(link.retry_failed)
        self.pause_button.clicked.connect(lambda: self._toggle_pause())
        self.close_button.clicked.connect(self.close)
        link.sig_snapshot.connect(self.show_snapshot)
        fit_window(self, 900, 560)
        if link.snapshot is not None:
            self.show_snapshot(link.snapshot)
        link.refresh()

    def _toggle_pause(self) -> None:
        self.link.set_paused(not self.link.paused())

    def show_snapshot(self, snapshot: QueueSnapshot) -> None:
        link = self.link
        counts = snapshot.counts
        queued = counts.get("queued", 0) + counts.get("sending", 0)
        self.summary.setText(
            self.tr(
                "{queued} queued · {sent} sent · {failed} failed · {removed} removed (consent withdrawn)"
            ).format(
                queued=queued,
                sent=counts.get("sent", 0),
                failed=counts.get("failed", 0),
                removed=len(snapshot.removals),
            )
        )
        contact = snapshot.contact
        lines = [
            self.tr("Last successful contact: {when}").format(
                when=_when(contact.last_success) or self.tr("never")
            )
        ]
        if not link.configured():
            lines.append(
                self.tr("No central service is set up: an administrator enters it in Station settings.")
            )
        elif link.paused():
            lines.append(self.tr("Sending is paused at this station."))
        elif link.next_try is not None:
            lines.append(self.tr("Next try: {when}").format(when=_when(link.next_try)))
        self.contact.setText("\n".join(lines))
        problems = [reason_in_words(p) for p in (contact.problem, contact.clock_warning()) if p]
        outcome = link.last_outcome
        if outcome is not None and outcome.notes:
            problems += [n for n in outcome.notes if n not in problems and not outcome.skipped]
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        self.pause_button.setText(self.tr("Resume sending") if link.paused() else self.tr("Pause sending"))
        self.retry_button.setEnabled(counts.get("failed", 0) > 0)
        self._fill(snapshot)

    def _fill(self, snapshot: QueueSnapshot) -> None:
        self.table.setRowCount(0)
        for row in snapshot.rows:
            if row.state == "sent":
                state, detail, colour = self.tr("sent"), _when(row.sent_at), None
            elif row.state == "failed":
                state, detail, colour = self.tr("failed"), reason_in_words(row.last_error or ""), FAILED
            elif row.last_error:
                detail = reason_in_words(row.last_error)
                state, colour = self.tr("failed, will retry"), RETRYING
            elif row.state == "sending":
                state, detail, colour = self.tr("sending"), "", None
            else:
                state, detail, colour = self.tr("queued"), _when(row.queued_at), None
            self._add([str(row.entry_id), str(row.image_id), state, str(row.attempts), detail], colour)
        for removal in snapshot.removals:
            self._add(
                [
                    str(removal.entry_id),
                    str(removal.image_id),
                    self.tr("removed"),
                    "",
                    self.tr("consent withdrawn {when}; never sent").format(when=_when(removal.removed_at)),
                ],
                REMOVED,
            )

    def _add(self, values: list[str], colour: QColor | None) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 4:
                item.setToolTip(value)
            if colour is not None:
                item.setBackground(colour)
            self.table.setItem(index, column, item)

    def state_of(self, entry_id: int) -> str:
        """The State column of a case (tests and screen readers)."""
        for index in range(self.table.rowCount()):
            item = self.table.item(index, 0)
            if item is not None and item.text() == str(entry_id):
                state = self.table.item(index, 2)
                return state.text() if state is not None else ""
        return ""
