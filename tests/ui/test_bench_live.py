"""The live-view part of `bench inference` runs on the real window (figures reported, never asserted)."""

from __future__ import annotations

import pytest

from dermdesk.inference.package import default_package_dir
from dermdesk.settings import load_settings
from dermdesk.ui.shell.bench_live import measure_live_view


@pytest.mark.slow  # a benchmark run: `make test`, not the quick lane
def test_the_live_view_is_measured_with_classification_on(qtbot) -> None:
    report = measure_live_view(
        load_settings().settings, default_package_dir(), seconds=1.0, resolution=(320, 240)
    )
    assert report["resolution"] == "320x240" and report["heatmap"] is True
    assert report["frames_produced"] > 0 and report["classifications_per_s"] > 0
    assert 0.0 <= report["dropped_share"] <= 1.0
    assert set(report["gui_stall_ms"]) == {"mean", "p99", "max"}


def test_a_model_that_cannot_load_is_reported_not_raised(qtbot, tmp_path) -> None:
    report = measure_live_view(load_settings().settings, tmp_path / "no-model", seconds=0.5)
    assert report["status"].startswith("not measured: The model could not be loaded")
