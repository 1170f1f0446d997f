"""How much the capture pipeline costs, measured without Qt: source -> grabber -> newest-frame consumer.

``dermdesk bench capture`` calls ``measure_pipeline`` and adds what only the UI can measure (GUI-thread
stalls); scripts and CI can call it directly::

    python -c "from dermdesk.capture.bench import measure_pipeline; print(measure_pipeline((1920, 1080), 10))"
"""

from __future__ import annotations

import logging
import threading
import time

import cv2
import numpy as np

from dermdesk.capture.grabber import FrameGrabber
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope

log = logging.getLogger(__name__)

CONSUMER_INTERVAL_S = 1.0 / 30.0


def measure_pipeline(
    resolution: tuple[int, int] = (1920, 1080), seconds: float = 5.0
) -> dict[str, float | int | str]:
    """Run the virtual dermatoscope at 30 fps through a FrameGrabber for ``seconds`` and report.

    A consumer on the calling thread takes the newest frame every ~33 ms and does nothing with it, so
    the figures are the capture pipeline's own. OpenCV is limited to one thread meanwhile (restored
    after), as in the app where the cores belong to the classifier. Returned keys:

    - ``resolution`` ("1920x1080"), ``seconds`` (measured wall time), ``target_fps``
    - ``source_ms_mean``, ``source_ms_p95``: time read() spends making a frame, pacing sleep excluded
    - ``frames_produced``: frames the grabber published; ``frames_taken``: frames the consumer took
    - ``frames_dropped``: published but replaced before being taken; ``dropped_share`` = dropped/produced
    - ``fps_achieved``: frames produced per second of the run
    - ``reconnects``: should be 0
    """
    source = VirtualDermatoscope(resolution)
    grabber = FrameGrabber(source)
    ready = threading.Event()
    grabber.on_status = lambda event: ready.set()
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        grabber.start()
        ready.wait(10.0)
        # Skip the first-frame setup (look and noise are built in open()) before timing anything.
        grabber.wait_for_frame(timeout=5.0)
        before = grabber.stats()
        generated_before = len(source.generation_ms)
        started = time.monotonic()
        next_take = started
        while (now := time.monotonic()) - started < seconds:
            grabber.latest()
            next_take += CONSUMER_INTERVAL_S
            time.sleep(max(0.0, next_take - now))
        elapsed = time.monotonic() - started
        after = grabber.stats()
    finally:
        grabber.stop()
        cv2.setNumThreads(threads)
    costs = np.asarray(list(source.generation_ms)[generated_before:], dtype=np.float64)
    produced = after.frames_read - before.frames_read
    dropped = after.frames_dropped - before.frames_dropped
    result: dict[str, float | int | str] = {
        "resolution": f"{resolution[0]}x{resolution[1]}",
        "seconds": round(elapsed, 3),
        "target_fps": source.fps,
        "source_ms_mean": round(float(costs.mean()), 3) if costs.size else float("nan"),
        "source_ms_p95": round(float(np.percentile(costs, 95)), 3) if costs.size else float("nan"),
        "frames_produced": produced,
        "frames_taken": after.frames_taken - before.frames_taken,
        "frames_dropped": dropped,
        "dropped_share": round(dropped / produced, 4) if produced else 0.0,
        "fps_achieved": round(produced / elapsed, 2) if elapsed > 0 else 0.0,
        "reconnects": after.reconnects,
    }
    log.info("Capture pipeline: %s", result)
    return result
