"""Stored pictures re-hashed in the background, a portion at a time, while the station runs.

Re-hashing every picture at start-up would keep a clinic with years of pictures waiting; the start-up
check hashes a first portion, and this timer hashes the next portion every few minutes on the records'
worker (`Records.recheck_pictures`), going round the whole store. A picture that no longer matches what
was filed is reported to the person at the station by image number (never a name or record number),
with what to do.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from dermdesk.records.integrity import ImageProblem
from dermdesk.station import StationModel
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

RECHECK_EVERY_MS = 10 * 60 * 1000
PORTION = 100
DAMAGED_TEXT = QT_TRANSLATE_NOOP(
    "picture_recheck",
    "{count} stored picture(s) no longer match what was filed (image {ids}). The files may have been "
    "damaged or changed outside DermDesk: tell the administrator, who can restore them from the latest "
    "backup (`dermdesk backup` / `restore`).",
)


class PictureRecheck(QObject):
    """Every `interval_ms`, re-hash the next `portion` of stored pictures off the GUI thread."""

    def __init__(
        self,
        session: RecordsSession,
        model: StationModel,
        parent: QObject | None = None,
        *,
        interval_ms: int = RECHECK_EVERY_MS,
        portion: int = PORTION,
    ) -> None:
        super().__init__(parent)
        self._session, self._model, self._portion = session, model, portion
        self._busy = False
        self.reported: set[int] = set()  # image ids already reported in this run of the station
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.recheck_now)
        session.sig_opened.connect(lambda _report: self.timer.start())

    def recheck_now(self) -> None:
        records = self._session.records
        if records is None or self._busy:
            return
        self._busy = True
        self._session.call(
            lambda: records.recheck_pictures(max_images=self._portion),
            name="recheck-pictures",
            on_done=self._on_done,
        )

    def _on_done(self, problems: list[ImageProblem] | None, error: BaseException | None) -> None:
        self._busy = False
        if error is not None:
            logger.warning("Background picture check failed: %s", type(error).__name__)
            return
        new = [problem for problem in problems or [] if problem.image_id not in self.reported]
        if not new:
            return
        self.reported.update(problem.image_id for problem in new)
        ids = ", ".join(str(problem.image_id) for problem in new[:10]) + (" …" if len(new) > 10 else "")
        self._model.warn(
            self.tr("Damaged pictures"),
            QCoreApplication.translate("picture_recheck", DAMAGED_TEXT).format(count=len(new), ids=ids),
        )

    def stop(self) -> None:
        self.timer.stop()
