"""`dermdesk bench capture` runs end to end (figures are reported, never asserted against goals)."""

from __future__ import annotations

import pytest

from dermdesk.benchmarks import BenchOptions, resolve
from dermdesk.settings import load_settings
from dermdesk.ui.shell.bench_capture import measure_gui_stalls


def test_the_registry_resolves_capture_to_the_ui_benchmark() -> None:
    from dermdesk.ui.shell import bench_capture

    assert resolve("capture") is bench_capture.run


@pytest.mark.slow  # a benchmark run: `make test`, not the quick lane
def test_gui_stalls_are_measured_on_the_real_window(qtbot) -> None:
    settings = load_settings().settings
    report = measure_gui_stalls(settings, (320, 240), seconds=1.0)
    assert report["frames_produced"] > 0
    assert report["frames_painted"] > 0
    assert set(report["gui_stall_ms"]) == {"mean", "p99", "max"}
    assert 0.0 <= report["dropped_share"] <= 1.0


@pytest.mark.slow  # a benchmark run: `make test`, not the quick lane
def test_the_capture_benchmark_reports_both_resolutions(qtbot) -> None:
    report = resolve("capture")(BenchOptions(settings=load_settings().settings, seconds=0.5))
    assert report["pipeline_720p"]["resolution"] == "1280x720"
    assert report["pipeline_1080p"]["resolution"] == "1920x1080"
    assert report["gui_1080p"]["resolution"] == "1920x1080"
