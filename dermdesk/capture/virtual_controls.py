"""The virtual dermatoscope's camera controls: exposure, white balance and zoom, like a real camera's.

They exist so the control panel, the remembered values and the white-balance calibration can be
exercised without hardware, and each visibly changes the picture:

- exposure: automatic, or 1-33 ms by hand; the picture's brightness scales with the time relative to
  the automatic exposure (AUTO_EXPOSURE_MS);
- white balance: automatic (neutral for the virtual LEDs, which are AUTO_WHITE_BALANCE_K), or a colour
  temperature by hand — a lower setting than the light's makes the picture bluer, a higher one warmer;
- zoom: 100-300 % digital zoom into the centre.

It has no gain and no focus control: it imitates a fixed-focus contact dermatoscope, so the UI shows
neither (that is what the "controls the source lacks are not shown" test relies on).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Protocol

from dermdesk.capture.controls import ControlError, ControlName, ControlRange, ControlState
from dermdesk.capture.looks import Tuning
from dermdesk.i18n import _

AUTO_EXPOSURE_MS = 16.0
AUTO_WHITE_BALANCE_K = 5500.0
_WB_STRENGTH = 0.8  # how strongly a mismatched colour temperature tints the picture

VIRTUAL_CONTROLS: dict[ControlName, ControlRange] = {
    ControlName.EXPOSURE: ControlRange("Exposure", 1, 33, 1, "ms", has_auto=True),
    ControlName.WHITE_BALANCE: ControlRange("White balance", 2800, 7500, 50, "K", has_auto=True),
    ControlName.ZOOM: ControlRange("Zoom", 100, 300, 5, "%"),
}


def white_balance_gains(kelvin: float) -> tuple[float, float, float]:
    """BGR gains a camera applies when told the light is ``kelvin`` while it is AUTO_WHITE_BALANCE_K."""
    ratio = AUTO_WHITE_BALANCE_K / kelvin
    return (ratio**_WB_STRENGTH, 1.0, (1.0 / ratio) ** _WB_STRENGTH)


class TunableSource(Protocol):
    """What the controls need of the virtual dermatoscope (which imports this module, not the reverse)."""

    def set_tuning(self, tuning: Tuning) -> None: ...


class VirtualControls:
    """CameraControls for a VirtualDermatoscope; the state lives here, the picture change in its Tuning.

    The dermatoscope makes one of these and hands out the same one each time (``camera_controls()``).
    """

    def __init__(self, source: TunableSource) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._state = _initial_state()

    def probe(self) -> dict[ControlName, ControlRange]:
        return dict(VIRTUAL_CONTROLS)

    def get(self, name: ControlName) -> ControlState:
        self._spec(name)
        with self._lock:
            return self._state[name]

    def set_value(self, name: ControlName, value: float) -> float:
        number = self._spec(name).check(value)
        with self._lock:
            auto = False if VIRTUAL_CONTROLS[name].has_auto else None
            self._state[name] = ControlState(number, auto)
        self._apply()
        return number

    def set_auto(self, name: ControlName, auto: bool) -> None:
        spec = self._spec(name)
        if not spec.has_auto:
            raise ControlError(_("{label} has no automatic mode.").format(label=spec.label))
        with self._lock:
            self._state[name] = replace(self._state[name], auto=auto)
        self._apply()

    def _spec(self, name: ControlName) -> ControlRange:
        spec = VIRTUAL_CONTROLS.get(name)
        if spec is None:
            raise ControlError(
                _("The virtual dermatoscope has no {value} control.").format(
                    value=name.value.replace("_", " ")
                )
            )
        return spec

    def _apply(self) -> None:
        with self._lock:
            exposure = self._state[ControlName.EXPOSURE]
            balance = self._state[ControlName.WHITE_BALANCE]
            zoom = self._state[ControlName.ZOOM]
        self._source.set_tuning(
            Tuning(
                exposure_gain=1.0 if exposure.auto else exposure.value / AUTO_EXPOSURE_MS,
                white_balance=(1.0, 1.0, 1.0) if balance.auto else white_balance_gains(balance.value),
                zoom=zoom.value / 100.0,
            )
        )


def _initial_state() -> dict[ControlName, ControlState]:
    return {
        ControlName.EXPOSURE: ControlState(AUTO_EXPOSURE_MS, auto=True),
        ControlName.WHITE_BALANCE: ControlState(AUTO_WHITE_BALANCE_K, auto=True),
        ControlName.ZOOM: ControlState(100.0),
    }
