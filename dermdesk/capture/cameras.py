"""USB/UVC cameras: finding them by their OS names and reading pictures from one through OpenCV.

Clinic staff pick a dermatoscope by the name Windows or Linux gives it ("DermLite Cam", "HD USB Camera"),
not by an OpenCV index, so the list comes from ``cv2_enumerate_cameras``, which reads those names from the
OS. The camera itself is driven through ``cv2.VideoCapture`` with MJPG requested, because USB 2
dermatoscopes only reach full HD at 30 fps compressed, and a buffer of one frame, so the preview and the
classifier always see the newest picture instead of a queue of stale ones.

OpenCV writes its own warnings straight to stderr whenever a device will not open ("can't open camera by
index", two or three per attempt). A camera left unplugged would fill the log with them, every few
seconds, for hours; so enumeration, opening and reading run inside ``opencv_quiet()``, and the
grabber's single log line per attempt is the only record of each try. Clinic IT chasing a camera
problem sets ``OPENCV_LOG_LEVEL`` (e.g. ``DEBUG``): then OpenCV is left to say what it wants.
"""

from __future__ import annotations

import logging
import os
import platform
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import cv2
import numpy as np

from dermdesk.capture.controls import ControlError, OpenCVControls
from dermdesk.capture.frames import CameraError
from dermdesk.i18n import _

log = logging.getLogger(__name__)


_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_saved_level = 0


@contextmanager
def opencv_quiet() -> Iterator[None]:
    """OpenCV's own log silenced to errors inside the block (it is process-wide, so nested and concurrent
    blocks share one saved level, restored when the last one ends); a no-op when ``OPENCV_LOG_LEVEL``
    is set, someone wants to hear it."""
    global _quiet_depth, _quiet_saved_level
    if os.environ.get("OPENCV_LOG_LEVEL"):
        yield
        return
    with _quiet_lock:
        if _quiet_depth == 0:
            _quiet_saved_level = int(cv2.utils.logging.getLogLevel())
            cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                cv2.utils.logging.setLogLevel(_quiet_saved_level)


@dataclass(frozen=True)
class CameraInfo:
    """One camera the OS reports: what to show (name) and what to open (index with backend)."""

    index: int
    name: str
    backend: int
    path: str | None = None
    vid: int | None = None
    pid: int | None = None

    @property
    def label(self) -> str:
        """Name for a drop-down, with the USB vendor:product id that tells two identical models apart."""
        if self.vid is not None and self.pid is not None:
            return f"{self.name} ({self.vid:04X}:{self.pid:04X})"
        return self.name


def preferred_backend() -> int:
    """The OpenCV capture backend that names and opens UVC cameras reliably on this OS."""
    system = platform.system()
    if system == "Windows":
        return int(cv2.CAP_MSMF)
    if system == "Linux":
        return int(cv2.CAP_V4L2)
    if system == "Darwin":
        return int(cv2.CAP_AVFOUNDATION)
    return int(cv2.CAP_ANY)


def list_cameras(backend: int | None = None) -> list[CameraInfo]:
    """Cameras attached now, with OS names; an empty list (and a log line) when none or on failure.

    Enumeration talks to OS device APIs that fail in odd ways (no /dev/video*, COM errors, a backend this
    OpenCV build lacks); none of that may stop the app from starting, so every failure becomes "no cameras".
    """
    chosen = preferred_backend() if backend is None else backend
    try:
        from cv2_enumerate_cameras import enumerate_cameras

        with opencv_quiet():
            found = list(enumerate_cameras(chosen))
    except Exception as exc:  # any OS/API failure means "no cameras we can use"
        log.warning("Camera enumeration failed (backend %s): %s", chosen, exc)
        return []
    cameras = [
        CameraInfo(
            index=int(info.index),
            name=str(info.name),
            backend=int(info.backend),
            path=None if info.path is None else str(info.path),
            vid=None if info.vid is None else int(info.vid),
            pid=None if info.pid is None else int(info.pid),
        )
        for info in found
    ]
    if not cameras:
        log.info("No cameras found (backend %s)", chosen)
    else:
        log.info("Cameras found: %s", ", ".join(f"{c.index}: {c.label}" for c in cameras))
    return cameras


