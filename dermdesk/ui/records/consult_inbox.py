"""The consult inbox: every teleconsultation with its state, the specialists' replies, and what waits.

Answers waiting for a clinic doctor's acknowledgement are marked; an urgent consult unanswered past the
configured time is shown as escalated, with the advice to refer in person. When the specialist asked for
more, "Send more information…" sends newer stills of the lesion and/or a clip of a few seconds recorded
from the live picture (WebM, read back before it is queued). "Check for answers" runs one pass of the
consult sender on a worker: the outbox is sent and replies are filed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermdesk.consults import desk
from dermdesk.consults.clips import Clip, ClipRefused, write_clip
from dermdesk.consults.sender import ConsultRunReport, ConsultSender, clips_dir
from dermdesk.records import RecordsError
from dermdesk.records.consults import ConsultInfo
from dermdesk.tasks import TaskState
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.terms import stored_light_name, vocabulary_word
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

LiveFrame = Callable[[], np.ndarray | None]
COLUMNS = (
    QT_TRANSLATE_NOOP("consult_inbox", "Consult"),
    QT_TRANSLATE_NOOP("consult_inbox", "Patient"),
    QT_TRANSLATE_NOOP("consult_inbox", "Lesion"),
    QT_TRANSLATE_NOOP("consult_inbox", "Urgency"),
    QT_TRANSLATE_NOOP("consult_inbox", "State"),
    QT_TRANSLATE_NOOP("consult_inbox", "Waiting"),
)
CLIP_SECONDS = 4.0
CLIP_FPS = 10.0
ESCALATED = QColor("#f8d7da")
WAITING = QColor("#fff3cd")


def run_sender(state: TaskState, session: RecordsSession) -> ConsultRunReport:
    """One pass of the consult sender (worker thread)."""
    state.set_progress(
        0.0, QCoreApplication.translate("consult_inbox", "Sending consults and fetching answers")
    )
    return ConsultSender(session.require_records(), session.settings).run_once()


class ConsultInbox(QWidget):
    """A window listing the consults; closes with the records (locking, signing out)."""

    sig_changed = Signal()
    """Something was filed (a reply, an acknowledgement): views refresh."""

    def __init__(
        self, session: RecordsSession, parent: QWidget | None = None, *, live_frame: LiveFrame | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("DermDesk — consult inbox (teledermatology)"))
        fit_window(self, 1100, 640)
        self.session = session
        self.live_frame = live_frame
        self.consults: list[ConsultInfo] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("consult_inbox", name) for name in COLUMNS]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(
            4, QHeaderView.ResizeMode.ResizeToContents
        )  # "more information requested"
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.stills = QListWidget(self)
        self.stills.setMaximumHeight(110)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("Check for answers"), self)
        self.acknowledge_button = QPushButton(self.tr("Acknowledge answer"), self)
        self.clip_button = QPushButton(
            self.tr("Record a {CLIP_SECONDS:g} s clip").format(CLIP_SECONDS=CLIP_SECONDS), self
        )
        self.more_button = QPushButton(self.tr("Send more information"), self)
        self.cancel_button = QPushButton(self.tr("Cancel consult"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.clip: Clip | None = None
        self._frames: list[np.ndarray] = []
        self._clip_timer = QTimer(self)
        self._clip_timer.setInterval(int(1000 / CLIP_FPS))
        self._clip_timer.timeout.connect(self._on_clip_tick)
        self._build_layout()
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.sync_button.clicked.connect(self.check_for_answers)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.clip_button.clicked.connect(self.start_clip)
        self.more_button.clicked.connect(self.send_more)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self.refresh()

    def _build_layout(self) -> None:
        right = QVBoxLayout()
        right.addWidget(self.detail, 1)
        right.addWidget(QLabel(self.tr("Newer stills of the lesion to send as more information"), self))
        right.addWidget(self.stills)
        more = QHBoxLayout()
        more.addWidget(self.clip_button)
        more.addWidget(self.more_button)
        right.addLayout(more)
        panes = QHBoxLayout()
        panes.addWidget(self.table, 3)
        panes.addLayout(right, 2)
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.acknowledge_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addLayout(panes, 1)
        column.addWidget(self.status)
        column.addLayout(buttons)

    # --- the list -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        user = self.session.clinical_user
        if user is None:
            return
        current = self.selected()
        keep = current.id if current is not None else None
        try:
            self.consults = self.session.require_records().consults.inbox(user)
        except RecordsError as exc:
            self.status.setText(str(exc))
            return
        self.table.setRowCount(len(self.consults))
        for row, info in enumerate(self.consults):
            waiting = self.tr("answer to acknowledge") if info.awaiting_acknowledgement else ""
            values = (
                str(info.id),
                info.record_number,
                info.lesion_label,
                vocabulary_word(info.urgency),
                vocabulary_word(info.shown_state),
                waiting,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if info.escalated:
                    item.setBackground(ESCALATED)
                elif waiting:
                    item.setBackground(WAITING)
                self.table.setItem(row, column, item)
            if info.id == keep:
                self.table.selectRow(row)
        if self.consults and keep is None:
            self.table.selectRow(0)
        self._show_selected()

    def selected(self) -> ConsultInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.consults):
            return None
        return self.consults[rows[0].row()]

    def _show_selected(self) -> None:
        info = self.selected()
        self.stills.clear()
        for button in (self.acknowledge_button, self.more_button, self.clip_button, self.cancel_button):
            button.setEnabled(info is not None)
        if info is None:
            self.detail.setPlainText(
                self.tr("No consult yet. Ask a dermatologist from a lesion on the patient's page.")
            )
            return
        lines = [desk.summary_line(info), self.tr("Question: {question}").format(question=info.question), ""]
        if info.escalated:
            lines += [self.tr("Urgent and unanswered for too long: refer the patient in person."), ""]
        for reply in info.replies:
            lines += [*reply.lines(), ""]
        if info.last_error:
            lines.append(self.tr("Sending problem: {last_error}").format(last_error=info.last_error))
        self.detail.setPlainText("\n".join(lines))
        self.acknowledge_button.setEnabled(bool(info.awaiting_acknowledgement))
        asked = info.state == "more information requested"
        self.more_button.setEnabled(asked)
        self.clip_button.setEnabled(asked and self.live_frame is not None)
        self.cancel_button.setEnabled(info.state not in ("answered", "cancelled"))
        if asked:
            self._list_new_stills(info)

    def _list_new_stills(self, info: ConsultInfo) -> None:
        user = self.session.clinical_user
        if user is None:
            return
        record = self.session.require_records().patients.get(user, info.record_number)
        lesion = next((item for item in record.lesions if item.label == info.lesion_label), None)
        for image in lesion.images if lesion else ():
            if image.id in info.image_ids or image.lighting_mode is None:
                continue
            light = stored_light_name(image.lighting_mode)
            item = QListWidgetItem(
                self.tr("Image {id} · {astimezone:%Y-%m-%d %H:%M} · {light}").format(
                    id=image.id, astimezone=image.captured_at.astimezone(), light=light
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, image.id)
            item.setCheckState(Qt.CheckState.Checked)
            self.stills.addItem(item)

    # --- actions --------------------------------------------------------------------------------------
    def check_for_answers(self) -> None:
        self.sync_button.setEnabled(False)
        self.status.setText(self.tr("Sending consults and fetching answers…"))
        self.session.tasks.start(run_sender, self.session, name="consults", on_done=self._on_synced)

    def _on_synced(self, report: ConsultRunReport | None, error: BaseException | None) -> None:
        self.sync_button.setEnabled(True)
        if error is not None or report is None:
            self.status.setText(self.tr("The central service could not be used: {error}").format(error=error))
        else:
            self.status.setText(self.tr("Consults: {summary}").format(summary=report.summary()))
        self.refresh()
        self.sig_changed.emit()

    def acknowledge(self) -> None:
        info, user = self.selected(), self.session.clinical_user
        if info is None or user is None:
            return
        try:
            self.session.require_records().consults.acknowledge(user, info.id)
        except RecordsError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("The answer to consult {id} is acknowledged.").format(id=info.id))
        self.refresh()
        self.session.patient_changed(info.record_number)

    def start_clip(self) -> None:
        if self.live_frame is None:
            return
        self._frames = []
        self.clip_button.setEnabled(False)
        self.status.setText(
            self.tr("Recording {CLIP_SECONDS:g} seconds from the live picture — hold still…").format(
                CLIP_SECONDS=CLIP_SECONDS
            )
        )
        self._clip_timer.start()

    def _on_clip_tick(self) -> None:
        frame = self.live_frame() if self.live_frame else None
        if frame is not None:
            self._frames.append(frame.copy())
        if len(self._frames) >= CLIP_SECONDS * CLIP_FPS:
            self._clip_timer.stop()
            self.clip_button.setEnabled(True)
            try:
                self.clip = write_clip(self._frames, CLIP_FPS, clips_dir(self.session.settings))
            except ClipRefused as exc:
                self.status.setText(str(exc))
                return
            self.status.setText(
                self.tr("Clip recorded ({seconds:.1f} s); press 'Send more information'.").format(
                    seconds=self.clip.seconds
                )
            )

    def send_more(self) -> None:
        info, user = self.selected(), self.session.clinical_user
        if info is None or user is None:
            return
        chosen = [
            int(self.stills.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.stills.count())
            if self.stills.item(n).checkState() == Qt.CheckState.Checked
        ]
        try:
            desk.more_information(self.session.require_records(), user, info.id, chosen, clip=self.clip)
        except RecordsError as exc:
            self.status.setText(str(exc))
            return
        self.clip = None
        self.status.setText(self.tr("More information for consult {id} is queued.").format(id=info.id))
        self.refresh()

    def cancel(self) -> None:
        info, user = self.selected(), self.session.clinical_user
        if info is None or user is None:
            return
        try:
            self.session.require_records().consults.cancel(user, info.id)
        except RecordsError as exc:
            self.status.setText(str(exc))
            return
        self.refresh()

    def closeEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        self._clip_timer.stop()
        super().closeEvent(event)  # type: ignore[arg-type]
