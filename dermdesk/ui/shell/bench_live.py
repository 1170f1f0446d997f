"""The live-view part of `dermdesk bench inference`: the real window at 1080p with classification on.

The real main window, offscreen, streams the virtual dermatoscope at 1920x1080 / 30 fps while the
classifier thread analyses the newest frame and the panel and heatmap follow. Once the model is compiled
it measures, over `seconds`: the preview's painted frame rate and dropped-frame share, classifications
per second (and `classifier_skipped_share`: offered frames replaced by a newer one unclassified), the
per-frame classification latency, and how late the GUI thread's event loop ran (p99 and worst stall,
from a 1 ms timer, as `bench capture` measures it).

`dermdesk.benchmarks.inference` imports this module by name at run time, so the core benchmark still
runs where Qt cannot.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from dermdesk.context import CommandContext
from dermdesk.settings import DermDeskSettings, SettingsStore
from dermdesk.source_spec import SourceSpec

DEFAULT_SECONDS = 10.0
RESOLUTION = (1920, 1080)
MODEL_TIMEOUT_S = 120.0
WARMUP_S = 1.0


def measure_live_view(
    settings: DermDeskSettings,
    model_dir: Path,
    seconds: float = DEFAULT_SECONDS,
    resolution: tuple[int, int] = RESOLUTION,
    fps: float = 30.0,
) -> dict[str, Any]:
    """Stream into the real MainWindow with live classification (heatmap on) and measure it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from dermdesk.ui.shell.app import application
    from dermdesk.ui.shell.bench_capture import _measure, _ms, _spin
    from dermdesk.ui.shell.main_window import MainWindow

    application()
    with tempfile.TemporaryDirectory(prefix="dermdesk-bench-live-") as scratch:
        bench_settings = settings.model_copy(
            update={
                "resolution": resolution,
                "fps": fps,
                "data_dir": Path(scratch),
                "model_dir": model_dir,
                "lighting_mode": "white_polarised",
                "standby_after_seconds": 0,  # the full-rate live picture however long it runs
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
            live = window.analysis.classification
            failed: list[str] = []
            live.sig_model_failed.connect(failed.append)
            started = time.perf_counter()
            while live.model_summary is None and not failed:
                if time.perf_counter() - started > MODEL_TIMEOUT_S:
                    return {
                        "status": QCoreApplication.translate(
                            "bench_live", "the model was not ready within {MODEL_TIMEOUT_S:.0f} s"
                        ).format(MODEL_TIMEOUT_S=MODEL_TIMEOUT_S)
                    }
                _spin(0.1)
            if failed:
                return {
                    "status": QCoreApplication.translate("bench_live", "not measured: {value}").format(
                        value=failed[0]
                    )
                }
            ready_s = time.perf_counter() - started
            window.analysis.panel.heatmap_button.setChecked(True)
            _spin(WARMUP_S)
            latencies: list[float] = []
            live.sig_result.connect(lambda display: latencies.append(display.result.latency_ms))
            before, shown_before = live.stats(), live.results_shown
            figures = _measure(window, seconds, resolution, fps)
            after = live.stats()
            elapsed = figures["seconds"]
            offered = after.submitted - before.submitted
            classified = after.classified - before.classified
            return {
                "resolution": figures["resolution"],
                "seconds": elapsed,
                "heatmap": True,
                "model_ready_s": round(ready_s, 2),
                "source_fps": fps,
                "painted_fps": figures["painted_fps"],
                "dropped_share": figures["dropped_share"],
                "frames_produced": figures["frames_produced"],
                "frames_painted": figures["frames_painted"],
                "classifications_per_s": round(classified / elapsed, 2) if elapsed else 0.0,
                "classifier_skipped_share": round(1.0 - classified / offered, 4) if offered else 0.0,
                "results_shown_per_s": round((live.results_shown - shown_before) / elapsed, 2),
                "classify_latency_ms": _ms(latencies),
                "gui_stall_ms": figures["gui_stall_ms"],
                "paint_ms": figures["paint_ms"],
                "capture_to_paint_ms": figures["capture_to_paint_ms"],
                "cpu_threads": os.cpu_count(),
            }
        finally:
            window.close()
            window.deleteLater()
