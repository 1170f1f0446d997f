"""The quality gate's question: this still has a problem — keep it, retake it, or discard it?

Shown when the sharpest frame of a burst fails a check. It says what is wrong in plain words, shows
the frame small (a thumbnail the worker made) and offers three visible answers: Keep anyway (recorded
as `quality_gate_overridden: true` in the still's sidecar and shown on the still wherever it appears;
not offered for a blank picture, which shows nothing), Retake and Discard.

It is modeless: while it waits, the Camera and Light panels stay usable, so staff lower the exposure or
switch on the light first and then press Retake, which takes a new still with the new settings. The
still in question is held until an answer comes; closing the dialog without one discards it, as the
Discard button does.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.capture.quality import QualityReport
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

RETAKE_HINT = QT_TRANSLATE_NOOP(
    "quality_dialog",
    "You can change the exposure on the Camera panel or the light on the Light panel now; "
    "Retake then takes a new still with the new settings.",
)


def _scores_text(report: QualityReport) -> str:
    scores = report.scores
    parts = [
        QCoreApplication.translate("quality_dialog", "sharpness {sharpness:.1f}").format(
            sharpness=scores.sharpness
        ),
        QCoreApplication.translate("quality_dialog", "brightness {brightness:.0f}").format(
            brightness=scores.brightness
        ),
    ]
    if "glare" in report.checks:
        parts.append(
            QCoreApplication.translate("quality_dialog", "glare {glare_fraction:.1%}").format(
                glare_fraction=scores.glare_fraction
            )
        )
    if scores.lesion_contrast is not None:
        parts.append(
            QCoreApplication.translate("quality_dialog", "lesion contrast {lesion_contrast:.1f}").format(
                lesion_contrast=scores.lesion_contrast
            )
        )
    return QCoreApplication.translate("quality_dialog", "Measured: ") + ", ".join(parts)


class QualityDialog(QDialog):
    """Tells staff what is wrong with a still; Keep anyway, Retake or Discard, all visible."""

    sig_retake = Signal()
    """The user wants another burst (with whatever exposure and light are set now)."""
    sig_keep = Signal()
    """The user keeps this still despite the problems (the sidecar records the override)."""
    sig_discard = Signal()
    """Discard pressed, or the dialog closed without an answer: the still is not kept."""

    def __init__(self, report: QualityReport, thumbnail: np.ndarray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check this still"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.NonModal)  # the camera controls stay usable
        self.report = report
        height, width = thumbnail.shape[:2]
        image = QImage(thumbnail.data, width, height, thumbnail.strides[0], QImage.Format.Format_BGR888)
        picture = QLabel(self)
        picture.setPixmap(QPixmap.fromImage(image))  # copies the thumbnail's few KB
        self.problems = QLabel("\n".join(f"• {message}" for message in report.messages), self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("font-weight: bold;")
        scores = QLabel(_scores_text(report), self)
        scores.setStyleSheet("color: #777;")
        self.hint = QLabel(QCoreApplication.translate("quality_dialog", RETAKE_HINT), self)
        self.hint.setWordWrap(True)
        self.retake_button = QPushButton(self.tr("Retake"), self)
        self.retake_button.setDefault(True)
        self.keep_button = QPushButton(self.tr("Keep anyway"), self)
        self.discard_button = QPushButton(self.tr("Discard"), self)
        if not report.keepable:
            self.keep_button.setEnabled(False)
            self.keep_button.setToolTip(self.tr("A blank picture shows nothing and cannot be kept."))
        else:
            self.keep_button.setToolTip(
                self.tr("Keep it: the still is marked “kept despite the quality check”.")
            )
        self.discard_button.setToolTip(self.tr("Throw this still away."))
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.retake_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.retake_button.clicked.connect(self._on_retake)
        self.keep_button.clicked.connect(self._on_keep)
        self.discard_button.clicked.connect(self._on_discard)
        text = QVBoxLayout()
        text.addWidget(QLabel(self.tr("This still may not be good enough:"), self))
        text.addWidget(self.problems)
        text.addWidget(scores)
        text.addWidget(self.hint)
        text.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(picture)
        row.addLayout(text, 1)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(buttons)
        self.setMaximumWidth(560)
        self._answered = False

    def _answer(self, signal: SignalInstance) -> None:
        if self._answered:
            return
        self._answered = True
        signal.emit()
        self.close()

    def _on_retake(self) -> None:
        self._answer(self.sig_retake)

    def _on_keep(self) -> None:
        if self.report.keepable:
            self._answer(self.sig_keep)

    def _on_discard(self) -> None:
        self._answer(self.sig_discard)

    def done(self, result: int) -> None:
        """Escape or the title bar's close button: the still is discarded, nothing retaken."""
        if not self._answered:
            self._answered = True
            self.sig_discard.emit()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self._answered:
            self._answered = True
            self.sig_discard.emit()
        super().closeEvent(event)
