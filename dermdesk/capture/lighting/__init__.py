"""Lighting: the modes a dermatoscope's light has, and switching them on real and virtual devices.

The capture screen's lighting buttons, the lighting sequence and the tests all talk to a
``LightingController``; which driver sits behind it depends on the device:

| driver | hardware | module |
| --- | --- | --- |
| ``VirtualLighting`` | the virtual dermatoscope (every mode) | ``virtual`` |
| ``SerialLedRing`` | an LED ring controller on a serial port, ASCII line protocol | ``serial_ring`` |
| ``V4l2Lighting`` | Linux UVC cameras whose LEDs are V4L2 controls (``v4l2-ctl``) | ``v4l2`` |
| ``DinoLiteLighting`` | Dino-Lite on Windows via the DNX64 SDK, if its DLL is there | ``dinolite`` |

Modules import one way only: ``modes`` (the LightingMode enum) <- ``controller`` (the interface,
LightingError and the checks the drivers share) <- the drivers <- ``devices`` (``open_lighting``, which
opens the driver a camera profile's spec string names). The names below are the package's public ones;
import a driver's own module for what is particular to it.
"""

from dermdesk.capture.lighting.controller import (
    LightingController,
    LightingError,
    check_offered,
    in_enum_order,
)
from dermdesk.capture.lighting.devices import open_lighting, parse_lighting_spec
from dermdesk.capture.lighting.modes import LightingMode
from dermdesk.capture.lighting.virtual import VirtualLighting

__all__ = [
    "LightingController",
    "LightingError",
    "LightingMode",
    "VirtualLighting",
    "check_offered",
    "in_enum_order",
    "open_lighting",
    "parse_lighting_spec",
]
