"""Switching a dermatoscope's light: one LightingController interface, one driver per kind of hardware.

The capture screen's lighting buttons, the lighting sequence and the tests all talk to a
``LightingController``; which driver sits behind it depends on the device:

| driver | hardware | module |
| --- | --- | --- |
| ``VirtualLighting`` | the virtual dermatoscope (every mode) | here |
| ``SerialLedRing`` | an LED ring controller on a serial port, ASCII line protocol | ``lighting_serial`` |
| ``V4l2Lighting`` | Linux UVC cameras whose LEDs are V4L2 controls (``v4l2-ctl``) | ``lighting_v4l2`` |
| ``DinoLiteLighting`` | Dino-Lite on Windows via the DNX64 SDK, if its DLL is there | ``lighting_dinolite`` |

Each camera's profile in the settings names its controller as a spec string, opened by
``open_lighting``: ``serial:/dev/ttyUSB0`` (optionally ``@115200``), ``v4l2:/dev/video2``,
``dinolite`` or ``dinolite:C:\\path\\DNX64.dll``. Asking for a mode the device lacks, or a device that
has gone away, raises LightingError with a message for staff; the drivers never leave a half-set state
unreported. Calls may block on device I/O (up to the driver's timeout): call them off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from dermdesk.capture.lighting import LightingMode

if TYPE_CHECKING:
    from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope

log = logging.getLogger(__name__)


class LightingError(RuntimeError):
    """The light could not be switched (mode missing, device gone, no answer); message for staff."""


@runtime_checkable
class LightingController(Protocol):
    """Switches the light of one device between the LightingModes it has."""

    name: str

    def available_modes(self) -> tuple[LightingMode, ...]:
        """The modes this device offers, in LightingMode order."""
        ...

    def set_mode(self, mode: LightingMode) -> None:
        """Switch to ``mode``; LightingError if the device lacks it or does not confirm."""
        ...

    @property
    def current_mode(self) -> LightingMode | None:
        """The mode last confirmed by the device (None before the first switch, when unknown)."""
        ...

    def close(self) -> None:
        """Release the device; safe to call twice."""
        ...


def check_offered(name: str, mode: LightingMode, offered: Sequence[LightingMode]) -> None:
    """LightingError naming the device, the mode and what it does offer, unless ``mode`` is offered."""
    if mode not in offered:
        choices = ", ".join(m.label for m in offered) or "no modes"
        raise LightingError(f"{name} has no {mode.label} — it offers: {choices}.")


def in_enum_order(modes: Sequence[LightingMode]) -> tuple[LightingMode, ...]:
    """``modes`` without duplicates, in the order LightingMode declares them (the UI's order)."""
    wanted = set(modes)
    return tuple(mode for mode in LightingMode if mode in wanted)


class VirtualLighting:
    """The virtual dermatoscope's light: every mode, switched at the next frame.

    Like a real dermatoscope whose LEDs sit on the same USB device as its camera, it fails with
    LightingError while the dermatoscope is (simulated) unplugged.
    """

    def __init__(self, source: VirtualDermatoscope, modes: Sequence[LightingMode] | None = None) -> None:
        self.source = source
        self.name = source.name
        self._modes = in_enum_order(modes if modes is not None else list(LightingMode))
        self._current: LightingMode | None = source.lighting
        self._lock = threading.Lock()

    def available_modes(self) -> tuple[LightingMode, ...]:
        return self._modes

    def set_mode(self, mode: LightingMode) -> None:
        check_offered(self.name, mode, self._modes)
        if self.source.unplugged:
            raise LightingError(f"{self.name} is unplugged — its light cannot be switched.")
        with self._lock:
            self.source.set_lighting(mode)
            self._current = mode

    @property
    def current_mode(self) -> LightingMode | None:
        with self._lock:
            return self._current

    def close(self) -> None:
        """Nothing to release: the light belongs to the virtual dermatoscope."""


def parse_lighting_spec(spec: str) -> tuple[str, str]:
    """``kind:target`` split and checked; ValueError naming the accepted forms otherwise."""
    kind, _, target = spec.strip().partition(":")
    kind = kind.lower()
    if kind in ("serial", "v4l2") and target:
        return kind, target
    if kind == "dinolite":
        return kind, target
    raise ValueError(
        f"unknown lighting device {spec!r}: use serial:PORT[@BAUD], v4l2:/dev/videoN or dinolite[:DLL-PATH]"
    )


def open_lighting(
    spec: str,
    *,
    v4l2_controls: Mapping[str, Mapping[str, int]] | None = None,
    timeout_s: float = 1.0,
) -> LightingController:
    """Open the controller ``spec`` names (see the module docstring); LightingError when it cannot.

    ``v4l2_controls``: for ``v4l2:`` devices, LightingMode value -> {control name: value}; None uses
    ``lighting_v4l2.DEFAULT_MODE_CONTROLS``.
    """
    try:
        kind, target = parse_lighting_spec(spec)
    except ValueError as exc:
        raise LightingError(str(exc)) from exc
    if kind == "serial":
        from dermdesk.capture.lighting_serial import SerialLedRing

        port, _, baud = target.partition("@")
        ring = SerialLedRing(port, baudrate=int(baud) if baud.isdigit() else 115200, timeout_s=timeout_s)
        ring.open()
        return ring
    if kind == "v4l2":
        from dermdesk.capture.lighting_v4l2 import V4l2Lighting, mode_controls_from_settings

        v4l2 = V4l2Lighting(target, mode_controls_from_settings(v4l2_controls))
        v4l2.open()
        return v4l2
    from dermdesk.capture.lighting_dinolite import load_dinolite

    return load_dinolite(target or None)
