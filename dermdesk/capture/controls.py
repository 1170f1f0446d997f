"""Camera controls — exposure, gain, white balance, focus, zoom — and which of them a device really has.

``cv2.VideoCapture.set`` returns True for almost any property on most backends, including properties
the camera does not have, so support cannot be read from its return value. ``OpenCVControls.probe``
decides by setting a nearby value and reading it back (then restoring the original): a control that
does not take the value is not offered, and the UI does not show it.

Values are checked against the control's range before they reach the device; an out-of-range value is a
ValueError that names the control, the value and the range. The chosen values are remembered per camera
(``DermDeskSettings.cameras``) as a flat dict — ``{"exposure": 12.0, "exposure.auto": False, ...}`` — and
applied again by ``apply_remembered`` when that camera is opened.

Which sources have which controls:
- a USB/UVC camera (``OpenCVCamera``): whatever the probe finds; ranges are the usual ones per backend
  (V4L2 on Linux, Media Foundation/DirectShow on Windows), since OpenCV cannot ask the device;
- the virtual dermatoscope: exposure (auto/manual), white balance (auto/temperature) and zoom — the
  things that change its picture; no gain and no focus (it imitates a fixed-focus contact dermatoscope);
- a video file: none (a recording cannot be re-exposed).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

import cv2

from dermdesk.i18n import _

log = logging.getLogger(__name__)

RememberedControls = dict[str, float | bool]
"""What settings keep per camera: ``name`` -> value and ``name.auto`` -> bool."""


class ControlName(StrEnum):
    """A camera control, by the name settings and sidecars use."""

    EXPOSURE = "exposure"
    GAIN = "gain"
    WHITE_BALANCE = "white_balance"
    FOCUS = "focus"
    ZOOM = "zoom"


class ControlError(RuntimeError):
    """The device did not take a control value (or is not open); the message is for clinic staff."""


@dataclass(frozen=True)
class ControlRange:
    """What a control accepts: ``minimum``..``maximum`` in ``step``s of ``unit``; ``has_auto`` when the
    device can also set it automatically."""

    label: str
    minimum: float
    maximum: float
    step: float
    unit: str = ""
    has_auto: bool = False

    def check(self, value: float) -> float:
        """``value`` as a float if it lies in the range; ValueError naming control, value and range."""
        number = float(value)
        if not math.isfinite(number) or not self.minimum <= number <= self.maximum:
            unit = f" {self.unit}" if self.unit else ""
            raise ValueError(
                _(
                    "{label} {value}{unit} is out of range: it must be between {minimum:g} and "
                    "{maximum:g}{unit}."
                ).format(label=self.label, value=value, unit=unit, minimum=self.minimum, maximum=self.maximum)
            )
        return number


@dataclass(frozen=True)
class ControlState:
    """A control's current value and, for controls with an automatic mode, whether it is automatic."""

    value: float
    auto: bool | None = None


class CameraControls(Protocol):
    """The controls of one open source. Calls may block briefly (device I/O): use a worker thread."""

    def probe(self) -> dict[ControlName, ControlRange]:
        """The controls this device really has (decided by setting and reading back)."""
        ...

    def get(self, name: ControlName) -> ControlState:
        """The current state of a supported control; ControlError if the device cannot say."""
        ...

    def set_value(self, name: ControlName, value: float) -> float:
        """Set a manual value (switching automatic off); returns the value read back.

        ValueError when ``value`` is outside the control's range; ControlError when the device fails.
        """
        ...

    def set_auto(self, name: ControlName, auto: bool) -> None:
        """Switch the automatic mode of a control that has one."""
        ...


@runtime_checkable
class HasCameraControls(Protocol):
    """A FrameSource whose picture can be adjusted."""

    def camera_controls(self) -> CameraControls:
        """The controls of this source (valid while it is open)."""
        ...


def remembered_state(
    controls: CameraControls, supported: Mapping[ControlName, ControlRange]
) -> RememberedControls:
    """The current values of the supported controls, in the form settings keep."""
    state: RememberedControls = {}
    for name, spec in supported.items():
        current = controls.get(name)
        state[name.value] = current.value
        if spec.has_auto and current.auto is not None:
            state[f"{name.value}.auto"] = current.auto
    return state


