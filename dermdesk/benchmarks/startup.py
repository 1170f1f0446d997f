"""`dermdesk bench startup`: seconds from launching `dermdesk gui` to its window being shown.

Measured from outside, in a fresh process each run, so interpreter start-up and every import count,
as they do for the clinician double-clicking the icon. `--frozen dist/dermdesk/dermdesk` measures the
PyInstaller one-folder build instead of `python -m dermdesk`. The child (`gui --quit-after-shown`) prints one
JSON line when the window is shown and quits; it also reports its own time from the CLI's import.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dermdesk.benchmarks import BenchOptions
from dermdesk.settings import CONFIG_DIR_ENV

logger = logging.getLogger(__name__)

DEFAULT_RUNS = 3
TIMEOUT_S = 120.0


def station_command(frozen: Path | None = None) -> list[str]:
    """How the station is launched: the frozen executable, or this interpreter with `-m dermdesk`."""
    return [str(frozen.resolve())] if frozen is not None else [sys.executable, "-m", "dermdesk"]


def launch_once(data_dir: str, frozen: Path | None = None) -> dict[str, float]:
    """Start the station on the virtual dermatoscope once; its wall time and its own report.
    The settings folder is a throw-away one inside `data_dir`, so the user's settings stay untouched."""
    env = dict(os.environ)
    env[CONFIG_DIR_ENV] = os.path.join(data_dir, "config")
    if sys.platform.startswith("linux") and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [*station_command(frozen), "--data-dir", data_dir, "gui", "--source", "virtual"]
    started = time.perf_counter()
    completed = subprocess.run(
        [*command, "--quit-after-shown"], env=env, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        reason = completed.stderr.strip().splitlines()[-1:] or ["no message"]
        raise RuntimeError(f"the station did not start (exit {completed.returncode}): {reason[0]}")
    report = _shown_report(completed.stdout)
    return {"process_s": wall, "cli_to_shown_s": float(report["cli_to_shown_s"])}


def _shown_report(stdout: str) -> dict[str, Any]:
    for line in stdout.splitlines():
        if line.startswith("{") and "cli_to_shown_s" in line:
            parsed: dict[str, Any] = json.loads(line)
            return parsed
    raise RuntimeError("the station quit without reporting that its window was shown")


def run(options: BenchOptions) -> dict[str, Any]:
    runs = DEFAULT_RUNS if options.seconds is None else max(1, int(options.seconds))
    samples = []
    with tempfile.TemporaryDirectory(prefix="dermdesk-startup-") as data_dir:
        for attempt in range(runs):
            samples.append(launch_once(data_dir, options.frozen))
            logger.info("Start-up run %d: %.2f s", attempt + 1, samples[-1]["process_s"])
    process = [s["process_s"] for s in samples]
    return {
        "launched": "frozen " + str(options.frozen) if options.frozen else "python -m dermdesk",
        "runs": runs,
        "median_process_to_shown_s": round(statistics.median(process), 3),
        "worst_process_to_shown_s": round(max(process), 3),
        "median_cli_import_to_shown_s": round(statistics.median(s["cli_to_shown_s"] for s in samples), 3),
    }
