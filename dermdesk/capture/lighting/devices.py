"""Opening the lighting device a camera's profile names, from its spec string.

Each camera's profile in the settings names its controller as a spec string: ``serial:/dev/ttyUSB0``
(optionally ``@115200``), ``v4l2:/dev/video2``, ``dinolite`` or ``dinolite:C:\\path\\DNX64.dll``. The
drivers are imported only when their kind of device is opened.
"""

from __future__ import annotations

from collections.abc import Mapping

from dermdesk.capture.lighting.controller import LightingController, LightingError
from dermdesk.i18n import _


def parse_lighting_spec(spec: str) -> tuple[str, str]:
    """``kind:target`` split and checked; ValueError naming the accepted forms otherwise."""
    kind, _sep, target = spec.strip().partition(":")
    kind = kind.lower()
    if kind in ("serial", "v4l2") and target:
        return kind, target
    if kind == "dinolite":
        return kind, target
    raise ValueError(
        _(
            "unknown lighting device {spec!r}: use serial:PORT[@BAUD], v4l2:/dev/videoN or "
            "dinolite[:DLL-PATH]"
        ).format(spec=spec)
    )


def open_lighting(
    spec: str,
    *,
    v4l2_controls: Mapping[str, Mapping[str, int]] | None = None,
    timeout_s: float = 1.0,
) -> LightingController:
    """Open the controller ``spec`` names (see the module docstring); LightingError when it cannot.

    ``v4l2_controls``: for ``v4l2:`` devices, LightingMode value -> {control name: value}; None uses
    ``v4l2.DEFAULT_MODE_CONTROLS``.
    """
    try:
        kind, target = parse_lighting_spec(spec)
    except ValueError as exc:
        raise LightingError(str(exc)) from exc
    if kind == "serial":
        from dermdesk.capture.lighting.serial_ring import SerialLedRing

        port, _, baud = target.partition("@")
        ring = SerialLedRing(port, baudrate=int(baud) if baud.isdigit() else 115200, timeout_s=timeout_s)
        ring.open()
        return ring
    if kind == "v4l2":
        from dermdesk.capture.lighting.v4l2 import V4l2Lighting, mode_controls_from_settings

        v4l2 = V4l2Lighting(target, mode_controls_from_settings(v4l2_controls))
        v4l2.open()
        return v4l2
    from dermdesk.capture.lighting.dinolite import load_dinolite

    return load_dinolite(target or None)
