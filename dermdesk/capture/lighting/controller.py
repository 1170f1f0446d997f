"""The interface every lighting driver implements, and the checks the drivers share.

A ``LightingController`` switches one device's light between the LightingModes it has. Asking for a mode
the device lacks, or a device that has gone away, raises LightingError with a message for staff; the
drivers never leave a half-set state unreported. Calls may block on device I/O (up to the driver's
timeout): call them off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from dermdesk.capture.lighting.modes import LightingMode
from dermdesk.i18n import _


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
        raise LightingError(
            _("{name} has no {label} — it offers: {choices}.").format(
                name=name, label=mode.label, choices=choices
            )
        )


def in_enum_order(modes: Sequence[LightingMode]) -> tuple[LightingMode, ...]:
    """``modes`` without duplicates, in the order LightingMode declares them (the UI's order)."""
    wanted = set(modes)
    return tuple(mode for mode in LightingMode if mode in wanted)
