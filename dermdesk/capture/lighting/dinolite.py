"""Dino-Lite dermatoscopes and microscopes on Windows, through the vendor's DNX64 SDK (optional).

UNTESTED HERE: the SDK is a Windows DLL (``DNX64.dll``) that Dino-Lite distributors hand out; it is
not shipped with DermDesk and there is no such device in CI. This module is kept deliberately thin so
there is little to go wrong: it loads the DLL with ctypes only when it exists, and uses three of its
functions — ``Init()``, ``SetVideoDeviceIndex(index)`` and ``SetLEDState(index, state)`` (0 = LEDs
off, 1 = on; models with a second LED set, e.g. UV, take 2 for it; see the SDK's parameter table). The
mode-to-state table is a constructor argument so a clinic's model can be configured without code.
"""

from __future__ import annotations

import ctypes
import logging
import os
import platform
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dermdesk.capture.lighting.controller import LightingError, check_offered, in_enum_order
from dermdesk.capture.lighting.modes import LightingMode
from dermdesk.i18n import _

log = logging.getLogger(__name__)

DEFAULT_DLL = Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "DNX64" / "DNX64.dll"
DEFAULT_LED_STATES: dict[LightingMode, int] = {LightingMode.OFF: 0, LightingMode.WHITE: 1}


def dinolite_available(dll_path: Path | None = None) -> bool:
    """True on Windows when the DNX64 DLL is present."""
    return platform.system() == "Windows" and (dll_path or DEFAULT_DLL).is_file()


def load_dinolite(
    dll_path: str | Path | None = None,
    *,
    device_index: int = 0,
    led_states: Mapping[LightingMode, int] | None = None,
) -> DinoLiteLighting:
    """The Dino-Lite controller; LightingError when not on Windows, the DLL is missing or Init fails."""
    path = Path(dll_path) if dll_path else DEFAULT_DLL
    if not dinolite_available(path):
        raise LightingError(
            _(
                "Dino-Lite lighting needs Windows and the DNX64 SDK ({path}); it is not available here."
            ).format(path=path)
        )
    try:
        dll: Any = ctypes.CDLL(str(path))
    except OSError as exc:
        raise LightingError(
            _("The Dino-Lite SDK {path} could not be loaded: {exc}").format(path=path, exc=exc)
        ) from exc
    return DinoLiteLighting(dll, device_index=device_index, led_states=led_states)


class DinoLiteLighting:
    """A LightingController over a loaded DNX64 DLL (see the module docstring for what it calls)."""

    def __init__(
        self, dll: Any, *, device_index: int = 0, led_states: Mapping[LightingMode, int] | None = None
    ) -> None:
        self.name = f"Dino-Lite {device_index}"
        self._dll = dll
        self._index = device_index
        self._states = dict(led_states or DEFAULT_LED_STATES)
        self._modes = in_enum_order(list(self._states))
        self._current: LightingMode | None = None
        self._lock = threading.Lock()
        dll.SetVideoDeviceIndex(ctypes.c_int(device_index))
        if not dll.Init():
            raise LightingError(_("The Dino-Lite did not respond — is it plugged in and its preview open?"))

    def available_modes(self) -> tuple[LightingMode, ...]:
        return self._modes

    @property
    def current_mode(self) -> LightingMode | None:
        return self._current

    def set_mode(self, mode: LightingMode) -> None:
        check_offered(self.name, mode, self._modes)
        with self._lock:
            try:
                self._dll.SetLEDState(ctypes.c_int(self._index), ctypes.c_long(self._states[mode]))
            except OSError as exc:
                raise LightingError(
                    _("The Dino-Lite could not switch to {label}: {exc}").format(label=mode.label, exc=exc)
                ) from exc
            self._current = mode

    def close(self) -> None:
        """The SDK keeps no per-session handle to release."""
