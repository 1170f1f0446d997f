"""A dermatoscope made of software: real lesion pictures streamed like a live USB camera.

It lets the app be demonstrated, tested and benchmarked on any machine: 36 HAM10000 pictures (see
resources/CREDITS.md) shown one lesion at a time at up to 1920x1080 and 30 fps, with what makes a live
picture live — a hand that moves a few pixels, sensor noise, focus that drifts — and the look of each
lighting mode, so lighting controls and the classifier can be exercised without hardware.

Per-frame cost is kept to a crop and two or three saturating additions: everything expensive (the
lighting look, the upscale, the blurred copy for focus drift, the noise) is computed once — the look per
lesion, mode and resolution (applied at the picture's own 200x150 size, then upscaled once), the noise
once per open or resolution change as a fixed bank of views into one noise field. Measured with
``dermdesk.capture.bench.measure_pipeline`` the generation takes about 1-2 ms per 1080p frame on one core.

Fault injection (``set_unplugged``, ``fail_after``) is for tests and demos only: it simulates pulling the
USB cable so the grabber's reconnect logic can be exercised on a real source.
"""

from __future__ import annotations

import csv
import logging
import math
import threading
import time
import zlib
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from dermdesk.capture.frames import CameraError
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.looks import Tuning, apply_tuning, fill_frame, render_look
from dermdesk.capture.pacing import FramePacer
from dermdesk.capture.virtual_controls import VirtualControls
from dermdesk.i18n import _
from dermdesk.resources import resource_path

log = logging.getLogger(__name__)

MAX_RESOLUTION = (1920, 1080)
MARGIN = 8  # pixels of room on each side of the frame for the hand's motion
NOISE_BANK_SIZE = 8
NOISE_SIGMA = 2.5  # sensor noise, grey levels
_NOISE_OFFSETS = ((0, 0), (5, 11), (13, 3), (2, 14), (9, 7), (15, 1), (7, 15), (11, 9))
_NOISE_PAD = 16
_FOCUS_SIGMA = 2.2  # blur of the out-of-focus copy at full resolution
_LOOK_CACHE_SIZE = 3  # (lesion, mode, resolution, tuning) looks kept; 1080p costs ~13 MB each

_LookKey = tuple[int, LightingMode, tuple[int, int], Tuning]


def default_lesion_dir() -> Path:
    """resources/virtual_dermatoscope in the source tree or an installed one-folder build."""
    return resource_path("virtual_dermatoscope")


@dataclass(frozen=True)
class VirtualLesion:
    """One picture the virtual dermatoscope can show, with its confirmed diagnosis."""

    file: Path
    image_id: str
    dx: str


def load_lesions(folder: Path) -> list[VirtualLesion]:
    """The lesions listed in ``folder/manifest.csv``; CameraError when the pictures are missing."""
    manifest = folder / "manifest.csv"
    try:
        with manifest.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise CameraError(
            _("The virtual dermatoscope's pictures are missing ({manifest}): {strerror}").format(
                manifest=manifest, strerror=exc.strerror
            )
        ) from exc
    lesions = [VirtualLesion(folder / row["file"], row["image_id"], row["dx"]) for row in rows]
    if not lesions:
        raise CameraError(
            _("The virtual dermatoscope has no pictures: {manifest} is empty").format(manifest=manifest)
        )
    return lesions


@dataclass(frozen=True)
class _Look:
    """A lesion in one lighting mode at one resolution: sharp and defocused canvases with margin."""

    sharp: np.ndarray
    blurred: np.ndarray