def apply_remembered(
    controls: CameraControls, supported: Mapping[ControlName, ControlRange], remembered: Mapping[str, object]
) -> list[str]:
    """Apply remembered values to the supported controls; returns notices for the ones skipped.

    A remembered value that is now out of range (another camera on the same port) or a control the
    device no longer has is skipped with a notice instead of failing the whole camera.
    """
    notices: list[str] = []
    for name, spec in supported.items():
        auto = remembered.get(f"{name.value}.auto")
        value = remembered.get(name.value)
        try:
            if spec.has_auto and auto is True:
                controls.set_auto(name, True)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                controls.set_value(name, float(value))
        except (ValueError, ControlError) as exc:
            notices.append(f"The remembered {spec.label.lower()} was not applied: {exc}")
            log.warning("Remembered %s not applied: %s", name.value, exc)
    return notices


# --- OpenCV cameras -------------------------------------------------------------------------------------


class PropertyAccess(Protocol):
    """The part of cv2.VideoCapture the controls use (tests pass a fake)."""

    def get(self, prop_id: int) -> float: ...

    def set(self, prop_id: int, value: float) -> bool: ...


@dataclass(frozen=True)
class _OpenCVControl:
    prop: int
    auto_prop: int | None
    spec: ControlRange


@dataclass(frozen=True)
class AutoValues:
    """What the backend's "auto" properties read and take for on and off."""

    exposure_on: float
    exposure_off: float
    toggle_on: float = 1.0
    toggle_off: float = 0.0


V4L2_AUTO = AutoValues(exposure_on=3.0, exposure_off=1.0)  # V4L2_EXPOSURE_APERTURE_PRIORITY / MANUAL
WINDOWS_AUTO = AutoValues(exposure_on=0.75, exposure_off=0.25)  # MSMF / DirectShow convention in OpenCV

_V4L2_RANGES: dict[ControlName, ControlRange] = {
    ControlName.EXPOSURE: ControlRange("Exposure", 1, 5000, 1, "× 100 µs", has_auto=True),
    ControlName.GAIN: ControlRange("Gain", 0, 255, 1),
    ControlName.WHITE_BALANCE: ControlRange("White balance", 2800, 6500, 10, "K", has_auto=True),
    ControlName.FOCUS: ControlRange("Focus", 0, 1023, 1, has_auto=True),
    ControlName.ZOOM: ControlRange("Zoom", 100, 500, 1),
}
_WINDOWS_RANGES: dict[ControlName, ControlRange] = {
    **_V4L2_RANGES,
    ControlName.EXPOSURE: ControlRange("Exposure", -13, 0, 1, "log₂ s", has_auto=True),
    ControlName.FOCUS: ControlRange("Focus", 0, 255, 1, has_auto=True),
}
_PROPS: dict[ControlName, tuple[int, int | None]] = {
    ControlName.EXPOSURE: (cv2.CAP_PROP_EXPOSURE, cv2.CAP_PROP_AUTO_EXPOSURE),
    ControlName.GAIN: (cv2.CAP_PROP_GAIN, None),
    ControlName.WHITE_BALANCE: (cv2.CAP_PROP_WB_TEMPERATURE, cv2.CAP_PROP_AUTO_WB),
    ControlName.FOCUS: (cv2.CAP_PROP_FOCUS, cv2.CAP_PROP_AUTOFOCUS),
    ControlName.ZOOM: (cv2.CAP_PROP_ZOOM, None),
}


def ranges_for_backend(backend: int) -> tuple[dict[ControlName, ControlRange], AutoValues]:
    """The usual control ranges and auto conventions of an OpenCV capture backend."""
    if backend in (int(cv2.CAP_MSMF), int(cv2.CAP_DSHOW)):
        return dict(_WINDOWS_RANGES), WINDOWS_AUTO
    return dict(_V4L2_RANGES), V4L2_AUTO


