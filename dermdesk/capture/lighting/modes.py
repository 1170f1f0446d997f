"""The lighting modes a dermatoscope can be asked for, in the words the clinic uses.

Dermoscopy depends on the light as much as on the lens: cross-polarised white light removes surface glare
and shows deeper pigment and vessels, non-polarised light shows surface structures (milia-like cysts),
UV (Wood's light) shows fluorescence and pigment contrast, and narrow-band LEDs pick out one chromophore
each (blue/green for melanin and haemoglobin near the surface, amber/red for deeper structures).

The drivers that switch a device's LEDs (the rest of this package) and the virtual dermatoscope, which
imitates each look, use this one enum, so the UI has one list to offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from dermdesk.i18n.glossary import term


@dataclass(frozen=True)
class _ModeSpec:
    label: str
    polarised: bool
    wavelength_nm: int | None


class LightingMode(Enum):
    """One way of lighting the skin. The value is a stable string for settings files and sidecars."""

    OFF = "off"
    WHITE = "white"
    WHITE_POLARISED = "white_polarised"
    UV_365 = "uv_365"
    NB_450 = "nb_450"
    NB_525 = "nb_525"
    NB_590 = "nb_590"
    NB_630 = "nb_630"

    @property
    def label(self) -> str:
        """What the lighting selector shows to staff, in the current language (the clinical glossary)."""
        return term(f"light.{self.value}")

    def label_in(self, language: str) -> str:
        """The label in `language` (a report in the patient's language)."""
        return term(f"light.{self.value}", language)

    @property
    def polarised(self) -> bool:
        """True when the light is cross-polarised (no surface glare)."""
        return _SPECS[self].polarised

    @property
    def wavelength_nm(self) -> int | None:
        """Peak wavelength of a UV or narrow-band source; None for white light and off."""
        return _SPECS[self].wavelength_nm

    @property
    def narrow_band(self) -> bool:
        """True for the single-colour LED modes (NB_*), which give a near-monochrome picture."""
        return self.name.startswith("NB_")

    @property
    def lit(self) -> bool:
        """False only for OFF: the picture is expected to be (nearly) black."""
        return self is not LightingMode.OFF


_SPECS: dict[LightingMode, _ModeSpec] = {
    LightingMode.OFF: _ModeSpec("Light off", False, None),
    LightingMode.WHITE: _ModeSpec("White light (non-polarised)", False, None),
    LightingMode.WHITE_POLARISED: _ModeSpec("White light, cross-polarised", True, None),
    LightingMode.UV_365: _ModeSpec("UV 365 nm (Wood's light)", False, 365),
    LightingMode.NB_450: _ModeSpec("Narrow band 450 nm (blue)", False, 450),
    LightingMode.NB_525: _ModeSpec("Narrow band 525 nm (green)", False, 525),
    LightingMode.NB_590: _ModeSpec("Narrow band 590 nm (amber)", False, 590),
    LightingMode.NB_630: _ModeSpec("Narrow band 630 nm (red)", False, 630),
}
