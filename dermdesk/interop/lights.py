"""Which DICOM object a still becomes, from the light it was taken under, and the light back on import.

Why this split: the Dermoscopic Photography Image (modality DMS) describes white-light dermoscopy,
polarised or not (Light Source Polarization, 0016,1001); it has no way to say "UV 365 nm" or "narrow
band 525 nm". Those stills, and pictures taken without a known dermoscopy light (overview and clinical
photos filed from a camera), go out as VL Photographic Images; a UV or narrow-band one states its
wavelength in the Acquisition Context (CID 4206-style "Wavelength" concept).

The station's lighting modes are the stable strings of `dermdesk.capture.LightingMode` ("white",
"white_polarised", "uv_365", "nb_525", ...), which the records keep as text; they are read here by
their form, so this layer needs nothing from the capture package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_BAND = re.compile(r"^(uv|nb)_(\d{3,4})$")
OVERVIEW = "overview"


class StillKind(StrEnum):
    DERMOSCOPY = "dermoscopy"  # Dermoscopic Photography Image
    SPECTRAL = "spectral"  # VL Photographic Image with a wavelength (UV, narrow band)
    OVERVIEW = "overview"  # VL Photographic Image (no dermoscopy light known)


@dataclass(frozen=True)
class StillLight:
    kind: StillKind
    polarised: bool | None
    wavelength_nm: int | None
    series_content: str  # one series per lesion and this: the lighting mode, or "overview"

    @property
    def description(self) -> str:
        if self.kind is StillKind.DERMOSCOPY:
            return "dermoscopy, polarised" if self.polarised else "dermoscopy, non-polarised"
        if self.kind is StillKind.SPECTRAL:
            return f"{self.series_content.split('_')[0].upper()} {self.wavelength_nm} nm"
        return "overview photo"


def light_of(lighting_mode: str | None, polarised: bool | None = None) -> StillLight:
    """How a still with this lighting mode is exported."""
    mode = (lighting_mode or "").strip().lower()
    if mode == "white_polarised":
        return StillLight(StillKind.DERMOSCOPY, True, None, mode)
    if mode == "white":
        return StillLight(StillKind.DERMOSCOPY, False, None, mode)
    band = _BAND.match(mode)
    if band is not None:
        return StillLight(StillKind.SPECTRAL, False, int(band.group(2)), mode)
    if not mode and polarised is not None:  # a dermoscopy picture filed without its mode
        return StillLight(StillKind.DERMOSCOPY, polarised, None, "white_polarised" if polarised else "white")
    return StillLight(StillKind.OVERVIEW, None, None, OVERVIEW)


def lighting_mode_of(kind: StillKind, polarised: bool | None, wavelength_nm: int | None) -> str | None:
    """The lighting mode to file an imported still with (None for an overview photo)."""
    if kind is StillKind.DERMOSCOPY:
        return "white_polarised" if polarised else "white"
    if kind is StillKind.SPECTRAL and wavelength_nm is not None:
        return f"{'uv' if wavelength_nm < 400 else 'nb'}_{wavelength_nm}"
    return None
