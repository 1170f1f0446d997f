"""The analysis dock: the results panel beside the live view, and the wiring behind it.

It owns the window's LiveClassification (the classifier thread) and the still analyser, and connects
them to the panel and to the live view's heatmap overlay. The window only hands it the grabber's frames
(`offer_frame`, called on the grabber thread), its captured stills, and calls `shutdown()` when it closes.

A watchdog makes sure advice never outlives its picture: if frames keep coming but no result has for
STALE_AFTER_S (the classifier thread died), the figures give way to a message saying so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from dermdesk.capture.frames import Frame
from dermdesk.capture.session_stills import CapturedStill
from dermdesk.filing import CaptureTarget
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.limits import limits_for
from dermdesk.inference.live_display import LiveDisplay, package_classifier_factory
from dermdesk.inference.still_analysis import StillAnalyser, StillAnalysis, analyse_still
from dermdesk.station import StationModel
from dermdesk.tasks import TaskCancelledError
from dermdesk.ui.analysis.live_classification import LiveClassification
from dermdesk.ui.analysis.results_panel import ResultsPanel
from dermdesk.ui.capture.live_view import LiveView
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP
from dermdesk.ui.common.vertical_scroll import VerticalScroll
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

STALE_AFTER_S = 3.0
STALE_FRAMES = 10  # frames offered since the last result before the figures count as stale
MESSAGE_STALE = QT_TRANSLATE_NOOP(
    "analysis_dock",
    "The analysis has stopped, so no suggestion is shown for this picture. "
    "Restart DermDesk; the log says what went wrong.",
)


class AnalysisDock(QDockWidget):
    """Live and still analysis for one station window."""

    sig_still_analysed = Signal(object)
    """A StillAnalysis, once the panel shows it."""

    def __init__(
        self,
        model: StationModel,
        live_view: LiveView,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        make_classifier: Callable[[], LesionClassifier] | None = None,
    ) -> None:
        super().__init__(self.tr("Analysis"), parent)
        self.setObjectName("analysis-dock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self._model = model
        make = make_classifier or package_classifier_factory(model.settings)
        self.panel = ResultsPanel(self)
        self.limit_notice = QLabel(self)
        """What the model was barely trained on, for the lesion being captured (e.g. acral sites)."""
        self.limit_notice.setObjectName("limit-notice")
        self.limit_notice.setWordWrap(True)
        self.limit_notice.setStyleSheet(
            "QLabel { background: #fff4ce; color: #5c3c00; border: 1px solid #c19c00; padding: 4px; }"
        )
        self.limit_notice.hide()
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.limit_notice)
        column.addWidget(self.panel)
        # The live and the still results together are taller than a 720-pixel screen: they scroll
        # rather than make the window taller than the screen.
        self.setWidget(VerticalScroll(page, self))
        self.classification = LiveClassification(make, self)
        self._stills = StillAnalyser(make)
        self._tasks = tasks
        self._live_view = live_view
        self._heatmap = False
        self._box: tuple[int, int, int] | None = None
        self._last_result_at = time.monotonic()
        self._submitted_at_last_result = 0
        self._stale = False
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(1000)
        self._watchdog.timeout.connect(self._on_watchdog)

        self.classification.sig_result.connect(self._on_live_result)
        self.classification.sig_model_ready.connect(self.panel.show_model)
        self.classification.sig_model_ready.connect(lambda _summary: self._show_limits())
        model.target_changed.connect(self._on_target_changed)
        self.classification.sig_model_failed.connect(self._on_model_failed)
        self.panel.sig_heatmap_toggled.connect(self._on_heatmap_toggled)
        self.panel.sig_pause_toggled.connect(self._on_pause_toggled)
        self.classification.start()
        self._watchdog.start()

    def offer_frame(self, frame: Frame) -> None:
        """A new frame, called ON THE GRABBER THREAD: passed on to the classifier (newest wins)."""
        self.classification.offer_frame(frame)

    def source_changed(self) -> None:
        """Another source streams now: forget the previous picture's smoothing and overlay."""
        self.classification.reset()
        self._model.set_live_result(None)
        self._box = None
        self._live_view.set_overlay(None)  # the view is cleared for the new source anyway

    def analyse_still(self, captured: CapturedStill) -> None:
        """Analyse a saved still with eight views and a heatmap, on a worker thread."""
        path = captured.saved.path
        self.panel.show_still_pending(path.name)
        self._tasks.start(
            analyse_still, self._stills, path, name="analyse-still", on_done=self._on_still_done
        )

    def shutdown(self) -> None:
        """Stop the watchdog and the classifier thread (the window's TaskRunner stops still analysis)."""
        self._model.target_changed.disconnect(self._on_target_changed)
        self._watchdog.stop()
        self.classification.stop()

    def _on_target_changed(self, _target: CaptureTarget | None) -> None:
        self._show_limits()

    def _show_limits(self) -> None:
        """The model's stated limits for the lesion being captured, beside its results (empty: hidden)."""
        target = self._model.target
        site = target.body_site if target is not None else None
        notices = limits_for(site, self.classification.model_limits)
        self.limit_notice.setText("\n".join(notice.text for notice in notices))
        self.limit_notice.setVisible(bool(notices))

    def _on_live_result(self, display: LiveDisplay) -> None:
        self._last_result_at = time.monotonic()
        self._submitted_at_last_result = self.classification.stats().submitted
        self._stale = False
        self.panel.show_live(display)
        self._model.set_live_result(None if self.classification.paused else display)
        crop = display.result.crop
        suitable = display.result.assessment is not None and crop is not None
        self._box = (crop.x, crop.y, crop.side) if suitable and crop is not None else None
        self._live_view.set_overlay(self._box, display.heatmap if self._heatmap else None)

    def _on_watchdog(self) -> None:
        live = self.classification
        if self._stale or live.paused or live.results_shown == 0:
            return
        offered = live.stats().submitted - self._submitted_at_last_result
        if offered >= STALE_FRAMES and time.monotonic() - self._last_result_at > STALE_AFTER_S:
            self._stale = True
            logger.error("No classification result for %.0f s while frames keep coming", STALE_AFTER_S)
            self.panel.show_stale(QCoreApplication.translate("analysis_dock", MESSAGE_STALE))
            live.forget_result()
            self._model.set_live_result(None)
            self._box = None
            self._live_view.set_overlay(None)
            self._live_view.update()

    def _on_model_failed(self, message: str) -> None:
        logger.error("%s", message)
        self.panel.show_model_failed(message)

    def _on_pause_toggled(self, paused: bool) -> None:
        self.classification.set_paused(paused)
        if paused:
            self._model.set_live_result(None)

    def _on_heatmap_toggled(self, enabled: bool) -> None:
        self._heatmap = enabled
        self.classification.set_heatmap(enabled)
        if not enabled:
            self._live_view.set_overlay(self._box)
            self._live_view.update()

    def _on_still_done(self, result: StillAnalysis | None, error: BaseException | None) -> None:
        if isinstance(error, TaskCancelledError):
            return  # the window is closing
        if error is not None or result is None:
            message = str(error) if error is not None else self.tr("The still was not analysed.")
            logger.error("Still analysis failed: %s", message)
            self.panel.show_still_failed(message)
            return
        self.panel.show_still(result)
        self._model.set_still_result(result)
        self.sig_still_analysed.emit(result)