class OpenCVControls:
    """CameraControls over a cv2.VideoCapture; ``lock`` serialises access with the grabber's reads."""

    def __init__(
        self,
        capture: PropertyAccess,
        *,
        lock: threading.Lock | None = None,
        backend: int = int(cv2.CAP_V4L2),
        camera_name: str = "The camera",
    ) -> None:
        self._capture = capture
        self._lock = lock or threading.Lock()
        ranges, self._auto = ranges_for_backend(backend)
        self._controls = {
            name: _OpenCVControl(prop, auto_prop, ranges[name]) for name, (prop, auto_prop) in _PROPS.items()
        }
        self._supported: dict[ControlName, ControlRange] | None = None
        self._name = camera_name

    def probe(self) -> dict[ControlName, ControlRange]:
        supported: dict[ControlName, ControlRange] = {}
        with self._lock:
            for name, control in self._controls.items():
                if self._takes_values(control):
                    supported[name] = control.spec
        self._supported = supported
        log.info("%s supports: %s", self._name, ", ".join(n.value for n in supported) or "no controls")
        return dict(supported)

    def _takes_values(self, control: _OpenCVControl) -> bool:
        """Set a value next to the current one and read it back; restore what was there."""
        spec = control.spec
        original = self._capture.get(control.prop)
        auto_before = self._capture.get(control.auto_prop) if control.auto_prop is not None else None
        if control.auto_prop is not None:
            self._capture.set(control.auto_prop, self._auto_value(control, False))
        start = original if spec.minimum <= original <= spec.maximum else (spec.minimum + spec.maximum) / 2
        jump = max(spec.step, (spec.maximum - spec.minimum) / 20)
        trial = start + jump if start + jump <= spec.maximum else start - jump
        self._capture.set(control.prop, trial)
        read_back = self._capture.get(control.prop)
        supported = abs(read_back - trial) <= max(spec.step, 1e-6) / 2 + 1e-9
        self._capture.set(control.prop, original)
        if control.auto_prop is not None and auto_before is not None:
            self._capture.set(control.auto_prop, auto_before)
        return supported

    def _auto_value(self, control: _OpenCVControl, on: bool) -> float:
        if control.auto_prop == cv2.CAP_PROP_AUTO_EXPOSURE:
            return self._auto.exposure_on if on else self._auto.exposure_off
        return self._auto.toggle_on if on else self._auto.toggle_off

    def _supported_control(self, name: ControlName) -> _OpenCVControl:
        if self._supported is None:
            self.probe()
        assert self._supported is not None
        if name not in self._supported:
            raise ControlError(
                _("{name} has no {label} control.").format(
                    name=self._name, label=self._controls[name].spec.label.lower()
                )
            )
        return self._controls[name]

    def get(self, name: ControlName) -> ControlState:
        control = self._supported_control(name)
        with self._lock:
            value = self._capture.get(control.prop)
            auto = None
            if control.auto_prop is not None:
                raw = self._capture.get(control.auto_prop)
                auto = abs(raw - self._auto_value(control, True)) < abs(
                    raw - self._auto_value(control, False)
                )
        return ControlState(float(value), auto)

    def set_value(self, name: ControlName, value: float) -> float:
        control = self._supported_control(name)
        number = control.spec.check(value)
        with self._lock:
            if control.auto_prop is not None:
                self._capture.set(control.auto_prop, self._auto_value(control, False))
            self._capture.set(control.prop, number)
            read_back = float(self._capture.get(control.prop))
        if abs(read_back - number) > control.spec.step:
            raise ControlError(
                _("{name} did not take {label} {number:g} (it reports {read_back:g}).").format(
                    name=self._name, label=control.spec.label.lower(), number=number, read_back=read_back
                )
            )
        return read_back

    def set_auto(self, name: ControlName, auto: bool) -> None:
        control = self._supported_control(name)
        if control.auto_prop is None:
            raise ControlError(_("{label} has no automatic mode.").format(label=control.spec.label))
        with self._lock:
            self._capture.set(control.auto_prop, self._auto_value(control, auto))
