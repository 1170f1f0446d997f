"""Classifying still images with a verified model package on the CPU (OpenVINO).

Used by ``dermdesk classify``/``evaluate``, reports, and the selftest. Test-time augmentation averages the
logits of the eight flips and 90° rotations of the lesion crop — one batched inference, not eight.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openvino as ov

from dermdesk.inference.package import ModelPackage
from dermdesk.inference.postprocess import Assessment, Rules, assess, calibrated_probabilities
from dermdesk.inference.preprocess import CropBox, find_lesion_box, normalise, resize_crop, to_rgb8

log = logging.getLogger(__name__)

# f32 everywhere: CPUs with bf16 units would otherwise default to bf16 and give other figures than the
# model card's on a clinic PC without them.
COMPILE_CONFIG = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"}


def dihedral_views(pixels: np.ndarray) -> np.ndarray:
    """The eight orientations of an HxWx3 crop, stacked: identity first."""
    views = []
    for k in range(4):
        rotated = np.rot90(pixels, k)
        views += [rotated, rotated[:, ::-1]]
    return np.stack([np.ascontiguousarray(v) for v in views])


def undo_dihedral_cam(cams: np.ndarray) -> np.ndarray:
    """Bring the eight views' activation maps [8,C,h,w] back to the original orientation and average."""
    restored = []
    for i, cam in enumerate(cams):
        k = i // 2
        if i % 2:
            cam = cam[:, :, ::-1]
        restored.append(np.rot90(cam, -k, axes=(1, 2)))
    return np.mean(restored, axis=0)


@dataclass(frozen=True)
class Classification:
    """One image's assessment plus what produced it (crop, raw logits, heatmap)."""

    assessment: Assessment
    crop: CropBox
    logits: np.ndarray
    cam: np.ndarray  # [C, h, w], in the crop's orientation
    tta: bool


class LesionClassifier:
    """A compiled OpenVINO model with the package's rules; one instance per thread of use."""

    def __init__(
        self, package: ModelPackage, precision: str = "model", cache_dir: Path | None = None
    ) -> None:
        self.package = package
        self.rules = Rules.from_manifest(package.manifest)
        self.spec = package.input_spec
        core = ov.Core()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            core.set_property({"CACHE_DIR": str(cache_dir)})
        model = core.read_model(package.file(precision))
        self.compiled = core.compile_model(model, "CPU", COMPILE_CONFIG)
        self.request = self.compiled.create_infer_request()

    def infer(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw logits [N,C] and activation maps [N,C,h,w] for a normalised NCHW batch."""
        result = self.request.infer({0: batch})
        return np.asarray(result[self.compiled.output("logits")]), np.asarray(
            result[self.compiled.output("cam")]
        )

    def crop_inputs(self, rgb: np.ndarray) -> tuple[np.ndarray, CropBox]:
        rgb = to_rgb8(rgb)
        box = find_lesion_box(rgb)
        return resize_crop(rgb, box, self.spec.size), box

    def raw_logits(self, rgb: np.ndarray, tta: bool = True) -> tuple[np.ndarray, np.ndarray, CropBox]:
        """Mean logits over the TTA views (or the single view), the restored heatmap, and the crop."""
        pixels, box = self.crop_inputs(rgb)
        views = dihedral_views(pixels) if tta else pixels[None]
        batch = np.concatenate([normalise(v, self.spec) for v in views])
        logits, cams = self.infer(batch)
        cam = undo_dihedral_cam(cams) if tta else cams[0]
        return logits.mean(axis=0), cam, box

    def classify(self, rgb: np.ndarray, tta: bool = True) -> Classification:
        logits, cam, box = self.raw_logits(rgb, tta)
        probabilities = calibrated_probabilities(logits, self.rules)
        return Classification(assess(probabilities, self.rules), box, logits, cam, tta)
