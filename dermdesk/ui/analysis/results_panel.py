"""The results panel beside the live view: what the model suggests, and when it declines to suggest.

It shows, for the live picture: the top diagnoses as bars with percentages, the triage group as a
coloured badge (malignant red, benign-other amber, common mole green, indeterminate grey), a referral
banner with the guidance text, the model's name and version and the fixed line "Decision support, not a
diagnosis". When the picture is not suitable (not a lesion, too dark, UV or narrow-band light) or the
model could not be loaded, the reason stands in place of the diagnosis. Below, the last still's analysis
(eight views averaged) with its heatmap. Two toggles: the live heatmap and pausing the analysis.

The panel only displays: every figure arrives finished, on the GUI thread, through `show_*` calls.
Updates touch only what changed, so a result every 30 ms costs the GUI thread next to nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from dermdesk.capture.lighting import LightingMode
from dermdesk.inference.gate import GateVerdict
from dermdesk.inference.live_display import LiveDisplay
from dermdesk.inference.postprocess import INDETERMINATE, Assessment
from dermdesk.inference.still_analysis import StillAnalysis
from dermdesk.ui.common.terms import diagnosis_name, light_name, triage_name
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

PANEL_WIDTH = 340  # preferred; the dock may narrow it down to PANEL_MIN_WIDTH on a small screen
PANEL_MIN_WIDTH = 300  # the still preview (still_analysis.PREVIEW_SIDE) fits at this width
TOP_CLASSES = 3
DISCLAIMER = QT_TRANSLATE_NOOP("results_panel", "Decision support, not a diagnosis")
LOADING_TEXT = QT_TRANSLATE_NOOP("results_panel", "Loading the model…")
PAUSED_TEXT = QT_TRANSLATE_NOOP(
    "results_panel", "Analysis paused — the figures are those of the moment you paused."
)
TRIAGE_COLOURS: dict[str, tuple[str, str]] = {  # group code: background, text
    "malignant": ("#c62828", "white"),
    "benign_other": ("#f9a825", "black"),
    "benign_mole": ("#2e7d32", "white"),
    INDETERMINATE: ("#757575", "white"),
}
REFER_STYLE = "background: #7a1f1f; color: white; padding: 6px; border-radius: 3px;"
ROUTINE_STYLE = "background: #e8f0e8; color: #1b3d1b; padding: 6px; border-radius: 3px;"
MESSAGE_STYLE = "background: #fff4d6; color: #4a3800; padding: 8px; border-radius: 3px;"
MUTED_STYLE = "color: #666;"


def display_name(code: str) -> str:
    return diagnosis_name(code)


def top_classes(assessment: Assessment, count: int = TOP_CLASSES) -> list[tuple[str, float]]:
    """(display name, probability) of the `count` most likely diagnoses, most likely first."""
    return [(display_name(code), assessment.probabilities[code]) for code in assessment.ranking[:count]]


class RankingBars(QWidget):
    """Painted bars, one row per diagnosis: name, percentage and a bar; fixed height, no relayout."""

    ROW_HEIGHT = 34

    def __init__(self, rows: int = TOP_CLASSES, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = rows
        self._entries: list[tuple[str, float]] = []
        self.setFixedHeight(rows * self.ROW_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def entries(self) -> list[tuple[str, float]]:
        return list(self._entries)

    def set_entries(self, entries: Sequence[tuple[str, float]]) -> None:
        shown = [(name, round(p, 3)) for name, p in entries[: self._rows]]
        if shown != self._entries:
            self._entries = shown
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(PANEL_WIDTH, self._rows * self.ROW_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width()
        for row, (name, p) in enumerate(self._entries):
            top = row * self.ROW_HEIGHT
            text_rect = QRectF(0, top, width, 16)
            painter.setPen(QColor(30, 30, 30))
            font = painter.font()
            font.setBold(row == 0)
            painter.setFont(font)
            middle = Qt.AlignmentFlag.AlignVCenter
            percent = f"{p:.0%}"
            metrics = painter.fontMetrics()
            room = max(0, width - metrics.horizontalAdvance(percent) - 8)
            label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | middle, label)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | middle, percent)
            track = QRectF(0, top + 18, width, 10)
            painter.fillRect(track, QColor(225, 225, 225))
            painter.fillRect(QRectF(0, top + 18, width * max(0.0, min(1.0, p)), 10), QColor(48, 99, 172))
        painter.end()


class _Label(QLabel):
    """A word-wrapped label that only touches itself when its text or style really changes."""

    def __init__(self, style: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(style)

    def set_text(self, text: str) -> None:
        if text != self.text():
            self.setText(text)

    def set_style(self, style: str) -> None:
        if style != self.styleSheet():
            self.setStyleSheet(style)


class AssessmentView(QWidget):
    """Bars, triage badge and referral banner of one assessment (live or still)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge = _Label(parent=self)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bars = RankingBars(parent=self)
        self.referral = _Label(parent=self)
        self.triage_code = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.bars)
        layout.addWidget(self.referral)

    def show_assessment(self, assessment: Assessment) -> None:
        self.bars.set_entries(top_classes(assessment))
        background, text = TRIAGE_COLOURS.get(assessment.triage, TRIAGE_COLOURS[INDETERMINATE])
        self.triage_code = assessment.triage
        self.badge.set_text(triage_name(assessment.triage, assessment.triage_name))
        self.badge.set_style(
            f"background: {background}; color: {text}; padding: 6px; border-radius: 3px; font-weight: bold;"
        )
        if assessment.refer:
            self.referral.set_text(
                self.tr("<b>Refer to a dermatologist.</b> {guidance}").format(guidance=assessment.guidance)
            )
            self.referral.set_style(REFER_STYLE)
        else:
            self.referral.set_text(assessment.guidance)
            self.referral.set_style(ROUTINE_STYLE)


