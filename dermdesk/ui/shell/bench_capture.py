"""`dermdesk bench capture`: what the live preview costs, and whether the GUI thread stays responsive.

Two parts:
- the capture pipeline without Qt (`dermdesk.capture.bench.measure_pipeline`) at 720p and 1080p:
  per-frame cost of making a frame and the share of frames dropped by a 30 fps consumer;
- the real main window, offscreen, streaming the virtual dermatoscope at 1080p/30 fps: a 1 ms
  timer measures how late the GUI thread's event loop runs (p99 and worst stall) while the live view
  paints, plus the paint cost per frame, capture-to-paint latency and the frames the view skipped.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEventLoop, Qt, QTimer

from dermdesk.benchmarks import BenchOptions
from dermdesk.capture.bench import measure_pipeline
from dermdesk.context import CommandContext
from dermdesk.settings import DermDeskSettings, SettingsStore
from dermdesk.source_spec import SourceSpec

DEFAULT_GUI_SECONDS = 10.0
DEFAULT_PIPELINE_SECONDS = 5.0
WARMUP_S = 1.0


def _ms(values: list[float] | np.ndarray, digits: int = 2) -> dict[str, float]:
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return {"mean": float("nan"), "p95": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {
        "mean": round(float(data.mean()), digits),
        "p95": round(float(np.percentile(data, 95)), digits),
        "p99": round(float(np.percentile(data, 99)), digits),
        "max": round(float(data.max()), digits),
    }


def _spin(seconds: float) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire up to 5% early
    timer.timeout.connect(loop.quit)
    timer.start(int(seconds * 1000))
    loop.exec()


def measure_gui_stalls(
    settings: DermDeskSettings, resolution: tuple[int, int], seconds: float, fps: float = 30.0
) -> dict[str, Any]:
    """Stream into the real MainWindow offscreen and measure the GUI thread's loop latency."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from dermdesk.ui.shell.app import application
    from dermdesk.ui.shell.main_window import MainWindow

    application()
    with tempfile.TemporaryDirectory(prefix="dermdesk-bench-") as scratch:
        bench_settings = settings.model_copy(
            # No standby: the window measures the full-rate live picture however long it runs.
            update={
                "resolution": resolution,
                "fps": fps,
                "data_dir": Path(scratch),
                "standby_after_seconds": 0,
            }
        )
        ctx = CommandContext(
            settings=bench_settings,
            store=SettingsStore(Path(scratch) / "settings.json"),
            log_file=settings.logs_dir / "dermdesk.log",
        )
        window = MainWindow(ctx, SourceSpec.parse("virtual"))
        window.resize(1280, 860)
        window.show()
        try:
            _spin(WARMUP_S)
            return _measure(window, seconds, resolution, fps)
        finally:
            window.close()
            window.deleteLater()


def _measure(window: Any, seconds: float, resolution: tuple[int, int], fps: float) -> dict[str, Any]:
    view, bridge = window.live_view, window.bridge
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    before_stats, shown_before, skipped_before = bridge.stats(), view.frames_shown, view.frames_skipped
    view.paint_ms.clear()
    view.latency_ms.clear()
    started = time.perf_counter()
    timer.start()
    _spin(seconds)
    timer.stop()
    elapsed = time.perf_counter() - started
    after_stats = bridge.stats()
    produced = after_stats.frames_read - before_stats.frames_read
    shown = view.frames_shown - shown_before
    painted = len(view.paint_ms)  # update() may merge two shown frames into one paint
    stalls = np.maximum(np.diff(np.asarray(ticks)) * 1000.0 - 1.0, 0.0) if len(ticks) > 1 else np.zeros(0)
    return {
        "resolution": f"{resolution[0]}x{resolution[1]}",
        "seconds": round(elapsed, 2),
        "target_fps": fps,
        "frames_produced": produced,
        "frames_shown": shown,
        "frames_painted": painted,
        "frames_skipped_by_view": view.frames_skipped - skipped_before,
        "dropped_share": round(max(0.0, 1.0 - painted / produced), 4) if produced else 0.0,
        "painted_fps": round(painted / elapsed, 2),
        "gui_stall_ms": {k: v for k, v in _ms(stalls).items() if k in ("mean", "p99", "max")},
        "paint_ms": _ms(list(view.paint_ms)),
        "capture_to_paint_ms": _ms(list(view.latency_ms)),
    }


def run(options: BenchOptions) -> dict[str, Any]:
    gui_seconds = options.seconds or DEFAULT_GUI_SECONDS
    pipeline_seconds = min(gui_seconds, DEFAULT_PIPELINE_SECONDS)
    return {
        "pipeline_720p": measure_pipeline((1280, 720), pipeline_seconds),
        "pipeline_1080p": measure_pipeline((1920, 1080), pipeline_seconds),
        "gui_1080p": measure_gui_stalls(options.settings, (1920, 1080), gui_seconds),
    }
