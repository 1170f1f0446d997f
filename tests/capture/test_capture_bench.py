from __future__ import annotations

from dermdesk.capture.bench import measure_pipeline


def test_measure_pipeline_reports_what_it_promises() -> None:
    result = measure_pipeline((320, 240), seconds=1.0)
    assert result["resolution"] == "320x240"
    assert int(result["frames_produced"]) > 5
    assert 0.0 <= float(result["dropped_share"]) <= 1.0
    assert float(result["source_ms_mean"]) > 0.0
    assert float(result["source_ms_p95"]) >= float(result["source_ms_mean"]) * 0.5
    assert float(result["fps_achieved"]) > 0.0
    assert result["reconnects"] == 0
