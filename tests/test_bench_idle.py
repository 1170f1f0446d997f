"""`dermdesk bench idle`: the real station process, measured live and in standby."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import psutil
import pytest

from dermdesk.benchmarks.idle import cpu_percent_over
from dermdesk.cli import main


def test_cpu_percent_counts_this_process_s_work() -> None:
    process = psutil.Process(os.getpid())
    assert 0.0 <= cpu_percent_over(process, 0.2) <= 100.0 * (os.cpu_count() or 1)


@pytest.mark.slow  # launches the station twice over about a minute: `make test`, not the quick lane
def test_bench_idle_measures_the_real_station_live_and_in_standby(tmp_path: Path, capsys) -> None:
    started = time.monotonic()
    assert main(["--data-dir", str(tmp_path), "bench", "idle", "--seconds", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["idle"]
    assert figures["window_s"] == 1.0
    assert figures["standby_after_s"] == 32
    assert figures["live_cpu_percent_of_a_core"] >= 0.0
    assert figures["standby_cpu_percent_of_a_core"] >= 0.0
    # The standby figure was taken after the standby delay, so the run lasted at least that long.
    assert time.monotonic() - started >= figures["standby_after_s"]
