"""The quality gate's question: this still has a problem — retake it, or keep it anyway?

Shown (window-modal, never blocking the event loop: `open()`, not `exec()`) when the sharpest frame of
a burst fails a check. It says what is wrong in plain words, shows the frame small (a thumbnail the
worker made) and offers Retake (the default) or Keep anyway; keeping records
`quality_gate_overridden: true` in the still's sidecar. Closing it without an answer discards the still.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
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


def _scores_text(report: QualityReport) -> str:
    scores = report.scores
    parts = [f"sharpness {scores.sharpness:.1f}", f"brightness {scores.brightness:.0f}"]
    if "glare" in report.checks:
        parts.append(f"glare {scores.glare_fraction:.1%}")
    if scores.lesion_contrast is not None:
        parts.append(f"lesion contrast {scores.lesion_contrast:.1f}")
    return "Measured: " + ", ".join(parts)


class QualityDialog(QDialog):
    """Tells staff what is wrong with a still and lets them retake it or keep it anyway."""

    sig_retake = Signal()
    """The user wants another burst."""
    sig_keep = Signal()
    """The user keeps this still despite the problems (the sidecar records the override)."""
    sig_discard = Signal()
    """The dialog was closed without an answer: the still is discarded."""

    def __init__(self, report: QualityReport, thumbnail: np.ndarray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check this still")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
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
        self.retake_button = QPushButton("Retake", self)
        self.retake_button.setDefault(True)
        self.keep_button = QPushButton("Keep anyway", self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.retake_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.retake_button.clicked.connect(self._on_retake)
        self.keep_button.clicked.connect(self._on_keep)
        text = QVBoxLayout()
        text.addWidget(QLabel("This still may not be good enough:", self))
        text.addWidget(self.problems)
        text.addWidget(scores)
        text.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(picture)
        row.addLayout(text, 1)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(buttons)
        self._answered = False

    def _on_retake(self) -> None:
        self._answered = True
        self.sig_retake.emit()
        self.close()

    def _on_keep(self) -> None:
        self._answered = True
        self.sig_keep.emit()
        self.close()

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
