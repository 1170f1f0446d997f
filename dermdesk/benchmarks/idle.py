"""`dermdesk bench idle`: how much CPU the station uses while nobody touches it, live and in standby.

A station stands streaming for hours between patients; what it burns then heats a small clinic PC and
slows everything else on it. Measured from outside on a real station process: a throw-away data folder
with one account, `dermdesk gui --source virtual` signed in through `DERMDESK_USER`/`DERMDESK_PASSWORD`
(the demonstration sign-in), offscreen where there is no display. Once its log says the window is shown
and the model is compiled, and a few seconds have settled, the process's CPU time (all threads, psutil)
is taken over a window of seconds with no input: "live". The standby delay is set short for the run
(`DERMDESK_STANDBY_AFTER_SECONDS`); once the log says the station is in standby, the same window again:
"standby". Figures are percent of one core (100 = one core busy all the time).
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from dermdesk.benchmarks import BenchOptions
from dermdesk.benchmarks.startup import station_command
from dermdesk.logs import LOG_FILE_NAME
from dermdesk.settings import CONFIG_DIR_ENV

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_S = 10.0
SETTLE_S = 3.0  # after the model is ready: the first results, the sign-in, the first paints
READY_TIMEOUT_S = 120.0
READY_LINES = ("Station window shown", "ready for live classification")
STANDBY_LINE = "Station in standby"
USERNAME = "idle-bench"


def _station_env(data_dir: Path, password: str, standby_after_s: int) -> dict[str, str]:
    env = dict(os.environ)
    env[CONFIG_DIR_ENV] = str(data_dir / "config")
    env["DERMDESK_NEW_PASSWORD"] = password
    env["DERMDESK_USER"], env["DERMDESK_PASSWORD"] = USERNAME, password
    env["DERMDESK_STANDBY_AFTER_SECONDS"] = str(standby_after_s)
    if sys.platform.startswith("linux") and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _add_account(data_dir: Path, env: dict[str, str], frozen: Path | None) -> None:
    command = [*station_command(frozen), "--data-dir", str(data_dir), "users", "add", USERNAME]
    completed = subprocess.run(
        [*command, "--role", "admin", "--name", "Idle benchmark"],
        env=env,
        capture_output=True,
        text=True,
        timeout=READY_TIMEOUT_S,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the benchmark account could not be made: {completed.stderr.strip()}")


def _wait_for_lines(
    log_file: Path, lines: tuple[str, ...], process: subprocess.Popen[str], timeout: float
) -> float:
    """Block until every one of `lines` is in the log; the monotonic time when they were."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the station quit (exit {process.returncode}) before its log said {lines}")
        text = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
        if all(line in text for line in lines):
            return time.monotonic()
        time.sleep(0.2)
    raise RuntimeError(f"the station's log did not say {lines} within {timeout:.0f} s")


def cpu_percent_over(process: psutil.Process, seconds: float) -> float:
    """Percent of one core the process (all its threads) used over the next `seconds`."""
    before, started = process.cpu_times(), time.monotonic()
    time.sleep(seconds)
    after, elapsed = process.cpu_times(), time.monotonic() - started
    used = (after.user - before.user) + (after.system - before.system)
    return round(100.0 * used / elapsed, 1)


def run(options: BenchOptions) -> dict[str, Any]:
    window_s = DEFAULT_WINDOW_S if options.seconds is None else max(1.0, float(options.seconds))
    # Standby must not come before the live window ends: the model compiles within READY_TIMEOUT_S at
    # worst, but the delay counts from the window's construction, so leave generous room and check.
    standby_after_s = int(30 + 2 * window_s)
    with tempfile.TemporaryDirectory(prefix="dermdesk-idle-") as folder:
        data_dir = Path(folder)
        env = _station_env(data_dir, secrets.token_urlsafe(16), standby_after_s)
        _add_account(data_dir, env, options.frozen)
        command = [
            *station_command(options.frozen),
            "--data-dir",
            str(data_dir),
            "gui",
            "--source",
            "virtual",
        ]
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
        )
        launched = time.monotonic()
        try:
            log_file = data_dir / "logs" / LOG_FILE_NAME
            ready = _wait_for_lines(log_file, READY_LINES, child, READY_TIMEOUT_S)
            time.sleep(SETTLE_S)
            process = psutil.Process(child.pid)
            live = cpu_percent_over(process, window_s)
            if STANDBY_LINE in log_file.read_text(encoding="utf-8", errors="replace"):
                raise RuntimeError(
                    f"the station went to standby before the live measurement ended (ready after "
                    f"{ready - launched:.0f} s); try a shorter --seconds"
                )
            _wait_for_lines(log_file, (STANDBY_LINE,), child, standby_after_s + READY_TIMEOUT_S)
            time.sleep(SETTLE_S)
            standby = cpu_percent_over(process, window_s)
        finally:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    logger.info("Idle CPU: live %.1f %%, standby %.1f %% of a core", live, standby)
    return {
        "source": "virtual dermatoscope, settings' resolution and frame rate, signed in, no input",
        "window_s": window_s,
        "ready_after_launch_s": round(ready - launched, 1),
        "standby_after_s": standby_after_s,
        "live_cpu_percent_of_a_core": live,
        "standby_cpu_percent_of_a_core": standby,
        "cores": os.cpu_count(),
    }