class ResultsPanel(QWidget):
    """The live and still analysis, shown beside the live view (see the module docstring)."""

    sig_heatmap_toggled = Signal(bool)
    """The user switched the live heatmap on (True) or off."""
    sig_pause_toggled = Signal(bool)
    """The user paused (True) or resumed the live analysis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        title = QLabel(self.tr("Live — the camera now"), self)
        title.setToolTip(self.tr("What the model reads on the live picture; it is never filed with a still."))
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        self.status = _Label(MUTED_STYLE, self)
        self.message = _Label(MESSAGE_STYLE, self)
        self.live = AssessmentView(self)
        self.heatmap_button = self._toggle(
            self.tr("Heatmap"), self.tr("Lay the model's attention over the lesion")
        )
        self.pause_button = self._toggle(
            self.tr("Pause analysis"), self.tr("Keep the figures on screen; stop analysing")
        )
        self.heatmap_button.toggled.connect(self._on_heatmap_toggled)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        still_title = QLabel(self.tr("<b>Last still</b> — the saved picture, eight views averaged"), self)
        self.still_status = _Label(MUTED_STYLE, self)
        self.still_image = QLabel(self)
        self.still_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.still_message = _Label(MESSAGE_STYLE, self)
        self.still = AssessmentView(self)
        self.model_label = _Label(MUTED_STYLE, self)
        disclaimer = QLabel(QCoreApplication.translate("results_panel", DISCLAIMER), self)
        disclaimer.setWordWrap(True)
        disclaimer.setStyleSheet("font-weight: bold; color: #7a1f1f;")

        toggles = QHBoxLayout()
        toggles.addWidget(self.heatmap_button)
        toggles.addWidget(self.pause_button)
        layout = QVBoxLayout(self)
        for widget in (title, self.status, self.message, self.live):
            layout.addWidget(widget)
        layout.addLayout(toggles)
        layout.addSpacing(12)
        for widget in (still_title, self.still_status, self.still_image, self.still_message, self.still):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.model_label)
        layout.addWidget(disclaimer)

        self.live.hide()
        self.message.hide()
        self.still_image.hide()
        self.still_message.hide()
        self.still.hide()
        self.clear_still()
        self.show_loading()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(PANEL_WIDTH, super().sizeHint().height())

    def _toggle(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space stays the capture key
        return button

    # --- what tests and the window read ----------------------------------------------------------

    def ranking(self) -> list[str]:
        """The display names the live bars show now, most likely first ([] while no diagnosis is shown)."""
        return [name for name, _ in self.live.bars.entries()] if self.live.isVisible() else []

    def message_text(self) -> str:
        """The reason shown in place of a diagnosis ('' while a diagnosis is shown)."""
        return self.message.text() if self.message.isVisible() else ""

    # --- live ------------------------------------------------------------------------------------

    def show_loading(self) -> None:
        self.status.set_text(QCoreApplication.translate("results_panel", LOADING_TEXT))
        self.model_label.set_text(self.tr("Model: loading…"))

    def show_model(self, summary: dict[str, str]) -> None:
        self.model_label.set_text(
            self.tr("Model: {get} {get2}").format(
                get=summary.get("name", "?"), get2=summary.get("version", "?")
            )
        )
        self.status.set_text(self.tr("Waiting for a picture…"))

    def show_model_failed(self, message: str) -> None:
        self.model_label.set_text(self.tr("Model: not loaded"))
        self.status.set_text(self.tr("No analysis in this session."))
        self._show_message(message)
        self.heatmap_button.setEnabled(False)
        self.pause_button.setEnabled(False)

    def show_live(self, display: LiveDisplay) -> None:
        result = display.result
        if result.assessment is None:
            self._show_message(_verdict_text(result.verdict))
            self.status.set_text(self.tr("No suggestion for this picture."))
            return
        self.live.show_assessment(result.assessment)
        frames = result.smoothed_frames
        self.status.set_text(
            self.tr("Live (not filed) — {frames} frames of this lesion").format(frames=frames)
            if frames > 1
            else self.tr("Live (not filed)")
        )
        if self.message.isVisible():
            self.message.hide()
        if not self.live.isVisible():
            self.live.show()

    def show_stale(self, message: str) -> None:
        """No result came for a while although frames did: the last figures must not stay up."""
        self.status.set_text(self.tr("No analysis."))
        self._show_message(message)

    def _show_message(self, text: str) -> None:
        self.message.set_text(text)
        if self.live.isVisible():
            self.live.hide()
        if not self.message.isVisible():
            self.message.show()

    def _on_heatmap_toggled(self, checked: bool) -> None:
        self.sig_heatmap_toggled.emit(checked)

    def _on_pause_toggled(self, checked: bool) -> None:
        self.pause_button.setText(self.tr("Resume analysis") if checked else self.tr("Pause analysis"))
        if checked:
            self.status.set_text(QCoreApplication.translate("results_panel", PAUSED_TEXT))
        self.sig_pause_toggled.emit(checked)

    # --- stills ----------------------------------------------------------------------------------

    def clear_still(self) -> None:
        """No still shown (at start, and after sign-out: the last person's picture must go)."""
        self.still_image.clear()
        self.still_image.hide()
        self.still.hide()
        self.still_message.hide()
        self.still_status.set_text(self.tr("Capture a still (Space) for a closer look with a heatmap."))

    def show_still_pending(self, name: str) -> None:
        self.still_status.set_text(self.tr("Analysing {name}…").format(name=name))

    def show_still(self, analysis: StillAnalysis) -> None:
        classification = analysis.classification
        self.still_status.set_text(
            self.tr("Still {stem} · {still_light}").format(
                stem=analysis.path.stem, still_light=still_light(analysis.lighting)
            )
        )
        if analysis.overlay is not None:
            self.still_image.setPixmap(QPixmap.fromImage(_bgr_qimage(analysis.overlay)))
            self.still_image.show()
        else:
            self.still_image.hide()
        if classification.assessment is None:
            self.still.hide()
            self.still_message.set_text(_verdict_text(classification.verdict))
            self.still_message.show()
            return
        self.still_message.hide()
        self.still.show_assessment(classification.assessment)
        self.still.show()

    def show_still_failed(self, message: str) -> None:
        self.still_status.set_text(self.tr("The still could not be analysed."))
        self.still_image.hide()
        self.still.hide()
        self.still_message.set_text(message)
        self.still_message.show()


def still_light(lighting: str | None) -> str:
    """The light a still was taken under, in words ("White light, cross-polarised")."""
    if not lighting:
        return QCoreApplication.translate("results_panel", "light not recorded")
    try:
        return light_name(LightingMode(lighting))
    except ValueError:
        return lighting.replace("_", " ")


def _verdict_text(verdict: GateVerdict) -> str:
    return verdict.message or QCoreApplication.translate(
        "results_panel", "This picture cannot be classified."
    )


def _bgr_qimage(bgr: np.ndarray) -> QImage:
    """A deep copy as QImage (small pictures only), so Qt owns its pixels."""
    height, width = bgr.shape[:2]
    return QImage(bgr.data, width, height, bgr.strides[0], QImage.Format.Format_BGR888).copy()
