"""When not to classify: light the model never saw, a frame too dark, or something that is not a lesion.

The lesion check is a logistic model on the network's pooled features, fitted by ``make model`` on
HAM10000 lesions against a non-lesion set (skin patches outside the lesion masks, photographs bundled in
installed packages, dark and blurred frames) and stored in the manifest. It costs one dot product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dermdesk.i18n import N_, _
from dermdesk.inference.manifest import ModelManifest

WHITE_LIGHT_MODES = frozenset({"white", "white_polarised"})
MESSAGE_NOT_WHITE = N_(
    "Not classified under {light}: the model was trained on white-light dermoscopy only. "
    "Switch to white light for a suggestion."
)
MESSAGE_DARK = N_("Too dark to classify — switch the light on or bring the dermatoscope onto the skin.")
MESSAGE_NOT_LESION = N_("This does not look like a skin lesion — centre the lesion in the view.")


@dataclass(frozen=True)
class GateVerdict:
    suitable: bool
    reason: str  # "", "not_white_light", "too_dark", "not_a_lesion"
    message: str
    lesion_score: float | None = None


SUITABLE = GateVerdict(True, "", "")


def light_label(mode: str) -> str:
    """Words for a lighting mode value such as ``uv_365`` or ``nb_630`` (capture's LightingMode values)."""
    kind, _, nm = mode.partition("_")
    if kind == "uv":
        return f"UV light ({nm} nm)"
    if kind == "nb":
        return f"narrow-band {nm} nm light"
    if mode == "off":
        return "no light"
    return mode.replace("_", " ")


def lighting_verdict(lighting: object) -> GateVerdict:
    """UV and narrow-band frames are refused before any inference; unknown lighting counts as white."""
    if lighting is None:
        return SUITABLE
    mode = str(getattr(lighting, "value", lighting))
    if mode in WHITE_LIGHT_MODES:
        return SUITABLE
    return GateVerdict(False, "not_white_light", _(MESSAGE_NOT_WHITE).format(light=light_label(mode)))


@dataclass(frozen=True)
class LesionGate:
    """The fitted lesion/non-lesion check and the darkness limit, from the manifest's ``gate`` entry."""

    weights: np.ndarray
    bias: float
    threshold: float
    dark_luma: float

    @classmethod
    def from_manifest(cls, manifest: ModelManifest) -> LesionGate | None:
        gate = manifest.gate
        if gate is None:
            return None
        return cls(
            weights=np.asarray(gate.weights, dtype=np.float64),
            bias=gate.bias,
            threshold=gate.threshold,
            dark_luma=gate.dark_luma,
        )

    def lesion_score(self, features: np.ndarray) -> float:
        """Probability-like score in 0..1 that the crop shows a skin lesion."""
        z = float(np.asarray(features, dtype=np.float64) @ self.weights + self.bias)
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))))

    def check_values(self, luma: float, features: np.ndarray) -> bool:
        """True when a crop of this brightness and these features would be classified."""
        return luma >= self.dark_luma and self.lesion_score(features) >= self.threshold

    def check(self, crop_rgb: np.ndarray, features: np.ndarray) -> GateVerdict:
        luma = float(crop_rgb.mean())
        if luma < self.dark_luma:
            return GateVerdict(False, "too_dark", _(MESSAGE_DARK))
        score = self.lesion_score(features)
        if score < self.threshold:
            return GateVerdict(False, "not_a_lesion", _(MESSAGE_NOT_LESION), score)
        return GateVerdict(True, "", "", score)
