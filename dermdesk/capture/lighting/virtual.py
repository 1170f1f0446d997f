"""The virtual dermatoscope's light: every LightingMode, switched at the next frame.

It drives any source with a switchable light (``LightSource``), in practice the VirtualDermatoscope;
the protocol keeps this package from importing the dermatoscope, which imports the lighting modes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from dermdesk.capture.lighting.controller import LightingError, check_offered, in_enum_order
from dermdesk.capture.lighting.modes import LightingMode
from dermdesk.i18n import _


class LightSource(Protocol):
    """What VirtualLighting needs of the virtual dermatoscope."""

    @property
    def name(self) -> str: ...

    @property
    def lighting(self) -> LightingMode | None: ...

    @property
    def unplugged(self) -> bool: ...

    def set_lighting(self, mode: LightingMode) -> None: ...


class VirtualLighting:
    """The virtual dermatoscope's light: every mode, switched at the next frame.

    Like a real dermatoscope whose LEDs sit on the same USB device as its camera, it fails with
    LightingError while the dermatoscope is (simulated) unplugged.
    """

    def __init__(self, source: LightSource, modes: Sequence[LightingMode] | None = None) -> None:
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
            raise LightingError(
                _("{name} is unplugged — its light cannot be switched.").format(name=self.name)
            )
        with self._lock:
            self.source.set_lighting(mode)
            self._current = mode

    @property
    def current_mode(self) -> LightingMode | None:
        with self._lock:
            return self._current

    def close(self) -> None:
        """Nothing to release: the light belongs to the virtual dermatoscope."""
