"""The analysis dock's safety net, with a stand-in classifier: advice never outlives its picture."""

from __future__ import annotations

import threading
import time
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

import dermdesk.ui.analysis.analysis_dock as analysis_dock
from dermdesk.capture.frames import Frame
from dermdesk.filing import CaptureTarget
from dermdesk.inference.classifier import Classification
from dermdesk.inference.gate import GateVerdict
from dermdesk.inference.preprocess import CropBox
from dermdesk.settings import load_settings
from dermdesk.source_spec import SourceSpec
from dermdesk.station import PatientInView, StationModel
from dermdesk.ui.analysis.analysis_dock import MESSAGE_STALE, AnalysisDock
from dermdesk.ui.capture.live_view import LiveView
from dermdesk.ui.common.worker import TaskRunner


class DyingClassifier:
    """Answers the first picture (not a lesion), then fails as a broken runtime would."""

    package = SimpleNamespace(
        summary={"name": "stand-in", "version": "0", "sha256": "0"},
        manifest=SimpleNamespace(extra=lambda key: None),
    )

    def __init__(self) -> None:
        self.calls = 0

    def classify(self, rgb: np.ndarray, tta: bool = True, lighting: object = None) -> Classification:
        self.calls += 1
        if self.calls > 1:
            # Per-frame errors are reported and survived by the engine; this one ends its thread, as a
            # crashed native runtime would, which is what the watchdog is for.
            raise SystemExit("inference runtime crashed")
        verdict = GateVerdict(False, "not_a_lesion", "not a lesion")
        return Classification(verdict, None, CropBox(0, 0, 8), None, tta)


def test_figures_give_way_when_the_classifier_thread_dies(
    qtbot, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(analysis_dock, "STALE_AFTER_S", 0.5)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the crash is the point here
    view = LiveView()
    qtbot.addWidget(view)
    tasks = TaskRunner(view)
    dock = AnalysisDock(
        StationModel(load_settings().settings, SourceSpec.parse("virtual")),
        view,
        tasks,
        make_classifier=DyingClassifier,
    )
    qtbot.addWidget(dock)
    request.addfinalizer(dock.shutdown)  # idempotent: also runs if an assertion below fails
    dock.show()
    image = np.full((24, 32, 3), 128, np.uint8)

    def offer(index: int) -> None:
        dock.offer_frame(Frame(image, index, time.monotonic(), "test", {"lighting": "white"}))

    offer(0)
    qtbot.waitUntil(lambda: dock.panel.message_text() == "not a lesion", timeout=30_000)
    for index in range(1, 30):
        offer(index)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: dock.panel.message_text() == MESSAGE_STALE, timeout=30_000)
    assert dock.classification.last_display is None  # a still filed now carries no stale prediction
    dock.shutdown()


def test_an_acral_lesion_shows_the_models_stated_limit_beside_its_results(
    qtbot, request: pytest.FixtureRequest
) -> None:
    """The real shipped model; the notice follows the lesion being captured, not the patient."""
    view = LiveView()
    qtbot.addWidget(view)
    station = StationModel(load_settings().settings, SourceSpec.parse("virtual"))
    dock = AnalysisDock(station, view, TaskRunner(view))
    qtbot.addWidget(dock)
    request.addfinalizer(dock.shutdown)
    dock.show()
    qtbot.waitUntil(lambda: dock.classification.model_summary is not None, timeout=60_000)
    assert dock.limit_notice.isHidden()

    station.set_patient(PatientInView("DD-000123", "Kim", "Minji", date(1984, 3, 2), "female"))
    station.set_target(CaptureTarget("DD-000123", "L1", "palms/soles, left sole", "palms/soles"))
    assert dock.limit_notice.isVisible()
    assert "acral lesions (palms and soles)" in dock.limit_notice.text()
    assert "extra caution" in dock.limit_notice.text()

    station.set_target(CaptureTarget("DD-000123", "L2", "posterior torso", "posterior torso"))
    assert dock.limit_notice.isHidden()
    station.set_target(CaptureTarget("DD-000123", "L1", "palms/soles, left sole", "palms/soles"))
    station.set_patient(None)  # another patient (or none) drops the target, and its notice
    assert dock.limit_notice.isHidden()