class VirtualDermatoscope:
    """A FrameSource streaming real dermoscopy pictures at ``fps``, paced by a monotonic clock.

    Controls (``set_lighting``, ``next_lesion``, ``set_lesion``, ``set_resolution``, ``set_tuning``, fault
    injection) may be called from any thread; they take effect at the next read(), which runs on the
    grabber thread. ``camera_controls()`` offers exposure, white balance and zoom like a real camera.
    """

    def __init__(
        self,
        resolution: tuple[int, int] = (1280, 720),
        fps: float = 30.0,
        *,
        lesion_dir: Path | None = None,
        lighting: LightingMode = LightingMode.WHITE_POLARISED,
        name: str = "Virtual dermatoscope",
        seed: int = 0,
    ) -> None:
        _check_resolution(resolution)
        self.name = name
        self.lesions: list[VirtualLesion] = load_lesions(lesion_dir or default_lesion_dir())
        self.seed = seed
        self._lock = threading.Lock()
        self._resolution = resolution
        self._lighting = lighting
        self._tuning = Tuning()
        self._controls: VirtualControls | None = None
        self._lesion_index = 0
        self._unplugged = False
        self._reads_until_unplug: int | None = None
        self._pacer = FramePacer(fps)
        self._pictures: list[np.ndarray] = []
        self._looks: OrderedDict[_LookKey, _Look] = OrderedDict()
        self._noise_bank: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
        self._noise_resolution: tuple[int, int] | None = None
        self._opened = False
        self._frame_count = 0
        self._last_metadata: dict[str, object] = {}
        self.generation_ms: deque[float] = deque(maxlen=4096)
        """Milliseconds each read() spent making its frame (pacing sleep excluded), newest last."""

    # --- controls (any thread) -------------------------------------------------------------------

    @property
    def fps(self) -> float:
        return self._pacer.fps

    @property
    def resolution(self) -> tuple[int, int]:
        with self._lock:
            return self._resolution

    @property
    def lighting(self) -> LightingMode:
        with self._lock:
            return self._lighting

    @property
    def lesion_index(self) -> int:
        with self._lock:
            return self._lesion_index

    @property
    def current_lesion(self) -> VirtualLesion:
        return self.lesions[self.lesion_index]

    @property
    def noise_bank(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """The fixed bank of (add, subtract) noise views, made at open; read() only cycles through it."""
        return self._noise_bank

    @property
    def tuning(self) -> Tuning:
        with self._lock:
            return self._tuning

    @property
    def unplugged(self) -> bool:
        """True while a simulated unplug is in force (reads and opens fail)."""
        with self._lock:
            return self._unplugged

    def set_lighting(self, mode: LightingMode) -> None:
        with self._lock:
            self._lighting = mode

    def set_tuning(self, tuning: Tuning) -> None:
        """Exposure, white balance and zoom from the next frame on (the look is rebuilt once)."""
        with self._lock:
            self._tuning = tuning

    def camera_controls(self) -> VirtualControls:
        """Exposure (auto/manual), white balance (auto/temperature) and zoom; no gain, no focus."""
        with self._lock:
            if self._controls is None:
                self._controls = VirtualControls(self)
            return self._controls

    def set_lesion(self, index: int) -> VirtualLesion:
        """Show lesion ``index`` (wraps around) from the next frame on."""
        with self._lock:
            self._lesion_index = index % len(self.lesions)
            return self.lesions[self._lesion_index]

    def next_lesion(self) -> VirtualLesion:
        """Move on to the next lesion, as if the dermatoscope were placed on another spot."""
        return self.set_lesion(self.lesion_index + 1)

    def set_resolution(self, resolution: tuple[int, int]) -> None:
        """Change the frame size (at most 1920x1080); the next read() rebuilds look and noise once."""
        _check_resolution(resolution)
        with self._lock:
            self._resolution = resolution

    def set_unplugged(self, unplugged: bool) -> None:
        """FOR TESTS AND DEMOS: simulate unplugging (read() and open() raise CameraError) or plugging in."""
        with self._lock:
            self._unplugged = unplugged
            self._reads_until_unplug = None
        log.info("%s: simulated %s", self.name, "unplug" if unplugged else "plug-in")

    def fail_after(self, reads: int) -> None:
        """FOR TESTS AND DEMOS: the next ``reads`` reads succeed, then the device is simulated unplugged."""
        with self._lock:
            self._reads_until_unplug = max(0, reads)

    # --- FrameSource -----------------------------------------------------------------------------

    def open(self) -> None:
        """Load the pictures and prepare noise and the first look, so the first read() is fast."""
        with self._lock:
            if self._unplugged:
                raise CameraError(
                    _("{name} is unplugged (simulated) — plug it back in").format(name=self.name)
                )
            resolution = self._resolution
            key = (self._lesion_index, self._lighting, self._resolution, self._tuning)
        if not self._pictures:
            self._pictures = [self._load_picture(lesion) for lesion in self.lesions]
        self._ensure_noise(resolution)
        self._look(key)
        self._pacer.reset()
        self._opened = True
        log.info("%s opened at %dx%d, %.0f fps", self.name, *resolution, self.fps)

    def read(self) -> np.ndarray:
        """The next frame, after sleeping until its time (at most one frame interval)."""
        self._pacer.wait()
        started = time.perf_counter()
        with self._lock:
            if self._unplugged or self._reads_until_unplug == 0:
                self._unplugged = True
                self._reads_until_unplug = None
                raise CameraError(_("{name} was unplugged (simulated)").format(name=self.name))
            if self._reads_until_unplug is not None:
                self._reads_until_unplug -= 1
            lesion_index, mode, resolution = self._lesion_index, self._lighting, self._resolution
            tuning = self._tuning
        if not self._opened:
            raise CameraError(f"{self.name} is not open")
        image = self._compose(self._look((lesion_index, mode, resolution, tuning)), resolution)
        lesion = self.lesions[lesion_index]
        self._last_metadata = {
            "virtual": True,
            "lighting": mode.value,
            "lesion_index": lesion_index,
            "lesion_image_id": lesion.image_id,
            "lesion_dx": lesion.dx,
        }
        self._frame_count += 1
        self.generation_ms.append((time.perf_counter() - started) * 1000.0)
        return image

    def frame_metadata(self) -> dict[str, object]:
        return dict(self._last_metadata)

    def close(self) -> None:
        """Stop streaming; caches are kept so a simulated re-plug reopens instantly."""
        self._opened = False

    # --- per frame -------------------------------------------------------------------------------

    def _compose(self, look: _Look, resolution: tuple[int, int]) -> np.ndarray:
        """Crop at the hand's offset, blend in defocus, add the next noise views: ~3 cheap passes."""
        width, height = resolution
        t = self._frame_count / self.fps
        dx, dy = _hand_offset(t)
        y0, x0 = MARGIN + dy, MARGIN + dx
        sharp = look.sharp[y0 : y0 + height, x0 : x0 + width]
        defocus = _defocus_weight(t)
        if defocus > 0.0:
            blurred = look.blurred[y0 : y0 + height, x0 : x0 + width]
            out = cv2.addWeighted(sharp, 1.0 - defocus, blurred, defocus, 0.0)
            add, subtract = self._noise_bank[self._frame_count % NOISE_BANK_SIZE]
            cv2.add(out, add, dst=out)
        else:
            add, subtract = self._noise_bank[self._frame_count % NOISE_BANK_SIZE]
            out = cv2.add(sharp, add)
        cv2.subtract(out, subtract, dst=out)
        return out

    # --- precomputed -----------------------------------------------------------------------------

    def _look(self, key: _LookKey) -> _Look:
        """The cached look for (lesion, mode, resolution, tuning); builds it once (~20 ms at 1080p)."""
        look = self._looks.get(key)
        if look is not None:
            self._looks.move_to_end(key)
            return look
        lesion_index, mode, resolution, tuning = key
        if self._noise_resolution != resolution:
            self._ensure_noise(resolution)
        lesion = self.lesions[lesion_index]
        small = render_look(self._pictures[lesion_index], mode, seed=zlib.crc32(lesion.image_id.encode()))
        small = apply_tuning(small, tuning)
        sharp = fill_frame(small, (resolution[0] + 2 * MARGIN, resolution[1] + 2 * MARGIN))
        look = _Look(sharp=sharp, blurred=cv2.GaussianBlur(sharp, (0, 0), _FOCUS_SIGMA))
        self._looks[key] = look
        while len(self._looks) > _LOOK_CACHE_SIZE:
            self._looks.popitem(last=False)
        log.debug("%s: look %s/%s at %dx%d ready", self.name, lesion.image_id, mode.value, *resolution)
        return look

    def _ensure_noise(self, resolution: tuple[int, int]) -> None:
        """One noise field a little larger than the frame, and NOISE_BANK_SIZE shifted views into it."""
        if self._noise_resolution == resolution:
            return
        width, height = resolution
        rng = np.random.default_rng(self.seed)
        shape = (height + _NOISE_PAD, width + _NOISE_PAD, 3)
        noise = rng.standard_normal(shape, dtype=np.float32) * NOISE_SIGMA
        np.rint(noise, out=noise)
        add = np.clip(noise, 0, 255).astype(np.uint8)
        subtract = np.clip(-noise, 0, 255).astype(np.uint8)
        self._noise_bank = tuple(
            (add[oy : oy + height, ox : ox + width], subtract[oy : oy + height, ox : ox + width])
            for oy, ox in _NOISE_OFFSETS[:NOISE_BANK_SIZE]
        )
        self._noise_resolution = resolution

    def _load_picture(self, lesion: VirtualLesion) -> np.ndarray:
        picture = cv2.imread(str(lesion.file), cv2.IMREAD_COLOR)
        if picture is None:
            raise CameraError(
                _("The virtual dermatoscope's picture {name} is missing or damaged").format(
                    name=lesion.file.name
                )
            )
        return np.asarray(picture, dtype=np.uint8)


def _check_resolution(resolution: tuple[int, int]) -> None:
    width, height = resolution
    if not (16 <= width <= MAX_RESOLUTION[0] and 16 <= height <= MAX_RESOLUTION[1]):
        raise ValueError(
            _("resolution {width}x{height} is outside 16x16 .. 1920x1080").format(width=width, height=height)
        )


def _hand_offset(t: float) -> tuple[int, int]:
    """A hand holding a dermatoscope: a small tremor plus a slow drift, whole pixels, within MARGIN."""
    dx = 2.0 * math.sin(2 * math.pi * 0.9 * t) + 4.0 * math.sin(2 * math.pi * 0.05 * t + 1.0)
    dy = 1.5 * math.sin(2 * math.pi * 1.3 * t + 0.5) + 3.0 * math.sin(2 * math.pi * 0.07 * t)
    return (max(-MARGIN, min(MARGIN, round(dx))), max(-MARGIN, min(MARGIN, round(dy))))


def _defocus_weight(t: float) -> float:
    """0 (sharp) most of the time; now and then the focus drifts off and back over a couple of seconds."""
    phase = math.sin(2 * math.pi * t / 9.0)
    weight = max(0.0, (phase - 0.4) / 0.6) * 0.8
    return round(weight * 16) / 16  # few distinct weights: the blend is skipped whenever it is 0