class OpenCVCamera:
    """A USB/UVC camera read through OpenCV; implements FrameSource.

    The requested resolution and frame rate are wishes: the camera picks the nearest mode it has, and
    ``resolution`` / ``fps`` hold what it actually delivers after open(). read() raises CameraError when
    the camera sends nothing for ``read_timeout_s`` or only black pictures for ``black_frame_limit``
    frames in a row (lens cap on, LED board unplugged, a driver that delivers empty buffers).

    ``camera_controls()`` adjusts exposure, gain, white balance, focus and zoom from another thread: a
    lock keeps those calls and the grabber's reads from using the device at the same moment.
    """

    def __init__(
        self,
        index: int,
        backend: int | None = None,
        *,
        resolution: tuple[int, int] = (1920, 1080),
        fps: float = 30.0,
        fourcc: str = "MJPG",
        name: str | None = None,
        read_timeout_s: float = 2.0,
        black_frame_limit: int | None = 90,
        black_level: float = 2.0,
    ) -> None:
        self.index = index
        self.backend = preferred_backend() if backend is None else backend
        self.requested_resolution = resolution
        self.requested_fps = fps
        self.fourcc = fourcc
        self.name = name if name is not None else f"Camera {index}"
        self.read_timeout_s = read_timeout_s
        self.black_frame_limit = black_frame_limit
        self.black_level = black_level
        self.resolution: tuple[int, int] = (0, 0)
        self.fps: float = 0.0
        self._cap: cv2.VideoCapture | None = None
        self._cap_lock = threading.Lock()
        self._controls: OpenCVControls | None = None
        self._black_run = 0

    def open(self) -> None:
        """Open the device, request the mode and read back what the camera actually gives."""
        self.close()
        with opencv_quiet():
            cap = cv2.VideoCapture(self.index, self.backend)
            opened = cap.isOpened()
        if not opened:
            cap.release()
            raise CameraError(_("{name} could not be opened — is it plugged in?").format(name=self.name))
        width, height = self.requested_resolution
        cap.set(cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*self.fourcc)))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(width))
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(height))
        cap.set(cv2.CAP_PROP_FPS, float(self.requested_fps))
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1.0)
        self.resolution = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        self.fps = float(cap.get(cv2.CAP_PROP_FPS))
        self._cap = cap
        self._black_run = 0
        log.info(
            "%s opened: asked %dx%d@%.0f, got %dx%d@%.1f",
            self.name,
            width,
            height,
            self.requested_fps,
            *self.resolution,
            self.fps,
        )

    def read(self) -> np.ndarray:
        """The next picture; CameraError when none comes in time or the camera only sends black."""
        cap = self._cap
        if cap is None:
            raise CameraError(f"{self.name} is not open")
        deadline = time.monotonic() + self.read_timeout_s
        while True:
            with self._cap_lock, opencv_quiet():  # an unplugged camera warns on every failed read
                ok, image = cap.read()
            if ok and image is not None and image.size:
                break
            if time.monotonic() >= deadline:
                raise CameraError(
                    _(
                        "{name} stopped sending pictures (nothing for {read_timeout_s:.0f} s) — check "
                        "the cable."
                    ).format(name=self.name, read_timeout_s=self.read_timeout_s)
                )
            time.sleep(0.01)
        self._check_black(image)
        return np.ascontiguousarray(image)

    def _check_black(self, image: np.ndarray) -> None:
        """Count consecutive black pictures on a sparse sample (cheap: every 16th pixel)."""
        if self.black_frame_limit is None:
            return
        if float(image[::16, ::16].mean()) < self.black_level:
            self._black_run += 1
            if self._black_run >= self.black_frame_limit:
                self._black_run = 0
                raise CameraError(
                    _("{name} shows only black pictures — is the light on and the lens uncovered?").format(
                        name=self.name
                    )
                )
        else:
            self._black_run = 0

    def close(self) -> None:
        """Release the device; safe to call twice."""
        with self._cap_lock:
            cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()

    def camera_controls(self) -> OpenCVControls:
        """The controls of this camera, following it across reconnects (the same object each time)."""
        if self._controls is None:
            self._controls = OpenCVControls(
                _OpenDevice(self), lock=self._cap_lock, backend=self.backend, camera_name=self.name
            )
        return self._controls


class _OpenDevice:
    """get/set on whatever VideoCapture the camera has open now (the caller holds the camera's lock)."""

    def __init__(self, camera: OpenCVCamera) -> None:
        self._camera = camera

    def _cap(self) -> cv2.VideoCapture:
        cap = self._camera._cap
        if cap is None:
            raise ControlError(
                _("{name} is not connected — its controls cannot be changed now.").format(
                    name=self._camera.name
                )
            )
        return cap

    def get(self, prop_id: int) -> float:
        return float(self._cap().get(prop_id))

    def set(self, prop_id: int, value: float) -> bool:
        return bool(self._cap().set(prop_id, value))
